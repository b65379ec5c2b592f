// Tests of the data-scope rule: every scope kind × the principal's division (none, city, county, township, and
// one that is not digits) × a record's division and creator, against a table written out by hand — both as
// Principal::InScope / DataScope::Contains and as the SQL condition AddScope appends, run on each dialect.
#include "platform/data_scope.h"

#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "db/testing.h"
#include "platform/testing.h"

namespace doudi::platform {
namespace {

constexpr int64_t kMe = 7;
constexpr int64_t kOther = 8;

// The records: every division below, once created by kMe and once by kOther.
const std::vector<std::string> kRowDivisions = {"",          "42",        "4210",   "421002",
                                                "421002001", "421002002", "421003", "421003001"};

struct Case {
  ScopeKind kind;
  std::string division;                 // the principal's
  std::set<std::string> visible;        // row divisions it sees ...
  bool own_only;                        // ... and only among the rows created by kMe
};

// Worked out by hand from the rule in data_scope.h.
const std::vector<Case> kTable = {
    // kAll: everything, whatever the user's division.
    {ScopeKind::kAll, "", {"", "42", "4210", "421002", "421002001", "421002002", "421003", "421003001"}, false},
    {ScopeKind::kAll, "4210", {"", "42", "4210", "421002", "421002001", "421002002", "421003", "421003001"}, false},
    {ScopeKind::kAll, "421002", {"", "42", "4210", "421002", "421002001", "421002002", "421003", "421003001"}, false},
    {ScopeKind::kAll, "421002001", {"", "42", "4210", "421002", "421002001", "421002002", "421003", "421003001"}, false},
    // kDivision: the prefix; no (or a non-digit) division sees nothing.
    {ScopeKind::kDivision, "", {}, false},
    {ScopeKind::kDivision, "4210", {"4210", "421002", "421002001", "421002002", "421003", "421003001"}, false},
    {ScopeKind::kDivision, "421002", {"421002", "421002001", "421002002"}, false},
    {ScopeKind::kDivision, "421002001", {"421002001"}, false},
    {ScopeKind::kDivision, "42100a", {}, false},
    {ScopeKind::kDivision, "4210%", {}, false},
    // kOwn: the user's own records in any division; the user's division plays no part.
    {ScopeKind::kOwn, "", {"", "42", "4210", "421002", "421002001", "421002002", "421003", "421003001"}, true},
    {ScopeKind::kOwn, "4210", {"", "42", "4210", "421002", "421002001", "421002002", "421003", "421003001"}, true},
    {ScopeKind::kOwn, "421002", {"", "42", "4210", "421002", "421002001", "421002002", "421003", "421003001"}, true},
    {ScopeKind::kOwn, "421002001", {"", "42", "4210", "421002", "421002001", "421002002", "421003", "421003001"},
     true},
};

Principal Who(const Case& c) {
  Principal p;
  p.user_id = kMe;
  p.scope = c.kind;
  p.division_code = c.division;
  return p;
}

std::string Label(const Case& c) {
  const char* kind = c.kind == ScopeKind::kAll ? "all" : c.kind == ScopeKind::kDivision ? "division" : "own";
  return std::string(kind) + " '" + c.division + "'";
}

bool Expected(const Case& c, const std::string& division, int64_t created_by) {
  return c.visible.count(division) > 0 && (!c.own_only || created_by == kMe);
}

TEST(DataScope, InScopeAndContainsFollowTheTable) {
  for (const Case& c : kTable) {
    const Principal p = Who(c);
    const DataScope s = DataScopeOf(p);
    for (const auto& d : kRowDivisions) {
      for (int64_t by : {kMe, kOther}) {
        EXPECT_EQ(p.InScope(d, by), Expected(c, d, by)) << Label(c) << " row '" << d << "' by " << by;
        EXPECT_EQ(s.Contains(d, by), Expected(c, d, by)) << Label(c) << " row '" << d << "' by " << by;
      }
    }
  }
}

TEST(DataScope, ScopeValues) {
  Principal p;
  p.user_id = kMe;
  p.scope = ScopeKind::kDivision;
  p.division_code = "";
  EXPECT_TRUE(DataScopeOf(p).none);
  p.division_code = "421002";
  DataScope s = DataScopeOf(p);
  EXPECT_FALSE(s.none);
  EXPECT_EQ(s.division_prefix, "421002");
  EXPECT_FALSE(s.created_by.has_value());
  p.scope = ScopeKind::kOwn;
  s = DataScopeOf(p);
  EXPECT_FALSE(s.none);
  EXPECT_EQ(s.division_prefix, "");
  EXPECT_EQ(s.created_by, kMe);
  p.scope = ScopeKind::kAll;
  s = DataScopeOf(p);
  EXPECT_FALSE(s.none || s.created_by.has_value() || !s.division_prefix.empty());
}

class DataScopeSql : public ::testing::TestWithParam<db::Dialect> {
 protected:
  void SetUp() override {
    auto opened = db::CreateTestDatabase(GetParam());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    db_ = std::move(*opened);
    if (!db_) GTEST_SKIP() << db::kPostgresSkipMessage;
    Status st = db_->Write([&](db::Conn& c) -> Status {
      DOUDI_RETURN_IF_ERROR(
          c.Query("CREATE TABLE scoped (id INTEGER PRIMARY KEY, division_code TEXT NOT NULL, created_by BIGINT NOT NULL)")
              .status());
      int64_t id = 0;
      for (const auto& d : kRowDivisions) {
        for (int64_t by : {kMe, kOther}) {
          DOUDI_RETURN_IF_ERROR(c.Query("INSERT INTO scoped (id, division_code, created_by) VALUES ($1, $2, $3)",
                                        {db::Value(++id), db::Value(d), db::Value(by)})
                                    .status());
        }
      }
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  std::unique_ptr<db::Database> db_;
};

TEST_P(DataScopeSql, AddScopeSelectsTheTableRows) {
  for (const Case& c : kTable) {
    db::SqlBuilder b("SELECT division_code, created_by FROM scoped s WHERE 1 = 1");
    AddScope(b, DataScopeOf(Who(c)), "s.division_code", "s.created_by");
    std::multiset<std::pair<std::string, int64_t>> got, want;
    Status st = db_->Read([&](db::Conn& conn) -> Status {
      DOUDI_ASSIGN_OR_RETURN(auto rows, conn.Query(b.sql(), b.span()));
      for (const auto& r : rows) got.insert({r.Text(0), r.Int(1)});
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << Label(c) << ": " << st.ToString();
    for (const auto& d : kRowDivisions) {
      for (int64_t by : {kMe, kOther}) {
        if (Expected(c, d, by)) want.insert({d, by});
      }
    }
    EXPECT_EQ(got, want) << Label(c) << ": " << b.sql();
  }
}

INSTANTIATE_TEST_SUITE_P(Db, DataScopeSql, ::testing::ValuesIn(db::TestDialects()),
                         [](const auto& info) { return db::DialectName(info.param); });

// A division-scoped user without a division would see nothing (above); UsersService makes sure there is none:
// the division code is required, on creation and on every change, whatever the role.
class ScopedUsers : public testing::PlatformTest {};

TEST_P(ScopedUsers, EveryAccountHasADivision) {
  const Principal admin = SystemActor();
  for (const char* role : {"caseworker", "verifier", "rescue_staff", "manager"}) {
    Status st = p_->users.Create(admin, {std::string("u_") + role, "某某", "Zhangsan#2024", role, "", ""}).status();
    EXPECT_EQ(st.error_code(), "auth.user.division") << role;
    ASSERT_FALSE(st.details().empty()) << role;
    EXPECT_EQ(st.details()[0].field, "division_code") << role;
  }
  const int64_t id = p_->AddUser("county_worker", "caseworker", "Zhangsan#2024", "421002");
  ASSERT_NE(id, 0);
  EXPECT_EQ(p_->users.Update(admin, id, {"某某", "", ""}, 1).status().error_code(), "auth.user.division");
  EXPECT_EQ(p_->users.Update(admin, id, {"某某", "42100a", ""}, 1).status().error_code(), "auth.user.division");
  auto kept = p_->users.Get(admin, id);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(kept->division_code, "421002");
}

DOUDI_PLATFORM_DIALECTS(ScopedUsers);

}  // namespace
}  // namespace doudi::platform
