#include "tracing/linkage/jaro_winkler.h"

#include <algorithm>
#include <array>

namespace doudi::linkage {

double Jaro(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  if (a.size() > b.size()) std::swap(a, b);
  // Names are short; longer inputs are cut so that the flags fit on the stack (no allocation per pair).
  constexpr size_t kMax = 64;
  a = a.substr(0, kMax);
  b = b.substr(0, kMax);
  const int window = std::max(0, static_cast<int>(b.size()) / 2 - 1);
  std::array<bool, kMax> ma{}, mb{};
  int matches = 0;
  for (int i = 0; i < static_cast<int>(a.size()); ++i) {
    const int lo = std::max(0, i - window), hi = std::min(static_cast<int>(b.size()) - 1, i + window);
    for (int j = lo; j <= hi; ++j) {
      if (!mb[j] && a[i] == b[j]) {
        ma[i] = mb[j] = true;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  int transpositions = 0;
  for (size_t i = 0, j = 0; i < a.size(); ++i) {
    if (!ma[i]) continue;
    while (!mb[j]) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  const double m = matches;
  return (m / a.size() + m / b.size() + (m - transpositions / 2.0) / m) / 3.0;
}

double JaroWinkler(std::string_view a, std::string_view b, double prefix_scale) {
  const double j = Jaro(a, b);
  size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return j + prefix * prefix_scale * (1.0 - j);
}

LetterCounts CountLetters(std::string_view s) {
  LetterCounts c;
  s = s.substr(0, 64);
  for (char ch : s) ++c.count[static_cast<unsigned char>(ch) & 31];
  c.length = static_cast<uint8_t>(s.size());
  return c;
}

double JaroWinklerBound(const LetterCounts& ca, const LetterCounts& cb, std::string_view a, std::string_view b) {
  if (ca.length == 0 || cb.length == 0) return 2;  // Jaro's special cases: no bound
  int m = 0;
  for (int k = 0; k < 32; ++k) m += std::min(ca.count[k], cb.count[k]);
  if (m == 0) return 1e-9;  // no common letter: Jaro 0, and no common prefix
  const double shorter = std::min(ca.length, cb.length), longer = std::max(ca.length, cb.length);
  const double md = m;
  const double jaro = (md / shorter + md / longer + 1.0) / 3.0;
  size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return jaro + prefix * 0.1 * (1.0 - jaro) + 1e-9;
}

}  // namespace doudi::linkage
