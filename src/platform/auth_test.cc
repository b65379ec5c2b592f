#include "platform/auth.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "platform/bytes.h"
#include "platform/password.h"
#include "platform/sessions.h"
#include "platform/testing.h"
#include "platform/totp.h"

namespace doudi::platform {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const std::string kInitial = "Initial#Pass1";
const std::string kChanged = "Changed#Pass2";

int64_t Unix(TimePoint t) { return std::chrono::duration_cast<seconds>(t.time_since_epoch()).count(); }

class AuthTest : public testing::PlatformTest {
 protected:
  // Logs in with the initial password and changes it; returns the first session's login result.
  LoginResult Activate(const std::string& username) {
    auto first = p_->auth.Login(username, kInitial, "", "10.1.1.1", "test");
    EXPECT_TRUE(first.ok()) << first.status().ToString();
    EXPECT_EQ(first->status, LoginStatus::kPasswordChangeRequired);
    EXPECT_TRUE(p_->auth.ChangePassword(first->principal, kInitial, kChanged).ok());
    return *first;
  }

  std::vector<AuditRow> AuditRows(const std::string& action) {
    AuditQuery q;
    q.action = action;
    q.size = 200;
    auto r = p_->audit->Search(q);
    EXPECT_TRUE(r.ok());
    return r->first;
  }

  std::string Code(const std::string& secret, int64_t step_offset = 0) {
    return TotpCode(*Base32Decode(secret), Unix(p_->now) + 30 * step_offset);
  }
};

TEST_P(AuthTest, FirstLoginForcesPasswordChangeThenLogsIn) {
  int64_t id = p_->AddUser("zhangsan", "caseworker", kInitial);
  auto first = p_->auth.Login("ZhangSan", kInitial, "", "10.1.1.1", "Firefox");  // usernames ignore case
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->status, LoginStatus::kPasswordChangeRequired);
  EXPECT_TRUE(first->principal.must_change_password);
  EXPECT_FALSE(first->token.empty());

  Status weak = p_->auth.ChangePassword(first->principal, kInitial, "short");
  EXPECT_EQ(weak.error_code(), "auth.password_policy");
  EXPECT_EQ(p_->auth.ChangePassword(first->principal, "Wrong#Pass9", kChanged).error_code(), "auth.old_password");
  EXPECT_EQ(p_->auth.ChangePassword(first->principal, kInitial, kInitial).error_code(), "auth.password_reuse");
  ASSERT_TRUE(p_->auth.ChangePassword(first->principal, kInitial, kChanged).ok());
  // The session used for the change lives on, now without the flag.
  auto same = p_->auth.Authenticate(first->token);
  ASSERT_TRUE(same.ok()) << same.status().ToString();
  EXPECT_FALSE(same->must_change_password);

  EXPECT_EQ(p_->auth.Login("zhangsan", kInitial, "", "", "").status().error_code(), "auth.bad_credentials");
  auto r = p_->auth.Login("zhangsan", kChanged, "", "10.1.1.2", "Firefox");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, LoginStatus::kOk);
  const Principal& pr = r->principal;
  EXPECT_EQ(pr.user_id, id);
  EXPECT_EQ(pr.role, "caseworker");
  EXPECT_EQ(pr.role_name, "救助经办员");
  EXPECT_EQ(pr.scope, ScopeKind::kDivision);
  EXPECT_EQ(pr.division_code, "421003");
  EXPECT_TRUE(pr.Can("registry.person.read"));
  EXPECT_TRUE(pr.Can("pii.reveal"));
  EXPECT_FALSE(pr.Can("audit.read"));
  EXPECT_FALSE(pr.Can("user.write"));
  EXPECT_EQ(r->token.size(), 43u);  // 32 bytes in unpadded base64url
  EXPECT_EQ(r->csrf_token, pr.csrf_token);

  auto authed = p_->auth.Authenticate(r->token);
  ASSERT_TRUE(authed.ok());
  EXPECT_EQ(authed->user_id, id);
  EXPECT_EQ(authed->session_id, pr.session_id);
  EXPECT_EQ(authed->permissions, pr.permissions);
  EXPECT_NE(authed->session_id, same->session_id);

  // The token itself is not stored, only its SHA-256.
  ASSERT_TRUE(p_->db().Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT token_hash FROM sessions WHERE id = $1", {pr.session_id}));
    EXPECT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].Text(0), Sha256Hex(r->token));
    EXPECT_NE(rows[0].Text(0), r->token);
    return Status::Ok();
  }).ok());
  auto logins = AuditRows("auth.login");
  ASSERT_EQ(logins.size(), 3u);  // success, failure (old password), success; newest first
  EXPECT_EQ(logins[0].outcome, "success");
  EXPECT_EQ(logins[0].ip, "10.1.1.2");
  EXPECT_EQ(logins[1].outcome, "failure");
}

TEST_P(AuthTest, ChangingPasswordEndsOtherSessions) {
  p_->AddUser("lisi", "verifier", kInitial);
  LoginResult first = Activate("lisi");
  auto second = p_->auth.Login("lisi", kChanged, "", "", "");
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(p_->auth.ChangePassword(second->principal, kChanged, "Third#Pass33").ok());
  EXPECT_FALSE(p_->auth.Authenticate(first.token).ok());
  EXPECT_TRUE(p_->auth.Authenticate(second->token).ok());
}

TEST_P(AuthTest, UnknownUserAndWrongPasswordLookTheSame) {
  p_->AddUser("wangwu", "caseworker", kInitial);
  auto unknown = p_->auth.Login("nobody", kInitial, "", "10.0.0.9", "");
  auto wrong = p_->auth.Login("wangwu", "Wrong#Pass99", "", "10.0.0.9", "");
  auto malformed = p_->auth.Login("no such user!", kInitial, "", "10.0.0.9", "");
  for (const auto* r : {&unknown, &wrong, &malformed}) {
    ASSERT_FALSE(r->ok());
    EXPECT_EQ(r->status().code(), Code::kUnauthenticated);
    EXPECT_EQ(r->status().error_code(), "auth.bad_credentials");
    EXPECT_EQ(r->status().message(), "用户名或密码错误");
  }
  auto rows = AuditRows("auth.login");
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& row : rows) EXPECT_EQ(row.outcome, "failure");
  EXPECT_EQ(rows[2].user_id, 0);
  EXPECT_EQ(rows[2].username, "nobody");
  EXPECT_NE(rows[1].user_id, 0);
}

TEST_P(AuthTest, FiveFailuresLockForFifteenMinutes) {
  p_->AddUser("zhaoliu", "caseworker", kInitial);
  for (int i = 1; i <= 4; ++i) {
    auto r = p_->auth.Login("zhaoliu", "Wrong#Pass" + std::to_string(i), "", "", "");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().error_code(), "auth.bad_credentials") << i;
    p_->Advance(seconds(10));
  }
  // Fifth failure at 04:30:40Z: locked until 04:45:40Z, which is 12:45:40 in Beijing, shown rounded up.
  auto fifth = p_->auth.Login("zhaoliu", "Wrong#Pass5", "", "", "");
  ASSERT_FALSE(fifth.ok());
  EXPECT_EQ(fifth.status().code(), Code::kLocked);
  EXPECT_EQ(fifth.status().error_code(), "auth.locked");
  EXPECT_NE(fifth.status().message().find("2024-05-01 12:46"), std::string::npos) << fifth.status().message();
  EXPECT_NE(fifth.status().message().find("北京时间"), std::string::npos);

  // While locked even the right password is refused, with the same unlock time.
  p_->Advance(minutes(14));
  auto during = p_->auth.Login("zhaoliu", kInitial, "", "", "");
  ASSERT_FALSE(during.ok());
  EXPECT_EQ(during.status().error_code(), "auth.locked");
  EXPECT_NE(during.status().message().find("2024-05-01 12:46"), std::string::npos);

  auto user = p_->users.GetByUsername(SystemActor(), "zhaoliu");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->locked_until, "2024-05-01T04:45:40.000Z");

  p_->Advance(minutes(1));  // 04:45:40Z exactly: the lock has run out
  auto after = p_->auth.Login("zhaoliu", kInitial, "", "", "");
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_FALSE(p_->users.GetByUsername(SystemActor(), "zhaoliu")->locked_until);

  auto rows = AuditRows("auth.login");
  int failures = 0, denied = 0;
  for (const auto& r : rows) failures += r.outcome == "failure", denied += r.outcome == "denied";
  EXPECT_EQ(failures, 5);
  EXPECT_EQ(denied, 1);
}

TEST_P(AuthTest, SuccessResetsTheFailureCount) {
  p_->AddUser("sunqi", "caseworker", kInitial);
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 4; ++i) EXPECT_EQ(p_->auth.Login("sunqi", "Wrong#Pass0", "", "", "").status().code(),
                                          Code::kUnauthenticated);
    ASSERT_TRUE(p_->auth.Login("sunqi", kInitial, "", "", "").ok());
  }
}

TEST_P(AuthTest, EnableLiftsALockout) {
  int64_t id = p_->AddUser("zhouba", "caseworker", kInitial);
  for (int i = 0; i < 5; ++i) (void)p_->auth.Login("zhouba", "Wrong#Pass0", "", "", "");
  EXPECT_EQ(p_->auth.Login("zhouba", kInitial, "", "", "").status().code(), Code::kLocked);
  auto u = p_->users.Get(SystemActor(), id);
  ASSERT_TRUE(p_->users.Enable(SystemActor(), id, u->version).ok());
  EXPECT_TRUE(p_->auth.Login("zhouba", kInitial, "", "", "").ok());
}

TEST_P(AuthTest, AdministratorsMustEnrollAndUseTotp) {
  p_->AddUser("sysadm", "sysadmin", kInitial, "4210");
  auto first = p_->auth.Login("sysadm", kInitial, "", "", "");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->status, LoginStatus::kPasswordChangeRequired);
  EXPECT_TRUE(first->principal.must_enroll_totp);
  EXPECT_TRUE(first->principal.permissions.empty());
  ASSERT_TRUE(p_->auth.ChangePassword(first->principal, kInitial, kChanged).ok());

  auto second = p_->auth.Login("sysadm", kChanged, "", "", "");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->status, LoginStatus::kTotpEnrollmentRequired);
  EXPECT_TRUE(second->principal.permissions.empty());  // nothing but enrolment until then
  EXPECT_EQ(p_->auth.ConfirmTotpEnrollment(second->principal, "123456").error_code(), "auth.totp.not_started");

  auto enrollment = p_->auth.BeginTotpEnrollment(second->principal);
  ASSERT_TRUE(enrollment.ok());
  EXPECT_EQ(enrollment->secret.size(), 32u);
  EXPECT_TRUE(enrollment->otpauth_uri.starts_with("otpauth://totp/")) << enrollment->otpauth_uri;
  EXPECT_NE(enrollment->otpauth_uri.find("secret=" + enrollment->secret), std::string::npos);
  // The secret is stored encrypted.
  ASSERT_TRUE(p_->db().Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT totp_secret FROM users WHERE username = 'sysadm'"));
    EXPECT_EQ(rows[0].Text(0).find(enrollment->secret), std::string::npos);
    EXPECT_EQ(*p_->crypto->Decrypt(rows[0].Text(0)), enrollment->secret);
    return Status::Ok();
  }).ok());

  std::string wrong = Code(enrollment->secret, 5);
  EXPECT_EQ(p_->auth.ConfirmTotpEnrollment(second->principal, wrong).error_code(), "auth.totp_invalid");
  ASSERT_TRUE(p_->auth.ConfirmTotpEnrollment(second->principal, Code(enrollment->secret)).ok());
  auto enrolled = p_->auth.Authenticate(second->token);
  ASSERT_TRUE(enrolled.ok());
  EXPECT_FALSE(enrolled->must_enroll_totp);
  EXPECT_TRUE(enrolled->Can("user.write"));
  EXPECT_EQ(p_->auth.BeginTotpEnrollment(*enrolled).status().error_code(), "auth.totp.enabled");

  p_->Advance(seconds(30));
  auto no_code = p_->auth.Login("sysadm", kChanged, "", "", "");
  ASSERT_TRUE(no_code.ok());
  EXPECT_EQ(no_code->status, LoginStatus::kTotpRequired);
  EXPECT_TRUE(no_code->token.empty());
  auto bad_code = p_->auth.Login("sysadm", kChanged, Code(enrollment->secret, 3), "", "");
  EXPECT_EQ(bad_code.status().error_code(), "auth.totp_invalid");
  // A wrong password with a right code is still just a wrong password.
  EXPECT_EQ(p_->auth.Login("sysadm", "Wrong#Pass00", Code(enrollment->secret), "", "").status().error_code(),
            "auth.bad_credentials");

  auto ok = p_->auth.Login("sysadm", kChanged, Code(enrollment->secret), "", "");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->status, LoginStatus::kOk);
  EXPECT_TRUE(ok->principal.Can("user.read"));
  EXPECT_FALSE(ok->principal.Can("registry.person.read"));
  // The same code cannot be used twice, even within its 30 seconds.
  p_->Advance(seconds(2));
  EXPECT_EQ(p_->auth.Login("sysadm", kChanged, Code(enrollment->secret), "", "").status().error_code(),
            "auth.totp_invalid");
  // The next step's code works (one step of drift is accepted).
  auto next = p_->auth.Login("sysadm", kChanged, Code(enrollment->secret, 1), "", "");
  EXPECT_TRUE(next.ok()) << next.status().ToString();
}

TEST_P(AuthTest, WrongTotpCodesCountTowardsLockout) {
  p_->AddUser("audadm", "auditadmin", kInitial, "4210");
  LoginResult first = Activate("audadm");
  auto enrollment = p_->auth.BeginTotpEnrollment(first.principal);
  ASSERT_TRUE(p_->auth.ConfirmTotpEnrollment(first.principal, Code(enrollment->secret)).ok());
  p_->Advance(seconds(60));
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(p_->auth.Login("audadm", kChanged, Code(enrollment->secret, 4), "", "").status().error_code(),
              "auth.totp_invalid");
  }
  EXPECT_EQ(p_->auth.Login("audadm", kChanged, Code(enrollment->secret, 4), "", "").status().code(), Code::kLocked);
}

TEST_P(AuthTest, BusinessUsersMayOptIntoTotp) {
  p_->AddUser("zhengjiu", "caseworker", kInitial);
  LoginResult first = Activate("zhengjiu");
  EXPECT_FALSE(first.principal.must_enroll_totp);
  auto e = p_->auth.BeginTotpEnrollment(first.principal);
  ASSERT_TRUE(e.ok());
  // Until confirmed, the password alone still works.
  EXPECT_EQ(p_->auth.Login("zhengjiu", kChanged, "", "", "")->status, LoginStatus::kOk);
  ASSERT_TRUE(p_->auth.ConfirmTotpEnrollment(first.principal, Code(e->secret)).ok());
  EXPECT_EQ(p_->auth.Login("zhengjiu", kChanged, "", "", "")->status, LoginStatus::kTotpRequired);
}

TEST_P(AuthTest, DisabledAccountsCannotLogInAndLoseTheirSessions) {
  int64_t id = p_->AddUser("qianshi", "caseworker", kInitial);
  LoginResult first = Activate("qianshi");
  ASSERT_TRUE(p_->auth.Authenticate(first.token).ok());
  auto u = p_->users.Get(SystemActor(), id);
  ASSERT_TRUE(p_->users.Disable(SystemActor(), id, u->version).ok());
  EXPECT_EQ(p_->auth.Authenticate(first.token).status().error_code(), "auth.session_expired");
  auto r = p_->auth.Login("qianshi", kChanged, "", "", "");
  EXPECT_EQ(r.status().error_code(), "auth.disabled");
  EXPECT_EQ(r.status().code(), Code::kForbidden);
  // Without the right password, a disabled account looks like any other.
  EXPECT_EQ(p_->auth.Login("qianshi", "Wrong#Pass00", "", "", "").status().error_code(), "auth.bad_credentials");
}

TEST_P(AuthTest, IdleSessionsExpireAfterThirtyMinutes) {
  p_->AddUser("chen", "caseworker", kInitial);
  LoginResult s = Activate("chen");
  p_->Advance(minutes(29));
  ASSERT_TRUE(p_->auth.Authenticate(s.token).ok());  // and records the use
  p_->Advance(minutes(29));
  ASSERT_TRUE(p_->auth.Authenticate(s.token).ok());  // 58 minutes after login, 29 after the last use
  p_->Advance(minutes(30));
  auto expired = p_->auth.Authenticate(s.token);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.status().code(), Code::kUnauthenticated);
  EXPECT_EQ(expired.status().error_code(), "auth.session_expired");
}

TEST_P(AuthTest, SessionsEndTwelveHoursAfterLoginHoweverBusy) {
  p_->AddUser("lin", "caseworker", kInitial);
  LoginResult s = Activate("lin");
  for (int i = 0; i < 35; ++i) {  // 35 × 20 min = 11 h 40 min
    p_->Advance(minutes(20));
    ASSERT_TRUE(p_->auth.Authenticate(s.token).ok()) << i;
  }
  p_->Advance(minutes(19));
  EXPECT_TRUE(p_->auth.Authenticate(s.token).ok());  // 11:59
  p_->Advance(minutes(1));
  EXPECT_EQ(p_->auth.Authenticate(s.token).status().error_code(), "auth.session_expired");  // 12:00
}

TEST_P(AuthTest, ConfiguredTimeoutsApply) {
  PlatformConfig c = testing::TestPlatform::TestConfig();
  c.session_idle = minutes(5);
  auto p = testing::OpenPlatform(GetParam(), c);
  ASSERT_TRUE(p);
  p->AddUser("short", "caseworker", kInitial);
  auto r = p->auth.Login("short", kInitial, "", "", "");
  ASSERT_TRUE(r.ok());
  p->Advance(minutes(4));
  EXPECT_TRUE(p->auth.Authenticate(r->token).ok());
  p->Advance(minutes(5));
  EXPECT_FALSE(p->auth.Authenticate(r->token).ok());
}

TEST_P(AuthTest, LogoutEndsTheSession) {
  p_->AddUser("he", "caseworker", kInitial);
  LoginResult s = Activate("he");
  auto pr = p_->auth.Authenticate(s.token);
  ASSERT_TRUE(pr.ok());
  ASSERT_TRUE(p_->auth.Logout(*pr).ok());
  EXPECT_FALSE(p_->auth.Authenticate(s.token).ok());
  auto rows = AuditRows("auth.logout");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].username, "he");
}

// An account change takes effect on the session's very next request (no stale copy of the user is used).
TEST_P(AuthTest, AuditedAccountChangesBypassTheCacheAtOnce) {
  int64_t id = p_->AddUser("yan", "caseworker", kInitial);
  LoginResult s = Activate("yan");
  auto before = p_->auth.Authenticate(s.token);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->division_code, "421003");
  auto u = p_->users.Get(SystemActor(), id);
  ASSERT_TRUE(p_->users.Update(SystemActor(), id, {"严", "421002", ""}, u->version).ok());
  auto after = p_->auth.Authenticate(s.token);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->division_code, "421002");
  EXPECT_EQ(after->display_name, "严");
}

// Many requests of one session at once past the touch interval: all succeed, last_seen_at moves to now.
TEST_P(AuthTest, ConcurrentRequestsOfOneSessionTouchItOnce) {
  p_->AddUser("tang", "caseworker", kInitial);
  LoginResult s = Activate("tang");
  p_->Advance(minutes(10));
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 20; ++j) ok += p_->auth.Authenticate(s.token).ok() ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 160);
  std::string last_seen;
  ASSERT_TRUE(p_->db()
                  .Read([&](db::Conn& c) -> Status {
                    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT last_seen_at FROM sessions WHERE token_hash = $1",
                                                              {SessionTokenHash(s.token)}));
                    last_seen = rows[0].Text(0);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(last_seen, FormatUtc(p_->now));
  // Alive 29 minutes after that touch (and touched again); 31 minutes after this last use, expired.
  p_->Advance(minutes(29));
  EXPECT_TRUE(p_->auth.Authenticate(s.token).ok());
  p_->Advance(minutes(31));
  EXPECT_EQ(p_->auth.Authenticate(s.token).status().error_code(), "auth.session_expired");
}

TEST_P(AuthTest, UnknownAndMalformedTokensAreRefused) {
  EXPECT_EQ(p_->auth.Authenticate("").status().error_code(), "auth.required");
  EXPECT_EQ(p_->auth.Authenticate(Base64Url(RandomBytes(32))).status().error_code(), "auth.required");
  EXPECT_EQ(p_->auth.Authenticate(std::string(1000, 'a')).status().error_code(), "auth.required");
}

TEST_P(AuthTest, CsrfTokenIsCheckedExactly) {
  p_->AddUser("xu", "caseworker", kInitial);
  LoginResult s = Activate("xu");
  auto pr = p_->auth.Authenticate(s.token);
  ASSERT_TRUE(pr.ok());
  EXPECT_EQ(pr->csrf_token, s.csrf_token);
  EXPECT_TRUE(CheckCsrf(*pr, s.csrf_token));
  std::string off = s.csrf_token;
  off.back() = off.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(CheckCsrf(*pr, off));
  EXPECT_FALSE(CheckCsrf(*pr, ""));
  EXPECT_FALSE(CheckCsrf(*pr, s.csrf_token.substr(1)));
  EXPECT_FALSE(CheckCsrf(*pr, s.token));
  Principal none;
  EXPECT_FALSE(CheckCsrf(none, ""));
}

TEST_P(AuthTest, RolePermissionChangesTakeEffectOnTheNextRequest) {
  auto role = p_->role_admin.Create(SystemActor(), {"county_reader", "县级查询员", "division", {"registry.person.read"}});
  ASSERT_TRUE(role.ok()) << role.status().ToString();
  p_->AddUser("guo", "county_reader", kInitial);
  LoginResult s = Activate("guo");
  auto before = p_->auth.Authenticate(s.token);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->permissions, (std::unordered_set<std::string>{"registry.person.read"}));

  auto updated = p_->role_admin.Update(SystemActor(), "county_reader",
                                      {"", "县级查询员", "own", {"registry.person.read", "registry.household.read"}},
                                      (*role)->version);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  auto after = p_->auth.Authenticate(s.token);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->permissions,
            (std::unordered_set<std::string>{"registry.person.read", "registry.household.read"}));
  EXPECT_EQ(after->scope, ScopeKind::kOwn);
}

TEST_P(AuthTest, RoleChangeToAnAdminRoleDemandsTotp) {
  int64_t id = p_->AddUser("ma", "caseworker", kInitial);
  LoginResult s = Activate("ma");
  auto u = p_->users.Get(SystemActor(), id);
  ASSERT_TRUE(p_->users.SetRole(SystemActor(), id, "auditadmin", u->version).ok());
  auto pr = p_->auth.Authenticate(s.token);
  ASSERT_TRUE(pr.ok());
  EXPECT_EQ(pr->role, "auditadmin");
  EXPECT_TRUE(pr->must_enroll_totp);
  EXPECT_TRUE(pr->permissions.empty());
}

TEST_P(AuthTest, StaleHashesAreUpgradedAtLogin) {
  p_->AddUser("old", "caseworker", kInitial);
  PlatformConfig stronger = testing::TestPlatform::TestConfig();
  stronger.password_cost.opslimit += 1;
  AuthService auth(p_->db(), *p_->audit, *p_->crypto, p_->roles, p_->sessions, stronger, p_->clock);
  ASSERT_TRUE(auth.Login("old", kInitial, "", "", "").ok());
  std::string hash;
  ASSERT_TRUE(p_->db().Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT password_hash FROM users WHERE username = 'old'"));
    hash = rows[0].Text(0);
    return Status::Ok();
  }).ok());
  EXPECT_FALSE(PasswordNeedsRehash(hash, stronger.password_cost));
  EXPECT_TRUE(VerifyPassword(hash, kInitial));
}

TEST_P(AuthTest, TheAuditChainStaysValid) {
  p_->AddUser("yang", "caseworker", kInitial);
  Activate("yang");
  (void)p_->auth.Login("yang", "Wrong#Pass00", "", "", "");
  auto report = p_->audit->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok);
  EXPECT_GE(report->rows_checked, 4);  // user.create, login, password change, failed login
}

class TotpForAllTest : public AuthTest {
 protected:
  PlatformConfig Config() override {
    PlatformConfig c = testing::TestPlatform::TestConfig();
    c.totp_required_for_all = true;
    return c;
  }
};

TEST_P(TotpForAllTest, EveryoneMustEnroll) {
  p_->AddUser("wu", "caseworker", kInitial);
  Activate("wu");
  auto r = p_->auth.Login("wu", kChanged, "", "", "");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, LoginStatus::kTotpEnrollmentRequired);
  EXPECT_TRUE(r->principal.permissions.empty());
}

DOUDI_PLATFORM_DIALECTS(AuthTest);
DOUDI_PLATFORM_DIALECTS(TotpForAllTest);

}  // namespace
}  // namespace doudi::platform
