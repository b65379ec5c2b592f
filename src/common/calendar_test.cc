#include "common/calendar.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <sstream>

#include "common/embedded.h"

namespace doudi {
namespace {

using namespace std::chrono;

Date D(int y, unsigned m, unsigned d) { return sys_days(year(y) / month(m) / day(d)); }

const WorkCalendar& Cal() { return WorkCalendar::Default(); }

TEST(Date, ParsesOnlyRealDates) {
  auto d = ParseDate("2020-02-29");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, D(2020, 2, 29));
  for (const char* bad : {"2020-02-30", "2019-02-29", "1900-02-29", "2020-13-01", "2020-00-10", "2020-1-01",
                          "20200101", "", "2020-01-01T00:00"}) {
    auto r = ParseDate(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().error_code(), "date.invalid");
    }
  }
  EXPECT_EQ(FormatDate(D(2026, 2, 5)), "2026-02-05");
  EXPECT_EQ(FormatDate(D(1880, 1, 1)), "1880-01-01");
}

// Spring Festival 2020 (data file): 2020-01-19 (Sun) was a working day; 2020-01-24 .. 2020-02-02 were off.
TEST(WorkCalendar, SpringFestival2020) {
  EXPECT_EQ(weekday(D(2020, 1, 19)), Sunday);
  EXPECT_TRUE(Cal().IsWorkingDay(D(2020, 1, 19)));
  EXPECT_FALSE(Cal().IsWorkingDay(D(2020, 1, 18)));  // ordinary Saturday
  EXPECT_TRUE(Cal().IsWorkingDay(D(2020, 1, 23)));   // Thursday before the holiday
  for (Date d = D(2020, 1, 24); d <= D(2020, 2, 2); d += days(1)) {
    EXPECT_FALSE(Cal().IsWorkingDay(d)) << FormatDate(d);
  }
  EXPECT_TRUE(Cal().IsWorkingDay(D(2020, 2, 3)));
  // (2020-01-17 Fri, 2020-02-07 Fri]: 01-19 Sun, 01-20, 01-21, 01-22, 01-23, then 02-03 .. 02-07 = 5 + 5 = 10.
  EXPECT_EQ(Cal().WorkingDaysBetween(D(2020, 1, 17), D(2020, 2, 7)), 10);
  // One working day after Thursday 01-23 is Monday 02-03; after Friday 01-17 it is Sunday 01-19.
  EXPECT_EQ(Cal().AddWorkingDays(D(2020, 1, 23), 1), D(2020, 2, 3));
  EXPECT_EQ(Cal().AddWorkingDays(D(2020, 1, 17), 1), D(2020, 1, 19));
  // Three working days from 2020-01-22 (Wed): 01-23, 02-03, 02-04.
  EXPECT_EQ(Cal().AddWorkingDays(D(2020, 1, 22), 3), D(2020, 2, 4));
}

TEST(WorkCalendar, AdjustedWeekends2026AreWorkingDays) {
  const std::pair<Date, weekday> adjusted[] = {
      {D(2026, 1, 4), Sunday},    {D(2026, 2, 14), Saturday}, {D(2026, 2, 28), Saturday},
      {D(2026, 5, 9), Saturday},  {D(2026, 9, 20), Sunday},   {D(2026, 10, 10), Saturday},
  };
  for (const auto& [d, wd] : adjusted) {
    EXPECT_EQ(weekday(d), wd) << FormatDate(d);  // they really are weekend days
    EXPECT_TRUE(Cal().IsWorkingDay(d)) << FormatDate(d);
  }
  EXPECT_FALSE(Cal().IsWorkingDay(D(2026, 1, 3)));  // Saturday inside 元旦 2026-01-01..03
  EXPECT_FALSE(Cal().IsWorkingDay(D(2026, 1, 1)));
}

TEST(WorkCalendar, DeadlinesAcross2026Holidays) {
  // From Friday 2026-02-13: 02-14 (Sat, 调休) = 1; 02-15 .. 02-23 春节 off; 02-24 (Tue) = 2; 02-25 (Wed) = 3.
  EXPECT_EQ(Cal().AddWorkingDays(D(2026, 2, 13), 3), D(2026, 2, 25));
  // Going back three working days from 02-25 lands on the start again.
  EXPECT_EQ(Cal().AddWorkingDays(D(2026, 2, 25), -3), D(2026, 2, 13));
  // (2026-04-30, 2026-05-11]: 05-01..05 off, 05-06, 05-07, 05-08, 05-09 (Sat, 调休), 05-10 off, 05-11 = 5.
  EXPECT_EQ(Cal().WorkingDaysBetween(D(2026, 4, 30), D(2026, 5, 11)), 5);
  EXPECT_EQ(Cal().WorkingDaysBetween(D(2026, 5, 11), D(2026, 4, 30)), -5);
  // From Friday 2026-09-18: 09-19 Sat off, 09-20 Sun (调休) = 1, 09-21 Mon = 2.
  EXPECT_EQ(Cal().AddWorkingDays(D(2026, 9, 18), 2), D(2026, 9, 21));
  // National Day: 10-01 .. 10-07 off; 10-08 (Thu) is the next working day after 09-30.
  EXPECT_EQ(Cal().AddWorkingDays(D(2026, 9, 30), 1), D(2026, 10, 8));
  // A 30-working-day process (低保 审核确认) started on Tuesday 2026-09-01. Working days after it:
  //   09-02..04 (3) | 09-07..11 (5) | 09-14..18 (5) | 09-20 Sun 调休 (1) | 09-21..24 (4; 09-25 中秋 off) | 09-28..30 (3)
  //   = 21 by 09-30; 10-01..07 off; 10-08, 10-09, 10-10 Sat 调休 = 24; 10-12..16 = 29; 10-19 Mon = 30.
  EXPECT_EQ(Cal().WorkingDaysBetween(D(2026, 9, 1), D(2026, 9, 30)), 21);
  EXPECT_EQ(Cal().AddWorkingDays(D(2026, 9, 1), 30), D(2026, 10, 19));
  EXPECT_EQ(Cal().AddWorkingDays(D(2026, 10, 3), 0), D(2026, 10, 3));  // n = 0 returns `from`, even a holiday
}

TEST(WorkCalendar, OutsideTheDataOnlyWeekendsRest) {
  // 2030-01-04 is a Friday; the next working day is Monday 2030-01-07.
  EXPECT_EQ(weekday(D(2030, 1, 4)), Friday);
  EXPECT_EQ(Cal().AddWorkingDays(D(2030, 1, 4), 1), D(2030, 1, 7));
  EXPECT_EQ(Cal().WorkingDaysBetween(D(2029, 12, 31), D(2030, 1, 31)), 23);  // Jan 2030: 23 weekdays
  EXPECT_EQ(Cal().AddWorkingDays(D(2000, 1, 7), 5), D(2000, 1, 14));         // before 2007 as well
}

// Reads the embedded file with a plain line split (not the CSV reader) for an independent expectation.
std::map<Date, bool> RawOverrides() {
  std::map<Date, bool> out;  // date -> is working day
  std::istringstream in{std::string(EmbeddedFile("data/holidays/holidays_cn.csv"))};
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.starts_with("date")) continue;
    int y = std::stoi(line.substr(0, 4));
    unsigned m = static_cast<unsigned>(std::stoi(line.substr(5, 2)));
    unsigned d = static_cast<unsigned>(std::stoi(line.substr(8, 2)));
    out[D(y, m, d)] = line.back() == '0';
  }
  return out;
}

TEST(WorkCalendar, BruteForceCrossCheck2019To2027) {
  const auto raw = RawOverrides();
  ASSERT_GT(raw.size(), 600u);
  const Date lo = D(2019, 1, 1), hi = D(2027, 12, 31);
  std::vector<Date> days_list;
  for (Date d = lo; d <= hi; d += days(1)) {
    auto it = raw.find(d);
    bool expected = it != raw.end() ? it->second : (weekday(d) != Saturday && weekday(d) != Sunday);
    ASSERT_EQ(Cal().IsWorkingDay(d), expected) << FormatDate(d);
    days_list.push_back(d);
  }
  std::mt19937 rng(20261129);
  std::uniform_int_distribution<size_t> pick(0, days_list.size() - 1);
  for (int i = 0; i < 300; ++i) {
    Date a = days_list[pick(rng)], b = days_list[pick(rng)];
    if (b < a) std::swap(a, b);
    int count = 0;
    for (Date d = a + days(1); d <= b; d += days(1)) count += Cal().IsWorkingDay(d) ? 1 : 0;
    ASSERT_EQ(Cal().WorkingDaysBetween(a, b), count) << FormatDate(a) << " .. " << FormatDate(b);
    ASSERT_EQ(Cal().WorkingDaysBetween(b, a), -count);
    // AddWorkingDays inverts the count: the count-th working day after a, and no earlier day has that count.
    if (count > 0) {
      Date end = Cal().AddWorkingDays(a, count);
      ASSERT_LE(end, b);
      ASSERT_TRUE(Cal().IsWorkingDay(end));
      ASSERT_EQ(Cal().WorkingDaysBetween(a, end), count);
      ASSERT_EQ(Cal().WorkingDaysBetween(a, end - days(1)), count - 1);
      // And back again, when a itself is a working day.
      if (Cal().IsWorkingDay(a)) {
        ASSERT_EQ(Cal().AddWorkingDays(end, -count), a);
      }
    }
  }
}

TEST(WorkCalendar, FromCsvReportsBadRows) {
  auto ok = WorkCalendar::FromCsv("# comment\ndate,name,is_off_day\n2030-01-01,元旦,1\n2030-01-05,x,0\n");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_FALSE(ok->IsWorkingDay(D(2030, 1, 1)));  // a Tuesday made a holiday
  EXPECT_TRUE(ok->IsWorkingDay(D(2030, 1, 5)));   // a Saturday made a working day
  EXPECT_EQ(ok->WorkingDaysBetween(D(2029, 12, 31), D(2030, 1, 6)), 4);  // 01-02, 03, 04, 05

  auto bad_date = WorkCalendar::FromCsv("date,name,is_off_day\n2030-01-01,a,1\n2030-02-30,b,1\n");
  ASSERT_FALSE(bad_date.ok());
  EXPECT_EQ(bad_date.status().error_code(), "calendar.bad_row");
  EXPECT_NE(bad_date.status().message().find("第 3 行"), std::string::npos) << bad_date.status().message();

  auto bad_flag = WorkCalendar::FromCsv("date,name,is_off_day\n2030-01-01,a,yes\n");
  ASSERT_FALSE(bad_flag.ok());
  EXPECT_EQ(bad_flag.status().error_code(), "calendar.bad_row");

  auto conflict = WorkCalendar::FromCsv("date,name,is_off_day\n2030-01-01,a,1\n2030-01-01,a,0\n");
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.status().error_code(), "calendar.conflict");

  auto no_column = WorkCalendar::FromCsv("day,off\n2030-01-01,1\n");
  ASSERT_FALSE(no_column.ok());
  EXPECT_EQ(no_column.status().error_code(), "csv.missing_column");
}

}  // namespace
}  // namespace doudi
