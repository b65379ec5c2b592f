// Repeat visits of unidentified persons on a real database (SQLite, and PostgreSQL when configured): the planted
// repeat visitor ranked first over decoys with the age carried over the elapsed time, confirmation linking the
// visits (and the repeated-vagrancy flag at the third intake within 365 days, dates counted by hand), rejection,
// undo, the refusals, scope and audit.
#include <gtest/gtest.h>

#include "db/testing.h"
#include "registry/test_support.h"
#include "rescue/repeat_visits.h"
#include "rescue/service.h"
#include "rescue/test_support.h"

namespace doudi::rescue {
namespace {

using registry::testing::MakeId;
using registry::testing::MakePrincipal;

class RepeatVisitsTest : public testing::RescueTest {
 protected:
  void SetUp() override {
    RescueTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto clock = Clock();
    repeat_ = std::make_unique<RepeatVisitService>(*db_, *audit_, *registry_, Divisions::Default(), clock);
    // As App::Open wires it: an unidentified intake is searched at once.
    svc_->AddIntakeObserver([this](const Actor& a, const Case& k) {
      if (!k.identified) (void)repeat_->Search(a, k.id);
    });
  }

  // An unidentified person brought by a patrol at `when` (UTC).
  Case Visit(const std::string& when, int sex, int age, int height, const std::string& dialect,
             const std::string& features, const platform::Principal* who = nullptr) {
    NewIntake in;
    in.how_came = "patrol";
    in.patrol_ref = "XC-1";
    in.sex = sex;
    in.estimated_age = age;
    in.height_cm = height;
    in.dialect = dialect;
    in.features = features;
    in.intake_at = when;
    auto k = svc_->Intake(who ? *who : shashi_, std::move(in));
    EXPECT_TRUE(k.ok()) << k.status().ToString();
    return k.ok() ? *k : Case{};
  }

  std::vector<RepeatSuggestion> Suggestions(int64_t case_id) {
    auto list = repeat_->List(shashi_, case_id, false);
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    return list.ok() ? *list : std::vector<RepeatSuggestion>{};
  }

  std::optional<RepeatSuggestion> Find(const std::vector<RepeatSuggestion>& list, int64_t earlier) {
    for (const auto& s : list) {
      if (s.earlier_case_id == earlier) return s;
    }
    return std::nullopt;
  }

  nlohmann::json Part(const RepeatSuggestion& s, const std::string& field) {
    const auto e = nlohmann::json::parse(s.explanation);
    for (const auto& p : e["parts"]) {
      if (p["field"] == field) return p;
    }
    return nullptr;
  }

  int64_t Count(const std::string& sql) {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](db::Conn& c) -> Status {
                  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(sql));
                  n = rows[0].Int(0);
                  return Status::Ok();
                }).ok());
    return n;
  }

  nlohmann::json Detail(int64_t case_id) {
    auto d = svc_->CaseDetail(shashi_, case_id);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    return d.ok() ? *d : nlohmann::json();
  }

  // Thursday 2025-01-23 10:00 in Shanghai.
  std::unique_ptr<RepeatVisitService> repeat_;
};

TEST_P(RepeatVisitsTest, PlantedRepeatVisitorWithAgedEstimateRanksFirstOverDecoys) {
  const std::string marks = "左眉有痣，右手缺小指";
  // Five years ago, estimated 30: born about 1990. Today estimated 35: born about 1990 too.
  Case planted = Visit("2020-01-23T02:00:00Z", 1, 30, 168, "西南官话", marks);
  // The same description but estimated 35 five years ago: born about 1985 — an estimate that was not aged.
  Case unaged = Visit("2020-01-23T03:00:00Z", 1, 35, 168, "西南官话", marks);
  Case woman = Visit("2024-06-01T02:00:00Z", 2, 35, 168, "西南官话", marks);
  Case stranger = Visit("2024-08-01T02:00:00Z", 1, 62, 181, "吴语", "光头，戴眼镜");
  Case other_station = Visit("2024-09-01T02:00:00Z", 1, 35, 168, "西南官话", marks, &jingzhou_);
  Case now = Visit("2025-01-23T01:00:00Z", 1, 35, 168, "西南官话", marks);

  auto list = Suggestions(now.id);
  ASSERT_FALSE(list.empty());
  EXPECT_EQ(list[0].earlier_case_id, planted.id) << list[0].explanation;
  EXPECT_EQ(list[0].status, "open");
  EXPECT_FALSE(Find(list, other_station.id).has_value()) << "another station's case is outside the case's scope";
  // The stranger shares nothing: sex agrees, everything else disagrees — no positive evidence, not proposed.
  EXPECT_FALSE(Find(list, stranger.id).has_value());
  // Age by hand: the planted pair's tolerance is (1 + 0.1·30) + (1 + 0.1·35) = 8.5 years and its birth years
  // agree (level 0: within 4.25); the unaged pair's is 4.5 + 4.5 = 9 and its birth years are 5 years apart
  // (level 1: over 4.5, within 9).
  EXPECT_EQ(Part(list[0], "age")["level"], 0);
  auto u = Find(list, unaged.id);
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(Part(*u, "age")["level"], 1);
  EXPECT_GT(list[0].score, u->score);
  auto w = Find(list, woman.id);
  if (w) {
    EXPECT_GT(list[0].score, w->score);
  }
  // Explained in Chinese: every field's part, the aging (2020-01-23 to 2025-01-23: 1827 days, 5.0 years).
  auto e = nlohmann::json::parse(list[0].explanation);
  EXPECT_EQ(e["engine"], "linkage");
  EXPECT_EQ(e["aging"]["elapsed_days"], 1827);
  EXPECT_DOUBLE_EQ(e["aging"]["aged_to"].get<double>(), 35.0);
  EXPECT_NE(e["aging"]["text"].get<std::string>().find("上次求助时估计 30 岁"), std::string::npos) << e.dump();
  EXPECT_NE(Part(list[0], "marks")["text"].get<std::string>().find("体貌特征"), std::string::npos);
  EXPECT_NEAR(e["match_weight"].get<double>(), list[0].score, 1e-9);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'rescue.repeat.search' AND object_id = '" +
                  std::to_string(now.id) + "'"),
            1);
}

TEST_P(RepeatVisitsTest, ConfirmedVisitsFormTheHistoryAndTheThirdWithin365DaysIsFlagged) {
  const std::string marks = "左眉有痣，右手缺小指";
  // 2024-01-20 → 2025-01-23 is 369 days (2024 is a leap year): outside the window. 2024-03-01 → 2025-01-23 is
  // 328 days, 2024-09-15 → 2025-01-23 is 130 days: inside.
  Case v0 = Visit("2024-01-20T02:00:00Z", 1, 44, 170, "西南官话", marks);
  Case v1 = Visit("2024-03-01T02:00:00Z", 1, 44, 170, "西南官话", marks);
  Case v2 = Visit("2024-09-15T02:00:00Z", 1, 45, 170, "西南官话", marks);
  Case v3 = Visit("2025-01-23T01:00:00Z", 1, 45, 170, "西南官话", marks);
  EXPECT_EQ(Detail(v3.id)["repeat_vagrancy"]["intakes_12_months"], 1);

  auto list = Suggestions(v3.id);
  ASSERT_EQ(list.size(), 3u);
  auto confirm = [&](int64_t earlier) {
    auto s = Find(Suggestions(v3.id), earlier);
    EXPECT_TRUE(s.has_value());
    if (!s) return;
    auto r = repeat_->Confirm(shashi_, v3.id, s->id, s->version, "体貌、口音一致，本人承认曾来站");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->status, "confirmed");
  };

  // A reason is required.
  auto no_reason = repeat_->Confirm(shashi_, v3.id, list[0].id, list[0].version, " ");
  EXPECT_EQ(no_reason.status().error_code(), "rescue.repeat.reason_required");
  ASSERT_EQ(no_reason.status().details().size(), 1u);
  EXPECT_EQ(no_reason.status().details()[0].field, "reason");

  confirm(v2.id);
  confirm(v0.id);
  auto d = Detail(v3.id);
  EXPECT_EQ(d["history"].size(), 2u);
  EXPECT_EQ(d["repeat_vagrancy"]["intakes_12_months"], 2) << "v0 is 369 days before";
  EXPECT_FALSE(d["repeat_vagrancy"]["flag"].get<bool>());

  confirm(v1.id);
  d = Detail(v3.id);
  EXPECT_EQ(d["history"].size(), 3u);
  EXPECT_EQ(d["repeat_vagrancy"]["intakes_12_months"], 3);
  EXPECT_TRUE(d["repeat_vagrancy"]["flag"].get<bool>());
  // v2's own page counts up to its own intake: 2024-01-20 → 2024-09-15 is 239 days, so v0, v1, v2 = 3; v0's
  // page counts only itself (the later visits come after it).
  EXPECT_EQ(Detail(v2.id)["repeat_vagrancy"]["intakes_12_months"], 3);
  EXPECT_EQ(Detail(v0.id)["repeat_vagrancy"]["intakes_12_months"], 1);

  // One registry person for the four, the first placeholder (v0's, registered first); nothing deleted.
  std::set<int64_t> persons;
  for (const auto& k : {v0, v1, v2, v3}) persons.insert(svc_->GetCase(shashi_, k.id)->person_id);
  EXPECT_EQ(persons, std::set<int64_t>{v0.person_id});
  EXPECT_TRUE(registry_->LoadPerson(v3.person_id).ok()) << "the placeholder stays in the registry";
  // Every re-pointing is a case version with the reason.
  auto versions = svc_->Versions(shashi_, v3.id);
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2u);  // v3 → v2's person, then → v0's
  EXPECT_EQ((*versions)[0].fields, "[\"person_id\"]");
  EXPECT_NE((*versions)[0].reason.find("体貌、口音一致"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'rescue.repeat.confirm'"), 3);

  // Undo the last link (a correction with a reason): v1 goes back to its own person, the flag with it.
  auto s1 = Find(Suggestions(v3.id), v1.id);
  ASSERT_TRUE(s1.has_value());
  EXPECT_EQ(repeat_->Undo(shashi_, v3.id, s1->id, s1->version, "").status().error_code(),
            "rescue.repeat.reason_required");
  auto undone = repeat_->Undo(shashi_, v3.id, s1->id, s1->version, "家属确认 3 月那次是另一人");
  ASSERT_TRUE(undone.ok()) << undone.status().ToString();
  EXPECT_EQ(undone->status, "undone");
  EXPECT_EQ(svc_->GetCase(shashi_, v1.id)->person_id, v1.person_id);
  EXPECT_EQ(Detail(v3.id)["repeat_vagrancy"]["intakes_12_months"], 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'rescue.repeat.undo'"), 1);
  // Undone pairs are not proposed again.
  ASSERT_TRUE(repeat_->Search(shashi_, v3.id).ok());
  EXPECT_FALSE(Find(Suggestions(v3.id), v1.id).has_value());
}

TEST_P(RepeatVisitsTest, RejectedSuggestionIsHiddenAndNotProposedAgain) {
  Case a = Visit("2024-06-01T02:00:00Z", 1, 50, 165, "西南官话", "左耳缺损");
  Case b = Visit("2025-01-23T01:00:00Z", 1, 50, 165, "西南官话", "左耳缺损");
  auto list = Suggestions(b.id);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(repeat_->Reject(shashi_, b.id, list[0].id, list[0].version + 1, "不是同一人").status().error_code(),
            "version_conflict");
  auto r = repeat_->Reject(shashi_, b.id, list[0].id, list[0].version, "身高相同但本人口述籍贯不同");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(Suggestions(b.id).empty());
  ASSERT_TRUE(repeat_->Search(shashi_, b.id).ok());
  EXPECT_TRUE(Suggestions(b.id).empty()) << "a rejected pair is not proposed again";
  auto all = repeat_->List(shashi_, b.id, true);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].status, "rejected");
  EXPECT_EQ((*all)[0].reason, "身高相同但本人口述籍贯不同");
  // Decided is decided.
  EXPECT_EQ(repeat_->Confirm(shashi_, b.id, r->id, r->version, "再次确认").status().error_code(), "rescue.repeat.decided");
  EXPECT_EQ(Detail(b.id)["history"].size(), 0u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'rescue.repeat.reject'"), 1);
}

TEST_P(RepeatVisitsTest, AnotherStationsCaseIs404) {
  Case a = Visit("2024-06-01T02:00:00Z", 1, 50, 165, "西南官话", "左耳缺损");
  Case b = Visit("2025-01-23T01:00:00Z", 1, 50, 165, "西南官话", "左耳缺损");
  auto list = Suggestions(b.id);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(repeat_->List(jingzhou_, b.id, false).status().error_code(), "rescue.case.not_found");
  EXPECT_EQ(repeat_->Search(jingzhou_, b.id).status().error_code(), "rescue.case.not_found");
  EXPECT_EQ(repeat_->Confirm(jingzhou_, b.id, list[0].id, list[0].version, "同一人").status().error_code(),
            "rescue.case.not_found");
  EXPECT_EQ(repeat_->Reject(jingzhou_, b.id, list[0].id, list[0].version, "不是").status().error_code(),
            "rescue.case.not_found");
  // A suggestion id of another case is not this case's.
  EXPECT_EQ(repeat_->Confirm(shashi_, a.id, list[0].id, list[0].version, "同一人").status().error_code(),
            "rescue.repeat.not_found");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'rescue.repeat.%' AND user_id = 13"), 0);
}

TEST_P(RepeatVisitsTest, AnEarlierVisitIdentifiedSinceStillMatchesAndItsPersonSurvives) {
  Case a = Visit("2024-06-01T02:00:00Z", 1, 40, 172, "西南官话", "右脸有疤");
  Case b = Visit("2025-01-23T01:00:00Z", 1, 41, 172, "西南官话", "右脸有疤");
  ASSERT_EQ(Suggestions(b.id).size(), 1u);
  // The earlier visit is identified after the suggestion was made: born 1984-03-02.
  const std::string id = MakeId("421002", "19840302", 31);
  ASSERT_TRUE(svc_->Identify(shashi_, a.id, id, "张建华", "police").ok());
  // A fresh search compares its birth date now (exact) and still finds it.
  auto searched = repeat_->Search(shashi_, b.id);
  ASSERT_TRUE(searched.ok()) << searched.status().ToString();
  ASSERT_EQ(searched->size(), 1u);
  auto s = (*searched)[0];
  EXPECT_EQ(s.earlier_case_id, a.id);
  EXPECT_NE(nlohmann::json::parse(s.explanation)["aging"]["text"].get<std::string>().find("按出生日期"),
            std::string::npos);
  auto r = repeat_->Confirm(shashi_, b.id, s.id, s.version, "照片与张建华本人一致");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // The identified person survives; b joins it (b's case stays unidentified: no document was checked).
  EXPECT_EQ(svc_->GetCase(shashi_, b.id)->person_id, a.person_id);
  EXPECT_EQ(r->to_person_id, a.person_id);
  EXPECT_EQ(r->from_person_id, b.person_id);
  // Identifying b as somebody else would overwrite the linked person's number: refused until undone.
  EXPECT_EQ(svc_->Identify(shashi_, b.id, MakeId("421002", "19900101", 32), "", "").status().error_code(),
            "rescue.identify.linked_person");
}

TEST_P(RepeatVisitsTest, TwoPersonsWithIdNumbersAreNeverMergedByAttributes) {
  Case a = Visit("2024-06-01T02:00:00Z", 2, 30, 160, "西南官话", "左手有烫伤疤");
  Case b = Visit("2025-01-23T01:00:00Z", 2, 31, 160, "西南官话", "左手有烫伤疤");
  auto list = Suggestions(b.id);
  ASSERT_EQ(list.size(), 1u);
  ASSERT_TRUE(svc_->Identify(shashi_, a.id, MakeId("421002", "19940505", 41), "", "").ok());
  ASSERT_TRUE(svc_->Identify(shashi_, b.id, MakeId("421002", "19930303", 42), "", "").ok());
  EXPECT_EQ(repeat_->Confirm(shashi_, b.id, list[0].id, list[0].version, "同一人").status().error_code(),
            "rescue.repeat.both_identified");
  // And a new search proposes nothing: two known identities are told apart by their numbers.
  auto again = repeat_->Search(shashi_, b.id);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
}

TEST_P(RepeatVisitsTest, FaceRanksBetweenEqualDescriptionsButNeverProposesAloneWhatAttributesRule) {
  const std::string marks = "左眉有痣，右手缺小指";
  Case twin = Visit("2024-10-01T02:00:00Z", 1, 50, 168, "西南官话", marks);  // lower id: first on a tie
  Case planted = Visit("2024-10-02T02:00:00Z", 1, 50, 168, "西南官话", marks);
  Case stranger = Visit("2024-10-03T02:00:00Z", 2, 20, 150, "吴语", "光头");
  Case now = Visit("2025-01-23T01:00:00Z", 1, 50, 168, "西南官话", marks);
  // Without photos the twins tie and the lower id comes first.
  auto plain = Suggestions(now.id);
  ASSERT_GE(plain.size(), 2u);
  EXPECT_EQ(plain[0].earlier_case_id, twin.id);
  EXPECT_DOUBLE_EQ(plain[0].score, plain[1].score);

  // Faces: this case and the planted one the same descriptor (cosine 1), the twin an orthogonal one (cosine 0),
  // the stranger the same face as this case.
  auto axis = [](int i) {
    FaceEmbedding e{};
    e[i] = 1.45f;  // the engine's descriptors are about 1.45 long; the cosine does not care
    return e;
  };
  repeat_->SetFaceEmbeddings([&](const std::vector<int64_t>& ids) -> Result<FaceMap> {
    FaceMap all = {{now.id, {axis(0)}}, {planted.id, {axis(0)}}, {twin.id, {axis(1)}}, {stranger.id, {axis(0)}}};
    FaceMap out;
    for (int64_t id : ids) {
      if (all.count(id)) out[id] = all[id];
    }
    return out;
  });
  auto ranked = repeat_->Search(shashi_, now.id);
  ASSERT_TRUE(ranked.ok()) << ranked.status().ToString();
  ASSERT_GE(ranked->size(), 2u);
  EXPECT_EQ((*ranked)[0].earlier_case_id, planted.id);
  EXPECT_EQ((*ranked)[1].earlier_case_id, twin.id);
  // By hand: 25 bits per unit of cosine above 0.914, capped at ±4: +25·0.086 = +2.15 and 25·(0 − 0.914) = −22.85 →
  // −4; the twins' attributes are equal, so the scores differ by 6.15 bits.
  EXPECT_NEAR((*ranked)[0].score - (*ranked)[1].score, 6.15, 1e-6);
  auto e = nlohmann::json::parse((*ranked)[0].explanation);
  EXPECT_EQ(e["engine"], "linkage+face");
  EXPECT_NEAR(e["face"]["weight"].get<double>(), 2.15, 1e-6);
  EXPECT_NE(e["reasons"].dump().find("不能单独认定身份"), std::string::npos) << e.dump();
  // The stranger's face is the same, but a face only ranks: the description rules it out.
  for (const auto& s : *ranked) EXPECT_NE(s.earlier_case_id, stranger.id);
}

TEST_P(RepeatVisitsTest, AnOpenSuggestionLinkedMeanwhileIsNoLongerListed) {
  Case a0 = Visit("2024-06-01T02:00:00Z", 1, 60, 160, "西南官话", "驼背，左腿跛行");
  Case a1 = Visit("2024-08-01T02:00:00Z", 1, 60, 160, "西南官话", "驼背，左腿跛行");
  Case b = Visit("2025-01-23T01:00:00Z", 1, 60, 160, "西南官话", "驼背，左腿跛行");
  ASSERT_EQ(Suggestions(b.id).size(), 2u);
  // a1's page links a1 to a0; then b's page links b to a0: b's suggestion of a1 has nothing left to decide.
  auto on_a1 = Suggestions(a1.id);
  ASSERT_EQ(on_a1.size(), 1u);
  ASSERT_TRUE(repeat_->Confirm(shashi_, a1.id, on_a1[0].id, on_a1[0].version, "同一人，特征一致").ok());
  auto to_a0 = Find(Suggestions(b.id), a0.id);
  ASSERT_TRUE(to_a0.has_value());
  ASSERT_TRUE(repeat_->Confirm(shashi_, b.id, to_a0->id, to_a0->version, "同一人，特征一致").ok());
  auto after = Suggestions(b.id);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].earlier_case_id, a0.id);
  EXPECT_EQ(after[0].status, "confirmed");
  EXPECT_EQ(Detail(b.id)["history"].size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Dialects, RepeatVisitsTest, ::testing::Values(db::Dialect::kSqlite, db::Dialect::kPostgres),
                         [](const auto& info) { return info.param == db::Dialect::kSqlite ? "Sqlite" : "Postgres"; });

}  // namespace
}  // namespace doudi::rescue
