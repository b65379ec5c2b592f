// JsonText writes the same text nlohmann does: strings compared byte for byte with nlohmann's dump over random
// byte strings (valid and invalid UTF-8, control characters, quotes), and whole objects with sorted keys.
#include "http/json_text.h"

#include <random>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace doudi::http {
namespace {

using nlohmann::json;

std::string Nlohmann(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string Written(std::string_view s) {
  std::string out;
  JsonText::AppendString(out, s);
  return out;
}

TEST(JsonTextTest, StringsAreEscapedAsNlohmannDoes) {
  for (std::string s : {std::string(""), std::string("plain"), std::string("张三 湖北省荆州市"),
                        std::string("say \"hi\"\\"), std::string("tab\tnew\nline\r\x01\x1f"),
                        std::string("\x7f del"), std::string("emoji 😀"), std::string("bad \xff byte"),
                        std::string("cut \xe5\xbc"), std::string("overlong \xc0\xaf"),
                        std::string("surrogate \xed\xa0\x80"), std::string("too big \xf4\x90\x80\x80"),
                        std::string("nul \0 inside", 13)}) {
    EXPECT_EQ(Written(s), Nlohmann(json(s))) << json(s).dump(-1, ' ', true, json::error_handler_t::replace);
  }
}

TEST(JsonTextTest, RandomByteStringsMatchNlohmann) {
  std::mt19937 rng(20261130);
  // Pieces that make up likely and unlikely text: ASCII, escapes, Chinese, and broken sequences.
  const std::vector<std::string> pieces = {"a", "Z", " ", "\"", "\\", "\n", "\x02", "\x7f", "中", "荆州",
                                           "😀", "\xe4", "\xb8", "\x80", "\xff", "\xc3", "\xa9", "\xf0\x9f"};
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1), len(0, 12);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    size_t n = len(rng);
    for (size_t k = 0; k < n; ++k) {
      if (i % 2) s += pieces[pick(rng)];
      else s += static_cast<char>(byte(rng));
    }
    ASSERT_EQ(Written(s), Nlohmann(json(s))) << "case " << i;
  }
}

TEST(JsonTextTest, ObjectWithSortedKeysIsNlohmannsText) {
  std::string text = JsonText()
                         .Raw("a_raw", R"({"x":[1,2]})")
                         .Bool("b", true)
                         .Bool("b_false", false)
                         .Int("int", -9007199254740993)
                         .IntOrNull("int_none", std::nullopt)
                         .IntOrNull("int_some", 42)
                         .StrArray("list", {"一", "two\n", ""})
                         .StrArray("list_empty", {})
                         .Null("nothing")
                         .Str("s", "湖北")
                         .StrOrNull("s_empty", "")
                         .StrOrNull("s_set", "x")
                         .Finish();
  json expected = {{"a_raw", {{"x", {1, 2}}}}, {"b", true},      {"b_false", false},
                   {"int", -9007199254740993},  {"int_none", nullptr}, {"int_some", 42},
                   {"list", {"一", "two\n", ""}}, {"list_empty", json::array()}, {"nothing", nullptr},
                   {"s", "湖北"},                {"s_empty", nullptr}, {"s_set", "x"}};
  EXPECT_EQ(text, Nlohmann(expected));
  EXPECT_EQ(JsonText().Finish(), "{}");
}

}  // namespace
}  // namespace doudi::http
