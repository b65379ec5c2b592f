#include "db/migrate.h"

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <regex>
#include <thread>

#include "db/testing.h"

namespace doudi::db {
namespace {

// Each migration appends its tag to a log table, so the order they ran in can be read back.
std::string Log(const std::string& tag) { return "INSERT INTO run_log (tag) VALUES ('" + tag + "');"; }

std::vector<MigrationFile> OrderingFiles() {
  // Deliberately scrambled: the plan, not the input, decides the order.
  return {
      {"src/zeta/migrations/001_z.sql", Log("zeta1")},
      {"src/alpha/migrations/10_ten.sql", Log("alpha10")},
      {"src/registry/migrations/001_r.sql", Log("registry1")},
      {"src/alpha/migrations/9_nine.sql", Log("alpha9")},
      {"src/platform/migrations/001_p.sql", Log("platform1")},
      {"src/common/migrations/001_log.sql", "CREATE TABLE run_log (seq {{ID}}, tag TEXT NOT NULL);" + Log("common1")},
      {"src/registry/migrations/002_only.sqlite.sql", Log("registry2-sqlite")},
      {"src/registry/migrations/002_only.postgres.sql", Log("registry2-postgres")},
  };
}

class MigrateTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    auto r = CreateTestDatabase(GetParam());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    db_ = std::move(*r);
    if (!db_) GTEST_SKIP() << kPostgresSkipMessage;
  }

  std::vector<std::string> Tags() {
    std::vector<std::string> tags;
    EXPECT_TRUE(db_->Read([&](Conn& c) -> Status {
                     DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT tag FROM run_log ORDER BY seq"));
                     for (const auto& r : rows) tags.push_back(r.Text(0));
                     return Status::Ok();
                   }).ok());
    return tags;
  }

  bool TableExists(const std::string& name) {
    bool found = false;
    EXPECT_TRUE(db_->Read([&](Conn& c) -> Status {
                     auto rows = c.dialect() == Dialect::kPostgres
                                     ? c.Query("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() "
                                               "AND tablename = $1", {name})
                                     : c.Query("SELECT count(*) FROM sqlite_master WHERE name = $1", {name});
                     DOUDI_RETURN_IF_ERROR(rows.status());
                     found = (*rows)[0].Int(0) > 0;
                     return Status::Ok();
                   }).ok());
    return found;
  }

  std::string DialectTag() { return GetParam() == Dialect::kPostgres ? "registry2-postgres" : "registry2-sqlite"; }

  std::unique_ptr<TestDatabase> db_;
};

TEST_P(MigrateTest, RunsInModuleOrderThenByNumberOnce) {
  auto files = OrderingFiles();
  auto version = SchemaVersion(*db_);
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ(*version, 0);

  int applied = -1;
  Status s = Migrate(*db_, files, &applied);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(applied, 7);
  std::vector<std::string> expected = {"common1", "platform1", "registry1", DialectTag(),
                                       "alpha9",  "alpha10",   "zeta1"};
  EXPECT_EQ(Tags(), expected);
  EXPECT_EQ(*SchemaVersion(*db_), 7);

  // Again: nothing to do, nothing run twice.
  s = Migrate(*db_, files, &applied);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(applied, 0);
  EXPECT_EQ(Tags(), expected);
  EXPECT_TRUE(CheckSchemaCurrent(*db_, files).ok());
}

TEST_P(MigrateTest, RecordsEachMigration) {
  auto files = OrderingFiles();
  ASSERT_TRUE(Migrate(*db_, files).ok());
  ASSERT_TRUE(db_->Read([&](Conn& c) -> Status {
                   DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT module, version, name, applied_at FROM "
                                                             "schema_migrations ORDER BY module, version"));
                   EXPECT_EQ(rows.size(), 7u);
                   // alpha/9, alpha/10, common/1, platform/1, registry/1, registry/2, zeta/1
                   EXPECT_EQ(rows[0].Text(0), "alpha");
                   EXPECT_EQ(rows[0].Int(1), 9);
                   EXPECT_EQ(rows[0].Text(2), "nine");
                   EXPECT_EQ(rows[1].Int(1), 10);
                   EXPECT_EQ(rows[5].Text(0), "registry");
                   EXPECT_EQ(rows[5].Int(1), 2);
                   EXPECT_EQ(rows[5].Text(2), "only");
                   EXPECT_TRUE(std::regex_match(rows[0].Text(3),
                                                std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
                       << rows[0].Text(3);
                   return Status::Ok();
                 }).ok());
}

TEST_P(MigrateTest, NewMigrationsApplyLater) {
  auto files = OrderingFiles();
  auto older = std::vector<MigrationFile>(files.begin(), files.end());
  older.erase(older.begin());  // without zeta/001
  ASSERT_TRUE(Migrate(*db_, older).ok());
  Status pending = CheckSchemaCurrent(*db_, files);
  EXPECT_EQ(pending.error_code(), "db.schema_old");
  auto list = PendingMigrations(*db_, files);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].path, "src/zeta/migrations/001_z.sql");
  int applied = 0;
  ASSERT_TRUE(Migrate(*db_, files, &applied).ok());
  EXPECT_EQ(applied, 1);
  EXPECT_EQ(Tags().back(), "zeta1");
}

TEST_P(MigrateTest, RefusesADatabaseNewerThanTheBinary) {
  auto files = OrderingFiles();
  ASSERT_TRUE(Migrate(*db_, files).ok());
  auto older = files;
  older.erase(older.begin() + 1);  // a binary that does not know alpha/10
  int applied = -1;
  Status s = Migrate(*db_, older, &applied);
  EXPECT_EQ(s.error_code(), "db.schema_newer");
  EXPECT_NE(s.message().find("alpha/10"), std::string::npos) << s.message();
  EXPECT_EQ(applied, 0);
  EXPECT_EQ(CheckSchemaCurrent(*db_, older).error_code(), "db.schema_newer");
  EXPECT_EQ(Tags().size(), 7u);
}

TEST_P(MigrateTest, AFailingMigrationLeavesNoTrace) {
  std::vector<MigrationFile> files = {
      {"src/common/migrations/001_log.sql", "CREATE TABLE run_log (seq {{ID}}, tag TEXT NOT NULL);" + Log("one")},
      {"src/common/migrations/002_bad.sql", "CREATE TABLE half (k INTEGER);" + Log("two") +
                                                "INSERT INTO no_such_table VALUES (1);"},
      {"src/common/migrations/003_after.sql", Log("three")},
  };
  int applied = -1;
  Status s = Migrate(*db_, files, &applied);
  EXPECT_EQ(s.error_code(), "db.migration.failed");
  EXPECT_NE(s.message().find("002_bad.sql"), std::string::npos);
  EXPECT_EQ(applied, 1);
  EXPECT_FALSE(TableExists("half"));
  EXPECT_EQ(Tags(), std::vector<std::string>{"one"});
  EXPECT_EQ(*SchemaVersion(*db_), 1);

  files[1].sql = "CREATE TABLE half (k INTEGER);" + Log("two");  // fixed
  ASSERT_TRUE(Migrate(*db_, files, &applied).ok());
  EXPECT_EQ(applied, 2);
  EXPECT_EQ(Tags(), (std::vector<std::string>{"one", "two", "three"}));
}

TEST_P(MigrateTest, DialectHooksWork) {
  std::vector<MigrationFile> files = {
      {"src/common/migrations/001_hooks.sql",
       "CREATE TABLE h (id {{ID}}, data {{BLOB}}, at TEXT NOT NULL DEFAULT {{NOW}}, label TEXT);"},
  };
  ASSERT_TRUE(Migrate(*db_, files).ok());
  auto before = std::chrono::system_clock::now();
  Rows rows;
  ASSERT_TRUE(db_->Write([&](Conn& c) -> Status {
                   DOUDI_RETURN_IF_ERROR(c.Exec("INSERT INTO h (label) VALUES ('a')").status());
                   DOUDI_RETURN_IF_ERROR(c.Exec("INSERT INTO h (label) VALUES ('b')").status());
                   DOUDI_ASSIGN_OR_RETURN(rows, c.Query("SELECT id, at FROM h ORDER BY id"));
                   return Status::Ok();
                 }).ok());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].Int(0), 1);  // identity / autoincrement numbering
  EXPECT_EQ(rows[1].Int(0), 2);
  std::string at = rows[0].Text(1);
  ASSERT_TRUE(std::regex_match(at, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"))) << at;
  // The timestamp is UTC now: compare with the clock, read independently here.
  std::tm tm{};
  ASSERT_NE(strptime(at.c_str(), "%Y-%m-%dT%H:%M:%S", &tm), nullptr);
  auto stamped = std::chrono::system_clock::from_time_t(timegm(&tm));
  EXPECT_LT(std::chrono::abs(stamped - before), std::chrono::seconds(60)) << at;
}

TEST_P(MigrateTest, ConcurrentMigratorsApplyEachMigrationOnce) {
  // Two processes (here: two independent handles on the same database) run `doudi migrate` at once.
  auto files = OrderingFiles();
  auto other = Database::Open(db_->url());
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  int applied_a = -1, applied_b = -1;
  Status a, b;
  std::thread ta([&] { a = Migrate(*db_, files, &applied_a); });
  std::thread tb([&] { b = Migrate(**other, files, &applied_b); });
  ta.join();
  tb.join();
  EXPECT_TRUE(a.ok()) << a.ToString();
  EXPECT_TRUE(b.ok()) << b.ToString();
  EXPECT_EQ(applied_a + applied_b, 7);
  EXPECT_EQ(Tags().size(), 7u);
  EXPECT_EQ(*SchemaVersion(*db_), 7);
}

TEST_P(MigrateTest, EmptyDatabaseIsNotCurrent) {
  auto files = OrderingFiles();
  Status s = CheckSchemaCurrent(*db_, files);
  EXPECT_EQ(s.error_code(), "db.schema_old");
  EXPECT_NE(s.message().find("7"), std::string::npos) << s.message();
}

INSTANTIATE_TEST_SUITE_P(Db, MigrateTest, ::testing::ValuesIn(TestDialects()),
                         [](const auto& info) { return DialectName(info.param); });

// ---- plans and hooks, without a database -----------------------------------------------------------------

TEST(MigratePlanTest, RejectsBadNamesAndDuplicates) {
  for (const char* bad : {"src/x/migrations/abc.sql", "src/x/migrations/001.sql", "src/x/migrations/_a.sql",
                          "src/x/001_a.sql", "src/x/migrations/001_a b.sql", "lib/x/migrations/001_a.sql"}) {
    auto plan = PlanMigrations({{bad, "SELECT 1;"}}, Dialect::kSqlite);
    ASSERT_FALSE(plan.ok()) << bad;
    EXPECT_EQ(plan.status().error_code(), "db.migration.name") << bad;
  }
  auto dup = PlanMigrations({{"src/x/migrations/001_a.sql", ""}, {"src/x/migrations/1_b.sql", ""}}, Dialect::kSqlite);
  EXPECT_EQ(dup.status().error_code(), "db.migration.duplicate");
  // A common file and a dialect file with one number clash only on that dialect.
  std::vector<MigrationFile> mixed = {{"src/x/migrations/001_a.sql", ""}, {"src/x/migrations/001_a.postgres.sql", ""}};
  EXPECT_TRUE(PlanMigrations(mixed, Dialect::kSqlite).ok());
  EXPECT_EQ(PlanMigrations(mixed, Dialect::kPostgres).status().error_code(), "db.migration.duplicate");
}

TEST(MigratePlanTest, DialectHooksText) {
  EXPECT_EQ(*ApplyDialect("id {{ID}}, b {{BLOB}}", Dialect::kSqlite), "id INTEGER PRIMARY KEY AUTOINCREMENT, b BLOB");
  EXPECT_EQ(*ApplyDialect("id {{ID}}, b {{BLOB}}", Dialect::kPostgres),
            "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, b BYTEA");
  EXPECT_EQ(*ApplyDialect("DEFAULT {{NOW}}", Dialect::kSqlite), "DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
  EXPECT_EQ(*ApplyDialect("DEFAULT {{NOW}}", Dialect::kPostgres),
            "DEFAULT (to_char(now() at time zone 'utc', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'))");
  EXPECT_EQ(*ApplyDialect("no hooks", Dialect::kPostgres), "no hooks");
  EXPECT_EQ(*ApplyDialect("CREATE TABLE t (k TEXT PRIMARY KEY){{WITHOUT_ROWID}};", Dialect::kSqlite),
            "CREATE TABLE t (k TEXT PRIMARY KEY) WITHOUT ROWID;");
  EXPECT_EQ(*ApplyDialect("CREATE TABLE t (k TEXT PRIMARY KEY){{WITHOUT_ROWID}};", Dialect::kPostgres),
            "CREATE TABLE t (k TEXT PRIMARY KEY);");
  EXPECT_EQ(ApplyDialect("x {{UUID}}", Dialect::kSqlite).status().error_code(), "db.migration.placeholder");
  EXPECT_EQ(ApplyDialect("x {{ID", Dialect::kSqlite).status().error_code(), "db.migration.placeholder");
}

TEST(MigratePlanTest, EmbeddedMigrationsAreWellNamed) {
  // Every module's shipped files must follow the naming contract, or no binary can migrate.
  auto files = EmbeddedMigrations();
  for (Dialect d : {Dialect::kSqlite, Dialect::kPostgres}) {
    auto plan = PlanMigrations(files, d);
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    EXPECT_EQ(BinarySchemaVersion(d), static_cast<int>(plan->size()));
    for (const auto& m : *plan) EXPECT_TRUE(m.path.starts_with("src/" + m.module + "/migrations/")) << m.path;
  }
}

}  // namespace
}  // namespace doudi::db
