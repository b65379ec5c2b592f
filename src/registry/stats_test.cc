// Dashboard counts: compared with a brute-force count over the test's own input, for the city and for a
// county's scope.
#include <map>
#include <random>

#include <gtest/gtest.h>

#include "registry/test_support.h"

namespace doudi::registry {
namespace {

using testing::MakeId;
using testing::RegistryTest;

class StatsTest : public RegistryTest {};

TEST_P(StatsTest, CountsEqualABruteForceCount) {
  const std::vector<std::string> townships = {"421002001", "421002100", "421003001", "421003100", "421022100",
                                              "421081"};
  std::mt19937 rng(42);
  struct Rec {
    std::string division;
    int64_t id = 0;
    std::string urban_rural;  // of the household, "" if none
  };
  std::vector<Rec> persons;
  for (int k = 0; k < 120; ++k) {
    Rec r;
    r.division = townships[rng() % townships.size()];
    auto p = svc_->CreatePerson(city_, Sample("人" + std::to_string(k), r.division,
                                              MakeId(r.division.substr(0, 6), "19750101", k)));
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    r.id = p->id;
    persons.push_back(r);
  }
  struct Hh {
    std::string division, urban_rural;
  };
  std::vector<Hh> households;
  // Households of 1–4 consecutive persons; about a fifth of the persons stay outside any household.
  for (size_t k = 0; k < persons.size();) {
    size_t size = 1 + rng() % 4;
    if (rng() % 5 == 0) {
      k += size;
      continue;
    }
    NewHousehold h;
    h.head_person_id = persons[k].id;
    h.urban_rural = rng() % 2 ? "urban" : "rural";
    h.division_code = persons[k].division;
    for (size_t m = k + 1; m < std::min(persons.size(), k + size); ++m) h.members.push_back({persons[m].id, "20"});
    auto created = svc_->CreateHousehold(city_, h);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    for (size_t m = k; m < std::min(persons.size(), k + size); ++m) persons[m].urban_rural = h.urban_rural;
    households.push_back({h.division_code, h.urban_rural});
    k += size;
  }

  auto check = [&](const platform::Principal& who, const std::string& prefix) {
    std::map<std::string, int64_t> p_county, h_county, h_urban_county;
    int64_t p_total = 0, h_total = 0, p_urban = 0, p_rural = 0, p_none = 0, h_urban = 0, h_rural = 0;
    for (const auto& r : persons) {
      if (!r.division.starts_with(prefix)) continue;
      ++p_total;
      ++p_county[r.division.substr(0, 6)];
      if (r.urban_rural == "urban") ++p_urban;
      else if (r.urban_rural == "rural") ++p_rural;
      else ++p_none;
    }
    for (const auto& h : households) {
      if (!h.division.starts_with(prefix)) continue;
      ++h_total;
      ++h_county[h.division.substr(0, 6)];
      if (h.urban_rural == "urban") {
        ++h_urban;
        ++h_urban_county[h.division.substr(0, 6)];
      } else {
        ++h_rural;
      }
    }
    auto s = svc_->Stats(who);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_EQ(s->persons, p_total);
    EXPECT_EQ(s->households, h_total);
    EXPECT_EQ(s->persons_urban, p_urban);
    EXPECT_EQ(s->persons_rural, p_rural);
    EXPECT_EQ(s->persons_no_household, p_none);
    EXPECT_EQ(s->households_urban, h_urban);
    EXPECT_EQ(s->households_rural, h_rural);
    std::map<std::string, int64_t> got_p, got_h, got_hu;
    for (const auto& c : s->by_county) {
      if (c.persons) got_p[c.county] = c.persons;
      if (c.households) got_h[c.county] = c.households;
      if (c.households_urban) got_hu[c.county] = c.households_urban;
      EXPECT_EQ(c.households, c.households_urban + c.households_rural);
    }
    EXPECT_EQ(got_p, p_county);
    EXPECT_EQ(got_h, h_county);
    EXPECT_EQ(got_hu, h_urban_county);
  };
  check(city_, "");
  check(jingzhou_, "421003");
  check(shashi_, "421002");
  ASSERT_GT(persons.size(), 0u);

  auto s = svc_->Stats(city_);
  ASSERT_TRUE(s.ok());
  for (const auto& c : s->by_county) {
    if (c.county == "421003") {
      EXPECT_EQ(c.county_name, "荆州区");
    }
    if (c.county == "421081") {
      EXPECT_EQ(c.county_name, "石首市");
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Db, StatsTest, ::testing::ValuesIn(db::TestDialects()),
                         [](const auto& info) { return db::DialectName(info.param); });

}  // namespace
}  // namespace doudi::registry
