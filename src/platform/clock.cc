#include "platform/clock.h"

#include "common/calendar.h"

namespace doudi::platform {

Clock SystemClock() {
  return [] { return std::chrono::system_clock::now(); };
}

std::string FormatUtc(TimePoint t) { return FormatUtcIso(t); }

std::optional<TimePoint> ParseUtc(std::string_view text) {
  auto t = ParseIsoTime(text);
  if (!t.ok()) return std::nullopt;
  return *t;
}

std::string FormatShanghai(TimePoint t) { return ToShanghai(t).substr(0, 16); }

std::optional<TimePoint> ShanghaiDayStart(std::string_view iso_date) {
  auto day = ParseDate(iso_date);
  if (!day.ok()) return std::nullopt;
  return TimePoint{*day} - kShanghaiOffset;
}

}  // namespace doudi::platform
