// Jaro–Winkler similarity of two byte strings (pinyin is ASCII): Winkler's prefix bonus (scale 0.1, up to four
// characters) on Jaro's matching-characters-within-a-window score. MARTHA/MARHTA = 0.9611, DWAYNE/DUANE = 0.84.
#pragma once

#include <cstdint>
#include <string_view>

namespace doudi::linkage {

double Jaro(std::string_view a, std::string_view b);
double JaroWinkler(std::string_view a, std::string_view b, double prefix_scale = 0.1);

// How often each byte value (modulo 32: the 26 letters apart) occurs in the first 64 bytes, the part Jaro compares.
struct LetterCounts {
  uint8_t count[32] = {};
  uint8_t length = 0;
};
LetterCounts CountLetters(std::string_view s);
// An upper bound of JaroWinkler(a, b) (scale 0.1) that costs a few instructions: Jaro's matches cannot exceed the
// letters the two strings have in common, nor its transpositions fall below zero; with a margin of 1e-9 over the
// rounding, so that bound < t proves JaroWinkler(a, b) < t. Most pairs of different names are ruled out by it.
double JaroWinklerBound(const LetterCounts& ca, const LetterCounts& cb, std::string_view a, std::string_view b);

}  // namespace doudi::linkage
