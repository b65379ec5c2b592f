// The AVX-512 kernel of the block scan: 16 reports per step. Each step is the scalar kernel's arithmetic lane by
// lane (same float operations, same order: no fused multiply-add, tol / 2 as tol × 0.5 and 2 × tol as tol + tol,
// which are exact); levels are integer lanes, a weight is a permutation of the field's 8-entry table.
#include "tracing/linkage/block_scan.h"

#if defined(__x86_64__) && defined(__GNUC__)
// GCC 12's AVX-512 headers start masked operations from _mm512_undefined_*(), which -Wuninitialized reports.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

namespace doudi::linkage {

__attribute__((target("avx512f,avx512dq,avx512bw,avx512vl,popcnt"))) size_t ScanAvx512(
    const ScanColumns& c, const ScanProbe& p, const ScanWeights& w, const ScanFilter& filter, uint32_t begin,
    uint32_t end, float floor, const Survivors& out, uint64_t* pairs) {
  const __m512i one = _mm512_set1_epi32(1), zero = _mm512_setzero_si512(), byte = _mm512_set1_epi32(255);
  const __m512i p_block = _mm512_set1_epi32(p.block), skip_county = _mm512_set1_epi32(filter.skip_county),
                below = _mm512_set1_epi32(filter.below), three = _mm512_set1_epi32(3);
  const __m512 p_birth = _mm512_set1_ps(p.birth), p_unc = _mm512_set1_ps(p.unc), p_age = _mm512_set1_ps(p.age),
               p_height = _mm512_set1_ps(p.height), p_median = _mm512_set1_ps(p.median),
               p_median_unknown = _mm512_set1_ps(p.median_unknown);
  const __m512i p_sex = _mm512_set1_epi32(p.sex), p_day = _mm512_set1_epi32(p.day),
                p_dialect = _mm512_set1_epi32(p.dialect), p_raw = _mm512_set1_epi32(p.raw),
                p_simple = _mm512_set1_epi32(p.simple), p_pinyin = _mm512_set1_epi32(p.pinyin),
                p_fuzzy = _mm512_set1_epi32(p.fuzzy), p_home_code = _mm512_set1_epi32(p.home_code),
                p_home_city = _mm512_set1_epi32(p.home_city), p_home_province = _mm512_set1_epi32(p.home_province),
                p_place_code = _mm512_set1_epi32(p.place_code), p_place_city = _mm512_set1_epi32(p.place_city),
                p_place_province = _mm512_set1_epi32(p.place_province), p_marks_lo = _mm512_set1_epi32(p.marks_lo),
                p_marks_hi = _mm512_set1_epi32(p.marks_hi), p_home_prec = _mm512_set1_epi32(p.home_precision),
                p_place_prec = _mm512_set1_epi32(p.place_precision);
  const __mmask16 all = 0xffff;
  const __mmask16 p_has_sex = p.sex != 0 ? all : 0, p_has_birth = p.has_birth != 0 ? all : 0;
  const __mmask16 p_has_height = (p.height > 0 && p.age >= 0) ? all : 0, p_has_dialect = p.dialect != 0 ? all : 0;
  const __mmask16 p_has_marks = (p.marks_lo | p.marks_hi) != 0 ? all : 0, p_has_name = p.raw != 0 ? all : 0;
  __m512 table[kNumFields];
  for (int f = 0; f < kNumFields; ++f) table[f] = _mm512_zextps256_ps512(_mm256_loadu_ps(w.w[f]));
  const __m512 half = _mm512_set1_ps(0.5f), eighteen = _mm512_set1_ps(18.0f), five = _mm512_set1_ps(5.0f),
               fifteen = _mm512_set1_ps(15.0f), jw_best = _mm512_set1_ps(w.jw_best), floor_v = _mm512_set1_ps(floor);
  const __m512i chrono_base = w.chronology ? one : zero;
  size_t kept = 0;
  uint64_t n = 0;
  for (uint32_t i = begin; i < end; i += 16) {
    const __mmask16 live = end - i >= 16 ? all : static_cast<__mmask16>((1u << (end - i)) - 1);
#define DOUDI_F(col) _mm512_maskz_loadu_ps(live, c.col.data() + i)
#define DOUDI_I(col) _mm512_maskz_loadu_epi32(live, c.col.data() + i)
    const __m512 tol = _mm512_add_ps(DOUDI_F(unc), p_unc);
    const __m512 dage = _mm512_abs_ps(_mm512_sub_ps(DOUDI_F(birth), p_birth));
    __mmask16 r1 = _mm512_mask_cmp_ps_mask(live, dage, tol, _CMP_LE_OQ);
    const __m512i flags = DOUDI_I(flags);
    const __m512i x_sex = _mm512_and_si512(flags, byte);
    const __m512i x_birth = _mm512_and_si512(_mm512_srli_epi32(flags, 8), byte);
    const __m512i x_home_prec = _mm512_and_si512(_mm512_srli_epi32(flags, 16), byte);
    const __m512i x_place_prec = _mm512_srli_epi32(flags, 24);
    const __mmask16 sex_known = _mm512_mask_cmpneq_epi32_mask(p_has_sex, x_sex, zero);
    const __mmask16 same_sex = _mm512_cmpeq_epi32_mask(x_sex, p_sex);
    const __m512i home_code = DOUDI_I(home_code), place_code = DOUDI_I(place_code);
    if (filter.county) {  // the pairs rules 1 and 2 do not produce (see ScanFilter)
      const __mmask16 rule1 = r1 & sex_known & same_sex & _mm512_mask_cmpneq_epi32_mask(p_has_birth, x_birth, zero);
      const __m512i x_block = DOUDI_I(block);
      const __mmask16 rule2 = _mm512_cmpneq_epi32_mask(x_block, zero) & _mm512_cmpeq_epi32_mask(x_block, p_block);
      __mmask16 skip = 0;
      if (filter.skip_county != 0) {
        skip = (_mm512_cmpeq_epi32_mask(x_home_prec, three) & _mm512_cmpeq_epi32_mask(home_code, skip_county)) |
               (_mm512_cmpeq_epi32_mask(x_place_prec, three) & _mm512_cmpeq_epi32_mask(place_code, skip_county));
      }
      r1 = live & _mm512_cmplt_epi32_mask(DOUDI_I(index), below) & ~rule1 & ~rule2 & ~skip;
    }
    if (r1 == 0) continue;
    n += static_cast<uint64_t>(__builtin_popcount(r1));
    // sex
    __m512i level = _mm512_maskz_mov_epi32(sex_known, one);
    level = _mm512_mask_add_epi32(level, sex_known & ~same_sex, level, one);
    __m512 sum = _mm512_permutexvar_ps(level, table[kSex]);
    // age
    const __mmask16 age_known = _mm512_mask_cmpneq_epi32_mask(p_has_birth, x_birth, zero);
    level = _mm512_maskz_mov_epi32(age_known, one);
    level = _mm512_mask_add_epi32(level, age_known & _mm512_cmp_ps_mask(dage, _mm512_mul_ps(tol, half), _CMP_GT_OQ),
                                  level, one);
    level = _mm512_mask_add_epi32(level, age_known & _mm512_cmp_ps_mask(dage, tol, _CMP_GT_OQ), level, one);
    level = _mm512_mask_add_epi32(level, age_known & _mm512_cmp_ps_mask(dage, _mm512_add_ps(tol, tol), _CMP_GT_OQ),
                                  level, one);
    sum = _mm512_add_ps(sum, _mm512_permutexvar_ps(level, table[kAge]));
    // height, the younger measurement projected to the older age along the median curve
    {
      const __m512 ha = DOUDI_F(height), aa = DOUDI_F(age);
      const __mmask16 known = _mm512_mask_cmp_ps_mask(p_has_height, ha, _mm512_setzero_ps(), _CMP_GT_OQ) &
                              _mm512_cmp_ps_mask(aa, _mm512_setzero_ps(), _CMP_GE_OQ);
      level = zero;
      if (known) {
        const __m512 ma = _mm512_mask_blend_ps(same_sex, DOUDI_F(median_unknown), DOUDI_F(median));
        const __m512 mb = _mm512_mask_blend_ps(same_sex, p_median_unknown, p_median);
        const __mmask16 swap = _mm512_cmp_ps_mask(aa, p_age, _CMP_GT_OQ);
        const __m512 young_h = _mm512_mask_blend_ps(swap, ha, p_height), young_a = _mm512_mask_blend_ps(swap, aa, p_age),
                     young_m = _mm512_mask_blend_ps(swap, ma, mb);
        const __m512 old_h = _mm512_mask_blend_ps(swap, p_height, ha), old_a = _mm512_mask_blend_ps(swap, p_age, aa),
                     old_m = _mm512_mask_blend_ps(swap, mb, ma);
        const __m512 projected = _mm512_div_ps(_mm512_mul_ps(young_h, old_m), young_m);
        const __m512 growth = _mm512_sub_ps(_mm512_min_ps(old_a, eighteen), _mm512_min_ps(young_a, eighteen));
        const __m512 htol = _mm512_min_ps(_mm512_add_ps(five, growth), fifteen);
        const __m512 d = _mm512_abs_ps(_mm512_sub_ps(projected, old_h));
        level = _mm512_maskz_mov_epi32(known, one);
        level = _mm512_mask_add_epi32(level, known & _mm512_cmp_ps_mask(d, htol, _CMP_GT_OQ), level, one);
        level = _mm512_mask_add_epi32(level, known & _mm512_cmp_ps_mask(d, _mm512_add_ps(htol, htol), _CMP_GT_OQ),
                                      level, one);
      }
      sum = _mm512_add_ps(sum, _mm512_permutexvar_ps(level, table[kHeight]));
    }
    // dialect
    {
      const __m512i x = DOUDI_I(dialect);
      const __mmask16 known = _mm512_mask_cmpneq_epi32_mask(p_has_dialect, x, zero);
      level = _mm512_maskz_mov_epi32(known, one);
      level = _mm512_mask_add_epi32(level, known & _mm512_cmpneq_epi32_mask(x, p_dialect), level, one);
      sum = _mm512_add_ps(sum, _mm512_permutexvar_ps(level, table[kDialect]));
    }
    // home and place: 4 − (same province) − (same city, both precise to a city) − (same county, both to a county)
#define DOUDI_PLACE(field, x_prec, p_prec, code)                                                                 \
  {                                                                                                              \
    const __m512i prec = _mm512_min_epi32(x_prec, p_prec);                                                       \
    const __mmask16 known = _mm512_cmpneq_epi32_mask(prec, zero);                                                \
    level = _mm512_maskz_mov_epi32(known, _mm512_set1_epi32(4));                                                 \
    level = _mm512_mask_sub_epi32(level, known & _mm512_cmpeq_epi32_mask(DOUDI_I(field##_province),             \
                                                                          p_##field##_province),                 \
                                  level, one);                                                                   \
    level = _mm512_mask_sub_epi32(level,                                                                         \
                                  known & _mm512_cmpge_epi32_mask(prec, _mm512_set1_epi32(2)) &                  \
                                      _mm512_cmpeq_epi32_mask(DOUDI_I(field##_city), p_##field##_city),          \
                                  level, one);                                                                   \
    level = _mm512_mask_sub_epi32(level,                                                                         \
                                  known & _mm512_cmpge_epi32_mask(prec, _mm512_set1_epi32(3)) &                  \
                                      _mm512_cmpeq_epi32_mask(code, p_##field##_code),                           \
                                  level, one);                                                                   \
  }
    DOUDI_PLACE(home, x_home_prec, p_home_prec, home_code)
    sum = _mm512_add_ps(sum, _mm512_permutexvar_ps(level, table[kHome]));
    DOUDI_PLACE(place, x_place_prec, p_place_prec, place_code)
    sum = _mm512_add_ps(sum, _mm512_permutexvar_ps(level, table[kPlace]));
#undef DOUDI_PLACE
    // chronology: found before lost is level 1
    level = _mm512_mask_add_epi32(chrono_base, w.chronology ? _mm512_cmpgt_epi32_mask(DOUDI_I(day), p_day) : 0,
                                  chrono_base, one);
    sum = _mm512_add_ps(sum, _mm512_permutexvar_ps(level, table[kChronology]));
    // marks: several common keywords with a mark among them 0, some in common 1, none 2
    {
      const __m512i x_lo = DOUDI_I(marks_lo), x_hi = DOUDI_I(marks_hi);
      const __mmask16 known = p_has_marks & _mm512_test_epi32_mask(_mm512_or_si512(x_lo, x_hi), _mm512_or_si512(x_lo, x_hi));
      const __m512i lo = _mm512_and_si512(x_lo, p_marks_lo), hi = _mm512_and_si512(x_hi, p_marks_hi);
      const __mmask16 lo_any = _mm512_test_epi32_mask(lo, lo), hi_any = _mm512_test_epi32_mask(hi, hi);
      const __m512i lo2 = _mm512_and_si512(lo, _mm512_sub_epi32(lo, one)),
                    hi2 = _mm512_and_si512(hi, _mm512_sub_epi32(hi, one));
      const __mmask16 several =
          _mm512_test_epi32_mask(lo2, lo2) | _mm512_test_epi32_mask(hi2, hi2) | (lo_any & hi_any);
      // level + 1: 3 when nothing in common, 1 when several with a mark, else 2
      level = _mm512_maskz_mov_epi32(known, _mm512_set1_epi32(2));
      level = _mm512_mask_add_epi32(level, known & ~(lo_any | hi_any), level, one);
      level = _mm512_mask_sub_epi32(level, known & several & lo_any, level, one);
      sum = _mm512_add_ps(sum, _mm512_permutexvar_ps(level, table[kMarks]));
    }
    // term frequency of the county, when the same
    {
      const __mmask16 same_home = _mm512_cmpge_epi32_mask(x_home_prec, _mm512_set1_epi32(3)) &
                                  _mm512_cmpge_epi32_mask(p_home_prec, _mm512_set1_epi32(3)) &
                                  _mm512_cmpeq_epi32_mask(home_code, p_home_code);
      const __mmask16 same_place = _mm512_cmpge_epi32_mask(x_place_prec, _mm512_set1_epi32(3)) &
                                   _mm512_cmpge_epi32_mask(p_place_prec, _mm512_set1_epi32(3)) &
                                   _mm512_cmpeq_epi32_mask(place_code, p_place_code);
      sum = _mm512_add_ps(sum, _mm512_maskz_loadu_ps(live & same_home, w.home_tf + i));
      sum = _mm512_add_ps(sum, _mm512_maskz_loadu_ps(live & same_place, w.place_tf + i));
    }
    // name without Jaro–Winkler: −1 missing, 0 same characters, 1 simplified, 2 pinyin, 3 fuzzy pinyin, 6 other
    const __m512i x_raw = DOUDI_I(raw), x_pinyin = DOUDI_I(pinyin), x_fuzzy = DOUDI_I(fuzzy);
    const __mmask16 name_known = _mm512_mask_cmpneq_epi32_mask(p_has_name, x_raw, zero);
    const __mmask16 n0 = _mm512_cmpeq_epi32_mask(x_raw, p_raw);
    const __mmask16 n1 = _mm512_cmpeq_epi32_mask(DOUDI_I(simple), p_simple);
    const __mmask16 n2 = _mm512_mask_cmpneq_epi32_mask(_mm512_cmpeq_epi32_mask(x_pinyin, p_pinyin), x_pinyin, zero);
    const __mmask16 n3 = _mm512_mask_cmpneq_epi32_mask(_mm512_cmpeq_epi32_mask(x_fuzzy, p_fuzzy), x_fuzzy, zero);
    __m512i name = _mm512_set1_epi32(6);
    name = _mm512_mask_mov_epi32(name, n3, _mm512_set1_epi32(3));
    name = _mm512_mask_mov_epi32(name, n2, _mm512_set1_epi32(2));
    name = _mm512_mask_mov_epi32(name, n1, one);
    name = _mm512_mask_mov_epi32(name, n0, zero);
    name = _mm512_mask_mov_epi32(name, ~name_known, _mm512_set1_epi32(-1));
    const __mmask16 jw = _mm512_cmpeq_epi32_mask(name, _mm512_set1_epi32(6));
    const __mmask16 l0 = name_known & n0, l1 = name_known & ~n0 & n1;
    const __m512 tf = _mm512_mask_loadu_ps(_mm512_maskz_loadu_ps(live & l0, w.name_tf0 + i), live & l1, w.name_tf1 + i);
    const __m512 full =
        _mm512_add_ps(sum, _mm512_add_ps(_mm512_permutexvar_ps(_mm512_add_epi32(name, one), table[kName]), tf));
    const __mmask16 keep =
        r1 & ((~jw & _mm512_cmp_ps_mask(full, floor_v, _CMP_NLT_UQ)) |
              (jw & _mm512_cmp_ps_mask(_mm512_add_ps(sum, jw_best), floor_v, _CMP_NLT_UQ)));
    if (keep) {
      _mm512_mask_compressstoreu_epi32(out.a + kept, keep, DOUDI_I(index));
      _mm512_mask_compressstoreu_ps(out.sum + kept, keep, sum);
      _mm512_mask_compressstoreu_epi32(out.name + kept, keep, name);
      kept += static_cast<size_t>(__builtin_popcount(keep));
    }
#undef DOUDI_F
#undef DOUDI_I
  }
  *pairs += n;
  return kept;
}

}  // namespace doudi::linkage

#endif
