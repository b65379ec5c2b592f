// Households at the service level: members with relation names, one household per person, head rules,
// member add/remove, scope and versions.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "registry/json.h"
#include "registry/test_support.h"

namespace doudi::registry {
namespace {

using testing::MakeId;
using testing::RegistryTest;

class HouseholdTest : public RegistryTest {
 protected:
  int64_t AddPerson(const platform::Principal& who, const std::string& name, const std::string& division, int seq) {
    auto p = svc_->CreatePerson(who, Sample(name, division, MakeId(division.substr(0, 6), "19800101", seq)));
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? p->id : 0;
  }
};

const MemberView* FindMember(const Household& h, int64_t person_id) {
  for (const auto& m : h.members) {
    if (m.person_id == person_id) return &m;
  }
  return nullptr;
}

TEST_P(HouseholdTest, CreateWithMembersShowsRelationNamesAndMaskedSummaries) {
  int64_t head = AddPerson(city_, "户主甲", "421003001", 1);
  int64_t wife = AddPerson(city_, "妻子乙", "421003001", 2);
  int64_t son = AddPerson(city_, "儿子丙", "421003001", 3);
  NewHousehold h;
  h.head_person_id = head;
  h.urban_rural = "rural";
  h.division_code = "421003100";
  h.address = "纪南镇某村 3 组";
  h.members = {{wife, "12"}, {son, "22"}};  // 妻, 长子; the head is added as 02 户主
  auto created = svc_->CreateHousehold(city_, h);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->member_count, 3);
  ASSERT_EQ(created->members.size(), 3u);
  EXPECT_EQ(FindMember(*created, head)->relation, "02");
  EXPECT_EQ(FindMember(*created, wife)->relation, "12");
  EXPECT_EQ(created->head_name, "户主甲");

  auto got = svc_->GetHousehold(city_, created->id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  nlohmann::json j = HouseholdJson(*got, Divisions::Default(), "2025-06-01");
  ASSERT_EQ(j["members"].size(), 3u);
  std::map<int64_t, nlohmann::json> by_id;
  for (const auto& m : j["members"]) by_id[m["person_id"].get<int64_t>()] = m;
  EXPECT_EQ(by_id[head]["relation_name"], "户主");
  EXPECT_EQ(by_id[wife]["relation_name"], "妻");
  EXPECT_EQ(by_id[son]["relation_name"], "长子");
  EXPECT_EQ(by_id[son]["name"], "儿子丙");
  EXPECT_EQ(by_id[son]["age"], 45);
  const std::string son_id = MakeId("421003", "19800101", 3);
  EXPECT_EQ(by_id[son]["id_number"], son_id.substr(0, 4) + "**********" + son_id.substr(14));
  EXPECT_EQ(j["urban_rural_name"], "农村");

  // Each member's person record now points at the household.
  EXPECT_EQ(svc_->GetPerson(city_, son)->household_id, created->id);
  EXPECT_EQ(AuditRows("registry.household.create", std::to_string(created->id)).size(), 1u);
}

TEST_P(HouseholdTest, APersonBelongsToOneHouseholdOnly) {
  int64_t a = AddPerson(city_, "甲", "421003001", 1);
  int64_t b = AddPerson(city_, "乙", "421003001", 2);
  int64_t c = AddPerson(city_, "丙", "421003001", 3);
  NewHousehold h1;
  h1.head_person_id = a;
  h1.urban_rural = "urban";
  h1.division_code = "421003001";
  h1.members = {{b, "10"}};
  auto first = svc_->CreateHousehold(city_, h1);
  ASSERT_TRUE(first.ok()) << first.status().ToString();

  NewHousehold h2 = h1;
  h2.head_person_id = c;
  h2.members = {{b, "70"}};
  auto second = svc_->CreateHousehold(city_, h2);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kConflict);
  EXPECT_EQ(second.status().error_code(), "registry.household.member_exists");
  bool names_household = false;
  for (const auto& d : second.status().details()) {
    if (d.field == "existing_household_id") names_household = d.message == std::to_string(first->id);
  }
  EXPECT_TRUE(names_household);
  EXPECT_EQ(CountRows("SELECT count(*) FROM households"), 1);

  // Adding b to a second household through AddMember is refused too.
  NewHousehold h3 = h1;
  h3.head_person_id = c;
  h3.members = {};
  auto third = svc_->CreateHousehold(city_, h3);
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  auto add = svc_->AddMember(city_, third->id, {b, "70"});
  EXPECT_EQ(add.status().error_code(), "registry.household.member_exists");
  // And the database itself holds the rule (UNIQUE person_id), whatever the service does.
  Status raw = db_->Write([&](db::Conn& conn) -> Status {
    return conn.Exec("INSERT INTO household_members (household_id, person_id, relation) VALUES ($1, $2, '70')",
                     {third->id, b})
        .status();
  });
  EXPECT_EQ(raw.code(), Code::kConflict);
  EXPECT_EQ(CountRows("SELECT count(*) FROM household_members WHERE person_id = " + std::to_string(b)), 1);
}

TEST_P(HouseholdTest, HeadRulesAndMemberChanges) {
  int64_t a = AddPerson(city_, "甲", "421003001", 1);
  int64_t b = AddPerson(city_, "乙", "421003001", 2);
  int64_t c = AddPerson(city_, "丙", "421003001", 3);
  NewHousehold h;
  h.head_person_id = a;
  h.urban_rural = "urban";
  h.division_code = "421003001";
  h.members = {{a, "30"}};  // the head related to themself as 女: wrong
  EXPECT_EQ(svc_->CreateHousehold(city_, h).status().error_code(), "registry.household.head_relation");
  h.members = {{b, "02"}};  // a second 户主
  EXPECT_EQ(svc_->CreateHousehold(city_, h).status().error_code(), "registry.household.second_head");
  h.members = {{b, "99x"}};
  EXPECT_EQ(svc_->CreateHousehold(city_, h).status().error_code(), "registry.relation.invalid");
  h.members = {{b, "10"}};
  h.urban_rural = "suburb";
  EXPECT_EQ(svc_->CreateHousehold(city_, h).status().error_code(), "registry.urban_rural.invalid");
  h.urban_rural = "urban";
  auto created = svc_->CreateHousehold(city_, h);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->version, 1);

  auto added = svc_->AddMember(city_, created->id, {c, "20"});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->member_count, 3);
  EXPECT_EQ(added->version, 2);
  EXPECT_EQ(svc_->AddMember(city_, created->id, {c, "20"}).status().error_code(), "registry.household.already_member");

  EXPECT_EQ(svc_->RemoveMember(city_, created->id, a).status().error_code(), "registry.household.remove_head");
  auto removed = svc_->RemoveMember(city_, created->id, c);
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(removed->member_count, 2);
  EXPECT_EQ(FindMember(*removed, c), nullptr);
  EXPECT_EQ(svc_->RemoveMember(city_, created->id, c).status().code(), Code::kNotFound);

  // Changing the head needs the new member list; with it, relations are to the new head.
  HouseholdFields f;
  f.head_person_id = b;
  auto no_members = svc_->UpdateHousehold(city_, created->id, removed->version, f, {"head_person_id"}, std::nullopt);
  EXPECT_EQ(no_members.status().error_code(), "registry.household.members_required");
  std::vector<Member> members = {{b, "02"}, {a, "10"}};
  auto changed = svc_->UpdateHousehold(city_, created->id, removed->version, f, {"head_person_id"}, members);
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(changed->head_person_id, b);
  EXPECT_EQ(FindMember(*changed, a)->relation, "10");
  EXPECT_EQ(FindMember(*changed, b)->relation, "02");
  EXPECT_EQ(changed->version, removed->version + 1);

  auto stale = svc_->UpdateHousehold(city_, created->id, removed->version, f, {"address"}, std::nullopt);
  EXPECT_EQ(stale.status().error_code(), "version_conflict");
  auto rows = AuditRows("registry.household.update", std::to_string(created->id));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(rows[0].detail.find("members"), std::string::npos);
  EXPECT_NE(rows[0].detail.find("head_person_id"), std::string::npos);
}

TEST_P(HouseholdTest, ScopeAppliesToHouseholdsAndTheirMembers) {
  int64_t mine = AddPerson(jingzhou_, "荆州人", "421003001", 1);
  int64_t theirs = AddPerson(shashi_, "沙市人", "421002001", 3);
  NewHousehold h;
  h.head_person_id = mine;
  h.urban_rural = "urban";
  h.division_code = "421003001";
  h.members = {{theirs, "10"}};  // a person the county user cannot see
  EXPECT_EQ(svc_->CreateHousehold(jingzhou_, h).status().code(), Code::kNotFound);
  h.members = {};
  auto created = svc_->CreateHousehold(jingzhou_, h);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(svc_->GetHousehold(shashi_, created->id).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->AddMember(shashi_, created->id, {theirs, "10"}).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->SearchHouseholds(shashi_, {})->total, 0);
  EXPECT_EQ(svc_->SearchHouseholds(jingzhou_, {})->total, 1);
  HouseholdQuery q;
  q.urban_rural = "rural";
  EXPECT_EQ(svc_->SearchHouseholds(city_, q)->total, 0);
  q.urban_rural = "urban";
  q.division = "421003";
  auto found = svc_->SearchHouseholds(city_, q);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->total, 1);
  EXPECT_EQ(found->items[0].member_count, 1);
  EXPECT_EQ(found->items[0].head_name, "荆州人");
}

INSTANTIATE_TEST_SUITE_P(Db, HouseholdTest, ::testing::ValuesIn(db::TestDialects()),
                         [](const auto& info) { return db::DialectName(info.param); });

}  // namespace
}  // namespace doudi::registry
