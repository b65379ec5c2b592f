// Test support for the rescue services' tests: a migrated database per test (SQLite, or a PostgreSQL schema when
// DOUDI_TEST_PG_URL is set; skipped otherwise) with its audit log (RescueDbTest, for the institution and patrol
// services), and over it the registry and RescueService with test keys, a clock the test moves (`now_`) and two
// station staff of different districts (RescueTest). Tests that need more services (reports, photos, repeat visits)
// add them in their own SetUp after calling the base's SetUp.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "common/calendar.h"
#include "common/divisions.h"
#include "common/time.h"
#include "db/testing.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/crypto.h"
#include "platform/principal.h"
#include "registry/service.h"
#include "registry/test_support.h"
#include "rescue/service.h"

namespace doudi::rescue::testing {

class RescueDbTest : public ::testing::TestWithParam<db::Dialect> {
 protected:
  // A derived SetUp calls this first, then returns when IsSkipped() or HasFatalFailure().
  void SetUp() override {
    auto opened = db::OpenMigratedTestDatabase(GetParam());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    db_ = std::move(opened).value();
    if (!db_) GTEST_SKIP() << db::kPostgresSkipMessage;
    audit_ = platform::AuditLog::Create(*db_);
  }

  std::unique_ptr<db::Database> db_;
  std::unique_ptr<platform::AuditLog> audit_;
};

class RescueTest : public RescueDbTest {
 protected:
  void SetUp() override {
    RescueDbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    crypto_ = platform::Crypto::ForTesting("rescue-test");
    registry_ = std::make_unique<registry::RegistryService>(*db_, *audit_, *crypto_, Divisions::Default(), Clock());
    svc_ = std::make_unique<RescueService>(*db_, *audit_, *crypto_, *registry_, RescueOptions{},
                                           WorkCalendar::Default(), Divisions::Default(), Clock());
    for (auto* p : {&shashi_, &jingzhou_}) {
      p->permissions.insert({"rescue.read", "rescue.write", "tracing.read", "tracing.write"});
    }
  }

  // The services' clock: reads now_ at each call, so a test moves time by changing now_.
  platform::Clock Clock() {
    return [this] { return now_; };
  }

  // Thursday 2025-01-23 10:00 in Shanghai, the week before the Spring Festival.
  TimePoint now_ = *ParseIsoTime("2025-01-23T02:00:00Z");
  platform::Principal shashi_ = registry::testing::MakePrincipal(11, platform::ScopeKind::kDivision, "421002");
  platform::Principal jingzhou_ = registry::testing::MakePrincipal(13, platform::ScopeKind::kDivision, "421003");
  std::unique_ptr<platform::Crypto> crypto_;
  std::unique_ptr<registry::RegistryService> registry_;
  std::unique_ptr<RescueService> svc_;
};

}  // namespace doudi::rescue::testing
