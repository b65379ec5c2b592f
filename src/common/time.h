// Timestamps: stored and exchanged in UTC as ISO-8601 ("2026-11-29T19:20:00.123Z"), shown to people in
// Asia/Shanghai. China has used UTC+8 without daylight saving since 1991, so a fixed offset is exact for every
// timestamp the platform records; no time-zone database is needed.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/status.h"

namespace doudi {

using Date = std::chrono::sys_days;  // also declared in common/calendar.h
using TimePoint = std::chrono::system_clock::time_point;

inline constexpr std::chrono::hours kShanghaiOffset{8};

// The current time as "YYYY-MM-DDTHH:MM:SS.mmmZ".
std::string NowUtcIso();
// tp as "YYYY-MM-DDTHH:MM:SS.mmmZ" (milliseconds, truncated).
std::string FormatUtcIso(TimePoint tp);
// Parses "YYYY-MM-DDTHH:MM[:SS[.fraction]]" followed by "Z" or an offset "+08:00"/"+0800"; a space may stand for
// the 'T'. A time without a zone is rejected ("time.invalid"): its meaning would be a guess.
Result<TimePoint> ParseIsoTime(std::string_view s);
// Parses a wall-clock time in Asia/Shanghai without a zone ("2026-11-30 03:20[:00]", 'T' also accepted), as typed
// into a form.
Result<TimePoint> ParseShanghaiLocal(std::string_view s);

// tp shown in Asia/Shanghai: "2026-11-30 03:20:00".
std::string ToShanghai(TimePoint tp);
// A stored UTC ISO string shown in Asia/Shanghai; the input unchanged if it does not parse.
std::string ToShanghai(std::string_view utc_iso);

// The calendar date in Asia/Shanghai at tp, and today.
Date ShanghaiDate(TimePoint tp);
Date TodayShanghai();
std::string TodayShanghaiIso();  // "YYYY-MM-DD"

}  // namespace doudi
