// Engine tests: households worked by hand (figures in the comments), for every rule and flag.
#include "verify/engine/engine.h"

#include <gtest/gtest.h>

#include <atomic>

namespace doudi::verify {
namespace {

const int32_t kAsOf = DateDays("2025-07-15");  // income period 2024-07 .. 2025-06 (12 months)

Rules TestRules() {
  Rules r;
  r.version = "test#4210-urban-2025-01-01";
  r.standard = 78000;  // 780 yuan; near limit 1170 yuan; asset limit 24 × 780 = 18720 yuan per capita
  r.income_months = 12;
  r.business_review_capital_below = 10000000;  // 100,000 yuan
  return r;
}

// Builds feeds and households; every feed present and fresh unless a test says otherwise.
struct Fixture {
  FeedTables f;
  Households h;
  std::vector<Rules> rules{TestRules()};
  uint64_t next_ref = 1;

  Fixture() {
    for (auto& s : f.status) s = {true, kAsOf};
  }
  uint32_t Household(std::vector<PersonKey> persons, std::vector<uint8_t> counted = {}, uint32_t rules_index = 0) {
    if (counted.empty()) counted.assign(persons.size(), 1);
    return h.Add(persons.data(), counted.data(), persons.size(), rules_index);
  }
  void Alive(PersonKey p) {
    f.hukou.person.push_back(p);
    f.hukou.dead.push_back(0);
    f.hukou.death_date.push_back(kNoDate);
    f.hukou.ref.push_back(next_ref++);
  }
  void Dead(PersonKey p, const char* date) {
    f.hukou.person.push_back(p);
    f.hukou.dead.push_back(1);
    f.hukou.death_date.push_back(DateDays(date));
    f.hukou.ref.push_back(next_ref++);
  }
  uint64_t Income(IncomeTable& t, PersonKey p, uint8_t kind, int year, int month, Fen amount) {
    t.person.push_back(p);
    t.kind.push_back(kind);
    t.month.push_back(MonthIndex(year, month));
    t.amount.push_back(amount);
    t.ref.push_back(next_ref);
    return next_ref++;
  }
  uint64_t Si(PersonKey p, SiKind k, int y, int m, Fen a) { return Income(f.social_insurance, p, uint8_t(k), y, m, a); }
  uint64_t Tax(PersonKey p, TaxKind k, int y, int m, Fen a) { return Income(f.tax, p, uint8_t(k), y, m, a); }
  // Twelve months of the period.
  void SiYear(PersonKey p, SiKind k, Fen a) {
    for (int i = 0; i < 12; ++i) Si(p, k, 2024 + (6 + i) / 12, (6 + i) % 12 + 1, a);
  }
  uint64_t Balance(BalanceTable& t, PersonKey p, uint64_t account, Fen amount, const char* as_of) {
    t.person.push_back(p);
    t.account.push_back(account);
    t.amount.push_back(amount);
    t.as_of.push_back(DateDays(as_of));
    t.ref.push_back(next_ref);
    return next_ref++;
  }
  void Vehicle(PersonKey p, VehicleType t) {
    f.vehicle.person.push_back(p);
    f.vehicle.type.push_back(t);
    f.vehicle.registered_on.push_back(DateDays("2020-01-01"));
    f.vehicle.ref.push_back(next_ref++);
  }
  void Property(PersonKey p, PropertyType t) {
    f.real_estate.person.push_back(p);
    f.real_estate.type.push_back(t);
    f.real_estate.area_centi_m2.push_back(8000);
    f.real_estate.registered_on.push_back(DateDays("2015-05-01"));
    f.real_estate.ref.push_back(next_ref++);
  }
  void Business(PersonKey p, BusinessRole role, Fen capital, bool active) {
    f.business.person.push_back(p);
    f.business.role.push_back(role);
    f.business.capital.push_back(capital);
    f.business.active.push_back(active);
    f.business.ref.push_back(next_ref++);
  }
  void Civil(PersonKey p, CivilRecord r, const char* date) {
    f.civil.person.push_back(p);
    f.civil.record.push_back(r);
    f.civil.date.push_back(DateDays(date));
    f.civil.ref.push_back(next_ref++);
  }
  Request Req(int threads = 1) {
    Request r;
    r.as_of = kAsOf;
    r.rules = &rules;
    r.threads = threads;
    return r;
  }
  HouseholdSummary One(uint32_t hh) {
    auto e = Engine::Build(f, h, 1);
    return e->RunOne(Req(), hh);
  }
};

TEST(VerifyEngine, WageReportedBySocialInsuranceAndTaxCountsOnce) {
  Fixture x;
  x.Alive(1);
  x.Alive(2);
  // Member 1: social insurance wage 3000 yuan in each of the 12 months; tax also reports 3200 yuan wage for
  // 2025-01..2025-06. Per month the larger: 6 × 3000 + 6 × 3200 = 37200 yuan (not 36000 + 19200 = 55200).
  x.SiYear(1, SiKind::kWage, 300000);
  for (int m = 1; m <= 6; ++m) x.Tax(1, TaxKind::kWage, 2025, m, 320000);
  x.Si(1, SiKind::kWage, 2025, 7, 99999900);  // the as-of month itself is outside the period
  x.Si(1, SiKind::kWage, 2024, 6, 99999900);  // and so is the month before the period
  uint32_t hh = x.Household({1, 2});
  HouseholdSummary s = x.One(hh);
  EXPECT_EQ(s.income_total, 3720000);
  EXPECT_EQ(s.income_month, 310000);       // 37200 / 12 = 3100 yuan
  EXPECT_EQ(s.income_per_capita, 155000);  // 3100 / 2 = 1550 yuan ≥ 780, and ≥ 1170 so not near
  EXPECT_EQ(s.members_counted, 2u);
  EXPECT_EQ(s.decision, Decision::kIneligible);
  EXPECT_EQ(s.flags, uint32_t(kFlagIncomeOverStandard));
  EXPECT_EQ(s.outcomes[int(RuleId::kIncome)], Outcome::kFail);

  // The explanation lists the wage line with both sources' records, the smaller report not counted.
  auto e = Engine::Build(x.f, x.h, 1);
  HouseholdReport rep = e->Explain(x.Req(), hh);
  ASSERT_EQ(rep.income.size(), 1u);
  const IncomeLine& w = rep.income[0];
  EXPECT_EQ(w.category, IncomeCategory::kWage);
  EXPECT_EQ(w.member, 0u);
  EXPECT_EQ(w.total, 3720000);
  EXPECT_EQ(w.monthly, 310000);
  ASSERT_EQ(w.records.size(), 18u);  // 12 SI + 6 tax rows in the period
  int counted_si = 0, counted_tax = 0;
  for (const RecordRef& r : w.records) {
    if (r.counted) (r.feed == Feed::kSocialInsurance ? counted_si : counted_tax)++;
  }
  EXPECT_EQ(counted_si, 6);   // 2024-07..2024-12
  EXPECT_EQ(counted_tax, 6);  // 2025-01..2025-06
  ASSERT_EQ(w.by_month.size(), 12u);
  EXPECT_EQ(w.by_month[0].month, MonthIndex(2024, 7));
  EXPECT_EQ(w.by_month[0].amount, 300000);
  EXPECT_EQ(w.by_month[11].amount, 320000);
  EXPECT_EQ(rep.period_first_month, MonthIndex(2024, 7));
  EXPECT_EQ(rep.period_last_month, MonthIndex(2025, 6));
  EXPECT_EQ(rep.policy_version, "test#4210-urban-2025-01-01");
  ASSERT_EQ(rep.rules.size(), size_t(kRuleCount));
  EXPECT_NE(rep.rules[int(RuleId::kIncome)].reason.find("1550.00元"), std::string::npos)
      << rep.rules[int(RuleId::kIncome)].reason;
}

TEST(VerifyEngine, TwoWageReportsInOneMonthFromOneSourceAreAdded) {
  Fixture x;
  x.Alive(1);
  // Two employers in 2025-03 report 1000 and 500 yuan to social insurance; tax reports 1200 yuan for the month.
  // SI sum 1500 > 1200: 1500 counts. Monthly 1500 / 12 = 125 yuan; per capita (1 member) 125 yuan.
  x.Si(1, SiKind::kWage, 2025, 3, 100000);
  x.Si(1, SiKind::kWage, 2025, 3, 50000);
  x.Tax(1, TaxKind::kWage, 2025, 3, 120000);
  HouseholdSummary s = x.One(x.Household({1}));
  EXPECT_EQ(s.income_total, 150000);
  EXPECT_EQ(s.income_month, 12500);
  EXPECT_EQ(s.income_per_capita, 12500);
  EXPECT_EQ(s.decision, Decision::kEligible);
  EXPECT_EQ(s.flags, 0u);
}

TEST(VerifyEngine, PerCapitaAndNearStandardBand) {
  Fixture x;
  for (PersonKey p : {1, 2, 3, 4, 5, 6, 7, 8, 9}) x.Alive(p);
  // Household A (3 members): pension 2500 yuan × 12 = 30000; monthly 2500; per capita 833.33 → 83333 fen:
  // ≥ 780 and < 1170: over the standard and near it (低保边缘).
  x.SiYear(1, SiKind::kPension, 250000);
  uint32_t a = x.Household({1, 2, 3});
  // Household B (3 members): pension 2340 yuan: per capita exactly 780 → over (≥), near.
  x.SiYear(4, SiKind::kPension, 234000);
  uint32_t b = x.Household({4, 5, 6});
  // Household C (3 members): pension 2339.97 yuan: monthly 233997; per capita 77999 fen (floor) → below.
  x.SiYear(7, SiKind::kPension, 233997);
  uint32_t c = x.Household({7, 8, 9});
  auto e = Engine::Build(x.f, x.h, 1);
  auto all = e->Run(x.Req());
  EXPECT_EQ(all[a].income_per_capita, 83333);
  EXPECT_EQ(all[a].flags, uint32_t(kFlagIncomeOverStandard | kFlagIncomeNearStandard));
  EXPECT_EQ(all[a].decision, Decision::kIneligible);
  EXPECT_EQ(all[b].income_per_capita, 78000);
  EXPECT_EQ(all[b].flags, uint32_t(kFlagIncomeOverStandard | kFlagIncomeNearStandard));
  EXPECT_EQ(all[c].income_per_capita, 77999);
  EXPECT_EQ(all[c].flags, 0u);
  EXPECT_EQ(all[c].decision, Decision::kEligible);
}

TEST(VerifyEngine, NearBandUpperEdge) {
  Fixture x;
  x.Alive(1);
  x.Alive(2);
  // 1 member each. Near limit 1170 yuan. Wage 1169.99 × 12 → per capita 116999: near. 1170 × 12 → 117000: not.
  x.SiYear(1, SiKind::kWage, 116999);
  x.SiYear(2, SiKind::kWage, 117000);
  uint32_t a = x.Household({1}), b = x.Household({2});
  auto e = Engine::Build(x.f, x.h, 1);
  EXPECT_TRUE(e->RunOne(x.Req(), a).flags & kFlagIncomeNearStandard);
  EXPECT_EQ(e->RunOne(x.Req(), b).flags, uint32_t(kFlagIncomeOverStandard));
}

TEST(VerifyEngine, MembersNotCountedAreLeftOut) {
  Fixture x;
  x.Alive(1);
  x.Alive(2);
  x.Alive(3);
  // Member 3 (not counted, e.g. in prison) earns 10000 yuan a month; a car in their name; not counted either.
  x.SiYear(3, SiKind::kWage, 1000000);
  x.Vehicle(3, VehicleType::kCar);
  // Member 1: unemployment benefit 1000 yuan for 6 months = 6000; monthly 500; 2 counted → 250 yuan each.
  for (int m = 7; m <= 12; ++m) x.Si(1, SiKind::kUnemployment, 2024, m, 100000);
  HouseholdSummary s = x.One(x.Household({1, 2, 3}, {1, 1, 0}));
  EXPECT_EQ(s.members_counted, 2u);
  EXPECT_EQ(s.income_month, 50000);
  EXPECT_EQ(s.income_per_capita, 25000);
  EXPECT_EQ(s.vehicles, 0u);
  EXPECT_EQ(s.decision, Decision::kEligible);
}

TEST(VerifyEngine, ExcludedIncomeCategory) {
  Fixture x;
  x.rules[0].counted_income &= ~(1u << int(IncomeCategory::kPension));
  x.Alive(1);
  x.SiYear(1, SiKind::kPension, 500000);           // 5000 yuan pension: excluded by this policy
  x.Tax(1, TaxKind::kProperty, 2025, 1, 120000);  // rent 1200 yuan once: 1200 / 12 = 100 yuan a month
  uint32_t hh = x.Household({1});
  HouseholdSummary s = x.One(hh);
  EXPECT_EQ(s.income_month, 10000);
  EXPECT_EQ(s.decision, Decision::kEligible);
  auto e = Engine::Build(x.f, x.h, 1);
  HouseholdReport rep = e->Explain(x.Req(), hh);
  ASSERT_EQ(rep.income.size(), 2u);
  EXPECT_EQ(rep.income[0].category, IncomeCategory::kPension);
  EXPECT_FALSE(rep.income[0].counted);
  EXPECT_EQ(rep.income[0].total, 6000000);
  EXPECT_TRUE(rep.income[1].counted);
}

TEST(VerifyEngine, FinancialAssetsLatestBalancePerAccount) {
  Fixture x;
  x.Alive(1);
  x.Alive(2);
  // Bank X: 50000 yuan on 2025-01-31 (superseded), 20000 yuan on 2025-06-30 (counts), 900000 yuan on 2025-08-01
  // (after the as-of date: ignored). Bank Y: 3000 yuan on 2024-12-31 (its latest: counts).
  x.Balance(x.f.bank, 1, 11, 5000000, "2025-01-31");
  x.Balance(x.f.bank, 1, 11, 2000000, "2025-06-30");
  x.Balance(x.f.bank, 1, 11, 90000000, "2025-08-01");
  x.Balance(x.f.bank, 2, 22, 300000, "2024-12-31");
  // Assets 23000 yuan; per capita 11500 ≤ 18720.
  uint32_t hh = x.Household({1, 2});
  HouseholdSummary s = x.One(hh);
  EXPECT_EQ(s.financial_assets, 2300000);
  EXPECT_EQ(s.financial_assets_per_capita, 1150000);
  EXPECT_EQ(s.outcomes[int(RuleId::kAssets)], Outcome::kPass);
  auto e = Engine::Build(x.f, x.h, 1);
  HouseholdReport rep = e->Explain(x.Req(), hh);
  ASSERT_EQ(rep.assets.size(), 2u);
  EXPECT_EQ(rep.assets[0].amount, 2000000);
  ASSERT_EQ(rep.assets[0].records.size(), 3u);
  EXPECT_FALSE(rep.assets[0].records[0].counted);
  EXPECT_TRUE(rep.assets[0].records[1].counted);
  EXPECT_FALSE(rep.assets[0].records[2].counted);
}

TEST(VerifyEngine, AssetsOverLimitAtTheBoundary) {
  Fixture x;
  x.Alive(1);
  x.Alive(2);
  // Limit per capita 24 × 780 = 18720 yuan. Household A: securities 10000 + insurance 8720 = 18720: not over.
  x.Balance(x.f.securities, 1, 0, 1000000, "2025-06-30");
  x.Balance(x.f.insurance, 1, 5, 872000, "2025-06-30");
  // Household B: the same plus 0.01 yuan in a bank: 18720.01 > 18720.
  x.Balance(x.f.securities, 2, 0, 1000000, "2025-06-30");
  x.Balance(x.f.insurance, 2, 5, 872000, "2025-06-30");
  x.Balance(x.f.bank, 2, 7, 1, "2025-06-30");
  uint32_t a = x.Household({1}), b = x.Household({2});
  auto e = Engine::Build(x.f, x.h, 1);
  HouseholdSummary sa = e->RunOne(x.Req(), a), sb = e->RunOne(x.Req(), b);
  EXPECT_EQ(sa.financial_assets, 1872000);
  EXPECT_EQ(sa.flags, 0u);
  EXPECT_EQ(sa.decision, Decision::kEligible);
  EXPECT_EQ(sb.financial_assets, 1872001);
  EXPECT_EQ(sb.flags, uint32_t(kFlagAssetsOverLimit));
  EXPECT_EQ(sb.decision, Decision::kIneligible);
}

TEST(VerifyEngine, ProvidentFundBalanceOnlyWhenThePolicySays) {
  Fixture x;
  x.Alive(1);
  // Provident fund balance 30000 yuan (2025-05), later 31000 yuan (2025-06): the latest is 31000 > 18720.
  auto pf = [&](int m, Fen bal) {
    x.f.provident_fund.person.push_back(1);
    x.f.provident_fund.month.push_back(MonthIndex(2025, m));
    x.f.provident_fund.deposit.push_back(100000);
    x.f.provident_fund.balance.push_back(bal);
    x.f.provident_fund.ref.push_back(x.next_ref++);
  };
  pf(5, 3000000);
  pf(6, 3100000);
  uint32_t hh = x.Household({1});
  EXPECT_EQ(x.One(hh).financial_assets, 0);  // default: not counted, and deposits are not income
  EXPECT_EQ(x.One(hh).income_total, 0);
  x.rules[0].count_provident_fund_balance = true;
  HouseholdSummary s = x.One(hh);
  EXPECT_EQ(s.financial_assets, 3100000);
  EXPECT_TRUE(s.flags & kFlagAssetsOverLimit);
}

TEST(VerifyEngine, VehicleRule) {
  Fixture x;
  for (PersonKey p : {1, 2, 3}) x.Alive(p);
  x.Vehicle(1, VehicleType::kCar);
  x.Vehicle(2, VehicleType::kMotorcycle);
  x.Vehicle(2, VehicleType::kEbike);
  x.Vehicle(3, VehicleType::kDisability);
  uint32_t a = x.Household({1}), b = x.Household({2}), c = x.Household({3});
  auto e = Engine::Build(x.f, x.h, 1);
  HouseholdSummary sa = e->RunOne(x.Req(), a);
  EXPECT_EQ(sa.flags, uint32_t(kFlagVehicle));
  EXPECT_EQ(sa.vehicles, 1u);
  EXPECT_EQ(sa.decision, Decision::kIneligible);
  EXPECT_EQ(e->RunOne(x.Req(), b).decision, Decision::kEligible);
  EXPECT_EQ(e->RunOne(x.Req(), c).flags, 0u);
  // A policy that sends vehicles to review instead.
  x.rules[0].vehicle_outcome = Outcome::kReview;
  EXPECT_EQ(e->RunOne(x.Req(), a).decision, Decision::kReview);
}

TEST(VerifyEngine, PropertyRule) {
  Fixture x;
  for (PersonKey p : {1, 2, 3, 4}) x.Alive(p);
  x.Property(1, PropertyType::kResidential);                                               // one home: fine
  x.Property(2, PropertyType::kResidential);                                               // two homes in one
  x.Property(3, PropertyType::kResidential);                                               // household (2, 3)
  x.Property(4, PropertyType::kCommercial);                                                // a shop
  uint32_t a = x.Household({1}), b = x.Household({2, 3}), c = x.Household({4});
  auto e = Engine::Build(x.f, x.h, 1);
  EXPECT_EQ(e->RunOne(x.Req(), a).flags, 0u);
  HouseholdSummary sb = e->RunOne(x.Req(), b);
  EXPECT_EQ(sb.homes, 2u);
  EXPECT_EQ(sb.flags, uint32_t(kFlagProperty));
  EXPECT_EQ(sb.decision, Decision::kIneligible);
  HouseholdSummary sc = e->RunOne(x.Req(), c);
  EXPECT_EQ(sc.non_residential, 1u);
  EXPECT_EQ(sc.flags, uint32_t(kFlagProperty));
}

TEST(VerifyEngine, BusinessRule) {
  Fixture x;
  for (PersonKey p : {1, 2, 3, 4}) x.Alive(p);
  x.Business(1, BusinessRole::kLegalRep, 50000000, true);   // 500,000 yuan, active: fail
  x.Business(2, BusinessRole::kShareholder, 5000000, true); // 50,000 yuan (< 100,000): review (family shop)
  x.Business(3, BusinessRole::kLegalRep, 50000000, false);  // closed: does not count
  x.Business(4, BusinessRole::kOther, 50000000, true);      // supervisor: does not count
  uint32_t a = x.Household({1}), b = x.Household({2}), c = x.Household({3}), d = x.Household({4});
  auto e = Engine::Build(x.f, x.h, 1);
  HouseholdSummary sa = e->RunOne(x.Req(), a), sb = e->RunOne(x.Req(), b);
  EXPECT_EQ(sa.flags, uint32_t(kFlagBusiness));
  EXPECT_EQ(sa.decision, Decision::kIneligible);
  EXPECT_EQ(sb.flags, uint32_t(kFlagBusiness));
  EXPECT_EQ(sb.decision, Decision::kReview);
  EXPECT_EQ(e->RunOne(x.Req(), c).flags, 0u);
  EXPECT_EQ(e->RunOne(x.Req(), d).flags, 0u);
}

TEST(VerifyEngine, DeadAndUnmatchedMembers) {
  Fixture x;
  x.Alive(1);
  x.Dead(2, "2025-03-02");
  x.Alive(3);
  x.Civil(3, CivilRecord::kDeath, "2025-04-01");  // the civil affairs death record alone is enough
  x.Alive(4);
  x.Civil(4, CivilRecord::kMarriage, "2010-01-01");  // not a death
  // Person 5 is not in the hukou feed.
  uint32_t a = x.Household({1, 2}), b = x.Household({3}), c = x.Household({4, 5}), d = x.Household({4});
  auto e = Engine::Build(x.f, x.h, 1);
  HouseholdSummary sa = e->RunOne(x.Req(), a);
  EXPECT_EQ(sa.flags, uint32_t(kFlagMemberDead));
  EXPECT_EQ(sa.dead_members, 1u);
  EXPECT_EQ(sa.decision, Decision::kReview);
  EXPECT_EQ(e->RunOne(x.Req(), b).flags, uint32_t(kFlagMemberDead));
  HouseholdSummary sc = e->RunOne(x.Req(), c);
  EXPECT_EQ(sc.flags, uint32_t(kFlagUnmatchedMember));
  EXPECT_EQ(sc.unmatched_members, 1u);
  EXPECT_EQ(sc.decision, Decision::kReview);
  EXPECT_EQ(e->RunOne(x.Req(), d).decision, Decision::kEligible);
  HouseholdReport rep = e->Explain(x.Req(), a);
  ASSERT_EQ(rep.members.size(), 2u);
  EXPECT_TRUE(rep.members[1].dead);
  EXPECT_EQ(rep.members[1].death_date, DateDays("2025-03-02"));
}

TEST(VerifyEngine, StaleAndMissingFeeds) {
  Fixture x;
  x.Alive(1);
  uint32_t hh = x.Household({1});
  // Bank data as of 2025-05-14: 62 days before 2025-07-15, still fresh; 2025-05-13 is 63 days: stale.
  x.f.status[int(Feed::kBank)].data_date = DateDays("2025-05-14");
  EXPECT_EQ(x.One(hh).flags, 0u);
  x.f.status[int(Feed::kBank)].data_date = DateDays("2025-05-13");
  HouseholdSummary s = x.One(hh);
  EXPECT_EQ(s.flags, uint32_t(kFlagStaleFeed));
  EXPECT_EQ(s.decision, Decision::kReview);
  x.f.status[int(Feed::kBank)].data_date = kAsOf;
  x.f.status[int(Feed::kCivil)].present = false;  // a missing feed
  auto e = Engine::Build(x.f, x.h, 1);
  HouseholdReport rep = e->Explain(x.Req(), hh);
  EXPECT_EQ(rep.summary.flags, uint32_t(kFlagStaleFeed));
  ASSERT_EQ(rep.stale_feeds.size(), 1u);
  EXPECT_EQ(rep.stale_feeds[0], Feed::kCivil);
  EXPECT_NE(rep.rules[int(RuleId::kFeeds)].reason.find("民政（未提供）"), std::string::npos);
}

TEST(VerifyEngine, MissingHukouFeedDoesNotMakeMembersUnmatched) {
  Fixture x;
  x.f.status[int(Feed::kHukou)].present = false;
  HouseholdSummary s = x.One(x.Household({1}));
  EXPECT_EQ(s.flags, uint32_t(kFlagStaleFeed));  // the missing feed is reported once, as stale
}

TEST(VerifyEngine, NoCountedMember) {
  Fixture x;
  x.Alive(1);
  HouseholdSummary s = x.One(x.Household({1}, {0}));
  EXPECT_EQ(s.flags, uint32_t(kFlagNoCountedMember));
  EXPECT_EQ(s.decision, Decision::kReview);
  EXPECT_EQ(s.income_per_capita, 0);
}

TEST(VerifyEngine, SeveralFlagsAndTheWorstOutcomeDecides) {
  Fixture x;
  x.Alive(1);
  x.Dead(2, "2025-01-01");
  x.Vehicle(1, VehicleType::kTruck);                     // fail
  x.Business(1, BusinessRole::kLegalRep, 100, true);     // review (capital 1 yuan)
  HouseholdSummary s = x.One(x.Household({1, 2}));
  EXPECT_EQ(FlagCodes(s.flags), "member_dead;vehicle;business");
  EXPECT_EQ(s.decision, Decision::kIneligible);
}

TEST(VerifyEngine, RulesChosenPerHousehold) {
  Fixture x;
  Rules rural = TestRules();
  rural.standard = 60000;
  rural.version = "test#4210-rural";
  x.rules.push_back(rural);
  x.Alive(1);
  x.Alive(2);
  x.SiYear(1, SiKind::kWage, 70000);  // 700 yuan a month: below urban 780, above rural 600
  x.SiYear(2, SiKind::kWage, 70000);
  uint32_t a = x.Household({1}, {}, 0), b = x.Household({2}, {}, 1);
  auto e = Engine::Build(x.f, x.h, 1);
  HouseholdSummary sa = e->RunOne(x.Req(), a), sb = e->RunOne(x.Req(), b);
  EXPECT_EQ(sa.decision, Decision::kEligible);
  EXPECT_EQ(sa.standard, 78000);
  EXPECT_EQ(sb.decision, Decision::kIneligible);
  EXPECT_EQ(sb.standard, 60000);
  EXPECT_EQ(sb.rules_index, 1u);
}

TEST(VerifyEngine, ParallelBatchMatchesBruteForce) {
  // 40,000 one-member households; household i earns (i % 2000) yuan a month in each of the 12 months, so its
  // per capita income is (i % 2000) × 100 fen: eligible when below 780 yuan, near when 780..1169.
  Fixture x;
  const uint32_t n = 40000;
  for (uint32_t i = 0; i < n; ++i) {
    PersonKey p = 0x9e3779b97f4a7c15ULL * (i + 1);
    x.Alive(p);
    x.SiYear(p, SiKind::kWage, Fen(i % 2000) * 100);
    x.Household({p});
  }
  auto e = Engine::Build(x.f, x.h, 2);
  std::atomic<size_t> last{0};
  Request req = x.Req(2);
  req.progress = [&](size_t done, size_t total) {
    EXPECT_EQ(total, n);
    size_t prev = last.load();
    while (done > prev && !last.compare_exchange_weak(prev, done)) {
    }
  };
  auto all = e->Run(req);
  ASSERT_EQ(all.size(), n);
  EXPECT_EQ(last.load(), n);
  for (uint32_t i = 0; i < n; ++i) {
    Fen pc = Fen(i % 2000) * 100;
    ASSERT_EQ(all[i].income_per_capita, pc) << i;
    Decision want = pc < 78000 ? Decision::kEligible : Decision::kIneligible;
    ASSERT_EQ(all[i].decision, want) << i;
    ASSERT_EQ(bool(all[i].flags & kFlagIncomeNearStandard), pc >= 78000 && pc < 117000) << i;
  }
}

TEST(VerifyEngine, FormatYuan) {
  EXPECT_EQ(FormatYuan(123456), "1234.56元");
  EXPECT_EQ(FormatYuan(5), "0.05元");
  EXPECT_EQ(FormatYuan(-100), "-1.00元");
}

TEST(VerifyEngine, DatesAndMonths) {
  EXPECT_EQ(DateDays("1970-01-02"), 1);
  EXPECT_EQ(DateDays("2020-02-30"), kNoDate);
  EXPECT_EQ(DateDays("2020-02-29"), 18321);
  EXPECT_EQ(FormatDays(18321), "2020-02-29");
  EXPECT_EQ(MonthOfDays(DateDays("2025-07-15")), MonthIndex(2025, 7));
  EXPECT_EQ(FormatMonth(MonthIndex(2024, 12)), "2024-12");
  EXPECT_EQ(MonthIndex(2025, 1) - MonthIndex(2024, 12), 1);
}

}  // namespace
}  // namespace doudi::verify
