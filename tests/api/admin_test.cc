// The three administrators of 等保 level 3: the system administrator manages accounts, the security
// administrator roles and permissions, the audit administrator reads the audit log; none sees case data or
// the others' duties. Also account management itself and the audit trail it leaves.
#include "suite.h"

namespace doudi::testing {
namespace {

class AdminTest : public ApiTest<AdminTest> {
 protected:
  // The account as the system administrator lists it.
  nlohmann::json FindUser(const std::string& username) {
    HttpResult r = Shared("sysadmin").client.Get("/api/v1/users?username=" + username);
    EXPECT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    for (const auto& u : j["items"]) {
      if (u.value("username", "") == username) return u;
    }
    return nullptr;
  }
  static std::string UserPath(const nlohmann::json& u, const std::string& rest = "") {
    return "/api/v1/users/" + std::to_string(u.value("id", int64_t{0})) + rest;
  }
  nlohmann::json Role(const std::string& code) {
    HttpResult r = Shared("secadmin").client.Get("/api/v1/roles");
    EXPECT_EQ(r.status, 200) << r.body;
    auto list = r.json().is_array() ? r.json() : r.json()["items"];
    for (const auto& role : list) {
      if (role.value("code", "") == code) return role;
    }
    return nullptr;
  }
};

TEST_P(AdminTest, EachAdministratorSeesOnlyTheirOwnDuty) {
  Account& sys = Shared("sysadmin");
  Account& sec = Shared("secadmin");
  Account& aud = Shared("auditadmin");
  Account& cw = Shared("caseworker", "421002");
  ASSERT_TRUE(sys.ok && sec.ok && aud.ok && cw.ok);
  int64_t person = CreatePerson(cw.client, PersonBody("被保护人", "421002", NewIdNumber("421002")));
  ASSERT_GT(person, 0);
  std::string person_path = "/api/v1/registry/persons/" + std::to_string(person);

  // System administrator: accounts only.
  EXPECT_TRUE(IsOk(sys.client.Get("/api/v1/users")));
  EXPECT_TRUE(IsError(sys.client.Get("/api/v1/audit"), 403, "auth.forbidden"));
  EXPECT_TRUE(IsError(sys.client.Get("/api/v1/audit/verify"), 403, "auth.forbidden"));
  EXPECT_TRUE(IsError(sys.client.Get("/api/v1/registry/persons"), 403, "auth.forbidden"));
  EXPECT_TRUE(IsError(sys.client.Get(person_path), 403, "auth.forbidden"));
  EXPECT_TRUE(IsError(sys.client.Get("/api/v1/registry/stats"), 403, "auth.forbidden"));
  EXPECT_TRUE(IsError(sys.client.Get("/api/v1/roles"), 403, "auth.forbidden"));

  // Audit administrator: the audit log only.
  EXPECT_TRUE(IsOk(aud.client.Get("/api/v1/audit")));
  HttpResult verify = aud.client.Get("/api/v1/audit/verify");
  ASSERT_TRUE(IsOk(verify));
  EXPECT_EQ(verify.json().value("ok", false), true) << verify.body;
  EXPECT_TRUE(IsError(aud.client.Get("/api/v1/users"), 403, "auth.forbidden"));
  EXPECT_TRUE(IsError(aud.client.Post("/api/v1/users", {{"username", UniqueName("x")},
                                                        {"display_name", "某人"},
                                                        {"role", "caseworker"},
                                                        {"division_code", "421002"}}),
                      403, "auth.forbidden"));
  EXPECT_TRUE(IsError(aud.client.Get("/api/v1/registry/persons"), 403, "auth.forbidden"));
  EXPECT_TRUE(IsError(aud.client.Get(person_path), 403, "auth.forbidden"));
  EXPECT_TRUE(IsError(aud.client.Get("/api/v1/roles"), 403, "auth.forbidden"));

  // Security administrator: roles and permissions only.
  EXPECT_TRUE(IsOk(sec.client.Get("/api/v1/roles")));
  HttpResult perms = sec.client.Get("/api/v1/permissions");
  ASSERT_TRUE(IsOk(perms));
  EXPECT_NE(perms.body.find("registry.person.read"), std::string::npos);
  EXPECT_NE(perms.body.find("audit.read"), std::string::npos);
  EXPECT_TRUE(IsError(sec.client.Get("/api/v1/audit"), 403, "auth.forbidden"));
  EXPECT_TRUE(IsError(sec.client.Get("/api/v1/registry/persons"), 403, "auth.forbidden"));
  EXPECT_TRUE(IsError(sec.client.Get(person_path), 403, "auth.forbidden"));

  // Business users see none of the administration.
  EXPECT_TRUE(IsError(cw.client.Get("/api/v1/users"), 403, "auth.forbidden"));
  EXPECT_TRUE(IsError(cw.client.Get("/api/v1/audit"), 403, "auth.forbidden"));
  EXPECT_TRUE(IsError(cw.client.Get("/api/v1/roles"), 403, "auth.forbidden"));
}

TEST_P(AdminTest, TheBuiltInRolesAreThere) {
  Account& sec = Shared("secadmin");
  ASSERT_TRUE(sec.ok);
  for (const char* code : {"sysadmin", "secadmin", "auditadmin", "caseworker", "verifier", "rescue_staff",
                           "hotline_operator", "child_worker", "institution_supervisor", "manager"}) {
    EXPECT_FALSE(Role(code).is_null()) << code;
  }
  auto auditadmin = Role("auditadmin");
  ASSERT_TRUE(auditadmin.contains("permissions")) << auditadmin.dump();
  EXPECT_EQ(auditadmin["permissions"].size(), 1u) << auditadmin.dump();
  EXPECT_EQ(auditadmin.value("name", ""), "审计管理员");
}

TEST_P(AdminTest, TheSecurityAdministratorShapesRolesWithinOneDuty) {
  Account& sec = Shared("secadmin");
  Account& sys = Shared("sysadmin");
  Account& cw = Shared("caseworker", "421002");
  ASSERT_TRUE(sec.ok && sys.ok && cw.ok);
  std::string code = UniqueName("reader");
  nlohmann::json role = {{"code", code},
                         {"name", "档案查询员" + code},
                         {"scope", "division"},
                         {"permissions", {"registry.person.read", "pii.reveal"}}};

  // One role may not mix duties, nor name permissions that do not exist.
  nlohmann::json mixed = role;
  mixed["permissions"].push_back("audit.read");
  EXPECT_TRUE(IsError(sec.client.Post("/api/v1/roles", mixed), 400, "access.separation_of_duties", "permissions"));
  nlohmann::json unknown = role;
  unknown["permissions"].push_back("registry.person.delete_everything");
  EXPECT_TRUE(IsError(sec.client.Post("/api/v1/roles", unknown), 400, "access.permission.unknown", "permissions"));
  EXPECT_TRUE(Role(code).is_null()) << "a refused role was created";
  // Only the security administrator manages roles.
  EXPECT_TRUE(IsError(sys.client.Post("/api/v1/roles", role), 403, "auth.forbidden"));
  ASSERT_TRUE(IsOk(sec.client.Post("/api/v1/roles", role)));

  // A user of the new role reads and reveals...
  int64_t person = CreatePerson(cw.client, PersonBody("查询对象", "421002", NewIdNumber("421002")));
  std::string reveal = "/api/v1/registry/persons/" + std::to_string(person) + "/reveal";
  nlohmann::json ask = {{"purpose", "核对救助对象身份"}, {"fields", {"id_number"}}};
  Account reader = SignIn(server(), code, "421002");
  ASSERT_TRUE(reader.ok);
  EXPECT_TRUE(IsOk(reader.client.Post(reveal, ask)));
  EXPECT_TRUE(IsError(reader.client.Post("/api/v1/registry/persons", PersonBody("某", "421002")), 403,
                      "auth.forbidden"));

  // ...until the security administrator takes pii.reveal away (with the version read; a stale one is 409).
  auto current = Role(code);
  int64_t version = current.value("version", int64_t{0});
  nlohmann::json change = {{"name", current.value("name", "")},
                           {"scope", "division"},
                           {"permissions", {"registry.person.read"}},
                           {"version", version}};
  ASSERT_TRUE(IsOk(sec.client.Put("/api/v1/roles/" + code, change)));
  EXPECT_TRUE(IsError(sec.client.Put("/api/v1/roles/" + code, change), 409, "version_conflict"));
  Account later = SignIn(server(), code, "421002");
  ASSERT_TRUE(later.ok);
  EXPECT_TRUE(IsError(later.client.Post(reveal, ask), 403, "auth.forbidden"));

  // An administrator role cannot gain another duty's permissions: the system administrator stays out of the log.
  auto sysadmin = Role("sysadmin");
  nlohmann::json widen = {{"name", sysadmin.value("name", "")},
                          {"scope", sysadmin.value("scope", "all")},
                          {"permissions", {"user.read", "user.write", "audit.read"}},
                          {"version", sysadmin.value("version", int64_t{0})}};
  HttpResult widened = sec.client.Put("/api/v1/roles/sysadmin", widen);
  EXPECT_TRUE(widened.status == 400 || widened.status == 403) << widened.body;
  EXPECT_TRUE(HasChinese(widened.body));
  EXPECT_TRUE(IsError(sys.client.Get("/api/v1/audit"), 403, "auth.forbidden"));
  Account new_sys = SignIn(server(), "sysadmin", "4210");
  ASSERT_TRUE(new_sys.ok);
  EXPECT_TRUE(IsError(new_sys.client.Get("/api/v1/audit"), 403, "auth.forbidden"));
}

TEST_P(AdminTest, TheSystemAdministratorManagesAccountsButMakesNoAdministrators) {
  Account& sys = Shared("sysadmin");
  ASSERT_TRUE(sys.ok);
  std::string username = UniqueName("newcw");
  HttpResult created = sys.client.Post("/api/v1/users", {{"username", username},
                                                         {"display_name", "新经办员"},
                                                         {"role", "caseworker"},
                                                         {"division_code", "421002"},
                                                         {"phone", NewPhone()}});
  ASSERT_TRUE(IsOk(created));
  std::string initial = created.json().value("initial_password", "");
  ASSERT_FALSE(initial.empty()) << created.body;
  EXPECT_EQ(created.json().value("/user/username"_json_pointer, ""), username);

  // The new user must change the initial password at first login.
  ApiClient newbie(server().port());
  HttpResult first = newbie.Login(username, initial);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json().value("/user/must_change_password"_json_pointer, false), true);
  EXPECT_TRUE(IsError(newbie.Get("/api/v1/registry/persons"), 403, "auth.password_change_required"));
  std::string password = StrongPassword(901);
  ASSERT_TRUE(IsOk(newbie.Post("/api/v1/auth/password", {{"old_password", initial}, {"new_password", password}})));
  EXPECT_TRUE(IsOk(newbie.Get("/api/v1/registry/persons")));

  // Refusals: an administrator role (needs role.write), a taken username, a bad division, a bad username.
  std::string admin_name = UniqueName("fakeaudit");
  HttpResult admin = sys.client.Post("/api/v1/users", {{"username", admin_name},
                                                       {"display_name", "冒牌审计员"},
                                                       {"role", "auditadmin"},
                                                       {"division_code", "4210"}});
  EXPECT_TRUE(IsError(admin, 403, kAnyCode));
  EXPECT_TRUE(FindUser(admin_name).is_null()) << "the system administrator created an audit administrator";
  EXPECT_TRUE(IsError(sys.client.Post("/api/v1/users", {{"username", username},
                                                        {"display_name", "重名"},
                                                        {"role", "caseworker"},
                                                        {"division_code", "421002"}}),
                      409, kAnyCode));
  std::string bad_division_user = UniqueName("baddiv");
  EXPECT_TRUE(IsError(sys.client.Post("/api/v1/users", {{"username", bad_division_user},
                                                        {"display_name", "某人"},
                                                        {"role", "caseworker"},
                                                        {"division_code", "421099"}}),
                      400, kAnyCode, "division_code"))
      << "421099 is no division: an account scoped to it sees nothing and fits no report";
  EXPECT_TRUE(FindUser(bad_division_user).is_null()) << "a refused account was written";
  EXPECT_TRUE(IsError(sys.client.Post("/api/v1/users", {{"username", "张 三"},
                                                        {"display_name", "某人"},
                                                        {"role", "caseworker"},
                                                        {"division_code", "421002"}}),
                      400, kAnyCode, "username"));

  // The listing holds no secrets.
  nlohmann::json user = FindUser(username);
  ASSERT_FALSE(user.is_null());
  EXPECT_EQ(user.dump().find("argon2"), std::string::npos);
  EXPECT_FALSE(user.contains("password_hash"));
  EXPECT_FALSE(user.contains("totp_secret"));

  // Optimistic locking on accounts.
  int64_t version = user.value("version", int64_t{0});
  nlohmann::json edit = {{"display_name", "新经办员（改）"}, {"role", "caseworker"}, {"division_code", "421002"},
                         {"phone", ""}, {"version", version}};
  nlohmann::json nowhere = edit;
  nowhere["division_code"] = "421099";
  EXPECT_TRUE(IsError(sys.client.Put(UserPath(user), nowhere), 400, kAnyCode, "division_code"));
  edit["version"] = FindUser(username).value("version", int64_t{0});  // unchanged unless that wrongly succeeded
  ASSERT_TRUE(IsOk(sys.client.Put(UserPath(user), edit)));
  EXPECT_TRUE(IsError(sys.client.Put(UserPath(user), edit), 409, "version_conflict"));
  EXPECT_EQ(FindUser(username).value("division_code", ""), "421002");

  // Disabling ends the user's session and stops logins; enabling lets them back in.
  user = FindUser(username);
  ASSERT_TRUE(IsOk(sys.client.Post(UserPath(user, "/disable"), {{"version", user.value("version", int64_t{0})}})));
  EXPECT_EQ(newbie.Get("/api/v1/auth/me").status, 401) << "a disabled user's session still works";
  ApiClient again(server().port());
  HttpResult refused = again.Login(username, password);
  EXPECT_NE(refused.status, 200) << refused.body;
  EXPECT_TRUE(HasChinese(refused.body));
  user = FindUser(username);
  ASSERT_TRUE(IsOk(sys.client.Post(UserPath(user, "/enable"), {{"version", user.value("version", int64_t{0})}})));
  EXPECT_EQ(again.Login(username, password).status, 200);

  // A reset gives a temporary password that must be changed; the old one stops working.
  user = FindUser(username);
  HttpResult reset =
      sys.client.Post(UserPath(user, "/reset-password"), {{"version", user.value("version", int64_t{0})}});
  ASSERT_TRUE(IsOk(reset));
  std::string temporary = reset.json().value("temporary_password", "");
  ASSERT_FALSE(temporary.empty()) << reset.body;
  EXPECT_EQ(again.Get("/api/v1/auth/me").status, 401) << "a reset did not end the user's sessions";
  ApiClient third(server().port());
  EXPECT_TRUE(IsError(third.Login(username, password), 401, "auth.bad_credentials"));
  HttpResult after_reset = third.Login(username, temporary);
  ASSERT_EQ(after_reset.status, 200) << after_reset.body;
  EXPECT_EQ(after_reset.json().value("/user/must_change_password"_json_pointer, false), true);

  // Nobody disables his own account.
  nlohmann::json self = FindUser(sys.username);
  ASSERT_FALSE(self.is_null());
  HttpResult own = sys.client.Post(UserPath(self, "/disable"), {{"version", self.value("version", int64_t{0})}});
  EXPECT_GE(own.status, 400) << own.body;
  EXPECT_LT(own.status, 500) << own.body;
  EXPECT_TRUE(IsOk(sys.client.Get("/api/v1/users")));
}

TEST_P(AdminTest, EnablingLiftsALockoutAndFailedLoginsAreAudited) {
  Account& sys = Shared("sysadmin");
  Account& aud = Shared("auditadmin");
  ASSERT_TRUE(sys.ok && aud.ok);
  std::string username = UniqueName("locked");
  std::string password = server().AddUser(username, "caseworker", "421002");
  ApiClient c(server().port());
  for (int i = 0; i < 5; ++i) c.Post("/api/v1/auth/login", {{"username", username}, {"password", "Wrong#Pass" + std::to_string(i)}});
  ASSERT_TRUE(IsError(c.Post("/api/v1/auth/login", {{"username", username}, {"password", password}}), 423, "auth.locked"));
  nlohmann::json user = FindUser(username);
  ASSERT_FALSE(user.is_null());
  ASSERT_TRUE(IsOk(sys.client.Post(UserPath(user, "/enable"), {{"version", user.value("version", int64_t{0})}})));
  EXPECT_EQ(c.Post("/api/v1/auth/login", {{"username", username}, {"password", password}}).status, 200);

  // The failed attempts are in the audit log under the account's name (等保: every login attempt).
  HttpResult failed = aud.client.Get("/api/v1/audit?username=" + username + "&outcome=failure&size=200");
  HttpResult denied = aud.client.Get("/api/v1/audit?username=" + username + "&outcome=denied&size=200");
  ASSERT_TRUE(IsOk(failed));
  ASSERT_TRUE(IsOk(denied));
  EXPECT_GE(failed.json().value("total", 0) + denied.json().value("total", 0), 6)
      << failed.body << "\n" << denied.body;
  EXPECT_EQ(failed.body.find("Wrong#Pass"), std::string::npos) << "a tried password is in the audit log";
  EXPECT_EQ(denied.body.find("Wrong#Pass"), std::string::npos) << "a tried password is in the audit log";
}

TEST_P(AdminTest, TheAuditLogShowsWhoDidWhatNewestFirstAndVerifies) {
  Account& sys = Shared("sysadmin");
  Account& aud = Shared("auditadmin");
  ASSERT_TRUE(sys.ok && aud.ok);
  std::vector<std::string> created;  // user ids, oldest first
  for (int i = 0; i < 2; ++i) {
    HttpResult r = sys.client.Post("/api/v1/users", {{"username", UniqueName("audited")},
                                                     {"display_name", "审计对象"},
                                                     {"role", "caseworker"},
                                                     {"division_code", "421002"}});
    ASSERT_TRUE(IsOk(r));
    created.push_back(std::to_string(r.json().value("/user/id"_json_pointer, int64_t{0})));
  }
  // A refused mutation is recorded as denied.
  EXPECT_EQ(sys.client.Post("/api/v1/roles", {{"code", "x"}, {"name", "x"}, {"scope", "all"},
                                              {"permissions", nlohmann::json::array()}})
                .status,
            403);

  HttpResult mine = aud.client.Get("/api/v1/audit?username=" + sys.username + "&size=200");
  ASSERT_TRUE(IsOk(mine));
  auto items = mine.json()["items"];
  ASSERT_GE(items.size(), 3u) << mine.body;
  // Newest first: times never increase down the list, nor do ids.
  for (size_t i = 1; i < items.size(); ++i) {
    EXPECT_GE(items[i - 1].value("at", ""), items[i].value("at", "")) << mine.body;
    if (items[i].contains("id")) {
      EXPECT_GT(items[i - 1].value("id", int64_t{0}), items[i].value("id", int64_t{0}));
    }
  }
  auto position = [&](const std::string& object_id) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (items[i].value("object_id", "") == object_id) return static_cast<int>(i);
    }
    return -1;
  };
  int older = position(created[0]), newer = position(created[1]);
  EXPECT_GE(older, 0) << "the creation of user " << created[0] << " is not in the log: " << mine.body;
  EXPECT_GE(newer, 0) << "the creation of user " << created[1] << " is not in the log: " << mine.body;
  EXPECT_LT(newer, older) << "the later action is not listed first";
  for (const auto& row : items) {
    EXPECT_EQ(row.value("username", ""), sys.username);
    EXPECT_FALSE(row.value("action", "").empty());
    EXPECT_FALSE(row.value("at", "").empty());
  }
  HttpResult denied = aud.client.Get("/api/v1/audit?username=" + sys.username + "&outcome=denied");
  EXPECT_GE(denied.json().value("total", 0), 1) << denied.body;

  // Verification covers every row written before it.
  auto rows = QueryInt(server(), "SELECT COUNT(*) FROM audit_log");
  ASSERT_TRUE(rows.ok());
  HttpResult verify = aud.client.Get("/api/v1/audit/verify");
  ASSERT_TRUE(IsOk(verify));
  EXPECT_EQ(verify.json().value("ok", false), true) << verify.body;
  EXPECT_GE(verify.json().value("rows_checked", int64_t{0}), *rows) << verify.body;
}

DOUDI_API_SUITE(AdminTest);

}  // namespace
}  // namespace doudi::testing
