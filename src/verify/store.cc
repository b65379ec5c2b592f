#include "verify/store.h"

#include <algorithm>
#include <cstring>
#include <functional>

#include "db/select.h"
#include "db/sql_builder.h"

namespace doudi::verify::store {
namespace {

using db::Value;

Value NullIfEmpty(const std::string& s) { return s.empty() ? Value() : Value(s); }

// Person keys and account hashes are unsigned 64-bit; both databases store them as signed BIGINT.
int64_t AsSigned(uint64_t v) {
  int64_t s;
  std::memcpy(&s, &v, sizeof s);
  return s;
}
uint64_t AsUnsigned(int64_t v) {
  uint64_t u;
  std::memcpy(&u, &v, sizeof u);
  return u;
}

using db::AddPrefix;
using db::SqlBuilder;

void AddScope(SqlBuilder& b, const Scope& s) { platform::AddScope(b, s, "division_code", "created_by"); }

// Every record's creation stamp, read from four columns "version, created_at, created_by, created_by_name"
// starting at `at`.
template <typename Record>
void ReadCreated(const db::Row& r, size_t at, Record* x) {
  x->version = r.Int(at);
  x->created_at = r.Text(at + 1);
  x->created_by = r.Int(at + 2);
  x->created_by_name = r.Text(at + 3);
}

// --- feed batches ---
constexpr char kBatchColumns[] =
    "id, source, period, filename, format, encoding, content_hash, size_bytes, on_reject, forced, status, "
    "rows_total, rows_imported, rows_rejected, error, job_id, data_date, version, created_at, created_by, "
    "created_by_name, finished_at";

FeedBatch ToFeedBatch(const db::Row& r) {
  FeedBatch b;
  b.id = r.Int(0);
  b.source = r.Text(1);
  b.period = r.Text(2);
  b.filename = r.Text(3);
  b.format = r.Text(4);
  b.encoding = r.Text(5);
  b.content_hash = r.Text(6);
  b.size_bytes = r.Int(7);
  b.on_reject = r.Text(8) == "keep_good" ? OnReject::kKeepGood : OnReject::kAllOrNothing;
  b.forced = r.Int(9) != 0;
  b.status = r.Text(10);
  b.rows_total = r.Int(11);
  b.rows_imported = r.Int(12);
  b.rows_rejected = r.Int(13);
  b.error = r.Text(14);
  b.job_id = r[15].as_opt_int();
  b.data_date = r.Text(16);
  ReadCreated(r, 17, &b);
  b.finished_at = r.Text(21);
  return b;
}

constexpr char kAuthColumns[] =
    "id, household_id, person_id, signed_on, signer_name, signed_by_guardian, guardian_name, guardian_id_cipher, "
    "guardian_relation, form_file, notes, member_set, division_code, revoked, revoked_reason, version, created_at, "
    "created_by, created_by_name";

// guardian_id_number holds the ciphertext here; the service decrypts it.
Authorisation ToAuthorisation(const db::Row& r) {
  Authorisation a;
  a.id = r.Int(0);
  a.household_id = r.Int(1);
  a.person_id = r.Int(2);
  a.signed_on = r.Text(3);
  a.signer_name = r.Text(4);
  a.signed_by_guardian = r.Int(5) != 0;
  a.guardian_name = r.Text(6);
  a.guardian_id_number = r.Text(7);
  a.guardian_relation = r.Text(8);
  a.form_file = r.Text(9);
  a.notes = r.Text(10);
  a.member_set = r.Text(11);
  a.division_code = r.Text(12);
  a.revoked = r.Int(13) != 0;
  a.revoked_reason = r.Text(14);
  ReadCreated(r, 15, &a);
  return a;
}

constexpr char kRequestColumns[] =
    "id, household_id, batch_id, division_code, urban_rural, head_name, decision, flags, members_counted, "
    "income_month_fen, income_per_capita_fen, financial_assets_fen, standard_fen, policy_version, as_of, version, "
    "created_at, created_by, created_by_name";

std::vector<std::string> SplitFlags(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(';', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string JoinFlags(const std::vector<std::string>& flags) {
  std::string s = ";";
  for (const auto& f : flags) s += f + ";";
  return s;
}

Verification ToRequest(const db::Row& r) {
  Verification q;
  q.id = r.Int(0);
  q.household_id = r.Int(1);
  q.batch_id = r[2].as_opt_int();
  q.division_code = r.Text(3);
  q.urban_rural = r.Text(4);
  q.head_name = r.Text(5);
  q.decision = r.Text(6);
  q.flags = SplitFlags(r.Text(7));
  q.members_counted = static_cast<int>(r.Int(8));
  q.income_month_fen = r.Int(9);
  q.income_per_capita_fen = r.Int(10);
  q.financial_assets_fen = r.Int(11);
  q.standard_fen = r.Int(12);
  q.policy_version = r.Text(13);
  q.as_of = r.Text(14);
  ReadCreated(r, 15, &q);
  return q;
}

constexpr char kBatchRecheckColumns[] =
    "id, title, as_of, division, job_id, status, households_total, verified, skipped_unauthorised, failed, "
    "division_code, version, created_at, created_by, created_by_name, finished_at";

Recheck ToBatch(const db::Row& r) {
  Recheck b;
  b.id = r.Int(0);
  b.title = r.Text(1);
  b.as_of = r.Text(2);
  b.division = r.Text(3);
  b.job_id = r[4].as_opt_int();
  b.status = r.Text(5);
  b.households_total = r.Int(6);
  b.verified = r.Int(7);
  b.skipped_unauthorised = r.Int(8);
  b.failed = r.Int(9);
  b.division_code = r.Text(10);
  ReadCreated(r, 11, &b);
  b.finished_at = r.Text(15);
  return b;
}

// One page of `table`'s rows that `where` keeps (it appends " AND ..." clauses), newest first, with how many it
// keeps in all.
template <typename T>
Result<std::pair<std::vector<T>, int64_t>> NewestPage(db::Conn& c, const char* columns, const char* table,
                                                      const std::function<void(SqlBuilder&)>& where,
                                                      int64_t limit, int64_t offset, T (*from)(const db::Row&)) {
  SqlBuilder count(std::string("SELECT COUNT(*) FROM ") + table + " WHERE 1 = 1");
  where(count);
  DOUDI_ASSIGN_OR_RETURN(int64_t total, db::SelectCount(c, count.sql(), count.span()));
  SqlBuilder q(std::string("SELECT ") + columns + " FROM " + table + " WHERE 1 = 1");
  where(q);
  q += " ORDER BY id DESC LIMIT " + q.Param(limit) + " OFFSET " + q.Param(offset);
  DOUDI_ASSIGN_OR_RETURN(auto items, db::SelectAll(c, q.sql(), q.span(), from));
  return std::make_pair(std::move(items), total);
}

// Multi-row INSERTs of `n` rows, `per_statement` at a time: `values(b, i)` appends row i's "(...)" tuple.
Status InsertInChunks(db::Conn& c, const char* insert_into, size_t n, size_t per_statement,
                      const std::function<void(SqlBuilder&, size_t)>& values) {
  for (size_t i = 0; i < n; i += per_statement) {
    SqlBuilder b(insert_into);
    b += " VALUES ";
    for (size_t k = i; k < std::min(n, i + per_statement); ++k) {
      if (k > i) b += ", ";
      values(b, k);
    }
    DOUDI_RETURN_IF_ERROR(c.Exec(b.sql(), b.span()).status());
  }
  return Status::Ok();
}

}  // namespace

// --- feed batches ---
Result<int64_t> InsertFeedBatch(db::Conn& c, const FeedBatch& b) {
  DOUDI_ASSIGN_OR_RETURN(
      auto rows,
      c.Query("INSERT INTO verify_feed_batches (source, period, filename, format, content_hash, active_hash, "
              "size_bytes, on_reject, forced, status, created_at, created_by, created_by_name, updated_at, updated_by) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'importing', $10, $11, $12, $10, $11) RETURNING id",
              {b.source, b.period, b.filename, b.format, b.content_hash,
               b.forced ? Value() : Value(b.content_hash), b.size_bytes,
               b.on_reject == OnReject::kKeepGood ? "keep_good" : "all_or_nothing", b.forced ? 1 : 0, b.created_at,
               b.created_by, b.created_by_name}));
  return rows[0].Int(0);
}

Result<std::optional<int64_t>> ActiveBatchWithHash(db::Conn& c, const std::string& content_hash) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id FROM verify_feed_batches WHERE content_hash = $1 AND status "
                                            "IN ('importing', 'imported') ORDER BY id LIMIT 1",
                                            {content_hash}));
  if (rows.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rows[0].Int(0));
}

Result<std::optional<FeedBatch>> GetFeedBatch(db::Conn& c, int64_t id) {
  return db::SelectOne(c, std::string("SELECT ") + kBatchColumns + " FROM verify_feed_batches WHERE id = $1", {id},
                       ToFeedBatch);
}

Result<std::pair<std::vector<FeedBatch>, int64_t>> ListFeedBatches(db::Conn& c, const FeedBatchFilter& f) {
  auto where = [&](SqlBuilder& b) {
    if (!f.source.empty()) b += " AND source = " + b.Param(f.source);
    if (!f.period.empty()) b += " AND period = " + b.Param(f.period);
    if (!f.status.empty()) b += " AND status = " + b.Param(f.status);
  };
  return NewestPage(c, kBatchColumns, "verify_feed_batches", where, f.limit, f.offset, ToFeedBatch);
}

Status SetFeedBatchJob(db::Conn& c, int64_t id, int64_t job_id) {
  return c.Exec("UPDATE verify_feed_batches SET job_id = $1 WHERE id = $2", {job_id, id}).status();
}

Status FinishFeedBatch(db::Conn& c, const FeedBatch& b, const std::string& at, int64_t by) {
  return c
      .Exec("UPDATE verify_feed_batches SET status = $1, rows_total = $2, rows_imported = $3, rows_rejected = $4, "
            "encoding = $5, data_date = $6, error = $7, finished_at = $8, updated_at = $8, updated_by = $9, "
            "version = version + 1, active_hash = CASE WHEN $1 = 'imported' THEN active_hash ELSE NULL END "
            "WHERE id = $10",
            {b.status, b.rows_total, b.rows_imported, b.rows_rejected, NullIfEmpty(b.encoding),
             NullIfEmpty(b.data_date), NullIfEmpty(b.error), at, by, b.id})
      .status();
}

Status FailStaleImports(db::Conn& c, const std::string& before, const std::string& at) {
  return c
      .Exec("UPDATE verify_feed_batches SET status = 'failed', active_hash = NULL, error = $1, finished_at = $2, "
            "updated_at = $2, version = version + 1 WHERE status = 'importing' AND created_at < $3",
            {"导入中断（服务重启或超时），请重新上传", at, before})
      .status();
}

Status InsertRejects(db::Conn& c, int64_t batch_id, int64_t first_seq, const std::vector<FeedReject>& rejects) {
  return InsertInChunks(c, "INSERT INTO verify_feed_rejects (batch_id, seq, row_no, column_name, code, reason)",
                        rejects.size(), 200, [&](SqlBuilder& b, size_t i) {
                          const FeedReject& r = rejects[i];
                          b += "(" + b.Param(batch_id) + ", " + b.Param(first_seq + static_cast<int64_t>(i)) + ", " +
                               b.Param(r.row) + ", " + b.Param(r.column) + ", " + b.Param(r.code) + ", " +
                               b.Param(r.reason) + ")";
                        });
}

Result<std::pair<std::vector<FeedReject>, int64_t>> ListRejects(db::Conn& c, int64_t batch_id, int64_t limit,
                                                                int64_t offset) {
  DOUDI_ASSIGN_OR_RETURN(int64_t total,
                         db::SelectCount(c, "SELECT COUNT(*) FROM verify_feed_rejects WHERE batch_id = $1", {batch_id}));
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT row_no, column_name, code, reason FROM verify_feed_rejects "
                                            "WHERE batch_id = $1 ORDER BY seq LIMIT $2 OFFSET $3",
                                            {batch_id, limit, offset}));
  std::vector<FeedReject> out;
  for (const auto& r : rows) out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3)});
  return std::make_pair(std::move(out), total);
}

Status InsertFeedRows(db::Conn& c, const std::vector<FeedRow>& rows) {
  auto date = [](int32_t d) { return d == INT32_MIN ? Value() : Value(static_cast<int64_t>(d)); };
  // 100 rows of 15 parameters a statement: well under both engines' limits.
  return InsertInChunks(
      c,
      "INSERT INTO verify_feed_rows (batch_id, feed, person_key, id_cipher, row_no, code0, code1, date0, date1, "
      "month, money0, money1, area, text0, text1)",
      rows.size(), 100, [&](SqlBuilder& b, size_t i) {
        const FeedRow& r = rows[i];
        b += "(" + b.Param(r.batch_id) + ", " + b.Param(r.feed) + ", " + b.Param(AsSigned(r.person_key)) + ", " +
             b.Param(r.id_cipher) + ", " + b.Param(r.row_no) + ", " + b.Param(r.code[0]) + ", " + b.Param(r.code[1]) +
             ", " + b.Param(date(r.date[0])) + ", " + b.Param(date(r.date[1])) + ", " + b.Param(r.month) + ", " +
             b.Param(r.money[0]) + ", " + b.Param(r.money[1]) + ", " + b.Param(r.area) + ", " + b.Param(r.text[0]) +
             ", " + b.Param(r.text[1]) + ")";
      });
}

Status DeleteFeedRows(db::Conn& c, int64_t batch_id) {
  return c.Exec("DELETE FROM verify_feed_rows WHERE batch_id = $1", {batch_id}).status();
}

Result<std::vector<FeedRow>> FeedRowsOfPersons(db::Conn& c, const std::vector<uint64_t>& keys) {
  std::vector<FeedRow> out;
  constexpr size_t kChunk = 64;
  for (size_t i = 0; i < keys.size(); i += kChunk) {
    size_t n = std::min(kChunk, keys.size() - i);
    SqlBuilder b(
        "SELECT r.id, r.batch_id, r.feed, r.person_key, r.id_cipher, r.row_no, r.code0, r.code1, r.date0, r.date1, "
        "r.month, r.money0, r.money1, r.area, r.text0, r.text1 FROM verify_feed_rows r JOIN verify_feed_batches fb "
        "ON fb.id = r.batch_id WHERE fb.status = 'imported' AND r.person_key IN (");
    for (size_t k = 0; k < n; ++k) {
      if (k) b += ", ";
      b += b.Param(AsSigned(keys[i + k]));
    }
    b += ")";
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(b.sql(), b.span()));
    for (const auto& r : rows) {
      FeedRow f;
      f.id = r.Int(0);
      f.batch_id = r.Int(1);
      f.feed = static_cast<int>(r.Int(2));
      f.person_key = AsUnsigned(r.Int(3));
      f.id_cipher = r.Text(4);
      f.row_no = r.Int(5);
      f.code[0] = static_cast<int>(r.Int(6));
      f.code[1] = static_cast<int>(r.Int(7));
      if (!r.IsNull(8)) f.date[0] = static_cast<int32_t>(r.Int(8));
      if (!r.IsNull(9)) f.date[1] = static_cast<int32_t>(r.Int(9));
      f.month = static_cast<int32_t>(r.Int(10));
      f.money[0] = r.Int(11);
      f.money[1] = r.Int(12);
      f.area = static_cast<int32_t>(r.Int(13));
      f.text[0] = r.Text(14);
      f.text[1] = r.Text(15);
      out.push_back(std::move(f));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const FeedRow& a, const FeedRow& b) { return a.feed != b.feed ? a.feed < b.feed : a.id < b.id; });
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> ImportedFeedDates(db::Conn& c) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT source, MAX(COALESCE(data_date, '')) FROM verify_feed_batches "
                                            "WHERE status = 'imported' GROUP BY source ORDER BY source"));
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : rows) out.emplace_back(r.Text(0), r.Text(1));
  return out;
}

// --- authorisations ---
Result<int64_t> InsertAuthorisation(db::Conn& c, const Authorisation& a) {
  DOUDI_ASSIGN_OR_RETURN(
      auto rows,
      c.Query("INSERT INTO verify_authorisations (household_id, person_id, signed_on, signer_name, "
              "signed_by_guardian, guardian_name, guardian_id_cipher, guardian_relation, form_file, notes, member_set, "
              "division_code, created_at, created_by, created_by_name, updated_at, updated_by) VALUES ($1, $2, $3, $4, "
              "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $13, $14) RETURNING id",
              {a.household_id, a.person_id, a.signed_on, a.signer_name, a.signed_by_guardian ? 1 : 0, a.guardian_name,
               NullIfEmpty(a.guardian_id_number), a.guardian_relation, a.form_file, a.notes, a.member_set,
               a.division_code, a.created_at, a.created_by, a.created_by_name}));
  return rows[0].Int(0);
}

Result<std::optional<Authorisation>> GetAuthorisation(db::Conn& c, int64_t id) {
  return db::SelectOne(c, std::string("SELECT ") + kAuthColumns + " FROM verify_authorisations WHERE id = $1", {id},
                       ToAuthorisation);
}

Result<std::vector<Authorisation>> LatestAuthorisations(db::Conn& c, int64_t household_id) {
  return db::SelectAll(c,
                       std::string("SELECT ") + kAuthColumns +
                           " FROM verify_authorisations a WHERE household_id = $1 AND id = "
                           "(SELECT MAX(id) FROM verify_authorisations b WHERE b.household_id = "
                           "a.household_id AND b.person_id = a.person_id) ORDER BY person_id",
                       {household_id}, ToAuthorisation);
}

Result<bool> RevokeAuthorisation(db::Conn& c, int64_t id, int64_t version, const std::string& reason,
                                 const std::string& at, int64_t by) {
  DOUDI_ASSIGN_OR_RETURN(int64_t n, c.Exec("UPDATE verify_authorisations SET revoked = 1, revoked_reason = $1, "
                                           "updated_at = $2, updated_by = $3, version = version + 1 "
                                           "WHERE id = $4 AND version = $5",
                                           {reason, at, by, id, version}));
  return n > 0;
}

// --- requests ---
Result<int64_t> InsertRequest(db::Conn& c, const Verification& r) {
  DOUDI_ASSIGN_OR_RETURN(
      auto rows,
      c.Query("INSERT INTO verify_requests (household_id, batch_id, division_code, urban_rural, head_name, decision, "
              "flags, members_counted, income_month_fen, income_per_capita_fen, financial_assets_fen, standard_fen, "
              "policy_version, as_of, result, created_at, created_by, created_by_name, updated_at, updated_by) VALUES "
              "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $16, $17) "
              "RETURNING id",
              {r.household_id, r.batch_id, r.division_code, r.urban_rural, r.head_name, r.decision, JoinFlags(r.flags),
               r.members_counted, r.income_month_fen, r.income_per_capita_fen, r.financial_assets_fen, r.standard_fen,
               r.policy_version, r.as_of, r.result, r.created_at, r.created_by, r.created_by_name}));
  return rows[0].Int(0);
}

Result<std::optional<Verification>> GetRequest(db::Conn& c, int64_t id) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kRequestColumns +
                                                ", result FROM verify_requests WHERE id = $1",
                                            {id}));
  if (rows.empty()) return std::optional<Verification>();
  Verification r = ToRequest(rows[0]);
  r.result = rows[0].Text(19);
  return std::optional<Verification>(std::move(r));
}

Result<std::pair<std::vector<Verification>, int64_t>> ListRequests(db::Conn& c, const RequestFilter& f) {
  auto where = [&](SqlBuilder& b) {
    AddScope(b, f.scope);
    if (f.household_id) b += " AND household_id = " + b.Param(*f.household_id);
    if (f.batch_id) b += " AND batch_id = " + b.Param(*f.batch_id);
    if (!f.decision.empty()) b += " AND decision = " + b.Param(f.decision);
    if (!f.flag.empty()) b += " AND flags LIKE " + b.Param("%;" + f.flag + ";%");
    if (!f.division_prefix.empty()) AddPrefix(b, "division_code", f.division_prefix);
  };
  return NewestPage(c, kRequestColumns, "verify_requests", where, f.limit, f.offset, ToRequest);
}

// --- batch rechecks ---
Result<int64_t> InsertBatch(db::Conn& c, const Recheck& b) {
  DOUDI_ASSIGN_OR_RETURN(
      auto rows,
      c.Query("INSERT INTO verify_batches (title, as_of, division, status, households_total, division_code, "
              "created_at, created_by, created_by_name, updated_at, updated_by) VALUES ($1, $2, $3, 'queued', $4, $5, "
              "$6, $7, $8, $6, $7) RETURNING id",
              {b.title, b.as_of, b.division, b.households_total, b.division_code, b.created_at, b.created_by,
               b.created_by_name}));
  return rows[0].Int(0);
}

Result<std::optional<Recheck>> GetBatch(db::Conn& c, int64_t id) {
  return db::SelectOne(c, std::string("SELECT ") + kBatchRecheckColumns + " FROM verify_batches WHERE id = $1", {id},
                       ToBatch);
}

Result<std::pair<std::vector<Recheck>, int64_t>> ListBatches(db::Conn& c, const Scope& scope, int64_t limit,
                                                           int64_t offset) {
  return NewestPage(c, kBatchRecheckColumns, "verify_batches", [&](SqlBuilder& b) { AddScope(b, scope); }, limit,
                    offset, ToBatch);
}

Status SetBatchJob(db::Conn& c, int64_t id, int64_t job_id) {
  return c.Exec("UPDATE verify_batches SET job_id = $1 WHERE id = $2", {job_id, id}).status();
}

Status UpdateBatchCounts(db::Conn& c, const Recheck& b, const std::string& at, bool finished) {
  return c
      .Exec("UPDATE verify_batches SET status = $1, households_total = $2, verified = $3, skipped_unauthorised = $4, "
            "failed = $5, updated_at = $6, finished_at = $7, version = version + 1 WHERE id = $8",
            {b.status, b.households_total, b.verified, b.skipped_unauthorised, b.failed, at,
             finished ? Value(at) : Value(), b.id})
      .status();
}

Status CountBatchResults(db::Conn& c, int64_t batch_id, const Scope& scope, Recheck* b) {
  SqlBuilder q("SELECT decision, flags FROM verify_requests WHERE batch_id = ");
  q += q.Param(batch_id);
  AddScope(q, scope);
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(q.sql(), q.span()));
  std::vector<std::pair<std::string, int64_t>> decisions = {{"eligible", 0}, {"ineligible", 0}, {"review", 0}};
  std::vector<std::pair<std::string, int64_t>> flags;
  for (const auto& r : rows) {
    std::string d = r.Text(0);
    for (auto& [k, n] : decisions) {
      if (k == d) ++n;
    }
    for (const auto& f : SplitFlags(r.Text(1))) {
      auto it = std::find_if(flags.begin(), flags.end(), [&](const auto& p) { return p.first == f; });
      if (it == flags.end()) {
        flags.emplace_back(f, 1);
      } else {
        ++it->second;
      }
    }
  }
  b->by_decision = std::move(decisions);
  b->by_flag = std::move(flags);
  return Status::Ok();
}

}  // namespace doudi::verify::store
