// `doudi verify batch`: the batch verification from files, for batch use and for tests.
//
//   doudi verify batch --households H.csv --feeds DIR [--policy P.toml] --as-of YYYY-MM-DD --out OUT.csv
//                      [--jobs N] [--rejects R.csv] [--all-or-nothing]
//
// H.csv: household_id,county_code,urban_rural,id_number,name,relation,counted (one row per member; counted 1|0).
// The households file is taken as the requesting unit's vouched list of authorised households (as the national
// request template does); the summary says so. DIR holds the feed files (hukou.csv ... civil.csv, or .xlsx); any
// may be missing (the results then carry stale_feed). OUT.csv: household_id,decision,members_counted,
// income_month_fen,income_per_capita_fen,financial_assets_fen,standard_fen,flags,policy_version.
// A progress bar is drawn on stderr only when it is a terminal; the summary of decisions and flags goes to stderr.
// A member row that is rejected (bad ID number ...) stays in its household as a person no feed matches, so the
// household comes out "review" with unmatched_member; a household for which the policy has no entry (county,
// urban/rural, date) is written as review with the flag no_policy and is not verified.
#pragma once

#include <string>

namespace doudi::verify {

struct VerifyBatchOptions {
  std::string households_path;
  std::string feeds_dir;
  std::string policy_path;   // empty: the shipped example policy
  std::string as_of;         // YYYY-MM-DD
  std::string out_path;
  std::string rejects_path;  // optional CSV: file,row,column,code,reason
  bool all_or_nothing = false;  // a feed file with any rejected row is not loaded at all
  int jobs = 0;                 // 0: all hardware threads
  bool progress = true;
  std::string timings_path;     // optional JSON of the phases' seconds (for bench/verify)
};

// 0: done; 2: done, but rows were rejected or households could not be verified (no policy entry, bad member
// rows); 1: could not run (unreadable files, bad options).
int RunVerifyBatch(const VerifyBatchOptions& options);

}  // namespace doudi::verify
