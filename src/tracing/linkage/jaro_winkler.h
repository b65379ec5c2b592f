// Jaro–Winkler similarity of two byte strings (pinyin is ASCII): Winkler's prefix bonus (scale 0.1, up to four
// characters) on Jaro's matching-characters-within-a-window score. MARTHA/MARHTA = 0.9611, DWAYNE/DUANE = 0.84.
#pragma once

#include <string_view>

namespace doudi::linkage {

double Jaro(std::string_view a, std::string_view b);
double JaroWinkler(std::string_view a, std::string_view b, double prefix_scale = 0.1);

}  // namespace doudi::linkage
