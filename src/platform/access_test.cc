// Tests of the permission catalogue, the built-in roles, RoleDirectory and RolesService.
#include <gtest/gtest.h>

#include "platform/access.h"
#include "platform/permissions.h"
#include "platform/roles.h"
#include "platform/testing.h"

namespace doudi::platform {
namespace {

using Perms = std::vector<std::string>;

Principal Actor(const std::string& role, std::unordered_set<std::string> permissions, int64_t id = 99) {
  Principal p;
  p.user_id = id;
  p.username = role + "_user";
  p.role = role;
  p.permissions = std::move(permissions);
  return p;
}

const Principal kSecAdmin = Actor("secadmin", {"role.read", "role.write", "dict.write"});

TEST(Permissions, CatalogueIsUniqueAndNamed) {
  std::set<std::string_view> seen;
  for (const auto& p : AllPermissions()) {
    EXPECT_TRUE(seen.insert(p.code).second) << p.code;
    EXPECT_FALSE(p.name.empty()) << p.code;
  }
  EXPECT_EQ(FindPermission("audit.read")->duty, Duty::kAuditAdmin);
  EXPECT_EQ(FindPermission("nope"), nullptr);
}

TEST(Permissions, DutyOfRefusesMixingAndUnknowns) {
  EXPECT_EQ(*DutyOf({}), Duty::kBusiness);
  EXPECT_EQ(*DutyOf({"registry.person.read", "pii.reveal"}), Duty::kBusiness);
  EXPECT_EQ(*DutyOf({"role.read", "dict.write"}), Duty::kSecurityAdmin);
  for (const Perms& mixed : {Perms{"user.write", "registry.person.read"}, Perms{"user.read", "audit.read"},
                             Perms{"role.write", "user.write"}, Perms{"audit.read", "pii.reveal"}}) {
    auto d = DutyOf(mixed);
    ASSERT_FALSE(d.ok()) << mixed[0] << "+" << mixed[1];
    EXPECT_EQ(d.status().error_code(), "access.separation_of_duties");
    EXPECT_NE(d.status().message().find("三员分立"), std::string::npos);
  }
  EXPECT_EQ(DutyOf({"registry.person.fly"}).status().error_code(), "access.permission.unknown");
}

class RolesTest : public testing::PlatformTest {
 protected:
};

TEST_P(RolesTest, BuiltinRolesAreSeededAsSpecified) {
  auto all = p_->roles.All();
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  std::map<std::string, std::shared_ptr<const Role>> by_code;
  for (const auto& r : *all) by_code[r->code] = r;
  for (const char* code : {"sysadmin", "secadmin", "auditadmin", "caseworker", "verifier", "rescue_staff",
                           "hotline_operator", "child_worker", "institution_supervisor", "manager"}) {
    ASSERT_TRUE(by_code.count(code)) << code;
    EXPECT_TRUE(by_code[code]->builtin);
    // Every seeded grant is in the catalogue and one duty (the migration and permissions.cc agree).
    EXPECT_TRUE(DutyOf(by_code[code]->permissions).ok()) << code;
  }
  EXPECT_EQ(by_code["sysadmin"]->permissions, (Perms{"user.read", "user.write"}));
  EXPECT_EQ(by_code["secadmin"]->permissions, (Perms{"dict.write", "role.read", "role.write"}));
  EXPECT_EQ(by_code["auditadmin"]->permissions, (Perms{"audit.read"}));
  EXPECT_EQ(by_code["sysadmin"]->name, "系统管理员");
  EXPECT_EQ(by_code["hotline_operator"]->name, "12349热线接线员");
  EXPECT_EQ(by_code["sysadmin"]->duty, Duty::kSystemAdmin);
  EXPECT_EQ(by_code["secadmin"]->duty, Duty::kSecurityAdmin);
  EXPECT_EQ(by_code["auditadmin"]->duty, Duty::kAuditAdmin);
  for (const auto& [code, role] : by_code) {
    if (role->is_admin()) continue;
    EXPECT_EQ(role->scope, code == "manager" ? ScopeKind::kAll : ScopeKind::kDivision) << code;
    EXPECT_TRUE(role->permission_set.count("registry.person.read")) << code;
  }
  EXPECT_TRUE(by_code["manager"]->permission_set.count("stats.read"));
  EXPECT_FALSE(by_code["manager"]->permission_set.count("pii.reveal"));
  EXPECT_TRUE(by_code["caseworker"]->permission_set.count("pii.reveal"));
  EXPECT_EQ(p_->roles.Find("ghost").status().error_code(), "access.role.not_found");
}

TEST_P(RolesTest, SecurityAdminCreatesAndUpdatesCustomRoles) {
  auto created = p_->role_admin.Create(kSecAdmin, {"street_team", "街面巡查队员", "own", {"rescue.write", "rescue.read"}});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ((*created)->permissions, (Perms{"rescue.read", "rescue.write"}));
  EXPECT_EQ((*created)->scope, ScopeKind::kOwn);
  EXPECT_FALSE((*created)->builtin);
  EXPECT_EQ((*created)->version, 1);

  auto updated =
      p_->role_admin.Update(kSecAdmin, "street_team", {"", "街面巡查员", "division", {"rescue.read"}}, 1);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ((*updated)->name, "街面巡查员");
  EXPECT_EQ((*updated)->permissions, (Perms{"rescue.read"}));
  EXPECT_EQ((*updated)->version, 2);
  // A second update from the same stale read is a conflict.
  auto stale = p_->role_admin.Update(kSecAdmin, "street_team", {"", "街面巡查员", "division", {}}, 1);
  EXPECT_EQ(stale.status().error_code(), "version_conflict");
  EXPECT_EQ(stale.status().code(), Code::kConflict);

  // Builtin business roles may be tuned too.
  auto tuned = p_->role_admin.Update(kSecAdmin, "verifier", {"", "核对员", "division", {"verify.read", "verify.write"}},
                                    (*p_->roles.Find("verifier"))->version);
  ASSERT_TRUE(tuned.ok()) << tuned.status().ToString();

  AuditQuery q;
  q.object_type = "role";
  auto rows = p_->audit->Search(q);
  ASSERT_EQ(rows->second, 3);
  EXPECT_EQ(rows->first[1].action, "role.update");
  EXPECT_EQ(rows->first[1].object_id, "street_team");
  EXPECT_NE(rows->first[1].detail.find("\"removed\":[\"rescue.write\"]"), std::string::npos) << rows->first[1].detail;
  EXPECT_EQ(rows->first[2].action, "role.create");
  EXPECT_EQ(rows->first[2].username, "secadmin_user");
}

TEST_P(RolesTest, InvalidRolesAreRefusedWithReasons) {
  auto r = p_->role_admin.Create(kSecAdmin, {"Bad Code", "名称", "division", {}});
  EXPECT_EQ(r.status().error_code(), "access.role.code");
  r = p_->role_admin.Create(kSecAdmin, {"caseworker", "另一个名称", "division", {}});
  EXPECT_EQ(r.status().error_code(), "access.role.exists");
  r = p_->role_admin.Create(kSecAdmin, {"other", "救助经办员", "division", {}});
  EXPECT_EQ(r.status().error_code(), "access.role.exists");
  r = p_->role_admin.Create(kSecAdmin, {"other", "名称", "county", {}});
  EXPECT_EQ(r.status().error_code(), "access.role.scope");
  r = p_->role_admin.Create(kSecAdmin, {"other", "", "division", {}});
  EXPECT_EQ(r.status().error_code(), "access.role.name");
  r = p_->role_admin.Create(kSecAdmin, {"other", "名称", "division", {"registry.person.fly"}});
  EXPECT_EQ(r.status().error_code(), "access.permission.unknown");
}

TEST_P(RolesTest, SeparationOfDutiesIsEnforced) {
  // No role mixes administration with business work, or two administrators' work.
  auto mixed = p_->role_admin.Create(kSecAdmin, {"super", "超级管理员", "all", {"user.write", "registry.person.read"}});
  EXPECT_EQ(mixed.status().error_code(), "access.separation_of_duties");
  mixed = p_->role_admin.Create(kSecAdmin, {"super", "超级管理员", "all", {"role.write", "audit.read"}});
  EXPECT_EQ(mixed.status().error_code(), "access.separation_of_duties");

  // The three built-in administrator roles cannot be changed, not even within their duty.
  for (const char* code : {"sysadmin", "secadmin", "auditadmin"}) {
    auto role = p_->roles.Find(code);
    auto r = p_->role_admin.Update(kSecAdmin, code, {"", (*role)->name, "all", {"registry.person.read"}},
                                  (*role)->version);
    EXPECT_EQ(r.status().error_code(), "access.role.builtin_admin") << code;
    EXPECT_EQ(r.status().code(), Code::kForbidden);
  }
  EXPECT_EQ((*p_->roles.Find("auditadmin"))->permissions, (Perms{"audit.read"}));

  // A custom administrator role cannot take business permissions, and no role changes duty.
  auto auditors = p_->role_admin.Create(kSecAdmin, {"audit_viewer", "审计查询员", "all", {"audit.read"}});
  ASSERT_TRUE(auditors.ok()) << auditors.status().ToString();
  auto r = p_->role_admin.Update(kSecAdmin, "audit_viewer", {"", "审计查询员", "all", {"audit.read", "pii.reveal"}}, 1);
  EXPECT_EQ(r.status().error_code(), "access.separation_of_duties");
  r = p_->role_admin.Update(kSecAdmin, "audit_viewer", {"", "审计查询员", "all", {"registry.person.read"}}, 1);
  EXPECT_EQ(r.status().error_code(), "access.separation_of_duties");
  auto cw = p_->roles.Find("caseworker");
  r = p_->role_admin.Update(kSecAdmin, "caseworker", {"", "救助经办员", "division", {"user.read"}}, (*cw)->version);
  EXPECT_EQ(r.status().error_code(), "access.separation_of_duties");
  EXPECT_TRUE((*p_->roles.Find("caseworker"))->permission_set.count("pii.reveal"));
}

TEST_P(RolesTest, OnlyTheSecurityAdministratorManagesRoles) {
  Principal sysadmin = Actor("sysadmin", {"user.read", "user.write"});
  Principal caseworker = Actor("caseworker", {"registry.person.read"});
  auto r = p_->role_admin.Create(sysadmin, {"x1", "某角色", "division", {}});
  EXPECT_EQ(r.status().code(), Code::kForbidden);
  EXPECT_EQ(r.status().error_code(), "auth.forbidden");
  EXPECT_NE(r.status().message().find("管理角色与权限"), std::string::npos) << r.status().message();
  EXPECT_EQ(p_->role_admin.List(caseworker).status().code(), Code::kForbidden);
  auto auditor = Actor("auditadmin", {"audit.read"});
  EXPECT_EQ(p_->role_admin.Get(auditor, "caseworker").status().code(), Code::kForbidden);
  auto listed = p_->role_admin.List(Actor("secadmin", {"role.read"}));
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 10u);
  EXPECT_TRUE(listed->front()->builtin);
}

TEST_P(RolesTest, DeleteOnlyUnusedCustomRoles) {
  ASSERT_TRUE(p_->role_admin.Create(kSecAdmin, {"temp_role", "临时角色", "division", {"job.read"}}).ok());
  p_->AddUser("temp1", "temp_role", "Initial#Pass1");
  EXPECT_EQ(p_->role_admin.Delete(kSecAdmin, "temp_role", 1).error_code(), "access.role.in_use");
  EXPECT_EQ(p_->role_admin.Delete(kSecAdmin, "caseworker", 1).error_code(), "access.role.builtin");
  ASSERT_TRUE(p_->role_admin.Create(kSecAdmin, {"temp_two", "临时角色二", "division", {}}).ok());
  EXPECT_EQ(p_->role_admin.Delete(kSecAdmin, "temp_two", 7).error_code(), "version_conflict");
  ASSERT_TRUE(p_->role_admin.Delete(kSecAdmin, "temp_two", 1).ok());
  EXPECT_EQ(p_->roles.Find("temp_two").status().code(), Code::kNotFound);
}

TEST_P(RolesTest, DirectoryReloadsAfterItsMaxAge) {
  // A change written by another process (here: straight SQL) shows once the cache is a minute old.
  ASSERT_TRUE(p_->roles.Find("verifier").ok());
  ASSERT_TRUE(p_->db().Write([](db::Conn& c) {
    return c.Exec("INSERT INTO role_permissions (role, permission) VALUES ('verifier', 'stats.read')").status();
  }).ok());
  EXPECT_FALSE((*p_->roles.Find("verifier"))->permission_set.count("stats.read"));
  p_->Advance(std::chrono::seconds(61));
  EXPECT_TRUE((*p_->roles.Find("verifier"))->permission_set.count("stats.read"));
}

DOUDI_PLATFORM_DIALECTS(RolesTest);

}  // namespace
}  // namespace doudi::platform
