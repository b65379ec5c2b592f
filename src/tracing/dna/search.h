// Family search: one query profile against every family of the reference database, best first.
//
// For each query the searcher prepares, per database segment (hypothesis) and per locus the query has typed,
// the locus LR of every possible reference genotype in the pair form of lr.h (two per-allele vectors). The scan
// then streams the segment's genotype columns in blocks of 512 rows and multiplies the loci's LRs into a product
// per row: on CPUs with AVX-512, 16 rows at a time with in-register table lookups (vector_scan.h); otherwise, or
// when a query's numbers do not fit single precision, with scalar lookups in tables indexed by the packed
// genotype. Products are linear (loci grouped so that they cannot overflow or underflow) and only rows that can
// enter the top k take a logarithm. The k winners are then explained locus by locus with the direct formulas of
// lr.h (Compare), which also count the compared and inconsistent loci and give the reported values. Rows are
// split over threads for one query; many queries are spread over threads one query each.
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
