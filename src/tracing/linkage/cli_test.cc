#include "tracing/linkage/cli.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tracing/cli_test_dir.h"

namespace doudi::linkage {
namespace {

using LinkageCli = doudi::testing::CliTestDir;

constexpr const char* kMissing =
    "id,name,sex,birth_date,age_at_lost,lost_date,height_cm,hukou_division,lost_division,dialect,marks\n"
    "M001,张小明,男,1995-03-02,,2001-05-01,115,421002,421002,西南官话,左眉有痣\n"
    "M002,单丽,女,,8,1999-07-15,,421081,421081,西南官话,右手缺小指\n"
    "M003,王伟,男,,35,2010-01-01,172,110101,110105,北方官话,\n"
    "M005,李四,男,,12,2001-02-30,,,,,\n";  // line 5: no 30 February
constexpr const char* kFound =
    "id,name,sex,estimated_age,found_date,height_cm,origin_division,found_division,dialect,marks\n"
    "U01,章晓明,男,25,2020-06-01,171,4210,440305,西南官话,左眉痣\n"
    "U02,,女,30-35,2022-01-01,158,,421081,西南官话,右手缺指\n"
    "U05,刘德华,男,40\n";  // line 4: ragged

TEST_F(LinkageCli, MatchWritesExplainedCandidatesAndListsRejectedRows) {
  LinkageCliOptions o;
  o.missing_path = Write("m.csv", kMissing);
  o.found_path = Write("u.csv", kFound);
  o.out_path = Path("out.jsonl");
  o.rejects_path = Path("rejects.csv");
  o.params_path = Path("params.json");
  o.threshold = 5;
  o.progress = false;
  EXPECT_EQ(RunLinkageMatch(o), 2);  // ran, with rejected rows
  const auto lines = ReadLines(o.out_path);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["found"], "U01");
  EXPECT_EQ(lines[0]["missing"], "M001");
  EXPECT_EQ(lines[1]["found"], "U02");
  EXPECT_EQ(lines[1]["missing"], "M002");
  for (const auto& l : lines) {
    EXPECT_GE(l["match_weight"].get<double>(), 5);
    double sum = 0;
    for (const auto& f : l["fields"]) sum += f["weight"].get<double>() + f["tf"].get<double>();
    EXPECT_NEAR(sum, l["match_weight"].get<double>(), 1e-3);  // the parts add up to the whole
  }
  EXPECT_EQ(lines[0]["fields"][0]["field"], "name");
  EXPECT_EQ(lines[0]["fields"][0]["level"], "same_pinyin");  // 章晓明 / 张小明
  EXPECT_NE(lines[0]["fields"][0]["explanation"].get<std::string>().find("拼音相同"), std::string::npos);
  const std::string rejects = ReadAll(o.rejects_path);
  EXPECT_NE(rejects.find(",5,lost_date,linkage.date,"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find(",4,,csv.ragged_row,"), std::string::npos) << rejects;
  const auto params = nlohmann::json::parse(ReadAll(o.params_path));
  EXPECT_TRUE(params.contains("lambda"));
  EXPECT_EQ(params["fields"]["name"].size(), 7u);
}

TEST_F(LinkageCli, DedupeFindsTheRepeatedReport) {
  LinkageCliOptions o;
  o.missing_path = Write("m.csv",
                         "id,name,sex,birth_date,lost_date,hukou_division,marks\n"
                         "A,张小明,男,1995-03-02,2001-05-01,421002,左眉有痣\n"
                         "B,王芳,女,1980-01-01,2005-05-01,110101,\n"
                         "C,張小明,男,1995-03-02,2001-05-03,421002,左眉痣\n");
  o.out_path = Path("dup.jsonl");
  o.threshold = 5;
  o.estimate = false;
  o.progress = false;
  EXPECT_EQ(RunLinkageDedupe(o), 0);
  const auto lines = ReadLines(o.out_path);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["record"], "C");
  EXPECT_EQ(lines[0]["duplicate_of"], "A");
  EXPECT_EQ(lines[0]["fields"][0]["level"], "same_after_simplified");
}

TEST_F(LinkageCli, UnusableInputStopsWithAMessage) {
  LinkageCliOptions o;
  o.missing_path = Write("empty.csv", "");
  o.found_path = Write("u.csv", kFound);
  o.out_path = Path("out.jsonl");
  o.progress = false;
  EXPECT_EQ(RunLinkageMatch(o), 1);
  o.missing_path = Write("nodate.csv", "id,name\nM1,张三\n");
  EXPECT_EQ(RunLinkageMatch(o), 1);
  o.missing_path = Path("does-not-exist.csv");
  EXPECT_EQ(RunLinkageMatch(o), 1);
  o.missing_path = Write("m.csv", kMissing);
  o.top = 0;
  EXPECT_EQ(RunLinkageMatch(o), 1);
}

}  // namespace
}  // namespace doudi::linkage
