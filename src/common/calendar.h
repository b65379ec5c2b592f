// The working-day calendar (工作日) for statutory time limits.
//
// A day is a working day when it is Monday–Friday and not an official holiday, or when it is a weekend day
// declared a working day (调休). Data: the embedded data/holidays_cn.csv (State Council notices 2007–2027).
// Outside the covered years only weekends count as rest days.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"

namespace doudi {

using Date = std::chrono::sys_days;

Result<Date> ParseDate(std::string_view iso);  // "YYYY-MM-DD", rejecting 2020-02-30 (error code "date.invalid")
std::string FormatDate(Date d);

class WorkCalendar {
 public:
  static const WorkCalendar& Default();
  static Result<WorkCalendar> FromCsv(std::string_view csv);

  bool IsWorkingDay(Date d) const;
  // The date that is n working days after `from` (n >= 0; "within 3 wd of d" is AddWorkingDays(d, 3)).
  // Day `from` itself does not count; n = 0 returns `from`.
  Date AddWorkingDays(Date from, int n) const;
  // Working days in the half-open range (from, to]: how many working days have passed by `to`.
  int WorkingDaysBetween(Date from, Date to) const;

 private:
  std::unordered_map<int, bool> overrides_;  // days since epoch -> is_off_day
};

}  // namespace doudi
