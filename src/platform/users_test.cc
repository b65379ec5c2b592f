#include "platform/users.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "platform/password.h"
#include "platform/testing.h"

namespace doudi::platform {
namespace {

const std::string kPass = "Initial#Pass1";

Principal Actor(const std::string& role, std::unordered_set<std::string> permissions, int64_t id) {
  Principal p;
  p.user_id = id;
  p.username = role + "_user";
  p.role = role;
  p.permissions = std::move(permissions);
  p.ip = "10.9.9.9";
  p.request_id = "req-1";
  return p;
}

class UsersTest : public testing::PlatformTest {
 protected:
  Principal sysadmin_ = Actor("sysadmin", {"user.read", "user.write"}, 1000);
  Principal secadmin_ = Actor("secadmin", {"role.read", "role.write"}, 1001);
};

TEST_P(UsersTest, CreateStoresAPolicyCheckedHashAndForcesAChange) {
  auto u = p_->users.Create(sysadmin_, {"Zhang.San", "张三", kPass, "caseworker", "421003", "13800000000"});
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->username, "zhang.san");
  EXPECT_EQ(u->display_name, "张三");
  EXPECT_EQ(u->role_name, "救助经办员");
  EXPECT_EQ(u->phone, "13800000000");
  EXPECT_TRUE(u->must_change_password);
  EXPECT_FALSE(u->disabled);
  EXPECT_EQ(u->version, 1);
  EXPECT_EQ(u->created_by, 1000);
  EXPECT_EQ(u->created_at, "2024-05-01T04:30:00.000Z");
  ASSERT_TRUE(p_->db().Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT password_hash, phone FROM users WHERE id = $1", {u->id}));
    EXPECT_TRUE(rows[0].Text(0).starts_with("$argon2id$"));
    EXPECT_TRUE(VerifyPassword(rows[0].Text(0), kPass));
    EXPECT_EQ(rows[0].Text(1).find("13800000000"), std::string::npos);  // encrypted
    return Status::Ok();
  }).ok());
  AuditQuery q;
  q.action = "user.create";
  auto rows = p_->audit->Search(q);
  ASSERT_EQ(rows->second, 1);
  EXPECT_EQ(rows->first[0].username, "sysadmin_user");
  EXPECT_EQ(rows->first[0].ip, "10.9.9.9");
  EXPECT_EQ(rows->first[0].request_id, "req-1");
  EXPECT_EQ(rows->first[0].object_id, std::to_string(u->id));
  // The detail is a JSON object naming what was set (the console shows it key by key).
  auto detail = nlohmann::json::parse(rows->first[0].detail, nullptr, false);
  ASSERT_TRUE(detail.is_object()) << rows->first[0].detail;
  EXPECT_EQ(detail.value("role", ""), "caseworker");
}

TEST_P(UsersTest, CreateRefusesBadInput) {
  auto create = [&](NewUser n) { return p_->users.Create(sysadmin_, n).status(); };
  EXPECT_EQ(create({"a", "名", kPass, "caseworker", "421003", ""}).error_code(), "auth.user.username");
  EXPECT_EQ(create({"张三", "名", kPass, "caseworker", "421003", ""}).error_code(), "auth.user.username");
  EXPECT_EQ(create({"zhangsan", "", kPass, "caseworker", "421003", ""}).error_code(), "auth.user.display_name");
  EXPECT_EQ(create({"zhangsan", "名", kPass, "caseworker", "42100", ""}).error_code(), "auth.user.division");
  EXPECT_EQ(create({"zhangsan", "名", kPass, "caseworker", "421003", "call me"}).error_code(), "auth.user.phone");
  EXPECT_EQ(create({"zhangsan", "名", kPass, "wizard", "421003", ""}).error_code(), "access.role.not_found");
  Status weak = create({"zhangsan", "名", "password", "caseworker", "421003", ""});
  EXPECT_EQ(weak.error_code(), "auth.password_policy");
  EXPECT_EQ(create({"zhangsan", "名", "Zhangsan#2024", "caseworker", "421003", ""}).ok(), true);
  Status dup = create({"ZHANGSAN", "名", kPass, "caseworker", "421003", ""});
  EXPECT_EQ(dup.error_code(), "auth.user.exists");
  EXPECT_EQ(dup.code(), Code::kConflict);
}

TEST_P(UsersTest, NamesMustBeUtf8AndShort) {
  auto u = p_->users.Create(sysadmin_, {"bytes", "坏\xff名", kPass, "caseworker", "421003", ""});
  EXPECT_EQ(u.status().error_code(), "auth.user.display_name");
  std::string long_name;
  for (int i = 0; i < 33; ++i) long_name += "长";
  u = p_->users.Create(sysadmin_, {"long", long_name, kPass, "caseworker", "421003", ""});
  EXPECT_EQ(u.status().error_code(), "auth.user.display_name");
  u = p_->users.Create(sysadmin_, {"long", long_name.substr(3), kPass, "caseworker", "421003", ""});  // 32
  EXPECT_TRUE(u.ok()) << u.status().ToString();
  auto r = p_->role_admin.Create(Actor("secadmin", {"role.write"}, 7), {"badname", "坏\xfe", "division", {}});
  EXPECT_EQ(r.status().error_code(), "access.role.name");
}

TEST_P(UsersTest, PasswordEqualToUsernameIsRefused) {
  Status s = p_->users.Create(sysadmin_, {"wang_2024.xy", "名", "WANG_2024.XY", "caseworker", "421003", ""}).status();
  EXPECT_EQ(s.error_code(), "auth.password_policy");
  EXPECT_NE(s.message().find("用户名"), std::string::npos);
}

TEST_P(UsersTest, AdminRolesNeedTheSecurityAdministrator) {
  // The system administrator manages accounts but cannot hand out administrator roles.
  Status s = p_->users.Create(sysadmin_, {"audit2", "审计员", kPass, "auditadmin", "4210", ""}).status();
  EXPECT_EQ(s.code(), Code::kForbidden);
  EXPECT_EQ(s.error_code(), "access.separation_of_duties");
  s = p_->users.Create(sysadmin_, {"sec2", "安全员", kPass, "secadmin", "4210", ""}).status();
  EXPECT_EQ(s.error_code(), "access.separation_of_duties");
  // ... and cannot change roles at all; the security administrator can, but cannot create accounts.
  int64_t id = p_->AddUser("staff", "caseworker", kPass);
  EXPECT_EQ(p_->users.SetRole(sysadmin_, id, "manager", 1).status().code(), Code::kForbidden);
  EXPECT_EQ(p_->users.Create(secadmin_, {"x2", "名", kPass, "caseworker", "4210", ""}).status().code(),
            Code::kForbidden);
  auto moved = p_->users.SetRole(secadmin_, id, "auditadmin", 1);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->role, "auditadmin");
  EXPECT_EQ(moved->version, 2);
  EXPECT_EQ(moved->updated_by, 1001);
  EXPECT_EQ(p_->users.SetRole(secadmin_, id, "wizard", 2).status().error_code(), "access.role.not_found");
  // Nobody changes his own role.
  Principal self = secadmin_;
  self.user_id = id;
  EXPECT_EQ(p_->users.SetRole(self, id, "secadmin", 2).status().error_code(), "auth.user.self");
  // The CLI actor (user id 0) may create administrators: that is how the first ones come to be.
  EXPECT_TRUE(p_->users.Create(SystemActor(), {"firstadmin", "管理员", kPass, "sysadmin", "4210", ""}).ok());
}

TEST_P(UsersTest, UpdatesUseOptimisticLocking) {
  int64_t id = p_->AddUser("lisi", "caseworker", kPass);
  auto first = p_->users.Update(sysadmin_, id, {"李四", "421002", "0716-1234567"}, 1);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->display_name, "李四");
  EXPECT_EQ(first->division_code, "421002");
  EXPECT_EQ(first->phone, "0716-1234567");
  EXPECT_EQ(first->version, 2);
  auto stale = p_->users.Update(sysadmin_, id, {"李四四", "421002", ""}, 1);
  EXPECT_EQ(stale.status().code(), Code::kConflict);
  EXPECT_EQ(stale.status().error_code(), "version_conflict");
  EXPECT_EQ(p_->users.Get(sysadmin_, id)->display_name, "李四");
  EXPECT_EQ(p_->users.Update(sysadmin_, 424242, {"某", "421002", ""}, 1).status().code(), Code::kNotFound);
}

TEST_P(UsersTest, DisableEnableAndResets) {
  int64_t id = p_->AddUser("wangwu", "caseworker", kPass);
  auto d = p_->users.Disable(sysadmin_, id, 1);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->disabled);
  auto e = p_->users.Enable(sysadmin_, id, d->version);
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE(e->disabled);
  EXPECT_EQ(p_->users.ResetPassword(sysadmin_, id, "weak", e->version).status().error_code(), "auth.password_policy");
  auto r = p_->users.ResetPassword(sysadmin_, id, "Reset#Pass22", e->version);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->must_change_password);
  auto login = p_->auth.Login("wangwu", "Reset#Pass22", "", "", "");
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(login->status, LoginStatus::kPasswordChangeRequired);
  auto t = p_->users.ResetTotp(sysadmin_, id, r->version);
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(t->totp_enabled);
  EXPECT_FALSE(p_->auth.Authenticate(login->token).ok());  // a reset ends the user's sessions

  // Nobody disables or resets his own account.
  Principal self = sysadmin_;
  self.user_id = id;
  EXPECT_EQ(p_->users.Disable(self, id, t->version).status().error_code(), "auth.user.self");
  EXPECT_EQ(p_->users.ResetPassword(self, id, "Reset#Pass33", t->version).status().error_code(), "auth.user.self");

  AuditQuery q;
  q.object_type = "user";
  q.object_id = std::to_string(id);
  auto rows = p_->audit->Search(q);
  std::vector<std::string> actions;
  for (const auto& row : rows->first) actions.push_back(row.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"user.reset_totp", "user.reset_password", "user.enable",
                                               "user.disable", "user.create"}));
}

TEST_P(UsersTest, ListFiltersAndPages) {
  for (int i = 0; i < 12; ++i) {
    p_->AddUser("cw" + std::to_string(i), i % 3 ? "caseworker" : "verifier", kPass, i < 6 ? "421003001" : "421002");
  }
  UserQuery q;
  q.size = 5;
  q.page = 3;
  auto page = p_->users.List(sysadmin_, q);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->second, 12);
  ASSERT_EQ(page->first.size(), 2u);
  EXPECT_EQ(page->first[0].username, "cw10");

  UserQuery verifiers;
  verifiers.role = "verifier";
  EXPECT_EQ(p_->users.List(sysadmin_, verifiers)->second, 4);  // 0, 3, 6, 9
  UserQuery county;
  county.division_code = "421003";
  EXPECT_EQ(p_->users.List(sysadmin_, county)->second, 6);
  UserQuery text;
  text.text = "cw1";
  EXPECT_EQ(p_->users.List(sysadmin_, text)->second, 3);  // cw1, cw10, cw11
  UserQuery wildcard;
  wildcard.text = "_";
  EXPECT_EQ(p_->users.List(sysadmin_, wildcard)->second, 0);  // '_' is literal, not LIKE's any-character
  ASSERT_TRUE(p_->users.Disable(sysadmin_, page->first[0].id, 1).ok());
  UserQuery disabled;
  disabled.disabled = true;
  EXPECT_EQ(p_->users.List(sysadmin_, disabled)->second, 1);
  UserQuery bad;
  bad.size = 0;
  EXPECT_EQ(p_->users.List(sysadmin_, bad).status().error_code(), "auth.user.page");
  EXPECT_EQ(p_->users.List(Actor("caseworker", {"registry.person.read"}, 5), q).status().code(), Code::kForbidden);
}

DOUDI_PLATFORM_DIALECTS(UsersTest);

}  // namespace
}  // namespace doudi::platform
