#include "platform/clock.h"

#include <gtest/gtest.h>

namespace doudi::platform {
namespace {

using namespace std::chrono;

TEST(Clock, FormatsUtcWithMilliseconds) {
  // 1714537800 = 2024-05-01 04:30:00 UTC (date -u -d @1714537800).
  TimePoint t = TimePoint{seconds{1714537800}} + milliseconds{7};
  EXPECT_EQ(FormatUtc(t), "2024-05-01T04:30:00.007Z");
  EXPECT_EQ(FormatUtc(TimePoint{}), "1970-01-01T00:00:00.000Z");
}

TEST(Clock, ParsesWhatItFormatsAndOnlyZonedTimes) {
  TimePoint t = TimePoint{seconds{1714537800}} + milliseconds{123};
  EXPECT_EQ(ParseUtc(FormatUtc(t)), t);
  EXPECT_EQ(ParseUtc("2024-05-01T12:30:00+08:00"), TimePoint{seconds{1714537800}});
  EXPECT_EQ(ParseUtc("2024-05-01T04:30:00.5Z"), TimePoint{seconds{1714537800}} + milliseconds{500});
  EXPECT_FALSE(ParseUtc("2024-05-01 04:30:00"));  // no zone: its meaning would be a guess
  EXPECT_FALSE(ParseUtc("2024-02-30T00:00:00Z"));
  EXPECT_FALSE(ParseUtc("2024-05-01"));
}

TEST(Clock, SystemClockIsNow) {
  auto before = std::chrono::system_clock::now();
  TimePoint t = SystemClock()();
  EXPECT_LE(before, t);
  EXPECT_LE(t, std::chrono::system_clock::now());
}

TEST(Clock, ShanghaiIsUtcPlusEight) {
  // 2024-04-30 20:15 UTC is 2024-05-01 04:15 in Beijing time.
  EXPECT_EQ(FormatShanghai(*ParseUtc("2024-04-30T20:15:59Z")), "2024-05-01 04:15");
  EXPECT_EQ(ShanghaiDayStart("2024-05-01"), ParseUtc("2024-04-30T16:00:00Z"));
  EXPECT_FALSE(ShanghaiDayStart("2024-13-01"));
  EXPECT_FALSE(ShanghaiDayStart("2023-02-29"));
  EXPECT_FALSE(ShanghaiDayStart("2024-05-01T00:00"));
}

}  // namespace
}  // namespace doudi::platform
