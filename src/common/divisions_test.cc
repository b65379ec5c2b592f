#include "common/divisions.h"

#include <gtest/gtest.h>

namespace doudi {
namespace {

const Divisions& Div() { return Divisions::Default(); }

std::vector<std::string> Codes(const std::vector<const Division*>& v) {
  std::vector<std::string> out;
  for (const auto* d : v) out.push_back(d->code + " " + d->name);
  return out;
}

TEST(Divisions, LoadsTheNationalTable) {
  // 31 provinces + 342 cities + 2978 counties + 41352 townships in the NBS 2023 files, plus historical rows.
  EXPECT_GT(Div().size(), 31u + 342u + 2978u + 41352u);
  const Division* hubei = Div().Find("42");
  ASSERT_NE(hubei, nullptr);
  EXPECT_EQ(hubei->name, "湖北省");
  EXPECT_EQ(hubei->level, 1);
  EXPECT_EQ(hubei->parent, "");
  EXPECT_EQ(Div().Find("99"), nullptr);
  EXPECT_EQ(Div().Find(""), nullptr);
}

// DOMAIN.md: Jingzhou is 4210 with 沙市区, 荆州区, 公安县, 江陵县, 石首市, 洪湖市, 松滋市, 监利市 (+ statistical 421071 开发区).
TEST(Divisions, JingzhouAndItsCounties) {
  const Division* jz = Div().Find("4210");
  ASSERT_NE(jz, nullptr);
  EXPECT_EQ(jz->name, "荆州市");
  EXPECT_EQ(jz->level, 2);
  EXPECT_EQ(jz->parent, "42");
  EXPECT_EQ(Codes(Div().Children("4210")),
            (std::vector<std::string>{"421002 沙市区", "421003 荆州区", "421022 公安县", "421024 江陵县",
                                      "421071 荆州经济技术开发区", "421081 石首市", "421083 洪湖市", "421087 松滋市",
                                      "421088 监利市"}));
  EXPECT_TRUE(Div().Find("421071")->statistical);
  EXPECT_TRUE(Div().Find("421071001")->statistical);  // a township under the statistical code
  EXPECT_FALSE(Div().Find("421002")->statistical);
  EXPECT_FALSE(Div().Find("421088")->statistical);
  EXPECT_EQ(Div().FullName("421088"), "湖北省 荆州市 监利市");
}

TEST(Divisions, TownshipUnderShashi) {
  const Division* t = Div().Find("421002001");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->name, "中山街道");
  EXPECT_EQ(t->level, 4);
  EXPECT_EQ(t->parent, "421002");
  EXPECT_EQ(Div().FullName("421002001"), "湖北省 荆州市 沙市区 中山街道");
  auto towns = Div().Children("421002");
  ASSERT_FALSE(towns.empty());
  for (const auto* d : towns) {
    EXPECT_EQ(d->parent, "421002");
    EXPECT_EQ(d->level, 4);
  }
  EXPECT_EQ(towns.front()->code, "421002001");
  EXPECT_TRUE(Div().Children("421002001").empty());  // no village table
  // A 12-digit village code counts as its township.
  EXPECT_TRUE(Div().ValidOn("421002001001", ""));
  EXPECT_TRUE(Div().CheckCurrent("421002001001", "division").ok());
  EXPECT_FALSE(Div().ValidOn("421002999001", ""));
}

TEST(Divisions, PlaceholderLevelsAreLeftOutOfFullNames) {
  EXPECT_EQ(Div().FullName("110101"), "北京市 东城区");  // not "北京市 市辖区 东城区"
  EXPECT_EQ(Div().FullName("429004"), "湖北省 仙桃市");  // 4290 省直辖县级行政区划
  EXPECT_EQ(Div().FullName("1101"), "北京市 市辖区");    // the placeholder itself is still named
  EXPECT_EQ(Div().FullName("000000"), "");
}

TEST(Divisions, ProvincesAreTheRootChildren) {
  auto provinces = Div().Children("");
  EXPECT_EQ(provinces.size(), 31u);
  for (const auto* p : provinces) EXPECT_EQ(p->level, 1);
}

TEST(Divisions, HistoricalJianliCounty) {
  const Division* old = Div().Find("421023");
  ASSERT_NE(old, nullptr);
  EXPECT_EQ(old->name, "监利县");
  EXPECT_EQ(old->parent, "4210");
  EXPECT_EQ(old->level, 3);
  EXPECT_EQ(old->successor, "421088");
  EXPECT_EQ(old->valid_until, "2020-06-12");  // 民政部 approval of 监利撤县设市
  EXPECT_TRUE(Div().ValidOn("421023", "1985-06-12"));
  EXPECT_TRUE(Div().ValidOn("421023", "2020-06-12"));
  EXPECT_FALSE(Div().ValidOn("421023", "2020-06-13"));
  EXPECT_FALSE(Div().ValidOn("421023", "2021-03-15"));
  EXPECT_FALSE(Div().ValidOn("421023", ""));  // not current
  EXPECT_TRUE(Div().ValidOn("421088", ""));
  EXPECT_TRUE(Div().ValidOn("421088", "2021-03-15"));
  EXPECT_FALSE(Div().ValidOn("421023", "2020-13-01"));  // a malformed date is never valid
  EXPECT_EQ(Div().FullName("421023"), "湖北省 荆州市 监利县");

  Status s = Div().CheckCurrent("421023", "address_code");
  EXPECT_EQ(s.error_code(), "division.historical");
  EXPECT_NE(s.message().find("421088"), std::string::npos) << s.message();
  ASSERT_EQ(s.details().size(), 1u);
  EXPECT_EQ(s.details()[0].field, "address_code");
  EXPECT_TRUE(Div().CheckCurrent("421088", "address_code").ok());
}

TEST(Divisions, ValidFromIsRespected) {
  // 440582 潮阳市 existed from 1993-04-09 (潮阳县 440524 before it) until 2003.
  EXPECT_FALSE(Div().ValidOn("440582", "1990-01-01"));
  EXPECT_TRUE(Div().ValidOn("440582", "1995-01-01"));
  EXPECT_FALSE(Div().ValidOn("440582", "2010-01-01"));
  // ...but a person born in 1990 could still be registered there later.
  EXPECT_TRUE(Div().InUseOnOrAfter("440582", "1990-01-01"));
  EXPECT_FALSE(Div().InUseOnOrAfter("440582", "2010-01-01"));
  EXPECT_TRUE(Div().InUseOnOrAfter("440524", "1880-01-01"));
  EXPECT_TRUE(Div().InUseOnOrAfter("421088", "1950-01-01"));
  EXPECT_FALSE(Div().InUseOnOrAfter("999999", "1950-01-01"));
}

TEST(Divisions, UnknownAndMalformedCodes) {
  Status unknown = Div().CheckCurrent("429999", "division");
  EXPECT_EQ(unknown.error_code(), "division.unknown");
  EXPECT_EQ(unknown.code(), Code::kInvalid);
  EXPECT_EQ(Div().CheckCurrent("42a0", "division").error_code(), "division.format");
  EXPECT_EQ(Div().CheckCurrent("42100", "division").error_code(), "division.format");
  EXPECT_EQ(Div().CheckCurrent("", "division").error_code(), "division.format");
  EXPECT_FALSE(Div().ValidOn("429999", "2000-01-01"));
  EXPECT_TRUE(Div().Children("429999").empty());
  EXPECT_TRUE(Div().CheckCurrent("4210", "division").ok());
}

TEST(Divisions, FromCsvParsesQuotedFieldsAndChecksStructure) {
  const char* provinces = "code,name\n42,\"湖北省\"\n";
  const char* cities = "code,name,provinceCode\n4210,\"荆州市\",42\n";
  const char* areas = "code,name,cityCode,provinceCode\n421002,\"沙市区, 测试\",4210,42\n";
  const char* streets = "code,name,areaCode,provinceCode,cityCode\n421002001,\"中山街道\",421002,42,4210\n";
  const char* historical =
      "code,name,parent,valid_from,valid_until,successor,source\n421023,监利县,4210,,2020-06-12,,\"a, b\"\n";
  auto d = Divisions::FromCsv(provinces, cities, areas, streets, historical);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->size(), 5u);
  EXPECT_EQ(d->Find("421002")->name, "沙市区, 测试");
  EXPECT_EQ(d->FullName("421002001"), "湖北省 荆州市 沙市区, 测试 中山街道");
  EXPECT_FALSE(d->ValidOn("421023", "2021-01-01"));

  auto orphan = Divisions::FromCsv(provinces, "code,name,provinceCode\n4301,长沙市,43\n", "", "", "");
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.status().error_code(), "division.bad_data");

  auto mismatch = Divisions::FromCsv(provinces, "code,name,provinceCode\n4301,长沙市,42\n", "", "", "");
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.status().message().find("第 2 行"), std::string::npos) << mismatch.status().message();

  auto duplicate = Divisions::FromCsv("code,name\n42,湖北省\n42,湖北\n", "", "", "", "");
  ASSERT_FALSE(duplicate.ok());

  auto bad_date = Divisions::FromCsv(provinces, cities, "", "",
                                     "code,name,parent,valid_from,valid_until,successor,source\n"
                                     "421023,监利县,4210,,2020-06,,x\n");
  ASSERT_FALSE(bad_date.ok());
  EXPECT_EQ(bad_date.status().error_code(), "division.bad_data");

  auto empty_history = Divisions::FromCsv(provinces, cities, "", "", "");
  ASSERT_TRUE(empty_history.ok());
  EXPECT_EQ(empty_history->size(), 2u);
}

}  // namespace
}  // namespace doudi
