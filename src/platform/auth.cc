#include "platform/auth.h"

#include <charconv>

#include "platform/password.h"
#include "platform/totp.h"
#include "platform/users.h"

namespace doudi::platform {
namespace {

using std::chrono::duration_cast;
using std::chrono::seconds;

constexpr auto kTouchInterval = std::chrono::minutes(1);
constexpr size_t kMaxTokenLength = 128;

int64_t UnixSeconds(TimePoint t) { return duration_cast<seconds>(t.time_since_epoch()).count(); }

Status BadCredentials() { return Status::Unauthenticated("auth.bad_credentials", "用户名或密码错误"); }

Status BadTotp() {
  return Status::Unauthenticated("auth.totp_invalid", "动态口令错误或已使用过，请输入验证器中当前显示的 6 位数字");
}

Status NotSignedIn() { return Status::Unauthenticated("auth.required", "请先登录"); }

// The audit row of a login attempt that did not succeed.
AuditEvent LoginFailure(int64_t user_id, std::string_view username, std::string_view role, std::string_view ip,
                        std::string_view request_id, std::string outcome, std::string detail) {
  AuditEvent e;
  e.user_id = user_id;
  e.username = std::string(username.substr(0, 64));
  e.role = std::string(role);
  e.ip = std::string(ip);
  e.request_id = std::string(request_id);
  e.action = "auth.login";
  e.outcome = std::move(outcome);
  e.detail = std::move(detail);
  return e;
}

int64_t SessionId(const Principal& p) {
  int64_t id = 0;
  std::from_chars(p.session_id.data(), p.session_id.data() + p.session_id.size(), id);
  return id;  // 0 (no session) if malformed
}

}  // namespace

struct AuthService::Account {
  int64_t id = 0;
  std::string username, display_name, password_hash, role, division_code;
  std::optional<std::string> totp_secret;
  bool totp_enabled = false, must_change_password = false, disabled = false;
  int64_t totp_last_step = 0;
  std::optional<TimePoint> locked_until;
};

AuthService::AuthService(db::Database& db, AuditLog& audit, const Crypto& crypto, RoleDirectory& roles,
                         SessionCache& sessions, PlatformConfig config, Clock clock)
    : db_(db),
      audit_(audit),
      crypto_(crypto),
      roles_(roles),
      sessions_(sessions),
      config_(std::move(config)),
      clock_(std::move(clock)) {}

const std::string& AuthService::DummyHash() {
  std::call_once(dummy_once_, [&] {
    auto h = HashPassword("doudi: no such user", config_.password_cost);
    if (h.ok()) dummy_hash_ = *h;
  });
  return dummy_hash_;
}

Result<std::optional<AuthService::Account>> AuthService::FindAccount(const std::string& username) {
  std::optional<Account> out;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(
        auto rows, c.Query("SELECT id, username, display_name, password_hash, role, division_code, totp_secret, "
                           "totp_enabled, must_change_password, disabled, totp_last_step, locked_until "
                           "FROM users WHERE username = $1",
                           {username}));
    if (rows.empty()) return Status::Ok();
    const db::Row& r = rows[0];
    Account a;
    a.id = r.Int(0);
    a.username = r.Text(1);
    a.display_name = r.Text(2);
    a.password_hash = r.Text(3);
    a.role = r.Text(4);
    a.division_code = r.Text(5);
    a.totp_secret = r[6].as_opt_text();
    a.totp_enabled = r.Int(7) != 0;
    a.must_change_password = r.Int(8) != 0;
    a.disabled = r.Int(9) != 0;
    a.totp_last_step = r.Int(10);
    if (auto until = r[11].as_opt_text()) a.locked_until = ParseUtc(*until);
    out = std::move(a);
    return Status::Ok();
  }));
  return out;
}

Status AuthService::LockedStatus(TimePoint until) const {
  return Status(Code::kLocked, "auth.locked",
                "连续 " + std::to_string(config_.lockout_failures) + " 次登录失败，账户已锁定，请于 " +
                    // Rounded up to the minute, so that trying at the time shown works.
                    FormatShanghai(std::chrono::ceil<std::chrono::minutes>(until)) +
                    "（北京时间）后再试，或请系统管理员解锁");
}

Status AuthService::Fail(const Account& a, std::string_view ip, std::string_view request_id, std::string_view reason,
                         Status failure) {
  TimePoint now = clock_();
  Status result = std::move(failure);
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 "
                                              "RETURNING failed_logins",
                                              {static_cast<long long>(a.id)}));
    std::string detail(reason);
    if (!rows.empty() && rows[0].Int(0) >= config_.lockout_failures) {
      // The count restarts, so after the lock expires the user has the full number of attempts again.
      TimePoint until = now + config_.lockout_duration;
      DOUDI_RETURN_IF_ERROR(c.Exec("UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2",
                                   {FormatUtc(until), static_cast<long long>(a.id)})
                                .status());
      detail += "; locked until " + FormatUtc(until);
      result = LockedStatus(until);
    }
    return audit_.AppendIn(c, LoginFailure(a.id, a.username, a.role, ip, request_id, "failure", detail));
  }));
  return result;
}

Result<Principal> AuthService::MakePrincipal(int64_t user_id, const std::string& username,
                                             const std::string& display_name, const std::string& role_code,
                                             const std::string& division, bool must_change_password,
                                             bool totp_enabled) {
  DOUDI_ASSIGN_OR_RETURN(auto role, roles_.Find(role_code));
  Principal p;
  p.user_id = user_id;
  p.username = username;
  p.display_name = display_name;
  p.role = role->code;
  p.role_name = role->name;
  p.division_code = division;
  p.scope = role->scope;
  p.must_change_password = must_change_password;
  p.must_enroll_totp = !totp_enabled && (role->is_admin() || config_.totp_required_for_all);
  if (!p.must_enroll_totp) p.permissions = role->permission_set;
  return p;
}

Result<LoginResult> AuthService::Login(std::string_view username, std::string_view password,
                                       std::string_view totp_code, std::string_view ip, std::string_view user_agent,
                                       std::string_view request_id) {
  std::optional<Account> found;
  auto normalized = NormalizeUsername(username);
  if (normalized.ok()) {
    DOUDI_ASSIGN_OR_RETURN(found, FindAccount(*normalized));
  }
  if (!found) {
    VerifyPassword(DummyHash(), password);  // take as long as a real check: no user enumeration by timing
    DOUDI_RETURN_IF_ERROR(audit_.Append(LoginFailure(0, username, "", ip, request_id, "failure", "unknown user")));
    return BadCredentials();
  }
  const Account& a = *found;
  TimePoint now = clock_();
  if (a.locked_until && *a.locked_until > now) {
    DOUDI_RETURN_IF_ERROR(audit_.Append(LoginFailure(a.id, a.username, a.role, ip, request_id, "denied", "locked")));
    return LockedStatus(*a.locked_until);
  }
  if (!VerifyPassword(a.password_hash, password)) return Fail(a, ip, request_id, "wrong password", BadCredentials());
  if (a.disabled) {
    return Fail(a, ip, request_id, "account disabled",
                Status::Forbidden("auth.disabled", "账户已停用，请联系系统管理员"));
  }

  int64_t step = a.totp_last_step;
  if (a.totp_enabled) {
    if (totp_code.empty()) {
      LoginResult r;
      r.status = LoginStatus::kTotpRequired;
      return r;
    }
    DOUDI_ASSIGN_OR_RETURN(std::string secret, crypto_.Decrypt(a.totp_secret.value_or("")));
    DOUDI_ASSIGN_OR_RETURN(std::string key, Base32Decode(secret));
    auto matched = MatchTotp(key, totp_code, UnixSeconds(now));
    if (!matched || *matched <= a.totp_last_step) return Fail(a, ip, request_id, "wrong TOTP code", BadTotp());
    step = *matched;
  }
  std::optional<std::string> rehash;
  if (PasswordNeedsRehash(a.password_hash, config_.password_cost)) {
    auto h = HashPassword(password, config_.password_cost);
    if (h.ok()) rehash = *h;
  }

  DOUDI_ASSIGN_OR_RETURN(Principal p, MakePrincipal(a.id, a.username, a.display_name, a.role, a.division_code,
                                                    a.must_change_password, a.totp_enabled));
  p.ip = std::string(ip);
  p.request_id = std::string(request_id);
  NewSession session;
  bool replayed = false;
  Status written = db_.Write([&](db::Conn& c) -> Status {
    // The step condition makes a TOTP code single-use even when two logins race with it.
    std::string sql = std::string("UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = $1, "
                                  "totp_last_step = $2, password_hash = COALESCE($3, password_hash) "
                                  "WHERE id = $4 AND totp_last_step ") +
                      (a.totp_enabled ? "<" : "<=") + " $2 RETURNING id";
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(sql, {FormatUtc(now), static_cast<long long>(step), rehash,
                                                    static_cast<long long>(a.id)}));
    if (rows.empty()) {
      replayed = true;
      return BadTotp();  // rolls back; counted as a failure below
    }
    DOUDI_ASSIGN_OR_RETURN(session, CreateSession(c, a.id, ip, user_agent, now, now + config_.session_absolute));
    // Sessions past their absolute expiry are useless; drop those a day past it so the table stays small.
    DOUDI_RETURN_IF_ERROR(
        c.Exec("DELETE FROM sessions WHERE expires_at < $1", {FormatUtc(now - std::chrono::hours(24))}).status());
    return audit_.AppendIn(c, AuditEventFor(p, "auth.login", "session", std::to_string(session.id),
                                            a.totp_enabled ? "totp" : "password"));
  });
  if (replayed) return Fail(a, ip, request_id, "TOTP code used twice", BadTotp());
  DOUDI_RETURN_IF_ERROR(written);
  p.session_id = std::to_string(session.id);
  p.csrf_token = session.csrf_token;
  LoginResult r;
  r.token = std::move(session.token);
  r.csrf_token = session.csrf_token;
  r.status = p.must_change_password ? LoginStatus::kPasswordChangeRequired
             : p.must_enroll_totp   ? LoginStatus::kTotpEnrollmentRequired
                                    : LoginStatus::kOk;
  r.principal = std::move(p);
  return r;
}

Result<std::optional<CachedSession>> AuthService::LoadSession(const std::string& token_hash) {
  if (auto cached = sessions_.Find(token_hash)) return cached;
  uint64_t generation = sessions_.generation();
  db::Rows rows;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(
        rows, c.Query("SELECT s.id, s.csrf_token, s.last_seen_at, s.expires_at, s.revoked, u.id, u.username, "
                      "u.display_name, u.role, u.division_code, u.must_change_password, u.disabled, u.totp_enabled "
                      "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
                      {token_hash}));
    return Status::Ok();
  }));
  if (rows.empty()) return std::optional<CachedSession>();
  const db::Row& r = rows[0];
  CachedSession s{r.Int(0),        r.Text(1),         ParseUtc(r.Text(2)), ParseUtc(r.Text(3)), r.Int(4) != 0,
                  r.Int(5),        r.Text(6),         r.Text(7),           r.Text(8),           r.Text(9),
                  r.Int(10) != 0,  r.Int(11) != 0,    r.Int(12) != 0};
  sessions_.Put(token_hash, s, generation);
  return std::optional<CachedSession>(std::move(s));
}

Result<Principal> AuthService::Authenticate(std::string_view token) {
  if (token.empty() || token.size() > kMaxTokenLength) return NotSignedIn();
  const std::string token_hash = SessionTokenHash(token);
  DOUDI_ASSIGN_OR_RETURN(std::optional<CachedSession> found, LoadSession(token_hash));
  if (!found) return NotSignedIn();
  const CachedSession& s = *found;
  TimePoint now = clock_();
  if (s.revoked || s.disabled || !s.last_seen || !s.expires || now >= *s.expires ||
      now - *s.last_seen >= config_.session_idle) {
    return Status::Unauthenticated("auth.session_expired", "登录已失效（长时间未操作、已退出或账户已停用），请重新登录");
  }
  if (now - *s.last_seen >= kTouchInterval) {
    // Best effort: if the write fails (busy), the session merely looks idle a little earlier.
    Status touched = db_.Write([&](db::Conn& c) {
      return c.Exec("UPDATE sessions SET last_seen_at = $1 WHERE id = $2",
                    {FormatUtc(now), static_cast<long long>(s.session_id)})
          .status();
    });
    if (touched.ok()) sessions_.Touched(token_hash, now);
  }
  DOUDI_ASSIGN_OR_RETURN(Principal p, MakePrincipal(s.user_id, s.username, s.display_name, s.role, s.division_code,
                                                    s.must_change_password, s.totp_enabled));
  p.session_id = std::to_string(s.session_id);
  p.csrf_token = s.csrf_token;
  return p;
}

Status AuthService::Logout(const Principal& principal) {
  Status s = db_.Write([&](db::Conn& c) -> Status {
    DOUDI_RETURN_IF_ERROR(c.Exec("UPDATE sessions SET revoked = 1 WHERE id = $1 AND user_id = $2",
                                 {static_cast<long long>(SessionId(principal)),
                                  static_cast<long long>(principal.user_id)})
                              .status());
    return audit_.AppendIn(c, AuditEventFor(principal, "auth.logout", "session", principal.session_id));
  });
  sessions_.Invalidate();
  return s;
}

Status AuthService::ChangePassword(const Principal& principal, std::string_view old_password,
                                   std::string_view new_password) {
  std::string username, hash;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT username, password_hash FROM users WHERE id = $1",
                                              {static_cast<long long>(principal.user_id)}));
    if (rows.empty()) return NotSignedIn();
    username = rows[0].Text(0);
    hash = rows[0].Text(1);
    return Status::Ok();
  }));
  if (!VerifyPassword(hash, old_password)) {
    AuditEvent e = AuditEventFor(principal, "auth.password.change", "user", std::to_string(principal.user_id),
                                 "wrong old password");
    e.outcome = "failure";
    DOUDI_RETURN_IF_ERROR(audit_.Append(std::move(e)));
    return Status::InvalidField("old_password", "auth.old_password", "原密码不正确");
  }
  if (old_password == new_password) {
    return Status::InvalidField("new_password", "auth.password_reuse", "新密码不能与原密码相同");
  }
  DOUDI_RETURN_IF_ERROR(CheckPasswordPolicy(new_password, username));
  DOUDI_ASSIGN_OR_RETURN(std::string new_hash, HashPassword(new_password, config_.password_cost));
  std::string now = FormatUtc(clock_());
  Status changed = db_.Write([&](db::Conn& c) -> Status {
    DOUDI_RETURN_IF_ERROR(c.Exec("UPDATE users SET password_hash = $1, must_change_password = 0, "
                                 "password_changed_at = $2, version = version + 1, updated_at = $2, updated_by = $3 "
                                 "WHERE id = $3",
                                 {new_hash, now, static_cast<long long>(principal.user_id)})
                              .status());
    DOUDI_RETURN_IF_ERROR(RevokeUserSessions(c, principal.user_id, SessionId(principal)));
    return audit_.AppendIn(c, AuditEventFor(principal, "auth.password.change", "user",
                                            std::to_string(principal.user_id)));
  });
  sessions_.Invalidate();
  return changed;
}

Result<TotpEnrollment> AuthService::BeginTotpEnrollment(const Principal& principal) {
  TotpEnrollment out;
  out.secret = GenerateTotpSecret();
  out.otpauth_uri = OtpauthUri(config_.totp_issuer, principal.username, out.secret);
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("UPDATE users SET totp_secret = $1 WHERE id = $2 AND totp_enabled = 0 "
                                              "RETURNING id",
                                              {crypto_.Encrypt(out.secret), static_cast<long long>(principal.user_id)}));
    if (rows.empty()) {
      return Status::Conflict("auth.totp.enabled", "已绑定动态口令。如需更换手机，请联系系统管理员重置");
    }
    return audit_.AppendIn(c, AuditEventFor(principal, "auth.totp.begin", "user", std::to_string(principal.user_id)));
  }));
  return out;
}

Status AuthService::ConfirmTotpEnrollment(const Principal& principal, std::string_view code) {
  std::optional<std::string> stored;
  bool enabled = false;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT totp_secret, totp_enabled FROM users WHERE id = $1",
                                              {static_cast<long long>(principal.user_id)}));
    if (rows.empty()) return NotSignedIn();
    stored = rows[0][0].as_opt_text();
    enabled = rows[0].Int(1) != 0;
    return Status::Ok();
  }));
  if (enabled) return Status::Conflict("auth.totp.enabled", "已绑定动态口令。如需更换手机，请联系系统管理员重置");
  if (!stored) return Status::Invalid("auth.totp.not_started", "请先生成动态口令密钥，再输入验证器显示的 6 位数字");
  DOUDI_ASSIGN_OR_RETURN(std::string secret, crypto_.Decrypt(*stored));
  DOUDI_ASSIGN_OR_RETURN(std::string key, Base32Decode(secret));
  auto step = MatchTotp(key, code, UnixSeconds(clock_()));
  if (!step) {
    AuditEvent e = AuditEventFor(principal, "auth.totp.confirm", "user", std::to_string(principal.user_id));
    e.outcome = "failure";
    DOUDI_RETURN_IF_ERROR(audit_.Append(std::move(e)));
    return Status::InvalidField("code", "auth.totp_invalid", "动态口令不正确，请输入验证器中当前显示的 6 位数字");
  }
  Status confirmed = db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("UPDATE users SET totp_enabled = 1, totp_last_step = $1 "
                                              "WHERE id = $2 AND totp_enabled = 0 AND totp_secret = $3 RETURNING id",
                                              {static_cast<long long>(*step),
                                               static_cast<long long>(principal.user_id), *stored}));
    if (rows.empty()) return Status::Conflict("auth.totp.changed", "动态口令设置已在别处变更，请重新生成");
    return audit_.AppendIn(c, AuditEventFor(principal, "auth.totp.confirm", "user", std::to_string(principal.user_id)));
  });
  sessions_.Invalidate();
  return confirmed;
}

}  // namespace doudi::platform
