// The registry over HTTP: masking, audited views and reveals, duplicate ID numbers, optimistic locking,
// paging, households with members, statistics in scope, and the reference data the forms need.
#include <set>

#include "suite.h"

namespace doudi::testing {
namespace {

class RegistryApiTest : public ApiTest<RegistryApiTest> {
 protected:
  static std::string PersonPath(int64_t id, const std::string& rest = "") {
    return "/api/v1/registry/persons/" + std::to_string(id) + rest;
  }
  static std::string BirthDateOf(const std::string& id) {
    return id.substr(6, 4) + "-" + id.substr(10, 2) + "-" + id.substr(12, 2);
  }
  // The audit rows matching `query`, as the audit administrator sees them.
  nlohmann::json Audit(const std::string& query) {
    Account& auditor = Shared("auditadmin");
    HttpResult r = auditor.client.Get("/api/v1/audit?" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
  static int64_t IdOf(const HttpResult& r, const char* wrapper) {
    auto j = r.json();
    if (j.contains(wrapper) && j[wrapper].is_object()) j = j[wrapper];
    return j.value("id", int64_t{0});
  }
};

TEST_P(RegistryApiTest, IdAndPhoneNumbersComeMaskedAndEveryViewIsAudited) {
  Account& cw = Shared("caseworker", "421002");
  ASSERT_TRUE(cw.ok);
  std::string id_number = NewIdNumber("421002", 2);
  std::string phone = NewPhone();
  HttpResult created = cw.client.Post("/api/v1/registry/persons", PersonBody("王秀英", "421002", id_number, phone));
  ASSERT_TRUE(IsOk(created));
  auto p = PersonOf(created);
  int64_t id = p.value("id", int64_t{0});
  ASSERT_GT(id, 0);
  // Derived from the ID number: birth date and sex (the 17th digit is even: female).
  EXPECT_EQ(p.value("birth_date", ""), BirthDateOf(id_number));
  EXPECT_EQ(p.value("sex", -1), 2);
  EXPECT_EQ(p.value("version", 0), 1);
  EXPECT_EQ(p.value("division_code", ""), "421002");
  EXPECT_EQ(p.value("id_number", ""), MaskedId(id_number)) << created.body;
  EXPECT_EQ(p.value("phone", ""), MaskedPhone(phone)) << created.body;
  EXPECT_EQ(created.body.find(id_number), std::string::npos) << "the plain ID number was sent";
  EXPECT_EQ(created.body.find(phone), std::string::npos) << "the plain phone number was sent";

  HttpResult view = cw.client.Get(PersonPath(id));
  ASSERT_TRUE(IsOk(view));
  EXPECT_EQ(PersonOf(view).value("id_number", ""), MaskedId(id_number));
  EXPECT_EQ(PersonOf(view).value("name", ""), "王秀英");
  EXPECT_EQ(view.body.find(id_number), std::string::npos);
  EXPECT_EQ(view.body.find(phone), std::string::npos);
  // Found by the exact number, shown masked in the list.
  HttpResult found = cw.client.Get("/api/v1/registry/persons?id_number=" + id_number);
  ASSERT_TRUE(IsOk(found));
  ASSERT_EQ(found.json().value("total", -1), 1) << found.body;
  EXPECT_EQ(found.json()["items"][0].value("id", int64_t{0}), id);
  EXPECT_EQ(found.body.find(id_number), std::string::npos);

  // The view is in the audit log, under the caseworker's name; the log never holds the plain numbers.
  auto views = Audit("action=registry.person.view&object_id=" + std::to_string(id));
  ASSERT_GE(views.value("total", 0), 1) << views.dump();
  EXPECT_EQ(views["items"][0].value("username", ""), cw.username);
  auto all = Audit("object_id=" + std::to_string(id) + "&size=200");
  EXPECT_EQ(all.dump().find(id_number), std::string::npos) << "the audit log holds a plain ID number";
  EXPECT_EQ(all.dump().find(phone), std::string::npos) << "the audit log holds a plain phone number";
  // Stored only encrypted: the plain numbers are nowhere in the persons table.
  auto plain = QueryInt(server(), "SELECT COUNT(*) FROM persons WHERE id_cipher LIKE '%" + id_number.substr(6) +
                                      "%' OR phone_cipher LIKE '%" + phone.substr(3) + "%'");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, 0);
}

TEST_P(RegistryApiTest, RevealNeedsAPurposeAndLeavesAnAuditRow) {
  Account& cw = Shared("caseworker", "421002");
  ASSERT_TRUE(cw.ok);
  std::string id_number = NewIdNumber("421002");
  std::string phone = NewPhone();
  int64_t id = CreatePerson(cw.client, PersonBody("李建国", "421002", id_number, phone));
  ASSERT_GT(id, 0);

  EXPECT_TRUE(IsError(cw.client.Post(PersonPath(id, "/reveal"), {{"fields", {"id_number"}}}), 400,
                      kAnyCode, "purpose"))
      << "no purpose";
  HttpResult short_purpose = cw.client.Post(PersonPath(id, "/reveal"), {{"purpose", "看看"}, {"fields", {"id_number"}}});
  EXPECT_EQ(short_purpose.status, 400) << short_purpose.body;
  EXPECT_EQ(short_purpose.body.find(id_number), std::string::npos);

  const std::string purpose = "低保申请入户核对身份";
  HttpResult both = cw.client.Post(PersonPath(id, "/reveal"), {{"purpose", purpose}, {"fields", {"id_number", "phone"}}});
  ASSERT_TRUE(IsOk(both));
  EXPECT_EQ(both.json().value("id_number", ""), id_number);
  EXPECT_EQ(both.json().value("phone", ""), phone);
  HttpResult one = cw.client.Post(PersonPath(id, "/reveal"), {{"purpose", purpose}, {"fields", {"id_number"}}});
  ASSERT_TRUE(IsOk(one));
  EXPECT_EQ(one.json().value("id_number", ""), id_number);
  EXPECT_EQ(one.body.find(phone), std::string::npos) << "a reveal of the ID number also revealed the phone";

  auto rows = Audit("action=pii.reveal&outcome=success&object_id=" + std::to_string(id));
  ASSERT_EQ(rows.value("total", -1), 2) << rows.dump();
  for (const auto& row : rows["items"]) {
    EXPECT_EQ(row.value("username", ""), cw.username);
    EXPECT_NE(row.value("detail", "").find(purpose), std::string::npos) << "the purpose is not in the audit row";
  }
  EXPECT_EQ(rows.dump().find(id_number), std::string::npos);
  EXPECT_EQ(rows.dump().find(phone), std::string::npos);
}

TEST_P(RegistryApiTest, ASecondPersonWithTheSameIdNumberIsAConflictNamingTheFirst) {
  Account& cw = Shared("caseworker", "421002");
  ASSERT_TRUE(cw.ok);
  // A number whose check character is X, to show that "x" is the same number.
  std::string id_number;
  for (int seq = 1; seq < 1000 && id_number.empty(); seq += 2) {
    std::string candidate = IdNumber("421002", "19630817", seq);
    if (candidate.back() == 'X') id_number = candidate;
  }
  ASSERT_FALSE(id_number.empty());
  int64_t first = CreatePerson(cw.client, PersonBody("赵德胜", "421002", id_number));
  ASSERT_GT(first, 0);
  std::string lower = id_number.substr(0, 17) + "x";
  HttpResult dup = cw.client.Post("/api/v1/registry/persons", PersonBody("赵得胜", "421002", lower));
  ASSERT_TRUE(IsError(dup, 409, "registry.person.duplicate_id"));
  // docs/api/README.md: the detail whose field is existing_person_id carries the existing id in its message.
  auto details = dup.json()["error"]["details"];
  std::string named;
  for (const auto& d : details) {
    if (d.value("field", "") == "existing_person_id") named = d.value("message", "");
  }
  EXPECT_EQ(named, std::to_string(first)) << dup.body;
  HttpResult found = cw.client.Get("/api/v1/registry/persons?id_number=" + id_number);
  EXPECT_EQ(found.json().value("total", -1), 1) << found.body;
  EXPECT_EQ(CountPersons(cw.client, "赵得胜"), 0);
}

TEST_P(RegistryApiTest, AStaleVersionIsAConflictAndChangesNothing) {
  Account& a = Shared("caseworker", "421002");
  Account b = SignIn(server(), "caseworker", "421002");
  ASSERT_TRUE(a.ok && b.ok);
  int64_t id = CreatePerson(a.client, PersonBody("钱多多", "421002", NewIdNumber("421002")));
  ASSERT_GT(id, 0);
  ASSERT_EQ(PersonOf(b.client.Get(PersonPath(id))).value("version", 0), 1);

  HttpResult first = a.client.Put(PersonPath(id), {{"name", "钱多"}, {"version", 1}});
  ASSERT_TRUE(IsOk(first));
  EXPECT_EQ(PersonOf(first).value("version", 0), 2);
  std::string phone = NewPhone();
  HttpResult stale = b.client.Put(PersonPath(id), {{"phone", phone}, {"version", 1}});
  EXPECT_TRUE(IsError(stale, 409, "version_conflict"));
  auto now = PersonOf(a.client.Get(PersonPath(id)));
  EXPECT_EQ(now.value("name", ""), "钱多");
  EXPECT_EQ(now.value("version", 0), 2);
  EXPECT_TRUE(now["phone"].is_null() || now["phone"] == "") << now.dump();

  EXPECT_TRUE(IsError(b.client.Put(PersonPath(id), {{"phone", phone}}), 400, "registry.version.required", "version"));
  HttpResult retry = b.client.Put(PersonPath(id), {{"phone", phone}, {"version", 2}});
  ASSERT_TRUE(IsOk(retry));
  EXPECT_EQ(PersonOf(retry).value("version", 0), 3);
  EXPECT_EQ(PersonOf(retry).value("phone", ""), MaskedPhone(phone));
  EXPECT_EQ(PersonOf(retry).value("name", ""), "钱多") << "a partial update cleared a field it did not name";
}

TEST_P(RegistryApiTest, SearchPagesThroughEveryMatchOnce) {
  Account& cw = Shared("caseworker", "421002");
  ASSERT_TRUE(cw.ok);
  std::string prefix = "分页" + UniqueName("p");
  std::set<int64_t> created;
  for (int i = 0; i < 5; ++i) {
    created.insert(CreatePerson(cw.client, PersonBody(prefix + std::to_string(i), "421002",
                                                      NewIdNumber("421002", i < 2 ? 2 : 1))));
  }
  std::set<int64_t> seen;
  for (int page = 1; page <= 3; ++page) {
    HttpResult r = cw.client.Get("/api/v1/registry/persons?name=" + Url(prefix) + "&size=2&page=" + std::to_string(page));
    ASSERT_TRUE(IsOk(r));
    auto j = r.json();
    EXPECT_EQ(j.value("total", -1), 5);
    EXPECT_EQ(j.value("page", -1), page);
    EXPECT_EQ(j.value("size", -1), 2);
    EXPECT_EQ(j["items"].size(), page < 3 ? 2u : 1u) << r.body;
    for (const auto& item : j["items"]) seen.insert(item.value("id", int64_t{0}));
  }
  EXPECT_EQ(seen, created);
  HttpResult beyond = cw.client.Get("/api/v1/registry/persons?name=" + Url(prefix) + "&size=2&page=4");
  EXPECT_EQ(beyond.json()["items"].size(), 0u);
  HttpResult women = cw.client.Get("/api/v1/registry/persons?name=" + Url(prefix) + "&sex=2");
  EXPECT_EQ(women.json().value("total", -1), 2) << women.body;
  HttpResult by_division = cw.client.Get("/api/v1/registry/persons?name=" + Url(prefix) + "&division=421003");
  EXPECT_EQ(by_division.json().value("total", -1), 0) << by_division.body;
  EXPECT_TRUE(IsError(cw.client.Get("/api/v1/registry/persons?size=201"), 400, "http.bad_page", "size"));
  EXPECT_TRUE(IsError(cw.client.Get("/api/v1/registry/persons?page=0"), 400, "http.bad_page", "page"));
}

TEST_P(RegistryApiTest, AHouseholdKeepsItsMembersAndEachPersonBelongsToOne) {
  Account& cw = Shared("caseworker", "421002");
  ASSERT_TRUE(cw.ok);
  std::string head_id = NewIdNumber("421002", 1);
  int64_t head = CreatePerson(cw.client, PersonBody("孙大山", "421002", head_id));
  int64_t wife = CreatePerson(cw.client, PersonBody("周小红", "421002", NewIdNumber("421002", 2)));
  int64_t son = CreatePerson(cw.client, PersonBody("孙小山", "421002", NewIdNumber("421002", 1)));
  ASSERT_TRUE(head > 0 && wife > 0 && son > 0);

  HttpResult h = cw.client.Post("/api/v1/registry/households",
                                {{"head_person_id", head},
                                 {"urban_rural", "rural"},
                                 {"division_code", "421002"},
                                 {"address", "沙市区观音垱镇某村3组"},
                                 {"members", {{{"person_id", wife}, {"relation", "10"}}}}});
  ASSERT_TRUE(IsOk(h));
  int64_t hid = IdOf(h, "household");
  ASSERT_GT(hid, 0) << h.body;
  std::string path = "/api/v1/registry/households/" + std::to_string(hid);
  HttpResult got = cw.client.Get(path);
  ASSERT_TRUE(IsOk(got));
  auto hj = got.json().contains("household") ? got.json()["household"] : got.json();
  ASSERT_EQ(hj["members"].size(), 2u) << got.body;  // the head was added as 02 户主
  std::map<int64_t, std::string> relation;
  for (const auto& m : hj["members"]) relation[m.value("person_id", int64_t{0})] = m.value("relation", "");
  EXPECT_EQ(relation[head], "02");
  EXPECT_EQ(relation[wife], "10");
  EXPECT_EQ(got.body.find(head_id), std::string::npos) << "a member's plain ID number was sent";

  ASSERT_TRUE(IsOk(cw.client.Post(path + "/members", {{"person_id", son}, {"relation", "20"}})));
  got = cw.client.Get(path);
  hj = got.json().contains("household") ? got.json()["household"] : got.json();
  EXPECT_EQ(hj["members"].size(), 3u) << got.body;
  EXPECT_EQ(PersonOf(cw.client.Get(PersonPath(son))).value("household_id", int64_t{0}), hid);

  // The son cannot be in a second household at the same time.
  int64_t other_head = CreatePerson(cw.client, PersonBody("吴老五", "421002", NewIdNumber("421002")));
  HttpResult twice = cw.client.Post("/api/v1/registry/households",
                                    {{"head_person_id", other_head},
                                     {"urban_rural", "rural"},
                                     {"division_code", "421002"},
                                     {"members", {{{"person_id", son}, {"relation", "20"}}}}});
  EXPECT_GE(twice.status, 400) << twice.body;
  EXPECT_LT(twice.status, 500) << twice.body;
  EXPECT_TRUE(HasChinese(twice.body));

  ASSERT_TRUE(IsOk(cw.client.Delete(path + "/members/" + std::to_string(son))));
  got = cw.client.Get(path);
  hj = got.json().contains("household") ? got.json()["household"] : got.json();
  EXPECT_EQ(hj["members"].size(), 2u) << got.body;
  EXPECT_TRUE(PersonOf(cw.client.Get(PersonPath(son)))["household_id"].is_null());

  // The 360 view: the person, masked, with the household.
  HttpResult view = cw.client.Get(PersonPath(head, "/360"));
  ASSERT_TRUE(IsOk(view));
  EXPECT_EQ(view.json()["person"].value("id", int64_t{0}), head) << view.body;
  EXPECT_EQ(view.json()["household"].value("id", int64_t{0}), hid) << view.body;
  EXPECT_EQ(view.body.find(head_id), std::string::npos);

  // A stale household version is a conflict as well.
  int64_t version = hj.value("version", int64_t{0});
  ASSERT_TRUE(IsOk(cw.client.Put(path, {{"address", "沙市区观音垱镇某村4组"}, {"version", version}})));
  EXPECT_TRUE(IsError(cw.client.Put(path, {{"address", "沙市区观音垱镇某村5组"}, {"version", version}}), 409,
                      "version_conflict"));
}

TEST_P(RegistryApiTest, StatisticsCountOnlyTheCallersCounty) {
  // 江陵县 (421024) is used by no other test of this suite; the counts are the ones entered here.
  Account jiangling = SignIn(server(), "caseworker", "421024");
  Account gongan = SignIn(server(), "caseworker", "421022");
  ASSERT_TRUE(jiangling.ok && gongan.ok);
  int64_t a = CreatePerson(jiangling.client, PersonBody("江陵甲", "421024", NewIdNumber("421024")));
  int64_t b = CreatePerson(jiangling.client, PersonBody("江陵乙", "421024", NewIdNumber("421024", 2)));
  int64_t c = CreatePerson(jiangling.client, PersonBody("江陵丙", "421024", NewIdNumber("421024")));
  ASSERT_GT(CreatePerson(gongan.client, PersonBody("公安甲", "421022", NewIdNumber("421022"))), 0);
  ASSERT_TRUE(a > 0 && b > 0 && c > 0);
  ASSERT_TRUE(IsOk(jiangling.client.Post(
      "/api/v1/registry/households", {{"head_person_id", a},
                                      {"urban_rural", "rural"},
                                      {"division_code", "421024"},
                                      {"members", {{{"person_id", b}, {"relation", "10"}}}}})));

  HttpResult r = jiangling.client.Get("/api/v1/registry/stats");
  ASSERT_TRUE(IsOk(r));
  auto s = r.json();
  EXPECT_EQ(s.value("persons", -1), 3) << r.body;
  EXPECT_EQ(s.value("households", -1), 1);
  // by_urban_rural: [{urban_rural: "urban"|"rural"|null (in no household), persons, households}]
  std::map<std::string, std::pair<int64_t, int64_t>> split;
  for (const auto& row : s["by_urban_rural"]) {
    std::string key = row["urban_rural"].is_string() ? row["urban_rural"].get<std::string>() : "none";
    split[key] = {row.value("persons", int64_t{-1}), row.value("households", int64_t{-1})};
  }
  EXPECT_EQ(split["rural"], std::make_pair(int64_t{2}, int64_t{1})) << r.body;
  EXPECT_EQ(split["urban"], std::make_pair(int64_t{0}, int64_t{0})) << r.body;
  EXPECT_EQ(split["none"].first, 1) << r.body;
  ASSERT_EQ(s["by_county"].size(), 1u) << r.body;
  EXPECT_EQ(s["by_county"][0].value("county", ""), "421024");
  EXPECT_EQ(s["by_county"][0].value("county_name", ""), "江陵县");
  EXPECT_EQ(s["by_county"][0].value("persons", -1), 3);
  EXPECT_EQ(s["by_county"][0].value("households_rural", -1), 1);
}

TEST_P(RegistryApiTest, FormsGetDivisionsAndCodeSets) {
  Account& cw = Shared("caseworker", "421002");
  ASSERT_TRUE(cw.ok);
  HttpResult d = cw.client.Get("/api/v1/divisions?parent=4210");
  ASSERT_TRUE(IsOk(d));
  auto list = d.json().is_array() ? d.json() : d.json()["items"];
  std::map<std::string, std::string> names;
  for (const auto& x : list) names[x.value("code", "")] = x.value("name", "");
  EXPECT_EQ(names["421002"], "沙市区") << d.body;
  EXPECT_EQ(names["421003"], "荆州区");
  EXPECT_EQ(names["421022"], "公安县");
  EXPECT_EQ(names["421088"], "监利市");
  EXPECT_EQ(names.count("421023"), 0u) << "the retired 监利县 is offered as a current division";
  HttpResult towns = cw.client.Get("/api/v1/divisions?parent=421003");
  ASSERT_TRUE(IsOk(towns));
  EXPECT_NE(towns.body.find("西城街道"), std::string::npos);

  HttpResult sex = cw.client.Get("/api/v1/dicts/sex");
  ASSERT_TRUE(IsOk(sex));
  auto codes = sex.json().is_array() ? sex.json() : sex.json()["items"];
  std::map<std::string, std::string> sexes;
  for (const auto& x : codes) sexes[x.value("code", "")] = x.value("name", "");
  EXPECT_NE(sexes["1"].find("男"), std::string::npos) << sex.body;
  EXPECT_NE(sexes["2"].find("女"), std::string::npos) << sex.body;
  EXPECT_NE(cw.client.Get("/api/v1/dicts/relation").body.find("户主"), std::string::npos);
  EXPECT_EQ(cw.client.Get("/api/v1/dicts/no_such_set").status, 404);
}

DOUDI_API_SUITE(RegistryApiTest);

}  // namespace
}  // namespace doudi::testing
