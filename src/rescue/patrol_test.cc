// PatrolService: counts by action, validation of times, places and coordinates, scope, corrections with history.
#include <gtest/gtest.h>

#include "db/testing.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "rescue/patrol_service.h"
#include "rescue/test_support.h"

namespace doudi::rescue {
namespace {

TEST(PatrolCountsTest, PersonsAreSummedByAction) {
  std::vector<PatrolEncounter> e = {{2, "advised", "", -1},        {1, "brought_in", "", -1},
                                    {4, "referred_police", "", -1}, {1, "referred_hospital", "", -1},
                                    {3, "refused", "", -1},         {5, "advised", "", -1}};
  PatrolCounts c = CountEncounters(e);
  EXPECT_EQ(c.persons_met, 16);
  EXPECT_EQ(c.advised, 7);
  EXPECT_EQ(c.brought_in, 1);
  EXPECT_EQ(c.referred_police, 4);
  EXPECT_EQ(c.referred_hospital, 1);
  EXPECT_EQ(c.refused, 3);
}

platform::Principal Staff(int64_t id, const std::string& division) {
  platform::Principal p;
  p.user_id = id;
  p.username = "staff" + std::to_string(id);
  p.role = "rescue_staff";
  p.scope = platform::ScopeKind::kDivision;
  p.division_code = division;
  return p;
}

class PatrolServiceTest : public testing::RescueDbTest {
 protected:
  void SetUp() override {
    RescueDbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    svc_ = std::make_unique<PatrolService>(*db_, *audit_, Divisions::Default(),
                                           [] { return *platform::ParseUtc("2025-06-02T04:00:00.000Z"); });
  }
  static PatrolFields Sample() {
    PatrolFields f;
    f.division_code = "421002";
    f.started_at = "2025-06-01T20:00:00+08:00";
    f.ended_at = "2025-06-01T23:00:00+08:00";
    f.team = {"张三", " 李四 ", ""};
    f.places = {{"421002001", "中山路天桥", 30.31, 112.25}};
    f.encounters = {{2, "advised", "两名男子", 0}, {1, "brought_in", "老人", -1}};
    return f;
  }
  platform::Principal shashi_ = Staff(1, "421002");
  platform::Principal jingzhou_ = Staff(2, "421003");
  std::unique_ptr<PatrolService> svc_;
};

TEST_P(PatrolServiceTest, CreateNormalisesAndCounts) {
  auto p = svc_->Create(shashi_, Sample());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->team, (std::vector<std::string>{"张三", "李四"}));
  EXPECT_EQ(p->started_at, "2025-06-01T12:00:00.000Z");
  EXPECT_EQ(p->counts.persons_met, 3);
  EXPECT_EQ(p->counts.brought_in, 1);
  auto got = svc_->Get(shashi_, p->id);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->places.size(), 1u);
  EXPECT_DOUBLE_EQ(*got->places[0].lat, 30.31);
  EXPECT_EQ(got->encounters[0].place_index, 0);
  EXPECT_EQ(svc_->Get(jingzhou_, p->id).status().code(), Code::kNotFound);
  PatrolQuery q;
  q.from = "2025-06-01";
  q.to = "2025-06-01";
  auto page = svc_->Search(shashi_, q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 1);
  EXPECT_EQ(svc_->Search(jingzhou_, q)->total, 0);
  // 2025-06-01 20:00 in Shanghai is 12:00 UTC the same day; the next Shanghai day does not include it.
  q.from = q.to = "2025-06-02";
  EXPECT_EQ(svc_->Search(shashi_, q)->total, 0);
}

TEST_P(PatrolServiceTest, ValidationNamesEveryBadField) {
  auto f = Sample();
  f.started_at = "2025-05-31T19:00:00+08:00";  // 25 hours
  f.ended_at = "2025-06-01T20:00:00+08:00";
  f.places.push_back({"421002001", "", std::nullopt, std::nullopt});
  f.encounters.push_back({101, "advised", "", -1});
  Status s = svc_->Create(shashi_, f).status();
  ASSERT_EQ(s.code(), Code::kInvalid);
  std::vector<std::string> fields;
  for (const auto& d : s.details()) fields.push_back(d.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"ended_at", "places[1].place", "encounters[2].persons"}));
  f = Sample();
  f.ended_at = "2025-06-02T23:00:00+08:00";  // after the fixed now (2025-06-02 12:00 Shanghai)
  f.started_at = "2025-06-02T20:00:00+08:00";
  EXPECT_EQ(svc_->Create(shashi_, f).status().error_code(), "rescue.patrol.future");
}

TEST_P(PatrolServiceTest, CorrectionKeepsThePreviousVersion) {
  auto p = svc_->Create(shashi_, Sample());
  ASSERT_TRUE(p.ok());
  auto f = Sample();
  f.encounters[1].action = "referred_police";
  EXPECT_EQ(svc_->Correct(shashi_, p->id, 1, f, "").status().error_code(), "rescue.correction.reason");
  EXPECT_EQ(svc_->Correct(jingzhou_, p->id, 1, f, "更正处置").status().code(), Code::kNotFound);
  auto fixed = svc_->Correct(shashi_, p->id, 1, f, "更正处置");
  ASSERT_TRUE(fixed.ok()) << fixed.status().ToString();
  EXPECT_EQ(fixed->counts.referred_police, 1);
  EXPECT_EQ(fixed->counts.brought_in, 0);
  EXPECT_EQ(svc_->Correct(shashi_, p->id, 1, f, "再次").status().code(), Code::kConflict);
  auto h = svc_->History(shashi_, p->id);
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 1u);
  EXPECT_EQ((*h)[0].reason, "更正处置");
  EXPECT_NE((*h)[0].snapshot.find("brought_in"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Db, PatrolServiceTest, ::testing::ValuesIn(db::TestDialects()),
                         [](const auto& info) { return db::DialectName(info.param); });

}  // namespace
}  // namespace doudi::rescue
