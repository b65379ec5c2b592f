// The storage interface: one API over two drivers, SQLite 3 (embedded default) and PostgreSQL 15 (scale).
//
// Both drivers run the same SQL: `$1, $2 ...` placeholders, RETURNING, ON CONFLICT. Work happens inside
// Database::Read (a consistent snapshot) or Database::Write (one transaction, committed when the callback
// returns an ok Status and rolled back otherwise — nothing half-written). SQLite serialises writers on one
// connection (BEGIN IMMEDIATE) and reads from a pool of WAL readers; PostgreSQL uses a connection pool.
//
//   DOUDI_RETURN_IF_ERROR(db.Write([&](db::Conn& c) -> Status {
//     DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("UPDATE t SET x=$1, version=version+1 "
//                                               "WHERE id=$2 AND version=$3 RETURNING version", {x, id, v}));
//     if (rows.empty()) return db::VersionConflict();
//     return Status::Ok();
//   }));
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "db/value.h"

namespace doudi::db {

enum class Dialect { kSqlite, kPostgres };

// One result row; cells are addressed by position (fast) or by column name.
class Row {
 public:
  Row(const std::vector<std::string>* columns, std::vector<Value> cells)
      : columns_(columns), cells_(std::move(cells)) {}
  size_t size() const { return cells_.size(); }
  const Value& operator[](size_t i) const { return cells_[i]; }
  const Value& operator[](std::string_view column) const;  // aborts on an unknown column (a programming error)
  int64_t Int(size_t i) const { return cells_[i].as_int(); }
  std::string Text(size_t i) const { return cells_[i].as_text(); }
  bool IsNull(size_t i) const { return cells_[i].is_null(); }

 private:
  const std::vector<std::string>* columns_;
  std::vector<Value> cells_;
};

class Rows {
 public:
  Rows() = default;
  Rows(std::vector<std::string> columns)
      : columns_(std::make_shared<const std::vector<std::string>>(std::move(columns))) {}
  // Column names shared with the driver's prepared statement, so that a query copies none of them.
  explicit Rows(std::shared_ptr<const std::vector<std::string>> columns) : columns_(std::move(columns)) {}
  const std::vector<std::string>& columns() const { return *columns_; }
  void Add(std::vector<Value> cells) { rows_.emplace_back(columns_.get(), std::move(cells)); }
  size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  const Row& operator[](size_t i) const { return rows_[i]; }
  auto begin() const { return rows_.begin(); }
  auto end() const { return rows_.end(); }

 private:
  std::shared_ptr<const std::vector<std::string>> columns_ = std::make_shared<const std::vector<std::string>>();
  std::vector<Row> rows_;
};

using Params = std::initializer_list<Value>;

// One connection, used by one thread at a time, inside a Read or Write callback.
class Conn {
 public:
  virtual ~Conn() = default;
  virtual Dialect dialect() const = 0;
  // Runs a statement and returns its rows (for SELECT or ... RETURNING).
  virtual Result<Rows> Query(std::string_view sql, std::span<const Value> params) = 0;
  // Runs a statement and returns the number of rows it changed.
  virtual Result<int64_t> Exec(std::string_view sql, std::span<const Value> params) = 0;
  // Runs several statements without parameters (migrations).
  virtual Status ExecScript(std::string_view sql) = 0;

  Result<Rows> Query(std::string_view sql, Params params = {}) {
    return Query(sql, std::span<const Value>(params.begin(), params.size()));
  }
  Result<int64_t> Exec(std::string_view sql, Params params = {}) {
    return Exec(sql, std::span<const Value>(params.begin(), params.size()));
  }
};

struct Options {
  int readers = 8;              // SQLite reader connections / PostgreSQL pool size
  int busy_timeout_ms = 5000;   // SQLite busy timeout; PostgreSQL connect timeout and lock_timeout
};

class Database {
 public:
  virtual ~Database() = default;
  // url: "sqlite:PATH" (created if missing) or "postgresql://user@host:port/dbname".
  static Result<std::unique_ptr<Database>> Open(std::string_view url, const Options& options = {});

  virtual Dialect dialect() const = 0;
  virtual Status Read(const std::function<Status(Conn&)>& fn) = 0;
  virtual Status Write(const std::function<Status(Conn&)>& fn) = 0;
  // A human-readable description for logs, without passwords.
  virtual std::string Describe() const = 0;
};

// The Status for an UPDATE ... WHERE version = $n that matched no row: HTTP 409 with a clear message.
Status VersionConflict();
// Maps a driver's unique-constraint violation and similar to a Status with a stable code.
Status DriverError(std::string_view what, std::string_view detail);

}  // namespace doudi::db
