// Bad input: malformed JSON, wrong types, oversized bodies, invalid ID numbers, unknown division codes. Each
// gets a 4xx with a stable code, the field's name and a Chinese message, and nothing is written.
#include <set>

#include "suite.h"

namespace doudi::testing {
namespace {

class BadInputTest : public ApiTest<BadInputTest> {
 protected:
  // Rows in the tables a registry write touches, to show that a refused request wrote nothing.
  std::string Counts() {
    std::string out;
    for (const char* table : {"persons", "households", "household_members"}) {
      auto n = QueryInt(server(), std::string("SELECT COUNT(*) FROM ") + table);
      out += std::string(table) + "=" + (n.ok() ? std::to_string(*n) : n.status().ToString()) + " ";
    }
    return out;
  }
};

struct BadCase {
  const char* what;
  std::string body;  // raw request body
  int status;
  std::string code;
  std::string field;  // "" when the problem is the body as a whole
};

std::string Json(const nlohmann::json& j) { return j.dump(); }

// An ID number with the right check character but something else wrong.
std::string WithCheck(const std::string& first17) { return first17 + IdCheck(first17); }

TEST_P(BadInputTest, APersonThatCannotBeStoredIsRefusedFieldByField) {
  Account& cw = Shared("caseworker", "421002");
  ASSERT_TRUE(cw.ok);
  std::string good_id = NewIdNumber("421002");
  std::string bad_check = good_id.substr(0, 17) + (good_id[17] == '0' ? '1' : '0');
  std::string name51;
  for (int i = 0; i < 51; ++i) name51 += "张";
  auto person = [](nlohmann::json extra) {
    nlohmann::json j = {{"name", "张三"}, {"division_code", "421002"}};
    for (auto& [k, v] : extra.items()) j[k] = v;
    return Json(j);
  };
  const std::vector<BadCase> cases = {
      {"truncated JSON", R"({"name": "张三", "division_code": "421002")", 400, "http.bad_json", ""},
      {"not JSON at all", "name=张三&division_code=421002", 400, "http.bad_json", ""},
      {"an empty body", "", 400, "http.bad_json", ""},
      {"invalid UTF-8", "{\"name\": \"\xff\xfe\", \"division_code\": \"421002\"}", 400, "http.bad_json", ""},
      {"an array instead of an object", R"([{"name": "张三"}])", 400, "http.bad_type", ""},
      {"name as a number", person({{"name", 12345}}), 400, "registry.name.type", "name"},
      {"name as an object", person({{"name", {{"first", "三"}}}}), 400, "registry.name.type", "name"},
      {"sex as a word", person({{"sex", "男"}}), 400, "registry.sex.type", "sex"},
      {"sex out of the code set", person({{"sex", 3}}), 400, "registry.sex.invalid", "sex"},
      {"estimated_age as text", person({{"estimated_age", "三十"}}), 400, "registry.estimated_age.type",
       "estimated_age"},
      {"id_number as a number", person({{"id_number", 421002198001011234}}), 400, "registry.id_number.type",
       "id_number"},
      {"no name", Json({{"division_code", "421002"}}), 400, "registry.name.required", "name"},
      {"a 51-character name", person({{"name", name51}}), 400, "registry.name.too_long", "name"},
      {"a wrong check character", person({{"id_number", bad_check}}), 400, "registry.id_number.check_digit",
       "id_number"},
      {"17 characters", person({{"id_number", good_id.substr(0, 17)}}), 400, "registry.id_number.format",
       "id_number"},
      {"letters in the number", person({{"id_number", "4210021980O1011234"}}), 400, "registry.id_number.format",
       "id_number"},
      {"30 February", person({{"id_number", WithCheck("42100219990230001")}}), 400, "registry.id_number.birth_date",
       "id_number"},
      {"born in 2090", person({{"id_number", WithCheck("42100220900101001")}}), 400, "registry.id_number.birth_date",
       "id_number"},
      {"an address code that never existed", person({{"id_number", WithCheck("99010119800101001")}}), 400,
       "registry.id_number.division", "id_number"},
      {"birth date contradicting the number", person({{"id_number", good_id}, {"birth_date", "1901-01-01"}}), 400,
       "registry.birth_date.mismatch", "birth_date"},
      {"an impossible birth date", person({{"birth_date", "1990-02-30"}}), 400, "registry.birth_date.invalid",
       "birth_date"},
      {"an unknown division code", person({{"division_code", "421099"}}), 400, "registry.division_code.unknown",
       "division_code"},
      {"a retired division code (监利县)", person({{"division_code", "421023"}}), 400,
       "registry.division_code.unknown", "division_code"},
      {"a division code that is not a code", person({{"division_code", "荆州区"}}), 400,
       "registry.division_code.format", "division_code"},
      {"a city-level division", person({{"division_code", "4210"}}), 400, "registry.division_code.level",
       "division_code"},
      {"no division", Json({{"name", "张三"}}), 400, "registry.division_code.required", "division_code"},
      {"an unknown residence division", person({{"address_division", "429999"}}), 400,
       "registry.address_division.unknown", "address_division"},
      {"a phone number that is not one", person({{"phone", "12345"}}), 400, "registry.phone.invalid", "phone"},
      {"an ethnicity outside GB 3304", person({{"ethnicity", "99"}}), 400, "registry.ethnicity.invalid",
       "ethnicity"},
      {"a disability grade without a category", person({{"disability_grade", "2"}}), 400,
       "registry.disability_category.required", "disability_category"},
  };
  std::string before = Counts();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    HttpResult r = cw.client.Raw("POST", "/api/v1/registry/persons", c.body, "application/json");
    EXPECT_TRUE(IsError(r, c.status, c.code, c.field));
  }
  EXPECT_EQ(Counts(), before) << "a refused request wrote something";
}

TEST_P(BadInputTest, EveryBadFieldIsNamedAtOnce) {
  Account& cw = Shared("caseworker", "421002");
  ASSERT_TRUE(cw.ok);
  std::string before = Counts();
  std::string bad_check = WithCheck("42100219800101001");
  bad_check.back() = bad_check.back() == '1' ? '2' : '1';
  HttpResult r = cw.client.Post("/api/v1/registry/persons", {{"name", "张三"},
                                                              {"id_number", bad_check},
                                                              {"division_code", "421099"},
                                                              {"phone", "110"}});
  ASSERT_EQ(r.status, 400) << r.body;
  std::set<std::string> fields;
  auto details = r.json()["error"]["details"];
  for (const auto& d : details) fields.insert(d.value("field", ""));
  EXPECT_EQ(fields, (std::set<std::string>{"id_number", "division_code", "phone"})) << r.body;
  EXPECT_EQ(Counts(), before);
}

TEST_P(BadInputTest, AnUpdateWithBadInputChangesNothing) {
  Account& cw = Shared("caseworker", "421002");
  ASSERT_TRUE(cw.ok);
  int64_t id = CreatePerson(cw.client, PersonBody("刘备", "421002", NewIdNumber("421002")));
  ASSERT_GT(id, 0);
  std::string path = "/api/v1/registry/persons/" + std::to_string(id);
  EXPECT_TRUE(IsError(cw.client.Put(path, {{"name", "刘玄德"}, {"version", "一"}}), 400, "registry.version.type", "version"));
  EXPECT_TRUE(IsError(cw.client.Put(path, {{"name", "刘玄德"}, {"division_code", "421099"}, {"version", 1}}), 400,
                      "registry.division_code.unknown", "division_code"));
  EXPECT_TRUE(IsError(cw.client.Put(path, {{"name", ""}, {"version", 1}}), 400, "registry.name.required", "name"));
  EXPECT_TRUE(IsError(cw.client.Raw("PUT", path, R"({"name": "刘玄德", "version": 1)", "application/json"), 400,
                      "http.bad_json"));
  auto p = PersonOf(cw.client.Get(path));
  EXPECT_EQ(p.value("name", ""), "刘备");
  EXPECT_EQ(p.value("version", 0), 1);
  EXPECT_EQ(p.value("division_code", ""), "421002");
}

TEST_P(BadInputTest, BadHouseholdsRevealsAndQueriesAreRefused) {
  Account& cw = Shared("caseworker", "421002");
  ASSERT_TRUE(cw.ok);
  int64_t head = CreatePerson(cw.client, PersonBody("关羽", "421002", NewIdNumber("421002")));
  ASSERT_GT(head, 0);
  std::string before = Counts();
  nlohmann::json household = {{"head_person_id", head}, {"urban_rural", "rural"}, {"division_code", "421002"}};
  auto with = [&](const char* key, nlohmann::json v) {
    nlohmann::json j = household;
    j[key] = std::move(v);
    return j;
  };
  EXPECT_TRUE(IsError(cw.client.Post("/api/v1/registry/households", with("urban_rural", "suburb")), 400,
                      "registry.urban_rural.invalid", "urban_rural"));
  EXPECT_TRUE(IsError(cw.client.Post("/api/v1/registry/households", with("head_person_id", "关羽")), 400,
                      "registry.head_person_id.type", "head_person_id"));
  EXPECT_TRUE(IsError(cw.client.Post("/api/v1/registry/households", with("division_code", "421099")), 400,
                      "registry.division_code.unknown", "division_code"));
  EXPECT_TRUE(IsError(cw.client.Post("/api/v1/registry/households",
                                     with("members", {{{"person_id", head}, {"relation", "10"}}})),
                      400, "registry.household.head_relation", "members"));
  EXPECT_TRUE(IsError(cw.client.Post("/api/v1/registry/households", with("members", "全家")), 400,
                      "registry.members.type", "members"));
  HttpResult nobody = cw.client.Post("/api/v1/registry/households", with("head_person_id", 987654321));
  EXPECT_TRUE(nobody.status == 400 || nobody.status == 404) << nobody.body;
  EXPECT_TRUE(HasChinese(nobody.body)) << nobody.body;
  EXPECT_EQ(Counts(), before);

  std::string reveal = "/api/v1/registry/persons/" + std::to_string(head) + "/reveal";
  EXPECT_TRUE(IsError(cw.client.Post(reveal, {{"purpose", "核对低保申请"}, {"fields", {"password_hash"}}}), 400,
                      kAnyCode, "fields"));
  EXPECT_TRUE(IsError(cw.client.Post(reveal, {{"purpose", 42}, {"fields", {"id_number"}}}), 400, kAnyCode, "purpose"));

  EXPECT_TRUE(IsError(cw.client.Get("/api/v1/registry/persons?page=abc"), 400, "http.bad_page", "page"));
  EXPECT_TRUE(IsError(cw.client.Get("/api/v1/registry/persons?size=1000"), 400, "http.bad_page", "size"));
  HttpResult not_an_id = cw.client.Get("/api/v1/registry/persons/abc");
  EXPECT_TRUE(not_an_id.status == 400 || not_an_id.status == 404) << not_an_id.body;
  EXPECT_TRUE(IsError(not_an_id, not_an_id.status, kAnyCode));
  HttpResult huge_id = cw.client.Get("/api/v1/registry/persons/99999999999999999999999");
  EXPECT_TRUE(huge_id.status == 400 || huge_id.status == 404) << huge_id.body;
  HttpResult no_route = cw.client.Get("/api/v1/registry/nothing-here");
  EXPECT_TRUE(IsError(no_route, 404, "http.not_found"));

  // Wrong types at the door (login) are a bad request, never a server error.
  ApiClient anon(server().port());
  HttpResult login = anon.Post("/api/v1/auth/login", {{"username", 42}, {"password", {1, 2}}});
  EXPECT_GE(login.status, 400) << login.body;
  EXPECT_LT(login.status, 500) << login.body;
  EXPECT_TRUE(HasChinese(login.body)) << login.body;
}

TEST_P(BadInputTest, AnOversizedBodyGets413AndWritesNothing) {
  Account& cw = Shared("caseworker", "421002");
  ASSERT_TRUE(cw.ok);
  std::string before = Counts();
  // 9 MiB (above the 8 MiB default), announced and sent.
  std::string big = R"({"name": "张三", "division_code": "421002", "notes": ")" + std::string(9 << 20, 'a') + "\"}";
  std::string request = "POST /api/v1/registry/persons HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: doudi_session=" +
                        cw.client.cookie() + "\r\nX-CSRF-Token: " + cw.client.csrf() +
                        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(big.size()) +
                        "\r\nConnection: close\r\n\r\n" + big;
  std::string response = RawHttp(server().port(), request);
  ASSERT_EQ(RawStatus(response), 413) << response.substr(0, 500);
  auto body = nlohmann::json::parse(RawBody(response), nullptr, false);
  EXPECT_EQ(body.value("/error/code"_json_pointer, ""), "http.too_large") << RawBody(response);
  EXPECT_TRUE(HasChinese(body.value("/error/message"_json_pointer, ""))) << RawBody(response);

  // The same through an ordinary client, and the server carries on.
  HttpResult r = cw.client.Raw("POST", "/api/v1/registry/persons", big, "application/json");
  if (r.status != 0) {  // 0: the server closed the connection while the body was still being sent
    EXPECT_TRUE(IsError(r, 413, "http.too_large"));
  }
  EXPECT_TRUE(IsOk(cw.client.Get("/api/v1/health")));
  EXPECT_EQ(Counts(), before);
}

TEST_P(BadInputTest, DeeplyNestedJsonIsRefusedWithoutCrashingTheServer) {
  Account& cw = Shared("caseworker", "421002");
  ASSERT_TRUE(cw.ok);
  std::string before = Counts();
  std::string nested = R"({"name": "张三", "division_code": "421002", "notes": )" + std::string(200000, '[') +
                       std::string(200000, ']') + "}";
  HttpResult r = cw.client.Raw("POST", "/api/v1/registry/persons", nested, "application/json");
  EXPECT_GE(r.status, 400) << "status " << r.status << " (0: no answer, the server may have died)";
  EXPECT_LT(r.status, 500) << r.body.substr(0, 500);
  EXPECT_TRUE(IsOk(cw.client.Get("/api/v1/health"))) << "the server died on deeply nested JSON";
  EXPECT_EQ(Counts(), before);
}

DOUDI_API_SUITE(BadInputTest);

}  // namespace
}  // namespace doudi::testing
