// Deterministic benchmark data for the DNA kinship search: reference databases of simulated people and
// families (founders from the Chinese allele frequencies, children through the stepwise mutation model), with
// planted families whose missing persons serve as queries that must come first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tracing/dna/database.h"
#include "tracing/dna/simulate.h"

namespace doudi::dna::bench {

// The 20 loci of the common Chinese 20-locus kits (Goldeneye 20A / Huaxia-like), as frequency-table indices.
std::vector<int> KitLoci(const AlleleFrequencies& frequencies, int count = 20);

struct Mix {
  uint32_t parents = 0, father = 0, mother = 0, sibling = 0, child = 0, self = 0;  // families of each kind
};

struct BenchData {
  ReferenceDatabase db;
  std::vector<std::vector<Genotype>> queries;  // planted missing persons first, then strangers
  std::vector<uint32_t> truth;                 // family number of each planted query
};

// `mix` families of unrelated filler people, `planted` of them (spread over the kinds, at deterministic
// positions) replaced by true families; `strangers` extra queries related to nobody.
BenchData Generate(const KinshipModel& model, const std::vector<int>& loci, const Mix& mix, uint32_t planted,
                   uint32_t strangers, uint64_t seed);

// The same kind of data as CSV files (refs.csv, queries.csv) for `doudi dna search`.
void WriteCsv(const AlleleFrequencies& frequencies, const KinshipModel& model, const std::vector<int>& loci,
              uint32_t families, uint32_t queries, uint64_t seed, const std::string& dir);

}  // namespace doudi::dna::bench
