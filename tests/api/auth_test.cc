// Signing in: the forced first password change, bad credentials, lockout, TOTP for administrators and for
// users who enrol, CSRF on every mutation, and the ends of a session (logout, idle and absolute timeouts).
#include <regex>

#include "suite.h"
#include "totp_client.h"

namespace doudi::testing {
namespace {

class AuthTest : public ApiTest<AuthTest> {
 protected:
  HttpResult LoginRaw(ApiClient& c, const std::string& user, const std::string& password, const std::string& code = "") {
    nlohmann::json body = {{"username", user}, {"password", password}};
    if (!code.empty()) body["totp_code"] = code;
    return c.Post("/api/v1/auth/login", body);
  }
};

// The tests' own TOTP generator against RFC 6238 appendix B (SHA-1, secret "12345678901234567890"), so a
// failing TOTP login cannot be the helper's fault.
TEST(TotpClientTest, MatchesRfc6238Vectors) {
  const std::string secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";  // base32 of "12345678901234567890"
  EXPECT_EQ(TotpAt(secret, 59 / 30), "287082");                  // 94287082
  EXPECT_EQ(TotpAt(secret, 1111111109 / 30), "081804");          // 07081804
  EXPECT_EQ(TotpAt(secret, 1234567890 / 30), "005924");          // 89005924
  EXPECT_EQ(TotpAt(secret, 2000000000 / 30), "279037");          // 69279037
}

TEST(IdNumberHelperTest, MatchesTheStandardsExample) {
  EXPECT_EQ(IdCheck("11010519491231002"), 'X');  // GB 11643's own example 11010519491231002X
  EXPECT_EQ(IdCheck("44052418800101001"), '4');  // 440524188001010014
}

TEST_P(AuthTest, FirstLoginMustChangePasswordBeforeAnythingElse) {
  std::string user = UniqueName("first");
  std::string initial = server().AddUser(user, "caseworker", "421002");
  ApiClient c(server().port());

  HttpResult login = LoginRaw(c, user, initial);
  ASSERT_EQ(login.status, 200) << login.body;
  auto j = login.json();
  EXPECT_EQ(j.value("/user/must_change_password"_json_pointer, false), true) << login.body;
  EXPECT_FALSE(j.value("csrf_token", "").empty()) << login.body;
  // The session cookie: HttpOnly (no script reads it) and SameSite=Strict.
  std::string cookie_header;
  for (auto [it, end] = login.headers.equal_range("set-cookie"); it != end; ++it) {
    if (it->second.starts_with("doudi_session=")) cookie_header = it->second;
  }
  ASSERT_FALSE(cookie_header.empty()) << "no doudi_session cookie";
  EXPECT_NE(cookie_header.find("HttpOnly"), std::string::npos) << cookie_header;
  EXPECT_NE(cookie_header.find("SameSite=Strict"), std::string::npos) << cookie_header;
  // The password is not in the response.
  EXPECT_EQ(login.body.find(initial), std::string::npos);

  // Pending: only the auth routes work.
  EXPECT_TRUE(IsError(c.Get("/api/v1/registry/persons"), 403, "auth.password_change_required"));
  EXPECT_TRUE(IsError(c.Post("/api/v1/registry/persons", PersonBody("张三", "421002")), 403,
                      "auth.password_change_required"));
  HttpResult me = c.Get("/api/v1/auth/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json().value("/user/username"_json_pointer, ""), user);
  EXPECT_EQ(me.json().value("/user/role"_json_pointer, ""), "caseworker");
  EXPECT_EQ(me.json().value("/user/division_code"_json_pointer, ""), "421002");
  EXPECT_TRUE(me.json().value("/user/division_name"_json_pointer, "").ends_with("沙市区")) << me.body;
  EXPECT_EQ(me.json().value("/user/must_change_password"_json_pointer, false), true);

  // A weak new password breaks the policy; a wrong old one is refused; neither changes anything.
  HttpResult weak = c.Post("/api/v1/auth/password", {{"old_password", initial}, {"new_password", "abc"}});
  EXPECT_EQ(weak.status, 400) << weak.body;
  EXPECT_EQ(weak.error_code(), "auth.password_policy") << weak.body;
  EXPECT_TRUE(HasChinese(weak.body));
  std::string fresh = StrongPassword(777);
  HttpResult wrong_old = c.Post("/api/v1/auth/password", {{"old_password", initial + "x"}, {"new_password", fresh}});
  EXPECT_GE(wrong_old.status, 400) << wrong_old.body;
  EXPECT_LT(wrong_old.status, 500) << wrong_old.body;
  EXPECT_TRUE(IsError(c.Get("/api/v1/registry/persons"), 403, "auth.password_change_required"));

  HttpResult changed = c.Post("/api/v1/auth/password", {{"old_password", initial}, {"new_password", fresh}});
  ASSERT_TRUE(IsOk(changed));
  me = c.Get("/api/v1/auth/me");
  EXPECT_EQ(me.json().value("/user/must_change_password"_json_pointer, true), false) << me.body;
  EXPECT_TRUE(IsOk(c.Get("/api/v1/registry/persons")));

  // Logout ends the session on the server: the old cookie no longer works.
  std::string old_cookie = c.cookie();
  ASSERT_TRUE(IsOk(c.Post("/api/v1/auth/logout", nlohmann::json::object())));
  ApiClient replay(server().port());
  replay.set_cookie(old_cookie);
  HttpResult ended = replay.Get("/api/v1/auth/me");
  EXPECT_TRUE(IsError(ended, 401, kAnyCode));
  EXPECT_TRUE(ended.error_code().starts_with("auth.")) << ended.body;

  // The old password is gone, the new one works without a forced change.
  EXPECT_TRUE(IsError(LoginRaw(c, user, initial), 401, "auth.bad_credentials"));
  HttpResult again = LoginRaw(c, user, fresh);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json().value("/user/must_change_password"_json_pointer, true), false);
}

TEST_P(AuthTest, BadCredentialsDoNotSayWhichPartWasWrong) {
  std::string user = UniqueName("cred");
  std::string password = server().AddUser(user, "caseworker", "421002");
  ApiClient c(server().port());
  HttpResult no_user = LoginRaw(c, UniqueName("nobody"), password);
  HttpResult bad_password = LoginRaw(c, user, password + "1");
  EXPECT_TRUE(IsError(no_user, 401, "auth.bad_credentials"));
  EXPECT_TRUE(IsError(bad_password, 401, "auth.bad_credentials"));
  EXPECT_EQ(no_user.json()["error"]["message"], bad_password.json()["error"]["message"]);
  // Missing fields are a bad request, not a server error.
  HttpResult empty = c.Post("/api/v1/auth/login", nlohmann::json::object());
  EXPECT_GE(empty.status, 400) << empty.body;
  EXPECT_LT(empty.status, 500) << empty.body;
  EXPECT_TRUE(c.cookie().empty()) << "a failed login set a session cookie";
}

TEST_P(AuthTest, FiveFailuresLockTheAccountUntilTheLockExpires) {
  std::string user = UniqueName("lock");
  std::string password = server().AddUser(user, "caseworker", "421002");
  std::string bystander = UniqueName("bystander");
  std::string bystander_password = server().AddUser(bystander, "caseworker", "421002");
  ApiClient c(server().port());
  for (int i = 1; i <= 4; ++i) {
    EXPECT_TRUE(IsError(LoginRaw(c, user, "Wrong#Password" + std::to_string(i)), 401, "auth.bad_credentials"))
        << "attempt " << i;
  }
  HttpResult fifth = LoginRaw(c, user, "Wrong#Password5");
  EXPECT_TRUE(fifth.status == 401 || fifth.status == 423) << fifth.body;

  // Now even the right password is refused, with the time the lock ends.
  HttpResult locked = LoginRaw(c, user, password);
  ASSERT_TRUE(IsError(locked, 423, "auth.locked"));
  std::string message = locked.json()["error"]["message"];
  EXPECT_TRUE(std::regex_search(message, std::regex("[0-9]{1,2}:[0-9]{2}"))) << "no unlock time in: " << message;
  EXPECT_TRUE(c.cookie().empty());

  // Another account is not affected.
  ApiClient other(server().port());
  EXPECT_EQ(LoginRaw(other, bystander, bystander_password).status, 200);

  // When the lock's time has passed (moved into the past here instead of waiting 15 minutes), the right
  // password works again, and the failure count starts from zero.
  ASSERT_TRUE(ExecSql(server(), "UPDATE users SET locked_until = '" + UtcText(std::chrono::seconds(-60)) +
                                    "' WHERE username = '" + user + "'")
                  .ok());
  HttpResult unlocked = LoginRaw(c, user, password);
  EXPECT_EQ(unlocked.status, 200) << unlocked.body;
  ApiClient d(server().port());
  EXPECT_TRUE(IsError(LoginRaw(d, user, "Wrong#Password6"), 401, "auth.bad_credentials"));
}

TEST_P(AuthTest, AdministratorsNeedATotpCodeThatWorksOnlyOnce) {
  std::string user = UniqueName("sys");
  std::string secret;
  std::string initial = server().AddUser(user, "sysadmin", "4210", &secret);
  ASSERT_TRUE(std::regex_match(secret, std::regex("[A-Z2-7]{16,}=*"))) << "TOTP secret: '" << secret << "'";
  ApiClient c(server().port());

  EXPECT_TRUE(IsError(LoginRaw(c, user, initial), 401, "auth.totp_required"));
  EXPECT_TRUE(c.cookie().empty());
  std::string code = TotpFresh(secret);
  std::string wrong = code == "000000" ? "000001" : "000000";
  HttpResult bad = LoginRaw(c, user, initial, wrong);
  EXPECT_EQ(bad.status, 401) << bad.body;
  EXPECT_TRUE(c.cookie().empty());
  // A code from ten minutes ago is outside any clock-skew window.
  EXPECT_EQ(LoginRaw(c, user, initial, TotpAt(secret, TotpStepNow() - 20)).status, 401);
  // The wrong password with the right code is still refused.
  EXPECT_EQ(LoginRaw(c, user, initial + "x", code).status, 401);

  HttpResult ok = LoginRaw(c, user, initial, code);
  ASSERT_EQ(ok.status, 200) << ok.body;
  std::string fresh = StrongPassword(555);
  ASSERT_TRUE(IsOk(c.Post("/api/v1/auth/password", {{"old_password", initial}, {"new_password", fresh}})));
  ASSERT_TRUE(IsOk(c.Post("/api/v1/auth/logout", nlohmann::json::object())));

  // The same code a second time (someone who watched it being typed) is refused.
  ApiClient thief(server().port());
  HttpResult replay = LoginRaw(thief, user, fresh, code);
  EXPECT_EQ(replay.status, 401) << "a TOTP code was accepted twice: " << replay.body;
  EXPECT_TRUE(thief.cookie().empty());
}

TEST_P(AuthTest, AUserWhoEnrolsTotpNeedsItFromThenOn) {
  Account a = SignIn(server(), "caseworker", "421002");
  ASSERT_TRUE(a.ok);
  HttpResult setup = a.client.Post("/api/v1/auth/totp/setup", nlohmann::json::object());
  ASSERT_TRUE(IsOk(setup));
  std::string secret = setup.json().value("secret", "");
  std::string uri = setup.json().value("otpauth_uri", "");
  ASSERT_TRUE(std::regex_match(secret, std::regex("[A-Z2-7]{16,}=*"))) << setup.body;
  EXPECT_TRUE(uri.starts_with("otpauth://totp/")) << uri;
  EXPECT_NE(uri.find("secret=" + secret), std::string::npos) << uri;
  // Whether a password alone still signs this user in (i.e. TOTP is not enabled yet); logs out again.
  auto password_alone = [&]() {
    ApiClient probe(server().port());
    HttpResult r = LoginRaw(probe, a.username, a.password);
    if (r.status == 200) probe.Post("/api/v1/auth/logout", nlohmann::json::object());
    return r;
  };
  EXPECT_EQ(password_alone().status, 200) << "TOTP is enforced before the enrolment was confirmed";

  // Confirmed with the code that was shown a moment ago (the one-step clock-drift window RFC 6238 recommends),
  // so that the login below can use the current code at once instead of waiting for the next step.
  std::string code = TotpAt(secret, TotpStepNow() - 1);
  HttpResult bad = a.client.Post("/api/v1/auth/totp/confirm", {{"code", code == "123456" ? "654321" : "123456"}});
  EXPECT_GE(bad.status, 400) << bad.body;
  EXPECT_LT(bad.status, 500) << bad.body;
  EXPECT_EQ(password_alone().status, 200) << "a wrong confirmation code enabled TOTP";
  ASSERT_TRUE(IsOk(a.client.Post("/api/v1/auth/totp/confirm", {{"code", code}})));
  EXPECT_TRUE(IsError(password_alone(), 401, "auth.totp_required"));
  ASSERT_TRUE(IsOk(a.client.Post("/api/v1/auth/logout", nlohmann::json::object())));

  ApiClient c(server().port());
  HttpResult ok = c.Login(a.username, a.password, secret);
  EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST_P(AuthTest, EveryMutationNeedsTheSessionsCsrfToken) {
  Account a = SignIn(server(), "caseworker", "421002");
  Account b = SignIn(server(), "caseworker", "421002");
  ASSERT_TRUE(a.ok && b.ok);
  std::string name = "防伪" + UniqueName("csrf");
  std::string body = PersonBody(name, "421002").dump();

  EXPECT_TRUE(IsError(a.client.Raw("POST", "/api/v1/registry/persons", body, "application/json", false), 403,
                      "auth.csrf"));
  std::string own = a.client.csrf();
  a.client.set_csrf("0000" + own.substr(std::min<size_t>(4, own.size())));
  EXPECT_TRUE(IsError(a.client.Post("/api/v1/registry/persons", PersonBody(name, "421002")), 403, "auth.csrf"));
  // Another session's token does not fit this session.
  a.client.set_csrf(b.client.csrf());
  EXPECT_TRUE(IsError(a.client.Post("/api/v1/registry/persons", PersonBody(name, "421002")), 403, "auth.csrf"));
  EXPECT_TRUE(IsError(a.client.Post("/api/v1/auth/logout", nlohmann::json::object()), 403, "auth.csrf"));
  a.client.set_csrf(own);
  EXPECT_EQ(CountPersons(a.client, name), 0) << "a request without the right CSRF token wrote a person";
  EXPECT_TRUE(IsOk(a.client.Get("/api/v1/auth/me"))) << "a refused logout ended the session";

  // GET needs no token; with the right token the write goes through.
  EXPECT_TRUE(IsOk(a.client.Raw("GET", "/api/v1/registry/persons", "", "", false)));
  EXPECT_TRUE(IsOk(a.client.Post("/api/v1/registry/persons", PersonBody(name, "421002"))));
  EXPECT_EQ(CountPersons(a.client, name), 1);
}

TEST_P(AuthTest, WithoutASessionEverythingButLoginAndHealthIs401) {
  ApiClient anon(server().port());
  EXPECT_TRUE(IsError(anon.Get("/api/v1/registry/persons"), 401, "auth.required"));
  EXPECT_TRUE(IsError(anon.Get("/api/v1/auth/me"), 401, "auth.required"));
  EXPECT_TRUE(IsError(anon.Get("/api/v1/audit"), 401, "auth.required"));
  EXPECT_TRUE(IsError(anon.Post("/api/v1/registry/persons", PersonBody("张三", "421002")), 401, "auth.required"));
  ApiClient forged(server().port());
  forged.set_cookie("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  EXPECT_TRUE(IsError(forged.Get("/api/v1/registry/persons"), 401, "auth.required"));
  EXPECT_TRUE(IsOk(anon.Get("/api/v1/health")));
}

// Idle and absolute session limits, by moving the session's stored times into the past instead of waiting
// (the server sees such a change from outside within its session cache's second).
TEST_P(AuthTest, SessionsEndAfterThirtyIdleMinutesOrWhenTheyExpire) {
  Account idle = SignIn(server(), "caseworker", "421002");
  Account active = SignIn(server(), "caseworker", "421002");
  Account old = SignIn(server(), "caseworker", "421002");
  ASSERT_TRUE(idle.ok && active.ok && old.ok);
  auto set = [&](const Account& a, const std::string& column, std::chrono::seconds ago) {
    ASSERT_TRUE(ExecSql(server(), "UPDATE sessions SET " + column + " = '" + UtcText(-ago) +
                                      "' WHERE user_id = " + std::to_string(a.id))
                    .ok());
  };
  set(idle, "last_seen_at", std::chrono::minutes(31));
  set(active, "last_seen_at", std::chrono::minutes(28));
  set(old, "expires_at", std::chrono::seconds(1));
  WaitOutSessionCache();

  HttpResult r = idle.client.Get("/api/v1/auth/me");
  EXPECT_EQ(r.status, 401) << "a session idle for 31 minutes still works: " << r.body;
  EXPECT_TRUE(r.error_code().starts_with("auth.")) << r.body;
  EXPECT_TRUE(IsOk(active.client.Get("/api/v1/auth/me"))) << "a session idle for 28 minutes ended";
  EXPECT_EQ(old.client.Get("/api/v1/auth/me").status, 401) << "a session past its expiry still works";
  // An expired session stays expired (using it does not revive it).
  EXPECT_EQ(idle.client.Get("/api/v1/auth/me").status, 401);
}

// DOUDI_SECURITY_SESSION_IDLE_MINUTES shortens the idle limit.
class IdleSettingTest : public ApiTest<IdleSettingTest> {
 public:
  static std::map<std::string, std::string> ServerEnv() { return {{"DOUDI_SECURITY_SESSION_IDLE_MINUTES", "2"}}; }
};

TEST_P(IdleSettingTest, TheEnvironmentSetsTheIdleLimit) {
  Account idle = SignIn(server(), "caseworker", "421002");
  Account active = SignIn(server(), "caseworker", "421002");
  ASSERT_TRUE(idle.ok && active.ok);
  ASSERT_TRUE(ExecSql(server(), "UPDATE sessions SET last_seen_at = '" + UtcText(-std::chrono::minutes(3)) +
                                    "' WHERE user_id = " + std::to_string(idle.id))
                  .ok());
  ASSERT_TRUE(ExecSql(server(), "UPDATE sessions SET last_seen_at = '" + UtcText(-std::chrono::seconds(60)) +
                                    "' WHERE user_id = " + std::to_string(active.id))
                  .ok());
  WaitOutSessionCache();
  EXPECT_EQ(idle.client.Get("/api/v1/auth/me").status, 401) << "idle 3 minutes with a 2-minute limit";
  EXPECT_TRUE(IsOk(active.client.Get("/api/v1/auth/me"))) << "idle 1 minute with a 2-minute limit";
}

DOUDI_API_SUITE(AuthTest);
DOUDI_API_SUITE(IdleSettingTest);

}  // namespace
}  // namespace doudi::testing
