#include "app/admin_routes.h"

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "http/json_fields.h"
#include "common/divisions.h"
#include "platform/permissions.h"
#include "platform/roles.h"
#include "platform/password.h"
#include "app/initial_password.h"

namespace doudi::app {
namespace {

using nlohmann::json;

Result<int64_t> IdParam(const http::Request& req) {
  const std::string s = req.Param("id");
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end || v <= 0) return Status::NotFound("http.not_found", "记录不存在");
  return static_cast<int64_t>(v);
}

const char* DutyText(platform::Duty d) {
  switch (d) {
    case platform::Duty::kSystemAdmin: return "system_admin";
    case platform::Duty::kSecurityAdmin: return "security_admin";
    case platform::Duty::kAuditAdmin: return "audit_admin";
    case platform::Duty::kBusiness: break;
  }
  return "business";
}

json UserJson(const platform::User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"role", u.role},
          {"role_name", u.role_name},
          {"division_code", u.division_code},
          {"division_name", Divisions::Default().FullName(u.division_code)},
          {"phone", u.phone},
          {"totp_enabled", u.totp_enabled},
          {"must_change_password", u.must_change_password},
          {"disabled", u.disabled},
          {"locked_until", u.locked_until ? json(*u.locked_until) : json(nullptr)},
          {"last_login_at", u.last_login_at ? json(*u.last_login_at) : json(nullptr)},
          {"version", u.version},
          {"created_at", u.created_at},
          {"updated_at", u.updated_at}};
}

json RoleJson(const platform::Role& r) {
  return {{"code", r.code},
          {"name", r.name},
          {"scope", std::string(platform::ScopeText(r.scope))},
          {"builtin", r.builtin},
          {"is_admin", r.is_admin()},
          {"permissions", r.permissions},
          {"version", r.version},
          {"updated_at", r.updated_at}};
}

Result<platform::RoleInput> RoleInputFrom(const json& body, bool with_code) {
  platform::RoleInput in;
  if (with_code) {
    DOUDI_ASSIGN_OR_RETURN(in.code, http::StringField(body, "code"));
  }
  DOUDI_ASSIGN_OR_RETURN(in.name, http::StringField(body, "name"));
  DOUDI_ASSIGN_OR_RETURN(in.scope, http::StringField(body, "scope"));
  auto it = body.find("permissions");
  if (it == body.end() || !it->is_array()) {
    return Status::InvalidField("permissions", "http.bad_type", "字段 permissions 应为权限代码数组");
  }
  for (const auto& p : *it) {
    if (!p.is_string()) return Status::InvalidField("permissions", "http.bad_type", "权限代码应为字符串");
    in.permissions.push_back(p.get<std::string>());
  }
  return in;
}

}  // namespace

void RegisterAdminRoutes(http::Router& router, App& app) {
  // --- accounts (system administrator) ---
  router.Get("/api/v1/users", {.permission = "user.read"}, [&app](http::Request& req) -> Result<http::Response> {
    platform::UserQuery q;
    DOUDI_ASSIGN_OR_RETURN(auto page, req.Page());
    q.page = page.first;
    q.size = page.second;
    q.text = req.Query("username");
    q.role = req.Query("role");
    q.division_code = req.Query("division");
    if (auto d = req.Query("disabled")) q.disabled = (*d == "1" || *d == "true");
    DOUDI_ASSIGN_OR_RETURN(auto found, app.users->List(*req.principal, q));
    json items = json::array();
    for (const auto& u : found.first) items.push_back(UserJson(u));
    return http::Response::Json({{"items", items}, {"total", found.second}, {"page", q.page}, {"size", q.size}});
  });

  router.Get("/api/v1/users/{id}", {.permission = "user.read"}, [&app](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(auto id, IdParam(req));
    DOUDI_ASSIGN_OR_RETURN(auto u, app.users->Get(*req.principal, id));
    return http::Response::Json(UserJson(u));
  });

  router.Post("/api/v1/users", {.permission = "user.write", .audit_action = "user.create"},
              [&app](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(auto body, req.JsonBody());
                platform::NewUser nu;
                DOUDI_ASSIGN_OR_RETURN(nu.username, http::StringField(body, "username"));
                DOUDI_ASSIGN_OR_RETURN(nu.display_name, http::StringField(body, "display_name"));
                DOUDI_ASSIGN_OR_RETURN(nu.role, http::StringField(body, "role"));
                DOUDI_ASSIGN_OR_RETURN(nu.division_code, http::StringField(body, "division_code"));
                DOUDI_ASSIGN_OR_RETURN(nu.phone, http::StringField(body, "phone", false));
                // The system administrator never chooses the password: a random one is shown once and must be
                // changed at the first login.
                nu.password = RandomPassword();
                DOUDI_ASSIGN_OR_RETURN(auto u, app.users->Create(*req.principal, nu));
                return http::Response::Json({{"user", UserJson(u)}, {"initial_password", nu.password}}, 201);
              });

  router.Put("/api/v1/users/{id}", {.permission = "user.write", .audit_action = "user.update"},
             [&app](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(auto id, IdParam(req));
               DOUDI_ASSIGN_OR_RETURN(auto body, req.JsonBody());
               DOUDI_ASSIGN_OR_RETURN(auto version, http::IntField(body, "version"));
               platform::UserChanges ch;
               DOUDI_ASSIGN_OR_RETURN(ch.display_name, http::StringField(body, "display_name"));
               DOUDI_ASSIGN_OR_RETURN(ch.division_code, http::StringField(body, "division_code"));
               DOUDI_ASSIGN_OR_RETURN(ch.phone, http::StringField(body, "phone", false));
               DOUDI_ASSIGN_OR_RETURN(auto role, http::StringField(body, "role", false));
               // A role change is the security administrator's (role.write) and a separate step in the service;
               // check everything it needs before the profile changes, so that one cannot land without the other.
               DOUDI_ASSIGN_OR_RETURN(auto current, app.users->Get(*req.principal, id));
               const bool role_changes = !role.empty() && role != current.role;
               if (role_changes) {
                 DOUDI_RETURN_IF_ERROR(platform::Require(*req.principal, "role.write"));
                 if (!app.roles->Find(role).ok()) {
                   return Status::InvalidField("role", "access.role.not_found", "角色不存在：" + role);
                 }
               }
               DOUDI_ASSIGN_OR_RETURN(auto u, app.users->Update(*req.principal, id, ch, version));
               if (role_changes) {
                 DOUDI_ASSIGN_OR_RETURN(u, app.users->SetRole(*req.principal, id, role, u.version));
               }
               return http::Response::Json(UserJson(u));
             });

  auto version_action = [&app](const char* action) {
    return [&app, action](http::Request& req) -> Result<http::Response> {
      DOUDI_ASSIGN_OR_RETURN(auto id, IdParam(req));
      DOUDI_ASSIGN_OR_RETURN(auto body, req.JsonBody());
      DOUDI_ASSIGN_OR_RETURN(auto version, http::IntField(body, "version"));
      std::string a = action;
      if (a == "disable") {
        DOUDI_ASSIGN_OR_RETURN(auto u, app.users->Disable(*req.principal, id, version));
        return http::Response::Json(UserJson(u));
      }
      if (a == "enable") {
        DOUDI_ASSIGN_OR_RETURN(auto u, app.users->Enable(*req.principal, id, version));
        return http::Response::Json(UserJson(u));
      }
      if (a == "reset-totp") {
        DOUDI_ASSIGN_OR_RETURN(auto u, app.users->ResetTotp(*req.principal, id, version));
        return http::Response::Json(UserJson(u));
      }
      std::string password = RandomPassword();
      DOUDI_ASSIGN_OR_RETURN(auto u, app.users->ResetPassword(*req.principal, id, password, version));
      return http::Response::Json({{"user", UserJson(u)}, {"temporary_password", password}});
    };
  };
  router.Post("/api/v1/users/{id}/disable", {.permission = "user.write", .audit_action = "user.disable"},
              version_action("disable"));
  router.Post("/api/v1/users/{id}/enable", {.permission = "user.write", .audit_action = "user.enable"},
              version_action("enable"));
  router.Post("/api/v1/users/{id}/reset-password", {.permission = "user.write", .audit_action = "user.reset_password"},
              version_action("reset-password"));
  router.Post("/api/v1/users/{id}/reset-totp", {.permission = "user.write", .audit_action = "user.reset_totp"},
              version_action("reset-totp"));

  // --- roles and permissions (security administrator) ---
  router.Get("/api/v1/permissions", {.permission = "role.read"}, [](http::Request&) -> Result<http::Response> {
    json items = json::array();
    for (const auto& p : platform::AllPermissions()) {
      items.push_back({{"code", std::string(p.code)},
                       {"name", std::string(p.name)},
                       {"duty", DutyText(p.duty)}});
    }
    return http::Response::Json({{"items", items}});
  });

  router.Get("/api/v1/roles", {.permission = "role.read"}, [&app](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(auto roles, app.roles_service->List(*req.principal));
    json items = json::array();
    for (const auto& r : roles) items.push_back(RoleJson(*r));
    return http::Response::Json({{"items", items}});
  });

  router.Post("/api/v1/roles", {.permission = "role.write", .audit_action = "role.create"},
              [&app](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(auto body, req.JsonBody());
                DOUDI_ASSIGN_OR_RETURN(auto in, RoleInputFrom(body, true));
                DOUDI_ASSIGN_OR_RETURN(auto r, app.roles_service->Create(*req.principal, in));
                return http::Response::Json(RoleJson(*r), 201);
              });

  router.Put("/api/v1/roles/{code}", {.permission = "role.write", .audit_action = "role.update"},
             [&app](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(auto body, req.JsonBody());
               DOUDI_ASSIGN_OR_RETURN(auto in, RoleInputFrom(body, false));
               DOUDI_ASSIGN_OR_RETURN(auto version, http::IntField(body, "version"));
               DOUDI_ASSIGN_OR_RETURN(auto r, app.roles_service->Update(*req.principal, req.Param("code"), in, version));
               return http::Response::Json(RoleJson(*r));
             });

  // --- audit log (audit administrator) ---
  router.Get("/api/v1/audit", {.permission = "audit.read"}, [&app](http::Request& req) -> Result<http::Response> {
    platform::AuditQuery q;
    DOUDI_ASSIGN_OR_RETURN(auto page, req.Page());
    q.page = page.first;
    q.size = page.second;
    q.username = req.Query("username");
    q.action = req.Query("action");
    q.object_type = req.Query("object_type");
    q.object_id = req.Query("object_id");
    q.outcome = req.Query("outcome");
    q.from = req.Query("from");
    q.to = req.Query("to");
    DOUDI_ASSIGN_OR_RETURN(auto found, app.audit->Search(q));
    json items = json::array();
    for (const auto& r : found.first) {
      items.push_back({{"id", r.id},
                       {"at", r.at},
                       {"user_id", r.user_id},
                       {"username", r.username},
                       {"role", r.role},
                       {"ip", r.ip},
                       {"action", r.action},
                       {"object_type", r.object_type},
                       {"object_id", r.object_id},
                       {"outcome", r.outcome},
                       {"detail", r.detail},
                       {"request_id", r.request_id},
                       {"hash", r.hash}});
    }
    return http::Response::Json({{"items", items}, {"total", found.second}, {"page", q.page}, {"size", q.size}});
  });

  router.Get("/api/v1/audit/verify", {.permission = "audit.read"}, [&app](http::Request&) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(auto report, app.audit->Verify());
    json j = {{"ok", report.ok}, {"rows_checked", report.rows_checked}, {"reason", report.reason}};
    j["first_broken_id"] = report.first_broken_id ? json(*report.first_broken_id) : json(nullptr);
    return http::Response::Json(j);
  });
}

}  // namespace doudi::app
