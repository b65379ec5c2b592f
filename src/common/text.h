// Small text helpers: trimming, splitting, digits, and UTF-8 checks for user input (names are limited in
// characters, not bytes, and every string stored must be valid UTF-8).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace doudi {

// Strips ASCII whitespace and the ideographic space U+3000 (全角空格, common in pasted Chinese text) from both ends.
std::string_view Trim(std::string_view s);
// Splits on every occurrence of sep; "a,,b" gives {"a", "", "b"}, "" gives {""}.
std::vector<std::string_view> Split(std::string_view s, char sep);
bool IsAsciiDigits(std::string_view s);  // non-empty and only '0'..'9'
std::string AsciiUpper(std::string_view s);

// True if s is well-formed UTF-8 (no overlong forms, surrogates or code points above U+10FFFF).
bool IsValidUtf8(std::string_view s);
// The number of code points in s (a Chinese character counts 1). Check IsValidUtf8 first: for invalid input the
// count is only approximate (it counts bytes that are not continuation bytes).
size_t Utf8Length(std::string_view s);

}  // namespace doudi
