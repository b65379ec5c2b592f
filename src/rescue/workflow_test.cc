// The station workflow through RescueService on a real database (SQLite, and PostgreSQL when configured): every
// state change, the refusals of bad input, scope, versions, deadlines in the work queue and the numbers.
#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "db/testing.h"
#include "registry/test_support.h"
#include "rescue/service.h"
#include "rescue/test_support.h"

namespace doudi::rescue {
namespace {

using registry::testing::MakeId;
using registry::testing::MakePrincipal;

class WorkflowTest : public testing::RescueTest {
 protected:
  void SetUp() override {
    RescueTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    shashi2_.permissions.insert({"rescue.read", "rescue.write", "tracing.read", "tracing.write"});
  }

  NewIntake Unknown(const std::string& features = "左眉有痣") {
    NewIntake in;
    in.how_came = "patrol";
    in.patrol_ref = "XC-1";
    in.sex = 1;
    in.estimated_age = 45;
    in.height_cm = 170;
    in.features = features;
    in.clothing = "蓝色外套";
    in.health_state = "糖尿病";
    in.found_place = "沙市区北京路";
    return in;
  }

  Case MustIntake(NewIntake in, const platform::Principal& who) {
    auto k = svc_->Intake(who, std::move(in));
    EXPECT_TRUE(k.ok()) << k.status().ToString();
    return k.ok() ? *k : Case{};
  }

  void Advance(std::chrono::hours h) { now_ += h; }

  int64_t Count(const std::string& sql) {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](db::Conn& c) -> Status {
                  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(sql));
                  n = rows[0].Int(0);
                  return Status::Ok();
                }).ok());
    return n;
  }

  platform::Principal shashi2_ = MakePrincipal(12, platform::ScopeKind::kDivision, "421002");
};

TEST_P(WorkflowTest, UnidentifiedIntakeCreatesTheRegistryPersonAndANoticeDueIn24Hours) {
  Case k = MustIntake(Unknown(), shashi_);
  EXPECT_EQ(k.status, "in_station");
  EXPECT_FALSE(k.identified);
  EXPECT_EQ(k.station_division, "421002");
  ASSERT_GT(k.person_id, 0);
  auto p = registry_->LoadPerson(k.person_id);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->name, "无名氏");
  EXPECT_EQ(p->estimated_age, 45);
  auto notices = svc_->ListNotices(shashi_, "draft");
  ASSERT_TRUE(notices.ok());
  ASSERT_EQ(notices->size(), 1u);
  EXPECT_EQ((*notices)[0].due_at, "2025-01-24T02:00:00.000Z");
  EXPECT_EQ((*notices)[0].found_date, "2025-01-23");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'rescue.case.create'"), 1);
}

TEST_P(WorkflowTest, ScreeningSendsToHospitalOrPolice) {
  NewIntake in = Unknown();
  in.screening.injury = true;
  in.screening.danger = true;
  Case k = MustIntake(in, shashi_);
  EXPECT_EQ(k.referred_to, "hospital,police");
}

TEST_P(WorkflowTest, PoliceHandOverNeedsTheSignedForm) {
  NewIntake in = Unknown();
  in.how_came = "police";
  auto r = svc_->Intake(shashi_, in);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_code(), "rescue.police_form.required");
  in.police_form_ref = "YS-2025-001";
  EXPECT_TRUE(svc_->Intake(shashi_, in).ok());
  in.how_came = "walked";
  EXPECT_EQ(svc_->Intake(shashi_, in).status().error_code(), "rescue.how_came.invalid");
}

TEST_P(WorkflowTest, RepeatVisitsLinkByIdNumberAndTheThirdIn12MonthsIsFlagged) {
  const std::string id = MakeId("421002", "19700305", 11);
  std::vector<int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    NewIntake in = Unknown();
    in.id_number = id;
    in.name = "张三";
    Case k = MustIntake(in, shashi_);
    ids.push_back(k.id);
    EXPECT_TRUE(k.identified);
    Departure d;
    d.kind = "self";
    d.declaration_ref = "ZX-" + std::to_string(i);
    ASSERT_TRUE(svc_->Depart(shashi_, k.id, d).ok());
    Advance(std::chrono::hours(24 * 100));
  }
  auto a = svc_->CaseDetail(shashi_, ids[0]);
  auto c = svc_->CaseDetail(shashi_, ids[2]);
  ASSERT_TRUE(a.ok() && c.ok());
  EXPECT_EQ((*a)["case"]["person_id"], (*c)["case"]["person_id"]) << "one registry person";
  EXPECT_EQ((*c)["history"].size(), 2u);
  EXPECT_EQ((*c)["repeat_vagrancy"]["intakes_12_months"], 3);
  EXPECT_TRUE((*c)["repeat_vagrancy"]["flag"].get<bool>());
  EXPECT_FALSE((*a)["repeat_vagrancy"]["flag"].get<bool>()) << "the first visit had no earlier ones";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM rescue_notices"), 0) << "identified persons need no notice";
}

TEST_P(WorkflowTest, IdentityFoundLaterUpdatesTheRegistryPersonAndClosesTheNotice) {
  Case k = MustIntake(Unknown(), shashi_);
  const std::string id = MakeId("421003", "19800101", 21);
  auto done = svc_->Identify(shashi_, k.id, id, "李四", "conversation");
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_TRUE(done->identified);
  EXPECT_EQ(done->birth_date, "1980-01-01");
  auto p = registry_->LoadPerson(k.person_id);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->id_number, id);
  EXPECT_EQ(p->name, "李四");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM rescue_notices WHERE status = 'closed'"), 1);
  EXPECT_EQ(svc_->Identify(shashi_, k.id, id, "", "").status().error_code(), "rescue.case.identified");
}

TEST_P(WorkflowTest, DepartureRefusesBadInputThenClosesTheRecord) {
  NewIntake in = Unknown();
  in.belongings.push_back({"手机", 1, ""});
  Case k = MustIntake(in, shashi_);
  Advance(std::chrono::hours(48));
  Departure d;
  d.kind = "self";
  d.declaration_ref = "ZX-1";
  d.departed_at = "2025-01-22T02:00:00Z";
  EXPECT_EQ(svc_->Depart(shashi_, k.id, d).status().error_code(), "rescue.departure.before_intake");
  d.departed_at.clear();
  EXPECT_EQ(svc_->Depart(shashi_, k.id, d).status().error_code(), "rescue.departure.belongings_held");
  // Returning needs a signature.
  auto detail = svc_->CaseDetail(shashi_, k.id);
  ASSERT_TRUE(detail.ok());
  int64_t bid = (*detail)["belongings"][0]["id"];
  EXPECT_EQ(svc_->ReturnBelonging(shashi_, k.id, bid, "本人", "").status().error_code(), "rescue.belonging.signature");
  ASSERT_TRUE(svc_->ReturnBelonging(shashi_, k.id, bid, "本人", "QS-1").ok());
  Departure no_decl;
  no_decl.kind = "self";
  EXPECT_EQ(svc_->Depart(shashi_, k.id, no_decl).status().error_code(), "rescue.departure.declaration");
  auto out = svc_->Depart(shashi_, k.id, d);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->status, "departed");
  EXPECT_EQ(out->departure_kind, "self");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM rescue_notices WHERE status = 'closed'"), 1);
  // Closed: no further departure, care or placement.
  EXPECT_EQ(svc_->Depart(shashi_, k.id, d).status().error_code(), "rescue.case.closed");
  CareRecord meal;
  meal.kind = "meal";
  meal.detail = "午餐";
  EXPECT_EQ(svc_->AddCare(shashi_, k.id, meal).status().error_code(), "rescue.case.closed");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM rescue_cases"), 1) << "nothing deleted";
}

TEST_P(WorkflowTest, AMinorLeavesOnlyWithAVerifiedRelative) {
  NewIntake in = Unknown();
  in.estimated_age = 12;
  Case k = MustIntake(in, shashi_);
  Departure self;
  self.kind = "self";
  self.declaration_ref = "ZX-1";
  EXPECT_EQ(svc_->Depart(shashi_, k.id, self).status().error_code(), "rescue.departure.minor_alone");
  Departure rel;
  rel.kind = "relatives";
  rel.relative_name = "王父";
  rel.relative_relation = "父亲";
  rel.found_by = "police";
  EXPECT_EQ(svc_->Depart(shashi_, k.id, rel).status().error_code(), "rescue.departure.relative_unverified");
  rel.relative_id_number = MakeId("421002", "19800101", 31);
  EXPECT_EQ(svc_->Depart(shashi_, k.id, rel).status().error_code(), "rescue.departure.relative_unverified")
      << "the ID must be checked in person";
  rel.relative_id_checked = true;
  auto out = svc_->Depart(shashi_, k.id, rel);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->departure.find(rel.relative_id_number), std::string::npos) << "relative's ID stored masked";
  EXPECT_EQ(out->found_by, "police");
}

TEST_P(WorkflowTest, CorrectionsAreVersionsWithWhoAndWhy) {
  Case k = MustIntake(Unknown(), shashi_);
  CaseFields v;
  v.clothing = "黑色外套";
  EXPECT_EQ(svc_->Correct(shashi_, k.id, k.version, v, {"clothing"}, "").status().error_code(),
            "rescue.correct.reason_required");
  auto next = svc_->Correct(shashi_, k.id, k.version, v, {"clothing"}, "登记时看错颜色");
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->clothing, "黑色外套");
  EXPECT_EQ(next->version, k.version + 1);
  EXPECT_EQ(svc_->Correct(shashi_, k.id, k.version, v, {"clothing"}, "再次更正").status().code(), Code::kConflict);
  auto versions = svc_->Versions(shashi_, k.id);
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 1u);
  EXPECT_EQ((*versions)[0].changed_by, 11);
  EXPECT_EQ((*versions)[0].reason, "登记时看错颜色");
  EXPECT_NE((*versions)[0].previous.find("蓝色外套"), std::string::npos);
  EXPECT_EQ(svc_->Correct(shashi_, k.id, next->version, v, {"status"}, "改状态").status().error_code(),
            "rescue.correct.unknown_field");
}

TEST_P(WorkflowTest, AnotherStationSeesNothing) {
  Case k = MustIntake(Unknown(), shashi_);
  EXPECT_EQ(svc_->GetCase(jingzhou_, k.id).status().code(), Code::kNotFound);
  CareRecord meal;
  meal.kind = "meal";
  meal.detail = "早餐";
  EXPECT_EQ(svc_->AddCare(jingzhou_, k.id, meal).status().code(), Code::kNotFound);
  NewIntake there = Unknown();
  there.station_division = "421002";
  EXPECT_EQ(svc_->Intake(jingzhou_, there).status().error_code(), "rescue.scope.outside");
  auto list = svc_->ListCases(jingzhou_, {});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->total, 0);
  EXPECT_TRUE(svc_->GetCase(shashi2_, k.id).ok()) << "a colleague at the same station";
}

TEST_P(WorkflowTest, PlacementTransferAndWhereabouts) {
  Case k = MustIntake(Unknown(), shashi_);
  Case other = MustIntake(Unknown("右手缺一指"), shashi_);
  Advance(std::chrono::hours(24));
  Placement p;
  p.kind = "hospital";
  p.institution_id = 5;
  p.start_date = "2025-01-22";
  EXPECT_EQ(svc_->Place(shashi_, k.id, p).status().error_code(), "rescue.placement.before_intake");
  p.start_date = "2025-01-24";
  ASSERT_TRUE(svc_->Place(shashi_, k.id, p).ok());
  Advance(std::chrono::hours(48));
  Placement q;
  q.kind = "institution";
  q.institution_id = 9;
  q.start_date = "2025-01-26";
  ASSERT_TRUE(svc_->Place(shashi_, k.id, q).ok());
  auto w = svc_->Whereabouts(shashi_);
  ASSERT_TRUE(w.ok());
  std::map<int64_t, nlohmann::json> by;
  for (const auto& i : (*w)["items"]) by[i["case_id"].get<int64_t>()] = i;
  EXPECT_EQ(by[k.id]["location"], "institution");
  EXPECT_EQ(by[k.id]["institution_id"], 9);
  EXPECT_EQ(by[other.id]["location"], "center");
  auto detail = svc_->CaseDetail(shashi_, k.id);
  ASSERT_TRUE(detail.ok());
  ASSERT_EQ((*detail)["placements"].size(), 2u);
  EXPECT_EQ((*detail)["placements"][0]["end_date"], "2025-01-26") << "the transfer ends the hospital stay";
  auto s = svc_->Numbers(shashi_, "2025-01-01", "2025-01-31");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->stranded_institution, 1);
  EXPECT_EQ(s->stranded_center, 1);
  EXPECT_EQ(s->stranded_hospital, 0);
  // The institution check of the institutions registry refuses an unknown one.
  svc_->SetInstitutionCheck([](int64_t id, const std::string&) {
    return id == 9 ? Status::Ok() : Status::InvalidField("institution_id", "rescue.institution.unknown", "无此机构");
  });
  EXPECT_EQ(svc_->Place(shashi_, other.id, p).status().error_code(), "rescue.institution.unknown");
}

TEST_P(WorkflowTest, ExtensionNeedsAnotherPersonsApproval) {
  Case k = MustIntake(Unknown(), shashi_);
  EXPECT_EQ(svc_->RequestExtension(shashi_, k.id, "2025-01-30", "病情未愈").status().error_code(),
            "rescue.extension.too_early");
  ASSERT_TRUE(svc_->RequestExtension(shashi_, k.id, "2025-02-20", "病情未愈").ok());
  EXPECT_EQ(svc_->ApproveExtension(shashi_, k.id).status().error_code(), "rescue.extension.self_approval");
  auto ok = svc_->ApproveExtension(shashi2_, k.id);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  auto q = svc_->WorkQueue(shashi_, "station");
  ASSERT_TRUE(q.ok());
  bool found = false;
  for (const auto& d : *q) {
    if (d.kind == "stay_limit") {
      found = true;
      EXPECT_EQ(d.due_date, "2025-02-20");
    }
  }
  EXPECT_TRUE(found);
}

TEST_P(WorkflowTest, FamilySearchFromNoticeToReunion) {
  Case k = MustIntake(Unknown(), shashi_);
  auto notices = svc_->ListNotices(shashi_, "");
  ASSERT_TRUE(notices.ok() && notices->size() == 1);
  Notice n = (*notices)[0];
  auto pub = svc_->PublishNotice(shashi_, n.id);
  ASSERT_TRUE(pub.ok()) << pub.status().ToString();
  auto pj = svc_->PublicNoticeJson(*pub);
  EXPECT_EQ(pj.dump().find("糖尿病"), std::string::npos) << "health detail on the public page";
  EXPECT_FALSE(pj.contains("case_id"));
  // DNA: due 7 working days after 01-23 across the Spring Festival (01-26 worked, 01-28..02-04 off) = 02-08.
  auto dna = svc_->RequestDna(shashi_, k.id, "沙市公安分局", "", "");
  ASSERT_TRUE(dna.ok()) << dna.status().ToString();
  EXPECT_EQ(dna->due_on, "2025-02-08");
  EXPECT_EQ(svc_->RecordDnaResult(shashi_, dna->id, "match", "STR-1", "").status().error_code(),
            "rescue.dna.not_sampled");
  EXPECT_EQ(svc_->RecordDnaSample(shashi_, dna->id, "S-1", "2025-01-22").status().error_code(),
            "rescue.dna.sample_before_request");
  ASSERT_TRUE(svc_->RecordDnaSample(shashi_, dna->id, "S-1", "").ok());
  ASSERT_TRUE(svc_->RecordDnaResult(shashi_, dna->id, "match", "STR-1", "").ok());
  Candidate low, high;
  low.source = "face";
  low.score = 0.4;
  low.candidate_ref = "寻亲登记 2";
  high.source = "dna";
  high.score = 0.99;
  high.candidate_ref = "寻亲登记 1";
  high.explanation = R"({"loci":20})";
  ASSERT_TRUE(svc_->AddCandidate(shashi_, k.id, low).ok());
  auto h = svc_->AddCandidate(shashi_, k.id, high);
  ASSERT_TRUE(h.ok());
  auto list = svc_->Candidates(shashi_, k.id);
  ASSERT_TRUE(list.ok() && list->size() == 2);
  EXPECT_EQ((*list)[0].source, "dna") << "best first";
  EXPECT_EQ(svc_->DecideCandidate(shashi_, h->id, "confirmed", " ").status().error_code(),
            "rescue.candidate.reason_required");
  ASSERT_TRUE(svc_->DecideCandidate(shashi_, h->id, "confirmed", "STR 比对 20 个位点一致，家属认亲").ok());
  EXPECT_EQ(svc_->DecideCandidate(shashi_, h->id, "rejected", "再判").status().error_code(),
            "rescue.candidate.decided");
  Advance(std::chrono::hours(72));
  Departure d;
  d.kind = "escort_home";
  d.route = "荆州—襄阳";
  d.escort_staff = {"刘工", "陈工"};
  d.tickets = {"G123"};
  d.handover_to = "station";
  d.handover_ref = "JJ-1";
  auto out = svc_->Depart(shashi_, k.id, d);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->found_by, "dna") << "from the confirmed DNA candidate";
  auto pub_list = svc_->PublicNotices(1, 20);
  ASSERT_TRUE(pub_list.ok());
  EXPECT_EQ(pub_list->second, 0) << "a departed person's notice leaves the public page";
  auto s = svc_->Numbers(shashi_, "2025-01-01", "2025-01-31");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->rescues, 1);
  EXPECT_EQ(s->notices_published, 1);
  EXPECT_EQ(s->dna_requests, 1);
  EXPECT_EQ(s->reunions, 1);
  std::map<std::string, int64_t> by(s->reunions_by_source.begin(), s->reunions_by_source.end());
  EXPECT_EQ(by["dna"], 1);
  EXPECT_EQ(by["conversation"], 0);
}

TEST_P(WorkflowTest, WorkQueuePerUserAndStationWithOtherSources) {
  Case mine = MustIntake(Unknown(), shashi_);
  Case theirs = MustIntake(Unknown("光头"), shashi2_);
  svc_->AddDeadlineSource("institution", [](const platform::Principal&, TimePoint) -> Result<std::vector<DeadlineItem>> {
    DeadlineItem d;
    d.kind = "rectification";
    d.object_type = "rectification";
    d.object_id = 3;
    d.station_division = "421002";
    d.title = "整改期限";
    d.due_date = "2025-01-20";
    return std::vector<DeadlineItem>{d};
  });
  auto station = svc_->WorkQueue(shashi_, "station");
  auto own = svc_->WorkQueue(shashi_, "mine");
  ASSERT_TRUE(station.ok() && own.ok());
  // Each unidentified adult case: notice, dna_request, stay_limit, settlement; plus the rectification.
  EXPECT_EQ(station->size(), 9u);
  EXPECT_EQ(own->size(), 4u);
  EXPECT_EQ((*station)[0].kind, "rectification");
  EXPECT_EQ((*station)[0].state, "overdue");
  for (const auto& d : *own) EXPECT_EQ(d.case_id, mine.id);
  (void)theirs;
  auto other = svc_->WorkQueue(jingzhou_, "station");
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty()) << "another county's queue";
  // Publishing the notice and requesting DNA take those items off the queue.
  auto notices = svc_->ListNotices(shashi_, "draft");
  for (const auto& n : *notices) {
    if (n.case_id == mine.id) {
      ASSERT_TRUE(svc_->PublishNotice(shashi_, n.id).ok());
    }
  }
  ASSERT_TRUE(svc_->RequestDna(shashi_, mine.id, "沙市公安分局", "", "").ok());
  own = svc_->WorkQueue(shashi_, "mine");
  ASSERT_TRUE(own.ok());
  std::map<std::string, int> kinds;
  for (const auto& d : *own) kinds[d.kind]++;
  EXPECT_EQ(kinds.count("notice"), 0u);
  EXPECT_EQ(kinds.count("dna_request"), 0u);
  EXPECT_EQ(kinds["notice_refresh"], 1);
}

TEST_P(WorkflowTest, RefusalClosesAtIntake) {
  Case k = MustIntake(Unknown(), shashi_);
  EXPECT_EQ(svc_->Refuse(shashi_, k.id, "有固定住所和收入", "").status().error_code(),
            "rescue.refusal.notice_required");
  auto r = svc_->Refuse(shashi_, k.id, "有固定住所和收入", "BYJZ-1");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, "refused");
  auto s = svc_->Numbers(shashi_, "2025-01-23", "2025-01-23");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->rescues, 0);
  EXPECT_EQ(s->refused, 1);
  EXPECT_EQ(svc_->Numbers(shashi_, "2025-01-24", "2025-01-23").status().error_code(), "rescue.stats.range");
}

TEST_P(WorkflowTest, OneDnaRequestPerCaseEvenWhenTwoArriveAtOnce) {
  Case k = MustIntake(Unknown(), shashi_);
  Status a, b;
  std::thread t1([&] { a = svc_->RequestDna(shashi_, k.id, "沙市公安分局", "", "").status(); });
  std::thread t2([&] { b = svc_->RequestDna(shashi2_, k.id, "沙市公安分局", "", "").status(); });
  t1.join();
  t2.join();
  EXPECT_NE(a.ok(), b.ok()) << a.ToString() << " / " << b.ToString();
  const Status& loser = a.ok() ? b : a;
  EXPECT_TRUE(loser.error_code() == "rescue.dna.exists" || loser.code() == Code::kConflict) << loser.ToString();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM rescue_dna_requests"), 1);
  EXPECT_EQ(svc_->RequestDna(shashi_, k.id, "沙市公安分局", "", "").status().error_code(), "rescue.dna.exists");
}

INSTANTIATE_TEST_SUITE_P(Db, WorkflowTest, ::testing::ValuesIn(db::TestDialects()),
                         [](const auto& info) { return db::DialectName(info.param); });

}  // namespace
}  // namespace doudi::rescue
