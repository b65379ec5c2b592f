// RolesService: the security administrator's work on roles — list them with their permissions, create a
// custom role, change a role's name, scope and permission set, delete an unused custom role.
//
// Rules (等保 separation of duties): a role's permissions all belong to one duty (permissions.h), so no role
// can mix business work with administration or two administrators' work; the three built-in administrator
// roles cannot be changed at all, and no role changes duty (its users would silently become administrators). Changes take effect on the next request (RoleDirectory is invalidated) and
// are audited. Every call needs role.read or role.write.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "db/db.h"
#include "platform/access.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/principal.h"

namespace doudi::platform {

struct RoleInput {
  std::string code;   // for Create: lower-case letters, digits, '_' (2–32), starting with a letter
  std::string name;   // Chinese name shown in the UI, unique
  std::string scope = "division";  // all | division | own
  std::vector<std::string> permissions;
};

class RolesService {
 public:
  RolesService(db::Database& db, AuditLog& audit, RoleDirectory& roles, Clock clock = SystemClock());

  Result<std::vector<std::shared_ptr<const Role>>> List(const Principal& actor);
  Result<std::shared_ptr<const Role>> Get(const Principal& actor, const std::string& code);
  Result<std::shared_ptr<const Role>> Create(const Principal& actor, const RoleInput& input);
  // Replaces name, scope and permissions of role `code` (input.code is ignored) if its version is still
  // `version`; otherwise db::VersionConflict().
  Result<std::shared_ptr<const Role>> Update(const Principal& actor, const std::string& code, const RoleInput& input,
                                             int64_t version);
  // Deletes a custom role that no user holds.
  Status Delete(const Principal& actor, const std::string& code, int64_t version);

 private:
  // Checks name, scope and permissions; returns the permissions' duty and the sorted, unique permissions.
  Result<Duty> Validate(const RoleInput& input, std::vector<std::string>* permissions);

  db::Database& db_;
  AuditLog& audit_;
  RoleDirectory& roles_;
  Clock clock_;
};

// Forbidden "auth.forbidden" naming the missing permission, unless actor holds it.
Status Require(const Principal& actor, std::string_view permission);

}  // namespace doudi::platform
