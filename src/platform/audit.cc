// The audit log's implementation: group commit by the waiting callers themselves, and the hash chain.
//
// Group commit (as LevelDB's DBImpl::Write): a caller queues its event; if no one is writing, it becomes the
// leader, writes every queued event in one transaction, marks them done and hands leadership to the first
// event still queued. The others sleep on their own condition variable until their row is committed. No
// background thread is involved: under load a separate writer thread competes for the CPU with every request
// thread and, whenever it is not scheduled, every waiting request stalls with it.
//
// Journal (serve on SQLite): Append writes the event to the journal file under a mutex (so file order is
// sequence order) and queues it in memory; one flusher thread writes queued events to audit_log up to kMaxBatch
// per transaction, recording the last sequence number written in audit_journal_state in the same transaction.
// There are two journal files: appends go to the active one until it passes kJournalRotateBytes, then to the
// other (once that one is empty); a file no longer active is emptied as soon as its last event is in the
// table. Emptying the file being appended to would need every staged event written first, with appends held. Request threads no longer wait for a commit,
// which under load was where most of them slept (docs/benchmarks.md, registry read). Staging is bounded
// (kMaxStaged): past it, Append waits for the flusher.
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

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

#include "platform/audit_index.h"
#include "platform/audit_journal.h"
#include "platform/bytes.h"
#include "platform/clock.h"

namespace doudi::platform {
namespace {

constexpr char kGenesis[] = "0000000000000000000000000000000000000000000000000000000000000000";
constexpr int64_t kChainLockKey = 0x646f75646941;  // "doudiA": the PostgreSQL advisory lock of the chain
constexpr size_t kMaxBatch = 1000;
constexpr size_t kMaxStaged = 100000;                 // events staged in the journal but not yet in the table
constexpr size_t kHelpFlushAt = 50000;                  // a backlog at which the appending request writes a batch
constexpr uint64_t kJournalRotateBytes = 4u << 20;    // appends move to the other journal file past this
constexpr auto kFlushTimeout = std::chrono::seconds(30);
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

// Inserts one row at time `at` after `prev_hash` and returns its hash.
Result<std::string> Insert(db::Conn& c, const std::string& prev_hash, const std::string& at, const AuditEvent& e) {
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
  AuditLogImpl(db::Database& db, int64_t run_rows) : db_(db), run_rows_(run_rows) {}

  ~AuditLogImpl() override {
    if (!flusher_.joinable()) return;
    {
      std::lock_guard lock(jmu_);
      stop_ = true;
    }
    work_cv_.notify_all();
    flusher_.join();
    std::lock_guard lock(jmu_);
    if (staged_.empty()) {
      for (auto& j : journals_) {
        if (j->size() == 0) continue;
        if (Status t = j->Truncate(); !t.ok()) spdlog::warn("{}", t.message());
      }
    }
  }

  Status Append(AuditEvent event) override {
    DOUDI_RETURN_IF_ERROR(ValidateEvent(event));
    if (journals_[0]) return Stage(std::move(event));
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
        DOUDI_ASSIGN_OR_RETURN(prev, Insert(c, prev, FormatUtc(std::chrono::system_clock::now()), q->event));
      }
      return IndexAuditRuns(c, run_rows_).status();
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
    std::string at;
    if (journals_[0]) {
      // The chain keeps the order of time: the events staged before this one go into the table first, in this
      // transaction. The flusher skips them once this commits; if it rolls back, they are still staged.
      std::vector<JournalRecord> earlier;
      {
        std::lock_guard lock(jmu_);
        earlier.assign(staged_.begin(), staged_.end());
        at = FormatUtc(std::chrono::system_clock::now());
      }
      if (!earlier.empty()) {
        std::vector<const JournalRecord*> records;
        for (const auto& r : earlier) records.push_back(&r);
        DOUDI_ASSIGN_OR_RETURN(prev, InsertStaged(conn, std::move(prev), records));
      }
    } else {
      at = FormatUtc(std::chrono::system_clock::now());
    }
    DOUDI_RETURN_IF_ERROR(Insert(conn, prev, at, event).status());
    return IndexAuditRuns(conn, run_rows_).status();
  }

  Result<JournalRecovery> EnableJournal(const std::string& path) override {
    if (journals_[0]) return Status::Internal("审计暂存文件已启用");
    std::unique_ptr<AuditJournal> files[2];
    std::vector<JournalRecord> records;
    JournalRecovery recovery;
    for (int i = 0; i < 2; ++i) {
      DOUDI_ASSIGN_OR_RETURN(files[i], AuditJournal::Open(i == 0 ? path : path + "-2"));
      DOUDI_ASSIGN_OR_RETURN(JournalContents contents, files[i]->ReadAll());
      recovery.torn_bytes += static_cast<int64_t>(contents.torn_bytes);
      for (auto& r : contents.records) records.push_back(std::move(r));
    }
    std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
    uint64_t applied = 0;
    DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
      DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT applied_seq FROM audit_journal_state WHERE id = 1"));
      if (!rows.empty()) applied = static_cast<uint64_t>(rows[0].Int(0));
      return Status::Ok();
    }));
    std::vector<JournalRecord> todo;
    uint64_t last = applied;
    for (auto& r : records) {
      last = std::max(last, r.seq);
      if (r.seq > applied) todo.push_back(std::move(r));
    }
    for (size_t i = 0; i < todo.size(); i += kMaxBatch) {
      std::vector<const JournalRecord*> part;
      for (size_t k = i; k < std::min(todo.size(), i + kMaxBatch); ++k) part.push_back(&todo[k]);
      DOUDI_RETURN_IF_ERROR(WriteStaged(part));
      recovery.replayed += static_cast<int64_t>(part.size());
    }
    // Everything readable is in the table now; a torn tail was never acknowledged in a valid state.
    for (auto& f : files) DOUDI_RETURN_IF_ERROR(f->Truncate());
    journals_[0] = std::move(files[0]);
    journals_[1] = std::move(files[1]);
    next_seq_ = last + 1;
    applied_seq_ = last;
    flusher_ = std::thread([this] { FlushLoop(); });
    return recovery;
  }

  Status Flush() override {
    if (!journals_[0]) return Status::Ok();
    std::unique_lock lock(jmu_);
    uint64_t target = next_seq_ - 1;
    if (!applied_cv_.wait_for(lock, kFlushTimeout, [&] { return applied_seq_ >= target; })) {
      return Status::Unavailable("audit.flush_timeout", "审计记录写入数据库超时，请稍后重试");
    }
    return Status::Ok();
  }

  Result<std::pair<std::vector<AuditRow>, int64_t>> Search(const AuditQuery& q) override {
    DOUDI_RETURN_IF_ERROR(Flush());
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
    if (q.object_type) {
      // Without it, the conditions above would scan the whole log: there is no B-tree index on the object.
      where += " AND " + AuditObjectCondition(*q.object_type, q.object_id, params);
    }
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
    DOUDI_RETURN_IF_ERROR(Flush());
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
  // Journal mode: the event gets its time and sequence number, goes to the file, then to the flusher's queue.
  Status Stage(AuditEvent event) {
    JournalRecord r{0, "", std::move(event)};
    std::unique_lock lock(jmu_);
    applied_cv_.wait(lock, [&] { return staged_.size() < kMaxStaged; });
    r.seq = next_seq_;
    r.at = FormatUtc(std::chrono::system_clock::now());  // under jmu_: times rise with sequence numbers
    AuditJournal& file = *journals_[active_];
    DOUDI_RETURN_IF_ERROR(file.Append(r));
    last_seq_[active_] = r.seq;
    ++next_seq_;
    int o = 1 - active_;
    if (file.size() > kJournalRotateBytes && !emptying_[o] && journals_[o]->size() == 0) active_ = o;
    bool idle = staged_.empty();
    staged_.push_back(std::move(r));
    if (staged_.size() >= kHelpFlushAt && !flushing_) {
      // A backlog: the flusher thread gets only its share of the CPU among the request threads, so the request
      // that finds the backlog writes a batch itself, which also slows the producers down to the table's pace.
      FlushOnce(lock);
      return Status::Ok();
    }
    lock.unlock();
    if (idle) work_cv_.notify_one();
    return Status::Ok();
  }

  // Inserts, in c's transaction, those of `records` (in sequence order) that the table does not have yet — a
  // transaction of AppendIn may have written some since they were staged — and records the last one as applied.
  // Returns the chain's new last hash.
  Result<std::string> InsertStaged(db::Conn& c, std::string prev, const std::vector<const JournalRecord*>& records) {
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT applied_seq FROM audit_journal_state WHERE id = 1"));
    const uint64_t applied = rows.empty() ? 0 : static_cast<uint64_t>(rows[0].Int(0));
    uint64_t last = applied;
    for (const JournalRecord* r : records) {
      if (r->seq <= applied) continue;
      DOUDI_ASSIGN_OR_RETURN(prev, Insert(c, prev, r->at, r->event));
      last = r->seq;
    }
    if (last != applied) {
      DOUDI_RETURN_IF_ERROR(c.Exec("UPDATE audit_journal_state SET applied_seq = $1 WHERE id = 1",
                                   {static_cast<long long>(last)})
                                .status());
    }
    return prev;
  }

  // Writes staged events to audit_log in one transaction.
  Status WriteStaged(const std::vector<const JournalRecord*>& batch) {
    return db_.Write([&](db::Conn& c) -> Status {
      DOUDI_ASSIGN_OR_RETURN(std::string prev, LastHash(c));
      DOUDI_RETURN_IF_ERROR(InsertStaged(c, std::move(prev), batch).status());
      return IndexAuditRuns(c, run_rows_).status();
    });
  }

  // Writes one batch of staged events; `lock` holds jmu_ on entry and exit (released while writing). False when
  // the write failed (the events stay staged, to be tried again).
  // The batch stays staged until it is committed, so that AppendIn, which writes every staged event before its
  // own, also sees the events of a batch that is waiting for the database. Only this pops staged_, and a deque
  // keeps its elements in place when others are pushed behind them, so the batch is pointers into it.
  bool FlushOnce(std::unique_lock<std::mutex>& lock) {
    flushing_ = true;
    size_t n = std::min(staged_.size(), kMaxBatch);
    std::vector<const JournalRecord*> batch;
    batch.reserve(n);
    for (size_t i = 0; i < n; ++i) batch.push_back(&staged_[i]);
    const uint64_t last = batch.back()->seq;
    lock.unlock();
    Status s = WriteStaged(batch);
    lock.lock();
    flushing_ = false;
    if (!s.ok()) {
      // The events stay staged, and in the file for the next start, to be tried again.
      spdlog::error("审计记录写入数据库失败，稍后重试：{}", s.message());
    } else {
      while (!staged_.empty() && staged_.front().seq <= last) staged_.pop_front();
      applied_seq_ = last;
      // The other file, once all of it is in the table (its last event at most applied_seq_), is emptied —
      // without jmu_: truncating waits for the kernel to finish writing back its pages, and every request
      // would wait with it. Appends cannot move to that file meanwhile (emptying_).
      int o = 1 - active_;
      if (!emptying_[o] && journals_[o]->size() > 0 && last_seq_[o] <= applied_seq_) {
        emptying_[o] = true;
        lock.unlock();
        if (Status t = journals_[o]->Truncate(); !t.ok()) spdlog::warn("{}", t.message());
        lock.lock();
        emptying_[o] = false;
      }
    }
    applied_cv_.notify_all();
    work_cv_.notify_one();
    return s.ok();
  }

  void FlushLoop() {
    std::unique_lock lock(jmu_);
    for (;;) {
      work_cv_.wait(lock, [&] { return (stop_ && !flushing_) || (!staged_.empty() && !flushing_); });
      if (staged_.empty()) return;  // stopping, and all written
      if (!FlushOnce(lock)) {
        if (stop_) return;
        work_cv_.wait_for(lock, std::chrono::milliseconds(200), [&] { return stop_; });
      }
    }
  }

  struct Pending {
    AuditEvent event;
    Status status;
    bool done = false;
    // Each caller has its own condition variable: one shared by all would wake every waiting request thread
    // at each commit (tens of them under load) only for most to sleep again.
    std::condition_variable done_cv;
  };

  db::Database& db_;
  const int64_t run_rows_;  // ids per run of the object index (audit_index.h)
  std::mutex mu_;
  std::deque<Pending*> queue_;  // events waiting to be written, oldest first
  bool writing_ = false;        // a leader is writing a batch

  // Journal mode (EnableJournal). jmu_ guards everything below but which journals_ exist, set before use.
  std::unique_ptr<AuditJournal> journals_[2];
  int active_ = 0;                      // the file appends go to
  uint64_t last_seq_[2] = {0, 0};       // the last event appended to each file
  bool emptying_[2] = {false, false};   // the flusher is truncating this (inactive) file outside jmu_
  std::mutex jmu_;
  std::condition_variable work_cv_;     // the flusher: events staged, or stop
  std::condition_variable applied_cv_;  // Flush() and Stage() waiting for the flusher to make progress
  std::deque<JournalRecord> staged_;    // in the file, not yet in the table; oldest first
  uint64_t next_seq_ = 1;
  uint64_t applied_seq_ = 0;            // the last sequence number known to be in the table
  bool stop_ = false;
  bool flushing_ = false;               // a batch is being written (by the flusher or a helping request)
  std::thread flusher_;
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

std::unique_ptr<AuditLog> AuditLog::Create(db::Database& db, int64_t index_run_rows) {
  return std::make_unique<AuditLogImpl>(db, index_run_rows);
}

}  // namespace doudi::platform
