#include "tracing/linkage/pinyin.h"

#include <algorithm>

#include "tracing/linkage/unihan_tables.h"

namespace doudi::linkage {

std::u32string DecodeUtf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = s[i];
    const int extra = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
    bool ok = extra >= 0 && i + extra < s.size();
    char32_t cp = ok ? (extra == 0 ? c : (c & (0x3F >> extra))) : 0;
    for (int k = 1; ok && k <= extra; ++k) {
      const unsigned char cc = s[i + k];
      ok = (cc & 0xC0) == 0x80;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (!ok) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(cp);
    i += extra + 1;
  }
  return out;
}

std::string EncodeUtf8(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

namespace {

int SyllableIndex(char32_t c) {
  using namespace unihan;
  if (c >= kBmpFirst && c <= kBmpLast) return kBmp[c - kBmpFirst];
  const ExtReading* end = kExt + kNumExt;
  const ExtReading* it =
      std::lower_bound(kExt, end, c, [](const ExtReading& r, char32_t v) { return r.code_point < v; });
  return it != end && it->code_point == c ? it->syllable : 0;
}

struct SurnameEntry {
  char32_t c;
  const char* reading;
};
// Surnames whose reading differs from the character's most frequent one (Unihan's first kMandarin value).
constexpr SurnameEntry kSurnames[] = {
    {U'单', "shan"}, {U'曾', "zeng"}, {U'解', "xie"},  {U'查', "zha"},  {U'仇', "qiu"},   {U'区', "ou"},
    {U'朴', "piao"}, {U'盖', "ge"},   {U'尉', "yu"},   {U'乐', "yue"},  {U'缪', "miao"},  {U'秘', "bi"},
    {U'种', "chong"}, {U'覃', "qin"}, {U'员', "yun"},  {U'翟', "zhai"}, {U'召', "shao"},  {U'黑', "he"},
    {U'阚', "kan"},  {U'隗', "wei"},  {U'宓', "fu"},   {U'逄', "pang"}, {U'句', "gou"},   {U'折', "she"}};

}  // namespace

std::string_view CharPinyin(char32_t c) {
  int s = SyllableIndex(c);
  if (s == 0) {
    char32_t simple = Simplify(c);
    if (simple != c) s = SyllableIndex(simple);
  }
  return unihan::kSyllables[s];
}

char32_t Simplify(char32_t c) {
  using namespace unihan;
  const Variant* end = kSimplified + kNumSimplified;
  const Variant* it = std::lower_bound(kSimplified, end, c, [](const Variant& v, char32_t x) { return v.from < x; });
  return it != end && it->from == c ? it->to : c;
}

std::string SimplifyText(std::string_view utf8) {
  std::u32string s = DecodeUtf8(utf8);
  for (char32_t& c : s) c = Simplify(c);
  return EncodeUtf8(s);
}

std::string_view SurnameReading(char32_t c) {
  for (const SurnameEntry& e : kSurnames) {
    if (e.c == c) return e.reading;
  }
  return {};
}

std::vector<std::string> NamePinyin(std::string_view utf8_name) {
  std::vector<std::string> out;
  std::string letters;
  bool first = true;
  for (char32_t c : DecodeUtf8(utf8_name)) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      letters.push_back(static_cast<char>(c | 0x20));
      continue;
    }
    if (!letters.empty()) {
      out.push_back(std::move(letters));
      letters.clear();
    }
    std::string_view r;
    if (first) {
      char32_t simple = Simplify(c);
      r = SurnameReading(simple);
    }
    if (r.empty()) r = CharPinyin(c);
    if (r.empty()) continue;
    first = false;
    out.emplace_back(r);
  }
  if (!letters.empty()) out.push_back(std::move(letters));
  return out;
}

std::string FuzzyFold(std::string_view s) {
  std::string out;
  size_t i = 0;
  if (s.size() >= 2 && (s[0] == 'z' || s[0] == 'c' || s[0] == 's') && s[1] == 'h') {
    out.push_back(s[0]);
    i = 2;
  } else if (!s.empty() && s[0] == 'n' && s.size() > 1) {  // a lone "n" (嗯) is not an initial
    out.push_back('l');
    i = 1;
  } else if (!s.empty() && s[0] == 'h' && s.size() > 1) {
    out.push_back('f');
    i = 1;
  }
  std::string_view rest = s.substr(i);
  if (rest.size() >= 3 && (rest.ends_with("ang") || rest.ends_with("eng") || rest.ends_with("ing"))) {
    out.append(rest.substr(0, rest.size() - 1));
  } else {
    out.append(rest);
  }
  return out;
}

std::string Joined(const std::vector<std::string>& syllables) {
  std::string out;
  for (const auto& s : syllables) out += s;
  return out;
}

}  // namespace doudi::linkage
