#include "db/backup.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <thread>
#include <vector>

#include "db/db.h"

extern char** environ;

namespace doudi::db {
namespace {

namespace fs = std::filesystem;

Status Failed(std::string code, std::string message, std::string detail) {
  Status s(Code::kInternal, code, std::move(message));
  if (!detail.empty()) s.add_detail({"detail", code, std::move(detail)});
  return s;
}

std::string TempPathFor(const std::string& path) {
  return path + ".tmp-" + std::to_string(getpid());
}

// fsync of a file, then of its directory so that a rename into it is durable too.
Status SyncFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || fsync(fd) != 0) {
    std::string err = std::strerror(errno);
    if (fd >= 0) close(fd);
    return Failed("db.backup.io", "无法写入文件：" + path, err);
  }
  close(fd);
  return Status::Ok();
}

void SyncDir(const std::string& file) {
  std::string dir = fs::path(file).parent_path().string();
  int fd = open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

Status RenameInto(const std::string& tmp, const std::string& path) {
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string err = std::strerror(errno);
    std::remove(tmp.c_str());
    return Failed("db.backup.io", "无法写入文件：" + path, err);
  }
  SyncDir(path);
  return Status::Ok();
}

// ---- SQLite ---------------------------------------------------------------------------------------------

struct SqliteHandle {
  sqlite3* h = nullptr;
  ~SqliteHandle() { sqlite3_close_v2(h); }
};

Status SqliteOpen(const std::string& path, int flags, SqliteHandle* out) {
  int rc = sqlite3_open_v2(path.c_str(), &out->h, flags, nullptr);
  if (rc != SQLITE_OK) {
    return Failed("db.backup.open", "无法打开数据库文件：" + path, out->h ? sqlite3_errmsg(out->h) : "");
  }
  sqlite3_busy_timeout(out->h, 5000);
  return Status::Ok();
}

// PRAGMA integrity_check answers one row "ok", or rows describing the damage.
Status SqliteIntegrity(sqlite3* h, const std::string& path) {
  sqlite3_stmt* st = nullptr;
  std::string result;
  if (sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK) {
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      if (!result.empty()) result += "; ";
      result += reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    if (rc != SQLITE_DONE) result = sqlite3_errmsg(h);
  } else {
    result = sqlite3_errmsg(h);
  }
  sqlite3_finalize(st);
  if (result == "ok") return Status::Ok();
  return Failed("db.backup.corrupt", "数据库文件已损坏或不是 SQLite 数据库：" + path, result);
}

// Copies database src (one consistent snapshot) into a new file dst_path, checked and fsynced.
Status SqliteCopy(sqlite3* src, const std::string& dst_path) {
  std::remove(dst_path.c_str());
  SqliteHandle dst;
  DOUDI_RETURN_IF_ERROR(SqliteOpen(dst_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dst));
  sqlite3_backup* b = sqlite3_backup_init(dst.h, "main", src, "main");
  if (!b) return Failed("db.backup.failed", "数据库备份失败", sqlite3_errmsg(dst.h));
  // All pages in one step: a single read transaction, so the copy is one snapshot even while others write.
  int rc;
  for (int tries = 0;; ++tries) {
    rc = sqlite3_backup_step(b, -1);
    if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || tries >= 100) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    std::string err = sqlite3_errstr(rc);
    std::remove(dst_path.c_str());
    return Failed("db.backup.failed", "数据库备份失败", err);
  }
  Status s = Status::Ok();
  char* err = nullptr;
  // A single file, whatever the source's journal mode.
  if (sqlite3_exec(dst.h, "PRAGMA journal_mode=DELETE", nullptr, nullptr, &err) != SQLITE_OK) {
    s = Failed("db.backup.failed", "数据库备份失败", err ? err : "");
    sqlite3_free(err);
  }
  if (s.ok()) s = SqliteIntegrity(dst.h, dst_path);
  sqlite3_close_v2(dst.h);
  dst.h = nullptr;
  if (s.ok()) s = SyncFile(dst_path);
  if (!s.ok()) std::remove(dst_path.c_str());
  return s;
}

Status SqliteBackup(const std::string& path, const std::string& out_path) {
  if (!fs::exists(path)) return Status::NotFound("db.backup.source", "数据库文件不存在：" + path);
  SqliteHandle src;
  // Read-write without CREATE: a read-only handle could not open a WAL database whose -shm is missing.
  DOUDI_RETURN_IF_ERROR(SqliteOpen(path, SQLITE_OPEN_READWRITE, &src));
  std::string tmp = TempPathFor(out_path);
  DOUDI_RETURN_IF_ERROR(SqliteCopy(src.h, tmp));
  return RenameInto(tmp, out_path);
}

Status SqliteRestore(const std::string& path, const std::string& in_path) {
  if (!fs::exists(in_path)) return Status::NotFound("db.restore.source", "备份文件不存在：" + in_path);
  SqliteHandle src;
  DOUDI_RETURN_IF_ERROR(SqliteOpen(in_path, SQLITE_OPEN_READONLY, &src));
  DOUDI_RETURN_IF_ERROR(SqliteIntegrity(src.h, in_path));
  std::string tmp = TempPathFor(path);
  DOUDI_RETURN_IF_ERROR(SqliteCopy(src.h, tmp));
  // A -wal left beside the old file would be replayed onto the new one: remove it before the rename.
  std::remove((path + "-wal").c_str());
  std::remove((path + "-shm").c_str());
  std::remove((path + "-journal").c_str());
  return RenameInto(tmp, path);
}

// ---- PostgreSQL -----------------------------------------------------------------------------------------

std::string FindTool(const std::string& name) {
  std::string pinned = "/usr/lib/postgresql/15/bin/" + name;
  if (access(pinned.c_str(), X_OK) == 0) return pinned;
  const char* path = std::getenv("PATH");
  std::string_view rest = path ? path : "/usr/bin:/bin";
  while (!rest.empty()) {
    size_t colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// The URL as a libpq key=value string without its password, the password, and the schema a
// `-csearch_path=NAME` option pins (empty when none).
struct PgTarget {
  std::string conninfo;
  std::string password;
  std::string schema;
};

std::string QuoteConninfo(std::string_view v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string PinnedSchema(std::string_view options) {
  size_t at = options.find("search_path=");
  if (at == std::string_view::npos) return "";
  std::string_view v = options.substr(at + 12);
  size_t end = 0;
  while (end < v.size() && ((v[end] >= 'a' && v[end] <= 'z') || (v[end] >= '0' && v[end] <= '9') || v[end] == '_')) {
    ++end;
  }
  // Only a single plain identifier; a list of schemas means the whole database.
  if (end == 0 || (end < v.size() && v[end] != ' ')) return "";
  return std::string(v.substr(0, end));
}

Result<PgTarget> ParsePgUrl(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (!opts) {
    std::string msg = err ? err : "";
    PQfreemem(err);
    return Status::Invalid("db.url", "PostgreSQL 数据库地址无法解析：" + msg);
  }
  PgTarget t;
  for (auto* o = opts; o->keyword; ++o) {
    if (!o->val || !*o->val) continue;
    std::string_view k(o->keyword);
    if (k == "password") {
      t.password = o->val;
      continue;
    }
    if (k == "options") t.schema = PinnedSchema(o->val);
    if (!t.conninfo.empty()) t.conninfo += ' ';
    t.conninfo += std::string(k) + "=" + QuoteConninfo(o->val);
  }
  PQconninfoFree(opts);
  return t;
}

// Runs a tool to completion; returns its exit code (or -1) and the end of its stderr in *err.
int RunTool(const std::vector<std::string>& argv, const std::string& password, std::string* err) {
  std::vector<std::string> env_store;
  for (char** e = environ; *e; ++e) {
    if (password.empty() || std::strncmp(*e, "PGPASSWORD=", 11) != 0) env_store.emplace_back(*e);
  }
  if (!password.empty()) env_store.push_back("PGPASSWORD=" + password);
  std::vector<char*> envp;
  for (auto& s : env_store) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args_store(argv);
  std::vector<char*> args;
  for (auto& s : args_store) args.push_back(s.data());
  args.push_back(nullptr);

  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) {
    *err = std::strerror(errno);
    return -1;
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  close(pipefd[1]);
  if (rc != 0) {
    close(pipefd[0]);
    *err = args_store[0] + ": " + std::strerror(rc);
    return -1;
  }
  char buf[4096];
  ssize_t n;
  while ((n = read(pipefd[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) err->append(buf, static_cast<size_t>(n));
    if (err->size() > 16384) err->erase(0, err->size() - 8192);  // keep the end, where the error is
  }
  close(pipefd[0]);
  while (!err->empty() && (err->back() == '\n' || err->back() == ' ')) err->pop_back();
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Status CheckDump(const std::string& pg_restore, const std::string& path) {
  std::string err;
  if (RunTool({pg_restore, "--list", path}, "", &err) != 0) {
    return Failed("db.restore.invalid", "备份文件无法读取（不是 pg_dump 自定义格式或已损坏）：" + path, err);
  }
  return Status::Ok();
}

Status PgBackup(const std::string& url, const std::string& out_path) {
  DOUDI_ASSIGN_OR_RETURN(PgTarget t, ParsePgUrl(url));
  std::string pg_dump = FindTool("pg_dump");
  std::string pg_restore = FindTool("pg_restore");
  if (pg_dump.empty() || pg_restore.empty()) {
    return Status::Unavailable("db.backup.tool", "找不到 pg_dump / pg_restore，请安装 postgresql-client-15");
  }
  std::string tmp = TempPathFor(out_path);
  std::vector<std::string> argv = {pg_dump, "--format=custom", "--no-password", "--file=" + tmp};
  if (!t.schema.empty()) argv.push_back("--schema=" + t.schema);
  argv.push_back("--dbname=" + t.conninfo);
  std::string err;
  if (RunTool(argv, t.password, &err) != 0) {
    std::remove(tmp.c_str());
    return Failed("db.backup.failed", "数据库备份失败（pg_dump）", err);
  }
  Status s = CheckDump(pg_restore, tmp);
  if (s.ok()) s = SyncFile(tmp);
  if (!s.ok()) {
    std::remove(tmp.c_str());
    return s;
  }
  return RenameInto(tmp, out_path);
}

Status PgRestore(const std::string& url, const std::string& in_path) {
  DOUDI_ASSIGN_OR_RETURN(PgTarget t, ParsePgUrl(url));
  if (!fs::exists(in_path)) return Status::NotFound("db.restore.source", "备份文件不存在：" + in_path);
  std::string pg_restore = FindTool("pg_restore");
  if (pg_restore.empty()) {
    return Status::Unavailable("db.backup.tool", "找不到 pg_restore，请安装 postgresql-client-15");
  }
  DOUDI_RETURN_IF_ERROR(CheckDump(pg_restore, in_path));
  std::string err;
  int rc = RunTool({pg_restore, "--clean", "--if-exists", "--single-transaction", "--no-owner", "--no-password",
                    "--dbname=" + t.conninfo, in_path},
                   t.password, &err);
  if (rc != 0) return Failed("db.restore.failed", "数据库恢复失败（pg_restore），数据库未被改动", err);
  return Status::Ok();
}

}  // namespace

Status Backup(std::string_view db_url, const std::string& out_path) {
  if (db_url.starts_with("sqlite:")) return SqliteBackup(std::string(db_url.substr(7)), out_path);
  if (db_url.starts_with("postgresql://") || db_url.starts_with("postgres://")) {
    return PgBackup(std::string(db_url), out_path);
  }
  return Status::Invalid("db.url", "数据库地址应为 sqlite:路径 或 postgresql://...");
}

Status Restore(std::string_view db_url, const std::string& in_path) {
  if (db_url.starts_with("sqlite:")) return SqliteRestore(std::string(db_url.substr(7)), in_path);
  if (db_url.starts_with("postgresql://") || db_url.starts_with("postgres://")) {
    return PgRestore(std::string(db_url), in_path);
  }
  return Status::Invalid("db.url", "数据库地址应为 sqlite:路径 或 postgresql://...");
}

}  // namespace doudi::db
