#include "common/time.h"

#include <fmt/format.h>

#include "common/text.h"

namespace doudi {

namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::hh_mm_ss;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::year_month_day;

// "YYYY-MM-DD HH:MM:SS" for a wall-clock time point (its clock value read as civil time).
std::string FormatCivil(TimePoint tp, bool iso_t, bool with_ms) {
  auto day = floor<days>(tp);
  year_month_day ymd(day);
  hh_mm_ss<milliseconds> t(floor<milliseconds>(tp - day));
  std::string s = fmt::format("{:04}-{:02}-{:02}{}{:02}:{:02}:{:02}", static_cast<int>(ymd.year()),
                              static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                              iso_t ? 'T' : ' ', t.hours().count(), t.minutes().count(), t.seconds().count());
  if (with_ms) s += fmt::format(".{:03}", t.subseconds().count());
  return s;
}

int Digits(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

Status Invalid(std::string_view s) {
  return Status::Invalid("time.invalid", fmt::format("时间格式无效：“{}”（应为 2026-11-29T19:20:00Z 这样的格式）", s));
}

// Parses the date and clock part; *rest gets what follows (zone designator or nothing).
Result<TimePoint> ParseCivil(std::string_view s, std::string_view* rest) {
  // YYYY-MM-DD?HH:MM
  if (s.size() < 16 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ' && s[10] != 't') ||
      s[13] != ':' || !IsAsciiDigits(s.substr(0, 4)) || !IsAsciiDigits(s.substr(5, 2)) ||
      !IsAsciiDigits(s.substr(8, 2)) || !IsAsciiDigits(s.substr(11, 2)) || !IsAsciiDigits(s.substr(14, 2))) {
    return Invalid(s);
  }
  year_month_day ymd{std::chrono::year(Digits(s.substr(0, 4))), std::chrono::month(Digits(s.substr(5, 2))),
                     std::chrono::day(Digits(s.substr(8, 2)))};
  int hour = Digits(s.substr(11, 2)), minute = Digits(s.substr(14, 2)), second = 0;
  nanoseconds frac{0};
  size_t i = 16;
  if (i < s.size() && s[i] == ':') {
    if (i + 3 > s.size() || !IsAsciiDigits(s.substr(i + 1, 2))) return Invalid(s);
    second = Digits(s.substr(i + 1, 2));
    i += 3;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      size_t j = i + 1;
      int64_t ns = 0, scale = 100000000;
      while (j < s.size() && s[j] >= '0' && s[j] <= '9') {
        if (scale > 0) ns += (s[j] - '0') * scale;  // digits past nanoseconds are dropped
        scale /= 10;
        ++j;
      }
      if (j == i + 1) return Invalid(s);
      frac = nanoseconds(ns);
      i = j;
    }
  }
  // 23:59:60 (a leap second) is not accepted: system_clock cannot represent it. Nor are years outside
  // 1900–2200: system_clock counts nanoseconds in 64 bits, which overflow past 2262.
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 59) return Invalid(s);
  if (ymd.year() < std::chrono::year(1900) || ymd.year() > std::chrono::year(2200)) return Invalid(s);
  *rest = s.substr(i);
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::sys_days(ymd).time_since_epoch() + std::chrono::hours(hour) + std::chrono::minutes(minute) +
      std::chrono::seconds(second) + frac));
}

}  // namespace

std::string FormatUtcIso(TimePoint tp) { return FormatCivil(tp, true, true) + "Z"; }

std::string NowUtcIso() { return FormatUtcIso(std::chrono::system_clock::now()); }

Result<TimePoint> ParseIsoTime(std::string_view input) {
  std::string_view s = Trim(input);
  std::string_view zone;
  DOUDI_ASSIGN_OR_RETURN(TimePoint local, ParseCivil(s, &zone));
  if (zone == "Z" || zone == "z") return local;
  // +HH:MM, +HHMM or +HH
  if (zone.size() < 3 || (zone[0] != '+' && zone[0] != '-') || !IsAsciiDigits(zone.substr(1, 2))) return Invalid(s);
  int oh = Digits(zone.substr(1, 2)), om = 0;
  std::string_view mm = zone.substr(3);
  if (!mm.empty() && mm[0] == ':') mm.remove_prefix(1);
  if (!mm.empty()) {
    if (mm.size() != 2 || !IsAsciiDigits(mm)) return Invalid(s);
    om = Digits(mm);
  }
  if (oh > 23 || om > 59) return Invalid(s);
  auto offset = std::chrono::hours(oh) + std::chrono::minutes(om);
  return zone[0] == '+' ? local - offset : local + offset;
}

Result<TimePoint> ParseShanghaiLocal(std::string_view input) {
  std::string_view s = Trim(input);
  std::string_view rest;
  DOUDI_ASSIGN_OR_RETURN(TimePoint local, ParseCivil(s, &rest));
  if (!rest.empty()) return Invalid(s);
  return local - kShanghaiOffset;
}

std::string ToShanghai(TimePoint tp) { return FormatCivil(tp + kShanghaiOffset, false, false); }

std::string ToShanghai(std::string_view utc_iso) {
  auto tp = ParseIsoTime(utc_iso);
  if (!tp.ok()) return std::string(utc_iso);
  return ToShanghai(*tp);
}

Date ShanghaiDate(TimePoint tp) { return floor<days>(tp + kShanghaiOffset); }

Date TodayShanghai() { return ShanghaiDate(std::chrono::system_clock::now()); }

std::string TodayShanghaiIso() {
  year_month_day ymd(TodayShanghai());
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

}  // namespace doudi
