#include "db/testing.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "db/migrate.h"

namespace doudi::db {
namespace {

std::string PgBaseUrl() {
  const char* url = std::getenv("DOUDI_TEST_PG_URL");
  return url ? url : "";
}

std::string RandomHex(int digits) {
  std::random_device rd;
  std::mt19937_64 gen((static_cast<uint64_t>(rd()) << 32) ^ rd());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < digits; ++i) out += kHex[gen() % 16];
  return out;
}

}  // namespace

TestDatabase::~TestDatabase() {
  db_.reset();  // close every connection before the storage goes
  if (admin_) {
    Status s = admin_->Write([&](Conn& c) { return c.ExecScript("DROP SCHEMA IF EXISTS " + location_ + " CASCADE"); });
    if (!s.ok()) std::fprintf(stderr, "TestDatabase: could not drop schema %s: %s\n", location_.c_str(),
                              s.ToString().c_str());
  }
  if (!temp_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(temp_dir_, ec);
  }
}

bool PostgresTestConfigured() { return !PgBaseUrl().empty(); }

std::vector<Dialect> TestDialects() { return {Dialect::kSqlite, Dialect::kPostgres}; }

std::string DialectName(Dialect dialect) { return dialect == Dialect::kPostgres ? "postgres" : "sqlite"; }

Result<std::unique_ptr<TestDatabase>> CreateTestDatabase(Dialect dialect, const Options& options) {
  std::unique_ptr<TestDatabase> t(new TestDatabase());
  if (dialect == Dialect::kSqlite) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/doudi-test-XXXXXX";
    if (!mkdtemp(pattern.data())) return Status::Internal("cannot create a temporary directory: " + pattern);
    t->temp_dir_ = pattern;
    t->location_ = pattern + "/test.db";
    t->url_ = "sqlite:" + t->location_;
  } else {
    std::string base = PgBaseUrl();
    if (base.empty()) return std::unique_ptr<TestDatabase>();
    DOUDI_ASSIGN_OR_RETURN(t->admin_, Database::Open(base, Options{.readers = 1}));
    t->location_ = "t_" + std::to_string(getpid()) + "_" + RandomHex(10);
    DOUDI_RETURN_IF_ERROR(t->admin_->Write([&](Conn& c) { return c.ExecScript("CREATE SCHEMA " + t->location_); }));
    // %3D is '=': the value of the options parameter is "-csearch_path=<schema>".
    t->url_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + t->location_;
  }
  DOUDI_ASSIGN_OR_RETURN(t->db_, Database::Open(t->url_, options));
  return t;
}

Result<std::unique_ptr<Database>> OpenTestDatabase(Dialect dialect, const Options& options) {
  DOUDI_ASSIGN_OR_RETURN(auto t, CreateTestDatabase(dialect, options));
  return std::unique_ptr<Database>(std::move(t));
}

Result<std::unique_ptr<Database>> OpenMigratedTestDatabase(Dialect dialect, const Options& options) {
  DOUDI_ASSIGN_OR_RETURN(auto db, OpenTestDatabase(dialect, options));
  if (db) DOUDI_RETURN_IF_ERROR(Migrate(*db));
  return db;
}

}  // namespace doudi::db
