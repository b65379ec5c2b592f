// The time-limit rules on their own. Expected dates are counted by hand on the 2025 calendar (Spring Festival
// holiday 01-28..02-04, with 01-26 Sunday and 02-08 Saturday declared working days).
#include "rescue/deadlines.h"

#include <gtest/gtest.h>

#include <map>

namespace doudi::rescue {
namespace {

TimePoint At(const char* utc) { return *ParseIsoTime(utc); }

std::map<std::string, DeadlineItem> ByKind(const std::vector<DeadlineItem>& items) {
  std::map<std::string, DeadlineItem> out;
  for (const auto& i : items) out[i.kind] = i;
  return out;
}

CaseClock Unidentified() {
  CaseClock c;
  c.case_id = 7;
  c.station_division = "421002";
  c.label = "无名氏";
  c.intake_at = At("2025-01-23T02:00:00Z");  // Thursday 10:00 in Shanghai
  c.age_at_intake = 40;
  return c;
}

TEST(RescueDeadlines, UnidentifiedAdultAcrossTheSpringFestival) {
  auto items = ByKind(CaseDeadlines(Unidentified(), At("2025-01-23T03:00:00Z"), WorkCalendar::Default()));
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items["notice"].due_at, "2025-01-24T02:00:00.000Z");
  EXPECT_EQ(items["notice"].due_date, "2025-01-24");
  EXPECT_EQ(items["notice"].state, "due");
  // 7 wd after Thu 01-23: 01-24, 01-26 (调休 Sunday), 01-27, then after the holiday 02-05, 02-06, 02-07, 02-08.
  EXPECT_EQ(items["dna_request"].due_date, "2025-02-08");
  EXPECT_EQ(items["dna_request"].state, "upcoming");
  EXPECT_EQ(items["dna_request"].days_left, 16);
  EXPECT_EQ(items["stay_limit"].due_date, "2025-02-02");
  EXPECT_EQ(items["settlement"].due_date, "2025-04-23");
  EXPECT_EQ(items.count("notice_refresh"), 0u) << "nothing published yet";
}

TEST(RescueDeadlines, OverdueAfterTheLimitPasses) {
  // 25 hours after intake the notice is overdue although its due day is yesterday by only one hour.
  auto items = ByKind(CaseDeadlines(Unidentified(), At("2025-01-24T03:00:00Z"), WorkCalendar::Default()));
  EXPECT_EQ(items["notice"].state, "overdue");
  // On 02-08 the DNA request is due (last day); on 02-09 overdue.
  items = ByKind(CaseDeadlines(Unidentified(), At("2025-02-08T04:00:00Z"), WorkCalendar::Default()));
  EXPECT_EQ(items["dna_request"].state, "due");
  EXPECT_EQ(items["dna_request"].days_left, 0);
  items = ByKind(CaseDeadlines(Unidentified(), At("2025-02-09T04:00:00Z"), WorkCalendar::Default()));
  EXPECT_EQ(items["dna_request"].state, "overdue");
  EXPECT_EQ(items["dna_request"].days_left, -1);
  EXPECT_EQ(items["stay_limit"].state, "overdue");
}

TEST(RescueDeadlines, PublishedNoticeIsRefreshedMonthly) {
  CaseClock c = Unidentified();
  c.notice_published = true;
  c.notice_last_published_on = "2025-01-31";
  c.dna_requested = true;
  auto items = ByKind(CaseDeadlines(c, At("2025-02-01T04:00:00Z"), WorkCalendar::Default()));
  EXPECT_EQ(items.count("notice"), 0u);
  EXPECT_EQ(items.count("dna_request"), 0u);
  EXPECT_EQ(items["notice_refresh"].due_date, "2025-02-28") << "one month after 01-31 is the month's last day";
}

TEST(RescueDeadlines, TenDayRuleOnlyForAdultsWithoutDisability) {
  CaseClock c = Unidentified();
  c.identified = true;  // only the stay limit remains
  c.age_at_intake = 15;
  EXPECT_TRUE(CaseDeadlines(c, At("2025-01-23T03:00:00Z"), WorkCalendar::Default()).empty());
  c.age_at_intake = 16;
  EXPECT_EQ(CaseDeadlines(c, At("2025-01-23T03:00:00Z"), WorkCalendar::Default()).size(), 1u);
  c.mental_disability = true;
  EXPECT_TRUE(CaseDeadlines(c, At("2025-01-23T03:00:00Z"), WorkCalendar::Default()).empty());
  c.mental_disability = false;
  c.age_at_intake.reset();  // unknown age: the rule applies
  c.extension_until = "2025-02-20";
  auto items = CaseDeadlines(c, At("2025-01-23T03:00:00Z"), WorkCalendar::Default());
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].due_date, "2025-02-20");
}

TEST(RescueDeadlines, CalendarHelpers) {
  EXPECT_EQ(FormatDate(AddMonths(*ParseDate("2024-01-31"), 1)), "2024-02-29");
  EXPECT_EQ(FormatDate(AddMonths(*ParseDate("2024-11-30"), 3)), "2025-02-28");
  EXPECT_EQ(FormatDate(AddMonths(*ParseDate("2025-01-23"), 3)), "2025-04-23");
  EXPECT_EQ(AgeOn("2009-06-02", *ParseDate("2025-06-01")), 15);
  EXPECT_EQ(AgeOn("2009-06-01", *ParseDate("2025-06-01")), 16);
  EXPECT_FALSE(AgeOn("", *ParseDate("2025-06-01")));
}

}  // namespace
}  // namespace doudi::rescue
