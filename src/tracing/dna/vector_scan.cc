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

// Everything up to the matching pop_options is compiled for AVX-512 and only called after CpuHasAvx512().
#pragma GCC push_options
#pragma GCC target("avx512f")

namespace {

// 16 packed genotypes as 32-bit lanes: allele a in bits 0–7, b in bits 8–15.
inline __m512i Load16(const uint16_t* p) {
  return _mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
}

// fp[i] *= the LR at one locus of rows row + i, i < len (a multiple of 16). The locus's tables stay in registers
// for the whole block; the variants are compiled separately so the inner loop has no branches.
template <bool kParents, bool kAdditive, bool kWide>
void MultiplyLocus(const VectorLocus& t, uint32_t row, uint32_t len, float* fp) {
  const __m512 u0 = _mm512_load_ps(t.u), u1 = _mm512_load_ps(t.u + 16);
  const __m512 u2 = _mm512_load_ps(t.u + 32), u3 = _mm512_load_ps(t.u + 48);
  const __m512 v0 = _mm512_load_ps(t.v), v1 = _mm512_load_ps(t.v + 16);
  const __m512 v2 = _mm512_load_ps(t.v + 32), v3 = _mm512_load_ps(t.v + 48);
  const __m512i bit5 = _mm512_set1_epi32(32);
  auto lookup = [&](__m512 t0, __m512 t1, __m512 t2, __m512 t3, __m512i index) {
    __m512 lo = _mm512_permutex2var_ps(t0, index, t1);
    if constexpr (!kWide) {
      (void)t2, (void)t3, (void)bit5;
      return lo;
    } else {
      __m512 hi = _mm512_permutex2var_ps(t2, index, t3);
      return _mm512_mask_blend_ps(_mm512_test_epi32_mask(index, bit5), lo, hi);
    }
  };
  auto U = [&](__m512i index) { return lookup(u0, u1, u2, u3, index); };
  auto V = [&](__m512i index) { return lookup(v0, v1, v2, v3, index); };
  for (uint32_t i = 0; i < len; i += 16) {
    __m512 lr;
    if constexpr (kParents) {
      // 16 rows of (father, mother) as 32-bit lanes: father a, b in bits 0–15, mother in 16–31. A lookup only
      // reads an index's low 6 bits, so shifting is all the unpacking needed.
      const __m512i fa = _mm512_loadu_si512(t.column + 2 * (size_t{row} + i));
      const __m512i fb = _mm512_srli_epi32(fa, 8), ma = _mm512_srli_epi32(fa, 16), mb = _mm512_srli_epi32(fa, 24);
      const __m512 fu = _mm512_add_ps(U(fa), U(fb)), fv = _mm512_add_ps(V(fa), V(fb));
      const __m512 mu = _mm512_add_ps(U(ma), U(mb)), mv = _mm512_add_ps(V(ma), V(mb));
      lr = _mm512_fmadd_ps(fu, mv, _mm512_mul_ps(fv, mu));
    } else {
      const __m512i a = Load16(t.column + row + i), b = _mm512_srli_epi32(a, 8);
      if constexpr (kAdditive) {
        lr = _mm512_add_ps(U(a), U(b));
      } else {
        lr = _mm512_fmadd_ps(U(a), V(b), _mm512_mul_ps(U(b), V(a)));
      }
    }
    _mm512_store_ps(fp + i, _mm512_mul_ps(_mm512_load_ps(fp + i), lr));
  }
}

using LocusKernel = void (*)(const VectorLocus&, uint32_t, uint32_t, float*);

template <bool kParents, bool kAdditive>
LocusKernel Pick(bool wide) {
  return wide ? &MultiplyLocus<kParents, kAdditive, true> : &MultiplyLocus<kParents, kAdditive, false>;
}

}  // namespace

void MultiplyAvx512(const VectorPlan& plan, uint32_t row, uint32_t len,
                                                         double* prod) {
  alignas(64) float fp[kMaxBlock];
  for (uint32_t i = 0; i < len; i += 16) _mm512_store_ps(fp + i, _mm512_set1_ps(1));
  for (uint32_t i = 0; i < len; i += 8) _mm512_storeu_pd(prod + i, _mm512_set1_pd(1));
  for (const VectorLocus& t : plan.loci) {
    const LocusKernel kernel = plan.parents ? Pick<true, false>(t.wide)
                               : plan.additive ? Pick<false, true>(t.wide)
                                               : Pick<false, false>(t.wide);
    kernel(t, row, len, fp);
    if (t.flush) {  // end of a float group: into the double products
      for (uint32_t i = 0; i < len; i += 16) {
        const __m512 p = _mm512_load_ps(fp + i);
        const __m512d lo = _mm512_cvtps_pd(_mm512_castps512_ps256(p));
        const __m512d hi = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(p), 1)));
        _mm512_storeu_pd(prod + i, _mm512_mul_pd(_mm512_loadu_pd(prod + i), lo));
        _mm512_storeu_pd(prod + i + 8, _mm512_mul_pd(_mm512_loadu_pd(prod + i + 8), hi));
        _mm512_store_ps(fp + i, _mm512_set1_ps(1));
      }
    }
  }
}

#pragma GCC pop_options

void MultiplyRows(const VectorPlan& plan, uint32_t row, uint32_t len, double* prod) {
  for (uint32_t i = 0; i < len; ++i) {
    double p = 1;
    for (const VectorLocus& t : plan.loci) {
      const size_t r = size_t{row} + i;
      const unsigned g = plan.parents ? t.column[2 * r] : t.column[r], a = g & 0xff, b = g >> 8;
      if (!plan.parents) {
        p *= double(t.u[a]) * t.v[b] + double(t.u[b]) * t.v[a];
      } else {
        const unsigned h = t.column[2 * r + 1], c = h & 0xff, d = h >> 8;
        const double fu = double(t.u[a]) + t.u[b], fv = double(t.v[a]) + t.v[b];
        const double mu = double(t.u[c]) + t.u[d], mv = double(t.v[c]) + t.v[d];
        p *= fu * mv + fv * mu;
      }
    }
    prod[i] = p;
  }
}

}  // namespace doudi::dna::scan
