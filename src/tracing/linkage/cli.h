// `doudi linkage match` and `doudi linkage dedupe`: attribute matching on CSV files, for the command line.
//
//   doudi linkage match --missing M.csv --found U.csv [--threshold W] [--top K] --out OUT.jsonl
//   doudi linkage dedupe --missing M.csv | --found U.csv [--threshold W] [--top K] --out OUT.jsonl
//
// Columns: record.h and docs/tracing-linkage.md. Writes one JSON object per candidate pair, grouped by the
// unidentified person (match) or by the later record (dedupe), best first:
//   {"found":…,"missing":…,"match_weight":…,"match_probability":…,"rule":"sex_birth_year|pinyin_surname|county",
//    "fields":[{"field":"name","level":"same_pinyin","weight":…,"tf":…,"explanation":"姓名：拼音相同（不计声调）+5.2"},…]}
// (dedupe writes "record" and "duplicate_of" instead of "found" and "missing"). m and u are estimated by EM on
// the data unless --no-estimate; the parameters used are written to --params when given. Rejected rows are
// listed on stderr (and in --rejects) with their line and field; the good rows are matched all the same.
#pragma once

#include <string>

namespace doudi::linkage {

struct LinkageCliOptions {
  std::string missing_path;
  std::string found_path;
  std::string out_path;
  std::string rejects_path;
  std::string params_path;  // JSON of λ, m and u used
  double threshold = 10;
  int top = 20;
  int threads = 0;
  bool estimate = true;
  bool progress = true;
};

// Returns 0 on success, 2 when it ran but some rows were rejected, 1 when it could not run.
int RunLinkageMatch(const LinkageCliOptions& options);
int RunLinkageDedupe(const LinkageCliOptions& options);

}  // namespace doudi::linkage
