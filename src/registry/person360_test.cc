// Person 360°: the person (masked), the household with members, registered sections, and a failing section
// shown as {"error": ...} without failing the page.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "registry/person360.h"
#include "registry/test_support.h"

namespace doudi::registry {
namespace {

using testing::MakeId;
using testing::RegistryTest;

class Person360Test : public RegistryTest {
 protected:
  void TearDown() override {
    UnregisterPerson360Section("test_assistance");
    UnregisterPerson360Section("test_broken");
    RegistryTest::TearDown();
  }
};

TEST_P(Person360Test, PersonHouseholdAndSections) {
  const std::string id = MakeId("421003", "19800101", 1);
  auto head = svc_->CreatePerson(city_, Sample("户主", "421003001", id));
  auto child = svc_->CreatePerson(city_, Sample("孩子", "421003001", MakeId("421003", "20150101", 2)));
  ASSERT_TRUE(head.ok() && child.ok());
  NewHousehold h;
  h.head_person_id = head->id;
  h.urban_rural = "urban";
  h.division_code = "421003001";
  h.members = {{child->id, "32"}};  // 长女
  auto household = svc_->CreateHousehold(city_, h);
  ASSERT_TRUE(household.ok()) << household.status().ToString();

  int64_t seen_person = 0;
  std::string seen_user;
  RegisterPerson360Section("test_assistance", [&](int64_t person_id, const platform::Principal& who)
                                                  -> Result<nlohmann::json> {
    seen_person = person_id;
    seen_user = who.username;
    return nlohmann::json{{"programs", nlohmann::json::array({"dibao"})}};
  });
  RegisterPerson360Section("test_broken", [](int64_t, const platform::Principal&) -> Result<nlohmann::json> {
    return Status::Unavailable("test.down", "救助模块暂不可用");
  });

  auto page = svc_->Person360(city_, head->id);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  const nlohmann::json& j = *page;
  EXPECT_EQ(j["person"]["name"], "户主");
  EXPECT_EQ(j["person"]["id_number"], id.substr(0, 4) + "**********" + id.substr(14));
  EXPECT_EQ(j["person"]["id_number_masked"], true);
  EXPECT_EQ(j["household"]["id"], household->id);
  ASSERT_EQ(j["household"]["members"].size(), 2u);
  bool child_listed = false;
  for (const auto& m : j["household"]["members"]) {
    if (m["person_id"] == child->id) child_listed = m["relation_name"] == "长女" && m["age"] == 10;
  }
  EXPECT_TRUE(child_listed);
  EXPECT_EQ(j["sections"]["test_assistance"]["programs"][0], "dibao");
  EXPECT_EQ(seen_person, head->id);
  EXPECT_EQ(seen_user, "user1");
  EXPECT_EQ(j["sections"]["test_broken"]["error"], "救助模块暂不可用");
  // The 360 page is a view of the person's details: audited.
  EXPECT_EQ(AuditRows("registry.person.view", std::to_string(head->id)).size(), 1u);

  // Out of scope: no page and no section runs.
  seen_person = 0;
  EXPECT_EQ(svc_->Person360(shashi_, head->id).status().code(), Code::kNotFound);
  EXPECT_EQ(seen_person, 0);

  // Without a household: null.
  auto alone = svc_->CreatePerson(city_, Sample("独居", "421003001", ""));
  ASSERT_TRUE(alone.ok());
  auto alone_page = svc_->Person360(city_, alone->id);
  ASSERT_TRUE(alone_page.ok());
  EXPECT_TRUE((*alone_page)["household"].is_null());
}

INSTANTIATE_TEST_SUITE_P(Db, Person360Test, ::testing::ValuesIn(db::TestDialects()),
                         [](const auto& info) { return db::DialectName(info.param); });

}  // namespace
}  // namespace doudi::registry
