// `doudi dna search`: family search on CSV files, for the command line (the integrator wires the subcommand).
//
//   doudi dna search --refs REFS.csv --queries Q.csv [--freq F.csv] [--top 10]
//                    [--mutation none|equal|proportional|stepwise --rate R] --out OUT.jsonl
//
// Writes one JSON object per (query, family) candidate, best first within each query:
//   {"query":…,"family_id":…,"hypothesis":"parents|father|mother|parent|child|sibling|self","log10_lr":…,
//    "posterior":…,"conclusion":"supported|excluded|inconclusive","loci_compared":…,"inconsistent_loci":…,
//    "per_locus":[{"locus":…,"lr":…}]}
// log10_lr is null when the LR is 0 (an inconsistency that no mutation model explains). Rejected rows and
// columns are listed on stderr (and in --rejects when given) with their line and field; the good rows are
// searched all the same. Messages are in Chinese. A progress bar is drawn on stderr when it is a terminal.
#pragma once

#include <string>

namespace doudi::dna {

struct DnaSearchOptions {
  std::string refs_path;     // reference profiles (family members)
  std::string queries_path;  // query profiles (unidentified persons)
  std::string freq_path;     // allele frequencies; empty: the embedded Chinese population table
  std::string out_path;      // JSON lines
  std::string rejects_path;  // optional CSV of rejected rows: file,line,field,code,message
  int top = 10;
  std::string mutation = "none";
  double rate = 0.002;
  double stepwise_range = 0.1;
  double prior = 0;           // ≤ 0: 1 / number of families in the database
  int sample_size = 5000;     // N of the minimum allele frequency 5/(2N)
  double min_frequency = 0;   // > 0 overrides 5/(2N)
  double support_lr = 10000;  // combined LR at or above which the relationship is supported
  int exclude_loci = 3;       // inconsistent loci at or above which it is excluded
  int threads = 0;            // 0: all hardware threads
  bool progress = true;       // draw a progress bar when stderr is a terminal
};

// Returns 0 on success, 2 when the search ran but some rows or columns were rejected, 1 when it could not run
// (unreadable or malformed files, bad options).
int RunDnaSearch(const DnaSearchOptions& options);

}  // namespace doudi::dna
