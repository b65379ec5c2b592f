#include "tracing/linkage/block_scan.h"

#include <cstdlib>
#include <string>

namespace doudi::linkage {

void ScanColumns::Resize(size_t n) {
  for (auto* v : {&birth, &unc, &age, &height, &median, &median_unknown}) v->assign(n, 0.0f);
  for (auto* v : {&day, &dialect, &raw, &simple, &pinyin, &fuzzy, &home_code, &home_city, &home_province, &place_code,
                  &place_city, &place_province, &marks_lo, &marks_hi, &flags, &block, &index}) {
    v->assign(n, 0);
  }
}

// The reference: the per-pair comparison of linker.cc (CheapWeight, SameCounty, QuickNameLevel) one report at a
// time over the columns. The vector kernels must reproduce every float it computes.
size_t ScanScalar(const ScanColumns& c, const ScanProbe& p, const ScanWeights& w, const ScanFilter& filter,
                  uint32_t begin, uint32_t end, float floor, const Survivors& out, uint64_t* pairs) {
  size_t kept = 0;
  uint64_t n = 0;
  auto place = [](int32_t xprec, int32_t xprov, int32_t xcity, int32_t xcode, int32_t yprec, int32_t yprov,
                  int32_t ycity, int32_t ycode) {
    const int prec = std::min(xprec, yprec);
    const int level = 3 - (xprov == yprov) - (prec >= 2 && xcity == ycity) - (prec >= 3 && xcode == ycode);
    return (prec != 0) * (1 + level);
  };
  for (uint32_t i = begin; i < end; ++i) {
    const float tol = c.unc[i] + p.unc, dage = std::abs(c.birth[i] - p.birth);
    const int32_t f = c.flags[i];
    const int xsex = f & 255, xbirth = (f >> 8) & 255, xhome = (f >> 16) & 255, xplace = (f >> 24) & 255;
    if (!filter.county) {
      if (!(dage <= tol)) continue;
    } else {
      if (!(c.index[i] < filter.below)) continue;
      if (xsex != 0 && xsex == p.sex && xbirth && p.has_birth && dage <= tol) continue;  // rule 1's pair
      if (c.block[i] != 0 && c.block[i] == p.block) continue;                              // rule 2's
      const int32_t skip = filter.skip_county;
      if (skip != 0 && ((xhome == 3 && c.home_code[i] == skip) || (xplace == 3 && c.place_code[i] == skip))) continue;
    }
    ++n;
    const int sex = (xsex != 0 && p.sex != 0) * (1 + (xsex != p.sex));
    const int age = (xbirth != 0 && p.has_birth != 0) * (1 + (dage > tol / 2) + (dage > tol) + (dage > 2 * tol));
    int height = 0;
    if (c.height[i] > 0 && p.height > 0 && c.age[i] >= 0 && p.age >= 0) {
      const bool same = xsex == p.sex;
      height = 1 + HeightLevelWithMedians(c.height[i], c.age[i], same ? c.median[i] : c.median_unknown[i], p.height,
                                          p.age, same ? p.median : p.median_unknown);
    }
    const int dialect = (c.dialect[i] != 0 && p.dialect != 0) * (1 + (c.dialect[i] != p.dialect));
    const int home = place(xhome, c.home_province[i], c.home_city[i], c.home_code[i], p.home_precision,
                           p.home_province, p.home_city, p.home_code);
    const int where = place(xplace, c.place_province[i], c.place_city[i], c.place_code[i], p.place_precision,
                            p.place_province, p.place_city, p.place_code);
    const int chrono = w.chronology * (1 + (p.day < c.day[i]));
    const uint32_t lo = static_cast<uint32_t>(c.marks_lo[i]) & static_cast<uint32_t>(p.marks_lo);
    const uint32_t hi = static_cast<uint32_t>(c.marks_hi[i]) & static_cast<uint32_t>(p.marks_hi);
    const bool several = (lo & (lo - 1)) != 0 || (hi & (hi - 1)) != 0 || (lo != 0 && hi != 0);
    const int marks_level = (lo | hi) == 0 ? 2 : (several && lo != 0) ? 0 : 1;
    const bool x_marks = (c.marks_lo[i] | c.marks_hi[i]) != 0, y_marks = (p.marks_lo | p.marks_hi) != 0;
    const int marks = (x_marks && y_marks) * (1 + marks_level);
    float sum = w.w[kSex][sex] + w.w[kAge][age] + w.w[kHeight][height] + w.w[kDialect][dialect] + w.w[kHome][home] +
                w.w[kPlace][where] + w.w[kChronology][chrono] + w.w[kMarks][marks];
    const bool same_home = xhome >= 3 && p.home_precision >= 3 && c.home_code[i] == p.home_code;
    const bool same_place = xplace >= 3 && p.place_precision >= 3 && c.place_code[i] == p.place_code;
    sum = sum + (same_home ? w.home_tf[i] : 0.0f) + (same_place ? w.place_tf[i] : 0.0f);
    int name = 6;
    if (c.raw[i] == 0 || p.raw == 0) {
      name = -1;
    } else if (c.raw[i] == p.raw) {
      name = 0;
    } else if (c.simple[i] == p.simple) {
      name = 1;
    } else if (c.pinyin[i] != 0 && c.pinyin[i] == p.pinyin) {
      name = 2;
    } else if (c.fuzzy[i] != 0 && c.fuzzy[i] == p.fuzzy) {
      name = 3;
    }
    if (name == 6) {
      if (sum + w.jw_best < floor) continue;
    } else {
      const float full = sum + (w.w[kName][name + 1] + (name == 0 ? w.name_tf0[i] : name == 1 ? w.name_tf1[i] : 0.0f));
      if (full < floor) continue;
    }
    out.a[kept] = static_cast<uint32_t>(c.index[i]);
    out.sum[kept] = sum;
    out.name[kept] = name;
    ++kept;
  }
  *pairs += n;
  return kept;
}

bool ScanIsaSupported(ScanIsa isa) {
#if defined(__x86_64__) && defined(__GNUC__)
  switch (isa) {
    case ScanIsa::kScalar: return true;
    case ScanIsa::kAvx2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
    case ScanIsa::kAvx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
             __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("popcnt");
  }
  return false;
#else
  return isa == ScanIsa::kScalar;
#endif
}

ScanIsa BestScanIsa() {
  ScanIsa best = ScanIsaSupported(ScanIsa::kAvx512) ? ScanIsa::kAvx512
                 : ScanIsaSupported(ScanIsa::kAvx2) ? ScanIsa::kAvx2
                                                    : ScanIsa::kScalar;
  if (const char* env = std::getenv("DOUDI_LINKAGE_ISA")) {
    const std::string s = env;
    if (s == "scalar") best = ScanIsa::kScalar;
    if (s == "avx2" && best == ScanIsa::kAvx512) best = ScanIsa::kAvx2;
  }
  return best;
}

ScanKernel ScanKernelFor(ScanIsa isa) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (isa == ScanIsa::kAvx512) return ScanAvx512;
  if (isa == ScanIsa::kAvx2) return ScanAvx2;
#endif
  (void)isa;
  return ScanScalar;
}

std::string_view ScanIsaName(ScanIsa isa) {
  switch (isa) {
    case ScanIsa::kScalar: return "scalar";
    case ScanIsa::kAvx2: return "avx2";
    case ScanIsa::kAvx512: return "avx512";
  }
  return "";
}

}  // namespace doudi::linkage
