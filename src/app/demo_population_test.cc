#include "app/demo_population.h"

#include <gtest/gtest.h>

#include <set>

#include "common/divisions.h"
#include "common/id_number.h"

namespace doudi::app {
namespace {

TEST(DemoPopulation, IsDeterministicForASeed) {
  auto a = GenerateDemoPopulation(42, 300, "2026-01-01");
  auto b = GenerateDemoPopulation(42, 300, "2026-01-01");
  auto c = GenerateDemoPopulation(43, 300, "2026-01-01");
  ASSERT_EQ(a.size(), 300u);
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].members.size(), b[i].members.size());
    for (size_t j = 0; j < a[i].members.size(); ++j) EXPECT_EQ(a[i].members[j].id_number, b[i].members[j].id_number);
  }
  EXPECT_NE(a[0].members[0].id_number, c[0].members[0].id_number);
}

TEST(DemoPopulation, IdNumbersAreValidUniqueAndAgreeWithSexAndBirthDate) {
  auto households = GenerateDemoPopulation(7, 5000, "2026-01-01");
  const auto& divisions = Divisions::Default();
  std::set<std::string> ids;
  size_t persons = 0;
  for (const auto& h : households) {
    ASSERT_FALSE(h.members.empty());
    EXPECT_EQ(h.members[0].relation, "02");  // the head comes first
    EXPECT_TRUE(h.division_code.starts_with("4210") && h.division_code.size() == 9) << h.division_code;
    EXPECT_NE(divisions.Find(h.division_code), nullptr);
    for (const auto& m : h.members) {
      ++persons;
      auto parsed = ParseIdNumber(m.id_number, &divisions);
      ASSERT_TRUE(parsed.ok()) << m.id_number << " " << parsed.status().ToString();
      EXPECT_EQ(parsed->sex, m.sex);
      EXPECT_EQ(parsed->birth_date, m.birth_date);
      EXPECT_EQ(parsed->address_code, m.division_code.substr(0, 6));  // issued in the person's own county
      EXPECT_TRUE(ids.insert(m.id_number).second) << "duplicate " << m.id_number;
    }
  }
  // "about 5,000 households / 12,000 persons": 2.2–2.6 persons a household.
  double ratio = static_cast<double>(persons) / households.size();
  EXPECT_GT(ratio, 2.2);
  EXPECT_LT(ratio, 2.6);
}

}  // namespace
}  // namespace doudi::app
