// Chinese names as sound: toneless pinyin from Unihan, the special readings of surnames, fuzzy-pinyin folding
// for the confusions of southern accents, and traditional → simplified folding.
//
// A character's reading is its first (most frequent) kMandarin value without tone marks ("ü" is written "v":
// 吕 → "lv"). The first character of a name, read as a surname, takes the surname reading where it differs
// (单 shan, 曾 zeng, 解 xie, 查 zha, 仇 qiu, 区 ou, 朴 piao, ...). A character with no reading of its own takes
// that of its simplified form. Letters are kept (lower case) as one syllable; other characters without a reading
// ("·" in transcribed names, spaces, digits) are skipped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace doudi::linkage {

// UTF-8 → code points; invalid bytes become U+FFFD.
std::u32string DecodeUtf8(std::string_view s);
std::string EncodeUtf8(std::u32string_view s);

// The toneless reading of one character ("" when Unihan has none).
std::string_view CharPinyin(char32_t c);
// The simplified form of a traditional character (itself when it has none): 張 → 张, 劉 → 刘.
char32_t Simplify(char32_t c);
// A whole text folded to simplified characters.
std::string SimplifyText(std::string_view utf8);

// The syllables of a name, surname reading applied to its first character: "单田芳" → {"shan","tian","fang"}.
std::vector<std::string> NamePinyin(std::string_view utf8_name);
// The surname reading of a character, or "" when it has no special one.
std::string_view SurnameReading(char32_t c);

// One syllable folded so that the pairs a southern speaker (or a clerk hearing one) confuses become equal:
// initials zh→z, ch→c, sh→s, n→l, h→f; finals ang→an, eng→en, ing→in ("zhang" → "zan", "neng" → "len").
std::string FuzzyFold(std::string_view syllable);

// Syllables joined without separators ("shantianfang"), the form Jaro–Winkler compares.
std::string Joined(const std::vector<std::string>& syllables);

}  // namespace doudi::linkage
