#include "rescue/json.h"

namespace doudi::rescue {
namespace {

using nlohmann::json;

json OptJ(const std::optional<int>& v) { return v ? json(*v) : json(nullptr); }
json OptJ(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }
json TextOrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
json ParsedOr(const std::string& s) {
  if (s.empty()) return nullptr;
  auto j = json::parse(s, nullptr, false);
  return j.is_discarded() ? json(nullptr) : j;
}

Status BadType(const std::string& field, const std::string& what) {
  return Status::InvalidField(field, "http.bad_type", "字段 " + field + " 应为" + what);
}

// Optional typed readers: absent or null leaves the target unchanged and returns false.
Result<bool> ReadText(const json& body, const std::string& field, std::string* out) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return false;
  if (!it->is_string()) return BadType(field, "字符串");
  *out = it->get<std::string>();
  return true;
}
Result<bool> ReadInt(const json& body, const std::string& field, int* out) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return false;
  if (!it->is_number_integer()) return BadType(field, "整数");
  auto v = it->get<int64_t>();
  if (v < -1000000 || v > 1000000) return BadType(field, "合理范围内的整数");
  *out = static_cast<int>(v);
  return true;
}
Result<bool> ReadBool(const json& body, const std::string& field, bool* out) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return false;
  if (!it->is_boolean()) return BadType(field, "true 或 false");
  *out = it->get<bool>();
  return true;
}
// A clearable integer (estimated age, height): absent leaves it, null clears it, a number sets it; a field that
// was sent, even as null, is added to `present`.
Status ReadClearableInt(const json& body, const char* field, std::optional<int>* out,
                        std::vector<std::string>* present) {
  auto it = body.find(field);
  if (it == body.end()) return Status::Ok();
  if (it->is_null()) {
    out->reset();
  } else {
    int v = 0;
    DOUDI_RETURN_IF_ERROR(ReadInt(body, field, &v).status());
    *out = v;
  }
  present->push_back(field);
  return Status::Ok();
}
Status ReadTextList(const json& body, const std::string& field, std::vector<std::string>* out) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return Status::Ok();
  if (!it->is_array()) return BadType(field, "字符串数组");
  for (const auto& v : *it) {
    if (!v.is_string()) return BadType(field, "字符串数组");
    out->push_back(v.get<std::string>());
  }
  return Status::Ok();
}

}  // namespace

json CaseJson(const Case& k, const Divisions& divisions) {
  json j;
  j["id"] = k.id;
  for (const auto& f : kCaseTextFields) j[f.name] = k.*f.member;
  j["sex"] = k.sex;
  j["estimated_age"] = OptJ(k.estimated_age);
  j["height_cm"] = OptJ(k.height_cm);
  j["mental_disability"] = k.mental_disability;
  j["caseworker_id"] = k.caseworker_id;
  j["station_division"] = k.station_division;
  j["station_division_name"] = divisions.FullName(k.station_division);
  j["person_id"] = k.person_id > 0 ? json(k.person_id) : json(nullptr);
  j["identified"] = k.identified;
  j["status"] = k.status;
  j["intake_at"] = k.intake_at;
  j["screening"] = {{"mental_illness", k.screening.mental_illness},
                    {"infectious_disease", k.screening.infectious_disease},
                    {"critical_illness", k.screening.critical_illness},
                    {"injury", k.screening.injury},
                    {"danger", k.screening.danger},
                    {"drugs_or_fugitive", k.screening.drugs_or_fugitive},
                    {"note", k.screening.note}};
  j["referred_to"] = k.referred_to;
  j["refusal"] = ParsedOr(k.refusal);
  j["departed_at"] = TextOrNull(k.departed_at);
  j["departure_kind"] = TextOrNull(k.departure_kind);
  j["departure"] = ParsedOr(k.departure);
  j["found_by"] = TextOrNull(k.found_by);
  j["extension"] = {{"until", TextOrNull(k.extension_until)},
                    {"reason", k.extension_reason},
                    {"requested_by", OptJ(k.extension_requested_by)},
                    {"approved_by", OptJ(k.extension_approved_by)},
                    {"approved_at", TextOrNull(k.extension_approved_at)},
                    {"state", k.extension_until.empty()       ? "none"
                              : k.extension_approved_by ? "approved"
                                                        : "requested"}};
  j["settlement"] = {{"started_on", TextOrNull(k.settlement_started_on)}, {"note", k.settlement_note}};
  j["version"] = k.version;
  j["created_at"] = k.created_at;
  j["created_by"] = k.created_by;
  j["updated_at"] = k.updated_at;
  j["updated_by"] = k.updated_by;
  return j;
}

json BelongingJson(const Belonging& b) {
  return {{"id", b.id}, {"description", b.description}, {"quantity", b.quantity}, {"photo", b.photo},
          {"held_at", b.held_at}, {"held_by", b.held_by}, {"returned", !b.returned_at.empty()},
          {"returned_at", TextOrNull(b.returned_at)}, {"returned_to", b.returned_to},
          {"signature_ref", b.signature_ref}, {"returned_by", OptJ(b.returned_by)}};
}

json CareJson(const CareRecord& r) {
  json t = r.temperature_dc ? json(*r.temperature_dc / 10.0) : json(nullptr);
  return {{"id", r.id}, {"kind", r.kind}, {"recorded_at", r.recorded_at}, {"temperature", t},
          {"detail", r.detail}, {"recorded_by", r.recorded_by}};
}

json PlacementJson(const Placement& p) {
  return {{"id", p.id}, {"kind", p.kind}, {"institution_id", p.institution_id}, {"start_date", p.start_date},
          {"end_date", TextOrNull(p.end_date)}, {"end_reason", p.end_reason}, {"note", p.note},
          {"current", p.end_date.empty()}};
}

json VersionJson(const CaseVersion& v) {
  return {{"version", v.version}, {"changed_at", v.changed_at}, {"changed_by", v.changed_by}, {"reason", v.reason},
          {"fields", ParsedOr(v.fields)}, {"previous", ParsedOr(v.previous)}};
}

json NoticeJson(const Notice& n) {
  return {{"id", n.id}, {"case_id", n.case_id}, {"station_division", n.station_division}, {"status", n.status},
          {"due_at", n.due_at}, {"published_at", TextOrNull(n.published_at)},
          {"refreshed_at", TextOrNull(n.refreshed_at)}, {"name", n.name}, {"sex", n.sex},
          {"estimated_age", OptJ(n.estimated_age)}, {"height_cm", OptJ(n.height_cm)}, {"features", n.features},
          {"clothing", n.clothing}, {"found_date", n.found_date}, {"found_place", n.found_place}, {"photo", n.photo},
          {"station_contact", n.station_contact}, {"minor", n.minor}, {"version", n.version}};
}

json DnaJson(const DnaRequest& d) {
  return {{"id", d.id}, {"case_id", d.case_id}, {"requested_on", d.requested_on}, {"due_on", d.due_on},
          {"on_time", d.requested_on <= d.due_on}, {"police_unit", d.police_unit}, {"status", d.status},
          {"sample_ref", d.sample_ref}, {"sampled_on", TextOrNull(d.sampled_on)}, {"result", TextOrNull(d.result)},
          {"result_ref", d.result_ref}, {"result_on", TextOrNull(d.result_on)}, {"note", d.note},
          {"version", d.version}};
}

json CandidateJson(const Candidate& c) {
  return {{"id", c.id}, {"case_id", c.case_id}, {"source", c.source}, {"score", c.score},
          {"explanation", ParsedOr(c.explanation)}, {"candidate_ref", c.candidate_ref}, {"status", c.status},
          {"reason", c.reason}, {"decided_by", OptJ(c.decided_by)}, {"decided_at", TextOrNull(c.decided_at)},
          {"created_at", c.created_at}};
}

json DeadlineJson(const DeadlineItem& d) {
  return {{"kind", d.kind}, {"source", d.source}, {"object_type", d.object_type}, {"object_id", d.object_id},
          {"case_id", d.case_id ? json(d.case_id) : json(nullptr)}, {"station_division", d.station_division},
          {"assignee_id", d.assignee_id}, {"title", d.title}, {"due_date", d.due_date},
          {"due_at", TextOrNull(d.due_at)}, {"state", d.state}, {"days_left", d.days_left}};
}

json StatsJson(const Stats& s) {
  json by = json::object();
  for (const auto& [k, v] : s.reunions_by_source) by[k] = v;
  return {{"from", s.from},
          {"to", s.to},
          {"rescues", s.rescues},
          {"persons", s.persons},
          {"refused", s.refused},
          {"stranded_now", {{"center", s.stranded_center},
                            {"institution", s.stranded_institution},
                            {"hospital", s.stranded_hospital},
                            {"total", s.stranded_center + s.stranded_institution + s.stranded_hospital}}},
          {"stays_over_10_days", s.stays_over_10_days},
          {"notices_published", s.notices_published},
          {"dna_requests", s.dna_requests},
          {"reunions", s.reunions},
          {"reunions_by_source", by}};
}

Status CaseFieldsFromJson(const json& body, CaseFields* f, std::vector<std::string>* present) {
  if (!body.is_object()) return Status::Invalid("http.bad_json", "请求体应为 JSON 对象");
  for (const auto& t : kCaseTextFields) {
    DOUDI_ASSIGN_OR_RETURN(bool has, ReadText(body, t.name, &(f->*t.member)));
    if (has) present->push_back(t.name);
  }
  DOUDI_ASSIGN_OR_RETURN(bool has_sex, ReadInt(body, "sex", &f->sex));
  if (has_sex) present->push_back("sex");
  DOUDI_RETURN_IF_ERROR(ReadClearableInt(body, "estimated_age", &f->estimated_age, present));
  DOUDI_RETURN_IF_ERROR(ReadClearableInt(body, "height_cm", &f->height_cm, present));
  DOUDI_ASSIGN_OR_RETURN(bool has_md, ReadBool(body, "mental_disability", &f->mental_disability));
  if (has_md) present->push_back("mental_disability");
  if (auto it = body.find("caseworker_id"); it != body.end() && !it->is_null()) {
    if (!it->is_number_integer()) return BadType("caseworker_id", "整数");
    f->caseworker_id = it->get<int64_t>();
    present->push_back("caseworker_id");
  }
  return Status::Ok();
}

Status IntakeFromJson(const json& body, NewIntake* in) {
  std::vector<std::string> present;
  DOUDI_RETURN_IF_ERROR(CaseFieldsFromJson(body, in, &present));
  DOUDI_RETURN_IF_ERROR(ReadText(body, "station_division", &in->station_division).status());
  DOUDI_RETURN_IF_ERROR(ReadText(body, "intake_at", &in->intake_at).status());
  DOUDI_RETURN_IF_ERROR(ReadText(body, "id_number", &in->id_number).status());
  if (auto it = body.find("screening"); it != body.end() && !it->is_null()) {
    if (!it->is_object()) return BadType("screening", "对象");
    Screening& s = in->screening;
    DOUDI_RETURN_IF_ERROR(ReadBool(*it, "mental_illness", &s.mental_illness).status());
    DOUDI_RETURN_IF_ERROR(ReadBool(*it, "infectious_disease", &s.infectious_disease).status());
    DOUDI_RETURN_IF_ERROR(ReadBool(*it, "critical_illness", &s.critical_illness).status());
    DOUDI_RETURN_IF_ERROR(ReadBool(*it, "injury", &s.injury).status());
    DOUDI_RETURN_IF_ERROR(ReadBool(*it, "danger", &s.danger).status());
    DOUDI_RETURN_IF_ERROR(ReadBool(*it, "drugs_or_fugitive", &s.drugs_or_fugitive).status());
    DOUDI_RETURN_IF_ERROR(ReadText(*it, "note", &s.note).status());
  }
  if (auto it = body.find("belongings"); it != body.end() && !it->is_null()) {
    if (!it->is_array()) return BadType("belongings", "数组");
    for (const auto& b : *it) {
      if (!b.is_object()) return BadType("belongings", "对象数组");
      NewIntake::Belonging item;
      DOUDI_RETURN_IF_ERROR(ReadText(b, "description", &item.description).status());
      DOUDI_RETURN_IF_ERROR(ReadInt(b, "quantity", &item.quantity).status());
      DOUDI_RETURN_IF_ERROR(ReadText(b, "photo", &item.photo).status());
      in->belongings.push_back(std::move(item));
    }
  }
  return Status::Ok();
}

Status DepartureFromJson(const json& body, Departure* d) {
  if (!body.is_object()) return Status::Invalid("http.bad_json", "请求体应为 JSON 对象");
  for (auto [name, member] : std::initializer_list<std::pair<const char*, std::string Departure::*>>{
           {"kind", &Departure::kind},
           {"departed_at", &Departure::departed_at},
           {"found_by", &Departure::found_by},
           {"declaration_ref", &Departure::declaration_ref},
           {"relative_name", &Departure::relative_name},
           {"relative_relation", &Departure::relative_relation},
           {"relative_id_number", &Departure::relative_id_number},
           {"route", &Departure::route},
           {"handover_to", &Departure::handover_to},
           {"handover_ref", &Departure::handover_ref},
           {"transfer_to", &Departure::transfer_to},
           {"death_date", &Departure::death_date},
           {"death_cause", &Departure::death_cause},
           {"death_certificate_ref", &Departure::death_certificate_ref},
           {"termination_notice_ref", &Departure::termination_notice_ref},
           {"reason", &Departure::reason},
           {"note", &Departure::note}}) {
    DOUDI_RETURN_IF_ERROR(ReadText(body, name, &(d->*member)).status());
  }
  DOUDI_RETURN_IF_ERROR(ReadBool(body, "relative_id_checked", &d->relative_id_checked).status());
  DOUDI_RETURN_IF_ERROR(ReadTextList(body, "escort_staff", &d->escort_staff));
  DOUDI_RETURN_IF_ERROR(ReadTextList(body, "tickets", &d->tickets));
  return Status::Ok();
}

Status NoticeFieldsFromJson(const json& body, Notice* n, std::vector<std::string>* present) {
  if (!body.is_object()) return Status::Invalid("http.bad_json", "请求体应为 JSON 对象");
  for (auto [name, member] : std::initializer_list<std::pair<const char*, std::string Notice::*>>{
           {"name", &Notice::name},
           {"features", &Notice::features},
           {"clothing", &Notice::clothing},
           {"found_date", &Notice::found_date},
           {"found_place", &Notice::found_place},
           {"photo", &Notice::photo},
           {"station_contact", &Notice::station_contact}}) {
    DOUDI_ASSIGN_OR_RETURN(bool has, ReadText(body, name, &(n->*member)));
    if (has) present->push_back(name);
  }
  DOUDI_ASSIGN_OR_RETURN(bool has_sex, ReadInt(body, "sex", &n->sex));
  if (has_sex) present->push_back("sex");
  DOUDI_RETURN_IF_ERROR(ReadClearableInt(body, "estimated_age", &n->estimated_age, present));
  DOUDI_RETURN_IF_ERROR(ReadClearableInt(body, "height_cm", &n->height_cm, present));
  return Status::Ok();
}

}  // namespace doudi::rescue
