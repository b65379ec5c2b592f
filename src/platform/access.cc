#include "platform/access.h"

#include <algorithm>

namespace doudi::platform {

std::string_view ScopeText(ScopeKind scope) {
  switch (scope) {
    case ScopeKind::kAll: return "all";
    case ScopeKind::kDivision: return "division";
    case ScopeKind::kOwn: return "own";
  }
  return "own";
}

bool ParseScope(std::string_view text, ScopeKind* scope) {
  if (text == "all") {
    *scope = ScopeKind::kAll;
  } else if (text == "division") {
    *scope = ScopeKind::kDivision;
  } else if (text == "own") {
    *scope = ScopeKind::kOwn;
  } else {
    return false;
  }
  return true;
}

RoleDirectory::RoleDirectory(db::Database& db, Clock clock, std::chrono::seconds max_age)
    : db_(db), clock_(std::move(clock)), max_age_(max_age) {}

void RoleDirectory::Invalidate() {
  std::lock_guard lock(mu_);
  roles_.reset();
}

Result<std::shared_ptr<const RoleDirectory::Map>> RoleDirectory::Current() {
  std::lock_guard lock(mu_);
  TimePoint now = clock_();
  if (roles_ && now - loaded_at_ < max_age_ && now >= loaded_at_) return roles_;
  auto map = std::make_shared<Map>();
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto roles, c.Query("SELECT code, name, scope, builtin, version, updated_at FROM roles"));
    DOUDI_ASSIGN_OR_RETURN(auto grants,
                           c.Query("SELECT role, permission FROM role_permissions ORDER BY role, permission"));
    std::unordered_map<std::string, std::vector<std::string>> by_role;
    for (const auto& g : grants) by_role[g.Text(0)].push_back(g.Text(1));
    for (const auto& r : roles) {
      auto role = std::make_shared<Role>();
      role->code = r.Text(0);
      role->name = r.Text(1);
      if (!ParseScope(r.Text(2), &role->scope)) role->scope = ScopeKind::kOwn;  // the CHECK forbids this
      role->builtin = r.Int(3) != 0;
      role->version = r.Int(4);
      role->updated_at = r.Text(5);
      role->permissions = std::move(by_role[role->code]);
      role->permission_set = {role->permissions.begin(), role->permissions.end()};
      // A stored set that mixes duties (edited outside RolesService) counts as the first permission's duty;
      // unknown permissions are kept, so that a newer binary's grants survive an older one's reload.
      for (const auto& p : role->permissions) {
        if (const PermissionInfo* info = FindPermission(p)) {
          role->duty = info->duty;
          break;
        }
      }
      map->emplace(role->code, std::move(role));
    }
    return Status::Ok();
  }));
  roles_ = std::move(map);
  loaded_at_ = now;
  return roles_;
}

Result<std::shared_ptr<const Role>> RoleDirectory::Find(std::string_view code) {
  DOUDI_ASSIGN_OR_RETURN(auto map, Current());
  auto it = map->find(std::string(code));
  if (it == map->end()) return Status::NotFound("access.role.not_found", "角色不存在：" + std::string(code));
  return it->second;
}

Result<std::vector<std::shared_ptr<const Role>>> RoleDirectory::All() {
  DOUDI_ASSIGN_OR_RETURN(auto map, Current());
  std::vector<std::shared_ptr<const Role>> out;
  for (const auto& [code, role] : *map) out.push_back(role);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a->builtin != b->builtin ? a->builtin : a->code < b->code;
  });
  return out;
}

}  // namespace doudi::platform
