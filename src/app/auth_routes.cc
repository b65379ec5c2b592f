#include "app/auth_routes.h"

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "http/json_fields.h"
#include "app/principal_json.h"
#include "http/cookie.h"

namespace doudi::app {
namespace {

std::string Header(const http::Request& req, const std::string& name) {
  auto it = req.headers.find(name);
  return it == req.headers.end() ? "" : it->second;
}

}  // namespace

void RegisterAuthRoutes(http::Router& router, App& app) {
  const bool secure = app.config.https;

  router.Post("/api/v1/auth/login", {.is_public = true, .audit_action = "auth.login"},
              [&app, secure](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(auto body, req.JsonBody());
                DOUDI_ASSIGN_OR_RETURN(auto username, http::StringField(body, "username"));
                DOUDI_ASSIGN_OR_RETURN(auto password, http::StringField(body, "password"));
                DOUDI_ASSIGN_OR_RETURN(auto totp, http::StringField(body, "totp_code", false));
                DOUDI_ASSIGN_OR_RETURN(auto result, app.auth->Login(username, password, totp, req.ip,
                                                                    Header(req, "user-agent"), req.request_id));
                if (result.status == platform::LoginStatus::kTotpRequired) {
                  return Status::Unauthenticated("auth.totp_required", "请输入手机验证器上的 6 位动态验证码");
                }
                const char* status = "ok";
                if (result.status == platform::LoginStatus::kPasswordChangeRequired) status = "password_change_required";
                if (result.status == platform::LoginStatus::kTotpEnrollmentRequired) status = "totp_enrollment_required";
                auto resp = http::Response::Json(
                    {{"status", status}, {"user", PrincipalJson(result.principal)}, {"csrf_token", result.csrf_token}});
                DOUDI_RETURN_IF_ERROR(http::SetSessionCookie(resp, result.token, secure));
                return resp;
              });

  router.Post("/api/v1/auth/logout", {.allow_pending = true, .audit_action = "auth.logout"},
              [&app, secure](http::Request& req) -> Result<http::Response> {
                DOUDI_RETURN_IF_ERROR(app.auth->Logout(*req.principal));
                auto resp = http::Response::Json({{"status", "ok"}});
                http::ClearSessionCookie(resp, secure);
                return resp;
              });

  router.Get("/api/v1/auth/me", {.allow_pending = true}, [](http::Request& req) -> Result<http::Response> {
    return http::Response::Json({{"user", PrincipalJson(*req.principal)}, {"csrf_token", req.principal->csrf_token}});
  });

  router.Post("/api/v1/auth/password", {.allow_pending = true, .audit_action = "auth.password.change"},
              [&app](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(auto body, req.JsonBody());
                DOUDI_ASSIGN_OR_RETURN(auto old_password, http::StringField(body, "old_password"));
                DOUDI_ASSIGN_OR_RETURN(auto new_password, http::StringField(body, "new_password"));
                DOUDI_RETURN_IF_ERROR(app.auth->ChangePassword(*req.principal, old_password, new_password));
                return http::Response::Json({{"status", "ok"}});
              });

  router.Post("/api/v1/auth/totp/setup", {.allow_pending = true, .audit_action = "auth.totp.setup"},
              [&app](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(auto e, app.auth->BeginTotpEnrollment(*req.principal));
                return http::Response::Json({{"secret", e.secret}, {"otpauth_uri", e.otpauth_uri}});
              });

  router.Post("/api/v1/auth/totp/confirm", {.allow_pending = true, .audit_action = "auth.totp.confirm"},
              [&app](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(auto body, req.JsonBody());
                DOUDI_ASSIGN_OR_RETURN(auto code, http::StringField(body, "code"));
                DOUDI_RETURN_IF_ERROR(app.auth->ConfirmTotpEnrollment(*req.principal, code));
                return http::Response::Json({{"status", "ok"}});
              });
}

}  // namespace doudi::app
