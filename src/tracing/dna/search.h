// Family search: one query profile against every family of the reference database, best first.
//
// For each query the searcher precomputes, per hypothesis in the database and per locus the query has typed,
// a table of the locus LR for every reference genotype (single-reference hypotheses: indexed by the packed
// genotype; parents: per-allele transmission terms whose two sums and one cross product give the LR). The scan
// then streams the database's columns in blocks of rows, multiplying table entries into a per-row product,
// and keeps the top k rows; products are taken in linear space (loci grouped so they can neither overflow nor
// underflow) and a logarithm is only taken for rows that can enter the top k. The k winners are then explained
// locus by locus with the direct formulas of lr.h (Compare), which also count the compared and inconsistent
// loci. Rows are split over threads for one query; many queries are spread over threads one query each.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "tracing/dna/database.h"
#include "tracing/dna/lr.h"

namespace doudi::dna {

struct SearchOptions {
  int top_k = 10;
  double prior = 0;  // the prior of each candidate relationship; ≤ 0 means 1 / number of families
  Thresholds thresholds;
  int threads = 0;  // 0: the machine's hardware threads
  // Use the AVX-512 scan when the CPU has it and the query's numbers fit it (else the portable scalar scan).
  // The two rank identically up to float rounding (~1e−6 relative); reported values never depend on it.
  bool vector = true;
};

struct Candidate {
  uint32_t family = 0;
  Hypothesis hypothesis = Hypothesis::kParent;
  double log10_lr = 0;
  double posterior = 0;
  Conclusion conclusion = Conclusion::kInconclusive;
  int loci_compared = 0;
  int inconsistent_loci = 0;
  std::vector<LocusLr> per_locus;
};

// A scan result before explanation.
struct Hit {
  double log10_lr;
  uint32_t family;
};

class Searcher {
 public:
  // db and model must outlive the searcher; the model must cover every allele in db and the queries.
  Searcher(const ReferenceDatabase& db, const KinshipModel& model, SearchOptions options = {});

  // Query genotypes are indexed by the frequency table's locus index (Profile::genotypes).
  std::vector<Candidate> Search(std::span<const Genotype> query) const;
  // Every query against the whole database ("all against all"); progress(done, total) is called after each
  // query, from the worker threads but never concurrently.
  std::vector<std::vector<Candidate>> SearchAll(std::span<const std::vector<Genotype>> queries,
                                                const std::function<void(size_t, size_t)>& progress = {}) const;
  // The scan alone, on `threads` threads: the top k families by combined log10 LR, best first (ties: lower
  // family number first).
  std::vector<Hit> Scan(std::span<const Genotype> query, int threads) const;

  int threads() const { return threads_; }
  double prior() const;

 private:
  std::vector<Candidate> Explain(std::span<const Genotype> query, const std::vector<Hit>& hits) const;

  const ReferenceDatabase* db_;
  const KinshipModel* model_;
  SearchOptions options_;
  int threads_;
};

}  // namespace doudi::dna
