#include "common/time.h"

#include <gtest/gtest.h>

#include <regex>

namespace doudi {
namespace {

using namespace std::chrono;

// 2026-11-29 19:20:00.123 UTC, built from the calendar, not from the code under test.
TimePoint Sample() {
  return TimePoint(sys_days(year(2026) / 11 / 29) + hours(19) + minutes(20) + milliseconds(123));
}

TEST(Time, FormatsUtcIsoWithMilliseconds) {
  EXPECT_EQ(FormatUtcIso(Sample()), "2026-11-29T19:20:00.123Z");
  EXPECT_EQ(FormatUtcIso(TimePoint(sys_days(year(1970) / 1 / 1))), "1970-01-01T00:00:00.000Z");
  // Before the epoch: 1969-12-31 23:59:59.500
  EXPECT_EQ(FormatUtcIso(TimePoint(sys_days(year(1970) / 1 / 1) - milliseconds(500))), "1969-12-31T23:59:59.500Z");
}

TEST(Time, NowIsIsoAndRecent) {
  std::string now = NowUtcIso();
  EXPECT_TRUE(std::regex_match(now, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)"))) << now;
  auto parsed = ParseIsoTime(now);
  ASSERT_TRUE(parsed.ok());
  auto diff = system_clock::now() - *parsed;
  EXPECT_GE(diff, seconds(0));
  EXPECT_LT(diff, seconds(5));
}

TEST(Time, ParsesZonesToTheSameInstant) {
  for (const char* s : {"2026-11-29T19:20:00.123Z", "2026-11-30T03:20:00.123+08:00", "2026-11-30T03:20:00.123+0800",
                        "2026-11-29T14:20:00.123-05:00", "2026-11-30 03:20:00.123+08", "2026-11-29t19:20:00.1230z"}) {
    auto tp = ParseIsoTime(s);
    ASSERT_TRUE(tp.ok()) << s << ": " << tp.status().ToString();
    EXPECT_EQ(*tp, Sample()) << s;
  }
  auto minute_only = ParseIsoTime("2026-11-29T19:20Z");
  ASSERT_TRUE(minute_only.ok());
  EXPECT_EQ(*minute_only, TimePoint(sys_days(year(2026) / 11 / 29) + hours(19) + minutes(20)));
}

TEST(Time, RejectsMalformedOrZonelessTimes) {
  for (const char* s : {"2026-11-29T19:20:00", "2026-11-29", "2026-02-30T00:00:00Z", "2026-11-29T24:00:00Z",
                        "2026-11-29T19:60:00Z", "2026-11-29T19:20:00+8", "2026-11-29T19:20:00.Z", "yesterday",
                        "2026-11-29T19:20:00Zjunk",
                        // Past 2262 system_clock's nanoseconds overflow (UBSan aborted here once).
                        "9999-12-31T00:00:00Z", "2263-01-01T00:00:00Z", "1899-12-31T23:59:59Z"}) {
    auto tp = ParseIsoTime(s);
    EXPECT_FALSE(tp.ok()) << s;
    if (!tp.ok()) {
      EXPECT_EQ(tp.status().error_code(), "time.invalid");
    }
  }
}

TEST(Time, ShowsShanghaiWallClock) {
  EXPECT_EQ(ToShanghai(Sample()), "2026-11-30 03:20:00");  // 19:20 UTC + 8 h crosses midnight
  EXPECT_EQ(ToShanghai(std::string_view("2026-11-29T19:20:00.123Z")), "2026-11-30 03:20:00");
  EXPECT_EQ(ToShanghai(std::string_view("not a time")), "not a time");
  auto local = ParseShanghaiLocal("2026-11-30 03:20");
  ASSERT_TRUE(local.ok());
  EXPECT_EQ(*local, Sample() - milliseconds(123));
  EXPECT_FALSE(ParseShanghaiLocal("2026-11-30 03:20Z").ok());
}

TEST(Time, ShanghaiDateChangesAtSixteenUtc) {
  auto midnight_shanghai = TimePoint(sys_days(year(2026) / 11 / 29) + hours(16));  // 2026-11-30 00:00 +08
  EXPECT_EQ(ShanghaiDate(midnight_shanghai), sys_days(year(2026) / 11 / 30));
  EXPECT_EQ(ShanghaiDate(midnight_shanghai - seconds(1)), sys_days(year(2026) / 11 / 29));
  // Today in Shanghai is today or tomorrow in UTC, never another day.
  auto utc_today = floor<days>(system_clock::now());
  Date today = TodayShanghai();
  EXPECT_TRUE(today == utc_today || today == utc_today + days(1));
  EXPECT_EQ(TodayShanghaiIso().size(), 10u);
}

}  // namespace
}  // namespace doudi
