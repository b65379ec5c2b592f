// `kill -9` of the server in the middle of writes: the database opens, passes its integrity check, holds every
// write the server acknowledged, holds no write without its audit row, and the audit chain verifies.
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "suite.h"

namespace doudi::testing {
namespace {

class CrashTest : public ApiTest<CrashTest> {
 public:
  static constexpr bool kSharedServer = false;
};

struct Acknowledged {
  int64_t id = 0;
  std::string name;
  int64_t version = 1;
};

// Writers hammering the server until it dies: creates, and updates of what they created. Returns what the
// server acknowledged (a 2xx answer).
class Writers {
 public:
  Writers(const ApiClient& session, int threads) {
    for (int t = 0; t < threads; ++t) {
      threads_.emplace_back([this, session, t]() mutable { Run(session, t); });
    }
  }
  ~Writers() { Join(); }
  void Join() {
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  size_t count() {
    std::lock_guard lock(mu_);
    return done_.size();
  }
  std::vector<Acknowledged> done() {
    std::lock_guard lock(mu_);
    return done_;
  }
  int server_errors() const { return server_errors_; }

 private:
  void Run(ApiClient client, int t) {
    std::vector<Acknowledged> mine;
    for (int i = 0;; ++i) {
      if (i % 3 == 2 && !mine.empty()) {
        Acknowledged& a = mine[static_cast<size_t>(i) % mine.size()];
        HttpResult r = client.Put("/api/v1/registry/persons/" + std::to_string(a.id),
                                  {{"address", "荆州区荆州中路" + std::to_string(i) + "号"}, {"version", a.version}});
        if (r.status == 0) return;  // the server is gone
        if (r.status >= 500) ++server_errors_;
        if (r.status == 200) {
          a.version = PersonOf(r).value("version", a.version);
          Record(a);
        }
        continue;
      }
      Acknowledged a;
      a.name = "崩溃" + std::to_string(t) + "_" + std::to_string(i);
      HttpResult r = client.Post("/api/v1/registry/persons",
                                 PersonBody(a.name, "421003", NewIdNumber("421003", i % 2 + 1), NewPhone()));
      if (r.status == 0) return;
      if (r.status >= 500) ++server_errors_;
      if (r.status / 100 == 2) {
        a.id = PersonOf(r).value("id", int64_t{0});
        mine.push_back(a);
        Record(a);
      }
    }
  }
  void Record(const Acknowledged& a) {
    std::lock_guard lock(mu_);
    for (auto& d : done_) {
      if (d.id == a.id) {
        d.version = std::max(d.version, a.version);
        return;
      }
    }
    done_.push_back(a);
  }

  std::mutex mu_;
  std::vector<Acknowledged> done_;
  std::atomic<int> server_errors_{0};
  std::vector<std::thread> threads_;
};

// PRAGMA integrity_check and foreign_key_check on the SQLite file, with SQLite itself (not doudi's driver).
void ExpectSqliteIntact(const TestServer& server) {
  std::string path = server.db_url().substr(std::string("sqlite:").size());
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  auto all = [&](const char* sql) {
    std::vector<std::string> out;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) {
      out.push_back(std::string("prepare failed: ") + sqlite3_errmsg(db));
      return out;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(st, 0);
      out.push_back(t ? reinterpret_cast<const char*>(t) : "NULL");
    }
    sqlite3_finalize(st);
    return out;
  };
  EXPECT_EQ(all("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
  EXPECT_TRUE(all("PRAGMA foreign_key_check").empty());
  sqlite3_close(db);
}

TEST_P(CrashTest, KillDashNineDuringWritesLosesNothingAcknowledgedAndBreaksNothing) {
  auto server = Fresh();
  ASSERT_TRUE(server);
  Account cw = SignIn(*server, "caseworker", "421003");
  ASSERT_TRUE(cw.ok);

  std::vector<Acknowledged> acknowledged;
  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    size_t before = acknowledged.size();
    {
      Writers writers(cw.client, 4);
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      while (writers.count() < 40 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      int status = server->Signal(SIGKILL);  // while the writers are still writing
      EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
      writers.Join();
      EXPECT_EQ(writers.server_errors(), 0) << "5xx answers before the kill:\n" << server->Log();
      for (auto& a : writers.done()) acknowledged.push_back(a);
    }
    ASSERT_GE(acknowledged.size(), before + 40) << "the writers got too few writes through:\n" << server->Log();

    if (GetParam() == Backend::kSqlite) ExpectSqliteIntact(*server);
    // Every person has its creation's audit row: a write and its audit row commit together or not at all.
    auto orphans = QueryInt(*server,
                            "SELECT COUNT(*) FROM persons p WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE "
                            "a.action = 'registry.person.create' AND a.object_id = CAST(p.id AS TEXT))");
    ASSERT_TRUE(orphans.ok()) << orphans.status().ToString();
    EXPECT_EQ(*orphans, 0) << "persons without the audit row of their creation";
    CliResult verify = server->Cli({"audit", "verify"});
    EXPECT_EQ(verify.exit_code, 0) << verify.out;
    CliResult migrate = server->Cli({"migrate"});
    EXPECT_EQ(migrate.exit_code, 0) << migrate.out;

    ASSERT_TRUE(server->Restart()) << server->Log();
    ApiClient fresh(server->port());
    HttpResult health = fresh.Get("/api/v1/health");
    EXPECT_TRUE(IsOk(health));
    EXPECT_EQ(health.json().value("database", ""), "ok");
    // The old session survives a restart (it lives in the database); sign in again anyway to use the new port.
    ASSERT_EQ(fresh.Login(cw.username, cw.password).status, 200);
    cw.client = fresh;
    for (const auto& a : acknowledged) {
      HttpResult r = cw.client.Get("/api/v1/registry/persons/" + std::to_string(a.id));
      ASSERT_EQ(r.status, 200) << "acknowledged person " << a.id << " is lost: " << r.body;
      EXPECT_EQ(PersonOf(r).value("name", ""), a.name);
      EXPECT_GE(PersonOf(r).value("version", int64_t{0}), a.version) << "an acknowledged update of " << a.id << " is lost";
    }
  }
}

DOUDI_API_SUITE(CrashTest);

}  // namespace
}  // namespace doudi::testing
