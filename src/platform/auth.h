// AuthService: signing in and out, the per-request session check, password changes and TOTP enrolment —
// the 等保 level 3 login rules.
//
// Login: a wrong username or password gets one generic message ("用户名或密码错误"), so accounts cannot be
// enumerated; failures are audited and, after lockout_failures in a row (wrong TOTP codes included), lock
// the account for lockout_duration (Code::kLocked "auth.locked", saying until when in Beijing time).
// Two-factor login (TOTP) is mandatory for the administrator roles (or for everyone with
// totp_required_for_all) and used by anyone who has enrolled; an administrator who has not enrolled yet gets
// a session without permissions in which to enrol. A new or reset account must change its password first.
//
// Sessions end after session_idle without use and session_absolute after login. Authenticate() runs on
// every request: the session and its user from SessionCache (or one indexed query, sessions joined with users,
// when the cache has no fresh entry), roles from RoleDirectory's memory, and a write of last_seen_at at most
// once a minute. Every change here to a session or an account invalidates the cache once committed.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "db/db.h"
#include "platform/access.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/config.h"
#include "platform/crypto.h"
#include "platform/principal.h"
#include "platform/session_cache.h"
#include "platform/sessions.h"

namespace doudi::platform {

enum class LoginStatus {
  kOk,
  kTotpRequired,            // password right; send it again with the 6-digit code (no session yet)
  kPasswordChangeRequired,  // signed in, but only ChangePassword works until the password is changed
  kTotpEnrollmentRequired,  // signed in without permissions until TOTP enrolment is confirmed
};

struct LoginResult {
  LoginStatus status = LoginStatus::kOk;
  std::string token;       // the session token (for the cookie); empty for kTotpRequired
  std::string csrf_token;  // the session's CSRF token
  Principal principal;
};

struct TotpEnrollment {
  std::string secret;       // base32, for manual entry
  std::string otpauth_uri;  // for the QR code
};

class AuthService {
 public:
  AuthService(db::Database& db, AuditLog& audit, const Crypto& crypto, RoleDirectory& roles, SessionCache& sessions,
              PlatformConfig config, Clock clock = SystemClock());

  Result<LoginResult> Login(std::string_view username, std::string_view password, std::string_view totp_code,
                            std::string_view ip, std::string_view user_agent, std::string_view request_id = "");
  // The principal of a live session; Unauthenticated "auth.required" (no such session) or
  // "auth.session_expired" (idle, too old, logged out, account disabled).
  Result<Principal> Authenticate(std::string_view token);
  Status Logout(const Principal& principal);
  // Checks the old password and the policy, stores the new one, clears must_change_password and ends the
  // user's other sessions.
  Status ChangePassword(const Principal& principal, std::string_view old_password, std::string_view new_password);
  // Starts (or restarts) enrolment: a new secret, stored encrypted, not yet in force.
  Result<TotpEnrollment> BeginTotpEnrollment(const Principal& principal);
  // Puts the secret in force once the user proves it with a current code.
  Status ConfirmTotpEnrollment(const Principal& principal, std::string_view code);

  const PlatformConfig& config() const { return config_; }

 private:
  struct Account;
  Result<std::optional<Account>> FindAccount(const std::string& username);
  // The session of this token hash, from the cache or the database; nullopt when there is none.
  Result<std::optional<CachedSession>> LoadSession(const std::string& token_hash);
  // Counts a failed login (locking the account at the limit) and audits it; returns the Status for the caller.
  Status Fail(const Account& account, std::string_view ip, std::string_view request_id, std::string_view reason,
              Status failure);
  Status LockedStatus(TimePoint until) const;
  Result<Principal> MakePrincipal(int64_t user_id, const std::string& username, const std::string& display_name,
                                  const std::string& role, const std::string& division, bool must_change_password,
                                  bool totp_enabled);
  const std::string& DummyHash();

  db::Database& db_;
  AuditLog& audit_;
  const Crypto& crypto_;
  RoleDirectory& roles_;
  SessionCache& sessions_;
  PlatformConfig config_;
  Clock clock_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;
};

}  // namespace doudi::platform
