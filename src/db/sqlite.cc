#include "db/sqlite.h"

#include <sqlite3.h>

#include <algorithm>
#include <condition_variable>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <string>
#include <vector>

namespace doudi::db {
namespace {

Status SqliteError(sqlite3* h, int rc, std::string_view what) {
  int ext = h ? sqlite3_extended_errcode(h) : rc;
  std::string msg = h ? sqlite3_errmsg(h) : sqlite3_errstr(rc);
  if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Status::Conflict("db.unique", "数据重复：" + msg);
  }
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return Status::Unavailable("db.busy", "数据库繁忙，请稍后重试");
  return DriverError(what, msg);
}

class SqliteConn final : public Conn {
 public:
  explicit SqliteConn(sqlite3* h) : h_(h) {}
  using Conn::Exec;  // the Params overloads, hidden by the overrides below
  using Conn::Query;
  ~SqliteConn() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt.st);
    sqlite3_close_v2(h_);
  }
  Dialect dialect() const override { return Dialect::kSqlite; }
  sqlite3* handle() { return h_; }

  Result<Rows> Query(std::string_view sql, std::span<const Value> params) override {
    Statement* stmt = nullptr;
    DOUDI_RETURN_IF_ERROR(Prepare(sql, params, &stmt));
    sqlite3_stmt* st = stmt->st;
    int n = static_cast<int>(stmt->columns->size());
    Rows rows(stmt->columns);
    for (;;) {
      int rc = sqlite3_step(st);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        Status s = SqliteError(h_, rc, sql);
        sqlite3_reset(st);
        return s;
      }
      std::vector<Value> cells;
      cells.reserve(n);
      for (int i = 0; i < n; ++i) {
        switch (sqlite3_column_type(st, i)) {
          case SQLITE_INTEGER: cells.emplace_back(static_cast<long long>(sqlite3_column_int64(st, i))); break;
          case SQLITE_FLOAT: cells.emplace_back(sqlite3_column_double(st, i)); break;
          case SQLITE_NULL: cells.emplace_back(); break;
          default:
            cells.emplace_back(std::string_view(reinterpret_cast<const char*>(sqlite3_column_text(st, i)),
                                                static_cast<size_t>(sqlite3_column_bytes(st, i))));
        }
      }
      rows.Add(std::move(cells));
    }
    sqlite3_reset(st);
    return rows;
  }

  Result<int64_t> Exec(std::string_view sql, std::span<const Value> params) override {
    Statement* stmt = nullptr;
    DOUDI_RETURN_IF_ERROR(Prepare(sql, params, &stmt));
    sqlite3_stmt* st = stmt->st;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return SqliteError(h_, rc, sql);
    return static_cast<int64_t>(sqlite3_changes64(h_));
  }

  Status ExecScript(std::string_view sql) override {
    char* err = nullptr;
    std::string s(sql);
    int rc = sqlite3_exec(h_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      return DriverError("script", msg);
    }
    return Status::Ok();
  }

 private:
  // A prepared statement with what a call needs and SQLite would otherwise look up by name on every call: the
  // bind index of each `$n` (a named parameter to SQLite, numbered in order of first use) and the column names.
  struct Statement {
    sqlite3_stmt* st = nullptr;
    std::vector<int> bind_index;  // [n - 1] = index of `$n`, 0 when the statement does not use it
    std::shared_ptr<const std::vector<std::string>> columns;
  };
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };

  // Statements are prepared once per connection and reused.
  Status Prepare(std::string_view sql, std::span<const Value> params, Statement** out) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      Statement stmt;
      int rc = sqlite3_prepare_v3(h_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                  &stmt.st, nullptr);
      if (rc != SQLITE_OK) return SqliteError(h_, rc, sql);
      for (int idx = 1; idx <= sqlite3_bind_parameter_count(stmt.st); ++idx) {
        const char* name = sqlite3_bind_parameter_name(stmt.st, idx);
        if (!name || name[0] != '$' || !std::isdigit(static_cast<unsigned char>(name[1]))) continue;
        size_t n = std::strtoul(name + 1, nullptr, 10);
        if (n == 0) continue;
        if (stmt.bind_index.size() < n) stmt.bind_index.resize(n, 0);
        stmt.bind_index[n - 1] = idx;
      }
      auto columns = std::make_shared<std::vector<std::string>>();
      for (int i = 0; i < sqlite3_column_count(stmt.st); ++i) columns->emplace_back(sqlite3_column_name(stmt.st, i));
      stmt.columns = std::move(columns);
      it = cache_.emplace(std::string(sql), std::move(stmt)).first;
    }
    Statement& stmt = it->second;
    sqlite3_stmt* st = stmt.st;
    sqlite3_clear_bindings(st);
    // Parameters past the statement's count are not bound (a caller may pass more than one dialect's SQL uses).
    size_t bound = std::min(params.size(), stmt.bind_index.size());
    for (size_t i = 0; i < bound; ++i) {
      int idx = stmt.bind_index[i];
      if (idx == 0) continue;  // parameter not used by this statement
      const Value& v = params[i];
      int rc;
      if (v.is_null()) {
        rc = sqlite3_bind_null(st, idx);
      } else if (v.is_int()) {
        rc = sqlite3_bind_int64(st, idx, v.as_int());
      } else if (v.is_real()) {
        rc = sqlite3_bind_double(st, idx, v.as_real());
      } else {
        const auto& s = std::get<std::string>(v.raw());
        // SQLITE_STATIC: the caller's values outlive every step of this call, and the next call clears the
        // bindings before it binds, so SQLite need not copy each string.
        rc = sqlite3_bind_text64(st, idx, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) return SqliteError(h_, rc, "bind");
    }
    *out = &stmt;
    return Status::Ok();
  }

  sqlite3* h_;
  std::unordered_map<std::string, Statement, SqlHash, std::equal_to<>> cache_;
};

// Process-wide settings, before the first connection: no memory statistics (they take a global mutex on every
// allocation, which serialises the request threads), and multi-thread mode (each connection is used by one
// thread at a time, so SQLite's per-connection mutexes are not needed).
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
  });
}

Result<std::unique_ptr<SqliteConn>> OpenConn(const std::string& path, bool writer, const Options& o) {
  ConfigureSqliteOnce();
  sqlite3* h = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX;  // each connection is used by one thread at a time
  flags |= writer ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) : SQLITE_OPEN_READONLY;
  int rc = sqlite3_open_v2(path.c_str(), &h, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = h ? sqlite3_errmsg(h) : sqlite3_errstr(rc);
    sqlite3_close_v2(h);
    return Status::Unavailable("db.open", "无法打开数据库文件 " + path + "：" + msg);
  }
  auto conn = std::make_unique<SqliteConn>(h);
  sqlite3_busy_timeout(h, o.busy_timeout_ms);
  sqlite3_extended_result_codes(h, 1);
  // WAL: readers never block the writer; synchronous=NORMAL in WAL mode is durable against a process
  // crash (kill -9) and loses at most the last transactions on power loss, never consistency.
  // No mmap: the audit log grows the file all the time, and every reader would unmap and map it again.
  std::string pragmas = "PRAGMA foreign_keys=ON;";
  // The writer gets a 64 MiB page cache: with the default 2 MiB, bulk imports spend half their time writing
  // pages out early.
  if (writer) pragmas += "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;";
  DOUDI_RETURN_IF_ERROR(conn->ExecScript(pragmas));
  return conn;
}

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, std::unique_ptr<SqliteConn> writer, const Options& o)
      : path_(std::move(path)), writer_(std::move(writer)), options_(o) {}

  Dialect dialect() const override { return Dialect::kSqlite; }
  std::string Describe() const override { return "sqlite:" + path_; }

  // Transaction control goes through Exec, whose statements are prepared once per connection, rather than
  // ExecScript, which would compile them again on every request.
  Status Write(const std::function<Status(Conn&)>& fn) override {
    std::lock_guard lock(write_mu_);
    DOUDI_RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE").status());
    Status s = fn(*writer_);
    if (s.ok()) {
      Status c = writer_->Exec("COMMIT").status();
      if (c.ok()) return s;
      s = c;
    }
    (void)writer_->Exec("ROLLBACK").status();
    return s;
  }

  Status Read(const std::function<Status(Conn&)>& fn) override {
    std::unique_ptr<SqliteConn> conn;
    {
      std::unique_lock lock(pool_mu_);
      if (pool_.empty() && open_readers_ >= options_.readers) {
        pool_cv_.wait(lock, [&] { return !pool_.empty(); });
      }
      if (!pool_.empty()) {
        conn = std::move(pool_.back());
        pool_.pop_back();
      } else {
        ++open_readers_;
      }
    }
    if (!conn) {
      auto opened = OpenConn(path_, false, options_);
      if (!opened.ok()) {
        std::lock_guard lock(pool_mu_);
        --open_readers_;
        pool_cv_.notify_one();
        return opened.status();
      }
      conn = std::move(opened).value();
    }
    Status s = conn->Exec("BEGIN").status();
    if (s.ok()) {
      s = fn(*conn);
      (void)conn->Exec("COMMIT").status();
    }
    {
      std::lock_guard lock(pool_mu_);
      pool_.push_back(std::move(conn));
    }
    pool_cv_.notify_one();
    return s;
  }

 private:
  std::string path_;
  std::mutex write_mu_;
  std::unique_ptr<SqliteConn> writer_;
  Options options_;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<SqliteConn>> pool_;
  int open_readers_ = 0;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, const Options& options) {
  DOUDI_ASSIGN_OR_RETURN(auto writer, OpenConn(path, true, options));
  return std::unique_ptr<Database>(std::make_unique<SqliteDatabase>(path, std::move(writer), options));
}

}  // namespace doudi::db
