// Time for the platform: an injectable clock (so tests can move time for lockouts and session expiry), and
// short names for the text forms of common/time.h that the platform uses — ISO-8601 UTC as stored in the
// database, Asia/Shanghai as shown to users.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/time.h"

namespace doudi::platform {

using TimePoint = doudi::TimePoint;
using Clock = std::function<TimePoint()>;

Clock SystemClock();

// "2024-05-01T04:30:00.123Z": fixed width, so stored times compare correctly as text.
std::string FormatUtc(TimePoint t);
// An ISO-8601 time with a zone ("Z" or an offset); nullopt otherwise (common/time.h ParseIsoTime).
std::optional<TimePoint> ParseUtc(std::string_view text);
// "2024-05-01 12:30" in Asia/Shanghai (minutes: what a lockout message or a list needs).
std::string FormatShanghai(TimePoint t);
// The UTC instant at which a Shanghai calendar day ("2024-05-01") begins; nullopt for a malformed or
// impossible date.
std::optional<TimePoint> ShanghaiDayStart(std::string_view iso_date);

}  // namespace doudi::platform
