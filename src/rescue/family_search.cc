// RescueService: the family search (寻亲) of the unidentified — notices and their public page and export, the
// DNA request to the police, and the candidates from the engines with their decisions.
#include <algorithm>
#include <cmath>

#include "common/text.h"
#include "rescue/internal.h"
#include "rescue/photos.h"
#include "rescue/service.h"
#include "rescue/store.h"

namespace doudi::rescue {

using internal::DayOf;
using internal::RequireText;

namespace {

Status NoticeNotFound() { return Status::NotFound("rescue.notice.not_found", "寻亲公告不存在或不在您的管辖范围内"); }
Status DnaNotFound() { return Status::NotFound("rescue.dna.not_found", "DNA 采样记录不存在或不在您的管辖范围内"); }
Status CandidateNotFound() {
  return Status::NotFound("rescue.candidate.not_found", "比对候选不存在或不在您的管辖范围内");
}

std::string CsvCell(const std::string& s) {
  bool quote = s.find_first_of(",\"\r\n") != std::string::npos;
  // A leading =, +, - or @ would run as a formula in a spreadsheet: prefixed with a quote mark.
  std::string v = (!s.empty() && std::string("=+-@").find(s[0]) != std::string::npos) ? "'" + s : s;
  if (!quote) return v;
  std::string out = "\"";
  for (char ch : v) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

}  // namespace

nlohmann::json RescueService::PublicNoticeJson(const Notice& n) const {
  nlohmann::json j = {{"id", n.id},
                      {"name", n.name.empty() ? nlohmann::json(nullptr) : nlohmann::json(n.name)},
                      {"sex", n.sex},
                      {"estimated_age", n.estimated_age ? nlohmann::json(*n.estimated_age) : nlohmann::json(nullptr)},
                      {"height_cm", n.height_cm ? nlohmann::json(*n.height_cm) : nlohmann::json(nullptr)},
                      {"features", n.features},
                      {"clothing", n.clothing},
                      {"found_date", n.found_date},
                      {"found_place", n.found_place},
                      {"station_contact", n.station_contact},
                      {"published_at", n.published_at},
                      {"refreshed_at", n.refreshed_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(n.refreshed_at)}};
  bool show_photo = !n.photo.empty() && (!n.minor || options_.public_minor_photos);
  j["photo"] = show_photo ? nlohmann::json(n.photo) : nlohmann::json(nullptr);
  // An uploaded photo (photos.h) is served to the public by the notice, never by the photo's own id.
  j["photo_url"] = show_photo && PhotoIdOfKey(n.photo)
                       ? nlohmann::json("/api/v1/public/notices/" + std::to_string(n.id) + "/photo")
                       : nlohmann::json(nullptr);
  return j;
}

Result<Notice> RescueService::GetNotice(const Actor& actor, int64_t notice_id) {
  std::optional<Notice> n;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(n, store::GetNotice(c, notice_id));
    if (!n) return NoticeNotFound();
    // The case decides the scope (its creator for own-scope users).
    DOUDI_ASSIGN_OR_RETURN(auto k, store::GetCase(c, n->case_id));
    if (!k || !actor.principal.InScope(k->station_division, k->created_by)) return NoticeNotFound();
    return Status::Ok();
  }));
  return std::move(*n);
}

Result<std::vector<Notice>> RescueService::ListNotices(const Actor& actor, const std::string& status) {
  if (!status.empty() && status != "draft" && status != "published" && status != "closed") {
    return Status::InvalidField("status", "rescue.notice.status", "公告状态应为 draft、published 或 closed");
  }
  std::vector<Notice> out;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(out, store::Notices(c, store::ScopeOf(actor.principal), status));
    return Status::Ok();
  }));
  return out;
}

Result<Notice> RescueService::UpdateNotice(const Actor& actor, int64_t notice_id, int64_t version,
                                           const Notice& values, const std::vector<std::string>& fields) {
  std::optional<Notice> result;
  const Date today = ShanghaiDate(clock_());
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto n, store::GetNotice(c, notice_id));
    if (!n) return NoticeNotFound();
    DOUDI_RETURN_IF_ERROR(LoadCase(c, actor, n->case_id).status());
    if (n->version != version) return db::VersionConflict();
    if (n->status == "closed") return Status::Conflict("rescue.notice.closed", "该寻亲公告已结束，不能修改");
    Notice next = *n;
    for (const auto& f : fields) {
      if (f == "name") next.name = std::string(Trim(values.name));
      else if (f == "sex") next.sex = values.sex;
      else if (f == "estimated_age") next.estimated_age = values.estimated_age;
      else if (f == "height_cm") next.height_cm = values.height_cm;
      else if (f == "features") next.features = std::string(Trim(values.features));
      else if (f == "clothing") next.clothing = std::string(Trim(values.clothing));
      else if (f == "found_date") next.found_date = std::string(Trim(values.found_date));
      else if (f == "found_place") next.found_place = std::string(Trim(values.found_place));
      else if (f == "photo") next.photo = std::string(Trim(values.photo));
      else if (f == "station_contact") next.station_contact = std::string(Trim(values.station_contact));
      else return Status::InvalidField(f, "rescue.notice.unknown_field", "寻亲公告没有此字段：" + f);
    }
    if (next.sex != 0 && next.sex != 1 && next.sex != 2 && next.sex != 9) {
      return Status::InvalidField("sex", "rescue.sex.invalid", "性别代码应为 0、1、2 或 9");
    }
    if (next.estimated_age && (*next.estimated_age < 0 || *next.estimated_age > 150)) {
      return Status::InvalidField("estimated_age", "rescue.estimated_age.invalid", "估计年龄应在 0 到 150 岁之间");
    }
    if (next.height_cm && (*next.height_cm < 30 || *next.height_cm > 260)) {
      return Status::InvalidField("height_cm", "rescue.height.invalid", "身高应在 30 到 260 厘米之间");
    }
    DOUDI_ASSIGN_OR_RETURN(auto found, internal::DateField("found_date", next.found_date, false, "发现日期"));
    if (found && *found > today) {
      return Status::InvalidField("found_date", "rescue.found_date.future", "发现日期不能晚于今天");
    }
    if (next.estimated_age) next.minor = *next.estimated_age < 18;
    DOUDI_ASSIGN_OR_RETURN(bool ok, store::UpdateNotice(c, next, version, NowText(), actor.principal.user_id));
    if (!ok) return db::VersionConflict();
    next.version = version + 1;
    DOUDI_RETURN_IF_ERROR(audit_.AppendIn(c, Event(actor, "rescue.notice.update", "rescue_notice", notice_id,
                                                   internal::FieldsDetail(fields))));
    result = std::move(next);
    return Status::Ok();
  }));
  return std::move(*result);
}

Result<Notice> RescueService::ChangeNotice(const Actor& actor, int64_t notice_id, const std::string& action,
                                           const std::function<Status(Notice&, const std::string& now)>& change) {
  std::optional<Notice> result;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto n, store::GetNotice(c, notice_id));
    if (!n) return NoticeNotFound();
    DOUDI_RETURN_IF_ERROR(LoadOpenCase(c, actor, n->case_id).status());
    const std::string now = NowText();
    int64_t version = n->version;
    DOUDI_RETURN_IF_ERROR(change(*n, now));
    DOUDI_ASSIGN_OR_RETURN(bool ok, store::UpdateNotice(c, *n, version, now, actor.principal.user_id));
    if (!ok) return db::VersionConflict();
    n->version = version + 1;
    DOUDI_RETURN_IF_ERROR(audit_.AppendIn(c, Event(actor, action, "rescue_notice", notice_id)));
    result = std::move(n);
    return Status::Ok();
  }));
  return std::move(*result);
}

Result<Notice> RescueService::PublishNotice(const Actor& actor, int64_t notice_id) {
  return ChangeNotice(actor, notice_id, "rescue.notice.publish", [](Notice& n, const std::string& now) -> Status {
    if (n.status != "draft") return Status::Conflict("rescue.notice.not_draft", "只能发布草稿状态的寻亲公告");
    std::vector<std::string> missing;
    if (n.found_date.empty()) missing.push_back("found_date");
    if (n.found_place.empty()) missing.push_back("found_place");
    if (n.station_contact.empty()) missing.push_back("station_contact");
    if (n.features.empty() && n.photo.empty()) missing.push_back("features");
    if (!missing.empty()) {
      Status s = Status::Invalid("rescue.notice.incomplete", "寻亲公告缺少必要内容（发现日期、地点、联系方式、体貌特征或照片）");
      for (const auto& m : missing) s.add_detail({m, "rescue.notice.incomplete", "请填写此项"});
      return s;
    }
    n.status = "published";
    n.published_at = now;
    return Status::Ok();
  });
}

Result<Notice> RescueService::RefreshNotice(const Actor& actor, int64_t notice_id) {
  return ChangeNotice(actor, notice_id, "rescue.notice.refresh", [](Notice& n, const std::string& now) -> Status {
    if (n.status != "published") return Status::Conflict("rescue.notice.not_published", "只能更新已发布的寻亲公告");
    n.refreshed_at = now;
    return Status::Ok();
  });
}

Result<std::pair<std::vector<Notice>, int64_t>> RescueService::PublicNotices(int page, int size) {
  page = std::max(1, page);
  size = std::clamp(size, 1, 100);
  std::pair<std::vector<Notice>, int64_t> out;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(out, store::PublishedNotices(c, size, static_cast<int64_t>(page - 1) * size));
    return Status::Ok();
  }));
  return out;
}

Result<Notice> RescueService::PublicNotice(int64_t notice_id) {
  std::optional<Notice> n;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(n, store::GetNotice(c, notice_id));
    if (!n || n->status != "published") return NoticeNotFound();
    DOUDI_ASSIGN_OR_RETURN(auto k, store::GetCase(c, n->case_id));
    if (!k || k->status != "in_station") return NoticeNotFound();
    return Status::Ok();
  }));
  return std::move(*n);
}

Result<std::string> RescueService::ExportNotices(const Actor& actor, const std::string& format) {
  if (format != "csv" && format != "json") {
    return Status::InvalidField("format", "rescue.export.format", "导出格式应为 csv 或 json");
  }
  DOUDI_ASSIGN_OR_RETURN(auto notices, ListNotices(actor, "published"));
  DOUDI_RETURN_IF_ERROR(audit_.Append(Event(actor, "rescue.notice.export", "rescue_notice", 0,
                                            nlohmann::json{{"format", format}, {"count", notices.size()}}.dump())));
  if (format == "json") {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& n : notices) arr.push_back(PublicNoticeJson(n));
    return arr.dump();
  }
  std::string out = "id,name,sex,estimated_age,height_cm,features,clothing,found_date,found_place,photo,station_contact,"
                    "published_at,refreshed_at\r\n";
  for (const auto& n : notices) {
    nlohmann::json j = PublicNoticeJson(n);
    auto text = [&](const char* k) { return j[k].is_null() ? std::string() : j[k].is_string() ? j[k].get<std::string>() : j[k].dump(); };
    for (const char* k : {"id", "name", "sex", "estimated_age", "height_cm", "features", "clothing", "found_date",
                          "found_place", "photo", "station_contact", "published_at"}) {
      out += CsvCell(text(k)) + ",";
    }
    out += CsvCell(text("refreshed_at")) + "\r\n";
  }
  return out;
}

Result<DnaRequest> RescueService::RequestDna(const Actor& actor, int64_t case_id, const std::string& police_unit,
                                             const std::string& requested_on, const std::string& note) {
  DOUDI_RETURN_IF_ERROR(RequireText("police_unit", police_unit, 2, 100, "rescue.dna.police_unit",
                                    "请填写受理采血的公安机关"));
  const Date today = ShanghaiDate(clock_());
  std::string date = requested_on.empty() ? FormatDate(today) : requested_on;
  DOUDI_ASSIGN_OR_RETURN(auto d, internal::DateField("requested_on", date, true, "商请日期"));
  if (*d > today) return Status::InvalidField("requested_on", "rescue.dna.future", "商请日期不能晚于今天");
  DnaRequest r;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(Case k, LoadOpenCase(c, actor, case_id));
    Date intake = DayOf(k.intake_at, today);
    if (*d < intake) {
      return Status::InvalidField("requested_on", "rescue.dna.before_intake", "商请日期不能早于入站日期");
    }
    DOUDI_ASSIGN_OR_RETURN(auto existing, store::DnaOfCase(c, case_id));
    if (!existing.empty()) return Status::Conflict("rescue.dna.exists", "该人员已商请公安机关采集 DNA");
    r.case_id = case_id;
    r.requested_on = date;
    r.due_on = FormatDate(calendar_.AddWorkingDays(intake, 7));
    r.police_unit = std::string(Trim(police_unit));
    r.status = "requested";
    r.note = std::string(Trim(note));
    r.version = 1;
    DOUDI_ASSIGN_OR_RETURN(r.id, store::InsertDna(c, r, NowText(), actor.principal.user_id));
    DOUDI_RETURN_IF_ERROR(store::TouchCase(c, k, NowText(), actor.principal.user_id));
    nlohmann::json detail = {{"dna_request_id", r.id}, {"on_time", r.requested_on <= r.due_on}};
    return audit_.AppendIn(c, Event(actor, "rescue.dna.request", "rescue_case", case_id, detail.dump()));
  }));
  return r;
}

Result<DnaRequest> RescueService::RecordDnaSample(const Actor& actor, int64_t request_id, const std::string& sample_ref,
                                                  const std::string& sampled_on) {
  DOUDI_RETURN_IF_ERROR(RequireText("sample_ref", sample_ref, 1, 100, "rescue.dna.sample_ref", "请填写样本编号"));
  const Date today = ShanghaiDate(clock_());
  std::string date = sampled_on.empty() ? FormatDate(today) : sampled_on;
  DOUDI_ASSIGN_OR_RETURN(auto d, internal::DateField("sampled_on", date, true, "采样日期"));
  if (*d > today) return Status::InvalidField("sampled_on", "rescue.dna.future", "采样日期不能晚于今天");
  std::optional<DnaRequest> result;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto r, store::GetDna(c, request_id));
    if (!r) return DnaNotFound();
    auto k = LoadCase(c, actor, r->case_id);
    if (!k.ok()) return DnaNotFound();
    if (r->status != "requested") return Status::Conflict("rescue.dna.sampled", "已登记采样");
    if (date < r->requested_on) {
      return Status::InvalidField("sampled_on", "rescue.dna.sample_before_request", "采样日期不能早于商请日期");
    }
    int64_t version = r->version;
    r->status = "sampled";
    r->sample_ref = std::string(Trim(sample_ref));
    r->sampled_on = date;
    DOUDI_ASSIGN_OR_RETURN(bool ok, store::UpdateDna(c, *r, version, NowText(), actor.principal.user_id));
    if (!ok) return db::VersionConflict();
    r->version = version + 1;
    DOUDI_RETURN_IF_ERROR(audit_.AppendIn(c, Event(actor, "rescue.dna.sample", "rescue_case", r->case_id,
                                                   nlohmann::json{{"dna_request_id", request_id}}.dump())));
    result = std::move(r);
    return Status::Ok();
  }));
  return std::move(*result);
}

Result<DnaRequest> RescueService::RecordDnaResult(const Actor& actor, int64_t request_id, const std::string& result_code,
                                                  const std::string& result_ref, const std::string& result_on) {
  if (result_code != "match" && result_code != "no_match") {
    return Status::InvalidField("result", "rescue.dna.result", "比对结果应为 match（比中）或 no_match（未比中）");
  }
  DOUDI_RETURN_IF_ERROR(RequireText("result_ref", result_ref, 1, 200, "rescue.dna.result_ref",
                                    "请填写比对结果编号（STR 比对报告）"));
  const Date today = ShanghaiDate(clock_());
  std::string date = result_on.empty() ? FormatDate(today) : result_on;
  DOUDI_ASSIGN_OR_RETURN(auto d, internal::DateField("result_on", date, true, "结果日期"));
  if (*d > today) return Status::InvalidField("result_on", "rescue.dna.future", "结果日期不能晚于今天");
  std::optional<DnaRequest> result;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto r, store::GetDna(c, request_id));
    if (!r) return DnaNotFound();
    auto k = LoadCase(c, actor, r->case_id);
    if (!k.ok()) return DnaNotFound();
    if (r->status != "sampled") {
      return Status::Conflict("rescue.dna.not_sampled", r->status == "resulted" ? "已登记比对结果" : "请先登记采样");
    }
    if (date < r->sampled_on) {
      return Status::InvalidField("result_on", "rescue.dna.result_before_sample", "结果日期不能早于采样日期");
    }
    int64_t version = r->version;
    r->status = "resulted";
    r->result = result_code;
    r->result_ref = std::string(Trim(result_ref));
    r->result_on = date;
    DOUDI_ASSIGN_OR_RETURN(bool ok, store::UpdateDna(c, *r, version, NowText(), actor.principal.user_id));
    if (!ok) return db::VersionConflict();
    r->version = version + 1;
    DOUDI_RETURN_IF_ERROR(audit_.AppendIn(c, Event(actor, "rescue.dna.result", "rescue_case", r->case_id,
                                                   nlohmann::json{{"dna_request_id", request_id},
                                                                  {"result", result_code}}.dump())));
    result = std::move(r);
    return Status::Ok();
  }));
  return std::move(*result);
}

Result<Candidate> RescueService::AddCandidate(const Actor& actor, int64_t case_id, Candidate k) {
  if (k.source != "dna" && k.source != "face" && k.source != "attribute") {
    return Status::InvalidField("source", "rescue.candidate.source", "候选来源应为 dna、face 或 attribute");
  }
  if (!std::isfinite(k.score) || k.score < 0) {
    return Status::InvalidField("score", "rescue.candidate.score", "比对得分应为非负数");
  }
  if (k.explanation.empty()) k.explanation = "{}";
  auto ex = nlohmann::json::parse(k.explanation, nullptr, false);
  if (ex.is_discarded() || !ex.is_object()) {
    return Status::InvalidField("explanation", "rescue.candidate.explanation", "比对说明应为 JSON 对象");
  }
  k.explanation = ex.dump();
  DOUDI_RETURN_IF_ERROR(RequireText("candidate_ref", k.candidate_ref, 1, 200, "rescue.candidate.ref",
                                    "请填写候选对象（寻亲登记或人员编号）"));
  k.case_id = case_id;
  k.status = "open";
  k.created_at = NowText();
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_RETURN_IF_ERROR(LoadOpenCase(c, actor, case_id).status());
    DOUDI_ASSIGN_OR_RETURN(k.id, store::InsertCandidate(c, k, actor.principal.user_id));
    return audit_.AppendIn(c, Event(actor, "rescue.candidate.add", "rescue_case", case_id,
                                    nlohmann::json{{"candidate_id", k.id}, {"source", k.source}}.dump()));
  }));
  return k;
}

Result<std::vector<Candidate>> RescueService::Candidates(const Actor& actor, int64_t case_id) {
  std::vector<Candidate> out;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_RETURN_IF_ERROR(LoadCase(c, actor, case_id).status());
    DOUDI_ASSIGN_OR_RETURN(out, store::CandidatesOfCase(c, case_id));
    return Status::Ok();
  }));
  return out;
}

Result<Candidate> RescueService::DecideCandidate(const Actor& actor, int64_t candidate_id, const std::string& decision,
                                                 const std::string& reason) {
  if (decision != "confirmed" && decision != "rejected") {
    return Status::InvalidField("decision", "rescue.candidate.decision", "决定应为 confirmed（确认）或 rejected（排除）");
  }
  DOUDI_RETURN_IF_ERROR(RequireText("reason", reason, 2, 1000, "rescue.candidate.reason_required",
                                    "确认或排除比对候选须填写理由（2 到 1000 个字）"));
  std::optional<Candidate> result;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto k, store::GetCandidate(c, candidate_id));
    if (!k) return CandidateNotFound();
    auto kase = LoadCase(c, actor, k->case_id);
    if (!kase.ok()) return CandidateNotFound();
    if (k->status != "open") return Status::Conflict("rescue.candidate.decided", "该候选已有结论");
    const std::string now = NowText();
    DOUDI_ASSIGN_OR_RETURN(bool ok, store::DecideCandidate(c, candidate_id, decision, std::string(Trim(reason)),
                                                           actor.principal.user_id, now));
    if (!ok) return Status::Conflict("rescue.candidate.decided", "该候选已有结论");
    if (decision == "confirmed" && (k->source == "dna" || k->source == "face") && kase->found_by.empty() &&
        kase->status == "in_station") {
      // The confirmed match tells the reunion statistics how the family was found.
      Case cur = std::move(kase).value();
      int64_t version = cur.version;
      cur.found_by = k->source;
      cur.updated_at = now;
      cur.updated_by = actor.principal.user_id;
      DOUDI_ASSIGN_OR_RETURN(bool updated, store::UpdateCase(c, cur, version));
      if (!updated) return db::VersionConflict();
    }
    k->status = decision;
    k->reason = std::string(Trim(reason));
    k->decided_by = actor.principal.user_id;
    k->decided_at = now;
    DOUDI_RETURN_IF_ERROR(audit_.AppendIn(
        c, Event(actor, decision == "confirmed" ? "rescue.candidate.confirm" : "rescue.candidate.reject", "rescue_case",
                 k->case_id, nlohmann::json{{"candidate_id", candidate_id}, {"reason", k->reason}}.dump())));
    result = std::move(k);
    return Status::Ok();
  }));
  return std::move(*result);
}

}  // namespace doudi::rescue
