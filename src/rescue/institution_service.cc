// InstitutionService: the institution registry and the history of corrections. Inspections and photos are in
// inspection_service.cc, rectification orders in rectification_service.cc.
#include "rescue/institution_service.h"

#include <cctype>
#include <tuple>

#include "common/text.h"
#include "registry/actor_event.h"
#include "rescue/institution_json.h"
#include "rescue/institution_store.h"

namespace doudi::rescue {
namespace {

Status InstitutionNotFound() {
  return Status::NotFound("rescue.institution.not_found", "托养机构不存在或不在您的管辖范围内");
}

bool ValidDate(const std::string& s) { return ParseDate(s).ok(); }

bool ValidPhone(const std::string& s) {
  if (s.size() < 7 || s.size() > 20) return false;
  for (char ch : s) {
    if (!(std::isdigit(static_cast<unsigned char>(ch)) || ch == '-' || ch == ' ')) return false;
  }
  return true;
}

}  // namespace

InstitutionService::InstitutionService(db::Database& db, platform::AuditLog& audit, const Divisions& divisions,
                                       const WorkCalendar& calendar, platform::Clock clock)
    : db_(db), audit_(audit), divisions_(divisions), calendar_(calendar), clock_(std::move(clock)) {}

std::string InstitutionService::Now() const { return platform::FormatUtc(clock_()); }
std::string InstitutionService::Today() const { return platform::FormatShanghai(clock_()).substr(0, 10); }

platform::AuditEvent InstitutionService::Event(const Actor& actor, std::string action, std::string object_type,
                                               int64_t object_id, std::string detail) const {
  return registry::ActorEvent(actor, std::move(action), std::move(object_type), object_id, std::move(detail));
}

Status InstitutionService::ValidateInstitution(InstitutionFields& f) const {
  std::vector<FieldError> errors;
  f.name = std::string(Trim(f.name));
  if (f.name.empty()) {
    errors.push_back({"name", "rescue.institution.name_required", "请填写机构名称"});
  } else if (Utf8Length(f.name) > 100) {
    errors.push_back({"name", "rescue.institution.name_long", "机构名称不能超过 100 个字"});
  }
  if (f.kind != "foster_care" && f.kind != "hospital") {
    errors.push_back({"kind", "rescue.institution.kind", "机构类型应为托养机构（foster_care）或定点医院（hospital）"});
  }
  if (f.division_code.empty()) {
    errors.push_back({"division_code", "rescue.institution.division_required", "请选择所在行政区划"});
  } else if (Status s = divisions_.CheckCurrent(f.division_code, "division_code"); !s.ok()) {
    errors.push_back({"division_code", s.error_code(), s.message()});
  }
  if (!f.contact_phone.empty() && !ValidPhone(f.contact_phone)) {
    errors.push_back({"contact_phone", "rescue.institution.phone", "联系电话格式不正确（7–20 位数字，可含“-”）"});
  }
  if (f.capacity < 0 || f.capacity > 100000) {
    errors.push_back({"capacity", "rescue.institution.capacity", "床位数应在 0 到 100000 之间"});
  }
  for (auto [field, value, label] : {std::tuple{"licence_expiry", &f.licence_expiry, "许可证有效期"},
                                     std::tuple{"contract_start", &f.contract_start, "协议开始日期"},
                                     std::tuple{"contract_end", &f.contract_end, "协议结束日期"}}) {
    if (!value->empty() && !ValidDate(*value)) {
      errors.push_back({field, "rescue.date.invalid", std::string(label) + "不是有效日期（YYYY-MM-DD）"});
    }
  }
  if (!f.contract_start.empty() && !f.contract_end.empty() && ValidDate(f.contract_start) &&
      ValidDate(f.contract_end) && f.contract_end < f.contract_start) {
    errors.push_back({"contract_end", "rescue.institution.contract_order", "协议结束日期不能早于开始日期"});
  }
  if (f.status != "active" && f.status != "suspended" && f.status != "ended") {
    errors.push_back({"status", "rescue.institution.status", "合作状态应为 active、suspended 或 ended"});
  }
  if (errors.empty()) return Status::Ok();
  Status st(Code::kInvalid, errors.front().code, errors.front().message);
  for (auto& e : errors) st.add_detail(std::move(e));
  return st;
}

Status InstitutionService::FillPlacements(std::vector<Institution*> institutions) const {
  if (!placements_ || institutions.empty()) return Status::Ok();
  std::vector<int64_t> ids;
  for (auto* i : institutions) ids.push_back(i->id);
  DOUDI_ASSIGN_OR_RETURN(auto counts, placements_(ids));
  for (auto* i : institutions) {
    auto it = counts.find(i->id);
    i->placed_persons = it == counts.end() ? 0 : it->second;
  }
  return Status::Ok();
}

Result<Institution> InstitutionService::CreateInstitution(const Actor& actor, InstitutionFields fields) {
  DOUDI_RETURN_IF_ERROR(ValidateInstitution(fields));
  const auto& who = actor.principal;
  if (!who.InScope(fields.division_code, who.user_id)) {
    return Status::InvalidField("division_code", "rescue.scope.outside", "只能登记本辖区的机构");
  }
  Institution inst;
  static_cast<InstitutionFields&>(inst) = std::move(fields);
  inst.created_at = inst.updated_at = Now();
  inst.created_by = inst.updated_by = who.user_id;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(
        auto rows,
        c.Query("INSERT INTO rescue_institutions (name, kind, division_code, address, contact_person, contact_phone, "
                "capacity, licence_number, licence_expiry, contract_start, contract_end, status, notes, version, "
                "created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                "$11, $12, $13, 1, $14, $15, $14, $15) RETURNING id",
                {inst.name, inst.kind, inst.division_code, inst.address, inst.contact_person, inst.contact_phone,
                 inst.capacity, inst.licence_number, store::NullIfEmpty(inst.licence_expiry),
                 store::NullIfEmpty(inst.contract_start), store::NullIfEmpty(inst.contract_end), inst.status,
                 inst.notes, inst.created_at, inst.created_by}));
    inst.id = rows[0].Int(0);
    return audit_.AppendIn(c, Event(actor, "rescue.institution.create", "rescue_institution", inst.id, inst.name));
  }));
  return inst;
}

Result<Institution> InstitutionService::GetInstitution(const Actor& actor, int64_t id) {
  std::optional<Institution> inst;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(inst, store::LoadInstitution(c, id));
    return Status::Ok();
  }));
  if (!inst || !actor.principal.InScope(inst->division_code, inst->created_by)) return InstitutionNotFound();
  DOUDI_RETURN_IF_ERROR(FillPlacements({&*inst}));
  return *inst;
}

Result<Institution> InstitutionService::CorrectInstitution(const Actor& actor, int64_t id, int64_t version,
                                                           InstitutionFields fields, const std::string& reason) {
  if (Utf8Length(std::string(Trim(reason))) < 2) {
    return Status::InvalidField("reason", "rescue.correction.reason", "请说明更正原因（至少 2 个字）");
  }
  DOUDI_RETURN_IF_ERROR(ValidateInstitution(fields));
  const auto& who = actor.principal;
  std::optional<Institution> result;
  const std::string now = Now();
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto old, store::LoadInstitution(c, id));
    if (!old || !who.InScope(old->division_code, old->created_by)) return InstitutionNotFound();
    if (old->version != version) return db::VersionConflict();
    if (!who.InScope(fields.division_code, old->created_by)) {
      return Status::InvalidField("division_code", "rescue.scope.outside", "不能把机构改到本辖区以外");
    }
    DOUDI_ASSIGN_OR_RETURN(
        auto n, c.Exec("UPDATE rescue_institutions SET name = $1, kind = $2, division_code = $3, address = $4, "
                       "contact_person = $5, contact_phone = $6, capacity = $7, licence_number = $8, "
                       "licence_expiry = $9, contract_start = $10, contract_end = $11, status = $12, notes = $13, "
                       "version = version + 1, updated_at = $14, updated_by = $15 WHERE id = $16 AND version = $17",
                       {fields.name, fields.kind, fields.division_code, fields.address, fields.contact_person,
                        fields.contact_phone, fields.capacity, fields.licence_number,
                        store::NullIfEmpty(fields.licence_expiry), store::NullIfEmpty(fields.contract_start),
                        store::NullIfEmpty(fields.contract_end), fields.status, fields.notes, now, who.user_id, id,
                        version}));
    if (n == 0) return db::VersionConflict();
    DOUDI_RETURN_IF_ERROR(store::InsertHistory(c, "rescue_institution", id, old->version,
                                               InstitutionJson(*old, divisions_, Today()), reason, now, who.user_id));
    DOUDI_ASSIGN_OR_RETURN(result, store::LoadInstitution(c, id));
    return audit_.AppendIn(c, Event(actor, "rescue.institution.correct", "rescue_institution", id, reason));
  }));
  DOUDI_RETURN_IF_ERROR(FillPlacements({&*result}));
  return *result;
}

Result<Page<Institution>> InstitutionService::SearchInstitutions(const Actor& actor, const InstitutionQuery& q) {
  Page<Institution> page;
  page.page = q.page;
  page.size = q.size;
  store::SqlBuilder where(" FROM rescue_institutions i WHERE 1 = 1");
  store::AddScope(where, "i", actor.principal);
  if (!q.name.empty()) where += " AND i.name LIKE " + where.Param("%" + q.name + "%");
  if (!q.kind.empty()) where += " AND i.kind = " + where.Param(q.kind);
  if (!q.status.empty()) where += " AND i.status = " + where.Param(q.status);
  if (!q.division.empty()) store::AddPrefix(where, "i.division_code", q.division);
  if (q.contract_expiring) {
    auto limit = ParseDate(Today());
    std::string until = limit.ok() ? FormatDate(*limit + std::chrono::days(kContractWarningDays)) : Today();
    where += " AND i.contract_end IS NOT NULL AND i.contract_end <= " + where.Param(until);
  }
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto count, c.Query("SELECT COUNT(*)" + where.sql(), where.span()));
    page.total = count[0].Int(0);
    std::string sql = std::string("SELECT ") + store::kInstitutionColumns + where.sql() +
                      " ORDER BY i.id DESC LIMIT " + std::to_string(q.size) + " OFFSET " +
                      std::to_string(static_cast<int64_t>(q.page - 1) * q.size);
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(sql, where.span()));
    for (const auto& r : rows) page.items.push_back(store::InstitutionFromRow(r));
    return Status::Ok();
  }));
  std::vector<Institution*> ptrs;
  for (auto& i : page.items) ptrs.push_back(&i);
  DOUDI_RETURN_IF_ERROR(FillPlacements(ptrs));
  return page;
}

Result<std::vector<HistoryEntry>> InstitutionService::History(const Actor& actor, const std::string& object_type,
                                                              int64_t id) {
  // The history is visible to whoever may see the record itself.
  if (object_type == "rescue_institution") {
    DOUDI_RETURN_IF_ERROR(GetInstitution(actor, id).status());
  } else if (object_type == "rescue_inspection") {
    DOUDI_RETURN_IF_ERROR(GetInspection(actor, id).status());
  } else {
    return Status::NotFound("rescue.history.not_found", "没有该类记录的历史版本");
  }
  std::vector<HistoryEntry> out;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(out, store::LoadHistory(c, object_type, id));
    return Status::Ok();
  }));
  return out;
}

}  // namespace doudi::rescue
