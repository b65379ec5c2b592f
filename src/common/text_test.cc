#include "common/text.h"

#include <gtest/gtest.h>

namespace doudi {
namespace {

TEST(Text, TrimStripsAsciiAndIdeographicSpace) {
  EXPECT_EQ(Trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(Trim("\xE3\x80\x80张三\xE3\x80\x80 "), "张三");  // 全角空格 around a name
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim(" \xE3\x80\x80 "), "");
}

TEST(Text, SplitKeepsEmptyFields) {
  auto parts = Split("a,,b", ',');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], "a");
  EXPECT_EQ(parts[1], "");
  EXPECT_EQ(parts[2], "b");
  EXPECT_EQ(Split("", ',').size(), 1u);
  EXPECT_EQ(Split("a,", ',').size(), 2u);
}

TEST(Text, DigitsAndUpper) {
  EXPECT_TRUE(IsAsciiDigits("0123456789"));
  EXPECT_FALSE(IsAsciiDigits(""));
  EXPECT_FALSE(IsAsciiDigits("12a"));
  EXPECT_FALSE(IsAsciiDigits("１２"));  // full-width digits are not ASCII digits
  EXPECT_EQ(AsciiUpper("11010519491231002x"), "11010519491231002X");
}

TEST(Text, Utf8Validity) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("abc"));
  EXPECT_TRUE(IsValidUtf8("荆州市社会救助服务中心"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));      // U+1F600, 4 bytes
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));      // U+10FFFF, the last code point
  EXPECT_FALSE(IsValidUtf8("\xC0\x80"));             // overlong NUL
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));         // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));         // UTF-16 surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));     // U+110000
  EXPECT_FALSE(IsValidUtf8("\xE8\x8D"));             // truncated 荆 (E8 8D 86)
  EXPECT_FALSE(IsValidUtf8("\x86"));                 // lone continuation byte
  EXPECT_FALSE(IsValidUtf8("\xD5\xC5\xC8\xFD"));     // 张三 in GBK, not UTF-8
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(Text, Utf8LengthCountsCodePoints) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("张三"), 2u);  // 6 bytes
  EXPECT_EQ(std::string_view("张三").size(), 6u);
  EXPECT_EQ(Utf8Length("a张b"), 3u);
  EXPECT_EQ(Utf8Length("\xF0\x9F\x98\x80"), 1u);
  EXPECT_EQ(Utf8Length("阿卜杜热合曼·买买提"), 10u);
}

}  // namespace
}  // namespace doudi
