#include "db/migrate.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>
#include <utility>

#include "common/embedded.h"

namespace doudi::db {
namespace {

// Any constant works; it only has to be the same for every doudi process migrating one PostgreSQL database.
constexpr int64_t kMigrationLockKey = 0x646f756469;  // "doudi"

int ModuleRank(std::string_view module) {
  static constexpr std::string_view kFirst[] = {"common", "db", "platform", "registry"};
  for (size_t i = 0; i < std::size(kFirst); ++i) {
    if (module == kFirst[i]) return static_cast<int>(i);
  }
  return static_cast<int>(std::size(kFirst));
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

// What a file name says: module, version, name, and the dialect it is limited to (if any).
struct ParsedName {
  std::string module;
  int version = 0;
  std::string name;
  std::string only;  // "", "sqlite" or "postgres"
};

Status BadName(const std::string& path) {
  return Status::Invalid("db.migration.name",
                         "迁移文件名应为 src/模块/migrations/NNN_名称[.sqlite|.postgres].sql：" + path);
}

Result<ParsedName> ParsePath(const std::string& path) {
  std::string_view p(path);
  if (!p.starts_with("src/")) return BadName(path);
  p.remove_prefix(4);
  size_t slash = p.find('/');
  if (slash == std::string_view::npos || slash == 0) return BadName(path);
  ParsedName out;
  out.module = std::string(p.substr(0, slash));
  p.remove_prefix(slash + 1);
  if (!p.starts_with("migrations/")) return BadName(path);
  p.remove_prefix(11);
  if (!p.ends_with(".sql")) return BadName(path);
  p.remove_suffix(4);
  if (p.ends_with(".sqlite")) {
    out.only = "sqlite";
    p.remove_suffix(7);
  } else if (p.ends_with(".postgres")) {
    out.only = "postgres";
    p.remove_suffix(9);
  }
  size_t digits = 0;
  while (digits < p.size() && p[digits] >= '0' && p[digits] <= '9') ++digits;
  if (digits == 0 || digits > 9 || digits + 1 >= p.size() || p[digits] != '_') return BadName(path);
  out.version = std::stoi(std::string(p.substr(0, digits)));
  out.name = std::string(p.substr(digits + 1));
  if (!std::all_of(out.name.begin(), out.name.end(), IsNameChar)) return BadName(path);
  return out;
}

std::string UtcNow() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

std::string Key(const std::string& module, int version) {
  return module + "/" + std::to_string(version);
}

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "module TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL, "
    "PRIMARY KEY (module, version))";

Status LockMigrations(Conn& c) {
  // SQLite's Write already holds the only write lock; PostgreSQL writers run concurrently, so two processes
  // migrating at once take turns on an advisory lock held until their transaction ends.
  if (c.dialect() != Dialect::kPostgres) return Status::Ok();
  // A migration may wait longer for its locks than an ordinary request (the session default).
  DOUDI_RETURN_IF_ERROR(c.ExecScript("SET LOCAL lock_timeout = '60s'"));
  return c.Query("SELECT pg_advisory_xact_lock($1)", {static_cast<long long>(kMigrationLockKey)}).status();
}

// The applied migrations as "module/version", or an empty set when the table does not exist yet.
Result<std::set<std::string>> AppliedKeys(Database& db) {
  std::set<std::string> keys;
  DOUDI_RETURN_IF_ERROR(db.Read([&](Conn& c) -> Status {
    const char* exists = c.dialect() == Dialect::kPostgres
                             ? "SELECT CAST(to_regclass('schema_migrations') IS NOT NULL AS INTEGER)"
                             : "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                               "AND name = 'schema_migrations'";
    DOUDI_ASSIGN_OR_RETURN(auto found, c.Query(exists));
    if (found.empty() || found[0].Int(0) == 0) return Status::Ok();
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT module, version FROM schema_migrations"));
    for (const auto& r : rows) keys.insert(Key(r.Text(0), static_cast<int>(r.Int(1))));
    return Status::Ok();
  }));
  return keys;
}

// The planned migrations not in applied; refuses when applied holds one the plan does not know.
Result<std::vector<Migration>> Pending(const std::vector<Migration>& plan, const std::set<std::string>& applied) {
  std::set<std::string> known;
  for (const auto& m : plan) known.insert(Key(m.module, m.version));
  std::vector<std::string> unknown;
  for (const auto& k : applied) {
    if (!known.count(k)) unknown.push_back(k);
  }
  if (!unknown.empty()) {
    std::string list;
    for (size_t i = 0; i < unknown.size() && i < 5; ++i) list += (i ? "、" : "") + unknown[i];
    if (unknown.size() > 5) list += " 等";
    return Status(Code::kConflict, "db.schema_newer",
                  "数据库的结构版本比本程序新（本程序不认识已执行的迁移 " + list +
                      "），请使用新版本的 doudi，不要用旧版本打开它");
  }
  std::vector<Migration> out;
  for (const auto& m : plan) {
    if (!applied.count(Key(m.module, m.version))) out.push_back(m);
  }
  return out;
}

Status RunOne(Database& db, const Migration& m, bool* ran) {
  *ran = false;
  DOUDI_ASSIGN_OR_RETURN(std::string sql, ApplyDialect(m.sql, db.dialect()));
  Status s = db.Write([&](Conn& c) -> Status {
    DOUDI_RETURN_IF_ERROR(LockMigrations(c));
    // Another process may have applied it since we looked.
    DOUDI_ASSIGN_OR_RETURN(auto done, c.Query("SELECT 1 FROM schema_migrations WHERE module = $1 AND version = $2",
                                              {m.module, m.version}));
    if (!done.empty()) return Status::Ok();
    DOUDI_RETURN_IF_ERROR(c.ExecScript(sql));
    DOUDI_RETURN_IF_ERROR(c.Exec("INSERT INTO schema_migrations (module, version, name, applied_at) "
                                 "VALUES ($1, $2, $3, $4)",
                                 {m.module, m.version, m.name, UtcNow()})
                              .status());
    *ran = true;
    return Status::Ok();
  });
  if (s.ok()) return s;
  if (s.code() == Code::kUnavailable) return s;  // the database, not the migration, is the problem
  Status out(Code::kInternal, "db.migration.failed", "数据库迁移失败：" + m.path);
  out.add_detail({m.path, s.error_code(), s.message()});
  for (const auto& d : s.details()) out.add_detail(d);
  return out;
}

}  // namespace

std::vector<MigrationFile> EmbeddedMigrations() {
  std::vector<MigrationFile> out;
  for (std::string_view path : EmbeddedFiles("src/")) {
    if (path.find("/migrations/") == std::string_view::npos || !path.ends_with(".sql")) continue;
    out.push_back({std::string(path), std::string(EmbeddedFile(path))});
  }
  return out;
}

Result<std::vector<Migration>> PlanMigrations(const std::vector<MigrationFile>& files, Dialect dialect) {
  std::string mine = dialect == Dialect::kPostgres ? "postgres" : "sqlite";
  std::vector<Migration> plan;
  std::map<std::string, std::string> seen;  // "module/version" -> path, to catch duplicates
  for (const auto& f : files) {
    DOUDI_ASSIGN_OR_RETURN(ParsedName n, ParsePath(f.path));
    if (!n.only.empty() && n.only != mine) continue;
    auto [it, fresh] = seen.emplace(Key(n.module, n.version), f.path);
    if (!fresh) {
      return Status::Invalid("db.migration.duplicate",
                             "迁移版本号重复：" + it->second + " 与 " + f.path + " 的模块和编号相同");
    }
    plan.push_back({n.module, n.version, n.name, f.path, f.sql});
  }
  std::sort(plan.begin(), plan.end(), [](const Migration& a, const Migration& b) {
    return std::tuple(ModuleRank(a.module), a.module, a.version) <
           std::tuple(ModuleRank(b.module), b.module, b.version);
  });
  return plan;
}

Result<std::string> ApplyDialect(std::string_view sql, Dialect dialect) {
  bool pg = dialect == Dialect::kPostgres;
  std::string out;
  out.reserve(sql.size() + 64);
  size_t i = 0;
  while (i < sql.size()) {
    size_t open = sql.find("{{", i);
    if (open == std::string_view::npos) {
      out.append(sql.substr(i));
      break;
    }
    out.append(sql.substr(i, open - i));
    size_t close = sql.find("}}", open + 2);
    if (close == std::string_view::npos) {
      return Status::Invalid("db.migration.placeholder", "迁移中的 {{ 没有配对的 }}");
    }
    std::string_view name = sql.substr(open + 2, close - open - 2);
    if (name == "ID") {
      out += pg ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";
    } else if (name == "BLOB") {
      out += pg ? "BYTEA" : "BLOB";
    } else if (name == "NOW") {
      out += pg ? "(to_char(now() at time zone 'utc', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))"
                : "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";
    } else if (name == "WITHOUT_ROWID") {
      // A table keyed by its primary key alone, stored in it (SQLite); PostgreSQL has no such clause.
      out += pg ? "" : " WITHOUT ROWID";
    } else {
      return Status::Invalid("db.migration.placeholder", "迁移中有未知的占位符 {{" + std::string(name) +
                                                             "}}（可用：{{ID}} {{BLOB}} {{NOW}} {{WITHOUT_ROWID}}）");
    }
    i = close + 2;
  }
  return out;
}

Result<std::vector<Migration>> PendingMigrations(Database& db, const std::vector<MigrationFile>& files) {
  DOUDI_ASSIGN_OR_RETURN(auto plan, PlanMigrations(files, db.dialect()));
  DOUDI_ASSIGN_OR_RETURN(auto applied, AppliedKeys(db));
  return Pending(plan, applied);
}

Status Migrate(Database& db, int* applied) { return Migrate(db, EmbeddedMigrations(), applied); }

Status Migrate(Database& db, const std::vector<MigrationFile>& files, int* applied) {
  if (applied) *applied = 0;
  DOUDI_ASSIGN_OR_RETURN(auto plan, PlanMigrations(files, db.dialect()));
  DOUDI_RETURN_IF_ERROR(db.Write([](Conn& c) -> Status {
    DOUDI_RETURN_IF_ERROR(LockMigrations(c));
    return c.ExecScript(kCreateTable);
  }));
  DOUDI_ASSIGN_OR_RETURN(auto keys, AppliedKeys(db));
  DOUDI_ASSIGN_OR_RETURN(auto pending, Pending(plan, keys));
  for (const auto& m : pending) {
    bool ran = false;
    DOUDI_RETURN_IF_ERROR(RunOne(db, m, &ran));
    if (ran && applied) ++*applied;
  }
  return Status::Ok();
}

Result<int> SchemaVersion(Database& db) {
  DOUDI_ASSIGN_OR_RETURN(auto keys, AppliedKeys(db));
  return static_cast<int>(keys.size());
}

int BinarySchemaVersion(Dialect dialect) {
  auto plan = PlanMigrations(EmbeddedMigrations(), dialect);
  return plan.ok() ? static_cast<int>(plan->size()) : 0;
}

Status CheckSchemaCurrent(Database& db) { return CheckSchemaCurrent(db, EmbeddedMigrations()); }

Status CheckSchemaCurrent(Database& db, const std::vector<MigrationFile>& files) {
  DOUDI_ASSIGN_OR_RETURN(auto pending, PendingMigrations(db, files));
  if (pending.empty()) return Status::Ok();
  return Status(Code::kUnavailable, "db.schema_old",
                "数据库结构需要升级：还有 " + std::to_string(pending.size()) +
                    " 个迁移未执行（第一个是 " + pending.front().path + "），请先运行 doudi migrate");
}

}  // namespace doudi::db
