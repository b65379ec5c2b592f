#include "common/calendar.h"

#include <cstdio>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "common/csv.h"
#include "common/embedded.h"
#include "common/text.h"

namespace doudi {

namespace {

using std::chrono::year_month_day;

long long DayNumber(Date d) { return d.time_since_epoch().count(); }
Date FromDayNumber(long long n) { return Date(std::chrono::days(n)); }

long long FloorDiv(long long a, long long b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Monday to Friday in [-3, day): day -3 (1969-12-29) is a Monday, so each full week from there holds 5 weekdays.
long long WeekdaysBefore(long long day) {
  long long t = day + 3;
  long long weeks = FloorDiv(t, 7);
  long long rest = t - 7 * weeks;  // 0..6 days into the week, Monday first
  return 5 * weeks + (rest < 5 ? rest : 5);
}

bool IsWeekday(long long day) { return WeekdaysBefore(day + 1) - WeekdaysBefore(day) == 1; }

}  // namespace

Result<Date> ParseDate(std::string_view iso) {
  auto bad = [&] {
    return Status::Invalid("date.invalid", fmt::format("日期无效：“{}”（应为 YYYY-MM-DD 格式的真实日期）", iso));
  };
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-' || !IsAsciiDigits(iso.substr(0, 4)) ||
      !IsAsciiDigits(iso.substr(5, 2)) || !IsAsciiDigits(iso.substr(8, 2))) {
    return bad();
  }
  auto num = [&](size_t pos, size_t len) {
    int v = 0;
    for (char c : iso.substr(pos, len)) v = v * 10 + (c - '0');
    return v;
  };
  year_month_day ymd{std::chrono::year(num(0, 4)), std::chrono::month(num(5, 2)), std::chrono::day(num(8, 2))};
  if (!ymd.ok()) return bad();
  return Date(ymd);
}

std::string FormatDate(Date d) {
  year_month_day ymd(d);
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

const WorkCalendar& WorkCalendar::Default() {
  static const WorkCalendar* calendar = [] {
    auto c = FromCsv(EmbeddedFile("data/holidays/holidays_cn.csv"));
    if (!c.ok()) {
      // The file is compiled in and covered by tests; failing here is a build defect, not an input error.
      std::fprintf(stderr, "doudi: embedded holiday calendar is invalid: %s\n", c.status().ToString().c_str());
      std::abort();
    }
    return new WorkCalendar(std::move(c).value());
  }();
  return *calendar;
}

Result<WorkCalendar> WorkCalendar::FromCsv(std::string_view csv) {
  CsvOptions options;
  options.skip_comments = true;
  DOUDI_ASSIGN_OR_RETURN(CsvTable table, ParseCsv(csv, options));
  DOUDI_ASSIGN_OR_RETURN(std::vector<int> col, CsvColumns(table, {"date", "is_off_day"}));
  std::map<long long, bool> off;  // day -> is_off_day
  for (size_t i = 0; i < table.rows.size(); ++i) {
    const auto& row = table.rows[i];
    const int line = table.lines[i];
    auto date = ParseDate(Trim(row[col[0]]));
    if (!date.ok()) {
      return Status::Invalid("calendar.bad_row", fmt::format("节假日表第 {} 行：{}", line, date.status().message()));
    }
    std::string_view flag = Trim(row[col[1]]);
    if (flag != "0" && flag != "1") {
      return Status::Invalid("calendar.bad_row",
                             fmt::format("节假日表第 {} 行：is_off_day 应为 0 或 1，实际为“{}”", line, flag));
    }
    long long day = DayNumber(*date);
    auto [it, inserted] = off.emplace(day, flag == "1");
    if (!inserted && it->second != (flag == "1")) {
      return Status::Invalid("calendar.conflict",
                             fmt::format("节假日表第 {} 行：{} 与前面的记录矛盾", line, FormatDate(*date)));
    }
  }

  WorkCalendar cal;
  if (off.empty()) return cal;
  cal.first_ = off.begin()->first;
  const long long size = off.rbegin()->first - cal.first_ + 1;
  cal.state_.assign(static_cast<size_t>(size), -1);
  for (const auto& [day, is_off] : off) cal.state_[static_cast<size_t>(day - cal.first_)] = is_off ? 1 : 0;
  cal.adjust_.assign(static_cast<size_t>(size) + 1, 0);
  for (long long i = 0; i < size; ++i) {
    long long day = cal.first_ + i;
    int delta = 0;
    signed char s = cal.state_[static_cast<size_t>(i)];
    if (s >= 0) delta = (s == 0 ? 1 : 0) - (IsWeekday(day) ? 1 : 0);
    cal.adjust_[static_cast<size_t>(i) + 1] = cal.adjust_[static_cast<size_t>(i)] + delta;
  }
  return cal;
}

bool WorkCalendar::IsWorkingDay(Date d) const {
  long long day = DayNumber(d);
  long long i = day - first_;
  if (i >= 0 && i < static_cast<long long>(state_.size())) {
    signed char s = state_[static_cast<size_t>(i)];
    if (s >= 0) return s == 0;
  }
  return IsWeekday(day);
}

long long WorkCalendar::WorkingDaysBefore(long long day) const {
  long long count = WeekdaysBefore(day);
  if (adjust_.empty()) return count;
  long long i = day - first_;
  if (i <= 0) return count;
  long long last = static_cast<long long>(adjust_.size()) - 1;
  return count + adjust_[static_cast<size_t>(i < last ? i : last)];
}

int WorkCalendar::WorkingDaysBetween(Date from, Date to) const {
  return static_cast<int>(WorkingDaysBefore(DayNumber(to) + 1) - WorkingDaysBefore(DayNumber(from) + 1));
}

Date WorkCalendar::AddWorkingDays(Date from, int n) const {
  if (n == 0) return from;
  // The answer is the first day d with WorkingDaysBefore(d + 1) >= target: WorkingDaysBefore only grows, so
  // binary search. Such a d is a working day (the count steps up on it).
  const long long start = DayNumber(from);
  const long long target = WorkingDaysBefore(start + 1) + n;
  auto reached = [&](long long d) { return WorkingDaysBefore(d + 1) >= target; };
  long long lo, hi;  // invariant: !reached(lo), reached(hi)
  if (n > 0) {
    lo = start;
    long long step = 2LL * n + 16;  // enough unless a long holiday intervenes; then widen
    hi = start + step;
    while (!reached(hi)) {
      lo = hi;
      step *= 2;
      hi = start + step;
    }
  } else {
    hi = start;  // reached: the count up to `from` is target - n > target
    long long step = 2LL * -n + 16;
    lo = start - step;
    while (reached(lo)) {
      hi = lo;
      step *= 2;
      lo = start - step;
    }
  }
  while (hi - lo > 1) {
    long long mid = lo + (hi - lo) / 2;
    if (reached(mid)) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return FromDayNumber(hi);
}

}  // namespace doudi
