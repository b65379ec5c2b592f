// The common ground of the API suites: a fixture parameterised over the backend (SQLite file / PostgreSQL
// schema) whose tests share one real server, accounts of any role signed in the way a browser would, synthetic
// resident ID numbers with a check character computed here, and assertions on the error body of the API
// contract (docs/api/README.md).
//
//   class AuthTest : public ApiTest<AuthTest> {};
//   TEST_P(AuthTest, Something) { Account a = SignIn(server(), "caseworker", "421002"); ... }
//   DOUDI_API_SUITE(AuthTest);  // Sqlite/AuthTest.* and Postgres/AuthTest.* (skipped without DOUDI_TEST_PG_URL)
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "harness.h"

namespace doudi::testing {

// A signed-in user. password is the current one (after the forced change at first login).
struct Account {
  std::string username, password, totp_secret, role, division;
  int64_t id = 0;
  ApiClient client{0};
  bool ok = false;  // every sign-in step succeeded
};

// Creates an account with `doudi user add` and signs it in: the TOTP code for administrators, then the forced
// password change. On failure, records a test failure and returns an account with ok = false.
Account SignIn(TestServer& server, const std::string& role, const std::string& division);

// "prefix_17": unique within this test process, valid as a username.
std::string UniqueName(std::string_view prefix);

// GB 11643: the check character of the first 17 digits (computed here, independently of src/common).
char IdCheck(std::string_view first17);
// area (6 digits) + birth date (YYYYMMDD) + sequence (0–999; odd = male) + check character.
std::string IdNumber(std::string_view area, std::string_view birth, int seq);
// A valid ID number not handed out before in this process, born in the 1950s–1990s.
std::string NewIdNumber(std::string_view area, int sex = 1);
// A mobile number not handed out before in this process.
std::string NewPhone();
// The masked forms the contract shows: 4210**********1231 and 138****5678.
std::string MaskedId(std::string_view id);
std::string MaskedPhone(std::string_view phone);
// Whether the text holds at least one CJK ideograph (U+4E00–U+9FFF).
bool HasChinese(std::string_view s);

// 2xx.
::testing::AssertionResult IsOk(const HttpResult& r);
// Where the contract fixes no particular code: any non-empty one.
inline constexpr std::string_view kAnyCode = "*";
// The contract's error body: this HTTP status, error.code == code (or any, kAnyCode), a Chinese error.message,
// request_id equal to the X-Request-Id header, and when `field` is given a detail naming it.
::testing::AssertionResult IsError(const HttpResult& r, int status, std::string_view code,
                                   std::string_view field = "");

// The body of a person create: name, division_code, and id_number / phone when given.
nlohmann::json PersonBody(const std::string& name, const std::string& division, const std::string& id_number = "",
                          const std::string& phone = "");
// The person object of a person response (the body itself, or body.person).
nlohmann::json PersonOf(const HttpResult& r);
// Creates a person and returns its id (0 and a test failure if refused).
int64_t CreatePerson(ApiClient& client, const nlohmann::json& body);
// persons visible to `client` whose name contains `name` (the list's total; -1 on error).
int64_t CountPersons(ApiClient& client, const std::string& name);

// Sends `request` as it is over a new TCP connection to 127.0.0.1:port and returns what comes back until the
// server closes the connection or `timeout` passes (for requests a well-behaved client would not send).
std::string RawHttp(int port, const std::string& request, std::chrono::seconds timeout = std::chrono::seconds(10));
// The status code of a raw HTTP response ("HTTP/1.1 413 ..." -> 413), 0 if none.
int RawStatus(const std::string& response);
// The body of a raw HTTP response (after the blank line).
std::string RawBody(const std::string& response);

// url-encoded query parameter value.
std::string Url(std::string_view s);

// Direct SQL against the server's database, for what the API cannot do: move stored times into the past
// (instead of sleeping), tamper with the audit log, count rows behind the API's back.
Status ExecSql(const TestServer& server, const std::string& sql);
// Waits until a change ExecSql made to sessions or users holds for the server: it keeps a session it has read
// for up to SessionCache::kDefaultMaxAge (platform/session_cache.h), as with any change from outside it.
void WaitOutSessionCache();
Result<int64_t> QueryInt(const TestServer& server, const std::string& sql);
// "2024-05-01T04:30:00.000Z" for now + offset, the stored time form.
std::string UtcText(std::chrono::seconds offset);

struct ServerSlot {
  Backend backend = Backend::kSqlite;
  std::unique_ptr<TestServer> server;
  std::string problem;  // why there is no server
  bool skip = false;    // PostgreSQL without DOUDI_TEST_PG_URL
  std::map<std::string, Account> accounts;
};

// Starts a server on `backend`; slot.skip when that is PostgreSQL and DOUDI_TEST_PG_URL is not set.
std::unique_ptr<ServerSlot> StartServer(Backend backend, const std::map<std::string, std::string>& env = {});
bool PostgresAvailable();
// "sqlite" / "postgres", the last part of a test's name.
std::string BackendName(const ::testing::TestParamInfo<Backend>& info);

// Suite: the derived fixture, which may define `static std::map<std::string, std::string> ServerEnv()` and
// `static constexpr bool kSharedServer = false` (its tests then start their own servers with Fresh()).
template <typename Suite>
class ApiTest : public ::testing::TestWithParam<Backend> {
 public:
  static constexpr bool kSharedServer = true;
  static std::map<std::string, std::string> ServerEnv() { return {}; }
  static void TearDownTestSuite() { slot_.reset(); }

 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres && !PostgresAvailable()) {
      GTEST_SKIP() << "DOUDI_TEST_PG_URL is not set: start PostgreSQL with scripts/pg-test-server start and export "
                      "DOUDI_TEST_PG_URL=$(scripts/pg-test-server url) (make test does both)";
    }
    if (!Suite::kSharedServer) return;
    if (!slot_ || slot_->backend != GetParam()) slot_ = StartServer(GetParam(), Suite::ServerEnv());
    ASSERT_TRUE(slot_->server) << slot_->problem;
  }

  TestServer& server() { return *slot_->server; }
  // A new server of this test's own (for tests that kill, stop or restore it).
  std::unique_ptr<TestServer> Fresh(const std::map<std::string, std::string>& env = {}) {
    auto slot = StartServer(GetParam(), env);
    if (!slot->server) ADD_FAILURE() << slot->problem;
    return std::move(slot->server);
  }
  // An account of this role shared by the suite's tests (signed in once: an administrator's second sign-in
  // would wait for the next TOTP step).
  Account& Shared(const std::string& role, const std::string& division = "4210") {
    std::string key = role + "@" + division;
    auto it = slot_->accounts.find(key);
    if (it == slot_->accounts.end()) it = slot_->accounts.emplace(key, SignIn(server(), role, division)).first;
    return it->second;
  }

  static inline std::unique_ptr<ServerSlot> slot_;
};

}  // namespace doudi::testing

// One test suite per backend, so that each runs its tests against one shared server.
#define DOUDI_API_SUITE(Fixture)                                                                              \
  INSTANTIATE_TEST_SUITE_P(Sqlite, Fixture, ::testing::Values(::doudi::testing::Backend::kSqlite),            \
                           ::doudi::testing::BackendName);                                                    \
  INSTANTIATE_TEST_SUITE_P(Postgres, Fixture, ::testing::Values(::doudi::testing::Backend::kPostgres),        \
                           ::doudi::testing::BackendName)
