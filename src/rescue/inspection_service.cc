// InstitutionService: supervision inspections (the scored checklist) and their photos.
#include "rescue/institution_service.h"

#include "common/text.h"
#include "platform/bytes.h"
#include "rescue/institution_json.h"
#include "rescue/institution_store.h"
#include "rescue/photos.h"

namespace doudi::rescue {
namespace {

using nlohmann::json;

Status InstitutionNotFound() {
  return Status::NotFound("rescue.institution.not_found", "托养机构不存在或不在您的管辖范围内");
}
Status InspectionNotFound() {
  return Status::NotFound("rescue.inspection.not_found", "检查记录不存在或不在您的管辖范围内");
}
Status PhotoNotFound() { return Status::NotFound("rescue.photo.not_found", "照片不存在或不在您的管辖范围内"); }

json ItemsJson(const std::vector<ChecklistScore>& items) {
  json a = json::array();
  for (const auto& s : items) a.push_back({{"code", s.code}, {"score", s.score}, {"note", s.note}});
  return a;
}

constexpr char kPhotoColumns[] =
    "id, inspection_id, file_name, content_type, size_bytes, sha256, caption, created_at, created_by";

InspectionPhoto PhotoFromRow(const db::Row& r) {
  InspectionPhoto p;
  p.id = r.Int(0);
  p.inspection_id = r.Int(1);
  p.file_name = r.Text(2);
  p.content_type = r.Text(3);
  p.size_bytes = r.Int(4);
  p.sha256 = r.Text(5);
  p.caption = r.Text(6);
  p.created_at = r.Text(7);
  p.created_by = r.Int(8);
  return p;
}

}  // namespace

Status InstitutionService::ValidateInspection(InspectionFields& f) const {
  std::vector<FieldError> errors;
  auto date = ParseDate(f.inspected_on);
  if (f.inspected_on.empty()) {
    errors.push_back({"inspected_on", "rescue.inspection.date_required", "请填写检查日期"});
  } else if (!date.ok()) {
    errors.push_back({"inspected_on", "rescue.date.invalid", "检查日期不是有效日期（YYYY-MM-DD）"});
  } else if (f.inspected_on > Today()) {
    errors.push_back({"inspected_on", "rescue.inspection.date_future", "检查日期不能晚于今天"});
  }
  std::vector<std::string> names;
  for (const auto& n : f.inspectors) {
    std::string t(Trim(n));
    if (!t.empty()) names.push_back(t);
  }
  f.inspectors = names;
  if (f.inspectors.empty()) {
    errors.push_back({"inspectors", "rescue.inspection.inspectors_required", "请填写检查人员（至少 1 人）"});
  }
  if (Status s = ValidateScores(f.items); !s.ok()) {
    for (const auto& d : s.details()) errors.push_back(d);
  }
  if (errors.empty()) return Status::Ok();
  Status st(Code::kInvalid, errors.front().code, errors.front().message);
  for (auto& e : errors) st.add_detail(std::move(e));
  return st;
}

Result<Inspection> InstitutionService::CreateInspection(const Actor& actor, int64_t institution_id,
                                                        InspectionFields fields) {
  DOUDI_RETURN_IF_ERROR(ValidateInspection(fields));
  const auto& who = actor.principal;
  Inspection s;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto inst, store::LoadInstitution(c, institution_id));
    if (!inst || !who.InScope(inst->division_code, inst->created_by)) return InstitutionNotFound();
    static_cast<InspectionFields&>(s) = fields;
    s.institution_id = institution_id;
    s.institution_name = inst->name;
    s.division_code = inst->division_code;
    s.total = TotalScore(fields.items);
    s.created_at = s.updated_at = Now();
    s.created_by = s.updated_by = who.user_id;
    DOUDI_ASSIGN_OR_RETURN(
        auto rows, c.Query("INSERT INTO rescue_inspections (institution_id, division_code, inspected_on, inspectors, "
                           "items, total, findings, version, created_at, created_by, updated_at, updated_by) VALUES "
                           "($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $8, $9) RETURNING id",
                           {institution_id, s.division_code, s.inspected_on, json(s.inspectors).dump(),
                            ItemsJson(s.items).dump(), s.total, s.findings, s.created_at, s.created_by}));
    s.id = rows[0].Int(0);
    return audit_.AppendIn(c, Event(actor, "rescue.inspection.create", "rescue_inspection", s.id,
                                    json{{"institution_id", institution_id}, {"total", s.total}}.dump()));
  }));
  return s;
}

Result<Inspection> InstitutionService::GetInspection(const Actor& actor, int64_t id) {
  std::optional<Inspection> s;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(s, store::LoadInspection(c, id));
    if (!s) return Status::Ok();
    DOUDI_ASSIGN_OR_RETURN(auto photos, c.Query(std::string("SELECT ") + kPhotoColumns +
                                                    " FROM rescue_inspection_photos WHERE inspection_id = $1 "
                                                    "ORDER BY id",
                                                {id}));
    for (const auto& r : photos) s->photos.push_back(PhotoFromRow(r));
    DOUDI_ASSIGN_OR_RETURN(auto rects, c.Query(std::string("SELECT ") + store::kRectificationColumns +
                                                   store::kRectificationFrom + " WHERE r.inspection_id = $1 ORDER BY r.id",
                                               {id}));
    for (const auto& r : rects) s->rectifications.push_back(store::RectificationFromRow(r));
    return Status::Ok();
  }));
  if (!s || !actor.principal.InScope(s->division_code, s->created_by)) return InspectionNotFound();
  return *s;
}

Result<Inspection> InstitutionService::CorrectInspection(const Actor& actor, int64_t id, int64_t version,
                                                         InspectionFields fields, const std::string& reason) {
  if (Utf8Length(Trim(reason)) < 2) {
    return Status::InvalidField("reason", "rescue.correction.reason", "请说明更正原因（至少 2 个字）");
  }
  DOUDI_RETURN_IF_ERROR(ValidateInspection(fields));
  const auto& who = actor.principal;
  const std::string now = Now();
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto old, store::LoadInspection(c, id));
    if (!old || !who.InScope(old->division_code, old->created_by)) return InspectionNotFound();
    if (old->version != version) return db::VersionConflict();
    DOUDI_ASSIGN_OR_RETURN(
        auto n, c.Exec("UPDATE rescue_inspections SET inspected_on = $1, inspectors = $2, items = $3, total = $4, "
                       "findings = $5, version = version + 1, updated_at = $6, updated_by = $7 WHERE id = $8 AND "
                       "version = $9",
                       {fields.inspected_on, json(fields.inspectors).dump(), ItemsJson(fields.items).dump(),
                        TotalScore(fields.items), fields.findings, now, who.user_id, id, version}));
    if (n == 0) return db::VersionConflict();
    DOUDI_RETURN_IF_ERROR(
        store::InsertHistory(c, "rescue_inspection", id, old->version, InspectionJson(*old), reason, now, who.user_id));
    return audit_.AppendIn(c, Event(actor, "rescue.inspection.correct", "rescue_inspection", id, reason));
  }));
  return GetInspection(actor, id);
}

Result<std::vector<Inspection>> InstitutionService::InspectionsOf(const Actor& actor, int64_t institution_id) {
  DOUDI_RETURN_IF_ERROR(GetInstitution(actor, institution_id).status());
  std::vector<Inspection> out;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + store::kInspectionColumns +
                                                  store::kInspectionFrom +
                                                  " WHERE s.institution_id = $1 ORDER BY s.inspected_on DESC, s.id DESC",
                                              {institution_id}));
    for (const auto& r : rows) out.push_back(store::InspectionFromRow(r));
    return Status::Ok();
  }));
  return out;
}

Result<InspectionPhoto> InstitutionService::AddPhoto(const Actor& actor, int64_t inspection_id,
                                                     const std::string& file_name, const std::string& content_type,
                                                     const std::string& bytes, const std::string& caption) {
  DOUDI_ASSIGN_OR_RETURN(PhotoFile file, CheckPhotoFile(file_name, content_type, bytes));
  const auto& who = actor.principal;
  InspectionPhoto p;
  p.inspection_id = inspection_id;
  p.file_name = file.file_name;
  p.content_type = file.content_type;
  p.size_bytes = static_cast<int64_t>(bytes.size());
  p.sha256 = platform::Sha256Hex(bytes);
  p.caption = caption;
  p.created_at = Now();
  p.created_by = who.user_id;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto s, store::LoadInspection(c, inspection_id));
    if (!s || !who.InScope(s->division_code, s->created_by)) return InspectionNotFound();
    DOUDI_ASSIGN_OR_RETURN(auto count,
                           c.Query("SELECT COUNT(*) FROM rescue_inspection_photos WHERE inspection_id = $1",
                                   {inspection_id}));
    if (count[0].Int(0) >= kMaxPhotosPerInspection) {
      return Status::InvalidField("data", "rescue.photo.too_many",
                                  "每次检查最多 " + std::to_string(kMaxPhotosPerInspection) + " 张照片");
    }
    DOUDI_ASSIGN_OR_RETURN(
        auto rows, c.Query("INSERT INTO rescue_inspection_photos (inspection_id, file_name, content_type, size_bytes, "
                           "sha256, data, caption, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
                           "RETURNING id",
                           {inspection_id, p.file_name, p.content_type, p.size_bytes, p.sha256,
                            platform::Base64(bytes), p.caption, p.created_at, p.created_by}));
    p.id = rows[0].Int(0);
    return audit_.AppendIn(c, Event(actor, "rescue.inspection.photo_add", "rescue_inspection", inspection_id,
                                    json{{"photo_id", p.id}, {"sha256", p.sha256}, {"size", p.size_bytes}}.dump()));
  }));
  return p;
}

Result<std::pair<InspectionPhoto, std::string>> InstitutionService::GetPhoto(const Actor& actor, int64_t photo_id) {
  std::optional<std::pair<InspectionPhoto, std::string>> out;
  std::string division;
  int64_t owner = 0;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT p.id, p.inspection_id, p.file_name, p.content_type, "
                                              "p.size_bytes, p.sha256, p.caption, p.created_at, p.created_by, p.data, "
                                              "s.division_code, s.created_by FROM rescue_inspection_photos p JOIN "
                                              "rescue_inspections s ON s.id = p.inspection_id WHERE p.id = $1",
                                              {photo_id}));
    if (rows.empty()) return Status::Ok();
    std::string bytes;
    if (!platform::FromBase64(rows[0].Text(9), &bytes)) return Status::Internal("stored photo is not base64");
    out.emplace(PhotoFromRow(rows[0]), std::move(bytes));
    division = rows[0].Text(10);
    owner = rows[0].Int(11);
    return Status::Ok();
  }));
  if (!out || !actor.principal.InScope(division, owner)) return PhotoNotFound();
  return std::move(*out);
}

}  // namespace doudi::rescue
