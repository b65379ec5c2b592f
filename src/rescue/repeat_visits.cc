// Repeat visits of unidentified persons: the ranking (attribute linkage + face through fusion) and the
// caseworker's decisions that link the visits to one registry person (repeat_visits.h).
#include "rescue/repeat_visits.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "common/calendar.h"
#include "common/text.h"
#include "common/time.h"
#include "registry/actor_event.h"
#include "rescue/face_evidence.h"
#include "rescue/internal.h"
#include "rescue/store.h"
#include "tracing/fusion/fusion.h"
#include "tracing/linkage/explain.h"
#include "tracing/linkage/linker.h"
#include "tracing/linkage/model.h"
#include "tracing/linkage/record.h"

namespace doudi::rescue {
namespace repeat {
namespace {

constexpr float kDaysPerYear = 365.2425f;

float YearOf(int32_t day) { return 1970.0f + static_cast<float>(day) / kDaysPerYear; }

// The day the person was found (the found date, else the intake day in Shanghai): the record's reference date.
Date FoundDay(const Case& k) {
  if (auto d = ParseDate(k.found_date); d.ok()) return *d;
  return internal::DayOf(k.intake_at, TodayShanghai());
}

// A stated name is evidence; the placeholders are not.
std::string StatedName(const std::string& name) {
  return name == "无名氏" || name == "不详" || name == "未知" ? "" : name;
}

// The case as a found record of the linkage engine. The age is anchored at the found day as a birth-year
// estimate, so an estimate made a year ago is compared as the person aged by that year.
linkage::Record RecordOf(const Case& k) {
  linkage::Record r;
  r.id = std::to_string(k.id);
  r.side = linkage::Side::kFound;
  r.name = StatedName(k.name);
  r.sex = k.sex == 1 ? linkage::Sex::kMale : k.sex == 2 ? linkage::Sex::kFemale : linkage::Sex::kUnknown;
  r.ref_day = static_cast<int32_t>(FoundDay(k).time_since_epoch().count());
  const float ref_year = YearOf(r.ref_day);
  if (auto birth = ParseDate(k.birth_date); birth.ok() && *birth <= FoundDay(k)) {
    // Identified since (or at) that visit: the birth date is exact.
    r.birth_year = YearOf(static_cast<int32_t>(birth->time_since_epoch().count()));
    r.birth_uncertainty = 0.1f;
    r.has_birth = true;
    r.age = ref_year - r.birth_year;
  } else if (k.estimated_age) {
    r.age = static_cast<float>(*k.estimated_age);
    r.birth_year = ref_year - r.age;
    r.birth_uncertainty = linkage::EstimatedAgeUncertainty(r.age);
    r.has_birth = true;
  }
  if (k.height_cm) r.height_cm = static_cast<float>(*k.height_cm);
  r.dialect = k.dialect;
  r.marks = k.features;
  // No place: every candidate is of the same station, so the place found says nothing about who is who.
  return r;
}

// How the earlier visit's age was carried to this visit, in words for the caseworker.
nlohmann::json AgingOf(const Case& now, const linkage::Record& earlier_rec, const linkage::Record& now_rec) {
  nlohmann::json out = {{"elapsed_days", now_rec.ref_day - earlier_rec.ref_day}};
  if (!earlier_rec.has_birth) {
    out["text"] = "上次求助未登记年龄，年龄不计分";
    return out;
  }
  const float years = static_cast<float>(now_rec.ref_day - earlier_rec.ref_day) / kDaysPerYear;
  const float aged = earlier_rec.age + years;
  out["earlier_age"] = std::round(earlier_rec.age * 10) / 10;
  out["aged_to"] = std::round(aged * 10) / 10;
  std::string text = earlier_rec.birth_uncertainty < 0.5f
                         ? fmt::format("上次求助时 {:.0f} 岁（按出生日期）", std::floor(earlier_rec.age))
                         : fmt::format("上次求助时估计 {:.0f} 岁", earlier_rec.age);
  text += fmt::format("，相隔 {:.1f} 年，折算到本次约 {:.0f} 岁", years, aged);
  if (now.estimated_age) text += fmt::format("；本次估计 {} 岁", *now.estimated_age);
  out["text"] = text;
  return out;
}

// The best pair's cosine of two cases' faces (as in matching: face_evidence.h); nullopt when either has none.
std::optional<double> BestCosine(const std::vector<FaceEmbedding>& a, const std::vector<FaceEmbedding>& b) {
  std::optional<double> best;
  for (const auto& x : a) {
    for (const auto& y : b) best = std::max(best.value_or(-1.0), FaceCosine(x, y));
  }
  return best;
}

}  // namespace

Result<std::vector<Ranked>> Rank(const Case& k, const std::vector<Case>& earlier, const FaceMap& faces, int top) {
  std::vector<Ranked> out;
  if (earlier.empty()) return out;
  std::vector<linkage::Record> a;
  a.reserve(earlier.size());
  for (const auto& e : earlier) a.push_back(RecordOf(e));
  std::vector<linkage::Record> b = {RecordOf(k)};
  linkage::Linker linker(a, b);
  const auto params = linkage::Parameters::Default();
  std::vector<fusion::AttributeEvidence> attributes;
  std::vector<fusion::FaceEvidence> face;
  std::map<std::string, linkage::Explanation> explained;
  auto own_faces = faces.find(k.id);
  for (uint32_t i = 0; i < a.size(); ++i) {
    auto x = linker.Explain(params, i, 0);
    explained[a[i].id] = x;
    attributes.push_back({a[i].id, std::move(x)});
    if (own_faces != faces.end()) {
      if (auto f = faces.find(earlier[i].id); f != faces.end()) {
        if (auto cosine = BestCosine(own_faces->second, f->second)) face.push_back({a[i].id, *cosine});
      }
    }
  }
  auto fused = fusion::Fuse({}, face, attributes, RescueFusionOptions());
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < a.size(); ++i) index[a[i].id] = i;
  for (const auto& f : fused) {
    if (!(f.score > 0)) continue;  // no positive evidence
    auto it = index.find(f.candidate_id);
    if (it == index.end()) continue;
    const size_t i = it->second;
    const auto& x = explained[f.candidate_id];
    nlohmann::json parts = nlohmann::json::array();
    for (const auto& p : x.parts) {
      const auto& spec = linkage::Spec(p.field);
      nlohmann::json part = {{"field", std::string(spec.key)},
                             {"field_zh", std::string(spec.zh)},
                             {"level", p.level},
                             {"weight", p.level < 0 ? 0.0 : p.weight + p.tf},
                             {"text", linkage::ExplainPart(p)}};
      if (p.level >= 0) {
        part["level_key"] = std::string(spec.level_keys[p.level]);
        part["level_zh"] = std::string(spec.level_zh[p.level]);
      }
      parts.push_back(std::move(part));
    }
    nlohmann::json e = {{"engine", f.face_weight ? "linkage+face" : "linkage"},
                        {"score_bits", f.score},
                        {"match_weight", x.match_weight},
                        {"parts", parts},
                        {"reasons", f.reasons},
                        {"aging", AgingOf(k, a[i], b[0])}};
    if (f.face_cosine) {
      e["face"] = {{"cosine", *f.face_cosine}, {"weight", f.face_weight.value_or(0)}};
    }
    out.push_back({earlier[i].id, f.score, std::move(e)});
  }
  std::sort(out.begin(), out.end(), [](const Ranked& x, const Ranked& y) {
    return x.score != y.score ? x.score > y.score : x.earlier_case_id < y.earlier_case_id;
  });
  if (static_cast<int>(out.size()) > top) out.resize(top);
  return out;
}

}  // namespace repeat

namespace {

constexpr const char* kColumns =
    "id, case_id, earlier_case_id, status, score, explanation, reason, decided_by, decided_at, from_person_id, "
    "to_person_id, moved_cases, undo_reason, undone_by, undone_at, version, created_at, created_by, updated_at, "
    "updated_by";

std::optional<int64_t> OptInt(const db::Row& r, size_t i) {
  return r.IsNull(i) ? std::nullopt : std::optional<int64_t>(r.Int(i));
}
db::Value OptValue(const std::optional<int64_t>& v) { return v ? db::Value(*v) : db::Value(); }

RepeatSuggestion FromRow(const db::Row& r) {
  RepeatSuggestion s;
  s.id = r.Int(0);
  s.case_id = r.Int(1);
  s.earlier_case_id = r.Int(2);
  s.status = r.Text(3);
  s.score = r[4].as_real();
  s.explanation = r.Text(5);
  s.reason = r.Text(6);
  s.decided_by = OptInt(r, 7);
  s.decided_at = r.Text(8);
  s.from_person_id = OptInt(r, 9);
  s.to_person_id = OptInt(r, 10);
  s.moved_cases = r.Text(11);
  s.undo_reason = r.Text(12);
  s.undone_by = OptInt(r, 13);
  s.undone_at = r.Text(14);
  s.version = r.Int(15);
  s.created_at = r.Text(16);
  s.created_by = r.Int(17);
  s.updated_at = r.Text(18);
  s.updated_by = r.Int(19);
  return s;
}

Result<std::vector<RepeatSuggestion>> SuggestionsOf(db::Conn& c, int64_t case_id) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kColumns +
                                                " FROM rescue_repeat_suggestions WHERE case_id = $1 "
                                                "ORDER BY score DESC, earlier_case_id",
                                            {case_id}));
  std::vector<RepeatSuggestion> out;
  for (const auto& r : rows) out.push_back(FromRow(r));
  return out;
}

Result<std::optional<RepeatSuggestion>> GetSuggestion(db::Conn& c, int64_t id) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kColumns +
                                                " FROM rescue_repeat_suggestions WHERE id = $1",
                                            {id}));
  if (rows.empty()) return std::optional<RepeatSuggestion>();
  return std::optional<RepeatSuggestion>(FromRow(rows[0]));
}

// Writes the decision columns of s under its version; false when the version moved.
Result<bool> SaveDecision(db::Conn& c, const RepeatSuggestion& s, int64_t expected_version) {
  DOUDI_ASSIGN_OR_RETURN(
      int64_t n, c.Exec("UPDATE rescue_repeat_suggestions SET status = $1, reason = $2, decided_by = $3, "
                        "decided_at = $4, from_person_id = $5, to_person_id = $6, moved_cases = $7, undo_reason = $8, "
                        "undone_by = $9, undone_at = $10, version = $11, updated_at = $12, updated_by = $13 "
                        "WHERE id = $14 AND version = $15",
                        {s.status, s.reason, OptValue(s.decided_by), s.decided_at, OptValue(s.from_person_id),
                         OptValue(s.to_person_id), s.moved_cases, s.undo_reason, OptValue(s.undone_by), s.undone_at,
                         expected_version + 1, s.updated_at, s.updated_by, s.id, expected_version}));
  return n == 1;
}

Status SuggestionNotFound() {
  return Status::NotFound("rescue.repeat.not_found", "重复求助比对建议不存在或不属于该救助记录");
}

Status RequireReason(const std::string& reason) {
  return internal::RequireText("reason", reason, 2, 500, "rescue.repeat.reason_required",
                               "确认或否定重复求助须填写理由（2 到 500 个字）");
}

// Re-points one case to another registry person, keeping the replaced person as a case version with the reason.
Status Repoint(db::Conn& c, Case& m, int64_t to_person, const std::string& reason, const std::string& now,
               int64_t by) {
  CaseVersion v;
  v.version = m.version;
  v.changed_at = now;
  v.changed_by = by;
  v.reason = reason;
  v.fields = nlohmann::json::array({"person_id"}).dump();
  v.previous = nlohmann::json{{"person_id", m.person_id}}.dump();
  DOUDI_RETURN_IF_ERROR(store::InsertVersion(c, m.id, v));
  m.person_id = to_person;
  return store::TouchCase(c, m, now, by);
}

}  // namespace

RepeatVisitService::RepeatVisitService(db::Database& db, platform::AuditLog& audit,
                                       registry::RegistryService& registry, const Divisions& divisions,
                                       platform::Clock clock)
    : db_(db), audit_(audit), registry_(registry), divisions_(divisions), clock_(std::move(clock)) {}

std::string RepeatVisitService::NowText() const { return platform::FormatUtc(clock_()); }

platform::AuditEvent RepeatVisitService::Event(const Actor& actor, std::string action, int64_t case_id,
                                               nlohmann::json detail) const {
  return registry::ActorEvent(actor, std::move(action), "rescue_case", case_id, detail.dump());
}

Result<std::vector<RepeatSuggestion>> RepeatVisitService::Search(const Actor& actor, int64_t case_id) {
  Case k;
  std::vector<Case> earlier;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto found, store::GetCase(c, case_id));
    if (!found || !actor.principal.InScope(found->station_division, found->created_by)) {
      return internal::CaseNotFound();
    }
    k = std::move(*found);
    std::set<int64_t> decided;
    DOUDI_ASSIGN_OR_RETURN(auto existing, SuggestionsOf(c, case_id));
    for (const auto& s : existing) {
      if (s.status != "open") decided.insert(s.earlier_case_id);
    }
    // The case's own scope: the earlier cases of its station.
    store::CaseFilter f;
    f.scope.division_prefix = k.station_division;
    f.limit = 1000000;
    DOUDI_ASSIGN_OR_RETURN(auto all, store::SearchCases(c, f));
    for (auto& e : all.first) {
      if (e.id == k.id || e.station_division != k.station_division) continue;
      const bool before = e.intake_at < k.intake_at || (e.intake_at == k.intake_at && e.id < k.id);
      if (!before || e.person_id == k.person_id || decided.count(e.id)) continue;
      if (k.identified && e.identified) continue;  // two known identities: the ID numbers decide, not attributes
      earlier.push_back(std::move(e));
    }
    return Status::Ok();
  }));
  // The face term: the earlier cases' faces are read only when this case has one.
  auto faces_of = [&](const std::vector<int64_t>& ids) -> Result<FaceMap> {
    return faces_ ? faces_(ids) : CaseFaceEmbeddings(db_, ids);
  };
  FaceMap faces;
  if (!earlier.empty()) {
    DOUDI_ASSIGN_OR_RETURN(faces, faces_of({k.id}));
    if (!faces.empty()) {
      std::vector<int64_t> ids;
      for (const auto& e : earlier) ids.push_back(e.id);
      DOUDI_ASSIGN_OR_RETURN(FaceMap theirs, faces_of(ids));
      faces.merge(theirs);
    }
  }
  DOUDI_ASSIGN_OR_RETURN(auto ranked, repeat::Rank(k, earlier, faces, kRepeatTop));
  const std::string now = NowText();
  const int64_t by = actor.principal.user_id;
  std::vector<RepeatSuggestion> out;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    // Two searches of one case serialise on its row: the second replaces the first's open suggestions.
    DOUDI_RETURN_IF_ERROR(c.Exec("UPDATE rescue_cases SET version = version WHERE id = $1", {case_id}).status());
    DOUDI_RETURN_IF_ERROR(
        c.Exec("DELETE FROM rescue_repeat_suggestions WHERE case_id = $1 AND status = 'open'", {case_id}).status());
    for (const auto& r : ranked) {
      // A pair decided meanwhile keeps its decision.
      DOUDI_RETURN_IF_ERROR(c.Exec("INSERT INTO rescue_repeat_suggestions (case_id, earlier_case_id, status, score, "
                                   "explanation, version, created_at, created_by, updated_at, updated_by) VALUES "
                                   "($1, $2, 'open', $3, $4, 1, $5, $6, $5, $6) "
                                   "ON CONFLICT (case_id, earlier_case_id) DO NOTHING",
                                   {case_id, r.earlier_case_id, r.score, r.explanation.dump(), now, by})
                                .status());
    }
    DOUDI_ASSIGN_OR_RETURN(auto all, SuggestionsOf(c, case_id));
    for (auto& s : all) {
      if (s.status == "open" || s.status == "confirmed") out.push_back(std::move(s));
    }
    return audit_.AppendIn(c, Event(actor, "rescue.repeat.search", case_id,
                                    {{"earlier_compared", earlier.size()}, {"suggestions", ranked.size()},
                                     {"faces", faces.size()}}));
  }));
  return out;
}

Result<std::vector<RepeatSuggestion>> RepeatVisitService::List(const Actor& actor, int64_t case_id, bool all) {
  std::vector<RepeatSuggestion> out;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto k, store::GetCase(c, case_id));
    if (!k || !actor.principal.InScope(k->station_division, k->created_by)) return internal::CaseNotFound();
    DOUDI_ASSIGN_OR_RETURN(auto rows, SuggestionsOf(c, case_id));
    // Best first: open ones by score, then the decided ones.
    std::stable_partition(rows.begin(), rows.end(), [](const RepeatSuggestion& s) { return s.status == "open"; });
    for (auto& s : rows) {
      if (s.status == "open") {
        // Linked meanwhile through another confirmation: nothing left to decide.
        DOUDI_ASSIGN_OR_RETURN(auto e, store::GetCase(c, s.earlier_case_id));
        if (e && e->person_id == k->person_id) continue;
      }
      if (all || s.status == "open" || s.status == "confirmed") out.push_back(std::move(s));
    }
    return Status::Ok();
  }));
  return out;
}

Status RepeatVisitService::LoadPair(db::Conn& c, const Actor& actor, int64_t case_id, int64_t suggestion_id,
                                    Case* k, RepeatSuggestion* s) const {
  DOUDI_ASSIGN_OR_RETURN(auto found, store::GetCase(c, case_id));
  if (!found || !actor.principal.InScope(found->station_division, found->created_by)) return internal::CaseNotFound();
  DOUDI_ASSIGN_OR_RETURN(auto sug, GetSuggestion(c, suggestion_id));
  if (!sug || sug->case_id != case_id) return SuggestionNotFound();
  *k = std::move(*found);
  *s = std::move(*sug);
  return Status::Ok();
}

Result<RepeatSuggestion> RepeatVisitService::Confirm(const Actor& actor, int64_t case_id, int64_t suggestion_id,
                                                     int64_t version, const std::string& reason) {
  DOUDI_RETURN_IF_ERROR(RequireReason(reason));
  Case k, e;
  RepeatSuggestion s;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_RETURN_IF_ERROR(LoadPair(c, actor, case_id, suggestion_id, &k, &s));
    DOUDI_ASSIGN_OR_RETURN(auto earlier, store::GetCase(c, s.earlier_case_id));
    if (!earlier || !actor.principal.InScope(earlier->station_division, earlier->created_by)) {
      return internal::CaseNotFound();
    }
    e = std::move(*earlier);
    return Status::Ok();
  }));
  if (s.status != "open") return Status::Conflict("rescue.repeat.decided", "该比对建议已处理");
  if (s.version != version) return db::VersionConflict();
  if (k.person_id == e.person_id) {
    return Status::Conflict("rescue.repeat.already_linked", "两次求助已关联到同一人员档案");
  }
  // The person that survives: the one with an ID number in the registry; of two placeholders the one registered
  // first (the lower id), so that confirming visit after visit keeps one person instead of moving them around.
  DOUDI_ASSIGN_OR_RETURN(registry::Person pk, registry_.LoadPerson(k.person_id));
  DOUDI_ASSIGN_OR_RETURN(registry::Person pe, registry_.LoadPerson(e.person_id));
  if (!pk.id_number.empty() && !pe.id_number.empty()) {
    return Status::Conflict("rescue.repeat.both_identified",
                            "两次求助的人员均已登记不同的身份证号码，不能按体貌合并；如身份有误，请先在人员档案中更正");
  }
  const int64_t to = !pk.id_number.empty()   ? k.person_id
                     : !pe.id_number.empty() ? e.person_id
                                             : std::min(k.person_id, e.person_id);
  const int64_t from = to == e.person_id ? k.person_id : e.person_id;
  const std::string clean(Trim(reason));
  const std::string now = NowText();
  const int64_t by = actor.principal.user_id;
  std::optional<RepeatSuggestion> result;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    Case k2, e2;
    RepeatSuggestion cur;
    DOUDI_RETURN_IF_ERROR(LoadPair(c, actor, case_id, suggestion_id, &k2, &cur));
    DOUDI_ASSIGN_OR_RETURN(auto earlier, store::GetCase(c, s.earlier_case_id));
    // Anything moved since the read (the suggestion decided, a case re-pointed): the caller reloads.
    if (!earlier || cur.status != "open" || cur.version != version || k2.person_id != k.person_id ||
        earlier->person_id != e.person_id) {
      return db::VersionConflict();
    }
    DOUDI_ASSIGN_OR_RETURN(auto moved, store::CasesOfPerson(c, from));
    nlohmann::json moved_ids = nlohmann::json::array();
    for (auto& m : moved) {
      DOUDI_RETURN_IF_ERROR(Repoint(c, m, to, "确认重复求助（同一人）：" + clean, now, by));
      moved_ids.push_back(m.id);
    }
    cur.status = "confirmed";
    cur.reason = clean;
    cur.decided_by = by;
    cur.decided_at = now;
    cur.from_person_id = from;
    cur.to_person_id = to;
    cur.moved_cases = moved_ids.dump();
    cur.updated_at = now;
    cur.updated_by = by;
    DOUDI_ASSIGN_OR_RETURN(bool ok, SaveDecision(c, cur, version));
    if (!ok) return db::VersionConflict();
    cur.version = version + 1;
    DOUDI_RETURN_IF_ERROR(audit_.AppendIn(
        c, Event(actor, "rescue.repeat.confirm", case_id,
                 {{"suggestion_id", suggestion_id}, {"earlier_case_id", cur.earlier_case_id}, {"from_person_id", from},
                  {"to_person_id", to}, {"moved_cases", moved_ids}, {"reason", clean}})));
    result = std::move(cur);
    return Status::Ok();
  }));
  return std::move(*result);
}

Result<RepeatSuggestion> RepeatVisitService::Reject(const Actor& actor, int64_t case_id, int64_t suggestion_id,
                                                    int64_t version, const std::string& reason) {
  DOUDI_RETURN_IF_ERROR(RequireReason(reason));
  const std::string clean(Trim(reason));
  const std::string now = NowText();
  std::optional<RepeatSuggestion> result;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    Case k;
    RepeatSuggestion cur;
    DOUDI_RETURN_IF_ERROR(LoadPair(c, actor, case_id, suggestion_id, &k, &cur));
    if (cur.status != "open") return Status::Conflict("rescue.repeat.decided", "该比对建议已处理");
    if (cur.version != version) return db::VersionConflict();
    cur.status = "rejected";
    cur.reason = clean;
    cur.decided_by = actor.principal.user_id;
    cur.decided_at = now;
    cur.updated_at = now;
    cur.updated_by = actor.principal.user_id;
    DOUDI_ASSIGN_OR_RETURN(bool ok, SaveDecision(c, cur, version));
    if (!ok) return db::VersionConflict();
    cur.version = version + 1;
    DOUDI_RETURN_IF_ERROR(audit_.AppendIn(c, Event(actor, "rescue.repeat.reject", case_id,
                                                   {{"suggestion_id", suggestion_id},
                                                    {"earlier_case_id", cur.earlier_case_id},
                                                    {"reason", clean}})));
    result = std::move(cur);
    return Status::Ok();
  }));
  return std::move(*result);
}

Result<RepeatSuggestion> RepeatVisitService::Undo(const Actor& actor, int64_t case_id, int64_t suggestion_id,
                                                  int64_t version, const std::string& reason) {
  DOUDI_RETURN_IF_ERROR(internal::RequireText("reason", reason, 2, 500, "rescue.repeat.reason_required",
                                              "撤销合并须填写理由（2 到 500 个字）"));
  const std::string clean(Trim(reason));
  const std::string now = NowText();
  const int64_t by = actor.principal.user_id;
  std::optional<RepeatSuggestion> result;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    Case k;
    RepeatSuggestion cur;
    DOUDI_RETURN_IF_ERROR(LoadPair(c, actor, case_id, suggestion_id, &k, &cur));
    DOUDI_ASSIGN_OR_RETURN(auto earlier, store::GetCase(c, cur.earlier_case_id));
    if (!earlier || !actor.principal.InScope(earlier->station_division, earlier->created_by)) {
      return internal::CaseNotFound();
    }
    if (cur.status != "confirmed" || !cur.from_person_id || !cur.to_person_id) {
      return Status::Conflict("rescue.repeat.not_confirmed", "只有已确认的重复求助才能撤销合并");
    }
    if (cur.version != version) return db::VersionConflict();
    nlohmann::json back = nlohmann::json::array();
    for (const auto& id : nlohmann::json::parse(cur.moved_cases, nullptr, false)) {
      if (!id.is_number_integer()) continue;
      DOUDI_ASSIGN_OR_RETURN(auto m, store::GetCase(c, id.get<int64_t>()));
      // A case linked elsewhere since (identified as someone else) stays where it is now.
      if (!m || m->person_id != *cur.to_person_id) continue;
      DOUDI_RETURN_IF_ERROR(Repoint(c, *m, *cur.from_person_id, "撤销重复求助合并：" + clean, now, by));
      back.push_back(m->id);
    }
    cur.status = "undone";
    cur.undo_reason = clean;
    cur.undone_by = by;
    cur.undone_at = now;
    cur.updated_at = now;
    cur.updated_by = by;
    DOUDI_ASSIGN_OR_RETURN(bool ok, SaveDecision(c, cur, version));
    if (!ok) return db::VersionConflict();
    cur.version = version + 1;
    DOUDI_RETURN_IF_ERROR(audit_.AppendIn(c, Event(actor, "rescue.repeat.undo", case_id,
                                                   {{"suggestion_id", suggestion_id},
                                                    {"earlier_case_id", cur.earlier_case_id},
                                                    {"returned_cases", back},
                                                    {"person_id", *cur.from_person_id},
                                                    {"reason", clean}})));
    result = std::move(cur);
    return Status::Ok();
  }));
  return std::move(*result);
}

Result<nlohmann::json> RepeatVisitService::ToJson(const Actor& actor, const RepeatSuggestion& s) {
  std::optional<Case> e;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(e, store::GetCase(c, s.earlier_case_id));
    return Status::Ok();
  }));
  auto opt = [](const auto& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  nlohmann::json j = {{"id", s.id},
                      {"case_id", s.case_id},
                      {"earlier_case_id", s.earlier_case_id},
                      {"status", s.status},
                      {"score", s.score},
                      {"explanation", nlohmann::json::parse(s.explanation, nullptr, false)},
                      {"reason", s.reason},
                      {"decided_by", opt(s.decided_by)},
                      {"decided_at", s.decided_at},
                      {"from_person_id", opt(s.from_person_id)},
                      {"to_person_id", opt(s.to_person_id)},
                      {"moved_cases", nlohmann::json::parse(s.moved_cases, nullptr, false)},
                      {"undo_reason", s.undo_reason},
                      {"undone_by", opt(s.undone_by)},
                      {"undone_at", s.undone_at},
                      {"version", s.version},
                      {"created_at", s.created_at}};
  if (e) {
    const bool visible = actor.principal.InScope(e->station_division, e->created_by);
    nlohmann::json earlier = {{"id", e->id},
                              {"intake_at", e->intake_at},
                              {"departed_at", e->departed_at},
                              {"status", e->status},
                              {"station_division", e->station_division},
                              {"station_division_name", divisions_.FullName(e->station_division)},
                              {"in_scope", visible}};
    if (visible) {
      // What the caseworker compares by eye; never the health detail.
      earlier.update({{"name", e->name},
                      {"identified", e->identified},
                      {"sex", e->sex},
                      {"estimated_age", opt(e->estimated_age)},
                      {"height_cm", opt(e->height_cm)},
                      {"features", e->features},
                      {"clothing", e->clothing},
                      {"dialect", e->dialect},
                      {"found_date", e->found_date},
                      {"found_place", e->found_place},
                      {"photo", e->photo}});
    }
    j["earlier"] = std::move(earlier);
  }
  return j;
}

}  // namespace doudi::rescue
