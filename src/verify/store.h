// The verification module's SQL: feed batches, rejects and typed feed rows, authorisations, requests and batch
// rechecks over a db::Conn. No rules, no crypto, no scope decisions: the service passes ciphertexts, person keys
// and scope filters in. The same SQL runs on SQLite and PostgreSQL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "db/db.h"
#include "platform/data_scope.h"
#include "verify/model.h"

namespace doudi::verify::store {

// Which rows a caller may see: the platform's one data-scope rule (platform/data_scope.h, Principal::InScope).
using Scope = platform::DataScope;

// One stored feed row (see the verify_feed_rows comment in migrations/001_verify.sql).
struct FeedRow {
  int64_t id = 0;
  int64_t batch_id = 0;
  int feed = 0;
  uint64_t person_key = 0;
  std::string id_cipher;
  int64_t row_no = 0;
  int code[2] = {0, 0};
  int32_t date[2];  // kNoDate (INT32_MIN) when absent
  int32_t month = 0;
  int64_t money[2] = {0, 0};
  int32_t area = 0;
  std::string text[2];
  FeedRow() : date{INT32_MIN, INT32_MIN} {}
};

// --- feed batches ---
Result<int64_t> InsertFeedBatch(db::Conn& c, const FeedBatch& b);
// An importing or imported batch with this content hash (forced ones included), if any.
Result<std::optional<int64_t>> ActiveBatchWithHash(db::Conn& c, const std::string& content_hash);
Result<std::optional<FeedBatch>> GetFeedBatch(db::Conn& c, int64_t id);
struct FeedBatchFilter {
  std::string source, period, status;
  int64_t limit = 20, offset = 0;
};
Result<std::pair<std::vector<FeedBatch>, int64_t>> ListFeedBatches(db::Conn& c, const FeedBatchFilter& f);
Status SetFeedBatchJob(db::Conn& c, int64_t id, int64_t job_id);
// Ends an importing batch: status, counts, encoding, data_date, error; clears active_hash unless imported.
Status FinishFeedBatch(db::Conn& c, const FeedBatch& b, const std::string& at, int64_t by);
// Marks batches still importing that were created before `before` as failed (an interrupted import), freeing
// their content hash.
Status FailStaleImports(db::Conn& c, const std::string& before, const std::string& at);
Status InsertRejects(db::Conn& c, int64_t batch_id, int64_t first_seq, const std::vector<FeedReject>& rejects);
Result<std::pair<std::vector<FeedReject>, int64_t>> ListRejects(db::Conn& c, int64_t batch_id, int64_t limit,
                                                                int64_t offset);
Status InsertFeedRows(db::Conn& c, const std::vector<FeedRow>& rows);
// The rows a failed import left behind (never read: their batch is not imported).
Status DeleteFeedRows(db::Conn& c, int64_t batch_id);
// The rows of imported batches for these person keys, ordered by feed and id.
Result<std::vector<FeedRow>> FeedRowsOfPersons(db::Conn& c, const std::vector<uint64_t>& keys);
// Per feed code: the newest data_date of its imported batches ("" if none dated) — feeds absent are missing.
Result<std::vector<std::pair<std::string, std::string>>> ImportedFeedDates(db::Conn& c);

// --- authorisations ---
Result<int64_t> InsertAuthorisation(db::Conn& c, const Authorisation& a);
Result<std::optional<Authorisation>> GetAuthorisation(db::Conn& c, int64_t id);
// The newest authorisation of each person recorded in this household.
Result<std::vector<Authorisation>> LatestAuthorisations(db::Conn& c, int64_t household_id);
// false if (id, version) matched nothing.
Result<bool> RevokeAuthorisation(db::Conn& c, int64_t id, int64_t version, const std::string& reason,
                                 const std::string& at, int64_t by);

// --- requests ---
Result<int64_t> InsertRequest(db::Conn& c, const Verification& r);
Result<std::optional<Verification>> GetRequest(db::Conn& c, int64_t id);  // with result
struct RequestFilter {
  Scope scope;
  std::optional<int64_t> household_id, batch_id;
  std::string decision, flag, division_prefix;
  int64_t limit = 20, offset = 0;
};
Result<std::pair<std::vector<Verification>, int64_t>> ListRequests(db::Conn& c, const RequestFilter& f);  // no result

// --- batch rechecks ---
Result<int64_t> InsertBatch(db::Conn& c, const Recheck& b);
Result<std::optional<Recheck>> GetBatch(db::Conn& c, int64_t id);
Result<std::pair<std::vector<Recheck>, int64_t>> ListBatches(db::Conn& c, const Scope& scope, int64_t limit,
                                                           int64_t offset);
Status SetBatchJob(db::Conn& c, int64_t id, int64_t job_id);
Status UpdateBatchCounts(db::Conn& c, const Recheck& b, const std::string& at, bool finished);
// decision -> count and flag -> count over the batch's requests in scope.
Status CountBatchResults(db::Conn& c, int64_t batch_id, const Scope& scope, Recheck* b);

}  // namespace doudi::verify::store
