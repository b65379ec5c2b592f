// The working-day calendar (工作日) for statutory time limits.
//
// A day is a working day when it is Monday–Friday and not an official holiday, or when it is a weekend day
// declared a working day (调休). Data: the embedded data/holidays/holidays_cn.csv (State Council notices 2007–2026;
// the operator adds a year when its notice is published). Outside the covered dates only weekends count as rest
// days. Counting is O(1) and adding is O(log n): both use per-day prefix counts built when the calendar loads,
// because deadlines are computed for thousands of cases per request.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace doudi {

using Date = std::chrono::sys_days;

Result<Date> ParseDate(std::string_view iso);  // "YYYY-MM-DD", rejecting 2020-02-30 (error code "date.invalid")
std::string FormatDate(Date d);

class WorkCalendar {
 public:
  static const WorkCalendar& Default();
  // CSV with the header date,name,is_off_day ('#' lines are comments). Errors name the line.
  static Result<WorkCalendar> FromCsv(std::string_view csv);

  bool IsWorkingDay(Date d) const;
  // The date that is n working days after `from` (n >= 0; "within 3 wd of d" is AddWorkingDays(d, 3)).
  // Day `from` itself does not count; n = 0 returns `from`. A negative n goes back: the working day d before
  // `from` with WorkingDaysBetween(d, from) == -n.
  Date AddWorkingDays(Date from, int n) const;
  // Working days in the half-open range (from, to]: how many working days have passed by `to`.
  // Negative when to < from (minus the working days in (to, from]).
  int WorkingDaysBetween(Date from, Date to) const;

 private:
  // Working days in [anchor, day) for a fixed anchor; differences give counts over any range.
  long long WorkingDaysBefore(long long day) const;

  long long first_ = 0;  // days since epoch of the first listed date; the table covers [first_, first_ + size)
  std::vector<signed char> state_;       // per covered day: -1 no entry, 0 declared working, 1 declared off
  std::vector<int> adjust_;              // adjust_[i]: (working - weekday) summed over covered days before i
};

}  // namespace doudi
