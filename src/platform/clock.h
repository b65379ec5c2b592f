// Time for the platform: an injectable clock (so tests can move time for lockouts and session expiry) and
// the text forms of a time point — ISO-8601 UTC as stored in the database, Asia/Shanghai as shown to users.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace doudi::platform {

using TimePoint = std::chrono::system_clock::time_point;
using Clock = std::function<TimePoint()>;

Clock SystemClock();

// "2024-05-01T04:30:00.123Z": fixed width, so stored times compare correctly as text.
std::string FormatUtc(TimePoint t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff]Z" (also with a space instead of T, or without the Z).
std::optional<TimePoint> ParseUtc(std::string_view text);
// "2024-05-01 12:30" in Asia/Shanghai. China has kept UTC+8 all year since 1991, so a fixed offset is exact.
std::string FormatShanghai(TimePoint t);
// The UTC instant at which a Shanghai calendar day ("2024-05-01") begins; nullopt for a malformed or
// impossible date.
std::optional<TimePoint> ShanghaiDayStart(std::string_view iso_date);

}  // namespace doudi::platform
