#include "db/backup.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "db/db.h"
#include "db/testing.h"

namespace doudi::db {
namespace {

namespace fs = std::filesystem;

// For SQLite the test owns the file (a restore replaces it, so nothing may hold it open); for PostgreSQL a
// fresh schema from the test helper.
class BackupTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "doudi-backup-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    if (GetParam() == Dialect::kSqlite) {
      url_ = "sqlite:" + dir_ + "/doudi.db";
    } else {
      auto r = CreateTestDatabase(Dialect::kPostgres, Options{.readers = 2});
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      pg_ = std::move(*r);
      if (!pg_) GTEST_SKIP() << kPostgresSkipMessage;
      url_ = pg_->url();
    }
  }
  void TearDown() override {
    pg_.reset();
    fs::remove_all(dir_);
  }

  std::unique_ptr<Database> Open() {
    auto db = Database::Open(url_);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(*db) : nullptr;
  }

  void Write(const std::string& script) {
    auto db = Open();
    ASSERT_TRUE(db);
    Status s = db->Write([&](Conn& c) { return c.ExecScript(script); });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // Every row of table people as "id|name|fen" lines, in id order.
  std::vector<std::string> People() {
    std::vector<std::string> out;
    auto db = Open();
    if (!db) return out;
    Status s = db->Read([&](Conn& c) -> Status {
      DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id, name, fen FROM people ORDER BY id"));
      for (const auto& r : rows) {
        out.push_back(std::to_string(r.Int(0)) + "|" + (r.IsNull(1) ? "NULL" : r.Text(1)) + "|" + r[2].as_text());
      }
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  std::string dir_;
  std::string url_;
  std::unique_ptr<TestDatabase> pg_;
};

TEST_P(BackupTest, RestoreBringsBackTheBackedUpRows) {
  Write("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, fen BIGINT);"
        "INSERT INTO people VALUES (1, '张三', 9223372036854775807), (2, NULL, -5), (3, '李四', 0);");
  const std::vector<std::string> kBacked = {"1|张三|9223372036854775807", "2|NULL|-5", "3|李四|0"};
  ASSERT_EQ(People(), kBacked);
  std::string file = dir_ + "/backup.bin";
  Status s = Backup(url_, file);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_TRUE(fs::exists(file));

  Write("DELETE FROM people WHERE id = 1; UPDATE people SET name = '改过' WHERE id = 3;"
        "INSERT INTO people VALUES (4, '王五', 7);");
  ASSERT_EQ(People(), (std::vector<std::string>{"2|NULL|-5", "3|改过|0", "4|王五|7"}));

  s = Restore(url_, file);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(People(), kBacked);
}

TEST_P(BackupTest, RestoreRefusesAGarbageFileAndChangesNothing) {
  Write("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, fen BIGINT);"
        "INSERT INTO people VALUES (1, '张三', 1);");
  std::string file = dir_ + "/garbage.bin";
  {
    std::ofstream out(file, std::ios::binary);
    // Looks like neither format: not "SQLite format 3\0" nor "PGDMP".
    for (int i = 0; i < 8192; ++i) out.put(static_cast<char>(i * 37 % 251));
  }
  Status s = Restore(url_, file);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(People(), std::vector<std::string>{"1|张三|1"});
  EXPECT_FALSE(Restore(url_, dir_ + "/missing.bin").ok());
}

INSTANTIATE_TEST_SUITE_P(Db, BackupTest, ::testing::ValuesIn(TestDialects()),
                         [](const auto& info) { return DialectName(info.param); });

// ---- SQLite specifics ---------------------------------------------------------------------------------------

class SqliteBackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "doudi-backup-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

// Reads a SQLite file with the plain C API: integrity, and the batches table's invariant.
void CheckBatches(const std::string& path, int64_t* batches) {
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &h, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "ok");
  sqlite3_finalize(st);
  // Every batch was written as 10 rows in one transaction: a batch with another count is a torn transaction.
  ASSERT_EQ(sqlite3_prepare_v2(h, "SELECT count(*) FROM (SELECT batch FROM items GROUP BY batch HAVING count(*) != 10)",
                               -1, &st, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int64(st, 0), 0);
  sqlite3_finalize(st);
  ASSERT_EQ(sqlite3_prepare_v2(h, "SELECT count(DISTINCT batch) FROM items", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  *batches = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(h);
}

TEST_F(SqliteBackupTest, BacksUpALiveDatabaseAsOneSnapshot) {
  std::string url = "sqlite:" + dir_ + "/live.db";
  auto db = Database::Open(url);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Write([](Conn& c) { return c.ExecScript("CREATE TABLE items (batch INTEGER, k INTEGER)"); }).ok());
  std::atomic<bool> stop{false}, failed{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (int b = 0; !stop; ++b) {
      Status s = (*db)->Write([&](Conn& c) -> Status {
        for (int k = 0; k < 10; ++k) DOUDI_RETURN_IF_ERROR(c.Exec("INSERT INTO items VALUES ($1, $2)", {b, k}).status());
        return Status::Ok();
      });
      if (!s.ok()) {
        ADD_FAILURE() << s.ToString();
        failed = true;
        return;
      }
      ++written;
    }
  });
  while (written < 50 && !failed) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::string file = dir_ + "/live.backup";
  Status s = Backup(url, file);
  int at_backup = written;
  stop = true;
  writer.join();
  ASSERT_TRUE(s.ok()) << s.ToString();
  int64_t batches = -1;
  CheckBatches(file, &batches);
  EXPECT_GE(batches, 50);
  EXPECT_LE(batches, at_backup + 1);
  EXPECT_FALSE(fs::exists(file + "-wal"));  // one self-contained file
}

TEST_F(SqliteBackupTest, RestoreIgnoresAStaleWalOfTheOldDatabase) {
  std::string path = dir_ + "/doudi.db";
  std::string url = "sqlite:" + path;
  std::string file = dir_ + "/backup.db";
  {
    auto db = Database::Open(url);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Write([](Conn& c) {
                       return c.ExecScript("CREATE TABLE items (batch INTEGER, k INTEGER);"
                                           "INSERT INTO items VALUES (1, 0);");
                     }).ok());
    ASSERT_TRUE(Backup(url, file).ok());
    // Changes that sit only in the -wal while the connection lives; keep a copy of that -wal, as a crash
    // would have left it.
    ASSERT_TRUE((*db)->Write([](Conn& c) {
                       return c.ExecScript("DELETE FROM items; CREATE TABLE other (x INTEGER);"
                                           "INSERT INTO items VALUES (2, 0), (2, 1);");
                     }).ok());
    ASSERT_TRUE(fs::exists(path + "-wal"));
    ASSERT_GT(fs::file_size(path + "-wal"), 0u);
    fs::copy_file(path + "-wal", dir_ + "/stale-wal");
  }
  fs::copy_file(dir_ + "/stale-wal", path + "-wal", fs::copy_options::overwrite_existing);
  Status s = Restore(url, file);
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto db = Database::Open(url);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE((*db)->Read([](Conn& c) -> Status {
                     DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT batch, k FROM items ORDER BY k"));
                     EXPECT_EQ(rows.size(), 1u);
                     if (rows.size() == 1) {
                       EXPECT_EQ(rows[0].Int(0), 1);
                     }
                     DOUDI_ASSIGN_OR_RETURN(auto t, c.Query("SELECT count(*) FROM sqlite_master WHERE name = 'other'"));
                     EXPECT_EQ(t[0].Int(0), 0);
                     return Status::Ok();
                   }).ok());
}

TEST_F(SqliteBackupTest, BackupOfAMissingDatabaseFails) {
  Status s = Backup("sqlite:" + dir_ + "/none.db", dir_ + "/out.db");
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_FALSE(fs::exists(dir_ + "/none.db"));  // not created by the attempt
  EXPECT_FALSE(fs::exists(dir_ + "/out.db"));
}

}  // namespace
}  // namespace doudi::db
