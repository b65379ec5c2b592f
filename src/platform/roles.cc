#include "platform/roles.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/text.h"

namespace doudi::platform {
namespace {

bool ValidRoleCode(std::string_view code) {
  if (code.size() < 2 || code.size() > 32 || code[0] < 'a' || code[0] > 'z') return false;
  return std::all_of(code.begin(), code.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::string ChangeDetail(const std::vector<std::string>& before, const std::vector<std::string>& after,
                         const RoleInput& input) {
  std::vector<std::string> added, removed;
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(), std::back_inserter(added));
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(), std::back_inserter(removed));
  return nlohmann::json{{"name", input.name}, {"scope", input.scope}, {"added", added}, {"removed", removed}}.dump();
}

Status ReplacePermissions(db::Conn& c, const std::string& code, const std::vector<std::string>& permissions) {
  DOUDI_RETURN_IF_ERROR(c.Exec("DELETE FROM role_permissions WHERE role = $1", {code}).status());
  for (const auto& p : permissions) {
    DOUDI_RETURN_IF_ERROR(c.Exec("INSERT INTO role_permissions (role, permission) VALUES ($1, $2)", {code, p}).status());
  }
  return Status::Ok();
}

}  // namespace

Status Require(const Principal& actor, std::string_view permission) {
  if (actor.Can(std::string(permission))) return Status::Ok();
  const PermissionInfo* info = FindPermission(permission);
  return Status::Forbidden("auth.forbidden", "没有权限：需要「" +
                                                 std::string(info ? info->name : permission) + "」");
}

RolesService::RolesService(db::Database& db, AuditLog& audit, RoleDirectory& roles, Clock clock)
    : db_(db), audit_(audit), roles_(roles), clock_(std::move(clock)) {}

Result<std::vector<std::shared_ptr<const Role>>> RolesService::List(const Principal& actor) {
  DOUDI_RETURN_IF_ERROR(Require(actor, "role.read"));
  return roles_.All();
}

Result<std::shared_ptr<const Role>> RolesService::Get(const Principal& actor, const std::string& code) {
  DOUDI_RETURN_IF_ERROR(Require(actor, "role.read"));
  return roles_.Find(code);
}

Result<Duty> RolesService::Validate(const RoleInput& input, std::vector<std::string>* permissions) {
  if (input.name.empty() || !IsValidUtf8(input.name) || Utf8Length(input.name) > 32) {
    return Status::InvalidField("name", "access.role.name", "角色名称不能为空，不超过 32 个字，且须为有效的 UTF-8 文本");
  }
  if (ScopeKind scope; !ParseScope(input.scope, &scope)) {
    return Status::InvalidField("scope", "access.role.scope",
                                "数据范围只能是 all（全市）、division（本辖区）或 own（本人登记）");
  }
  *permissions = input.permissions;
  std::sort(permissions->begin(), permissions->end());
  permissions->erase(std::unique(permissions->begin(), permissions->end()), permissions->end());
  return DutyOf(*permissions);
}

Result<std::shared_ptr<const Role>> RolesService::Create(const Principal& actor, const RoleInput& input) {
  DOUDI_RETURN_IF_ERROR(Require(actor, "role.write"));
  if (!ValidRoleCode(input.code)) {
    return Status::InvalidField("code", "access.role.code",
                                "角色代码应由小写字母、数字和下划线组成（2–32 个字符），并以字母开头");
  }
  std::vector<std::string> permissions;
  DOUDI_RETURN_IF_ERROR(Validate(input, &permissions).status());
  std::string now = FormatUtc(clock_());
  Status s = db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto taken, c.Query("SELECT code FROM roles WHERE code = $1 OR name = $2",
                                               {input.code, input.name}));
    if (!taken.empty()) {
      return Status::Conflict("access.role.exists", "角色代码或名称已被使用：" +
                                                        (taken[0].Text(0) == input.code ? input.code : input.name));
    }
    DOUDI_RETURN_IF_ERROR(c.Exec("INSERT INTO roles (code, name, scope, builtin, version, created_at, created_by, "
                                 "updated_at, updated_by) VALUES ($1, $2, $3, 0, 1, $4, $5, $4, $5)",
                                 {input.code, input.name, input.scope, now, static_cast<long long>(actor.user_id)})
                              .status());
    DOUDI_RETURN_IF_ERROR(ReplacePermissions(c, input.code, permissions));
    return audit_.AppendIn(c, AuditEventFor(actor, "role.create", "role", input.code, ChangeDetail({}, permissions, input)));
  });
  roles_.Invalidate();
  DOUDI_RETURN_IF_ERROR(s);
  return roles_.Find(input.code);
}

Result<std::shared_ptr<const Role>> RolesService::Update(const Principal& actor, const std::string& code,
                                                         const RoleInput& input, int64_t version) {
  DOUDI_RETURN_IF_ERROR(Require(actor, "role.write"));
  DOUDI_ASSIGN_OR_RETURN(auto current, roles_.Find(code));
  if (current->builtin && current->is_admin()) {
    return Status::Forbidden("access.role.builtin_admin",
                             "三员分立：系统管理员、安全管理员、审计管理员这三个内置角色不能修改");
  }
  std::vector<std::string> permissions;
  DOUDI_ASSIGN_OR_RETURN(Duty duty, Validate(input, &permissions));
  if (duty != current->duty) {
    // Otherwise the role's users would silently become administrators, or administrators business staff.
    return Status::InvalidField("permissions", "access.separation_of_duties",
                                "三员分立：不能把「" + std::string(DutyName(current->duty)) + "」角色改为「" +
                                    std::string(DutyName(duty)) + "」角色，请新建角色");
  }
  std::string now = FormatUtc(clock_());
  Status s = db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto before, c.Query("SELECT permission FROM role_permissions WHERE role = $1 "
                                                "ORDER BY permission", {code}));
    DOUDI_ASSIGN_OR_RETURN(auto named, c.Query("SELECT code FROM roles WHERE name = $1 AND code <> $2",
                                               {input.name, code}));
    if (!named.empty()) return Status::Conflict("access.role.exists", "角色名称已被使用：" + input.name);
    DOUDI_ASSIGN_OR_RETURN(auto updated,
                           c.Query("UPDATE roles SET name = $1, scope = $2, version = version + 1, updated_at = $3, "
                                   "updated_by = $4 WHERE code = $5 AND version = $6 RETURNING version",
                                   {input.name, input.scope, now, static_cast<long long>(actor.user_id), code,
                                    static_cast<long long>(version)}));
    if (updated.empty()) return db::VersionConflict();
    DOUDI_RETURN_IF_ERROR(ReplacePermissions(c, code, permissions));
    std::vector<std::string> old;
    for (const auto& r : before) old.push_back(r.Text(0));
    return audit_.AppendIn(c, AuditEventFor(actor, "role.update", "role", code, ChangeDetail(old, permissions, input)));
  });
  roles_.Invalidate();
  DOUDI_RETURN_IF_ERROR(s);
  return roles_.Find(code);
}

Status RolesService::Delete(const Principal& actor, const std::string& code, int64_t version) {
  DOUDI_RETURN_IF_ERROR(Require(actor, "role.write"));
  DOUDI_ASSIGN_OR_RETURN(auto current, roles_.Find(code));
  if (current->builtin) return Status::Forbidden("access.role.builtin", "内置角色不能删除");
  Status s = db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto users, c.Query("SELECT COUNT(*) FROM users WHERE role = $1", {code}));
    if (users[0].Int(0) > 0) {
      return Status::Conflict("access.role.in_use", "还有 " + std::to_string(users[0].Int(0)) +
                                                        " 个用户属于该角色，请先为他们更换角色");
    }
    DOUDI_ASSIGN_OR_RETURN(auto found, c.Query("SELECT version FROM roles WHERE code = $1", {code}));
    if (found.empty()) return Status::NotFound("access.role.not_found", "角色不存在：" + code);
    if (found[0].Int(0) != version) return db::VersionConflict();
    DOUDI_RETURN_IF_ERROR(c.Exec("DELETE FROM role_permissions WHERE role = $1", {code}).status());
    DOUDI_RETURN_IF_ERROR(c.Exec("DELETE FROM roles WHERE code = $1", {code}).status());
    return audit_.AppendIn(c, AuditEventFor(actor, "role.delete", "role", code));
  });
  roles_.Invalidate();
  return s;
}

}  // namespace doudi::platform
