// The storage contract of db.h, checked on both drivers: SQLite always, PostgreSQL when DOUDI_TEST_PG_URL is set.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <future>
#include <limits>
#include <set>
#include <thread>
#include <tuple>

#include "db/db.h"
#include "db/migrate.h"
#include "db/postgres.h"
#include "db/testing.h"

namespace doudi::db {
namespace {

using namespace std::chrono_literals;

class DriverTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    auto r = CreateTestDatabase(GetParam());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    db_ = std::move(*r);
    if (!db_) GTEST_SKIP() << kPostgresSkipMessage;
  }

  void Script(const std::string& sql) {
    auto hooked = ApplyDialect(sql, db_->dialect());
    ASSERT_TRUE(hooked.ok()) << hooked.status().ToString();
    Status s = db_->Write([&](Conn& c) { return c.ExecScript(*hooked); });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  int64_t Count(const std::string& table) {
    int64_t n = -1;
    Status s = db_->Read([&](Conn& c) -> Status {
      DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT count(*) FROM " + table));
      n = rows[0].Int(0);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return n;
  }

  std::unique_ptr<TestDatabase> db_;
};

TEST_P(DriverTest, ValuesRoundTripExactly) {
  Script("CREATE TABLE v (id INTEGER PRIMARY KEY, i BIGINT, d DOUBLE PRECISION, t TEXT, n BIGINT)");
  const int64_t kMin = std::numeric_limits<int64_t>::min();
  const int64_t kMax = std::numeric_limits<int64_t>::max();
  const std::string kText = "兜底 荆州市社会救助服务中心 ‘引号’ 'single' \"double\" \\ back\nnew line 𠀀";
  struct Case {
    int64_t i;
    double d;
  };
  const Case cases[] = {{kMin, 0.1}, {kMax, -1e300}, {0, 3.141592653589793}, {-1, 5e-324}};
  ASSERT_TRUE(db_->Write([&](Conn& c) -> Status {
                  for (size_t k = 0; k < std::size(cases); ++k) {
                    DOUDI_RETURN_IF_ERROR(c.Exec("INSERT INTO v (id, i, d, t, n) VALUES ($1, $2, $3, $4, $5)",
                                                 {static_cast<int>(k), static_cast<long long>(cases[k].i),
                                                  cases[k].d, kText, nullptr})
                                              .status());
                  }
                  return Status::Ok();
                }).ok());
  Rows rows;
  ASSERT_TRUE(db_->Read([&](Conn& c) -> Status {
                  DOUDI_ASSIGN_OR_RETURN(rows, c.Query("SELECT id, i, d, t, n FROM v ORDER BY id"));
                  return Status::Ok();
                }).ok());
  ASSERT_EQ(rows.size(), std::size(cases));
  EXPECT_EQ(rows.columns(), (std::vector<std::string>{"id", "i", "d", "t", "n"}));
  for (size_t k = 0; k < std::size(cases); ++k) {
    const Row& r = rows[k];
    ASSERT_TRUE(r[1].is_int());
    EXPECT_EQ(r.Int(1), cases[k].i);
    ASSERT_TRUE(r[2].is_real());
    EXPECT_EQ(r[2].as_real(), cases[k].d);  // bit-exact, not approximately
    ASSERT_TRUE(r[3].is_text());
    EXPECT_EQ(r.Text(3), kText);
    EXPECT_TRUE(r.IsNull(4));
    EXPECT_TRUE(r["n"].is_null());
  }
}

TEST_P(DriverTest, PlaceholdersBindByNumberNotPosition) {
  Script("CREATE TABLE p (a TEXT, b TEXT)");
  ASSERT_TRUE(db_->Write([&](Conn& c) {
                  return c.Exec("INSERT INTO p (a, b) VALUES ($2, $1)", {"first", "second"}).status();
                }).ok());
  Rows rows;
  ASSERT_TRUE(db_->Read([&](Conn& c) -> Status {
                  // $1 used twice, and a third parameter the statement does not use.
                  DOUDI_ASSIGN_OR_RETURN(rows, c.Query("SELECT a, b FROM p WHERE a = $1 OR b = $1", {"second", "x", 7}));
                  return Status::Ok();
                }).ok());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), "second");
  EXPECT_EQ(rows[0].Text(1), "first");
  // The same statement again (prepared once per connection) with other values, numbers out of order.
  for (auto [a, b, want] : {std::tuple("second", "first", 1), std::tuple("first", "second", 0)}) {
    ASSERT_TRUE(db_->Read([&](Conn& c) -> Status {
                    DOUDI_ASSIGN_OR_RETURN(rows, c.Query("SELECT a FROM p WHERE b = $2 AND a = $1", {a, b}));
                    return Status::Ok();
                  }).ok());
    EXPECT_EQ(rows.size(), static_cast<size_t>(want)) << a;
  }
  if (db_->dialect() == Dialect::kSqlite) {  // PostgreSQL refuses a statement that skips a number
    ASSERT_TRUE(db_->Read([&](Conn& c) -> Status {
                    DOUDI_ASSIGN_OR_RETURN(rows, c.Query("SELECT $3, $1", {"one", "two", "three"}));
                    return Status::Ok();
                  }).ok());
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].Text(0), "three");
    EXPECT_EQ(rows[0].Text(1), "one");
  }
}

TEST_P(DriverTest, ExecCountsChangedRows) {
  Script("CREATE TABLE c (k INTEGER, x INTEGER); INSERT INTO c VALUES (1, 0), (2, 0), (3, 0), (4, 0), (5, 0)");
  int64_t changed = -1;
  ASSERT_TRUE(db_->Write([&](Conn& c) -> Status {
                  DOUDI_ASSIGN_OR_RETURN(changed, c.Exec("UPDATE c SET x = 1 WHERE k > $1", {2}));
                  return Status::Ok();
                }).ok());
  EXPECT_EQ(changed, 3);
}

TEST_P(DriverTest, AggregatesAndBooleansReadAsIntegers) {
  Script("CREATE TABLE m (fen BIGINT); INSERT INTO m VALUES (150), (250), (9007199254740993)");
  Rows rows;
  ASSERT_TRUE(db_->Read([&](Conn& c) -> Status {
                  DOUDI_ASSIGN_OR_RETURN(rows, c.Query("SELECT sum(fen), count(*), 1 = 1, 1 = 2, "
                                                       "CAST(1.5 AS NUMERIC) FROM m"));
                  return Status::Ok();
                }).ok());
  // 150 + 250 + 2^53 + 1: a double would lose the final 1.
  ASSERT_TRUE(rows[0][0].is_int());
  EXPECT_EQ(rows[0].Int(0), 9007199254741393);
  ASSERT_TRUE(rows[0][1].is_int());
  EXPECT_EQ(rows[0].Int(1), 3);
  ASSERT_TRUE(rows[0][2].is_int());
  EXPECT_EQ(rows[0].Int(2), 1);
  EXPECT_EQ(rows[0].Int(3), 0);
  ASSERT_TRUE(rows[0][4].is_real());
  EXPECT_EQ(rows[0][4].as_real(), 1.5);
}

TEST_P(DriverTest, BlobColumnsKeepEveryByte) {
  Script("CREATE TABLE b (id INTEGER, data {{BLOB}})");
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);  // includes NUL and invalid UTF-8
  ASSERT_TRUE(db_->Write([&](Conn& c) { return c.Exec("INSERT INTO b VALUES (1, $1)", {bytes}).status(); }).ok());
  std::string back;
  ASSERT_TRUE(db_->Read([&](Conn& c) -> Status {
                  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT data FROM b WHERE id = 1"));
                  back = rows[0].Text(0);
                  return Status::Ok();
                }).ok());
  EXPECT_EQ(back.size(), 256u);
  EXPECT_EQ(back, bytes);
}

TEST_P(DriverTest, WriteRollsBackWhenTheCallbackFails) {
  Script("CREATE TABLE r (k INTEGER)");
  Status s = db_->Write([&](Conn& c) -> Status {
    for (int k = 0; k < 3; ++k) DOUDI_RETURN_IF_ERROR(c.Exec("INSERT INTO r VALUES ($1)", {k}).status());
    return Status::Invalid("test.stop", "停止");
  });
  EXPECT_EQ(s.error_code(), "test.stop");  // the callback's own status comes back
  EXPECT_EQ(Count("r"), 0);
}

TEST_P(DriverTest, WriteRollsBackWhenAStatementFails) {
  Script("CREATE TABLE r (k INTEGER PRIMARY KEY)");
  Status s = db_->Write([&](Conn& c) -> Status {
    DOUDI_RETURN_IF_ERROR(c.Exec("INSERT INTO r VALUES (1)").status());
    DOUDI_RETURN_IF_ERROR(c.Exec("INSERT INTO r VALUES (2)").status());
    return c.Exec("INSERT INTO no_such_table VALUES (3)").status();
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kInternal);
  EXPECT_EQ(s.error_code(), "db.error");
  EXPECT_EQ(Count("r"), 0);
}

TEST_P(DriverTest, UniqueViolationIsAConflict) {
  Script("CREATE TABLE u (id_hash TEXT UNIQUE, name TEXT)");
  ASSERT_TRUE(db_->Write([&](Conn& c) {
                  return c.Exec("INSERT INTO u VALUES ($1, $2)", {"h1", "张三"}).status();
                }).ok());
  Status s = db_->Write([&](Conn& c) { return c.Exec("INSERT INTO u VALUES ($1, $2)", {"h1", "李四"}).status(); });
  EXPECT_EQ(s.code(), Code::kConflict);
  EXPECT_EQ(s.error_code(), "db.unique");
  EXPECT_EQ(s.message().rfind("数据重复：", 0), 0u) << s.message();
  EXPECT_EQ(Count("u"), 1);
}

TEST_P(DriverTest, OptimisticLockDetectsALostUpdate) {
  Script("CREATE TABLE rec (id INTEGER PRIMARY KEY, name TEXT, version INTEGER NOT NULL);"
         "INSERT INTO rec VALUES (1, '原名', 1)");
  // Two caseworkers load version 1, then both save.
  auto save = [&](const std::string& name, int64_t version) {
    return db_->Write([&](Conn& c) -> Status {
      DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("UPDATE rec SET name = $1, version = version + 1 "
                                                "WHERE id = $2 AND version = $3 RETURNING version",
                                                {name, 1, static_cast<long long>(version)}));
      if (rows.empty()) return VersionConflict();
      EXPECT_EQ(rows[0].Int(0), version + 1);
      return Status::Ok();
    });
  };
  EXPECT_TRUE(save("甲的修改", 1).ok());
  Status second = save("乙的修改", 1);
  EXPECT_EQ(second.code(), Code::kConflict);
  EXPECT_EQ(second.error_code(), "version_conflict");
  ASSERT_TRUE(db_->Read([&](Conn& c) -> Status {
                  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT name, version FROM rec WHERE id = 1"));
                  EXPECT_EQ(rows[0].Text(0), "甲的修改");
                  EXPECT_EQ(rows[0].Int(1), 2);
                  return Status::Ok();
                }).ok());
}

TEST_P(DriverTest, ReadersRunWhileAWriteIsOpenAndSeeOnlyCommittedRows) {
  Script("CREATE TABLE w (k INTEGER)");
  std::promise<void> inserted, checked;
  auto checked_f = checked.get_future();
  std::thread writer([&] {
    Status s = db_->Write([&](Conn& c) -> Status {
      DOUDI_RETURN_IF_ERROR(c.Exec("INSERT INTO w VALUES (1)").status());
      inserted.set_value();
      // Hold the transaction open until the reader has looked (bounded, so a bug cannot hang the test).
      checked_f.wait_for(10s);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
  });
  inserted.get_future().wait();
  auto reader = std::async(std::launch::async, [&] { return Count("w"); });
  ASSERT_EQ(reader.wait_for(5s), std::future_status::ready) << "a reader blocked behind the open write";
  EXPECT_EQ(reader.get(), 0);
  checked.set_value();
  writer.join();
  EXPECT_EQ(Count("w"), 1);
}

TEST_P(DriverTest, ReadSeesOneSnapshot) {
  Script("CREATE TABLE s (k INTEGER); INSERT INTO s VALUES (1)");
  int64_t before = -1, after = -1;
  ASSERT_TRUE(db_->Read([&](Conn& c) -> Status {
                  DOUDI_ASSIGN_OR_RETURN(auto a, c.Query("SELECT count(*) FROM s"));
                  before = a[0].Int(0);
                  // A write commits from another thread in the middle of this read.
                  std::thread t([&] {
                    EXPECT_TRUE(db_->Write([](Conn& w) { return w.Exec("INSERT INTO s VALUES (2)").status(); }).ok());
                  });
                  t.join();
                  DOUDI_ASSIGN_OR_RETURN(auto b, c.Query("SELECT count(*) FROM s"));
                  after = b[0].Int(0);
                  return Status::Ok();
                }).ok());
  EXPECT_EQ(before, 1);
  EXPECT_EQ(after, 1);
  EXPECT_EQ(Count("s"), 2);
}

TEST_P(DriverTest, ReadCannotWrite) {
  Script("CREATE TABLE ro (k INTEGER)");
  Status s = db_->Read([](Conn& c) { return c.Exec("INSERT INTO ro VALUES (1)").status(); });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(Count("ro"), 0);
}

TEST_P(DriverTest, ManyThreadsShareThePool) {
  Script("CREATE TABLE n (k INTEGER)");
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        EXPECT_TRUE(db_->Write([&](Conn& c) { return c.Exec("INSERT INTO n VALUES ($1)", {t * 100 + i}).status(); })
                        .ok());
        EXPECT_GE(Count("n"), 1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(Count("n"), 120);
}

INSTANTIATE_TEST_SUITE_P(Db, DriverTest, ::testing::ValuesIn(TestDialects()),
                         [](const auto& info) { return DialectName(info.param); });

// ---- PostgreSQL only ------------------------------------------------------------------------------------

TEST(PostgresTest, DescribeNeverShowsThePassword) {
  EXPECT_EQ(DescribePostgresUrl("postgresql://app:s3cret@db.example:6432/doudi"), "postgresql://app@db.example:6432/doudi");
  EXPECT_EQ(DescribePostgresUrl("postgresql://app@db.example/doudi?password=s3cret&sslmode=require"),
            "postgresql://app@db.example/doudi");
  EXPECT_EQ(DescribePostgresUrl("postgresql://app:s3cret@[bad"), "postgresql://(地址无法解析)");
}

TEST(PostgresTest, UnreachableServerIsUnavailable) {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  auto db = Database::Open("postgresql://doudi_app:pw@127.0.0.1:1/doudi_test");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), Code::kUnavailable);
  EXPECT_EQ(db.status().error_code(), "db.unavailable");
  EXPECT_EQ(db.status().message(), "数据库无法连接");
  EXPECT_EQ(db.status().ToString().find("pw@"), std::string::npos);
}

TEST(PostgresTest, MalformedUrlIsInvalid) {
  auto db = Database::Open("postgresql://x@h:notaport/db?nosuchparam=1");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), Code::kInvalid);
}

class PostgresOnly : public ::testing::Test {
 protected:
  void Open(const Options& o) {
    auto r = CreateTestDatabase(Dialect::kPostgres, o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    db_ = std::move(*r);
    if (!db_) GTEST_SKIP() << kPostgresSkipMessage;
  }
  int64_t BackendPid() {
    int64_t pid = 0;
    EXPECT_TRUE(db_->Read([&](Conn& c) -> Status {
                     DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT pg_backend_pid()"));
                     pid = rows[0].Int(0);
                     return Status::Ok();
                   }).ok());
    return pid;
  }
  std::unique_ptr<TestDatabase> db_;
};

TEST_F(PostgresOnly, ABrokenConnectionIsReplaced) {
  Open(Options{.readers = 1});
  if (!db_) return;
  int64_t first = BackendPid();
  ASSERT_GT(first, 0);
  EXPECT_EQ(BackendPid(), first);  // the pool reuses its one connection
  auto admin = Database::Open(std::getenv("DOUDI_TEST_PG_URL"));
  ASSERT_TRUE(admin.ok());
  ASSERT_TRUE((*admin)->Write([&](Conn& c) {
                         return c.Query("SELECT pg_terminate_backend($1)", {static_cast<long long>(first)}).status();
                       }).ok());
  // The dead connection is noticed at BEGIN and replaced, invisibly to the caller.
  int64_t second = BackendPid();
  EXPECT_GT(second, 0);
  EXPECT_NE(second, first);
}

TEST_F(PostgresOnly, PoolNeverOpensMoreThanItsSize) {
  Open(Options{.readers = 2});
  if (!db_) return;
  std::mutex mu;
  std::set<int64_t> pids;
  std::vector<std::thread> threads;
  for (int t = 0; t < 5; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(db_->Read([&](Conn& c) -> Status {
                         DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT pg_backend_pid()"));
                         std::this_thread::sleep_for(20ms);
                         std::lock_guard lock(mu);
                         pids.insert(rows[0].Int(0));
                         return Status::Ok();
                       }).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_GE(pids.size(), 1u);
  EXPECT_LE(pids.size(), 2u);
}

TEST_F(PostgresOnly, StatementsArePreparedOncePerConnection) {
  Open(Options{.readers = 1});
  if (!db_) return;
  ASSERT_TRUE(db_->Read([&](Conn& c) -> Status {
                   for (int i = 0; i < 5; ++i) DOUDI_RETURN_IF_ERROR(c.Query("SELECT 42 AS answer").status());
                   DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT count(*) FROM pg_prepared_statements "
                                                             "WHERE statement = 'SELECT 42 AS answer'"));
                   EXPECT_EQ(rows[0].Int(0), 1);
                   return Status::Ok();
                 }).ok());
}

TEST_F(PostgresOnly, ASwallowedErrorStillRollsBack) {
  Open(Options{});
  if (!db_) return;
  ASSERT_TRUE(db_->Write([](Conn& c) { return c.ExecScript("CREATE TABLE sw (k INTEGER PRIMARY KEY)"); }).ok());
  Status s = db_->Write([](Conn& c) -> Status {
    DOUDI_RETURN_IF_ERROR(c.Exec("INSERT INTO sw VALUES (1)").status());
    (void)c.Exec("INSERT INTO sw VALUES (1)");  // fails; the callback ignores it
    return Status::Ok();
  });
  EXPECT_FALSE(s.ok());
  ASSERT_TRUE(db_->Read([](Conn& c) -> Status {
                   DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT count(*) FROM sw"));
                   EXPECT_EQ(rows[0].Int(0), 0);
                   return Status::Ok();
                 }).ok());
}

TEST_F(PostgresOnly, SessionsRunInUtc) {
  Open(Options{});
  if (!db_) return;
  ASSERT_TRUE(db_->Read([](Conn& c) -> Status {
                   DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT current_setting('TimeZone')"));
                   EXPECT_EQ(rows[0].Text(0), "UTC");
                   return Status::Ok();
                 }).ok());
}

}  // namespace
}  // namespace doudi::db
