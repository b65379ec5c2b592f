// Who sees what: data scope by division (a county user gets 404 for another county's person, exactly like a
// missing one), township scope, the city-wide manager, and roles without a permission getting 403.
#include "suite.h"

namespace doudi::testing {
namespace {

class AccessTest : public ApiTest<AccessTest> {
 protected:
  std::string PersonPath(int64_t id, const std::string& rest = "") {
    return "/api/v1/registry/persons/" + std::to_string(id) + rest;
  }
};

TEST_P(AccessTest, ACountyUserGets404ForAnotherCountysPersonLikeForAMissingOne) {
  Account& shashi = Shared("caseworker", "421002");
  Account& jingzhou = Shared("caseworker", "421003");
  Account& manager = Shared("manager", "4210");
  ASSERT_TRUE(shashi.ok && jingzhou.ok && manager.ok);
  std::string id_number = NewIdNumber("421002");
  std::string name = "沙市" + UniqueName("p");
  int64_t id = CreatePerson(shashi.client, PersonBody(name, "421002", id_number, NewPhone()));
  ASSERT_GT(id, 0);
  ASSERT_TRUE(IsOk(shashi.client.Get(PersonPath(id))));

  HttpResult foreign = jingzhou.client.Get(PersonPath(id));
  HttpResult missing = jingzhou.client.Get(PersonPath(id + 1000000));
  ASSERT_EQ(foreign.status, 404) << foreign.body;
  ASSERT_EQ(missing.status, 404) << missing.body;
  EXPECT_EQ(foreign.error_code(), missing.error_code());
  EXPECT_TRUE(IsError(foreign, 404, missing.error_code()));
  EXPECT_EQ(foreign.json()["error"]["message"], missing.json()["error"]["message"])
      << "the answer for another county's person differs from the one for a missing person";
  EXPECT_EQ(foreign.body.find(name), std::string::npos);

  // Nor can it be changed, revealed, or seen through the 360 view, the search or a household.
  EXPECT_EQ(jingzhou.client.Put(PersonPath(id), {{"name", "改名"}, {"version", 1}}).status, 404);
  EXPECT_EQ(jingzhou.client.Post(PersonPath(id, "/reveal"), {{"purpose", "核对低保申请"}, {"fields", {"id_number"}}})
                .status,
            404);
  EXPECT_EQ(jingzhou.client.Get(PersonPath(id, "/360")).status, 404);
  HttpResult by_number = jingzhou.client.Get("/api/v1/registry/persons?id_number=" + id_number);
  ASSERT_EQ(by_number.status, 200) << by_number.body;
  EXPECT_EQ(by_number.json().value("total", -1), 0);
  EXPECT_EQ(CountPersons(jingzhou.client, name), 0);
  HttpResult household = jingzhou.client.Post(
      "/api/v1/registry/households", {{"head_person_id", id}, {"urban_rural", "urban"}, {"division_code", "421003"}});
  EXPECT_GE(household.status, 400) << household.body;
  EXPECT_LT(household.status, 500) << household.body;

  // Unchanged, and the city-wide manager sees it.
  HttpResult own = shashi.client.Get(PersonPath(id));
  EXPECT_EQ(PersonOf(own).value("name", ""), name);
  EXPECT_EQ(PersonOf(own).value("version", 0), 1);
  EXPECT_EQ(PersonOf(own).value("household_id", nlohmann::json()), nullptr);
  EXPECT_TRUE(IsOk(manager.client.Get(PersonPath(id))));
  EXPECT_EQ(CountPersons(manager.client, name), 1);
}

TEST_P(AccessTest, NobodyRegistersAPersonOutsideTheirOwnScope) {
  Account& jingzhou = Shared("caseworker", "421003");
  Account& manager = Shared("manager", "4210");
  ASSERT_TRUE(jingzhou.ok && manager.ok);
  std::string name = "越权" + UniqueName("p");
  HttpResult r = jingzhou.client.Post("/api/v1/registry/persons", PersonBody(name, "421002", NewIdNumber("421002")));
  EXPECT_TRUE(IsError(r, 403, "registry.scope.outside"));
  EXPECT_EQ(CountPersons(manager.client, name), 0) << "a refused create wrote a person";
}

TEST_P(AccessTest, ATownshipUserSeesOnlyTheirTownship) {
  Account& jingzhou = Shared("caseworker", "421003");
  Account xicheng = SignIn(server(), "caseworker", "421003001");  // 西城街道
  ASSERT_TRUE(jingzhou.ok && xicheng.ok);
  std::string prefix = "乡镇" + UniqueName("p");
  int64_t inside = CreatePerson(jingzhou.client, PersonBody(prefix + "甲", "421003001", NewIdNumber("421003")));
  int64_t next_door = CreatePerson(jingzhou.client, PersonBody(prefix + "乙", "421003002", NewIdNumber("421003")));
  ASSERT_GT(inside, 0);
  ASSERT_GT(next_door, 0);
  EXPECT_TRUE(IsOk(xicheng.client.Get(PersonPath(inside))));
  EXPECT_EQ(xicheng.client.Get(PersonPath(next_door)).status, 404);
  EXPECT_EQ(CountPersons(xicheng.client, prefix), 1);
  EXPECT_EQ(CountPersons(jingzhou.client, prefix), 2);
  // A township user cannot register at county level either: 421003 is wider than 421003001.
  EXPECT_TRUE(IsError(xicheng.client.Post("/api/v1/registry/persons", PersonBody(prefix + "丙", "421003")), 403,
                      "registry.scope.outside"));
}

TEST_P(AccessTest, HouseholdsFollowTheSameScope) {
  Account& shashi = Shared("caseworker", "421002");
  Account& jingzhou = Shared("caseworker", "421003");
  ASSERT_TRUE(shashi.ok && jingzhou.ok);
  int64_t head = CreatePerson(shashi.client, PersonBody("户主" + UniqueName("h"), "421002", NewIdNumber("421002")));
  ASSERT_GT(head, 0);
  HttpResult h = shashi.client.Post("/api/v1/registry/households",
                                    {{"head_person_id", head}, {"urban_rural", "urban"}, {"division_code", "421002"},
                                     {"address", "沙市区北京中路1号"}});
  ASSERT_TRUE(IsOk(h));
  int64_t hid = h.json().value("id", int64_t{0});
  if (h.json().contains("household")) hid = h.json()["household"].value("id", int64_t{0});
  ASSERT_GT(hid, 0) << h.body;
  std::string path = "/api/v1/registry/households/" + std::to_string(hid);
  EXPECT_TRUE(IsOk(shashi.client.Get(path)));
  EXPECT_EQ(jingzhou.client.Get(path).status, 404);
  EXPECT_EQ(jingzhou.client.Put(path, {{"address", "改"}, {"version", 1}}).status, 404);
  HttpResult list = jingzhou.client.Get("/api/v1/registry/households?division=421002");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json().value("total", -1), 0);
}

TEST_P(AccessTest, RolesWithoutAPermissionGet403AndWriteNothing) {
  Account& shashi = Shared("caseworker", "421002");
  Account hotline = SignIn(server(), "hotline_operator", "421002");
  Account supervisor = SignIn(server(), "institution_supervisor", "421002");
  Account verifier = SignIn(server(), "verifier", "421002");
  Account& manager = Shared("manager", "4210");
  ASSERT_TRUE(shashi.ok && hotline.ok && supervisor.ok && verifier.ok && manager.ok);
  std::string phone = NewPhone();
  std::string id_number = NewIdNumber("421002");
  int64_t id = CreatePerson(shashi.client, PersonBody("求助人" + UniqueName("p"), "421002", id_number, phone));
  ASSERT_GT(id, 0);
  nlohmann::json reveal = {{"purpose", "热线回访核实身份"}, {"fields", {"id_number", "phone"}}};

  for (Account* a : {&hotline, &supervisor, &manager}) {
    SCOPED_TRACE(a->role);
    EXPECT_TRUE(IsOk(a->client.Get(PersonPath(id))));  // all three may read persons
    std::string name = "无权" + UniqueName("p");
    EXPECT_TRUE(IsError(a->client.Post("/api/v1/registry/persons", PersonBody(name, "421002")), 403, "auth.forbidden"));
    EXPECT_EQ(CountPersons(manager.client, name), 0);
    HttpResult r = a->client.Post(PersonPath(id, "/reveal"), reveal);
    EXPECT_TRUE(IsError(r, 403, "auth.forbidden"));
    EXPECT_EQ(r.body.find(id_number), std::string::npos);
    EXPECT_TRUE(IsError(a->client.Put(PersonPath(id), {{"name", "改名"}, {"version", 1}}), 403, "auth.forbidden"));
  }
  // Households are not the hotline's or the supervisor's business.
  EXPECT_TRUE(IsError(hotline.client.Get("/api/v1/registry/households"), 403, "auth.forbidden"));
  EXPECT_TRUE(IsError(supervisor.client.Get("/api/v1/registry/households"), 403, "auth.forbidden"));
  // The verifier reads and may reveal (pii.reveal) but not write.
  HttpResult revealed = verifier.client.Post(PersonPath(id, "/reveal"), reveal);
  ASSERT_TRUE(IsOk(revealed));
  EXPECT_EQ(revealed.json().value("id_number", ""), id_number);
  EXPECT_EQ(revealed.json().value("phone", ""), phone);
  EXPECT_TRUE(IsError(verifier.client.Post("/api/v1/registry/persons", PersonBody("核对", "421002")), 403,
                      "auth.forbidden"));
  // Nothing changed.
  EXPECT_EQ(PersonOf(shashi.client.Get(PersonPath(id))).value("version", 0), 1);
}

TEST_P(AccessTest, TheCityWideManagerSeesEveryCountyInTheStatistics) {
  Account& manager = Shared("manager", "4210");
  Account& jingzhou = Shared("caseworker", "421003");
  ASSERT_TRUE(manager.ok && jingzhou.ok);
  ASSERT_GT(CreatePerson(jingzhou.client, PersonBody("统计" + UniqueName("p"), "421003", NewIdNumber("421003"))), 0);
  HttpResult mine = jingzhou.client.Get("/api/v1/registry/stats");
  HttpResult all = manager.client.Get("/api/v1/registry/stats");
  ASSERT_TRUE(IsOk(mine));
  ASSERT_TRUE(IsOk(all));
  auto counties = mine.json()["by_county"];
  EXPECT_EQ(counties.size(), 1u) << mine.body;
  for (const auto& c : counties) EXPECT_EQ(c.value("county", ""), "421003") << mine.body;
  auto all_persons = QueryInt(server(), "SELECT COUNT(*) FROM persons");
  ASSERT_TRUE(all_persons.ok());
  EXPECT_EQ(all.json().value("persons", int64_t{-1}), *all_persons) << all.body;
  auto county_persons = QueryInt(server(), "SELECT COUNT(*) FROM persons WHERE division_code LIKE '421003%'");
  ASSERT_TRUE(county_persons.ok());
  EXPECT_EQ(mine.json().value("persons", int64_t{-1}), *county_persons) << mine.body;
}

DOUDI_API_SUITE(AccessTest);

}  // namespace
}  // namespace doudi::testing
