// Operations: health, request ids and response headers, graceful shutdown on SIGTERM, `doudi audit verify`
// after a run (and on a tampered log), `doudi backup` / `doudi restore` round trip, and the account CLI.
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "suite.h"

namespace doudi::testing {
namespace {

class OpsTest : public ApiTest<OpsTest> {};

// Tests that stop, tamper with or restore their server.
class OpsOwnServerTest : public ApiTest<OpsOwnServerTest> {
 public:
  static constexpr bool kSharedServer = false;
};

std::string Header(const HttpResult& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

TEST_P(OpsTest, HealthAnswersWithoutASession) {
  ApiClient anon(server().port());
  HttpResult r = anon.Get("/api/v1/health");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_EQ(j.value("status", ""), "ok");
  EXPECT_EQ(j.value("database", ""), "ok");
  EXPECT_TRUE(j.contains("schema_version") && j["schema_version"].is_number_integer() &&
              j["schema_version"].get<int64_t>() > 0)
      << r.body;
  EXPECT_EQ(Header(r, "x-content-type-options"), "nosniff");
  EXPECT_NE(Header(r, "cache-control").find("no-store"), std::string::npos);
  EXPECT_FALSE(Header(r, "x-request-id").empty());
}

TEST_P(OpsTest, EveryAnswerCarriesARequestId) {
  ApiClient c(server().port());
  HttpResult a = c.Get("/api/v1/health");
  HttpResult b = c.Get("/api/v1/health");
  EXPECT_FALSE(Header(a, "x-request-id").empty());
  EXPECT_NE(Header(a, "x-request-id"), Header(b, "x-request-id")) << "two requests got the same id";

  // A caller's sane id is kept, in the header and in an error body.
  c.set_header("X-Request-Id", "trace-0001.abc");
  HttpResult err = c.Get("/api/v1/registry/persons");
  EXPECT_TRUE(IsError(err, 401, "auth.required"));
  EXPECT_EQ(Header(err, "x-request-id"), "trace-0001.abc");
  EXPECT_EQ(err.json().value("request_id", ""), "trace-0001.abc");
  // One that could break a header or a log line is replaced.
  c.set_header("X-Request-Id", std::string(300, 'a'));
  HttpResult replaced = c.Get("/api/v1/health");
  EXPECT_FALSE(Header(replaced, "x-request-id").empty());
  EXPECT_NE(Header(replaced, "x-request-id"), std::string(300, 'a'));
  // Also for a path no route knows.
  c.set_header("X-Request-Id", "");
  HttpResult missing = c.Get("/api/v1/no/such/thing");
  EXPECT_TRUE(IsError(missing, 404, "http.not_found"));
}

TEST_P(OpsTest, TheAccountCommandRefusesBadAccountsInChinese) {
  CliResult role = server().Cli({"user", "add", "--username", UniqueName("cli"), "--role", "emperor", "--division",
                                 "4210", "--password", StrongPassword(1), "--name", "某"});
  EXPECT_NE(role.exit_code, 0) << role.out;
  EXPECT_TRUE(HasChinese(role.out)) << role.out;
  CliResult division = server().Cli({"user", "add", "--username", UniqueName("cli"), "--role", "caseworker",
                                     "--division", "421099", "--password", StrongPassword(2), "--name", "某"});
  EXPECT_NE(division.exit_code, 0) << division.out;
  EXPECT_TRUE(HasChinese(division.out)) << division.out;
  std::string weak_user = UniqueName("cli");
  CliResult weak = server().Cli({"user", "add", "--username", weak_user, "--role", "caseworker", "--division",
                                 "421002", "--password", "123456", "--name", "某"});
  EXPECT_NE(weak.exit_code, 0) << weak.out;
  EXPECT_TRUE(HasChinese(weak.out)) << weak.out;
  auto n = QueryInt(server(), "SELECT COUNT(*) FROM users WHERE username = '" + weak_user + "'");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0);
  // A business role gets no TOTP secret; an administrator does.
  std::string secret = "unset";
  server().AddUser(UniqueName("cli"), "caseworker", "421002", &secret);
  EXPECT_EQ(secret, "");
  server().AddUser(UniqueName("cli"), "auditadmin", "4210", &secret);
  EXPECT_FALSE(secret.empty());
}

TEST_P(OpsOwnServerTest, SigtermFinishesTheWorkInHandAndExitsCleanly) {
  auto server = Fresh();
  ASSERT_TRUE(server);
  Account cw = SignIn(*server, "caseworker", "421003");
  ASSERT_TRUE(cw.ok);

  std::mutex mu;
  std::vector<std::pair<int64_t, std::string>> acknowledged;
  std::atomic<int> server_errors{0}, answered{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 3; ++t) {
    writers.emplace_back([&, client = cw.client, t]() mutable {
      for (int i = 0;; ++i) {
        std::string name = "停机" + std::to_string(t) + "_" + std::to_string(i);
        HttpResult r = client.Post("/api/v1/registry/persons", PersonBody(name, "421003", NewIdNumber("421003")));
        if (r.status == 0) return;  // refused: the server has stopped listening
        ++answered;
        if (r.status >= 500) ++server_errors;
        if (r.status / 100 == 2) {
          std::lock_guard lock(mu);
          acknowledged.emplace_back(PersonOf(r).value("id", int64_t{0}), name);
        }
      }
    });
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (answered < 30 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  bool timed_out = false;
  auto started = std::chrono::steady_clock::now();
  int status = server->Signal(SIGTERM, std::chrono::seconds(30), &timed_out);
  auto took = std::chrono::steady_clock::now() - started;
  for (auto& w : writers) w.join();
  EXPECT_FALSE(timed_out) << "the server did not stop within 30 s of SIGTERM:\n" << server->Log();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status << "\n" << server->Log();
  EXPECT_LT(took, std::chrono::seconds(15));
  EXPECT_EQ(server_errors, 0) << server->Log();
  ASSERT_GE(acknowledged.size(), 10u);

  if (GetParam() == Backend::kSqlite) {
    std::string path = server->db_url().substr(std::string("sqlite:").size());
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "ok");
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
  CliResult verify = server->Cli({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;

  ASSERT_TRUE(server->Restart()) << server->Log();
  ApiClient c(server->port());
  ASSERT_EQ(c.Login(cw.username, cw.password).status, 200);
  for (const auto& [id, name] : acknowledged) {
    HttpResult r = c.Get("/api/v1/registry/persons/" + std::to_string(id));
    ASSERT_EQ(r.status, 200) << "acknowledged person " << id << " is lost";
    EXPECT_EQ(PersonOf(r).value("name", ""), name);
  }

  // An idle server stops at once too (idle keep-alive connections do not hold it up for long).
  HttpResult keep = c.Get("/api/v1/health");
  ASSERT_EQ(keep.status, 200);
  started = std::chrono::steady_clock::now();
  status = server->Signal(SIGTERM, std::chrono::seconds(30), &timed_out);
  EXPECT_FALSE(timed_out);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

TEST_P(OpsOwnServerTest, AuditVerifyPassesAfterARunAndNamesTheFirstTamperedRow) {
  auto server = Fresh();
  ASSERT_TRUE(server);
  Account cw = SignIn(*server, "caseworker", "421002");
  Account aud = SignIn(*server, "auditadmin", "4210");
  ASSERT_TRUE(cw.ok && aud.ok);
  for (int i = 0; i < 5; ++i) {
    int64_t id = CreatePerson(cw.client, PersonBody("审计" + std::to_string(i), "421002", NewIdNumber("421002")));
    ASSERT_GT(id, 0);
    cw.client.Get("/api/v1/registry/persons/" + std::to_string(id));
    cw.client.Post("/api/v1/registry/persons/" + std::to_string(id) + "/reveal",
                   {{"purpose", "核对低保申请材料"}, {"fields", {"id_number"}}});
  }
  CliResult verify = server->Cli({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;
  EXPECT_TRUE(HasChinese(verify.out)) << verify.out;
  HttpResult api = aud.client.Get("/api/v1/audit/verify");
  ASSERT_TRUE(IsOk(api));
  EXPECT_EQ(api.json().value("ok", false), true) << api.body;
  auto rows = QueryInt(*server, "SELECT COUNT(*) FROM audit_log");
  ASSERT_TRUE(rows.ok());
  EXPECT_GE(*rows, 15);  // 5 creates, 5 views, 5 reveals at least

  // The table refuses changes...
  auto victim = QueryInt(*server, "SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 3");
  ASSERT_TRUE(victim.ok());
  std::string tamper = "UPDATE audit_log SET detail = 'tampered' WHERE id = " + std::to_string(*victim);
  EXPECT_FALSE(ExecSql(*server, tamper).ok()) << "the audit log accepted an UPDATE";
  EXPECT_FALSE(ExecSql(*server, "DELETE FROM audit_log WHERE id = " + std::to_string(*victim)).ok());
  // ...and when the table owner gets past the triggers, the chain names the row.
  std::string bypass = GetParam() == Backend::kSqlite
                           ? "DROP TRIGGER audit_log_no_update; "
                           : "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete; ";
  ASSERT_TRUE(ExecSql(*server, bypass + tamper).ok());
  CliResult broken = server->Cli({"audit", "verify"});
  EXPECT_NE(broken.exit_code, 0) << broken.out;
  EXPECT_NE(broken.out.find(std::to_string(*victim)), std::string::npos) << "the broken row is not named: " << broken.out;
  HttpResult api_broken = aud.client.Get("/api/v1/audit/verify");
  ASSERT_TRUE(IsOk(api_broken));
  EXPECT_EQ(api_broken.json().value("ok", true), false) << api_broken.body;
  EXPECT_EQ(api_broken.json().value("first_broken_id", int64_t{0}), *victim) << api_broken.body;
}

TEST_P(OpsOwnServerTest, BackupAndRestoreRoundTrip) {
  auto server = Fresh();
  ASSERT_TRUE(server);
  Account cw = SignIn(*server, "caseworker", "421002");
  ASSERT_TRUE(cw.ok);
  std::string before_id = NewIdNumber("421002");
  int64_t before = CreatePerson(cw.client, PersonBody("备份前", "421002", before_id, NewPhone()));
  ASSERT_GT(before, 0);

  // An online backup while the server serves.
  std::string file = server->dir() + "/backup.bak";
  CliResult backup = server->Cli({"backup", "--out", file});
  ASSERT_EQ(backup.exit_code, 0) << backup.out;
  ASSERT_TRUE(std::filesystem::exists(file));
  EXPECT_GT(std::filesystem::file_size(file), 0u);
  int64_t after = CreatePerson(cw.client, PersonBody("备份后", "421002", NewIdNumber("421002")));
  ASSERT_GT(after, 0);

  int status = server->Signal(SIGTERM);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << server->Log();
  auto count_after = [&] {
    auto n = QueryInt(*server, "SELECT COUNT(*) FROM persons WHERE id = " + std::to_string(after));
    return n.ok() ? *n : -1;
  };
  ASSERT_EQ(count_after(), 1);

  // Without --yes nothing is overwritten; a file that is not a backup is refused and changes nothing.
  CliResult unconfirmed = server->Cli({"restore", "--in", file});
  EXPECT_NE(unconfirmed.exit_code, 0) << unconfirmed.out;
  EXPECT_EQ(count_after(), 1) << "restore without --yes overwrote the database";
  std::string junk = server->dir() + "/junk.bak";
  std::ofstream(junk) << "这不是备份文件 not a backup\n";
  CliResult bad = server->Cli({"restore", "--in", junk, "--yes"});
  EXPECT_NE(bad.exit_code, 0) << bad.out;
  EXPECT_TRUE(HasChinese(bad.out)) << bad.out;
  EXPECT_EQ(count_after(), 1) << "a failed restore changed the database";

  CliResult restore = server->Cli({"restore", "--in", file, "--yes"});
  ASSERT_EQ(restore.exit_code, 0) << restore.out;
  EXPECT_EQ(count_after(), 0);
  CliResult verify = server->Cli({"audit", "verify"});
  EXPECT_EQ(verify.exit_code, 0) << verify.out;

  ASSERT_TRUE(server->Restart()) << server->Log();
  ApiClient c(server->port());
  ASSERT_EQ(c.Login(cw.username, cw.password).status, 200);
  HttpResult kept = c.Get("/api/v1/registry/persons/" + std::to_string(before));
  ASSERT_EQ(kept.status, 200) << kept.body;
  EXPECT_EQ(PersonOf(kept).value("name", ""), "备份前");
  // The encrypted ID number still decrypts (the key file and the data belong together).
  HttpResult revealed = c.Post("/api/v1/registry/persons/" + std::to_string(before) + "/reveal",
                               {{"purpose", "恢复后核对数据"}, {"fields", {"id_number"}}});
  ASSERT_TRUE(IsOk(revealed));
  EXPECT_EQ(revealed.json().value("id_number", ""), before_id);
  EXPECT_EQ(c.Get("/api/v1/registry/persons/" + std::to_string(after)).status, 404);
  // New writes after a restore get fresh ids without colliding.
  int64_t next = CreatePerson(c, PersonBody("恢复后", "421002", NewIdNumber("421002")));
  EXPECT_GT(next, 0);
}

DOUDI_API_SUITE(OpsTest);
DOUDI_API_SUITE(OpsOwnServerTest);

}  // namespace
}  // namespace doudi::testing
