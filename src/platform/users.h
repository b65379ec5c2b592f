// UsersService: user accounts, as the system administrator manages them (create, edit, disable and enable,
// reset a password or a lost TOTP device), plus role assignment, which belongs to the security
// administrator (role.write).
//
// A new or reset account must change its password at the next login. Assigning an administrator role needs
// role.write even at creation, so the system administrator cannot make himself a security or audit
// administrator. Nobody disables, resets or re-roles his own account here. Updates use optimistic locking
// (the caller passes the version it read; db::VersionConflict() otherwise), and every change is audited in
// the same transaction. Phone numbers are stored encrypted.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "db/db.h"
#include "platform/access.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/config.h"
#include "platform/crypto.h"
#include "platform/principal.h"
#include "platform/session_cache.h"

namespace doudi::platform {

struct User {
  int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string role;
  std::string role_name;
  std::string division_code;
  std::string phone;  // decrypted
  bool totp_enabled = false;
  bool must_change_password = false;
  bool disabled = false;
  int failed_logins = 0;
  std::optional<std::string> locked_until;  // ISO-8601 UTC, while locked out
  std::optional<std::string> last_login_at;
  int64_t version = 0;
  std::string created_at, updated_at;
  int64_t created_by = 0, updated_by = 0;
};

struct NewUser {
  std::string username;  // 2–32 of a–z 0–9 _ . - (upper case is folded to lower case)
  std::string display_name;
  std::string password;  // the initial password, checked against the policy
  std::string role;
  std::string division_code;  // "4210", "421003", "421003001"...
  std::string phone;
};

struct UserChanges {
  std::string display_name;
  std::string division_code;
  std::string phone;
};

struct UserQuery {
  std::optional<std::string> text;           // part of the username or display name
  std::optional<std::string> role;
  std::optional<std::string> division_code;  // this division and the ones below it
  std::optional<bool> disabled;
  int page = 1, size = 20;
};

class UsersService {
 public:
  UsersService(db::Database& db, AuditLog& audit, const Crypto& crypto, RoleDirectory& roles, SessionCache& sessions,
               PlatformConfig config, Clock clock = SystemClock());

  Result<User> Create(const Principal& actor, const NewUser& user);
  Result<User> Get(const Principal& actor, int64_t id);
  Result<User> GetByUsername(const Principal& actor, std::string_view username);
  // Ordered by id; total is the number of matches.
  Result<std::pair<std::vector<User>, int64_t>> List(const Principal& actor, const UserQuery& q);
  Result<User> Update(const Principal& actor, int64_t id, const UserChanges& changes, int64_t version);
  // Disabling ends the user's sessions. Enabling also lifts a lockout.
  Result<User> Disable(const Principal& actor, int64_t id, int64_t version);
  Result<User> Enable(const Principal& actor, int64_t id, int64_t version);
  // Sets a new initial password (policy-checked), which the user must change at the next login; lifts a
  // lockout and ends the user's sessions.
  Result<User> ResetPassword(const Principal& actor, int64_t id, const std::string& password, int64_t version);
  // For a lost phone: removes the TOTP secret so the user enrols again at the next login.
  Result<User> ResetTotp(const Principal& actor, int64_t id, int64_t version);
  // First set-up from the command line (`doudi user add` of an administrator, `doudi demo`): puts TOTP in force
  // with `base32_secret` (a new random one when empty) without the enrolment round trip, and returns the
  // secret to show the operator once. Needs user.write.
  Result<std::string> SetupTotp(const Principal& actor, int64_t id, const std::string& base32_secret);
  // Security administrator only (role.write).
  Result<User> SetRole(const Principal& actor, int64_t id, const std::string& role, int64_t version);

 private:
  Result<User> Load(db::Conn& c, std::string_view where, const db::Value& key);
  // Fills role_name from RoleDirectory — outside transactions, since a reload of the directory reads the
  // database and must not wait for a second pooled connection inside a Write.
  Result<User> WithRoleName(Result<User> u);
  // UPDATE users SET <set> (its own $1..$n are `params`), version, updated_at/by, if the version matches;
  // then `also` and the audit row, all in one transaction.
  Result<User> Change(const Principal& actor, int64_t id, int64_t version, const std::string& set,
                      std::vector<db::Value> params, std::string action, std::string detail,
                      const std::function<Status(db::Conn&)>& also = nullptr);
  Status RefuseSelf(const Principal& actor, int64_t id);

  db::Database& db_;
  AuditLog& audit_;
  const Crypto& crypto_;
  RoleDirectory& roles_;
  SessionCache& sessions_;
  PlatformConfig config_;
  Clock clock_;
};

// The actor of command-line administration (`doudi user add` ...): user id 0, the system and security
// administrators' account permissions. The operating-system account that runs the CLI is trusted.
Principal SystemActor();

// Lower-cases and checks a username; Invalid "auth.user.username" when it is not 2–32 of a–z 0–9 _ . -.
Result<std::string> NormalizeUsername(std::string_view username);

}  // namespace doudi::platform
