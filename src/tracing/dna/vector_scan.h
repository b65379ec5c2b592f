// The vectorised inner loop of the family search (internal to search.cc): 16 references at a time in AVX-512
// registers, each locus's LR looked up with in-register permutes instead of memory loads.
//
// Every hypothesis is in the pair form of QueryLocus::PairForm: per-allele vectors u, v of at most 64 entries
// (two or four zmm registers of floats); one reference (a, b) has LR u[a]·v[b] + u[b]·v[a], two parents combine
// (u, v) sums. Products are taken in float over groups of loci chosen so that they cannot leave float range
// (flush marks the last locus of a group), then multiplied into doubles. The caller checks that the plan fits
// these limits (alleles ≤ 63, values within 1e±30) and falls back to the scalar double-precision scan if not.
#pragma once

#include <cstdint>
#include <vector>

namespace doudi::dna::scan {

struct alignas(64) VectorLocus {
  float u[64];
  float v[64];
  const uint16_t* column;     // the packed genotypes from row 0 (parents: father, mother of each row in turn)
  bool wide;                  // more than 31 alleles: two permutes and a blend per lookup
  bool flush;                 // end of a float group
};

struct VectorPlan {
  bool parents = false;
  bool additive = false;  // v ≡ 1 (one parent): LR = u[a] + u[b], half the lookups
  std::vector<VectorLocus> loci;
};

// Whether this CPU runs MultiplyAvx512 (checked once).
bool CpuHasAvx512();
// prod[i] = the LR product of row `row + i`, for i < len; len a multiple of 16 and at most kMaxBlock.
inline constexpr uint32_t kMaxBlock = 512;
void MultiplyAvx512(const VectorPlan& plan, uint32_t row, uint32_t len, double* prod);
// The same, one row at a time in double precision: block tails and machines without AVX-512.
void MultiplyRows(const VectorPlan& plan, uint32_t row, uint32_t len, double* prod);

}  // namespace doudi::dna::scan
