// The permission catalogue: every permission a role can hold, with its Chinese name for the security
// administrator's screens, and the duty it belongs to.
//
// 等保 level 3 separates three administrators — system (accounts), security (roles, permissions,
// dictionaries) and audit (the audit log) — from each other and from business work: a role's permissions
// must all belong to one duty. A module that adds a permission adds it here and grants it to roles in a
// migration.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace doudi::platform {

enum class Duty { kBusiness, kSystemAdmin, kSecurityAdmin, kAuditAdmin };

struct PermissionInfo {
  std::string_view code;  // "registry.person.read"
  std::string_view name;  // "查看人员档案"
  Duty duty;
};

std::span<const PermissionInfo> AllPermissions();
const PermissionInfo* FindPermission(std::string_view code);
std::string_view DutyName(Duty duty);  // "业务", "系统管理", ...

// The duty of a permission set (kBusiness when empty). Invalid "access.permission.unknown" for a permission
// not in the catalogue; Invalid "access.separation_of_duties" when the set mixes duties.
Result<Duty> DutyOf(const std::vector<std::string>& permissions);

}  // namespace doudi::platform
