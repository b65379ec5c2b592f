// Test databases: a fresh, empty database for one test, on SQLite or PostgreSQL, removed when it is destroyed.
//
// SQLite: a new file in a new temporary directory (under $TMPDIR, else /tmp), deleted with the directory.
// PostgreSQL: a new schema t_<pid>_<random> in the database named by DOUDI_TEST_PG_URL (which `make test`
// sets from scripts/pg-test-server), reached through `options=-csearch_path=<schema>` so that unqualified
// table names — all of Doudi's SQL — land in it; the schema is dropped (CASCADE) on destruction. Tests of
// every module share that database at the same time, and the schema keeps them apart. When
// DOUDI_TEST_PG_URL is not set, the PostgreSQL variant yields a null pointer: skip the test.
//
//   class StoreTest : public ::testing::TestWithParam<db::Dialect> {
//    protected:
//     void SetUp() override {
//       auto opened = db::OpenMigratedTestDatabase(GetParam());
//       ASSERT_TRUE(opened.ok()) << opened.status().ToString();
//       db_ = std::move(*opened);
//       if (!db_) GTEST_SKIP() << db::kPostgresSkipMessage;
//     }
//     std::unique_ptr<db::Database> db_;
//   };
//   INSTANTIATE_TEST_SUITE_P(Db, StoreTest, ::testing::ValuesIn(db::TestDialects()),
//                            [](const auto& info) { return db::DialectName(info.param); });
//
// This file is part of the db library (not only of db_test) so that every module's tests can use it.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "db/db.h"

namespace doudi::db {

inline constexpr char kPostgresSkipMessage[] =
    "PostgreSQL test skipped: DOUDI_TEST_PG_URL is not set (make test sets it; or run "
    "scripts/pg-test-server start && export DOUDI_TEST_PG_URL=$(scripts/pg-test-server url))";

// A Database that owns its storage: destroying it closes the connections, then deletes the file or schema.
class TestDatabase final : public Database {
 public:
  ~TestDatabase() override;

  // The URL that opens this same database again (Database::Open, Backup, a child process ...).
  const std::string& url() const { return url_; }
  // SQLite: the file's path; PostgreSQL: the schema's name.
  const std::string& location() const { return location_; }

  Dialect dialect() const override { return db_->dialect(); }
  Status Read(const std::function<Status(Conn&)>& fn) override { return db_->Read(fn); }
  Status Write(const std::function<Status(Conn&)>& fn) override { return db_->Write(fn); }
  std::string Describe() const override { return db_->Describe(); }

 private:
  friend Result<std::unique_ptr<TestDatabase>> CreateTestDatabase(Dialect, const Options&);
  TestDatabase() = default;

  std::unique_ptr<Database> db_;
  std::unique_ptr<Database> admin_;  // PostgreSQL: the connection that created and will drop the schema
  std::string url_;
  std::string location_;
  std::string temp_dir_;  // SQLite
};

// True when DOUDI_TEST_PG_URL is set and not empty.
bool PostgresTestConfigured();

// The dialects the tests should cover: always SQLite; PostgreSQL too (it is skipped when not configured, so
// that a missing server shows as skipped tests rather than as nothing).
std::vector<Dialect> TestDialects();

// "sqlite" / "postgres", for test names.
std::string DialectName(Dialect dialect);
// Lets GoogleTest print a Dialect parameter by name.
inline void PrintTo(Dialect dialect, std::ostream* os) { *os << DialectName(dialect); }

// A fresh empty database; null (and ok) for PostgreSQL when DOUDI_TEST_PG_URL is not set.
Result<std::unique_ptr<TestDatabase>> CreateTestDatabase(Dialect dialect, const Options& options = {});
Result<std::unique_ptr<Database>> OpenTestDatabase(Dialect dialect, const Options& options = {});
// The same, with every embedded migration applied (db::Migrate).
Result<std::unique_ptr<Database>> OpenMigratedTestDatabase(Dialect dialect, const Options& options = {});

}  // namespace doudi::db
