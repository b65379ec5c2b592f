// The verification module's records (核对, DOMAIN.md §2): a feed batch (one uploaded agency file) with its
// rejected rows, a member's authorisation (授权书), a verification request with its result, and a batch recheck.
//
// Codes (decision, flags, outcomes) are the engine's (verify/engine/rules.h). Money is integer fen, dates
// YYYY-MM-DD, months YYYY-MM, times ISO-8601 UTC. A guardian's ID number is plain only inside the service.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace doudi::verify {

// How a feed file with bad rows lands: not at all, or its good rows (the bad ones kept as rejects).
enum class OnReject { kAllOrNothing, kKeepGood };

struct FeedBatch {
  int64_t id = 0;
  std::string source;  // feed code, e.g. "hukou"
  std::string period;  // YYYY-MM
  std::string filename;
  std::string format;    // "csv" | "xlsx"
  std::string encoding;  // as detected, "" until parsed
  std::string content_hash;  // SHA-256 hex of the bytes
  int64_t size_bytes = 0;
  OnReject on_reject = OnReject::kAllOrNothing;
  bool forced = false;
  std::string status;  // importing | imported | rejected | failed
  int64_t rows_total = 0, rows_imported = 0, rows_rejected = 0;
  std::string error;  // Chinese, when failed
  std::optional<int64_t> job_id;
  std::string data_date;  // the newest date the rows reflect (YYYY-MM-DD), "" if none
  int64_t version = 0;
  std::string created_at;
  int64_t created_by = 0;
  std::string created_by_name;
  std::string finished_at;
};

struct FeedReject {
  int64_t row = 0;     // file row, 1-based, header = 1
  std::string column;  // "" for a whole-row problem
  std::string code;
  std::string reason;  // Chinese
};

// What a caller enters for an authorisation.
struct NewAuthorisation {
  int64_t person_id = 0;
  std::string signed_on;  // YYYY-MM-DD
  std::string signer_name;
  bool signed_by_guardian = false;
  std::string guardian_name;
  std::string guardian_id_number;  // plain on the way in; masked on the way out
  std::string guardian_relation;
  std::string form_file;  // stored file key of the scanned form
  std::string notes;
};

struct Authorisation : NewAuthorisation {
  int64_t id = 0;
  int64_t household_id = 0;
  std::string member_set;  // the household's sorted member ids when signed: "3,7,9"
  std::string division_code;
  bool revoked = false;
  std::string revoked_reason;
  std::string status;  // valid | lapsed | revoked (computed against the current members)
  int64_t version = 0;
  std::string created_at;
  int64_t created_by = 0;
  std::string created_by_name;
};

// A current member of a household with the state of their authorisation.
struct MemberAuthorisation {
  int64_t person_id = 0;
  std::string name;
  std::string relation;
  std::string id_number;  // masked
  bool minor = false;
  std::string status;  // valid | lapsed | revoked | missing
  std::optional<Authorisation> authorisation;
};

struct HouseholdAuthorisations {
  int64_t household_id = 0;
  bool all_valid = false;
  std::vector<MemberAuthorisation> members;
};

// A verification: its summary columns; `result` is the full explanation (JSON text).
struct Verification {
  int64_t id = 0;
  int64_t household_id = 0;
  std::optional<int64_t> batch_id;
  std::string division_code;
  std::string urban_rural;
  std::string head_name;
  std::string decision;            // eligible | ineligible | review
  std::vector<std::string> flags;  // codes, in the engine's order
  int members_counted = 0;
  int64_t income_month_fen = 0, income_per_capita_fen = 0, financial_assets_fen = 0, standard_fen = 0;
  std::string policy_version;
  std::string as_of;
  std::string result;  // JSON text; "" in lists
  int64_t version = 0;
  std::string created_at;
  int64_t created_by = 0;
  std::string created_by_name;
};

struct Recheck {
  int64_t id = 0;
  std::string title;
  std::string as_of;
  std::string division;  // the prefix chosen, or ""
  std::optional<int64_t> job_id;
  std::string status;  // the job's: queued | running | succeeded | failed | cancelled
  int64_t households_total = 0, verified = 0, skipped_unauthorised = 0, failed = 0;
  std::vector<std::pair<std::string, int64_t>> by_decision, by_flag;
  std::string division_code;  // the creator's
  int64_t version = 0;
  std::string created_at;
  int64_t created_by = 0;
  std::string created_by_name;
  std::string finished_at;
};

}  // namespace doudi::verify
