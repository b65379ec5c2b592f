// Test support for the registry's tests: a migrated database per test (SQLite file, or a PostgreSQL schema
// when DOUDI_TEST_PG_URL is set), the service over it with test keys and a fixed clock, principals of each data
// scope, and valid synthetic ID numbers computed here independently of common/id_number.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/divisions.h"
#include "db/testing.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/crypto.h"
#include "platform/principal.h"
#include "registry/json.h"
#include "registry/service.h"

namespace doudi::registry::testing {

// GB 11643: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 indexes "10X98765432".
inline std::string WithCheck(const std::string& first17) {
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return first17 + "10X98765432"[sum % 11];
}

// A valid ID number: county code, YYYYMMDD, 3-digit sequence (odd = male).
inline std::string MakeId(const std::string& county, const std::string& yyyymmdd, int seq) {
  char s[8];
  std::snprintf(s, sizeof s, "%03d", seq % 1000);
  return WithCheck(county + yyyymmdd + s);
}

inline platform::Principal MakePrincipal(int64_t user_id, platform::ScopeKind scope, std::string division,
                                         bool can_reveal = false) {
  platform::Principal p;
  p.user_id = user_id;
  p.username = "user" + std::to_string(user_id);
  p.role = "caseworker";
  p.scope = scope;
  p.division_code = std::move(division);
  p.permissions = {"registry.person.read", "registry.person.write", "registry.household.read",
                   "registry.household.write"};
  if (can_reveal) p.permissions.insert("pii.reveal");
  return p;
}

// "today" for every test: 2025-06-01 in Shanghai (04:00 UTC is 12:00 there).
inline platform::TimePoint FixedNow() { return *platform::ParseUtc("2025-06-01T04:00:00.000Z"); }

class RegistryTest : public ::testing::TestWithParam<db::Dialect> {
 protected:
  void SetUp() override {
    auto opened = db::OpenMigratedTestDatabase(GetParam());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    db_ = std::move(opened).value();
    if (!db_) GTEST_SKIP() << db::kPostgresSkipMessage;
    crypto_ = platform::Crypto::ForTesting("registry-test");
    audit_ = platform::AuditLog::Create(*db_);
    svc_ = std::make_unique<RegistryService>(*db_, *audit_, *crypto_, Divisions::Default(), [] { return FixedNow(); });
  }
  void TearDown() override {
    svc_.reset();
    audit_.reset();
    db_.reset();
  }

  // A person in `division` with a valid ID, phone and the rest filled in.
  static NewPerson Sample(const std::string& name, const std::string& division, const std::string& id_number) {
    NewPerson p;
    p.name = name;
    p.id_number = id_number;
    p.division_code = division;
    p.ethnicity = "01";
    p.phone = "13812345678";
    p.address = "荆州市某路 1 号";
    return p;
  }

  // The JSON form as the routes return it, "today" being the fixed clock's day.
  nlohmann::json PersonJsonForTest(const Person& p) { return PersonJson(p, Divisions::Default(), "2025-06-01"); }

  int64_t CountRows(const std::string& sql) {
    int64_t n = -1;
    Status s = db_->Read([&](db::Conn& c) -> Status {
      DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(sql));
      n = rows.empty() ? 0 : rows[0].Int(0);
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return n;
  }

  std::vector<platform::AuditRow> AuditRows(const std::string& action, const std::string& object_id = "") {
    platform::AuditQuery q;
    q.action = action;
    if (!object_id.empty()) q.object_id = object_id;
    q.size = 200;
    auto r = audit_->Search(q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->first : std::vector<platform::AuditRow>{};
  }

  platform::Principal city_ = MakePrincipal(1, platform::ScopeKind::kAll, "4210", true);
  platform::Principal jingzhou_ = MakePrincipal(2, platform::ScopeKind::kDivision, "421003");   // 荆州区
  platform::Principal shashi_ = MakePrincipal(3, platform::ScopeKind::kDivision, "421002");     // 沙市区
  platform::Principal own_ = MakePrincipal(4, platform::ScopeKind::kOwn, "421003001");

  std::unique_ptr<db::Database> db_;
  std::unique_ptr<platform::Crypto> crypto_;
  std::unique_ptr<platform::AuditLog> audit_;
  std::unique_ptr<RegistryService> svc_;
};

}  // namespace doudi::registry::testing
