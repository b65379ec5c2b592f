#include "rescue/institution_json.h"

#include "common/calendar.h"
#include "rescue/institution_service.h"
#include "rescue/rectification_rules.h"

namespace doudi::rescue {

using nlohmann::json;

namespace {

json NullIfEmpty(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

const char* KindName(std::string_view kind) {
  if (kind == "foster_care") return "托养机构";
  if (kind == "hospital") return "定点医院";
  return "";
}

const char* StatusName(std::string_view s) {
  if (s == "active") return "合作中";
  if (s == "suspended") return "暂停托养";
  if (s == "ended") return "已终止";
  return "";
}

const char* RangeStateName(std::string_view s) {
  if (s == "valid") return "有效";
  if (s == "expiring") return "即将到期";
  if (s == "expired") return "已过期";
  if (s == "not_started") return "未开始";
  return "未填写";
}

Status TypeError(const std::string& field, const char* what) {
  return Status::InvalidField(field, "rescue.field.type", "字段 " + field + " 应为" + what);
}

}  // namespace

Status TextFrom(const json& body, const char* key, std::string* out) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    out->clear();
    return Status::Ok();
  }
  if (!it->is_string()) return TypeError(key, "文本");
  *out = it->get<std::string>();
  return Status::Ok();
}

Status IntFrom(const json& body, const char* key, int64_t* out) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return Status::Ok();
  if (!it->is_number_integer()) return TypeError(key, "整数");
  *out = it->get<int64_t>();
  return Status::Ok();
}

Status StringListFrom(const json& body, const char* key, std::vector<std::string>* out) {
  out->clear();
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return Status::Ok();
  if (!it->is_array()) return TypeError(key, "文本数组");
  for (const auto& v : *it) {
    if (!v.is_string()) return TypeError(key, "文本数组");
    out->push_back(v.get<std::string>());
  }
  return Status::Ok();
}

std::string DateRangeState(std::string_view start, std::string_view end, std::string_view today) {
  if (end.empty()) return "none";
  if (!start.empty() && today < start) return "not_started";
  if (today > end) return "expired";
  auto e = ParseDate(end);
  auto t = ParseDate(today);
  if (e.ok() && t.ok() && (*e - *t).count() <= kContractWarningDays) return "expiring";
  return "valid";
}

json InstitutionJson(const Institution& i, const Divisions& divisions, std::string_view today) {
  std::string contract = DateRangeState(i.contract_start, i.contract_end, today);
  std::string licence = DateRangeState("", i.licence_expiry, today);
  return {{"id", i.id},
          {"name", i.name},
          {"kind", i.kind},
          {"kind_name", KindName(i.kind)},
          {"division_code", i.division_code},
          {"division_name", divisions.FullName(i.division_code)},
          {"address", i.address},
          {"contact_person", i.contact_person},
          {"contact_phone", i.contact_phone},
          {"capacity", i.capacity},
          {"placed_persons", i.placed_persons},
          {"licence_number", i.licence_number},
          {"licence_expiry", NullIfEmpty(i.licence_expiry)},
          {"licence_state", licence},
          {"licence_state_name", RangeStateName(licence)},
          {"contract_start", NullIfEmpty(i.contract_start)},
          {"contract_end", NullIfEmpty(i.contract_end)},
          {"contract_state", contract},
          {"contract_state_name", RangeStateName(contract)},
          {"contract_expiring", contract == "expiring" || contract == "expired"},
          {"status", i.status},
          {"status_name", StatusName(i.status)},
          {"notes", i.notes},
          {"version", i.version},
          {"created_at", i.created_at},
          {"created_by", i.created_by},
          {"updated_at", i.updated_at},
          {"updated_by", i.updated_by}};
}

json PhotoJson(const InspectionPhoto& p) {
  return {{"id", p.id},
          {"inspection_id", p.inspection_id},
          {"file_name", p.file_name},
          {"content_type", p.content_type},
          {"size_bytes", p.size_bytes},
          {"sha256", p.sha256},
          {"caption", p.caption},
          {"url", "/api/v1/rescue/institutions/photos/" + std::to_string(p.id)},
          {"created_at", p.created_at},
          {"created_by", p.created_by}};
}

json InspectionJson(const Inspection& s) {
  json items = json::array();
  for (const auto& it : s.items) {
    const ChecklistItemDef* def = FindChecklistItem(it.code);
    items.push_back({{"code", it.code},
                     {"name", def ? def->name : it.code.c_str()},
                     {"score", it.score},
                     {"max", def ? def->max : 0},
                     {"weak", IsWeak(it)},
                     {"note", it.note}});
  }
  std::string rating = Rating(s.total);
  json j = {{"id", s.id},
            {"institution_id", s.institution_id},
            {"institution_name", s.institution_name},
            {"division_code", s.division_code},
            {"inspected_on", s.inspected_on},
            {"inspectors", s.inspectors},
            {"items", items},
            {"total", s.total},
            {"rating", rating},
            {"rating_name", RatingName(rating)},
            {"findings", s.findings},
            {"version", s.version},
            {"created_at", s.created_at},
            {"created_by", s.created_by},
            {"updated_at", s.updated_at},
            {"updated_by", s.updated_by}};
  json photos = json::array();
  for (const auto& p : s.photos) photos.push_back(PhotoJson(p));
  j["photos"] = photos;
  return j;
}

json RectificationJson(const Rectification& r, std::string_view today) {
  std::string due = DeadlineStatus(r.state, r.deadline, today);
  int days_left = 0;
  auto d = ParseDate(r.deadline);
  auto t = ParseDate(today);
  if (d.ok() && t.ok()) days_left = static_cast<int>((*d - *t).count());
  json events = json::array();
  for (const auto& e : r.events) {
    events.push_back({{"id", e.id},
                      {"action", e.action},
                      {"action_name", RectificationActionName(e.action)},
                      {"note", e.note},
                      {"state_after", e.state_after},
                      {"state_after_name", RectificationStateName(e.state_after)},
                      {"deadline_after", e.deadline_after},
                      {"at", e.at},
                      {"by_user", e.by_user},
                      {"by_name", e.by_name}});
  }
  return {{"id", r.id},
          {"inspection_id", r.inspection_id},
          {"institution_id", r.institution_id},
          {"institution_name", r.institution_name},
          {"division_code", r.division_code},
          {"requirement", r.requirement},
          {"issued_on", r.issued_on},
          {"working_days", r.working_days ? json(*r.working_days) : json(nullptr)},
          {"deadline", r.deadline},
          {"state", r.state},
          {"state_name", RectificationStateName(r.state)},
          {"closed_on", NullIfEmpty(r.closed_on)},
          {"deadline_status", due},
          {"overdue", due == "overdue"},
          {"days_left", days_left},
          {"events", events},
          {"version", r.version},
          {"created_at", r.created_at},
          {"created_by", r.created_by},
          {"updated_at", r.updated_at},
          {"updated_by", r.updated_by}};
}

json HistoryJson(const HistoryEntry& h) {
  json snap = json::parse(h.snapshot, nullptr, false);
  return {{"version", h.version},
          {"snapshot", snap.is_discarded() ? json(nullptr) : snap},
          {"reason", h.reason},
          {"changed_at", h.changed_at},
          {"changed_by", h.changed_by}};
}

json HistoryListJson(const std::vector<HistoryEntry>& entries) {
  json a = json::array();
  for (const auto& h : entries) a.push_back(HistoryJson(h));
  return {{"items", a}};
}

Status InstitutionFieldsFromJson(const json& body, InstitutionFields* out) {
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "name", &out->name));
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "kind", &out->kind));
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "division_code", &out->division_code));
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "address", &out->address));
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "contact_person", &out->contact_person));
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "contact_phone", &out->contact_phone));
  DOUDI_RETURN_IF_ERROR(IntFrom(body, "capacity", &out->capacity));
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "licence_number", &out->licence_number));
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "licence_expiry", &out->licence_expiry));
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "contract_start", &out->contract_start));
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "contract_end", &out->contract_end));
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "status", &out->status));
  if (out->status.empty()) out->status = "active";
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "notes", &out->notes));
  return Status::Ok();
}

Status InspectionFieldsFromJson(const json& body, InspectionFields* out) {
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "inspected_on", &out->inspected_on));
  DOUDI_RETURN_IF_ERROR(StringListFrom(body, "inspectors", &out->inspectors));
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "findings", &out->findings));
  out->items.clear();
  auto it = body.find("items");
  if (it == body.end() || it->is_null()) return Status::Ok();
  if (!it->is_array()) return TypeError("items", "检查项目数组");
  for (size_t i = 0; i < it->size(); ++i) {
    const json& e = (*it)[i];
    const std::string at = "items[" + std::to_string(i) + "]";
    if (!e.is_object()) return TypeError(at, "对象");
    ChecklistScore s;
    if (!e.contains("code") || !e["code"].is_string()) return TypeError(at + ".code", "文本");
    s.code = e["code"].get<std::string>();
    if (!e.contains("score") || !e["score"].is_number_integer()) return TypeError(at + ".score", "整数");
    int64_t score = e["score"].get<int64_t>();
    s.score = score < -1 ? -1 : (score > 1000 ? 1000 : static_cast<int>(score));
    if (e.contains("note") && !e["note"].is_null()) {
      if (!e["note"].is_string()) return TypeError(at + ".note", "文本");
      s.note = e["note"].get<std::string>();
    }
    out->items.push_back(std::move(s));
  }
  return Status::Ok();
}

}  // namespace doudi::rescue
