// RoleDirectory: the roles with their data scope and permissions, held in memory for the per-request
// principal (platform/principal.h), and reloaded when RolesService changes a role (or after a minute, for a
// change made by another process sharing a PostgreSQL database).
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/status.h"
#include "db/db.h"
#include "platform/clock.h"
#include "platform/permissions.h"
#include "platform/principal.h"

namespace doudi::platform {

struct Role {
  std::string code;  // "caseworker"
  std::string name;  // "救助经办员"
  ScopeKind scope = ScopeKind::kDivision;
  bool builtin = false;
  Duty duty = Duty::kBusiness;  // the duty of its permissions
  std::vector<std::string> permissions;  // sorted
  std::unordered_set<std::string> permission_set;
  int64_t version = 0;
  std::string updated_at;

  // The three 等保 administrators and any custom role with their permissions.
  bool is_admin() const { return duty != Duty::kBusiness; }
};

std::string_view ScopeText(ScopeKind scope);  // "all" | "division" | "own"
bool ParseScope(std::string_view text, ScopeKind* scope);

class RoleDirectory {
 public:
  explicit RoleDirectory(db::Database& db, Clock clock = SystemClock(),
                         std::chrono::seconds max_age = std::chrono::seconds(60));

  // The role `code`; NotFound "access.role.not_found" if there is none.
  Result<std::shared_ptr<const Role>> Find(std::string_view code);
  // Every role, ordered built-in first, then by code.
  Result<std::vector<std::shared_ptr<const Role>>> All();
  // Drops the cached roles; the next lookup reloads them.
  void Invalidate();

 private:
  using Map = std::unordered_map<std::string, std::shared_ptr<const Role>>;
  Result<std::shared_ptr<const Map>> Current();

  db::Database& db_;
  Clock clock_;
  std::chrono::seconds max_age_;
  std::mutex mu_;
  std::shared_ptr<const Map> roles_;
  TimePoint loaded_at_;
};

}  // namespace doudi::platform
