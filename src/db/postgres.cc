#include "db/postgres.h"

#include <libpq-fe.h>

#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace doudi::db {
namespace {

// Type OIDs from the server's pg_type.dat; they are fixed for built-in types.
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

// Past this many prepared statements a connection forgets them all: dynamic SQL must not grow server memory.
constexpr size_t kMaxPreparedStatements = 1000;
// How long a transaction waits for a free pooled connection before giving up.
constexpr auto kPoolWait = std::chrono::seconds(30);

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

std::string Chomp(const char* s) {
  std::string out = s ? s : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

Status Unreachable(std::string_view detail) {
  Status s = Status::Unavailable("db.unavailable", "数据库无法连接");
  s.add_detail({"db", "db.unavailable", std::string(detail)});
  return s;
}

Status Busy(std::string_view detail) {
  Status s = Status::Unavailable("db.busy", "数据库繁忙，请稍后重试");
  s.add_detail({"db", "db.busy", std::string(detail)});
  return s;
}

// Maps a failed command to a Status; r may be null (libpq could not even build a result).
Status ResultError(PGconn* h, const PGresult* r, std::string_view what) {
  std::string msg = Chomp(r ? PQresultErrorMessage(r) : PQerrorMessage(h));
  if (msg.empty()) msg = Chomp(PQerrorMessage(h));
  if (PQstatus(h) != CONNECTION_OK) return Unreachable(msg);
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string_view code = state ? state : "";
  if (code == "23505") {
    const char* primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
    return Status::Conflict("db.unique", "数据重复：" + std::string(primary ? primary : msg.c_str()));
  }
  // Class 08 is connection exceptions; 57P01-03 the server shutting down or starting up.
  if (code.starts_with("08") || code == "57P01" || code == "57P02" || code == "57P03") return Unreachable(msg);
  // Lock timeout, serialization failure, deadlock: the SQLite driver's SQLITE_BUSY.
  if (code == "55P03" || code == "40001" || code == "40P01") return Busy(msg);
  return DriverError(what, msg);
}

bool Succeeded(const PGresult* r) {
  if (!r) return false;
  auto st = PQresultStatus(r);
  return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

Value NumericCell(std::string_view text) {
  if (text.find_first_of(".eEN") == std::string_view::npos) {  // N: NaN
    long long i = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
    if (ec == std::errc() && p == text.data() + text.size()) return Value(i);
  }
  double d = 0;
  std::from_chars(text.data(), text.data() + text.size(), d);
  return Value(d);
}

Value Cell(const PGresult* r, int row, int col, Oid type) {
  if (PQgetisnull(r, row, col)) return Value();
  const char* s = PQgetvalue(r, row, col);
  std::string_view text(s, static_cast<size_t>(PQgetlength(r, row, col)));
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      long long i = 0;
      std::from_chars(text.data(), text.data() + text.size(), i);
      return Value(i);
    }
    case kFloat4Oid:
    case kFloat8Oid: {
      // from_chars, unlike strtod, ignores the C locale and reads "Infinity" / "NaN".
      double d = 0;
      std::from_chars(text.data(), text.data() + text.size(), d);
      return Value(d);
    }
    case kNumericOid:
      return NumericCell(text);
    case kBoolOid:
      return Value(text == "t" ? 1 : 0);
    case kByteaOid: {
      size_t n = 0;
      unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(s), &n);
      if (!raw) return Value(std::string(text));
      Value v(std::string(reinterpret_cast<const char*>(raw), n));
      PQfreemem(raw);
      return v;
    }
    default:
      return Value(std::string(text));
  }
}

class PgConn final : public Conn {
 public:
  explicit PgConn(PGconn* h) : h_(h) {}
  ~PgConn() override { PQfinish(h_); }
  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;

  Dialect dialect() const override { return Dialect::kPostgres; }

  // Connected and outside any transaction: fit to go back into the pool.
  bool Reusable() const { return PQstatus(h_) == CONNECTION_OK && PQtransactionStatus(h_) == PQTRANS_IDLE; }
  bool Alive() const { return PQstatus(h_) == CONNECTION_OK; }

  // Runs a parameterless command and returns its command tag ("COMMIT", "ROLLBACK", ...).
  Result<std::string> Command(const char* sql) {
    PgResult r(PQexec(h_, sql));
    if (!Succeeded(r.get())) return ResultError(h_, r.get(), sql);
    return std::string(PQcmdStatus(r.get()));
  }

  Result<Rows> Query(std::string_view sql, std::span<const Value> params) override {
    DOUDI_ASSIGN_OR_RETURN(PgResult r, Run(sql, params));
    const PGresult* res = r.get();
    int nf = PQnfields(res);
    int nr = PQntuples(res);
    std::vector<std::string> cols;
    std::vector<Oid> types;
    cols.reserve(nf);
    types.reserve(nf);
    for (int i = 0; i < nf; ++i) {
      cols.emplace_back(PQfname(res, i));
      types.push_back(PQftype(res, i));
    }
    Rows rows(std::move(cols));
    for (int row = 0; row < nr; ++row) {
      std::vector<Value> cells;
      cells.reserve(nf);
      for (int col = 0; col < nf; ++col) cells.push_back(Cell(res, row, col, types[col]));
      rows.Add(std::move(cells));
    }
    return rows;
  }

  Result<int64_t> Exec(std::string_view sql, std::span<const Value> params) override {
    DOUDI_ASSIGN_OR_RETURN(PgResult r, Run(sql, params));
    const char* n = PQcmdTuples(r.get());
    int64_t changed = 0;
    if (n && *n) std::from_chars(n, n + std::strlen(n), changed);
    return changed;
  }

  Status ExecScript(std::string_view sql) override {
    // PQexec sends the whole script in one simple-protocol message; it stops at the first error.
    PgResult r(PQexec(h_, std::string(sql).c_str()));
    if (r && PQresultStatus(r.get()) == PGRES_EMPTY_QUERY) return Status::Ok();  // only comments
    if (!Succeeded(r.get())) return ResultError(h_, r.get(), "script");
    return Status::Ok();
  }

 private:
  struct Prepared {
    std::string name;
    std::vector<Oid> param_types;
  };

  Result<const Prepared*> Prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return &it->second;
    if (cache_.size() >= kMaxPreparedStatements) {
      PgResult d(PQexec(h_, "DEALLOCATE ALL"));
      if (Succeeded(d.get())) cache_.clear();
    }
    Prepared p;
    p.name = "doudi_" + std::to_string(next_id_++);
    // Types are left to the server (nParams 0) and then read back, so that $n may appear in any order and
    // a caller may pass more parameters than the statement uses, as with SQLite.
    PgResult r(PQprepare(h_, p.name.c_str(), key.c_str(), 0, nullptr));
    if (!Succeeded(r.get())) return ResultError(h_, r.get(), sql);
    PgResult d(PQdescribePrepared(h_, p.name.c_str()));
    if (!Succeeded(d.get())) return ResultError(h_, d.get(), sql);
    int n = PQnparams(d.get());
    for (int i = 0; i < n; ++i) p.param_types.push_back(PQparamtype(d.get(), i));
    return &cache_.emplace(std::move(key), std::move(p)).first->second;
  }

  Result<PgResult> Run(std::string_view sql, std::span<const Value> params) {
    DOUDI_ASSIGN_OR_RETURN(const Prepared* p, Prepare(sql));
    size_t n = p->param_types.size();
    std::vector<std::string> texts(n);  // sized once: values[] points into it
    std::vector<const char*> values(n, nullptr);
    std::vector<int> lengths(n, 0);
    std::vector<int> formats(n, 0);
    for (size_t i = 0; i < n && i < params.size(); ++i) {  // missing parameters are NULL, as in SQLite
      const Value& v = params[i];
      Oid type = p->param_types[i];
      if (v.is_null()) continue;
      if (v.is_text()) {
        const std::string& s = std::get<std::string>(v.raw());
        values[i] = s.c_str();
        if (type == kByteaOid) {  // raw bytes in binary format: no escaping, NULs allowed
          lengths[i] = static_cast<int>(s.size());
          formats[i] = 1;
        }
        continue;
      }
      if (v.is_int() && type == kBoolOid) {
        texts[i] = v.as_int() ? "t" : "f";
      } else if (v.is_int()) {
        texts[i] = std::to_string(v.as_int());
      } else {
        char buf[32];
        auto res = std::to_chars(buf, buf + sizeof buf, v.as_real());  // shortest text that reads back exactly
        texts[i].assign(buf, res.ptr);
      }
      values[i] = texts[i].c_str();
    }
    PgResult r(PQexecPrepared(h_, p->name.c_str(), static_cast<int>(n), values.data(), lengths.data(),
                              formats.data(), 0));
    if (!Succeeded(r.get())) {
      const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
      // "cached plan must not change result type": a table changed shape under the statement. Forget it so
      // that the next transaction prepares it afresh.
      if (state && std::string_view(state) == "0A000") cache_.erase(std::string(sql));
      return ResultError(h_, r.get(), sql);
    }
    return r;
  }

  PGconn* h_;
  std::unordered_map<std::string, Prepared> cache_;
  uint64_t next_id_ = 0;
};

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string url, const Options& options) : url_(std::move(url)), options_(options) {
    if (options_.readers < 1) options_.readers = 1;
  }

  Dialect dialect() const override { return Dialect::kPostgres; }
  std::string Describe() const override { return DescribePostgresUrl(url_); }

  Status Read(const std::function<Status(Conn&)>& fn) override {
    return Transaction(fn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  Status Write(const std::function<Status(Conn&)>& fn) override { return Transaction(fn, "BEGIN"); }

  // Opens the first connection now so that a wrong URL or a stopped server shows at startup.
  Status Warm() {
    DOUDI_ASSIGN_OR_RETURN(auto conn, Acquire());
    Release(std::move(conn));
    return Status::Ok();
  }

 private:
  // Returns a connection to the pool however the scope ends (even by an exception from a callback, in which
  // case the connection is still inside its transaction and Release closes it).
  class Lease {
   public:
    Lease(PgDatabase* db, std::unique_ptr<PgConn> conn) : db_(db), conn_(std::move(conn)) {}
    ~Lease() { db_->Release(std::move(conn_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    PgConn& operator*() { return *conn_; }
    PgConn* operator->() { return conn_.get(); }

   private:
    PgDatabase* db_;
    std::unique_ptr<PgConn> conn_;
  };

  Status Transaction(const std::function<Status(Conn&)>& fn, const char* begin) {
    for (int attempt = 0;; ++attempt) {
      DOUDI_ASSIGN_OR_RETURN(auto acquired, Acquire());
      Lease conn(this, std::move(acquired));
      auto began = conn->Command(begin);
      if (!began.ok()) {
        // An idle pooled connection may have died (server restart): nothing has run yet, so retry once.
        if (!conn->Alive() && attempt == 0) continue;
        return began.status();
      }
      Status s = fn(*conn);
      if (s.ok()) {
        auto tag = conn->Command("COMMIT");
        if (!tag.ok()) {
          s = tag.status();
        } else if (*tag != "COMMIT") {
          // COMMIT of a transaction that hit an error answers ROLLBACK: the callback swallowed a failure.
          s = DriverError("COMMIT", "a statement in the transaction failed; it was rolled back");
        }
      } else {
        (void)conn->Command("ROLLBACK");
      }
      return s;
    }
  }

  Result<std::unique_ptr<PgConn>> Acquire() {
    std::unique_lock lock(mu_);
    auto deadline = std::chrono::steady_clock::now() + kPoolWait;
    while (idle_.empty() && open_ >= options_.readers) {
      if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
          open_ >= options_.readers) {
        return Busy("all " + std::to_string(options_.readers) + " pooled connections stayed busy");
      }
    }
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
    ++open_;
    lock.unlock();
    auto conn = Connect();
    if (!conn.ok()) {
      lock.lock();
      --open_;
      cv_.notify_one();
    }
    return conn;
  }

  void Release(std::unique_ptr<PgConn> conn) {
    bool keep = conn->Reusable();
    if (!keep) conn.reset();  // close outside the lock
    {
      std::lock_guard lock(mu_);
      if (keep) {
        idle_.push_back(std::move(conn));
      } else {
        --open_;
      }
    }
    cv_.notify_one();
  }

  Result<std::unique_ptr<PgConn>> Connect() {
    // Defaults come before dbname: with expand_dbname the URL's own parameters, expanded in its place,
    // override them.
    std::string timeout = std::to_string(std::max(2, options_.busy_timeout_ms / 1000));
    const char* keys[] = {"connect_timeout", "client_encoding", "application_name", "dbname", nullptr};
    const char* values[] = {timeout.c_str(), "UTF8", "doudi", url_.c_str(), nullptr};
    PGconn* h = PQconnectdbParams(keys, values, 1);
    if (!h) return Unreachable("libpq could not allocate a connection");
    if (PQstatus(h) != CONNECTION_OK) {
      std::string msg = Chomp(PQerrorMessage(h));
      PQfinish(h);
      return Unreachable(msg);
    }
    PQsetNoticeProcessor(h, [](void*, const char*) {}, nullptr);
    auto conn = std::make_unique<PgConn>(h);
    std::string setup = "SET lock_timeout = " + std::to_string(std::max(0, options_.busy_timeout_ms)) +
                        "; SET TimeZone = 'UTC'";
    DOUDI_RETURN_IF_ERROR(conn->ExecScript(setup));
    return conn;
  }

  std::string url_;
  Options options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConn>> idle_;
  int open_ = 0;  // connections handed out plus idle ones
};

}  // namespace

std::string DescribePostgresUrl(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (!opts) {
    PQfreemem(err);
    return "postgresql://(地址无法解析)";
  }
  std::string user, host, port, dbname;
  for (auto* o = opts; o->keyword; ++o) {
    if (!o->val) continue;
    std::string_view k(o->keyword);
    if (k == "user") user = o->val;
    if (k == "host" || (k == "hostaddr" && host.empty())) host = o->val;
    if (k == "port") port = o->val;
    if (k == "dbname") dbname = o->val;
  }
  PQconninfoFree(opts);
  std::string out = "postgresql://";
  if (!user.empty()) out += user + "@";
  out += host;
  if (!port.empty()) out += ":" + port;
  return out + "/" + dbname;
}

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, const Options& options) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (!opts) {
    std::string msg = Chomp(err);
    PQfreemem(err);
    return Status::Invalid("db.url", "PostgreSQL 数据库地址无法解析：" + msg);
  }
  PQconninfoFree(opts);
  auto db = std::make_unique<PgDatabase>(url, options);
  DOUDI_RETURN_IF_ERROR(db->Warm());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace doudi::db
