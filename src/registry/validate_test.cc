// Pure validation rules: phone normalisation, ages, derivation from the ID number, flags, households.
#include <gtest/gtest.h>

#include "registry/test_support.h"
#include "registry/validate.h"

namespace doudi::registry {
namespace {

using testing::MakeId;

const FieldError* Find(const std::vector<FieldError>& errors, const std::string& field) {
  for (const auto& e : errors) {
    if (e.field == field) return &e;
  }
  return nullptr;
}

TEST(NormalizePhone, MobileAndLandlineForms) {
  EXPECT_EQ(NormalizePhone("13812345678"), "13812345678");
  EXPECT_EQ(NormalizePhone("138 1234 5678"), "13812345678");
  EXPECT_EQ(NormalizePhone("+86 138-1234-5678"), "13812345678");
  EXPECT_EQ(NormalizePhone("0716-8123456"), "07168123456");   // 荆州 area code, 7-digit number
  EXPECT_EQ(NormalizePhone("(027) 88881234"), "02788881234");  // 武汉, 8-digit number
  EXPECT_EQ(NormalizePhone("12812345678"), "");   // 12x is not a mobile prefix
  EXPECT_EQ(NormalizePhone("1381234567"), "");    // 10 digits
  EXPECT_EQ(NormalizePhone("0012345678"), "");    // international prefix, not an area code
  EXPECT_EQ(NormalizePhone("138123456789"), "");  // 12 digits starting with 1
  EXPECT_EQ(NormalizePhone("138a2345678"), "");
}

TEST(AgeOn, CountsWholeYears) {
  EXPECT_EQ(AgeOn("1980-03-15", "2025-03-14"), 44);
  EXPECT_EQ(AgeOn("1980-03-15", "2025-03-15"), 45);
  EXPECT_EQ(AgeOn("2000-02-29", "2025-02-28"), 24);
  EXPECT_EQ(AgeOn("2000-02-29", "2025-03-01"), 25);
  EXPECT_EQ(AgeOn("bad", "2025-03-01"), -1);
}

TEST(ValidatePerson, DerivesFromAFifteenDigitNumber) {
  // 15-digit form of a 1980-03-15 male born in 421003: 421003 800315 123 -> 18 digits with "19" and a check.
  PersonFields p;
  p.name = "  张三  ";
  p.id_number = "421003800315123";
  p.division_code = "421003";
  auto errors = ValidatePerson(p, Divisions::Default(), "2025-06-01");
  ASSERT_TRUE(errors.empty()) << errors[0].code;
  EXPECT_EQ(p.id_number, MakeId("421003", "19800315", 123));
  EXPECT_EQ(p.birth_date, "1980-03-15");
  EXPECT_EQ(p.sex, 1);
  EXPECT_EQ(p.name, "张三");
}

TEST(ValidatePerson, SexMismatchAndUnstatedSex) {
  PersonFields p;
  p.name = "李";
  p.id_number = MakeId("421002", "19900101", 2);  // even: female
  p.division_code = "421002001";
  p.sex = 1;
  auto errors = ValidatePerson(p, Divisions::Default(), "2025-06-01");
  ASSERT_NE(Find(errors, "sex"), nullptr);
  EXPECT_EQ(Find(errors, "sex")->code, "registry.sex.mismatch");
  p.sex = 9;  // unstated: the ID decides
  errors = ValidatePerson(p, Divisions::Default(), "2025-06-01");
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(p.sex, 2);
}

TEST(ValidatePerson, FlagsDisabilityAndCodes) {
  PersonFields p;
  p.name = "王";
  p.division_code = "421087";
  p.flags = "disabled,,elderly_alone, disabled";
  p.disability_category = "4";
  p.ethnicity = "1";  // one digit is padded
  p.marital_status = "20";
  auto errors = ValidatePerson(p, Divisions::Default(), "2025-06-01");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "registry.disability_grade.required");
  EXPECT_EQ(p.flags, "disabled,elderly_alone");
  EXPECT_EQ(p.ethnicity, "01");
  p.disability_grade = "2";
  p.flags = "disabled,vip";
  errors = ValidatePerson(p, Divisions::Default(), "2025-06-01");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "registry.flags.unknown");
  p.flags = "disabled";
  p.marital_status = "25";
  p.photo = "../etc/passwd";
  errors = ValidatePerson(p, Divisions::Default(), "2025-06-01");
  EXPECT_NE(Find(errors, "marital_status"), nullptr);
  EXPECT_NE(Find(errors, "photo"), nullptr);
}

TEST(ValidatePerson, HistoricalAddressCodeInIdButCurrentDivisionRequired) {
  // 监利县 421023 was valid for people born before 2020; the record's own division must be current.
  PersonFields p;
  p.name = "监利人";
  p.id_number = MakeId("421023", "19700101", 5);
  p.division_code = "421023";
  auto errors = ValidatePerson(p, Divisions::Default(), "2025-06-01");
  EXPECT_EQ(Find(errors, "id_number"), nullptr);
  ASSERT_NE(Find(errors, "division_code"), nullptr);
  EXPECT_EQ(Find(errors, "division_code")->code, "registry.division_code.unknown");
  p.division_code = "421088";
  EXPECT_TRUE(ValidatePerson(p, Divisions::Default(), "2025-06-01").empty());
}

TEST(ValidateMembers, DuplicatesAndRelations) {
  EXPECT_TRUE(ValidateMembers({{1, "10"}, {2, "21"}}).empty());
  auto errors = ValidateMembers({{1, "10"}, {1, "21"}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].code, "registry.members.duplicate");
  EXPECT_EQ(ValidateMembers({{1, "98"}})[0].code, "registry.relation.invalid");  // 98 is unassigned
  std::vector<Member> members = {{2, "10"}};
  EXPECT_TRUE(NormalizeHead(1, members).empty());
  ASSERT_EQ(members.size(), 2u);
  EXPECT_EQ(members[0].person_id, 1);
  EXPECT_EQ(members[0].relation, "02");
}

}  // namespace
}  // namespace doudi::registry
