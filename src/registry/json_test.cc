// The person's JSON text (PersonJsonText): the values worked out by hand, and the text in nlohmann's canonical
// form (sorted keys, its escaping) so that it is the same body the DOM-built document gave.
#include "registry/json.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace doudi::registry {
namespace {

using nlohmann::json;

Person Sample() {
  Person p;
  p.id = 7;
  p.name = "张\"三\"";
  p.sex = 1;
  p.birth_date = "1990-06-15";
  p.id_number = "421002********1234";
  p.masked = true;
  p.ethnicity = "01";
  p.address = "沙市区\t中山路 1 号\n";
  p.address_division = "421002001";
  p.hukou_division = "999999";  // unknown: a name of "", not null
  p.division_code = "421002";
  p.flags = "orphan,no_such_flag";
  p.education = "20";
  p.notes = "bad \xff byte";
  p.version = 3;
  p.created_at = "2025-01-02T03:04:05.000Z";
  p.created_by = 11;
  p.updated_at = "2025-02-03T04:05:06.000Z";
  p.updated_by = 12;
  p.household_id = 99;
  return p;
}

TEST(PersonJsonTextTest, ValuesAndCanonicalText) {
  std::string text = PersonJsonText(Sample(), Divisions::Default(), "2025-06-01");
  json j = json::parse(text);
  EXPECT_EQ(text, j.dump(-1, ' ', false, json::error_handler_t::replace));
  EXPECT_EQ(j.size(), 38u);
  EXPECT_EQ(j["age"], 34);  // 35th birthday on 2025-06-15, after "today"
  EXPECT_EQ(j["name"], "张\"三\"");
  EXPECT_EQ(j["sex_name"], "男性");
  EXPECT_EQ(j["ethnicity_name"], "汉族");
  EXPECT_EQ(j["education_name"], "大学本科教育");
  EXPECT_EQ(j["address"], "沙市区\t中山路 1 号\n");
  EXPECT_EQ(j["address_division_name"], "湖北省 荆州市 沙市区 中山街道");
  EXPECT_EQ(j["hukou_division_name"], "");
  EXPECT_EQ(j["hukou_address"], "");
  EXPECT_EQ(j["division_name"], "湖北省 荆州市 沙市区");
  EXPECT_EQ(j["flags"], json({"orphan", "no_such_flag"}));
  EXPECT_EQ(j["flag_names"], json({"孤儿", "no_such_flag"}));
  EXPECT_EQ(j["notes"], "bad \xef\xbf\xbd byte");  // invalid UTF-8 replaced by U+FFFD
  EXPECT_TRUE(j["id_number_masked"].get<bool>());
  EXPECT_EQ(j["household_id"], 99);
  EXPECT_EQ(j["created_by"], 11);
  for (const char* k : {"estimated_age", "phone", "photo", "disability_category", "disability_category_name",
                        "disability_grade", "disability_grade_name", "marital_status", "marital_status_name"}) {
    EXPECT_TRUE(j[k].is_null()) << k;
  }
}

TEST(PersonJsonTextTest, EstimatedAgeAndEmptyDivisions) {
  Person p;
  p.id = 1;
  p.estimated_age = 60;
  p.division_code = "421002";
  json j = json::parse(PersonJsonText(p, Divisions::Default(), "2025-06-01"));
  EXPECT_EQ(j["age"], 60);
  EXPECT_EQ(j["estimated_age"], 60);
  EXPECT_TRUE(j["birth_date"].is_null());
  EXPECT_TRUE(j["address_division_name"].is_null());
  EXPECT_TRUE(j["hukou_division_name"].is_null());
  EXPECT_TRUE(j["household_id"].is_null());
  EXPECT_EQ(j["flags"], json::array());
  EXPECT_EQ(j["sex_name"], "未知的性别");
}

TEST(PersonJsonTextTest, PageTextIsThePageDocument) {
  Page<Person> page;
  page.items = {Sample(), Sample()};
  page.total = 41;
  page.page = 3;
  page.size = 2;
  auto text = PageJsonText(page, [](const Person& p) { return PersonJsonText(p, Divisions::Default(), "2025-06-01"); });
  auto dom = PageJson(page, [](const Person& p) { return PersonJson(p, Divisions::Default(), "2025-06-01"); });
  EXPECT_EQ(text, dom.dump(-1, ' ', false, json::error_handler_t::replace));
  EXPECT_EQ(json::parse(text)["total"], 41);
}

}  // namespace
}  // namespace doudi::registry
