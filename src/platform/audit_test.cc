#include "platform/audit.h"

#include <openssl/sha.h>

#include <chrono>
#include <ctime>
#include <thread>

#include <gtest/gtest.h>

#include "db/testing.h"
#include "platform/testing.h"

namespace doudi::platform {
namespace {

const std::string kZeros(64, '0');

AuditEvent Event(const std::string& action, const std::string& object_id = "", const std::string& user = "zhang") {
  AuditEvent e;
  e.user_id = 7;
  e.username = user;
  e.role = "caseworker";
  e.ip = "10.0.0.1";
  e.action = action;
  e.object_type = "person";
  e.object_id = object_id;
  e.detail = "{\"purpose\":\"核对\"}";
  e.request_id = "req-" + object_id;
  return e;
}

// SHA-256 by OpenSSL (not the code under test) over the netstring form the header documents.
std::string IndependentHash(const AuditRow& r) {
  std::string c;
  for (const std::string& f : {r.prev_hash, r.at, std::to_string(r.user_id), r.username, r.role, r.ip, r.action,
                               r.object_type, r.object_id, r.outcome, r.detail, r.request_id}) {
    c += std::to_string(f.size()) + ":" + f + ",";
  }
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(c.data()), c.size(), d);
  char hex[65];
  for (int i = 0; i < 32; ++i) std::snprintf(hex + 2 * i, 3, "%02x", d[i]);
  return hex;
}

std::vector<AuditRow> AllRows(AuditLog& log) {
  AuditQuery q;
  q.size = 200;
  auto r = log.Search(q);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  auto rows = r->first;
  std::reverse(rows.begin(), rows.end());
  return rows;
}

Status Exec(db::Database& db, const std::string& sql) {
  return db.Write([&](db::Conn& c) { return c.ExecScript(sql); });
}

class AuditTest : public ::testing::TestWithParam<db::Dialect> {
 protected:
  void SetUp() override {
    if (GetParam() == db::Dialect::kPostgres && !db::PostgresTestConfigured()) GTEST_SKIP() << db::kPostgresSkipMessage;
    auto opened = db::OpenMigratedTestDatabase(GetParam());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    db_ = std::move(*opened);
    log_ = AuditLog::Create(*db_);
  }
  void TearDown() override { log_.reset(); }

  db::Database& db() { return *db_; }
  bool postgres() const { return GetParam() == db::Dialect::kPostgres; }
  // Removes the trigger that refuses UPDATE (and, on PostgreSQL, DELETE), as an attacker with the database
  // owner's rights could.
  void DropUpdateTrigger() {
    ASSERT_TRUE(Exec(db(), postgres() ? "DROP TRIGGER audit_log_no_update_delete ON audit_log"
                                      : "DROP TRIGGER audit_log_no_update").ok());
  }
  void DropDeleteTrigger() {
    ASSERT_TRUE(Exec(db(), postgres() ? "DROP TRIGGER audit_log_no_update_delete ON audit_log"
                                      : "DROP TRIGGER audit_log_no_delete").ok());
  }
  void AppendN(int n) {
    for (int i = 1; i <= n; ++i) ASSERT_TRUE(log_->Append(Event("registry.person.view", std::to_string(i))).ok());
  }

  std::unique_ptr<db::Database> db_;
  std::unique_ptr<AuditLog> log_;
};

TEST_P(AuditTest, RowsAreChainedAndVerify) {
  AppendN(3);
  ASSERT_TRUE(db().Write([&](db::Conn& c) { return log_->AppendIn(c, Event("registry.person.update", "4")); }).ok());
  auto rows = AllRows(*log_);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].prev_hash, kZeros);
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].hash, IndependentHash(rows[i])) << i;
    if (i > 0) {
      EXPECT_EQ(rows[i].prev_hash, rows[i - 1].hash);
    }
    EXPECT_EQ(rows[i].at.size(), 24u) << rows[i].at;  // 2024-05-01T04:30:00.123Z
  }
  EXPECT_EQ(rows[3].action, "registry.person.update");
  EXPECT_EQ(rows[3].detail, "{\"purpose\":\"核对\"}");
  auto report = log_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->rows_checked, 4);
  EXPECT_FALSE(report->first_broken_id);
}

TEST_P(AuditTest, EmptyLogVerifies) {
  auto report = log_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok);
  EXPECT_EQ(report->rows_checked, 0);
}

TEST_P(AuditTest, UpdateAndDeleteAreRefused) {
  AppendN(2);
  Status u = Exec(db(), "UPDATE audit_log SET detail = 'x' WHERE id = 1");
  EXPECT_FALSE(u.ok());
  EXPECT_NE(u.ToString().find("append-only"), std::string::npos) << u.ToString();
  Status d = Exec(db(), "DELETE FROM audit_log WHERE id = 2");
  EXPECT_FALSE(d.ok());
  EXPECT_NE(d.ToString().find("append-only"), std::string::npos) << d.ToString();
  EXPECT_EQ(AllRows(*log_).size(), 2u);
  EXPECT_TRUE(log_->Verify()->ok);
}

TEST_P(AuditTest, TamperedDetailIsFoundAtThatRow) {
  AppendN(6);
  DropUpdateTrigger();
  ASSERT_TRUE(Exec(db(), "UPDATE audit_log SET detail = 'nothing to see' WHERE id = 4").ok());
  auto report = log_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_broken_id, 4);
  EXPECT_TRUE(report->reason.starts_with("hash_mismatch")) << report->reason;
  EXPECT_EQ(report->rows_checked, 4);
}

TEST_P(AuditTest, RehashedRowIsFoundAtTheNextLink) {
  AppendN(6);
  DropUpdateTrigger();
  // A careful forger also fixes the row's own hash; the next row's link then gives it away.
  auto rows = AllRows(*log_);
  AuditRow forged = rows[2];  // id 3
  forged.detail = "forged";
  ASSERT_TRUE(db().Write([&](db::Conn& c) {
    return c.Exec("UPDATE audit_log SET detail = $1, hash = $2 WHERE id = 3", {forged.detail, IndependentHash(forged)})
        .status();
  }).ok());
  auto report = log_->Verify();
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_broken_id, 4);
  EXPECT_TRUE(report->reason.starts_with("link_mismatch")) << report->reason;
}

TEST_P(AuditTest, DeletedRowIsFoundAtTheRowAfterIt) {
  AppendN(6);
  DropDeleteTrigger();
  ASSERT_TRUE(Exec(db(), "DELETE FROM audit_log WHERE id = 3").ok());
  auto report = log_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ok);
  EXPECT_EQ(report->first_broken_id, 4);
  EXPECT_TRUE(report->reason.starts_with("link_mismatch")) << report->reason;
  EXPECT_EQ(report->rows_checked, 3);  // ids 1, 2, 4
}

TEST_P(AuditTest, ConcurrentAppendsKeepOneChain) {
  constexpr int kThreads = 8, kEach = 150;
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        if (!log_->Append(Event("registry.person.view", std::to_string(t * 1000 + i))).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%d appends from %d threads in %.3f s (%.0f/s)\n", kThreads * kEach, kThreads, secs,
              kThreads * kEach / secs);
  EXPECT_EQ(failures.load(), 0);
  auto report = log_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->reason;
  EXPECT_EQ(report->rows_checked, kThreads * kEach);
}

TEST_P(AuditTest, AppendAndAppendInInterleaveLinearly) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        if (!log_->Append(Event("a", std::to_string(t * 100 + i))).ok()) ++failures;
      }
    });
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        Status s = db().Write([&](db::Conn& c) { return log_->AppendIn(c, Event("b", std::to_string(t * 100 + i))); });
        if (!s.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto report = log_->Verify();
  EXPECT_TRUE(report->ok) << report->reason;
  EXPECT_EQ(report->rows_checked, 400);
}

TEST_P(AuditTest, AppendInRollsBackWithTheCallersTransaction) {
  AppendN(1);
  Status s = db().Write([&](db::Conn& c) -> Status {
    DOUDI_RETURN_IF_ERROR(log_->AppendIn(c, Event("registry.person.update", "9")));
    return Status::Conflict("version_conflict", "回滚");
  });
  EXPECT_EQ(s.code(), Code::kConflict);
  AppendN(1);
  auto rows = AllRows(*log_);
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& r : rows) EXPECT_NE(r.object_id, "9");
  EXPECT_TRUE(log_->Verify()->ok);
}

TEST_P(AuditTest, InvalidEventsAreRefused) {
  AuditEvent e = Event("");
  EXPECT_EQ(log_->Append(e).error_code(), "audit.event");
  e = Event("x");
  e.outcome = "maybe";
  EXPECT_EQ(log_->Append(e).error_code(), "audit.event");
  EXPECT_TRUE(AllRows(*log_).empty());
}

TEST_P(AuditTest, SearchFiltersAndPagesNewestFirst) {
  for (int i = 1; i <= 25; ++i) {
    AuditEvent e = Event(i % 5 == 0 ? "auth.login" : "registry.person.view", std::to_string(i), i % 2 ? "li" : "wang");
    if (i == 10) e.outcome = "failure";
    ASSERT_TRUE(log_->Append(e).ok());
  }
  AuditQuery q;
  q.size = 10;
  q.page = 3;
  auto r = log_->Search(q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->second, 25);
  ASSERT_EQ(r->first.size(), 5u);
  EXPECT_EQ(r->first[0].object_id, "5");  // page 3 of newest-first: 5, 4, 3, 2, 1
  EXPECT_EQ(r->first[4].object_id, "1");

  AuditQuery byAction;
  byAction.action = "auth.login";
  byAction.username = "li";  // odd i among 5, 10, 15, 20, 25
  r = log_->Search(byAction);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->second, 3);
  ASSERT_EQ(r->first.size(), 3u);
  EXPECT_EQ(r->first[0].object_id, "25");

  AuditQuery failed;
  failed.outcome = "failure";
  r = log_->Search(failed);
  ASSERT_EQ(r->second, 1);
  EXPECT_EQ(r->first[0].object_id, "10");

  AuditQuery object;
  object.object_type = "person";
  object.object_id = "7";
  EXPECT_EQ(log_->Search(object)->second, 1);
}

std::string ShanghaiDate(int days_from_today) {
  std::time_t t = std::time(nullptr) + 8 * 3600 + days_from_today * 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

TEST_P(AuditTest, SearchByShanghaiDates) {
  AppendN(3);
  AuditQuery q;
  q.from = ShanghaiDate(0);
  q.to = ShanghaiDate(0);
  EXPECT_EQ(log_->Search(q)->second, 3);
  q.from = ShanghaiDate(1);
  q.to.reset();
  EXPECT_EQ(log_->Search(q)->second, 0);
  q.from.reset();
  q.to = ShanghaiDate(-1);
  EXPECT_EQ(log_->Search(q)->second, 0);
  q.to = "2024-02-30";
  auto bad = log_->Search(q);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().error_code(), "audit.query.date");
  ASSERT_EQ(bad.status().details().size(), 1u);
  EXPECT_EQ(bad.status().details()[0].field, "to");
  AuditQuery big;
  big.size = 500;
  EXPECT_EQ(log_->Search(big).status().error_code(), "audit.query.page");
}

DOUDI_PLATFORM_DIALECTS(AuditTest);

}  // namespace
}  // namespace doudi::platform
