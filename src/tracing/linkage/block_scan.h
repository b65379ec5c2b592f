// The block scan of the sex + birth-year rule: one probe record compared with a contiguous stretch of the indexed
// side, many reports at a time, over a column-wise (structure-of-arrays) copy of the fields a comparison reads.
//
// This is where matching spends its time (the rule holds ~95 % of the candidate pairs, and almost none reaches
// the threshold), so it is written for the vector units: every field's level is computed for 16 reports (AVX-512)
// or 8 (AVX2) at once without branches, the weight of a level is a register permutation, and only the pairs that
// could still be kept leave the kernel. The kernel is chosen at run time by what the CPU supports; the scalar
// kernel computes the same things one report at a time and is the reference: every kernel must give bit-identical
// weights (the same float operations in the same order per pair), which linkage tests check on random and edge
// records. The build has no -march: the vector kernels are compiled with function target attributes.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

#include "tracing/linkage/model.h"

namespace doudi::linkage {

// Per indexed record, the fields a comparison reads, one array per field. Division codes are kept with their
// city (code / 100) and province (code / 10000) parts precomputed (vector units have no integer division);
// the marks bit set is split in its mark half (low 32 bits) and place half.
struct ScanColumns {
  std::vector<float> birth, unc, age, height, median, median_unknown;  // median: MedianHeight(own sex, own age)
  std::vector<int32_t> day, dialect, raw, simple, pinyin, fuzzy;
  std::vector<int32_t> home_code, home_city, home_province, place_code, place_city, place_province;
  std::vector<int32_t> marks_lo, marks_hi;
  std::vector<int32_t> flags;  // sex | has_birth << 8 | home precision << 16 | place precision << 24
  std::vector<int32_t> block;  // the rule-2 key (pinyin surname + initials), 0 none
  std::vector<int32_t> index;  // the record's internal index (the county-ordered copy holds records repeatedly)
  size_t size() const { return birth.size(); }
  void Resize(size_t n);
};

// The probe record: the same fields, one value each.
struct ScanProbe {
  float birth = 0, unc = 0, age = -1, height = 0, median = 0, median_unknown = 0;
  int32_t day = 0, dialect = 0, raw = 0, simple = 0, pinyin = 0, fuzzy = 0;
  int32_t home_code = 0, home_city = 0, home_province = 0, place_code = 0, place_city = 0, place_province = 0;
  int32_t marks_lo = 0, marks_hi = 0;
  int32_t sex = 0, has_birth = 0, home_precision = 0, place_precision = 0;
  int32_t block = 0;
};

// Which pairs of a stretch are candidates. Rule 1 (county = false): birth estimates within the tolerance (the
// stretch holds only records of the probe's sex with a birth estimate). Rule 3 (county = true), over the
// county-ordered copy: every record of the stretch shares a county with the probe; a pair is the rule's when
// rules 1 and 2 do not produce it and, for the probe's second county, the record lacks the first (`skip_county`).
struct ScanFilter {
  bool county = false;
  int32_t skip_county = 0;       // 0: none
  int32_t below = 0x7fffffff;    // only records whose index is below (self matching: each unordered pair once)
};

// The weights of a scoring run: w[field][level + 1] (index 0 = missing, weight 0), the best the name can reach
// through Jaro–Winkler, and the term-frequency adjustments of the indexed records (by internal index).
struct ScanWeights {
  float w[kNumFields][kMaxLevels + 1] = {};
  float jw_best = 0;
  bool chronology = false;
  const float* home_tf = nullptr;
  const float* place_tf = nullptr;
  const float* name_tf0 = nullptr;  // name level 0 (same characters)
  const float* name_tf1 = nullptr;  // name level 1 (same after simplification)
};

// The pairs the kernel could not rule out, one array per value: the indexed record; the weight of every field but
// the name, with the home and place term-frequency adjustments (exactly the float the per-pair code computes);
// the name's level without Jaro–Winkler (−1 missing, 0–3, 6 = Jaro–Winkler needed).
struct Survivors {
  uint32_t* a;
  float* sum;
  int32_t* name;
};

// The level of two heights with the medians at both ages looked up (see HeightLevel in linker.h); shared by the
// per-pair code and the scalar kernel so that both compute it with the same operations.
inline int HeightLevelWithMedians(float ha, float aa, float ma, float hb, float ab, float mb) {
  if (aa > ab) {
    std::swap(ha, hb);
    std::swap(aa, ab);
    std::swap(ma, mb);
  }
  // Project the younger measurement to the older age along the median growth curve.
  const float projected = ha * mb / ma;
  const float growth_years = std::min(ab, 18.0f) - std::min(aa, 18.0f);
  const float tol = std::min(5.0f + 1.0f * growth_years, 15.0f);
  const float d = std::abs(projected - hb);
  return d <= tol ? 0 : d <= 2 * tol ? 1 : 2;
}

// Compares the probe with the records [begin, end) of the columns; the candidates (see ScanFilter) that can reach
// `floor` — full weight ≥ floor, or, when the name needs Jaro–Winkler, sum + jw_best ≥ floor — go to `out` (room
// for end − begin + 16) in column order, `out.a` their index. Returns how many; adds the candidates to *pairs.
// The term-frequency tables of `w` are indexed like the columns.
using ScanKernel = size_t (*)(const ScanColumns& c, const ScanProbe& p, const ScanWeights& w, const ScanFilter& f,
                              uint32_t begin, uint32_t end, float floor, const Survivors& out, uint64_t* pairs);

size_t ScanScalar(const ScanColumns& c, const ScanProbe& p, const ScanWeights& w, const ScanFilter& f, uint32_t begin,
    uint32_t end, float floor, const Survivors& out, uint64_t* pairs);
size_t ScanAvx2(const ScanColumns& c, const ScanProbe& p, const ScanWeights& w, const ScanFilter& f, uint32_t begin,
    uint32_t end, float floor, const Survivors& out, uint64_t* pairs);
size_t ScanAvx512(const ScanColumns& c, const ScanProbe& p, const ScanWeights& w, const ScanFilter& f, uint32_t begin,
    uint32_t end, float floor, const Survivors& out, uint64_t* pairs);

enum class ScanIsa { kScalar, kAvx2, kAvx512 };
bool ScanIsaSupported(ScanIsa isa);  // by this CPU
ScanIsa BestScanIsa();               // the widest supported; DOUDI_LINKAGE_ISA=scalar|avx2|avx512 narrows it
ScanKernel ScanKernelFor(ScanIsa isa);
std::string_view ScanIsaName(ScanIsa isa);

}  // namespace doudi::linkage
