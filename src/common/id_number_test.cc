#include "common/id_number.h"

#include <gtest/gtest.h>

#include <chrono>

#include "common/calendar.h"
#include "common/divisions.h"
#include "common/time.h"

namespace doudi {
namespace {

// An independent check-character computation for expectations: ISO 7064 MOD 11-2 written as the iterative
// "multiply by 2" form (weights 2^(17-i) mod 11, never spelled out), not the table the code uses.
char ReferenceCheck(const std::string& first17) {
  int p = 0;
  for (char c : first17) p = ((p + (c - '0')) * 2) % 11;
  int check = (12 - p) % 11;  // the value that makes the whole number ≡ 1 (mod 11)
  return check == 10 ? 'X' : static_cast<char>('0' + check);
}

std::string WithCheck(const std::string& first17) { return first17 + ReferenceCheck(first17); }

const Divisions* Div() { return &Divisions::Default(); }

TEST(IdNumber, CheckCharacterWorkedByHand) {
  // 11010519491231002X, the example in GB 11643-1999:
  //   digits   1  1  0  1  0  5  1  9  4  9  1  2  3  1  0  0  2
  //   weights  7  9 10  5  8  4  2  1  6  3  7  9 10  5  8  4  2
  //   products 7  9  0  5  0 20  2  9 24 27  7 18 30  5  0  0  4  -> sum 167
  //   167 mod 11 = 2 -> "10X98765432"[2] = 'X'
  EXPECT_EQ(IdCheckCharacter("11010519491231002"), 'X');
  // 440524188001010014: products 28 36 0 25 16 16 2 8 48 0 0 9 0 5 0 0 2 -> 195; 195 mod 11 = 8 -> '4'.
  EXPECT_EQ(IdCheckCharacter("44052418800101001"), '4');
  // The reference agrees on both, so it can be trusted for the other cases below.
  EXPECT_EQ(ReferenceCheck("11010519491231002"), 'X');
  EXPECT_EQ(ReferenceCheck("44052418800101001"), '4');
  EXPECT_EQ(IdCheckCharacter("1101051949123100"), '?');   // too short
  EXPECT_EQ(IdCheckCharacter("1101051949123100A"), '?');  // not a digit
}

TEST(IdNumber, StandardExampleParses) {
  auto id = ParseIdNumber("11010519491231002X", Div());
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->number, "11010519491231002X");
  EXPECT_EQ(id->address_code, "110105");
  EXPECT_EQ(id->birth_date, "1949-12-31");
  EXPECT_EQ(id->sex, 2);  // sequence 002 is even: female
}

TEST(IdNumber, HistoricalChaoyangCountyFrom1880) {
  // 440524 潮阳县 is not in the 2023 list: it became 潮阳市 440582 in 1993 (data/divisions/historical.csv).
  EXPECT_EQ(Div()->Find("440524")->valid_until, "1993-04-09");
  auto id = ParseIdNumber("440524188001010014", Div());
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->birth_date, "1880-01-01");
  EXPECT_EQ(id->sex, 1);  // sequence 001 is odd: male
}

TEST(IdNumber, LowerCaseXIsNormalisedAndSpacesTrimmed) {
  auto id = ParseIdNumber(" 11010519491231002x ", Div());
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->number, "11010519491231002X");
}

TEST(IdNumber, EveryWrongCheckCharacterIsRejected) {
  const std::string first17 = "11010519491231002";
  int rejected = 0;
  for (char c : std::string("0123456789X")) {
    if (c == 'X') continue;  // the right one
    auto id = ParseIdNumber(first17 + c, Div());
    ASSERT_FALSE(id.ok()) << c;
    EXPECT_EQ(id.status().error_code(), "id_number.check_digit");
    ASSERT_EQ(id.status().details().size(), 1u);
    EXPECT_EQ(id.status().details()[0].field, "id_number");
    ++rejected;
  }
  EXPECT_EQ(rejected, 10);
  // A transposition of two digits is caught too.
  EXPECT_EQ(ParseIdNumber("11010519491321002X", Div()).status().error_code(), "id_number.check_digit");
}

TEST(IdNumber, FormatErrors) {
  for (const char* s : {"", "1101051949123100", "1101051949123100211", "11010519491231002Y", "1101051949123100X2",
                        "11010519491231０02X", "11010519491231"}) {
    auto id = ParseIdNumber(s, Div());
    ASSERT_FALSE(id.ok()) << s;
    EXPECT_EQ(id.status().error_code(), "id_number.format") << s;
  }
}

TEST(IdNumber, ImpossibleAndOutOfRangeBirthDates) {
  for (const char* date : {"19990229", "20000230", "19991301", "19990001", "19990100", "18791231"}) {
    std::string number = WithCheck(std::string("110105") + date + "002");
    auto id = ParseIdNumber(number, Div());
    ASSERT_FALSE(id.ok()) << number;
    EXPECT_EQ(id.status().error_code(), "id_number.birth_date") << number;
  }
  // 2000 was a leap year (divisible by 400): 2000-02-29 exists.
  auto leap = ParseIdNumber(WithCheck("11010520000229002"), Div());
  EXPECT_TRUE(leap.ok()) << leap.status().ToString();
}

TEST(IdNumber, FutureBirthDatesAreRejected) {
  using namespace std::chrono;
  const Date tomorrow = TodayShanghai() + days(1);
  auto digits = [](Date d) {
    std::string iso = FormatDate(d);  // YYYY-MM-DD
    return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
  };
  auto future = ParseIdNumber(WithCheck("110105" + digits(tomorrow) + "002"), Div());
  ASSERT_FALSE(future.ok());
  EXPECT_EQ(future.status().error_code(), "id_number.birth_date");
  auto today = ParseIdNumber(WithCheck("110105" + digits(TodayShanghai()) + "002"), Div());
  EXPECT_TRUE(today.ok()) << today.status().ToString();
}

TEST(IdNumber, UnknownAndStatisticalAddressCodes) {
  auto unknown = ParseIdNumber(WithCheck("99010119800101001"), Div());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().error_code(), "id_number.division");
  auto missing_county = ParseIdNumber(WithCheck("42109919800101001"), Div());
  EXPECT_EQ(missing_county.status().error_code(), "id_number.division");
  // 421071 荆州经济技术开发区 is a statistical code only.
  auto zone = ParseIdNumber(WithCheck("42107119800101001"), Div());
  ASSERT_FALSE(zone.ok());
  EXPECT_EQ(zone.status().error_code(), "id_number.division");
  // Without a division table the address is not checked.
  EXPECT_TRUE(ParseIdNumber(WithCheck("99010119800101001"), nullptr).ok());
}

TEST(IdNumber, HistoricalJianliCodeDependsOnBirthDate) {
  // 421023 监利县 became 421088 监利市 (approved 2020-06-12): someone born in 1985 may carry it...
  auto before = ParseIdNumber(WithCheck("42102319850612051"), Div());
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_EQ(before->sex, 1);
  // ...someone born in 2021 cannot.
  auto after = ParseIdNumber(WithCheck("42102320210315123"), Div());
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.status().error_code(), "id_number.division");
  // The new code is fine for both.
  EXPECT_TRUE(ParseIdNumber(WithCheck("42108820210315123"), Div()).ok());
  EXPECT_TRUE(ParseIdNumber(WithCheck("42108819850612051"), Div()).ok());
}

TEST(IdNumber, FifteenDigitConversionWorkedByHand) {
  // 421023850612051: address 421023, born 850612 -> 1985-06-12, sequence 051 (odd: male).
  // 18-digit body: 42102319850612051
  //   digits   4  2  1  0  2  3  1  9  8  5  0  6  1  2  0  5  1
  //   weights  7  9 10  5  8  4  2  1  6  3  7  9 10  5  8  4  2
  //   products 28 18 10 0 16 12  2  9 48 15  0 54 10 10  0 20  2  -> sum 254
  //   254 mod 11 = 1 -> "10X98765432"[1] = '0'
  auto id = ParseIdNumber("421023850612051", Div());
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(id->number, "421023198506120510");
  EXPECT_EQ(id->birth_date, "1985-06-12");
  EXPECT_EQ(id->sex, 1);
  EXPECT_EQ(ReferenceCheck("42102319850612051"), '0');
  // A 15-digit number has no check character, but its date is still checked.
  EXPECT_EQ(ParseIdNumber("110105990229002", Div()).status().error_code(), "id_number.birth_date");
  EXPECT_EQ(ParseIdNumber("11010599022900A", Div()).status().error_code(), "id_number.format");
}

TEST(IdNumber, Masks) {
  EXPECT_EQ(MaskIdNumber("421002198506121231"), "4210**********1231");
  EXPECT_EQ(MaskIdNumber("11010519491231002X"), "1101**********002X");
  EXPECT_EQ(MaskIdNumber("421023850612051"), "4210*******2051");
  EXPECT_EQ(MaskIdNumber("1234"), "****");
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
  EXPECT_EQ(MaskPhone("071688123456"), "071*****3456");
  EXPECT_EQ(MaskPhone("12349"), "***49");
  EXPECT_EQ(MaskPhone(""), "");
}

}  // namespace
}  // namespace doudi
