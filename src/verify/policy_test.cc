// Policy tests: the shipped example, selection by county, urban/rural and effective date, and file errors.
#include "verify/policy.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace doudi::verify {
namespace {

TEST(VerifyPolicy, ExampleSelectsByCountyAreaAndDate) {
  auto p = Policy::Example();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->version(), "jingzhou-example-2025.1");
  // 沙市区 urban from 2025: its own entry (800 yuan) beats the city-wide 780.
  const PolicyEntry* e = p->Find("421002", Area::kUrban, DateDays("2025-03-01"));
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->rules.standard, 80000);
  EXPECT_EQ(e->rules.version, "jingzhou-example-2025.1#421002-urban-2025-01-01");
  // 公安县 urban: the city-wide entry.
  e = p->Find("421022", Area::kUrban, DateDays("2025-03-01"));
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->rules.standard, 78000);
  EXPECT_EQ(e->rules.asset_limit_months, 24);
  EXPECT_EQ(e->rules.near_band_permille, 1500);
  EXPECT_TRUE(e->rules.exempt(VehicleType::kEbike));
  EXPECT_FALSE(e->rules.exempt(VehicleType::kCar));
  EXPECT_EQ(e->rules.business_review_capital_below, 10000000);
  // Before 2025 the 2024 entry; 沙市区 had no own entry then, so the city's.
  e = p->Find("421002", Area::kUrban, DateDays("2024-12-31"));
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->rules.standard, 76000);
  // Rural.
  e = p->Find("421002", Area::kRural, DateDays("2025-01-01"));
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->rules.standard, 60000);
  // Before any entry, or outside Jingzhou: none.
  EXPECT_EQ(p->Find("421002", Area::kUrban, DateDays("2023-12-31")), nullptr);
  EXPECT_EQ(p->Find("420102", Area::kUrban, DateDays("2025-03-01")), nullptr);
  EXPECT_EQ(p->FindIndex("420102", Area::kUrban, DateDays("2025-03-01")), -1);
  EXPECT_EQ(p->AllRules().size(), p->entries().size());
}

TEST(VerifyPolicy, AllKeys) {
  auto p = Policy::Parse(R"(
version = "t1"
[[entry]]
county = "421088"
area = "农村"
effective_from = 2025-07-01
standard_yuan = 600.5
income_months = 6
counted_income = ["wage", "pension"]
excluded_income = ["pension"]
near_band = 1.3
asset_limit_months = 12
count_provident_fund_balance = true
[entry.vehicle]
exempt = ["disability"]
outcome = "review"
[entry.property]
max_homes = 2
non_residential_allowed = true
outcome = "review"
[entry.business]
count_shareholder = false
review_capital_below_yuan = 5000
outcome = "review"
[entry.feeds]
stale_after_days = 31
outcome = "fail"
[entry.members]
outcome = "fail"
)");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  const Rules& r = p->entries()[0].rules;
  EXPECT_EQ(p->entries()[0].area, Area::kRural);
  EXPECT_EQ(p->entries()[0].effective_from, DateDays("2025-07-01"));
  EXPECT_EQ(r.standard, 60050);
  EXPECT_EQ(r.income_months, 6);
  EXPECT_EQ(r.counted_income, 1u << int(IncomeCategory::kWage));
  EXPECT_EQ(r.near_band_permille, 1300);
  EXPECT_EQ(r.near_limit(), 78065);  // 600.50 × 1.3 = 780.65
  EXPECT_EQ(r.asset_limit(), 720600);
  EXPECT_TRUE(r.count_provident_fund_balance);
  EXPECT_EQ(r.vehicle_exempt, 1u << int(VehicleType::kDisability));
  EXPECT_EQ(r.vehicle_outcome, Outcome::kReview);
  EXPECT_EQ(r.max_homes, 2);
  EXPECT_TRUE(r.non_residential_allowed);
  EXPECT_FALSE(r.business_count_shareholder);
  EXPECT_EQ(r.business_review_capital_below, 500000);
  EXPECT_EQ(r.stale_after_days, 31);
  EXPECT_EQ(r.stale_outcome, Outcome::kFail);
  EXPECT_EQ(r.member_outcome, Outcome::kFail);
}

TEST(VerifyPolicy, Errors) {
  auto syntax = Policy::Parse("version = \"x\"\n[[entry]\n");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.status().error_code(), "policy.toml");
  auto no_standard = Policy::Parse("version = \"x\"\n[[entry]]\ncounty = \"4210\"\narea = \"urban\"\neffective_from = \"2025-01-01\"\n");
  ASSERT_FALSE(no_standard.ok());
  EXPECT_EQ(no_standard.status().details()[0].field, "entry[0].standard_yuan");
  auto bad_kind = Policy::Parse(
      "version = \"x\"\n[[entry]]\ncounty = \"4210\"\narea = \"urban\"\neffective_from = \"2025-01-01\"\n"
      "standard_yuan = \"700\"\ncounted_income = [\"lottery\"]\n");
  ASSERT_FALSE(bad_kind.ok());
  EXPECT_EQ(bad_kind.status().details()[0].field, "entry[0].counted_income");
  auto bad_date = Policy::Parse(
      "version = \"x\"\n[[entry]]\ncounty = \"4210\"\narea = \"urban\"\neffective_from = \"2025-02-30\"\nstandard_yuan = 1\n");
  ASSERT_FALSE(bad_date.ok());
  const char* entry = "[[entry]]\ncounty = \"4210\"\narea = \"urban\"\neffective_from = \"2025-01-01\"\nstandard_yuan = 1\n";
  auto dup = Policy::Parse(std::string("version = \"x\"\n") + entry + entry);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().details()[0].field, "entry[1]");
  auto empty = Policy::Parse("version = \"x\"\n");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().error_code(), "policy.empty");
  auto money = Policy::Parse(
      "version = \"x\"\n[[entry]]\ncounty = \"4210\"\narea = \"urban\"\neffective_from = \"2025-01-01\"\nstandard_yuan = \"7.001\"\n");
  ASSERT_FALSE(money.ok());
}

TEST(VerifyPolicy, ConfiguredFileOrExample) {
  auto example = Policy::Configured("");
  ASSERT_TRUE(example.ok()) << example.status().ToString();
  EXPECT_EQ(example->version(), Policy::Example()->version());

  const auto dir = std::filesystem::temp_directory_path() / ("doudi-policy-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string good = (dir / "good.toml").string(), bad = (dir / "bad.toml").string();
  std::ofstream(good) << "version = \"city-2026.1\"\n[[entry]]\ncounty = \"4210\"\narea = \"rural\"\n"
                         "effective_from = \"2026-01-01\"\nstandard_yuan = \"600\"\n";
  std::ofstream(bad) << "version = \"city-2026.2\"\n[[entry]]\ncounty = \"4210\"\narea = \"rural\"\n"
                        "effective_from = \"2026-01-01\"\n";
  auto installed = Policy::Configured(good);
  ASSERT_TRUE(installed.ok()) << installed.status().ToString();
  EXPECT_EQ(installed->version(), "city-2026.1");
  ASSERT_EQ(installed->entries().size(), 1u);
  EXPECT_EQ(installed->entries()[0].rules.standard, 60000);

  auto invalid = Policy::Configured(bad);
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.status().error_code(), "config.verify.policy_file");
  EXPECT_NE(invalid.status().message().find("verify.policy_file"), std::string::npos);
  EXPECT_NE(invalid.status().message().find(bad), std::string::npos);
  EXPECT_NE(invalid.status().message().find("standard_yuan"), std::string::npos) << invalid.status().message();

  auto missing = Policy::Configured((dir / "none.toml").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().error_code(), "config.verify.policy_file");
  EXPECT_NE(missing.status().message().find("无法读取"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace doudi::verify
