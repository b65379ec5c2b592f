#include "common/codes.h"

#include <gtest/gtest.h>

namespace doudi {
namespace {

TEST(CodeSets, AllStandardSetsAreEmbedded) {
  auto names = CodeSets::Names();
  for (const char* n : {"disability_category", "disability_grade", "education", "ethnicity", "marital", "relation",
                        "sex"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  }
}

TEST(CodeSets, SexGbt2261_1) {
  const CodeSet& sex = CodeSets::Get("sex");
  EXPECT_EQ(sex.entries().size(), 4u);
  EXPECT_EQ(sex.Name("0"), "未知的性别");
  EXPECT_EQ(sex.Name("1"), "男性");
  EXPECT_EQ(sex.Name("2"), "女性");
  EXPECT_EQ(sex.Name("9"), "未说明的性别");
  EXPECT_FALSE(sex.Contains("3"));
  EXPECT_EQ(sex.Name("3"), "");
}

TEST(CodeSets, EthnicityGb3304) {
  const CodeSet& e = CodeSets::Get("ethnicity");
  EXPECT_EQ(e.entries().size(), 58u);  // 56 groups + 97 + 98
  EXPECT_EQ(e.Name("01"), "汉族");
  EXPECT_EQ(e.Name("02"), "蒙古族");
  EXPECT_EQ(e.Name("05"), "维吾尔族");
  EXPECT_EQ(e.Name("15"), "土家族");  // common in Jingzhou's neighbour 恩施
  EXPECT_EQ(e.Name("46"), "德昂族");
  EXPECT_EQ(e.Name("56"), "基诺族");
  EXPECT_EQ(e.Name("97"), "其他未识别民族");
  EXPECT_EQ(e.Name("98"), "外国血统中国籍人士");
  EXPECT_FALSE(e.Contains("1"));  // codes are two characters
  EXPECT_FALSE(e.Contains("57"));
  for (int i = 1; i <= 56; ++i) {
    char code[3] = {static_cast<char>('0' + i / 10), static_cast<char>('0' + i % 10), 0};
    EXPECT_TRUE(e.Contains(code)) << code;
  }
  EXPECT_EQ(e.entries().front().code, "01");  // file order is the standard's order
}

TEST(CodeSets, RelationGbt4761) {
  const CodeSet& r = CodeSets::Get("relation");
  EXPECT_EQ(r.Name("01"), "本人");
  EXPECT_EQ(r.Name("02"), "户主");
  EXPECT_EQ(r.Name("10"), "配偶");
  EXPECT_EQ(r.Name("20"), "子");
  EXPECT_EQ(r.Name("30"), "女");
  EXPECT_EQ(r.Name("50"), "父母");
  EXPECT_EQ(r.Name("70"), "兄弟姐妹");
  EXPECT_EQ(r.Name("80"), "其他");
  EXPECT_EQ(r.Name("28"), "女婿");
  EXPECT_EQ(r.Name("38"), "儿媳");
  EXPECT_EQ(r.Name("99"), "非亲属");
  EXPECT_EQ(r.Find("12")->parent, "10");
  EXPECT_EQ(r.Find("28")->parent, "20");
  EXPECT_EQ(r.Find("10")->parent, "");
  EXPECT_FALSE(r.Contains("98"));
}

TEST(CodeSets, MaritalEducationDisability) {
  const CodeSet& m = CodeSets::Get("marital");
  EXPECT_EQ(m.Name("10"), "未婚");
  EXPECT_EQ(m.Name("20"), "已婚");
  EXPECT_EQ(m.Find("22")->parent, "20");
  EXPECT_EQ(m.Name("30"), "丧偶");
  EXPECT_EQ(m.Name("40"), "离婚");
  EXPECT_EQ(m.Name("90"), "未说明的婚姻状况");

  const CodeSet& edu = CodeSets::Get("education");
  EXPECT_EQ(edu.Name("10"), "研究生教育");
  EXPECT_EQ(edu.Name("80"), "小学教育");
  EXPECT_FALSE(edu.Contains("50"));

  const CodeSet& cat = CodeSets::Get("disability_category");
  const char* expected[] = {"视力残疾", "听力残疾", "言语残疾", "肢体残疾", "智力残疾", "精神残疾", "多重残疾"};
  ASSERT_EQ(cat.entries().size(), 7u);
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(cat.entries()[i].code, std::to_string(i + 1));
    EXPECT_EQ(cat.entries()[i].name, expected[i]);
  }
  const CodeSet& grade = CodeSets::Get("disability_grade");
  EXPECT_EQ(grade.entries().size(), 4u);
  EXPECT_TRUE(grade.Contains("4"));
  EXPECT_FALSE(grade.Contains("5"));
}

TEST(CodeSets, CheckAndErrors) {
  EXPECT_TRUE(CodeSets::Get("sex").Check("1", "sex").ok());
  Status s = CodeSets::Get("ethnicity").Check("99", "ethnicity");
  EXPECT_EQ(s.error_code(), "code.unknown");
  EXPECT_NE(s.message().find("民族"), std::string::npos) << s.message();
  ASSERT_EQ(s.details().size(), 1u);
  EXPECT_EQ(s.details()[0].field, "ethnicity");

  EXPECT_TRUE(CodeSets::Get("no_such_set").entries().empty());
  EXPECT_FALSE(CodeSets::Get("no_such_set").Contains("1"));

  auto dup = CodeSet::FromCsv("t", "code,name\n1,a\n1,b\n");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().error_code(), "code.bad_data");
  EXPECT_NE(dup.status().message().find("第 3 行"), std::string::npos);
  auto orphan = CodeSet::FromCsv("t", "code,name,parent\n11,a,10\n");
  EXPECT_FALSE(orphan.ok());
  auto no_name = CodeSet::FromCsv("t", "code\n1\n");
  EXPECT_FALSE(no_name.ok());
}

}  // namespace
}  // namespace doudi
