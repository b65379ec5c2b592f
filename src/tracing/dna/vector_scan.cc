#include "tracing/dna/vector_scan.h"

#include <immintrin.h>

// GCC 12's AVX-512 intrinsics start from _mm512_undefined_*() and trip -Wmaybe-uninitialized at -O2 and above
// (GCC bug 105593); the values are always fully written.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace doudi::dna::scan {

bool CpuHasAvx512() {
  static const bool has = __builtin_cpu_supports("avx512f");
  return has;
}

namespace {

// table[index] for 16 indices (only their low 6 bits count; bit 5 chooses the upper half when wide).
__attribute__((target("avx512f"))) inline __m512 Lookup(const float* table, __m512i index, bool wide) {
  __m512 lo = _mm512_permutex2var_ps(_mm512_load_ps(table), index, _mm512_load_ps(table + 16));
  if (!wide) return lo;
  __m512 hi = _mm512_permutex2var_ps(_mm512_load_ps(table + 32), index, _mm512_load_ps(table + 48));
  return _mm512_mask_blend_ps(_mm512_test_epi32_mask(index, _mm512_set1_epi32(32)), lo, hi);
}

// 16 packed genotypes as 32-bit lanes: allele a in bits 0–7, b in bits 8–15.
__attribute__((target("avx512f"))) inline __m512i Load16(const uint16_t* p) {
  return _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
}

}  // namespace

__attribute__((target("avx512f"))) void MultiplyAvx512(const VectorPlan& plan, uint32_t row, uint32_t len,
                                                         double* prod) {
  const size_t nl = plan.loci.size();
  for (uint32_t i = 0; i < len; i += 16) {
    __m512d lo = _mm512_set1_pd(1), hi = _mm512_set1_pd(1);
    __m512 p = _mm512_set1_ps(1);
    for (size_t l = 0; l < nl; ++l) {
      const VectorLocus& t = plan.loci[l];
      __m512 lr;
      if (!plan.parents) {
        const __m512i a = Load16(t.column[0] + row + i), b = _mm512_srli_epi32(a, 8);
        const __m512 ua = Lookup(t.u, a, t.wide), ub = Lookup(t.u, b, t.wide);
        const __m512 va = Lookup(t.v, a, t.wide), vb = Lookup(t.v, b, t.wide);
        lr = _mm512_fmadd_ps(ua, vb, _mm512_mul_ps(ub, va));
      } else {
        const __m512i fa = Load16(t.column[0] + row + i), fb = _mm512_srli_epi32(fa, 8);
        const __m512i ma = Load16(t.column[1] + row + i), mb = _mm512_srli_epi32(ma, 8);
        const __m512 fu = _mm512_add_ps(Lookup(t.u, fa, t.wide), Lookup(t.u, fb, t.wide));
        const __m512 fv = _mm512_add_ps(Lookup(t.v, fa, t.wide), Lookup(t.v, fb, t.wide));
        const __m512 mu = _mm512_add_ps(Lookup(t.u, ma, t.wide), Lookup(t.u, mb, t.wide));
        const __m512 mv = _mm512_add_ps(Lookup(t.v, ma, t.wide), Lookup(t.v, mb, t.wide));
        lr = _mm512_fmadd_ps(fu, mv, _mm512_mul_ps(fv, mu));
      }
      p = _mm512_mul_ps(p, lr);
      if (t.flush) {
        lo = _mm512_mul_pd(lo, _mm512_cvtps_pd(_mm512_castps512_ps256(p)));
        hi = _mm512_mul_pd(hi, _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(p), 1))));
        p = _mm512_set1_ps(1);
      }
    }
    _mm512_storeu_pd(prod + i, lo);
    _mm512_storeu_pd(prod + i + 8, hi);
  }
}

void MultiplyRows(const VectorPlan& plan, uint32_t row, uint32_t len, double* prod) {
  for (uint32_t i = 0; i < len; ++i) {
    double p = 1;
    for (const VectorLocus& t : plan.loci) {
      const unsigned g = t.column[0][row + i], a = g & 0xff, b = g >> 8;
      if (!plan.parents) {
        p *= double(t.u[a]) * t.v[b] + double(t.u[b]) * t.v[a];
      } else {
        const unsigned h = t.column[1][row + i], c = h & 0xff, d = h >> 8;
        const double fu = double(t.u[a]) + t.u[b], fv = double(t.v[a]) + t.v[b];
        const double mu = double(t.u[c]) + t.u[d], mv = double(t.v[c]) + t.v[d];
        p *= fu * mv + fv * mu;
      }
    }
    prod[i] = p;
  }
}

}  // namespace doudi::dna::scan
