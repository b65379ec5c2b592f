// Test support for the platform's tests: the platform's services over a fresh migrated database (SQLite, or
// PostgreSQL when DOUDI_TEST_PG_URL is set; db/testing.h), with a clock the test moves by hand and the
// cheapest password cost. Suites derive from PlatformTest and run once per dialect.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "db/db.h"
#include "db/testing.h"
#include "platform/access.h"
#include "platform/audit.h"
#include "platform/auth.h"
#include "platform/clock.h"
#include "platform/config.h"
#include "platform/crypto.h"
#include "platform/roles.h"
#include "platform/users.h"

namespace doudi::platform::testing {

class TestPlatform {
 public:
  TestPlatform(std::unique_ptr<db::Database> database, PlatformConfig config = TestConfig())
      : db_(std::move(database)),
        config(std::move(config)),
        audit(AuditLog::Create(*db_)),
        roles(*db_, clock),
        users(*db_, *audit, *crypto, roles, sessions, this->config, clock),
        role_admin(*db_, *audit, roles, clock),
        auth(*db_, *audit, *crypto, roles, sessions, this->config, clock) {}

  static PlatformConfig TestConfig() {
    PlatformConfig c;
    c.password_cost = PasswordCost::Minimum();
    return c;
  }
  // 2024-05-01T04:30:00Z, which is 12:30 in Beijing.
  static TimePoint Start() { return *ParseUtc("2024-05-01T04:30:00.000Z"); }

  void Advance(std::chrono::seconds d) { now += d; }
  db::Database& db() { return *db_; }
  bool postgres() const { return db_->dialect() == db::Dialect::kPostgres; }

  // Creates a user through the CLI actor; returns its id (failing the test on error).
  int64_t AddUser(const std::string& username, const std::string& role, const std::string& password,
                  const std::string& division = "421003") {
    auto u = users.Create(SystemActor(), {username, username + " 姓名", password, role, division, ""});
    EXPECT_TRUE(u.ok()) << u.status().ToString();
    return u.ok() ? u->id : 0;
  }

 private:
  std::unique_ptr<db::Database> db_;

 public:
  TimePoint now = Start();
  Clock clock = [this] { return now; };
  PlatformConfig config;
  std::unique_ptr<Crypto> crypto = Crypto::ForTesting("platform-test");
  std::unique_ptr<AuditLog> audit;  // declared after the database, so destroyed (and drained) before it
  RoleDirectory roles;
  SessionCache sessions;
  UsersService users;
  RolesService role_admin;
  AuthService auth;
};

// The platform over a fresh database of `dialect`; null when that dialect is not configured (PostgreSQL
// without DOUDI_TEST_PG_URL).
inline std::unique_ptr<TestPlatform> OpenPlatform(db::Dialect dialect,
                                                  PlatformConfig config = TestPlatform::TestConfig()) {
  auto opened = db::OpenMigratedTestDatabase(dialect);
  EXPECT_TRUE(opened.ok()) << opened.status().ToString();
  if (!opened.ok() || !*opened) return nullptr;
  return std::make_unique<TestPlatform>(std::move(*opened), std::move(config));
}

class PlatformTest : public ::testing::TestWithParam<db::Dialect> {
 protected:
  virtual PlatformConfig Config() { return TestPlatform::TestConfig(); }
  void SetUp() override {
    if (GetParam() == db::Dialect::kPostgres && !db::PostgresTestConfigured()) GTEST_SKIP() << db::kPostgresSkipMessage;
    p_ = OpenPlatform(GetParam(), Config());
    ASSERT_TRUE(p_);
  }
  std::unique_ptr<TestPlatform> p_;
};

inline std::string DialectTestName(const ::testing::TestParamInfo<db::Dialect>& info) {
  return db::DialectName(info.param);
}

}  // namespace doudi::platform::testing

// Runs the TEST_P tests of `suite` on every dialect.
#define DOUDI_PLATFORM_DIALECTS(suite)                                                              \
  INSTANTIATE_TEST_SUITE_P(Db, suite, ::testing::ValuesIn(::doudi::db::TestDialects()), \
                           ::doudi::platform::testing::DialectTestName)
