// A process writing to SQLite is killed with SIGKILL mid-stream; the file must open, pass integrity_check, and
// hold only whole transactions, including every one whose commit the writer had reported.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "db/db.h"

namespace doudi::db {
namespace {

namespace fs = std::filesystem;

constexpr int kRowsPerBatch = 10;

// The child: writes batches forever, reporting each committed batch number on fd. Never returns.
[[noreturn]] void WriteUntilKilled(const std::string& url, int fd) {
  auto db = Database::Open(url);
  if (!db.ok()) _exit(2);
  int64_t next = 0;
  Status s = (*db)->Read([&](Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT n FROM progress"));
    next = rows[0].Int(0);
    return Status::Ok();
  });
  if (!s.ok()) _exit(3);
  for (int64_t b = next;; ++b) {
    s = (*db)->Write([&](Conn& c) -> Status {
      for (int k = 0; k < kRowsPerBatch; ++k) {
        DOUDI_RETURN_IF_ERROR(c.Exec("INSERT INTO items (batch, k, payload) VALUES ($1, $2, $3)",
                                     {static_cast<long long>(b), k, std::string(200, 'x')})
                                  .status());
      }
      return c.Exec("UPDATE progress SET n = $1", {static_cast<long long>(b + 1)}).status();
    });
    if (!s.ok()) _exit(4);
    int64_t done = b + 1;
    if (write(fd, &done, sizeof done) != sizeof done) _exit(5);
  }
}

TEST(CrashTest, KilledWriterLeavesOnlyWholeTransactions) {
  std::string pattern = (fs::temp_directory_path() / "doudi-crash-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  std::string url = "sqlite:" + pattern + "/crash.db";
  {
    auto db = Database::Open(url);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Write([](Conn& c) {
                       return c.ExecScript("CREATE TABLE items (batch INTEGER NOT NULL, k INTEGER NOT NULL, "
                                           "payload TEXT, PRIMARY KEY (batch, k));"
                                           "CREATE TABLE progress (n INTEGER NOT NULL); INSERT INTO progress VALUES (0);");
                     }).ok());
  }
  int64_t reported = 0;
  // Kill at different moments: after a few commits, after more, and straight after start.
  for (int round = 0; round < 5; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      WriteUntilKilled(url, fds[1]);
    }
    close(fds[1]);
    int64_t target = reported + (round == 4 ? 1 : 5 + round * 20);
    int64_t done = 0;
    while (reported < target && read(fds[0], &done, sizeof done) == sizeof done) reported = done;
    // Let it run on a little so that the kill lands inside a transaction more often than not.
    std::this_thread::sleep_for(std::chrono::microseconds(300 * round));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    while (read(fds[0], &done, sizeof done) == sizeof done) reported = done;  // commits reported before death
    close(fds[0]);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the writer stopped by itself, exit code " << (WIFEXITED(status) ? WEXITSTATUS(status) : -1);

    auto db = Database::Open(url);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE((*db)->Read([&](Conn& c) -> Status {
                       DOUDI_ASSIGN_OR_RETURN(auto check, c.Query("PRAGMA integrity_check"));
                       EXPECT_EQ(check[0].Text(0), "ok");
                       DOUDI_ASSIGN_OR_RETURN(auto torn, c.Query("SELECT count(*) FROM (SELECT batch FROM items "
                                                                 "GROUP BY batch HAVING count(*) != $1)",
                                                                 {kRowsPerBatch}));
                       EXPECT_EQ(torn[0].Int(0), 0) << "a transaction was half written";
                       DOUDI_ASSIGN_OR_RETURN(auto batches, c.Query("SELECT count(DISTINCT batch), max(batch) FROM items"));
                       DOUDI_ASSIGN_OR_RETURN(auto progress, c.Query("SELECT n FROM progress"));
                       int64_t n = progress[0].Int(0);
                       // Batches are 0..n-1, all present, and the counter moved with them in one transaction.
                       EXPECT_EQ(batches[0].Int(0), n);
                       if (n > 0) {
                         EXPECT_EQ(batches[0].Int(1), n - 1);
                       }
                       // Durable: every commit the writer saw succeed survived (at most one more, unreported).
                       EXPECT_GE(n, reported);
                       EXPECT_LE(n, reported + 1);
                       reported = n;
                       return Status::Ok();
                     }).ok());
  }
  EXPECT_GT(reported, 50);
  fs::remove_all(pattern);
}

}  // namespace
}  // namespace doudi::db
