// The audit log's implementation: group commit by the waiting callers themselves, and the hash chain.
//
// Group commit (as LevelDB's DBImpl::Write): a caller queues its event; if no one is writing, it becomes the
// leader, writes every queued event in one transaction, marks them done and hands leadership to the first
// event still queued. The others sleep on their own condition variable until their row is committed. No
// background thread is involved: under load a separate writer thread competes for the CPU with every request
// thread and, whenever it is not scheduled, every waiting request stalls with it.
//
// Chain: row.hash = hex SHA-256 of the canonical form below; row.prev_hash = the previous row's hash (by id),
// or 64 zeros for the first row. The canonical form is each of prev_hash, at, user_id (decimal), username,
// role, ip, action, object_type, object_id, outcome, detail, request_id written as "<byte length>:<bytes>,"
// (a netstring), so no choice of field contents can make two different rows hash alike.
//
// Linear order: every append — a leader's batch or a caller's AppendIn — reads the last hash and
// inserts inside a write transaction. SQLite has one writer connection, so these transactions are serial and
// ids follow chain order. PostgreSQL allows concurrent writers, so each append first takes a transaction-level
// advisory lock (held until commit); the next appender waits for it and then sees the committed row.
#include "platform/audit.h"

#include <condition_variable>
#include <deque>
#include <mutex>

#include "platform/bytes.h"
#include "platform/clock.h"

namespace doudi::platform {
namespace {

constexpr char kGenesis[] = "0000000000000000000000000000000000000000000000000000000000000000";
constexpr int64_t kChainLockKey = 0x646f75646941;  // "doudiA": the PostgreSQL advisory lock of the chain
constexpr size_t kMaxBatch = 1000;
constexpr int kMaxPageSize = 200;
constexpr char kColumns[] =
    "id, at, user_id, username, role, ip, action, object_type, object_id, outcome, detail, request_id, "
    "prev_hash, hash";

void AppendField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ',';
}

std::string RowHash(std::string_view prev_hash, std::string_view at, const AuditEvent& e) {
  std::string c;
  c.reserve(256 + e.detail.size());
  AppendField(c, prev_hash);
  AppendField(c, at);
  AppendField(c, std::to_string(e.user_id));
  for (const std::string* f : {&e.username, &e.role, &e.ip, &e.action, &e.object_type, &e.object_id, &e.outcome,
                               &e.detail, &e.request_id}) {
    AppendField(c, *f);
  }
  return Sha256Hex(c);
}

Status ValidateEvent(const AuditEvent& e) {
  if (e.action.empty()) return Status::Invalid("audit.event", "审计事件缺少操作（action）");
  if (e.outcome != "success" && e.outcome != "failure" && e.outcome != "denied") {
    return Status::Invalid("audit.event", "审计事件的结果只能是 success、failure 或 denied：" + e.outcome);
  }
  return Status::Ok();
}

// Takes the chain lock (PostgreSQL) and returns the hash of the last row, inside the caller's transaction.
Result<std::string> LastHash(db::Conn& c) {
  if (c.dialect() == db::Dialect::kPostgres) {
    DOUDI_RETURN_IF_ERROR(c.Query("SELECT pg_advisory_xact_lock($1)", {static_cast<long long>(kChainLockKey)}).status());
  }
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1"));
  return rows.empty() ? std::string(kGenesis) : rows[0].Text(0);
}

// Inserts one row after `prev_hash` and returns its hash.
Result<std::string> Insert(db::Conn& c, const std::string& prev_hash, const AuditEvent& e) {
  std::string at = FormatUtc(std::chrono::system_clock::now());
  std::string hash = RowHash(prev_hash, at, e);
  DOUDI_RETURN_IF_ERROR(
      c.Exec("INSERT INTO audit_log (at, user_id, username, role, ip, action, object_type, object_id, outcome, "
             "detail, request_id, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
             {at, static_cast<long long>(e.user_id), e.username, e.role, e.ip, e.action, e.object_type, e.object_id,
              e.outcome, e.detail, e.request_id, prev_hash, hash})
          .status());
  return hash;
}

AuditRow ToAuditRow(const db::Row& r) {
  AuditRow a;
  a.id = r.Int(0);
  a.at = r.Text(1);
  a.user_id = r.Int(2);
  a.username = r.Text(3);
  a.role = r.Text(4);
  a.ip = r.Text(5);
  a.action = r.Text(6);
  a.object_type = r.Text(7);
  a.object_id = r.Text(8);
  a.outcome = r.Text(9);
  a.detail = r.Text(10);
  a.request_id = r.Text(11);
  a.prev_hash = r.Text(12);
  a.hash = r.Text(13);
  return a;
}

class AuditLogImpl final : public AuditLog {
 public:
  explicit AuditLogImpl(db::Database& db) : db_(db) {}

  Status Append(AuditEvent event) override {
    DOUDI_RETURN_IF_ERROR(ValidateEvent(event));
    Pending p{std::move(event), Status::Ok(), false, {}};
    std::unique_lock lock(mu_);
    queue_.push_back(&p);
    p.done_cv.wait(lock, [&] { return p.done || (!writing_ && queue_.front() == &p); });
    if (p.done) return p.status;
    // Leader: write what is queued (this event first), then wake the writers and the next leader.
    writing_ = true;
    size_t n = std::min(queue_.size(), kMaxBatch);
    std::vector<Pending*> batch(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    lock.unlock();
    Status s = db_.Write([&](db::Conn& c) -> Status {
      DOUDI_ASSIGN_OR_RETURN(std::string prev, LastHash(c));
      for (Pending* q : batch) {
        DOUDI_ASSIGN_OR_RETURN(prev, Insert(c, prev, q->event));
      }
      return Status::Ok();
    });
    lock.lock();
    writing_ = false;
    for (Pending* q : batch) {
      q->status = s;
      q->done = true;
      if (q != &p) q->done_cv.notify_one();
    }
    if (!queue_.empty()) queue_.front()->done_cv.notify_one();
    return p.status;
  }

  Status AppendIn(db::Conn& conn, const AuditEvent& event) override {
    DOUDI_RETURN_IF_ERROR(ValidateEvent(event));
    DOUDI_ASSIGN_OR_RETURN(std::string prev, LastHash(conn));
    return Insert(conn, prev, event).status();
  }

  Result<std::pair<std::vector<AuditRow>, int64_t>> Search(const AuditQuery& q) override {
    if (q.page < 1 || q.size < 1 || q.size > kMaxPageSize) {
      return Status::InvalidField("page", "audit.query.page", "分页参数无效：页码从 1 开始，每页 1–200 条");
    }
    std::string where;
    std::vector<db::Value> params;
    auto add = [&](const std::string& condition, db::Value v) {
      params.push_back(std::move(v));
      where += (where.empty() ? " WHERE " : " AND ") + condition + " $" + std::to_string(params.size());
    };
    if (q.username) add("username =", *q.username);
    if (q.action) add("action =", *q.action);
    if (q.object_type) add("object_type =", *q.object_type);
    if (q.object_id) add("object_id =", *q.object_id);
    if (q.outcome) add("outcome =", *q.outcome);
    // Dates are days of the users' calendar (Asia/Shanghai); "to" includes its whole day.
    for (auto [value, field] : {std::pair{&q.from, "from"}, std::pair{&q.to, "to"}}) {
      if (!*value) continue;
      auto start = ShanghaiDayStart(**value);
      if (!start) {
        return Status::InvalidField(field, "audit.query.date", "日期格式应为 YYYY-MM-DD：" + **value);
      }
      if (std::string_view(field) == "from") {
        add("at >=", FormatUtc(*start));
      } else {
        add("at <", FormatUtc(*start + std::chrono::days{1}));
      }
    }
    std::pair<std::vector<AuditRow>, int64_t> out;
    DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
      DOUDI_ASSIGN_OR_RETURN(auto total, c.Query("SELECT COUNT(*) FROM audit_log" + where, params));
      out.second = total[0].Int(0);
      std::vector<db::Value> page_params = params;
      page_params.emplace_back(static_cast<long long>(q.size));
      page_params.emplace_back(static_cast<long long>(q.page - 1) * q.size);
      std::string sql = std::string("SELECT ") + kColumns + " FROM audit_log" + where + " ORDER BY id DESC LIMIT $" +
                        std::to_string(params.size() + 1) + " OFFSET $" + std::to_string(params.size() + 2);
      DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(sql, page_params));
      for (const auto& r : rows) out.first.push_back(ToAuditRow(r));
      return Status::Ok();
    }));
    return out;
  }

  Result<ChainReport> Verify() override {
    ChainReport report;
    DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
      std::string expected_prev = kGenesis;
      int64_t last_id = 0;
      const std::string sql = std::string("SELECT ") + kColumns + " FROM audit_log WHERE id > $1 ORDER BY id LIMIT 1000";
      for (;;) {
        DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(sql, {static_cast<long long>(last_id)}));
        if (rows.empty()) return Status::Ok();
        for (const auto& r : rows) {
          AuditRow a = ToAuditRow(r);
          ++report.rows_checked;
          if (a.prev_hash != expected_prev) {
            report.ok = false;
            report.first_broken_id = a.id;
            report.reason = "link_mismatch：此记录之前的记录被删除或篡改（上一条 id " + std::to_string(last_id) +
                            "）";
            return Status::Ok();
          }
          if (RowHash(a.prev_hash, a.at, a) != a.hash) {
            report.ok = false;
            report.first_broken_id = a.id;
            report.reason = "hash_mismatch：此记录的内容与其哈希不符，记录被篡改";
            return Status::Ok();
          }
          expected_prev = a.hash;
          last_id = a.id;
        }
      }
    }));
    return report;
  }

 private:
  struct Pending {
    AuditEvent event;
    Status status;
    bool done = false;
    // Each caller has its own condition variable: one shared by all would wake every waiting request thread
    // at each commit (tens of them under load) only for most to sleep again.
    std::condition_variable done_cv;
  };

  db::Database& db_;
  std::mutex mu_;
  std::deque<Pending*> queue_;  // events waiting to be written, oldest first
  bool writing_ = false;        // a leader is writing a batch
};

}  // namespace

AuditEvent AuditEventFor(const Principal& actor, std::string action, std::string object_type, std::string object_id,
                         std::string detail) {
  AuditEvent e;
  e.user_id = actor.user_id;
  e.username = actor.username;
  e.role = actor.role;
  e.ip = actor.ip;
  e.request_id = actor.request_id;
  e.action = std::move(action);
  e.object_type = std::move(object_type);
  e.object_id = std::move(object_id);
  e.detail = std::move(detail);
  return e;
}

std::unique_ptr<AuditLog> AuditLog::Create(db::Database& db) { return std::make_unique<AuditLogImpl>(db); }

}  // namespace doudi::platform
