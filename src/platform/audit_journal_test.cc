// The audit journal (staging file in front of audit_log) and the object index kept as sorted runs.
#include "platform/audit_journal.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "db/migrate.h"
#include "db/testing.h"
#include "platform/audit.h"
#include "platform/testing.h"

namespace doudi::platform {
namespace {

AuditEvent Viewed(const std::string& object_id, const std::string& object_type = "person") {
  AuditEvent e;
  e.user_id = 42;
  e.username = "张三";
  e.role = "caseworker";
  e.ip = "127.0.0.1";
  e.action = "registry.person.view";
  e.object_type = object_type;
  e.object_id = object_id;
  e.detail = "用途：核对, with a comma: and a colon";
  e.request_id = "r-" + object_id;
  return e;
}

JournalRecord Record(uint64_t seq) {
  return JournalRecord{seq, "2026-11-30T01:02:03.00" + std::to_string(seq % 10) + "Z", Viewed(std::to_string(seq))};
}

int64_t Count(db::Database& db, const std::string& sql) {
  int64_t n = -1;
  EXPECT_TRUE(db.Read([&](db::Conn& c) -> Status {
                  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(sql));
                  n = rows[0].Int(0);
                  return Status::Ok();
                }).ok());
  return n;
}

class JournalFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("doudi-journal-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "audit-journal").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void AppendRaw(const std::string& bytes) {
    std::ofstream(path_, std::ios::binary | std::ios::app) << bytes;
  }
  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(JournalFileTest, RecordsReadBackFieldByField) {
  auto j = AuditJournal::Open(path_);
  ASSERT_TRUE(j.ok()) << j.status().ToString();
  for (uint64_t s = 1; s <= 3; ++s) ASSERT_TRUE((*j)->Append(Record(s)).ok());
  auto c = (*j)->ReadAll();
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->records.size(), 3u);
  EXPECT_EQ(c->torn_bytes, 0u);
  const JournalRecord& r = c->records[1];
  EXPECT_EQ(r.seq, 2u);
  EXPECT_EQ(r.at, "2026-11-30T01:02:03.002Z");
  EXPECT_EQ(r.event.user_id, 42);
  EXPECT_EQ(r.event.username, "张三");
  EXPECT_EQ(r.event.object_id, "2");
  EXPECT_EQ(r.event.detail, "用途：核对, with a comma: and a colon");
  EXPECT_EQ(r.event.request_id, "r-2");
  EXPECT_EQ(r.event.outcome, "success");
  // The file holds exactly the three encodings, nothing else.
  EXPECT_EQ(std::filesystem::file_size(path_),
            AuditJournal::Encode(Record(1)).size() + AuditJournal::Encode(Record(2)).size() +
                AuditJournal::Encode(Record(3)).size());
  EXPECT_EQ(std::filesystem::status(path_).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_F(JournalFileTest, ATornTailEndsTheReadablePart) {
  std::string whole = AuditJournal::Encode(Record(1)) + AuditJournal::Encode(Record(2));
  std::string third = AuditJournal::Encode(Record(3));
  AppendRaw(whole + third.substr(0, third.size() - 5));  // the third cut off mid-write
  auto j = AuditJournal::Open(path_);
  ASSERT_TRUE(j.ok());
  auto c = (*j)->ReadAll();
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->records.size(), 2u);
  EXPECT_EQ(c->valid_bytes, whole.size());
  EXPECT_EQ(c->torn_bytes, third.size() - 5);
}

TEST_F(JournalFileTest, ACorruptRecordStopsReadingThere) {
  std::string first = AuditJournal::Encode(Record(1)), second = AuditJournal::Encode(Record(2));
  second[second.size() - 3] ^= 0x20;  // one bit of the payload: the CRC no longer matches
  AppendRaw(first + second + AuditJournal::Encode(Record(3)));
  auto j = AuditJournal::Open(path_);
  ASSERT_TRUE(j.ok());
  auto c = (*j)->ReadAll();
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->records.size(), 1u);
  EXPECT_EQ(c->records[0].seq, 1u);
  EXPECT_GT(c->torn_bytes, 0u);
}

TEST_F(JournalFileTest, OneOwnerAtATime) {
  auto first = AuditJournal::Open(path_);
  ASSERT_TRUE(first.ok());
  auto second = AuditJournal::Open(path_);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().error_code(), "audit.journal_locked");
  first->reset();
  EXPECT_TRUE(AuditJournal::Open(path_).ok());
}

// The journal in front of a real SQLite database.
class JournaledLogTest : public JournalFileTest {
 protected:
  void SetUp() override {
    JournalFileTest::SetUp();
    auto db = db::CreateTestDatabase(db::Dialect::kSqlite);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(*db);
    ASSERT_TRUE(db::Migrate(*db_).ok());
  }
  void TearDown() override {
    db_.reset();
    JournalFileTest::TearDown();
  }
  int64_t Rows() { return Count(*db_, "SELECT COUNT(*) FROM audit_log"); }
  int64_t Applied() { return Count(*db_, "SELECT applied_seq FROM audit_journal_state WHERE id = 1"); }
  std::unique_ptr<db::TestDatabase> db_;
};

TEST_F(JournaledLogTest, AppendsReachTheTableAndVerify) {
  auto log = AuditLog::Create(*db_);
  auto rec = log->EnableJournal(path_);
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  EXPECT_EQ(rec->replayed, 0);
  for (int i = 1; i <= 300; ++i) ASSERT_TRUE(log->Append(Viewed(std::to_string(i))).ok());
  AuditQuery q;
  q.object_type = "person";
  q.object_id = "123";
  auto found = log->Search(q);  // waits for the flusher
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->second, 1);
  EXPECT_EQ(found->first[0].request_id, "r-123");
  EXPECT_EQ(Rows(), 300);
  EXPECT_EQ(Applied(), 300);
  auto report = log->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->reason;
  EXPECT_EQ(report->rows_checked, 300);
  log.reset();  // a clean stop empties the file
  EXPECT_EQ(std::filesystem::file_size(path_), 0u);
}

// An event written inside a transaction (AppendIn) comes after every event staged before it, so that the
// chain's order is the order of time; a transaction that rolls back leaves its staged events to the flusher.
TEST_F(JournaledLogTest, InTransactionEventsFollowTheStagedOnes) {
  auto log = AuditLog::Create(*db_);
  ASSERT_TRUE(log->EnableJournal(path_).ok());
  for (int i = 1; i <= 200; ++i) ASSERT_TRUE(log->Append(Viewed(std::to_string(i))).ok());
  AuditEvent changed = Viewed("changed", "user");
  changed.action = "user.update";
  ASSERT_TRUE(db_->Write([&](db::Conn& c) { return log->AppendIn(c, changed); }).ok());
  for (int i = 201; i <= 300; ++i) ASSERT_TRUE(log->Append(Viewed(std::to_string(i))).ok());
  AuditEvent undone = Viewed("undone", "user");
  Status rolled_back = db_->Write([&](db::Conn& c) -> Status {
    DOUDI_RETURN_IF_ERROR(log->AppendIn(c, undone));
    return Status::Conflict("test.rollback", "回滚");
  });
  ASSERT_FALSE(rolled_back.ok());
  for (int i = 301; i <= 400; ++i) ASSERT_TRUE(log->Append(Viewed(std::to_string(i))).ok());
  ASSERT_TRUE(log->Flush().ok());

  std::vector<std::pair<std::string, std::string>> rows;  // (at, object_id) in id order
  ASSERT_TRUE(db_->Read([&](db::Conn& c) -> Status {
                   DOUDI_ASSIGN_OR_RETURN(auto r, c.Query("SELECT at, object_id FROM audit_log ORDER BY id"));
                   for (const auto& row : r) rows.emplace_back(row.Text(0), row.Text(1));
                   return Status::Ok();
                 }).ok());
  ASSERT_EQ(rows.size(), 401u) << "400 views and one committed change, each once";
  std::set<std::string> seen;
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_TRUE(seen.insert(rows[i].second).second) << "written twice: " << rows[i].second;
    if (i > 0) {
      EXPECT_LE(rows[i - 1].first, rows[i].first) << "row " << i << " is older than the one before";
    }
  }
  EXPECT_EQ(rows[200].second, "changed") << "the change follows the 200 views staged before it";
  EXPECT_EQ(seen.count("undone"), 0u);
  EXPECT_EQ(Applied(), 400);
  auto report = log->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->reason;
}

TEST_F(JournaledLogTest, EventsLeftInTheFileAreReplayedOnceAtTheNextStart) {
  {
    auto j = AuditJournal::Open(path_);
    ASSERT_TRUE(j.ok());
    for (uint64_t s = 1; s <= 5; ++s) ASSERT_TRUE((*j)->Append(Record(s)).ok());
  }
  // Seqs 1–3 reached the table before the crash (their rows are there, the state says 3).
  ASSERT_TRUE(db_->Write([](db::Conn& c) {
                  return c.Exec("UPDATE audit_journal_state SET applied_seq = 3 WHERE id = 1").status();
                }).ok());
  std::string third = AuditJournal::Encode(Record(6));
  std::ofstream(path_, std::ios::binary | std::ios::app) << third.substr(0, 10);  // torn sixth
  auto log = AuditLog::Create(*db_);
  auto rec = log->EnableJournal(path_);
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  EXPECT_EQ(rec->replayed, 2);
  EXPECT_EQ(rec->torn_bytes, 10);
  EXPECT_EQ(Rows(), 2);
  EXPECT_EQ(Applied(), 5);
  EXPECT_EQ(std::filesystem::file_size(path_), 0u);
  AuditQuery q;
  q.object_type = "person";
  q.object_id = "4";
  auto four = log->Search(q);
  ASSERT_TRUE(four.ok());
  ASSERT_EQ(four->second, 1);
  EXPECT_EQ(four->first[0].at, "2026-11-30T01:02:03.004Z");  // the time it was staged, not the replay's
  // The next event continues the sequence after the highest one seen.
  ASSERT_TRUE(log->Append(Viewed("7")).ok());
  ASSERT_TRUE(log->Flush().ok());
  EXPECT_EQ(Applied(), 6);
  EXPECT_TRUE(log->Verify()->ok);
}

TEST_F(JournaledLogTest, AppendsMoveToTheOtherFilePastFourMegabytes) {
  auto log = AuditLog::Create(*db_);
  ASSERT_TRUE(log->EnableJournal(path_).ok());
  const uint64_t record = AuditJournal::Encode(JournalRecord{1, "2026-11-30T01:02:03.004Z", Viewed("12345")}).size();
  const int events = static_cast<int>((6u << 20) / record);  // 6 MB of events: past the 4 MB of the first file
  bool second_used = false;
  for (int i = 1; i <= events; ++i) {
    ASSERT_TRUE(log->Append(Viewed(std::to_string(10000 + i % 90000))).ok());
    if (i % 1000 == 0 && std::filesystem::file_size(path_ + "-2") > 0) second_used = true;
  }
  ASSERT_TRUE(log->Flush().ok());
  EXPECT_TRUE(second_used) << "the second journal file never took appends";
  EXPECT_EQ(Rows(), events);
  EXPECT_EQ(Applied(), events);
  // The first file, all of it in the table, was emptied while appends went on in the second.
  EXPECT_LT(std::filesystem::file_size(path_), 4u << 20);
  EXPECT_TRUE(log->Verify()->ok);
}

TEST_F(JournaledLogTest, KillNineLosesNoAcknowledgedEvent) {
  constexpr int kEvents = 2000;
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto db = db::Database::Open(db_->url(), {});
    if (!db.ok()) ::_exit(2);
    auto log = AuditLog::Create(**db);
    if (!log->EnableJournal(path_).ok()) ::_exit(3);
    for (int i = 1; i <= kEvents; ++i) {
      if (!log->Append(Viewed(std::to_string(i))).ok()) ::_exit(4);
    }
    // Every Append has returned: all kEvents are acknowledged. Die before the flusher can finish.
    char b = 'x';
    (void)!::write(ready[1], &b, 1);
    ::raise(SIGKILL);
    ::_exit(5);
  }
  ::close(ready[1]);
  char b = 0;
  ASSERT_EQ(::read(ready[0], &b, 1), 1) << "the child failed before appending everything";
  ::close(ready[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  int64_t before = Rows();
  EXPECT_LE(before, kEvents);

  auto log = AuditLog::Create(*db_);
  auto rec = log->EnableJournal(path_);
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  EXPECT_EQ(rec->replayed, kEvents - before);
  EXPECT_EQ(Rows(), kEvents);
  std::set<std::string> ids;
  ASSERT_TRUE(db_->Read([&](db::Conn& c) -> Status {
                  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT object_id FROM audit_log"));
                  for (size_t i = 0; i < rows.size(); ++i) ids.insert(rows[i].Text(0));
                  return Status::Ok();
                }).ok());
  EXPECT_EQ(ids.size(), static_cast<size_t>(kEvents)) << "an event was lost or written twice";
  auto report = log->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->reason;
}

// The object index as runs, on both databases: the same answers as a scan, across runs and the tail.
class AuditRunsTest : public ::testing::TestWithParam<db::Dialect> {
 protected:
  void SetUp() override {
    if (GetParam() == db::Dialect::kPostgres && !db::PostgresTestConfigured()) GTEST_SKIP() << db::kPostgresSkipMessage;
    auto opened = db::OpenMigratedTestDatabase(GetParam());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    db_ = std::move(*opened);
  }
  std::unique_ptr<db::Database> db_;
};

TEST_P(AuditRunsTest, LookupsMatchAScanAcrossRunsAndTail) {
  auto log = AuditLog::Create(*db_, /*index_run_rows=*/7);
  // 50 rows: objects person 0..4 in turn, every 10th a case, a few with no object, one AppendIn.
  for (int i = 0; i < 50; ++i) {
    AuditEvent e = Viewed(std::to_string(i % 5), i % 10 == 9 ? "case" : "person");
    if (i % 17 == 0) e.object_type = e.object_id = "";
    if (i == 30) {
      ASSERT_TRUE(db_->Write([&](db::Conn& c) { return log->AppendIn(c, e); }).ok());
    } else {
      ASSERT_TRUE(log->Append(e).ok());
    }
  }
  // 7 complete runs of 7 ids (1..49); id 50 is the tail.
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM audit_index_runs WHERE run > 0"), 7);
  EXPECT_EQ(Count(*db_, "SELECT indexed_upto FROM audit_index_state"), 49);
  for (const std::string& type : {std::string("person"), std::string("case")}) {
    for (int k = 0; k < 5; ++k) {
      std::string id = std::to_string(k);
      int64_t expected = Count(*db_, "SELECT COUNT(*) FROM audit_log WHERE object_type = '" + type +
                                         "' AND object_id = '" + id + "'");
      AuditQuery q;
      q.object_type = type;
      q.object_id = id;
      q.size = 200;
      auto r = log->Search(q);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(r->second, expected) << type << " " << id;
      ASSERT_EQ(static_cast<int64_t>(r->first.size()), expected);
      for (size_t i = 1; i < r->first.size(); ++i) EXPECT_GT(r->first[i - 1].id, r->first[i].id);
    }
    AuditQuery by_type;
    by_type.object_type = type;
    EXPECT_EQ(log->Search(by_type)->second,
              Count(*db_, "SELECT COUNT(*) FROM audit_log WHERE object_type = '" + type + "'"));
  }
  // The last row (id 50, object 4 of a person: i = 49 is a case, so i = 49 -> "case" "4") is found from the tail.
  AuditQuery tail;
  tail.object_type = "case";
  tail.object_id = "4";
  auto t = log->Search(tail);
  ASSERT_TRUE(t.ok());
  ASSERT_GE(t->first.size(), 1u);
  EXPECT_EQ(t->first[0].id, 50);
}

DOUDI_PLATFORM_DIALECTS(AuditRunsTest);

}  // namespace
}  // namespace doudi::platform
