// MissingReportService: the reports' CRUD, the STR import of a DNA request, and matching runs that store the
// engines' candidates (missing_reports.h).
#include "rescue/missing_reports.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/calendar.h"
#include "common/id_number.h"
#include "common/text.h"
#include "common/time.h"
#include "registry/actor_event.h"
#include "rescue/face_evidence.h"
#include "rescue/internal.h"
#include "rescue/matching.h"
#include "rescue/photos.h"
#include "rescue/store.h"

namespace doudi::rescue {

using internal::DateField;
using internal::RequireText;

namespace {

constexpr const char* kColumns =
    "id, division, status, reporter_name, reporter_phone, reporter_relation, name, sex, birth_date, age_at_lost, "
    "lost_date, lost_division, lost_place, hukou_division, height_cm, features, dialect, photos, samples, note, "
    "version, created_at, created_by, updated_at, updated_by";

Status ReportNotFound() {
  return Status::NotFound("rescue.report.not_found", "寻人登记不存在或不在您的管辖范围内");
}

std::optional<int> OptInt(const db::Row& r, size_t i) {
  if (r.IsNull(i)) return std::nullopt;
  return static_cast<int>(r.Int(i));
}

db::Value OptValue(const std::optional<int>& v) { return v ? db::Value(*v) : db::Value(); }

nlohmann::json SamplesJson(const std::vector<DnaSample>& samples) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& s : samples) a.push_back({{"relation", s.relation}, {"name", s.name}, {"profile", s.profile}});
  return a;
}

std::string CandidatePrefix() { return "missing_report:"; }

}  // namespace

MissingReportService::MissingReportService(db::Database& db, platform::AuditLog& audit, const platform::Crypto& crypto,
                                           const Divisions& divisions, platform::Clock clock)
    : db_(db), audit_(audit), crypto_(crypto), divisions_(divisions), clock_(std::move(clock)) {}

std::string MissingReportService::NowText() const { return platform::FormatUtc(clock_()); }

platform::AuditEvent MissingReportService::Event(const Actor& actor, std::string action, std::string type, int64_t id,
                                                 std::string detail) const {
  return registry::ActorEvent(actor, std::move(action), std::move(type), id, std::move(detail));
}

namespace {

MissingReport FromRow(const db::Row& r, const platform::Crypto& crypto) {
  MissingReport m;
  m.id = r.Int(0);
  m.division = r.Text(1);
  m.status = r.Text(2);
  m.reporter_name = r.Text(3);
  auto phone = crypto.Decrypt(r.Text(4));
  m.reporter_phone = phone.ok() ? *phone : "";
  m.reporter_relation = r.Text(5);
  m.name = r.Text(6);
  m.sex = static_cast<int>(r.Int(7));
  m.birth_date = r.Text(8);
  m.age_at_lost = OptInt(r, 9);
  m.lost_date = r.Text(10);
  m.lost_division = r.Text(11);
  m.lost_place = r.Text(12);
  m.hukou_division = r.Text(13);
  m.height_cm = OptInt(r, 14);
  m.features = r.Text(15);
  m.dialect = r.Text(16);
  auto photos = nlohmann::json::parse(r.Text(17), nullptr, false);
  if (photos.is_array()) {
    for (const auto& p : photos) {
      if (p.is_string()) m.photos.push_back(p.get<std::string>());
    }
  }
  auto samples = nlohmann::json::parse(r.Text(18), nullptr, false);
  if (samples.is_array()) {
    for (const auto& s : samples) {
      m.samples.push_back({s.value("relation", ""), s.value("name", ""), s.value("profile", nlohmann::json::object())});
    }
  }
  m.note = r.Text(19);
  m.version = r.Int(20);
  m.created_at = r.Text(21);
  m.created_by = r.Int(22);
  m.updated_at = r.Text(23);
  m.updated_by = r.Int(24);
  return m;
}

Result<std::optional<MissingReport>> LoadReport(db::Conn& c, int64_t id, const platform::Crypto& crypto) {
  DOUDI_ASSIGN_OR_RETURN(auto rows,
                         c.Query(std::string("SELECT ") + kColumns + " FROM rescue_missing_reports WHERE id = $1", {id}));
  if (rows.empty()) return std::optional<MissingReport>();
  return std::optional<MissingReport>(FromRow(rows[0], crypto));
}

Result<std::vector<MissingReport>> OpenReports(db::Conn& c, const platform::Crypto& crypto) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kColumns +
                                            " FROM rescue_missing_reports WHERE status = 'open' ORDER BY id"));
  std::vector<MissingReport> out;
  for (const auto& r : rows) out.push_back(FromRow(r, crypto));
  return out;
}

bool InScope(const platform::Principal& p, const MissingReport& r) { return p.InScope(r.division, r.created_by); }

// The STR profile of a case: the newest DNA request's imported profile, {} when none.
Result<nlohmann::json> CaseProfile(db::Conn& c, int64_t case_id) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT str_profile FROM rescue_dna_requests WHERE case_id = $1 AND "
                                            "str_profile <> '' ORDER BY id DESC",
                                            {case_id}));
  if (rows.empty()) return nlohmann::json::object();
  auto j = nlohmann::json::parse(rows[0].Text(0), nullptr, false);
  return j.is_object() ? j : nlohmann::json::object();
}

}  // namespace

Status MissingReportService::Validate(ReportFields& f) const {
  DOUDI_RETURN_IF_ERROR(RequireText("reporter_name", f.reporter_name, 1, 50, "rescue.report.reporter_name",
                                    "请填写登记人姓名（不超过 50 字）"));
  f.reporter_phone = std::string(Trim(f.reporter_phone));
  if (f.reporter_phone.size() < 7 || f.reporter_phone.size() > 20 ||
      !std::all_of(f.reporter_phone.begin(), f.reporter_phone.end(),
                   [](char ch) { return (ch >= '0' && ch <= '9') || ch == '-' || ch == '+'; })) {
    return Status::InvalidField("reporter_phone", "rescue.report.reporter_phone", "请填写正确的登记人联系电话");
  }
  DOUDI_RETURN_IF_ERROR(RequireText("reporter_relation", f.reporter_relation, 1, 20, "rescue.report.reporter_relation",
                                    "请填写登记人与走失人员的关系"));
  DOUDI_RETURN_IF_ERROR(RequireText("name", f.name, 0, 50, "rescue.report.name", "走失人员姓名不超过 50 字"));
  if (f.sex < 0 || f.sex > 2) return Status::InvalidField("sex", "rescue.report.sex", "性别应为 0（未知）、1（男）或 2（女）");
  const Date today = ShanghaiDate(clock_());
  DOUDI_ASSIGN_OR_RETURN(auto lost, DateField("lost_date", f.lost_date, true, "走失日期"));
  if (*lost > today) return Status::InvalidField("lost_date", "rescue.report.lost_future", "走失日期不能晚于今天");
  DOUDI_ASSIGN_OR_RETURN(auto birth, DateField("birth_date", f.birth_date, false, "出生日期"));
  if (birth && *birth > *lost) {
    return Status::InvalidField("birth_date", "rescue.report.birth_after_lost", "出生日期不能晚于走失日期");
  }
  if (!birth && !f.age_at_lost) {
    return Status::InvalidField("age_at_lost", "rescue.report.age_required", "请填写出生日期或走失时年龄");
  }
  if (f.age_at_lost && (*f.age_at_lost < 0 || *f.age_at_lost > 120)) {
    return Status::InvalidField("age_at_lost", "rescue.report.age", "走失时年龄应在 0 到 120 岁之间");
  }
  if (f.height_cm && (*f.height_cm < 30 || *f.height_cm > 250)) {
    return Status::InvalidField("height_cm", "rescue.report.height", "身高应在 30 到 250 厘米之间");
  }
  for (auto* d : {&f.lost_division, &f.hukou_division}) {
    if (!d->empty() && !divisions_.Find(*d)) {
      return Status::InvalidField(d == &f.lost_division ? "lost_division" : "hukou_division", "rescue.report.division",
                                  "行政区划代码不存在");
    }
  }
  DOUDI_RETURN_IF_ERROR(RequireText("lost_place", f.lost_place, 0, 200, "rescue.report.lost_place", "走失地点不超过 200 字"));
  DOUDI_RETURN_IF_ERROR(RequireText("features", f.features, 0, 1000, "rescue.report.features", "体貌特征不超过 1000 字"));
  DOUDI_RETURN_IF_ERROR(RequireText("dialect", f.dialect, 0, 50, "rescue.report.dialect", "口音方言不超过 50 字"));
  if (f.photos.size() > 20) return Status::InvalidField("photos", "rescue.report.photos", "照片不超过 20 张");
  if (f.samples.size() > 10) return Status::InvalidField("samples", "rescue.report.samples", "DNA 参考样本不超过 10 份");
  static const std::set<std::string> kRelations = {"father", "mother", "parent", "sibling", "child", "self"};
  int fathers = 0, mothers = 0;
  for (size_t i = 0; i < f.samples.size(); ++i) {
    const std::string field = "samples[" + std::to_string(i) + "]";
    if (!kRelations.count(f.samples[i].relation)) {
      return Status::InvalidField(field + ".relation", "rescue.report.sample_relation",
                                  "亲属关系应为 father、mother、parent、sibling、child 或 self");
    }
    fathers += f.samples[i].relation == "father";
    mothers += f.samples[i].relation == "mother";
    DOUDI_RETURN_IF_ERROR(matching::ValidateProfile(f.samples[i].profile, field + ".profile"));
  }
  if (fathers > 1 || mothers > 1) {
    return Status::InvalidField("samples", "rescue.report.sample_parents", "一份登记只能有一名父亲和一名母亲的样本");
  }
  for (auto* s : {&f.reporter_name, &f.reporter_relation, &f.name, &f.lost_place, &f.features, &f.dialect, &f.note}) {
    *s = std::string(Trim(*s));
  }
  return Status::Ok();
}

Result<MissingReport> MissingReportService::Create(const Actor& actor, ReportFields in) {
  DOUDI_RETURN_IF_ERROR(Validate(in));
  if (store::ScopeOf(actor.principal).none) {  // a division scope without a division: nowhere to register
    return internal::OutsideScope();
  }
  MissingReport r;
  static_cast<ReportFields&>(r) = in;
  r.division = actor.principal.division_code.empty() ? "42" : actor.principal.division_code;
  r.status = "open";
  r.version = 1;
  r.created_at = r.updated_at = NowText();
  r.created_by = r.updated_by = actor.principal.user_id;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(
        auto rows,
        c.Query("INSERT INTO rescue_missing_reports (division, status, reporter_name, reporter_phone, "
                "reporter_phone_hash, reporter_relation, name, sex, birth_date, age_at_lost, lost_date, lost_division, "
                "lost_place, hukou_division, height_cm, features, dialect, photos, samples, note, version, created_at, "
                "created_by, updated_at, updated_by) VALUES ($1, 'open', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
                "$13, $14, $15, $16, $17, $18, $19, 1, $20, $21, $20, $21) RETURNING id",
                {r.division, r.reporter_name, crypto_.Encrypt(r.reporter_phone), crypto_.KeyedHash(r.reporter_phone),
                 r.reporter_relation, r.name, r.sex, r.birth_date, OptValue(r.age_at_lost), r.lost_date,
                 r.lost_division, r.lost_place, r.hukou_division, OptValue(r.height_cm), r.features, r.dialect,
                 nlohmann::json(r.photos).dump(), SamplesJson(r.samples).dump(), r.note, r.created_at,
                 r.created_by}));
    r.id = rows[0].Int(0);
    return audit_.AppendIn(c, Event(actor, "rescue.report.create", "rescue_missing_report", r.id,
                                    nlohmann::json{{"samples", r.samples.size()}}.dump()));
  }));
  DOUDI_RETURN_IF_ERROR(MatchReport(actor, r.id));
  return r;
}

Result<MissingReport> MissingReportService::Get(const Actor& actor, int64_t id) {
  std::optional<MissingReport> r;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(r, LoadReport(c, id, crypto_));
    if (!r || !InScope(actor.principal, *r)) return ReportNotFound();
    return Status::Ok();
  }));
  DOUDI_RETURN_IF_ERROR(audit_.Append(Event(actor, "rescue.report.view", "rescue_missing_report", id)));
  return std::move(*r);
}

Result<std::pair<std::vector<MissingReport>, int64_t>> MissingReportService::List(const Actor& actor,
                                                                                  const ReportQuery& q) {
  if (!q.status.empty() && q.status != "open" && q.status != "found" && q.status != "closed") {
    return Status::InvalidField("status", "rescue.report.status", "登记状态应为 open、found 或 closed");
  }
  if (q.page < 1 || q.size < 1 || q.size > 100) {
    return Status::InvalidField("size", "rescue.report.page", "页码须为正数，每页 1 到 100 条");
  }
  std::vector<MissingReport> items;
  int64_t total = 0;
  db::SqlBuilder w(" WHERE 1 = 1");
  platform::AddScope(w, store::ScopeOf(actor.principal), "division", "created_by");
  const std::string status = w.Param(q.status);
  w += " AND (" + status + " = '' OR status = " + status + ")";
  const std::string name = w.Param(q.name);
  const std::string name_like = w.Param("%" + q.name + "%");
  w += " AND (" + name + " = '' OR name LIKE " + name_like + ")";
  const std::string where = w.sql();
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto n, c.Query("SELECT COUNT(*) FROM rescue_missing_reports" + where, w.span()));
    total = n[0].Int(0);
    std::vector<db::Value> p2(w.span().begin(), w.span().end());
    p2.push_back(static_cast<int64_t>(q.size));
    p2.push_back(static_cast<int64_t>((q.page - 1) * q.size));
    const std::string page = " LIMIT $" + std::to_string(p2.size() - 1) + " OFFSET $" + std::to_string(p2.size());
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kColumns + " FROM rescue_missing_reports" +
                                                  where + " ORDER BY id DESC" + page,
                                              p2));
    for (const auto& r : rows) items.push_back(FromRow(r, crypto_));
    return Status::Ok();
  }));
  return std::make_pair(std::move(items), total);
}

Result<MissingReport> MissingReportService::Update(const Actor& actor, int64_t id, int64_t version, ReportFields in) {
  // Without pii.reveal the form shows the reporter's phone masked and sends the mask back unchanged on save: that
  // keeps the stored number. A new full number replaces it; any other masked text is refused by Validate. A change
  // of the number between this read and the write below changes the version, so the write then answers 409.
  if (in.reporter_phone.find('*') != std::string::npos) {
    const std::string sent(Trim(in.reporter_phone));
    DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
      DOUDI_ASSIGN_OR_RETURN(auto stored, LoadReport(c, id, crypto_));
      if (!stored || !InScope(actor.principal, *stored)) return ReportNotFound();
      if (sent == MaskPhone(stored->reporter_phone)) in.reporter_phone = stored->reporter_phone;
      return Status::Ok();
    }));
  }
  DOUDI_RETURN_IF_ERROR(Validate(in));
  std::optional<MissingReport> r;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(r, LoadReport(c, id, crypto_));
    if (!r || !InScope(actor.principal, *r)) return ReportNotFound();
    static_cast<ReportFields&>(*r) = in;
    r->updated_at = NowText();
    r->updated_by = actor.principal.user_id;
    DOUDI_ASSIGN_OR_RETURN(
        int64_t n,
        c.Exec("UPDATE rescue_missing_reports SET reporter_name = $1, reporter_phone = $2, reporter_phone_hash = $3, "
               "reporter_relation = $4, name = $5, sex = $6, birth_date = $7, age_at_lost = $8, lost_date = $9, "
               "lost_division = $10, lost_place = $11, hukou_division = $12, height_cm = $13, features = $14, "
               "dialect = $15, photos = $16, samples = $17, note = $18, updated_at = $19, updated_by = $20, "
               "version = version + 1 WHERE id = $21 AND version = $22",
               {r->reporter_name, crypto_.Encrypt(r->reporter_phone), crypto_.KeyedHash(r->reporter_phone),
                r->reporter_relation, r->name, r->sex, r->birth_date, OptValue(r->age_at_lost), r->lost_date,
                r->lost_division, r->lost_place, r->hukou_division, OptValue(r->height_cm), r->features, r->dialect,
                nlohmann::json(r->photos).dump(), SamplesJson(r->samples).dump(), r->note, r->updated_at,
                r->updated_by, id, version}));
    if (n == 0) return Status::Conflict("rescue.report.version", "该登记已被他人修改，请刷新后重试");
    r->version = version + 1;
    return audit_.AppendIn(c, Event(actor, "rescue.report.update", "rescue_missing_report", id));
  }));
  if (r->status == "open") DOUDI_RETURN_IF_ERROR(MatchReport(actor, id));
  return std::move(*r);
}

Result<MissingReport> MissingReportService::SetStatus(const Actor& actor, int64_t id, int64_t version,
                                                      const std::string& status, const std::string& reason) {
  if (status != "open" && status != "found" && status != "closed") {
    return Status::InvalidField("status", "rescue.report.status", "登记状态应为 open、found 或 closed");
  }
  DOUDI_RETURN_IF_ERROR(RequireText("reason", reason, 2, 1000, "rescue.report.reason", "请填写原因（至少 2 个字）"));
  std::optional<MissingReport> r;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(r, LoadReport(c, id, crypto_));
    if (!r || !InScope(actor.principal, *r)) return ReportNotFound();
    r->updated_at = NowText();
    DOUDI_ASSIGN_OR_RETURN(int64_t n, c.Exec("UPDATE rescue_missing_reports SET status = $1, updated_at = $2, "
                                             "updated_by = $3, version = version + 1 WHERE id = $4 AND version = $5",
                                             {status, r->updated_at, actor.principal.user_id, id, version}));
    if (n == 0) return Status::Conflict("rescue.report.version", "该登记已被他人修改，请刷新后重试");
    // A report no longer open withdraws its unreviewed candidates.
    if (status != "open") {
      DOUDI_RETURN_IF_ERROR(c.Exec("DELETE FROM rescue_candidates WHERE status = 'open' AND candidate_ref = $1",
                                   {CandidatePrefix() + std::to_string(id)})
                                .status());
    }
    r->status = status;
    r->version = version + 1;
    r->updated_by = actor.principal.user_id;
    return audit_.AppendIn(c, Event(actor, "rescue.report.status", "rescue_missing_report", id,
                                    nlohmann::json{{"status", status}, {"reason", std::string(Trim(reason))}}.dump()));
  }));
  if (status == "open") DOUDI_RETURN_IF_ERROR(MatchReport(actor, id));
  return std::move(*r);
}

Result<DnaRequest> MissingReportService::ImportStr(const Actor& actor, int64_t dna_request_id,
                                                   const nlohmann::json& profile) {
  DOUDI_RETURN_IF_ERROR(matching::ValidateProfile(profile, "profile"));
  std::optional<DnaRequest> d;
  bool identified = false;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(d, store::GetDna(c, dna_request_id));
    auto not_found = Status::NotFound("rescue.dna.not_found", "DNA 采样记录不存在或不在您的管辖范围内");
    if (!d) return not_found;
    DOUDI_ASSIGN_OR_RETURN(auto k, store::GetCase(c, d->case_id));
    if (!k || !actor.principal.InScope(k->station_division, k->created_by)) return not_found;
    if (d->status == "requested") return Status::Conflict("rescue.dna.not_sampled", "请先登记采样，再导入 STR 分型");
    identified = k->identified;
    DOUDI_ASSIGN_OR_RETURN(int64_t n, c.Exec("UPDATE rescue_dna_requests SET str_profile = $1, updated_at = $2, "
                                             "updated_by = $3, version = version + 1 WHERE id = $4",
                                             {profile.dump(), NowText(), actor.principal.user_id, dna_request_id}));
    if (n == 0) return not_found;
    d->version += 1;
    return audit_.AppendIn(c, Event(actor, "rescue.dna.str_import", "rescue_case", d->case_id,
                                    nlohmann::json{{"dna_request_id", dna_request_id}, {"loci", profile.size()}}.dump()));
  }));
  // A person identified meanwhile keeps the profile on record but needs no matching.
  if (!identified) DOUDI_RETURN_IF_ERROR(MatchCaseIn(actor, d->case_id, false).status());
  return std::move(*d);
}

Result<MatchResult> MissingReportService::MatchCase(const Actor& actor, int64_t case_id) {
  return MatchCaseIn(actor, case_id, true);
}

Result<MatchResult> MissingReportService::MatchCaseIn(const Actor& actor, int64_t case_id, bool check_scope) {
  MatchResult out;
  out.case_id = case_id;
  Case k;
  nlohmann::json profile;
  std::vector<MissingReport> reports;
  std::set<int64_t> decided;  // reports with a confirmed or rejected candidate on this case
  std::vector<FaceEmbedding> person_face;                    // one per photo with a selected face
  std::map<int64_t, std::vector<FaceEmbedding>> report_faces;  // by report
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto found, store::GetCase(c, case_id));
    if (!found || (check_scope && !actor.principal.InScope(found->station_division, found->created_by))) {
      return internal::CaseNotFound();
    }
    k = std::move(*found);
    DOUDI_ASSIGN_OR_RETURN(profile, CaseProfile(c, case_id));
    DOUDI_ASSIGN_OR_RETURN(reports, OpenReports(c, crypto_));
    DOUDI_ASSIGN_OR_RETURN(auto person_faces, FaceEmbeddingsIn(c, "case", {case_id}));
    person_face = std::move(person_faces[case_id]);
    std::vector<int64_t> report_ids;
    for (const auto& r : reports) report_ids.push_back(r.id);
    if (!person_face.empty()) {
      DOUDI_ASSIGN_OR_RETURN(report_faces, FaceEmbeddingsIn(c, "report", report_ids));
    }
    DOUDI_ASSIGN_OR_RETURN(auto existing, store::CandidatesOfCase(c, case_id));
    for (const auto& x : existing) {
      if (x.status != "open" && x.candidate_ref.rfind(CandidatePrefix(), 0) == 0) {
        decided.insert(std::stoll(x.candidate_ref.substr(CandidatePrefix().size())));
      }
    }
    return Status::Ok();
  }));
  if (k.identified) {
    return Status::Conflict("rescue.match.identified", "该人员身份已查明，无需比对");
  }
  std::erase_if(reports, [&](const MissingReport& r) { return decided.count(r.id) > 0; });
  out.reports_compared = static_cast<int>(reports.size());
  for (int64_t id : decided) report_faces.erase(id);
  DOUDI_ASSIGN_OR_RETURN(auto ranked,
                         matching::Rank(k, profile, reports, kMatchTop, CompareFaces(person_face, report_faces)));
  const std::string now = NowText();
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    // Two runs for one case (a report and an STR import at the same moment) serialise on the case's row, so
    // that the second replaces the first's candidates instead of adding to them.
    DOUDI_RETURN_IF_ERROR(c.Exec("UPDATE rescue_cases SET version = version WHERE id = $1", {case_id}).status());
    // Replaces the engine's unreviewed candidates; decided ones and staff-entered ones stay.
    DOUDI_RETURN_IF_ERROR(c.Exec("DELETE FROM rescue_candidates WHERE case_id = $1 AND status = 'open' AND "
                                 "candidate_ref LIKE 'missing_report:%'",
                                 {case_id})
                              .status());
    for (const auto& f : ranked) {
      Candidate cand;
      cand.case_id = case_id;
      cand.source = f.source;
      cand.score = f.score;
      cand.explanation = f.explanation.dump();
      cand.candidate_ref = CandidatePrefix() + std::to_string(f.report_id);
      cand.created_at = now;
      DOUDI_RETURN_IF_ERROR(store::InsertCandidate(c, cand, actor.principal.user_id).status());
    }
    DOUDI_ASSIGN_OR_RETURN(out.candidates, store::CandidatesOfCase(c, case_id));
    return audit_.AppendIn(c, Event(actor, "rescue.case.match", "rescue_case", case_id,
                                    nlohmann::json{{"reports", out.reports_compared}, {"candidates", ranked.size()}}.dump()));
  }));
  return out;
}

Status MissingReportService::AfterPhotoChange(const Actor& actor, const std::string& owner_type, int64_t owner_id) {
  bool rematch = false;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    if (owner_type == "case") {
      DOUDI_ASSIGN_OR_RETURN(auto k, store::GetCase(c, owner_id));
      rematch = k && k->status == "in_station" && !k->identified;
    } else {
      DOUDI_ASSIGN_OR_RETURN(auto r, LoadReport(c, owner_id, crypto_));
      rematch = r && r->status == "open";
    }
    return Status::Ok();
  }));
  if (!rematch) return Status::Ok();
  if (owner_type == "case") return MatchCaseIn(actor, owner_id, false).status();
  return MatchReport(actor, owner_id);
}

Status MissingReportService::MatchReport(const Actor& actor, int64_t report_id) {
  (void)report_id;  // every open unidentified case is re-ranked against all open reports: ranks are relative
  std::vector<int64_t> cases;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id FROM rescue_cases WHERE status = 'in_station' AND "
                                              "identified = 0 ORDER BY id"));
    for (const auto& r : rows) cases.push_back(r.Int(0));
    return Status::Ok();
  }));
  for (int64_t id : cases) DOUDI_RETURN_IF_ERROR(MatchCaseIn(actor, id, false).status());
  return Status::Ok();
}

nlohmann::json MissingReportService::ToJson(const MissingReport& r, bool reveal) const {
  auto opt = [](const std::optional<int>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  return {{"id", r.id},
          {"division", r.division},
          {"status", r.status},
          {"reporter_name", r.reporter_name},
          {"reporter_phone", reveal ? r.reporter_phone : MaskPhone(r.reporter_phone)},
          {"reporter_relation", r.reporter_relation},
          {"name", r.name},
          {"sex", r.sex},
          {"birth_date", r.birth_date},
          {"age_at_lost", opt(r.age_at_lost)},
          {"lost_date", r.lost_date},
          {"lost_division", r.lost_division},
          {"lost_place", r.lost_place},
          {"hukou_division", r.hukou_division},
          {"height_cm", opt(r.height_cm)},
          {"features", r.features},
          {"dialect", r.dialect},
          {"photos", r.photos},
          {"samples", SamplesJson(r.samples)},
          {"note", r.note},
          {"version", r.version},
          {"created_at", r.created_at},
          {"created_by", r.created_by},
          {"updated_at", r.updated_at},
          {"updated_by", r.updated_by}};
}

}  // namespace doudi::rescue
