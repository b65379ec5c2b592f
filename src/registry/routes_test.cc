// The routes over a real service without a server: each pattern is registered with its permission, bodies and
// query strings reach the service, and the service's Status comes back unchanged (the server maps it to HTTP).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/router.h"
#include "registry/routes.h"
#include "registry/test_support.h"

namespace doudi::registry {
namespace {

using nlohmann::json;
using testing::MakeId;
using testing::RegistryTest;

class RoutesTest : public RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    RegisterRegistryRoutes(router_, *svc_);
  }

  Result<http::Response> Call(const platform::Principal& who, const std::string& method, const std::string& path,
                              const json& body = nullptr) {
    std::string route_path = path, query;
    if (auto q = path.find('?'); q != std::string::npos) {
      route_path = path.substr(0, q);
      query = path.substr(q + 1);
    }
    http::Request req;
    std::vector<std::string> allowed;
    const http::Router::Route* route = router_.Match(method, route_path, &req.path_params, &allowed);
    if (!route) return Status::NotFound("test.no_route", method + " " + route_path);
    last_permission_ = route->options.permission;
    req.method = method;
    req.path = route_path;
    req.principal = &who;
    if (!body.is_null()) req.body = body.dump();
    for (size_t start = 0; start < query.size();) {
      size_t amp = query.find('&', start);
      if (amp == std::string::npos) amp = query.size();
      std::string kv = query.substr(start, amp - start);
      size_t eq = kv.find('=');
      req.query.emplace(kv.substr(0, eq), eq == std::string::npos ? "" : kv.substr(eq + 1));
      start = amp + 1;
    }
    auto r = route->handler(req);
    last_audited_ = req.audited;
    return r;
  }

  http::Router router_;
  std::string last_permission_;
  bool last_audited_ = false;
};

TEST_P(RoutesTest, PersonLifecycleOverTheRoutes) {
  const std::string id = MakeId("421003", "19800315", 123);
  auto created = Call(city_, "POST", "/api/v1/registry/persons",
                      {{"name", "张三"}, {"id_number", id}, {"division_code", "421003001"}, {"phone", "13812345678"},
                       {"flags", {"disabled"}}, {"disability_category", "4"}, {"disability_grade", "2"},
                       {"id", 999}});  // read-only keys are ignored
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(last_permission_, "registry.person.write");
  EXPECT_TRUE(last_audited_);
  EXPECT_EQ(created->status, 201);
  json p = json::parse(created->body);
  const int64_t pid = p["id"];
  EXPECT_NE(pid, 999);
  EXPECT_EQ(p["id_number"], id.substr(0, 4) + "**********" + id.substr(14));
  EXPECT_EQ(p["id_number_masked"], true);
  EXPECT_EQ(p["phone"], "138****5678");
  EXPECT_EQ(p["sex"], 1);
  EXPECT_EQ(p["flags"], json::array({"disabled"}));
  EXPECT_EQ(p["disability_category_name"], "肢体残疾");
  for (const char* key : {"id", "name", "sex", "sex_name", "birth_date", "estimated_age", "age", "id_number",
                          "id_number_masked", "ethnicity", "ethnicity_name", "phone", "address", "address_division",
                          "hukou_division", "hukou_address", "division_code", "division_name", "flags",
                          "household_id", "version", "created_at", "updated_at"}) {
    EXPECT_TRUE(p.contains(key)) << key;
  }

  auto got = Call(city_, "GET", "/api/v1/registry/persons/" + std::to_string(pid));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(last_permission_, "registry.person.read");
  EXPECT_EQ(json::parse(got->body)["name"], "张三");

  auto list = Call(city_, "GET", "/api/v1/registry/persons?division=421003&sex=1&page=1&size=10");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  json l = json::parse(list->body);
  EXPECT_EQ(l["total"], 1);
  EXPECT_EQ(l["page"], 1);
  EXPECT_EQ(l["size"], 10);
  EXPECT_EQ(l["items"][0]["id"], pid);

  // PUT without a version is refused before the service; with a stale one the conflict comes back as is.
  auto no_version = Call(city_, "PUT", "/api/v1/registry/persons/" + std::to_string(pid), {{"name", "李四"}});
  EXPECT_EQ(no_version.status().error_code(), "registry.version.required");
  auto updated = Call(city_, "PUT", "/api/v1/registry/persons/" + std::to_string(pid), {{"name", "李四"}, {"version", 1}});
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(json::parse(updated->body)["version"], 2);
  EXPECT_EQ(json::parse(updated->body)["phone"], "138****5678");  // fields not sent stay
  auto stale = Call(city_, "PUT", "/api/v1/registry/persons/" + std::to_string(pid), {{"name", "王五"}, {"version", 1}});
  EXPECT_EQ(stale.status().code(), Code::kConflict);
  EXPECT_EQ(stale.status().error_code(), "version_conflict");
  auto wrong_type = Call(city_, "PUT", "/api/v1/registry/persons/" + std::to_string(pid), {{"name", 5}, {"version", 2}});
  EXPECT_EQ(wrong_type.status().error_code(), "registry.name.type");

  auto reveal = Call(city_, "POST", "/api/v1/registry/persons/" + std::to_string(pid) + "/reveal",
                     {{"purpose", "核对低保申请材料"}, {"fields", {"id_number"}}});
  ASSERT_TRUE(reveal.ok()) << reveal.status().ToString();
  EXPECT_EQ(last_permission_, "pii.reveal");
  EXPECT_EQ(json::parse(reveal->body)["id_number"], id);
  EXPECT_FALSE(json::parse(reveal->body).contains("phone"));

  // Out of scope and malformed ids are the same 404.
  auto hidden = Call(shashi_, "GET", "/api/v1/registry/persons/" + std::to_string(pid));
  EXPECT_EQ(hidden.status().code(), Code::kNotFound);
  EXPECT_EQ(Call(city_, "GET", "/api/v1/registry/persons/abc").status().code(), Code::kNotFound);

  auto dup = Call(city_, "POST", "/api/v1/registry/persons", {{"name", "重复"}, {"id_number", id}, {"division_code", "421003"}});
  EXPECT_EQ(dup.status().error_code(), "registry.person.duplicate_id");

  auto page360 = Call(city_, "GET", "/api/v1/registry/persons/" + std::to_string(pid) + "/360");
  ASSERT_TRUE(page360.ok());
  EXPECT_EQ(json::parse(page360->body)["person"]["id"], pid);
}

TEST_P(RoutesTest, HouseholdRoutesAndStats) {
  auto a = svc_->CreatePerson(city_, Sample("甲", "421003001", MakeId("421003", "19800101", 1)));
  auto b = svc_->CreatePerson(city_, Sample("乙", "421003001", MakeId("421003", "19800101", 2)));
  auto c = svc_->CreatePerson(city_, Sample("丙", "421003001", MakeId("421003", "20100101", 3)));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  auto created = Call(city_, "POST", "/api/v1/registry/households",
                      {{"head_person_id", a->id}, {"urban_rural", "rural"}, {"division_code", "421003100"},
                       {"address", "某村"}, {"members", {{{"person_id", b->id}, {"relation", "12"}}}}});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(last_permission_, "registry.household.write");
  json h = json::parse(created->body);
  const int64_t hid = h["id"];
  EXPECT_EQ(h["members"].size(), 2u);

  auto added = Call(city_, "POST", "/api/v1/registry/households/" + std::to_string(hid) + "/members",
                    {{"person_id", c->id}, {"relation", "21"}});
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  auto got = Call(city_, "GET", "/api/v1/registry/households/" + std::to_string(hid));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(last_permission_, "registry.household.read");
  json g = json::parse(got->body);
  EXPECT_EQ(g["members"].size(), 3u);
  EXPECT_EQ(g["version"], 2);

  auto removed = Call(city_, "DELETE", "/api/v1/registry/households/" + std::to_string(hid) + "/members/" +
                                           std::to_string(c->id));
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(json::parse(removed->body)["members"].size(), 2u);

  auto put = Call(city_, "PUT", "/api/v1/registry/households/" + std::to_string(hid),
                  {{"version", 3}, {"urban_rural", "urban"}});
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(json::parse(put->body)["urban_rural"], "urban");

  auto list = Call(city_, "GET", "/api/v1/registry/households?urban_rural=urban&division=421003");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(json::parse(list->body)["total"], 1);

  auto stats = Call(city_, "GET", "/api/v1/registry/stats");
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  json s = json::parse(stats->body);
  EXPECT_EQ(s["persons"], 3);
  EXPECT_EQ(s["households"], 1);
  EXPECT_EQ(s["by_county"][0]["county"], "421003");
  EXPECT_EQ(s["by_county"][0]["county_name"], "荆州区");
}

INSTANTIATE_TEST_SUITE_P(Db, RoutesTest, ::testing::ValuesIn(db::TestDialects()),
                         [](const auto& info) { return db::DialectName(info.param); });

}  // namespace
}  // namespace doudi::registry
