// InstitutionService and its pure rules: the checklist's scores and rating, the rectification state machine,
// deadlines in working days across the National Day and Spring Festival holidays (worked out by hand from
// data/holidays/holidays_cn.csv), scope, versions and history. SQLite and, when DOUDI_TEST_PG_URL is set,
// PostgreSQL.
#include <gtest/gtest.h>

#include "db/testing.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "rescue/inspection_checklist.h"
#include "rescue/institution_service.h"
#include "rescue/rectification_rules.h"
#include "rescue/test_support.h"

namespace doudi::rescue {
namespace {

std::vector<ChecklistScore> Scores(int q, int f, int c, int s, int r) {
  return {{"qualifications", q, ""}, {"facilities", f, ""}, {"care_quality", c, ""}, {"safety", s, ""},
          {"records", r, ""}};
}

TEST(InspectionChecklistTest, TotalIsTheSumAndRatingFollowsTheBands) {
  EXPECT_EQ(TotalScore(Scores(20, 20, 20, 20, 20)), 100);
  EXPECT_EQ(TotalScore(Scores(18, 16, 11, 17, 15)), 77);
  EXPECT_EQ(Rating(100), "excellent");
  EXPECT_EQ(Rating(90), "excellent");
  EXPECT_EQ(Rating(89), "good");
  EXPECT_EQ(Rating(75), "good");
  EXPECT_EQ(Rating(74), "pass");
  EXPECT_EQ(Rating(60), "pass");
  EXPECT_EQ(Rating(59), "fail");
  EXPECT_EQ(RatingName("fail"), "不合格");
  // 60 % of 20 is 12: 11 is weak, 12 is not.
  EXPECT_TRUE(IsWeak({"care_quality", 11, ""}));
  EXPECT_FALSE(IsWeak({"care_quality", 12, ""}));
}

TEST(InspectionChecklistTest, EveryItemOnceWithinItsRange) {
  EXPECT_TRUE(ValidateScores(Scores(0, 20, 10, 5, 7)).ok());
  Status s = ValidateScores(Scores(21, 20, 10, 5, -1));
  ASSERT_FALSE(s.ok());
  ASSERT_EQ(s.details().size(), 2u);
  EXPECT_EQ(s.details()[0].field, "items[0].score");
  EXPECT_EQ(s.details()[1].field, "items[4].score");
  auto four = Scores(1, 1, 1, 1, 1);
  four.pop_back();
  EXPECT_EQ(ValidateScores(four).error_code(), "rescue.inspection.item_missing");
  auto repeated = Scores(1, 1, 1, 1, 1);
  repeated[4].code = "safety";
  EXPECT_EQ(ValidateScores(repeated).error_code(), "rescue.inspection.item_repeated");
  auto unknown = Scores(1, 1, 1, 1, 1);
  unknown[0].code = "food";
  EXPECT_EQ(ValidateScores(unknown).error_code(), "rescue.inspection.item_unknown");
}

TEST(RectificationRulesTest, TransitionsAllowedAndRefused) {
  struct Case {
    const char* state;
    const char* action;
    const char* next;  // nullptr = refused
  };
  const Case cases[] = {
      {"open", "submit", "submitted"},     {"open", "verify", nullptr},        {"open", "reopen", nullptr},
      {"open", "extend", "open"},          {"open", "note", "open"},           {"submitted", "verify", "closed"},
      {"submitted", "reopen", "reopened"}, {"submitted", "submit", nullptr},   {"submitted", "extend", nullptr},
      {"closed", "reopen", "reopened"},    {"closed", "verify", nullptr},      {"closed", "submit", nullptr},
      {"closed", "note", "closed"},        {"reopened", "submit", "submitted"}, {"reopened", "extend", "reopened"},
      {"reopened", "verify", nullptr},     {"open", "delete", nullptr},
  };
  for (const auto& c : cases) {
    auto next = NextRectificationState(c.state, c.action);
    if (c.next) {
      ASSERT_TRUE(next.ok()) << c.state << " " << c.action << ": " << next.status().ToString();
      EXPECT_EQ(*next, c.next) << c.state << " " << c.action;
    } else {
      EXPECT_FALSE(next.ok()) << c.state << " " << c.action;
    }
  }
}

TEST(RectificationRulesTest, DeadlineStatusOnAGivenDay) {
  EXPECT_EQ(DeadlineStatus("open", "2025-10-10", "2025-10-11"), "overdue");
  EXPECT_EQ(DeadlineStatus("reopened", "2025-10-10", "2025-10-11"), "overdue");
  EXPECT_EQ(DeadlineStatus("open", "2025-10-10", "2025-10-10"), "due_soon");  // the last day still counts
  EXPECT_EQ(DeadlineStatus("open", "2025-10-10", "2025-10-07"), "due_soon");
  EXPECT_EQ(DeadlineStatus("open", "2025-10-10", "2025-10-06"), "pending");
  EXPECT_EQ(DeadlineStatus("submitted", "2025-10-10", "2025-12-01"), "submitted");
  EXPECT_EQ(DeadlineStatus("closed", "2025-10-10", "2025-12-01"), "closed");
}

platform::Principal Supervisor(int64_t id, const std::string& division) {
  platform::Principal p;
  p.user_id = id;
  p.username = "sup" + std::to_string(id);
  p.display_name = "监管员" + std::to_string(id);
  p.role = "institution_supervisor";
  p.scope = platform::ScopeKind::kDivision;
  p.division_code = division;
  p.permissions = {"institution.read", "institution.write"};
  return p;
}

class InstitutionServiceTest : public testing::RescueDbTest {
 protected:
  void SetUp() override {
    RescueDbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    svc_ = std::make_unique<InstitutionService>(*db_, *audit_, Divisions::Default(), WorkCalendar::Default(),
                                                [this] { return now_; });
  }
  void TearDown() override {
    svc_.reset();
    audit_.reset();
    db_.reset();
  }
  void SetToday(const std::string& shanghai_noon_day) {
    now_ = *platform::ParseUtc(shanghai_noon_day + "T04:00:00.000Z");
  }
  InstitutionFields Fields(const std::string& name, const std::string& division) {
    InstitutionFields f;
    f.name = name;
    f.kind = "foster_care";
    f.division_code = division;
    f.capacity = 30;
    f.contract_start = "2025-01-01";
    f.contract_end = "2026-12-31";
    return f;
  }
  // An institution with one inspection on `day`; returns the inspection id.
  int64_t Inspected(const std::string& day) {
    auto inst = svc_->CreateInstitution(sup_, Fields("测试托养中心", "421002"));
    EXPECT_TRUE(inst.ok()) << inst.status().ToString();
    InspectionFields f;
    f.inspected_on = day;
    f.inspectors = {"李监管"};
    f.items = Scores(18, 16, 11, 17, 15);
    auto s = svc_->CreateInspection(sup_, inst->id, f);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? s->id : 0;
  }

  platform::TimePoint now_ = *platform::ParseUtc("2025-09-26T04:00:00.000Z");
  platform::Principal sup_ = Supervisor(1, "421002");
  platform::Principal other_ = Supervisor(2, "421003");
  std::unique_ptr<InstitutionService> svc_;
};

TEST_P(InstitutionServiceTest, WorkingDayDeadlinesSkipTheNationalDayHolidays) {
  int64_t inspection = Inspected("2025-09-25");
  ASSERT_GT(inspection, 0);
  // Friday 2025-09-26 + 5 wd: Sun 28 (调休 working), Mon 29, Tue 30, Oct 1–8 off, Thu 9, Fri 10.
  auto five = svc_->OrderRectification(sup_, inspection, {"增配夜间看护人员", "", 5, ""});
  ASSERT_TRUE(five.ok()) << five.status().ToString();
  EXPECT_EQ(five->issued_on, "2025-09-26");
  EXPECT_EQ(five->deadline, "2025-10-10");
  // + 7 wd: Sat Oct 11 (调休 working), Sun 12 off, Mon 13.
  auto seven = svc_->OrderRectification(sup_, inspection, {"完善消防设施", "", 7, ""});
  ASSERT_TRUE(seven.ok());
  EXPECT_EQ(seven->deadline, "2025-10-13");
  ASSERT_EQ(seven->events.size(), 1u);
  EXPECT_EQ(seven->events[0].action, "order");
}

TEST_P(InstitutionServiceTest, WorkingDayDeadlinesSkipTheSpringFestival) {
  SetToday("2026-02-13");
  int64_t inspection = Inspected("2026-02-13");
  ASSERT_GT(inspection, 0);
  // Friday 2026-02-13 + 3 wd: Sat 14 (调休 working), Feb 15–23 off, Tue 24, Wed 25.
  auto r = svc_->OrderRectification(sup_, inspection, {"补齐人员档案", "", 3, ""});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->deadline, "2026-02-25");
  // Extending counts from today (2026-02-13): 2 wd end on Tue 24 (Sat 14, then Tue 24), before the old
  // deadline, so refused; 5 wd end on Fri 27.
  EXPECT_EQ(svc_->FollowUp(sup_, r->id, r->version, "extend", "春节期间无法整改", "", 2).status().error_code(),
            "rescue.rectification.extend_earlier");
  auto e = svc_->FollowUp(sup_, r->id, r->version, "extend", "春节期间无法整改", "", 5);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->deadline, "2026-02-27");
  EXPECT_EQ(e->state, "open");
}

TEST_P(InstitutionServiceTest, FollowUpUntilClosedAndOverdueOnlyWhileTheInstitutionMustAct) {
  int64_t inspection = Inspected("2025-09-25");
  auto r = svc_->OrderRectification(sup_, inspection, {"增配夜间看护人员", "", 5, ""});
  ASSERT_TRUE(r.ok());
  auto overdue = [&] {
    RectificationQuery q;
    q.overdue = true;
    auto page = svc_->SearchRectifications(sup_, q);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->total : -1;
  };
  EXPECT_EQ(overdue(), 0);
  SetToday("2025-10-11");  // the day after the deadline
  EXPECT_EQ(overdue(), 1);
  auto submitted = svc_->FollowUp(sup_, r->id, 1, "submit", "已整改", "", std::nullopt);
  ASSERT_TRUE(submitted.ok()) << submitted.status().ToString();
  EXPECT_EQ(overdue(), 0) << "waiting for verification is not the institution's delay";
  EXPECT_EQ(svc_->FollowUp(sup_, r->id, 1, "verify", "", "", std::nullopt).status().code(), Code::kConflict);
  auto reopened = svc_->FollowUp(sup_, r->id, 2, "reopen", "记录仍不全", "", 3);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ(reopened->state, "reopened");
  // Saturday 2025-10-11 + 3 wd: Mon 13, Tue 14, Wed 15.
  EXPECT_EQ(reopened->deadline, "2025-10-15");
  EXPECT_EQ(overdue(), 0);
  ASSERT_TRUE(svc_->FollowUp(sup_, r->id, 3, "submit", "已补齐", "", std::nullopt).ok());
  auto closed = svc_->FollowUp(sup_, r->id, 4, "verify", "复查合格", "", std::nullopt);
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->state, "closed");
  EXPECT_EQ(closed->closed_on, "2025-10-11");
  ASSERT_EQ(closed->events.size(), 5u);
  EXPECT_EQ(closed->events[2].deadline_after, "2025-10-15");
  EXPECT_EQ(closed->events[4].state_after, "closed");
  EXPECT_EQ(closed->events[4].by_name, "监管员1");
  // A closed order cannot be verified again; a note still goes on the record.
  EXPECT_EQ(svc_->FollowUp(sup_, r->id, 5, "verify", "", "", std::nullopt).status().error_code(),
            "rescue.rectification.transition");
  EXPECT_TRUE(svc_->FollowUp(sup_, r->id, 5, "note", "回访一次", "", std::nullopt).ok());
  EXPECT_EQ(svc_->FollowUp(sup_, r->id, 6, "note", "", "", std::nullopt).status().error_code(),
            "rescue.rectification.note_required");
  EXPECT_EQ(svc_->FollowUp(sup_, r->id, 6, "submit", "", "2025-12-01", std::nullopt).status().error_code(),
            "rescue.rectification.deadline_not_allowed");
  // One audit row per mutation: the order and five follow-ups that went through.
  platform::AuditQuery q;
  q.object_type = "rescue_rectification";
  q.object_id = std::to_string(r->id);
  auto rows = audit_->Search(q);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->second, 6);
}

TEST_P(InstitutionServiceTest, ScopeVersionsAndHistory) {
  auto inst = svc_->CreateInstitution(sup_, Fields("沙市区托养中心", "421002001"));
  ASSERT_TRUE(inst.ok()) << inst.status().ToString();
  EXPECT_EQ(svc_->GetInstitution(other_, inst->id).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->CreateInstitution(other_, Fields("越界", "421002")).status().error_code(), "rescue.scope.outside");
  auto fields = Fields("沙市区福利托养中心", "421002001");
  EXPECT_EQ(svc_->CorrectInstitution(sup_, inst->id, 1, fields, "").status().error_code(),
            "rescue.correction.reason");
  EXPECT_EQ(svc_->CorrectInstitution(other_, inst->id, 1, fields, "更名").status().code(), Code::kNotFound);
  auto fixed = svc_->CorrectInstitution(sup_, inst->id, 1, fields, "更名");
  ASSERT_TRUE(fixed.ok()) << fixed.status().ToString();
  EXPECT_EQ(fixed->version, 2);
  EXPECT_EQ(svc_->CorrectInstitution(sup_, inst->id, 1, fields, "再次更名").status().code(), Code::kConflict);
  auto history = svc_->History(sup_, "rescue_institution", inst->id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].version, 1);
  EXPECT_NE((*history)[0].snapshot.find("沙市区托养中心"), std::string::npos);
  // The placement counter plugged in by the station workflow is what the institution shows.
  svc_->SetPlacementCounter([&](const std::vector<int64_t>& ids) -> Result<std::map<int64_t, int64_t>> {
    std::map<int64_t, int64_t> m;
    for (auto id : ids) m[id] = id == inst->id ? 4 : 0;
    return m;
  });
  auto again = svc_->GetInstitution(sup_, inst->id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->placed_persons, 4);
}

TEST_P(InstitutionServiceTest, OpenOrdersAreWorkQueueItemsOfTheirIssuerInScope) {
  int64_t inspection = Inspected("2025-09-25");
  auto a = svc_->OrderRectification(sup_, inspection, {"增配夜间看护人员并完善交接班记录，重新制定排班表并报送监管部门备案", "", 5, ""});
  auto b = svc_->OrderRectification(sup_, inspection, {"完善消防设施", "", std::nullopt, "2025-12-31"});
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(svc_->FollowUp(sup_, b->id, 1, "submit", "已完成", "", std::nullopt).ok());
  auto items = svc_->RectificationDeadlines(sup_, now_);
  ASSERT_TRUE(items.ok()) << items.status().ToString();
  ASSERT_EQ(items->size(), 1u) << "a submitted order waits for the supervisor, not the institution";
  const DeadlineItem& d = (*items)[0];
  EXPECT_EQ(d.kind, "rectification");
  EXPECT_EQ(d.object_id, a->id);
  EXPECT_EQ(d.due_date, "2025-10-10");
  EXPECT_EQ(d.assignee_id, sup_.user_id);
  EXPECT_EQ(d.station_division, "421002");
  EXPECT_NE(d.title.find("测试托养中心"), std::string::npos);
  EXPECT_NE(d.title.find("…"), std::string::npos) << "a long requirement is shortened in the title";
  auto other = svc_->RectificationDeadlines(other_, now_);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty()) << "another county's supervisor sees none";
}

TEST_P(InstitutionServiceTest, PlacementTargetsMustBeRegisteredOfTheRightKindAndNotEnded) {
  auto home = svc_->CreateInstitution(sup_, Fields("托养中心", "421002"));
  auto hospital_fields = Fields("定点医院", "421002");
  hospital_fields.kind = "hospital";
  auto hospital = svc_->CreateInstitution(sup_, hospital_fields);
  ASSERT_TRUE(home.ok() && hospital.ok());
  EXPECT_TRUE(svc_->CheckPlacementTarget(home->id, "institution").ok());
  EXPECT_TRUE(svc_->CheckPlacementTarget(hospital->id, "hospital").ok());
  EXPECT_EQ(svc_->CheckPlacementTarget(hospital->id, "institution").error_code(), "rescue.institution.kind_mismatch");
  EXPECT_EQ(svc_->CheckPlacementTarget(home->id + 1000, "institution").error_code(), "rescue.institution.not_found");
  auto ended = Fields("托养中心", "421002");
  ended.status = "ended";
  ASSERT_TRUE(svc_->CorrectInstitution(sup_, home->id, 1, ended, "协议终止").ok());
  EXPECT_EQ(svc_->CheckPlacementTarget(home->id, "institution").error_code(), "rescue.institution.ended");
}

INSTANTIATE_TEST_SUITE_P(Db, InstitutionServiceTest, ::testing::ValuesIn(db::TestDialects()),
                         [](const auto& info) { return db::DialectName(info.param); });

}  // namespace
}  // namespace doudi::rescue
