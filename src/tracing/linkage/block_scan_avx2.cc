// The AVX2 kernel of the block scan: 8 reports per step, for CPUs without AVX-512. The same lane arithmetic as
// the AVX-512 kernel and the scalar reference (see block_scan_avx512.cc); masks are all-ones lanes, a level's
// weight is _mm256_permutevar8x32_ps of the field's 8-entry table.
#include "tracing/linkage/block_scan.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

namespace doudi::linkage {

__attribute__((target("avx2,popcnt"))) size_t ScanAvx2(const ScanColumns& c, const ScanProbe& p,
                                                       const ScanWeights& w, const ScanFilter& filter,
                                                       uint32_t begin, uint32_t end, float floor,
                                                       const Survivors& out, uint64_t* pairs) {
  const __m256i one = _mm256_set1_epi32(1), zero = _mm256_setzero_si256(), ones = _mm256_set1_epi32(-1),
                byte = _mm256_set1_epi32(255), two = _mm256_set1_epi32(2), four = _mm256_set1_epi32(4);
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i p_block = _mm256_set1_epi32(p.block), skip_county = _mm256_set1_epi32(filter.skip_county),
                below = _mm256_set1_epi32(filter.below), three = _mm256_set1_epi32(3);
  const __m256 abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
  const __m256 p_birth = _mm256_set1_ps(p.birth), p_unc = _mm256_set1_ps(p.unc), p_age = _mm256_set1_ps(p.age),
               p_height = _mm256_set1_ps(p.height), p_median = _mm256_set1_ps(p.median),
               p_median_unknown = _mm256_set1_ps(p.median_unknown);
  const __m256i p_sex = _mm256_set1_epi32(p.sex), p_day = _mm256_set1_epi32(p.day),
                p_dialect = _mm256_set1_epi32(p.dialect), p_raw = _mm256_set1_epi32(p.raw),
                p_simple = _mm256_set1_epi32(p.simple), p_pinyin = _mm256_set1_epi32(p.pinyin),
                p_fuzzy = _mm256_set1_epi32(p.fuzzy), p_home_code = _mm256_set1_epi32(p.home_code),
                p_home_city = _mm256_set1_epi32(p.home_city), p_home_province = _mm256_set1_epi32(p.home_province),
                p_place_code = _mm256_set1_epi32(p.place_code), p_place_city = _mm256_set1_epi32(p.place_city),
                p_place_province = _mm256_set1_epi32(p.place_province), p_marks_lo = _mm256_set1_epi32(p.marks_lo),
                p_marks_hi = _mm256_set1_epi32(p.marks_hi), p_home_prec = _mm256_set1_epi32(p.home_precision),
                p_place_prec = _mm256_set1_epi32(p.place_precision);
  const __m256i p_has_sex = p.sex != 0 ? ones : zero, p_has_birth = p.has_birth != 0 ? ones : zero;
  const __m256i p_has_height = (p.height > 0 && p.age >= 0) ? ones : zero, p_has_dialect = p.dialect != 0 ? ones : zero;
  const __m256i p_has_marks = (p.marks_lo | p.marks_hi) != 0 ? ones : zero, p_has_name = p.raw != 0 ? ones : zero;
  const __m256i chrono_base = w.chronology ? one : zero, chrono_on = w.chronology ? ones : zero;
  __m256 table[kNumFields];
  for (int f = 0; f < kNumFields; ++f) table[f] = _mm256_loadu_ps(w.w[f]);
  const __m256 half = _mm256_set1_ps(0.5f), eighteen = _mm256_set1_ps(18.0f), five = _mm256_set1_ps(5.0f),
               fifteen = _mm256_set1_ps(15.0f), jw_best = _mm256_set1_ps(w.jw_best), floor_v = _mm256_set1_ps(floor),
               fzero = _mm256_setzero_ps();
  const __m256i home_county = _mm256_cmpgt_epi32(p_home_prec, two), place_county = _mm256_cmpgt_epi32(p_place_prec, two);
  size_t kept = 0;
  uint64_t n = 0;
#define DOUDI_NZ(x) _mm256_xor_si256(_mm256_cmpeq_epi32(x, zero), ones)
#define DOUDI_FM(cmp) _mm256_castps_si256(cmp)
  for (uint32_t i = begin; i < end; i += 8) {
    const __m256i live = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(std::min<uint32_t>(end - i, 8))), lanes);
#define DOUDI_F(col) _mm256_maskload_ps(c.col.data() + i, live)
#define DOUDI_I(col) _mm256_maskload_epi32(c.col.data() + i, live)
    const __m256 tol = _mm256_add_ps(DOUDI_F(unc), p_unc);
    const __m256 dage = _mm256_and_ps(_mm256_sub_ps(DOUDI_F(birth), p_birth), abs_mask);
    __m256i r1 = _mm256_and_si256(live, DOUDI_FM(_mm256_cmp_ps(dage, tol, _CMP_LE_OQ)));
    const __m256i flags = DOUDI_I(flags);
    const __m256i x_sex = _mm256_and_si256(flags, byte);
    const __m256i x_birth = _mm256_and_si256(_mm256_srli_epi32(flags, 8), byte);
    const __m256i x_home_prec = _mm256_and_si256(_mm256_srli_epi32(flags, 16), byte);
    const __m256i x_place_prec = _mm256_srli_epi32(flags, 24);
    const __m256i sex_known = _mm256_and_si256(p_has_sex, DOUDI_NZ(x_sex));
    const __m256i same_sex = _mm256_cmpeq_epi32(x_sex, p_sex);
    const __m256i home_code = DOUDI_I(home_code), place_code = DOUDI_I(place_code);
    if (filter.county) {  // the pairs rules 1 and 2 do not produce (see ScanFilter)
      const __m256i rule1 = _mm256_and_si256(_mm256_and_si256(r1, _mm256_and_si256(sex_known, same_sex)),
                                             _mm256_and_si256(p_has_birth, DOUDI_NZ(x_birth)));
      const __m256i x_block = DOUDI_I(block);
      const __m256i rule2 = _mm256_and_si256(DOUDI_NZ(x_block), _mm256_cmpeq_epi32(x_block, p_block));
      __m256i skip = zero;
      if (filter.skip_county != 0) {
        skip = _mm256_or_si256(
            _mm256_and_si256(_mm256_cmpeq_epi32(x_home_prec, three), _mm256_cmpeq_epi32(home_code, skip_county)),
            _mm256_and_si256(_mm256_cmpeq_epi32(x_place_prec, three), _mm256_cmpeq_epi32(place_code, skip_county)));
      }
      const __m256i ok = _mm256_and_si256(live, _mm256_cmpgt_epi32(below, DOUDI_I(index)));
      r1 = _mm256_andnot_si256(_mm256_or_si256(_mm256_or_si256(rule1, rule2), skip), ok);
    }
    const int r1_bits = _mm256_movemask_ps(_mm256_castsi256_ps(r1));
    if (r1_bits == 0) continue;
    n += static_cast<uint64_t>(__builtin_popcount(r1_bits));
    // sex (a mask lane is −1: subtracting it adds one)
    __m256i level = _mm256_and_si256(sex_known, one);
    level = _mm256_sub_epi32(level, _mm256_andnot_si256(same_sex, sex_known));
    __m256 sum = _mm256_permutevar8x32_ps(table[kSex], level);
    // age
    const __m256i age_known = _mm256_and_si256(p_has_birth, DOUDI_NZ(x_birth));
    level = _mm256_and_si256(age_known, one);
    level = _mm256_sub_epi32(level,
                             _mm256_and_si256(age_known, DOUDI_FM(_mm256_cmp_ps(dage, _mm256_mul_ps(tol, half), _CMP_GT_OQ))));
    level = _mm256_sub_epi32(level, _mm256_and_si256(age_known, DOUDI_FM(_mm256_cmp_ps(dage, tol, _CMP_GT_OQ))));
    level = _mm256_sub_epi32(level,
                             _mm256_and_si256(age_known, DOUDI_FM(_mm256_cmp_ps(dage, _mm256_add_ps(tol, tol), _CMP_GT_OQ))));
    sum = _mm256_add_ps(sum, _mm256_permutevar8x32_ps(table[kAge], level));
    // height
    {
      const __m256 ha = DOUDI_F(height), aa = DOUDI_F(age);
      const __m256i known = _mm256_and_si256(
          p_has_height, _mm256_and_si256(DOUDI_FM(_mm256_cmp_ps(ha, fzero, _CMP_GT_OQ)),
                                         DOUDI_FM(_mm256_cmp_ps(aa, fzero, _CMP_GE_OQ))));
      level = zero;
      if (!_mm256_testz_si256(known, known)) {
        const __m256 same = _mm256_castsi256_ps(same_sex);
        const __m256 ma = _mm256_blendv_ps(DOUDI_F(median_unknown), DOUDI_F(median), same);
        const __m256 mb = _mm256_blendv_ps(p_median_unknown, p_median, same);
        const __m256 swap = _mm256_cmp_ps(aa, p_age, _CMP_GT_OQ);
        const __m256 young_h = _mm256_blendv_ps(ha, p_height, swap), young_a = _mm256_blendv_ps(aa, p_age, swap),
                     young_m = _mm256_blendv_ps(ma, mb, swap);
        const __m256 old_h = _mm256_blendv_ps(p_height, ha, swap), old_a = _mm256_blendv_ps(p_age, aa, swap),
                     old_m = _mm256_blendv_ps(mb, ma, swap);
        const __m256 projected = _mm256_div_ps(_mm256_mul_ps(young_h, old_m), young_m);
        const __m256 growth = _mm256_sub_ps(_mm256_min_ps(old_a, eighteen), _mm256_min_ps(young_a, eighteen));
        const __m256 htol = _mm256_min_ps(_mm256_add_ps(five, growth), fifteen);
        const __m256 d = _mm256_and_ps(_mm256_sub_ps(projected, old_h), abs_mask);
        level = _mm256_and_si256(known, one);
        level = _mm256_sub_epi32(level, _mm256_and_si256(known, DOUDI_FM(_mm256_cmp_ps(d, htol, _CMP_GT_OQ))));
        level = _mm256_sub_epi32(
            level, _mm256_and_si256(known, DOUDI_FM(_mm256_cmp_ps(d, _mm256_add_ps(htol, htol), _CMP_GT_OQ))));
      }
      sum = _mm256_add_ps(sum, _mm256_permutevar8x32_ps(table[kHeight], level));
    }
    // dialect
    {
      const __m256i x = DOUDI_I(dialect);
      const __m256i known = _mm256_and_si256(p_has_dialect, DOUDI_NZ(x));
      level = _mm256_and_si256(known, one);
      level = _mm256_sub_epi32(level, _mm256_andnot_si256(_mm256_cmpeq_epi32(x, p_dialect), known));
      sum = _mm256_add_ps(sum, _mm256_permutevar8x32_ps(table[kDialect], level));
    }
#define DOUDI_PLACE(field, x_prec, p_prec, code)                                                                  \
  {                                                                                                               \
    const __m256i prec = _mm256_min_epi32(x_prec, p_prec);                                                        \
    const __m256i known = DOUDI_NZ(prec);                                                                         \
    level = _mm256_and_si256(known, four);                                                                        \
    level = _mm256_add_epi32(                                                                                     \
        level, _mm256_and_si256(known, _mm256_cmpeq_epi32(DOUDI_I(field##_province), p_##field##_province)));     \
    level = _mm256_add_epi32(level, _mm256_and_si256(_mm256_and_si256(known, _mm256_cmpgt_epi32(prec, one)),      \
                                                     _mm256_cmpeq_epi32(DOUDI_I(field##_city), p_##field##_city))); \
    level = _mm256_add_epi32(level, _mm256_and_si256(_mm256_and_si256(known, _mm256_cmpgt_epi32(prec, two)),      \
                                                     _mm256_cmpeq_epi32(code, p_##field##_code)));                 \
  }
    DOUDI_PLACE(home, x_home_prec, p_home_prec, home_code)
    sum = _mm256_add_ps(sum, _mm256_permutevar8x32_ps(table[kHome], level));
    DOUDI_PLACE(place, x_place_prec, p_place_prec, place_code)
    sum = _mm256_add_ps(sum, _mm256_permutevar8x32_ps(table[kPlace], level));
#undef DOUDI_PLACE
    level = _mm256_sub_epi32(chrono_base, _mm256_and_si256(chrono_on, _mm256_cmpgt_epi32(DOUDI_I(day), p_day)));
    sum = _mm256_add_ps(sum, _mm256_permutevar8x32_ps(table[kChronology], level));
    {
      const __m256i x_lo = DOUDI_I(marks_lo), x_hi = DOUDI_I(marks_hi);
      const __m256i known = _mm256_and_si256(p_has_marks, DOUDI_NZ(_mm256_or_si256(x_lo, x_hi)));
      const __m256i lo = _mm256_and_si256(x_lo, p_marks_lo), hi = _mm256_and_si256(x_hi, p_marks_hi);
      const __m256i lo_any = DOUDI_NZ(lo), hi_any = DOUDI_NZ(hi);
      const __m256i several = _mm256_or_si256(
          _mm256_or_si256(DOUDI_NZ(_mm256_and_si256(lo, _mm256_sub_epi32(lo, one))),
                          DOUDI_NZ(_mm256_and_si256(hi, _mm256_sub_epi32(hi, one)))),
          _mm256_and_si256(lo_any, hi_any));
      level = _mm256_and_si256(known, two);
      level = _mm256_sub_epi32(level, _mm256_andnot_si256(_mm256_or_si256(lo_any, hi_any), known));
      level = _mm256_add_epi32(level, _mm256_and_si256(known, _mm256_and_si256(several, lo_any)));
      sum = _mm256_add_ps(sum, _mm256_permutevar8x32_ps(table[kMarks], level));
    }
    {
      const __m256i same_home = _mm256_and_si256(
          _mm256_and_si256(home_county, _mm256_cmpgt_epi32(x_home_prec, two)), _mm256_cmpeq_epi32(home_code, p_home_code));
      const __m256i same_place = _mm256_and_si256(_mm256_and_si256(place_county, _mm256_cmpgt_epi32(x_place_prec, two)),
                                                  _mm256_cmpeq_epi32(place_code, p_place_code));
      sum = _mm256_add_ps(sum, _mm256_maskload_ps(w.home_tf + i, _mm256_and_si256(live, same_home)));
      sum = _mm256_add_ps(sum, _mm256_maskload_ps(w.place_tf + i, _mm256_and_si256(live, same_place)));
    }
    const __m256i x_raw = DOUDI_I(raw), x_pinyin = DOUDI_I(pinyin), x_fuzzy = DOUDI_I(fuzzy);
    const __m256i name_known = _mm256_and_si256(p_has_name, DOUDI_NZ(x_raw));
    const __m256i n0 = _mm256_cmpeq_epi32(x_raw, p_raw);
    const __m256i n1 = _mm256_cmpeq_epi32(DOUDI_I(simple), p_simple);
    const __m256i n2 = _mm256_and_si256(_mm256_cmpeq_epi32(x_pinyin, p_pinyin), DOUDI_NZ(x_pinyin));
    const __m256i n3 = _mm256_and_si256(_mm256_cmpeq_epi32(x_fuzzy, p_fuzzy), DOUDI_NZ(x_fuzzy));
    __m256i name = _mm256_set1_epi32(6);
    name = _mm256_blendv_epi8(name, _mm256_set1_epi32(3), n3);
    name = _mm256_blendv_epi8(name, two, n2);
    name = _mm256_blendv_epi8(name, one, n1);
    name = _mm256_blendv_epi8(name, zero, n0);
    name = _mm256_blendv_epi8(ones, name, name_known);
    const __m256i jw = _mm256_cmpeq_epi32(name, _mm256_set1_epi32(6));
    const __m256i l0 = _mm256_and_si256(name_known, n0), l1 = _mm256_andnot_si256(n0, _mm256_and_si256(name_known, n1));
    const __m256 tf = _mm256_or_ps(_mm256_maskload_ps(w.name_tf0 + i, _mm256_and_si256(live, l0)),
                                   _mm256_maskload_ps(w.name_tf1 + i, _mm256_and_si256(live, l1)));
    const __m256 full = _mm256_add_ps(
        sum, _mm256_add_ps(_mm256_permutevar8x32_ps(table[kName], _mm256_add_epi32(name, one)), tf));
    const __m256i keep = _mm256_and_si256(
        r1, _mm256_or_si256(_mm256_andnot_si256(jw, DOUDI_FM(_mm256_cmp_ps(full, floor_v, _CMP_NLT_UQ))),
                            _mm256_and_si256(jw, DOUDI_FM(_mm256_cmp_ps(_mm256_add_ps(sum, jw_best), floor_v,
                                                                        _CMP_NLT_UQ)))));
    int bits = _mm256_movemask_ps(_mm256_castsi256_ps(keep));
    if (bits) {
      alignas(32) float sums[8];
      alignas(32) int32_t names[8], index[8];
      _mm256_store_si256(reinterpret_cast<__m256i*>(index), DOUDI_I(index));
      _mm256_store_ps(sums, sum);
      _mm256_store_si256(reinterpret_cast<__m256i*>(names), name);
      for (; bits; bits &= bits - 1) {
        const int lane = __builtin_ctz(static_cast<unsigned>(bits));
        out.a[kept] = static_cast<uint32_t>(index[lane]);
        out.sum[kept] = sums[lane];
        out.name[kept] = names[lane];
        ++kept;
      }
    }
#undef DOUDI_F
#undef DOUDI_I
  }
#undef DOUDI_NZ
#undef DOUDI_FM
  *pairs += n;
  return kept;
}

}  // namespace doudi::linkage

#endif
