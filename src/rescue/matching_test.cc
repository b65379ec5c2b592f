// Missing-person reports and matching through MissingReportService on a real database (SQLite, and PostgreSQL
// when configured): a report whose attributes fit an unidentified intake becomes its top candidate; parents' DNA
// decides over attributes; decided candidates survive re-matching; bad input is refused.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "db/testing.h"
#include "registry/test_support.h"
#include "rescue/missing_reports.h"
#include "rescue/service.h"
#include "rescue/test_support.h"
#include "tracing/dna/frequencies.h"
#include "tracing/dna/simulate.h"

namespace doudi::rescue {
namespace {

using registry::testing::MakePrincipal;

class MatchingTest : public testing::RescueTest {
 protected:
  void SetUp() override {
    RescueTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto clock = Clock();
    reports_ = std::make_unique<MissingReportService>(*db_, *audit_, *crypto_, Divisions::Default(), clock);
  }

  Case Unknown() {
    NewIntake in;
    in.how_came = "patrol";
    in.patrol_ref = "XC-1";
    in.sex = 1;
    in.estimated_age = 45;
    in.height_cm = 170;
    in.features = "左眉有痣，右手缺小指";
    in.dialect = "西南官话";
    in.found_place = "沙市区北京路";
    in.found_date = "2025-01-20";
    auto k = svc_->Intake(shashi_, std::move(in));
    EXPECT_TRUE(k.ok()) << k.status().ToString();
    return k.ok() ? *k : Case{};
  }

  // A report that fits the intake above: a man of 44 lost in the same district a month before, same height and
  // marks and dialect.
  ReportFields Fitting() {
    ReportFields f;
    f.reporter_name = "王秀英";
    f.reporter_phone = "13912345678";
    f.reporter_relation = "妻子";
    f.name = "李建国";
    f.sex = 1;
    f.age_at_lost = 44;
    f.lost_date = "2024-12-10";
    f.lost_division = "421002";
    f.lost_place = "沙市区中山路";
    f.height_cm = 171;
    f.features = "左眉有痣，右手缺小指";
    f.dialect = "西南官话";
    return f;
  }

  // A girl of 8 lost in Beijing twenty years ago: nothing fits.
  ReportFields Unfitting() {
    ReportFields f = Fitting();
    f.name = "张小红";
    f.sex = 2;
    f.age_at_lost = 8;
    f.lost_date = "2004-06-01";
    f.lost_division = "110101";
    f.height_cm = 120;
    f.features = "扎马尾";
    f.dialect = "北京官话";
    return f;
  }

  static std::string Ref(int64_t report_id) { return "missing_report:" + std::to_string(report_id); }

  std::unique_ptr<MissingReportService> reports_;
};

TEST_P(MatchingTest, AReportWhoseAttributesFitBecomesTheTopCandidate) {
  Case k = Unknown();
  auto other = reports_->Create(shashi_, Unfitting());
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  auto fit = reports_->Create(shashi_, Fitting());
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  auto cands = svc_->Candidates(shashi_, k.id);
  ASSERT_TRUE(cands.ok());
  ASSERT_FALSE(cands->empty());
  EXPECT_EQ((*cands)[0].candidate_ref, Ref(fit->id));
  EXPECT_EQ((*cands)[0].source, "attribute");
  EXPECT_EQ((*cands)[0].status, "open");
  auto e = nlohmann::json::parse((*cands)[0].explanation);
  EXPECT_EQ(e["report"]["id"], fit->id);
  // The fusion's Chinese reasons, field by field.
  ASSERT_EQ(e["reasons"].size(), 2u) << e.dump();
  EXPECT_NE(e["reasons"][1].get<std::string>().find("体貌特征"), std::string::npos) << e.dump();
  EXPECT_GT(e["attribute"]["match_weight"].get<double>(), 0);
  // The girl lost in Beijing is a worse candidate, if one at all.
  for (size_t i = 1; i < cands->size(); ++i) EXPECT_NE((*cands)[i].candidate_ref, Ref(fit->id));
  for (const auto& c : *cands) {
    if (c.candidate_ref == Ref(other->id)) {
      EXPECT_LT(c.score, (*cands)[0].score);
    }
  }
  // The explicit run gives the same first candidate and does not pile up copies.
  auto again = reports_->MatchCase(shashi_, k.id);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->reports_compared, 2);
  EXPECT_EQ(again->candidates.size(), cands->size());
  EXPECT_EQ(again->candidates[0].candidate_ref, Ref(fit->id));
}

TEST_P(MatchingTest, TheMaskedPhoneSentBackUnchangedKeepsTheStoredNumber) {
  auto r = reports_->Create(shashi_, Fitting());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto phone_now = [&] {
    auto got = reports_->Get(shashi_, r->id);
    EXPECT_TRUE(got.ok());
    return got.ok() ? got->reporter_phone : std::string();
  };
  // 13912345678 masked by hand: the first 3 and the last 4 digits kept.
  ReportFields f = Fitting();
  f.reporter_phone = "139****5678";
  auto kept = reports_->Update(shashi_, r->id, r->version, f);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(phone_now(), "13912345678");
  // A new full number replaces it.
  f.reporter_phone = "13800001111";
  auto changed = reports_->Update(shashi_, r->id, kept->version, f);
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_EQ(phone_now(), "13800001111");
  // The old number's mask is no longer the stored number's (138****1111), nor is a mask of the wrong length.
  f.reporter_phone = "139****5678";
  EXPECT_EQ(reports_->Update(shashi_, r->id, changed->version, f).status().error_code(), "rescue.report.reporter_phone");
  f.reporter_phone = "138***1111";
  EXPECT_EQ(reports_->Update(shashi_, r->id, changed->version, f).status().error_code(), "rescue.report.reporter_phone");
  EXPECT_EQ(phone_now(), "13800001111");
  // Another county cannot probe the number through the mask.
  f.reporter_phone = "138****1111";
  EXPECT_EQ(reports_->Update(jingzhou_, r->id, changed->version, f).status().error_code(), "rescue.report.not_found");
  // With the right mask the stored number is kept again.
  auto again = reports_->Update(shashi_, r->id, changed->version, f);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(phone_now(), "13800001111");
}

TEST_P(MatchingTest, ParentsDnaDecidesOverAttributes) {
  // Profiles simulated without mutation: the parents pass on one allele each at every locus, so the trio is
  // consistent at all loci and the unrelated couple (fresh founders) is not the parents.
  auto freq = dna::AlleleFrequencies::Default();
  ASSERT_TRUE(freq.ok());
  auto model = dna::KinshipModel::Build(*freq, {});
  ASSERT_TRUE(model.ok());
  std::vector<int> loci;
  for (int i = 0; i < freq->num_loci(); ++i) loci.push_back(i);
  dna::Simulator sim(*model, loci, 42);
  auto family = sim.MakeFamily(dna::Hypothesis::kParents);
  auto to_json = [&](const std::vector<dna::Genotype>& g) {
    nlohmann::json j = nlohmann::json::object();
    for (size_t i = 0; i < g.size(); ++i) {
      const auto& l = freq->locus(loci[i]);
      j[l.name] = dna::FormatAllele(l.tenths[g[i].a]) + "/" + dna::FormatAllele(l.tenths[g[i].b]);
    }
    return j;
  };

  Case k = Unknown();
  // The family whose DNA fits reports a man lost long ago elsewhere (weak attributes); the fitting report of the
  // first test has no DNA; a third family gave unrelated parents' samples.
  ReportFields dna_family = Unfitting();
  dna_family.name = "刘强";
  dna_family.sex = 1;
  dna_family.age_at_lost = 20;
  dna_family.height_cm = 160;
  dna_family.samples = {{"father", "刘大山", to_json(family.first)}, {"mother", "陈桂兰", to_json(family.second)}};
  ReportFields strangers = Fitting();
  strangers.name = "赵刚";
  strangers.samples = {{"father", "赵一", to_json(sim.Founder())}, {"mother", "钱二", to_json(sim.Founder())}};
  auto fit = reports_->Create(shashi_, Fitting());
  auto d = reports_->Create(shashi_, dna_family);
  auto s = reports_->Create(shashi_, strangers);
  ASSERT_TRUE(fit.ok() && d.ok() && s.ok()) << d.status().ToString() << s.status().ToString();

  // Before the STR result: attributes alone, so the DNA family is not first.
  auto before = svc_->Candidates(shashi_, k.id);
  ASSERT_TRUE(before.ok() && !before->empty());
  EXPECT_NE((*before)[0].candidate_ref, Ref(d->id));

  auto req = svc_->RequestDna(shashi_, k.id, "沙市公安分局", "", "");
  ASSERT_TRUE(req.ok()) << req.status().ToString();
  // No profile before the sample exists.
  EXPECT_EQ(reports_->ImportStr(shashi_, req->id, to_json(family.missing)).status().error_code(),
            "rescue.dna.not_sampled");
  ASSERT_TRUE(svc_->RecordDnaSample(shashi_, req->id, "S-1", "").ok());
  // Another county's user cannot attach a profile to this case.
  EXPECT_EQ(reports_->ImportStr(jingzhou_, req->id, to_json(family.missing)).status().error_code(),
            "rescue.dna.not_found");
  auto imported = reports_->ImportStr(shashi_, req->id, to_json(family.missing));
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();

  auto after = svc_->Candidates(shashi_, k.id);
  ASSERT_TRUE(after.ok() && !after->empty());
  EXPECT_EQ((*after)[0].candidate_ref, Ref(d->id));
  EXPECT_EQ((*after)[0].source, "dna");
  auto e = nlohmann::json::parse((*after)[0].explanation);
  EXPECT_EQ(e["tier"], "dna_supported");
  EXPECT_EQ(e["dna"]["hypothesis"], "parents");
  EXPECT_EQ(e["dna"]["conclusion"], "supported");
  EXPECT_EQ(e["dna"]["loci_compared"], static_cast<int>(loci.size()));
  EXPECT_EQ(e["dna"]["inconsistent_loci"], 0);
  EXPECT_GE(e["dna"]["log10_lr"].get<double>(), 4.0);
  // The strangers' samples are not the parents: never above the fitting report without DNA, and not supported.
  for (const auto& c : *after) {
    if (c.candidate_ref == Ref(s->id)) {
      EXPECT_NE(nlohmann::json::parse(c.explanation)["tier"], "dna_supported");
    }
  }
}

TEST_P(MatchingTest, DecidedCandidatesAreKeptOnRematch) {
  Case k = Unknown();
  auto fit = reports_->Create(shashi_, Fitting());
  ASSERT_TRUE(fit.ok());
  auto cands = svc_->Candidates(shashi_, k.id);
  ASSERT_TRUE(cands.ok() && !cands->empty());
  ASSERT_EQ((*cands)[0].candidate_ref, Ref(fit->id));
  auto decided = svc_->DecideCandidate(shashi_, (*cands)[0].id, "confirmed", "经与家属视频核实");
  ASSERT_TRUE(decided.ok()) << decided.status().ToString();
  // A second report and an explicit run re-match the case.
  ReportFields second = Fitting();
  second.name = "李建军";
  ASSERT_TRUE(reports_->Create(shashi_, second).ok());
  ASSERT_TRUE(reports_->MatchCase(shashi_, k.id).ok());
  auto after = svc_->Candidates(shashi_, k.id);
  ASSERT_TRUE(after.ok());
  int for_fit = 0;
  for (const auto& c : *after) {
    if (c.candidate_ref == Ref(fit->id)) {
      ++for_fit;
      EXPECT_EQ(c.id, (*cands)[0].id);
      EXPECT_EQ(c.status, "confirmed");
      EXPECT_EQ(c.reason, "经与家属视频核实");
    }
  }
  EXPECT_EQ(for_fit, 1);
}

TEST_P(MatchingTest, ReportsAreValidatedScopedEncryptedAndAudited) {
  ReportFields f = Fitting();
  f.reporter_phone = "12ab";
  EXPECT_EQ(reports_->Create(shashi_, f).status().error_code(), "rescue.report.reporter_phone");
  f = Fitting();
  f.age_at_lost.reset();
  EXPECT_EQ(reports_->Create(shashi_, f).status().error_code(), "rescue.report.age_required");
  f = Fitting();
  f.lost_date = "2025-02-30";
  EXPECT_FALSE(reports_->Create(shashi_, f).ok());
  f = Fitting();
  f.samples = {{"uncle", "", {{"D3S1358", "15/16"}}}};
  EXPECT_EQ(reports_->Create(shashi_, f).status().error_code(), "rescue.report.sample_relation");
  f.samples = {{"father", "", {{"NOSUCHLOCUS", "15/16"}}}};
  EXPECT_EQ(reports_->Create(shashi_, f).status().error_code(), "rescue.str.locus");
  f.samples = {{"father", "", {{"D3S1358", "15/x"}}}};
  EXPECT_EQ(reports_->Create(shashi_, f).status().error_code(), "rescue.str.invalid");

  auto r = reports_->Create(shashi_, Fitting());
  ASSERT_TRUE(r.ok());
  // The phone is stored encrypted, never as typed.
  std::string stored;
  ASSERT_TRUE(db_->Read([&](db::Conn& c) -> Status {
                   DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT reporter_phone FROM rescue_missing_reports"));
                   stored = rows[0].Text(0);
                   return Status::Ok();
                 }).ok());
  EXPECT_EQ(stored.find("13912345678"), std::string::npos);
  EXPECT_EQ(reports_->ToJson(*r, false)["reporter_phone"].get<std::string>().find("12345678"), std::string::npos);
  // Another county sees nothing.
  EXPECT_EQ(reports_->Get(jingzhou_, r->id).status().error_code(), "rescue.report.not_found");
  auto list = reports_->List(jingzhou_, {});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->second, 0);
  auto mine = reports_->List(shashi_, {.status = "open"});
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->second, 1);
  // Optimistic locking and the status change with a reason.
  EXPECT_EQ(reports_->Update(shashi_, r->id, r->version + 1, Fitting()).status().error_code(), "rescue.report.version");
  EXPECT_EQ(reports_->SetStatus(shashi_, r->id, r->version, "closed", "").status().error_code(), "rescue.report.reason");
  auto closed = reports_->SetStatus(shashi_, r->id, r->version, "closed", "家属已自行找到");
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  EXPECT_EQ(closed->status, "closed");
  auto got = reports_->Get(shashi_, r->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->reporter_phone, "13912345678");
  int64_t audits = -1;
  ASSERT_TRUE(db_->Read([&](db::Conn& c) -> Status {
                   DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'rescue.report.%'"));
                   audits = rows[0].Int(0);
                   return Status::Ok();
                 }).ok());
  EXPECT_EQ(audits, 3);  // create, status, view
}

TEST_P(MatchingTest, ConcurrentRunsOfOneCaseLeaveOneSetOfCandidates) {
  Case k = Unknown();
  auto fit = reports_->Create(shashi_, Fitting());
  ASSERT_TRUE(fit.ok());
  auto single = svc_->Candidates(shashi_, k.id);
  ASSERT_TRUE(single.ok() && !single->empty());
  std::vector<std::thread> runs;
  std::atomic<int> failed{0};
  for (int i = 0; i < 4; ++i) {
    runs.emplace_back([&] {
      if (!reports_->MatchCase(shashi_, k.id).ok()) ++failed;
    });
  }
  for (auto& t : runs) t.join();
  EXPECT_EQ(failed.load(), 0);
  auto after = svc_->Candidates(shashi_, k.id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), single->size());
}

INSTANTIATE_TEST_SUITE_P(Db, MatchingTest, ::testing::ValuesIn(db::TestDialects()),
                         [](const auto& info) { return db::DialectName(info.param); });

}  // namespace
}  // namespace doudi::rescue
