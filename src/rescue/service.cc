// RescueService: intake, corrections, refusal, identification and departure. The stay is in stay.cc, the family
// search in family_search.cc, the case page, work queue and numbers in queue.cc.
#include "rescue/service.h"

#include <algorithm>

#include "common/id_number.h"
#include "common/text.h"
#include "registry/actor_event.h"
#include "registry/read_page.h"
#include "rescue/internal.h"
#include "rescue/store.h"

namespace doudi::rescue {

using internal::CaseClosed;
using internal::CaseNotFound;
using internal::DayOf;
using internal::FieldsDetail;
using internal::OutsideScope;
using internal::RequireText;

std::string Screening::ReferredTo() const {
  std::vector<std::string> to;
  if (mental_illness || infectious_disease || critical_illness || injury) to.push_back("hospital");
  if (danger || drugs_or_fugitive) to.push_back("police");
  std::string out;
  for (const auto& t : to) out += (out.empty() ? "" : ",") + t;
  return out;
}

namespace {

bool CopyField(CaseFields& dst, const CaseFields& src, std::string_view name) {
  if (name == "sex") dst.sex = src.sex;
  else if (name == "estimated_age") dst.estimated_age = src.estimated_age;
  else if (name == "height_cm") dst.height_cm = src.height_cm;
  else if (name == "mental_disability") dst.mental_disability = src.mental_disability;
  else if (name == "caseworker_id") dst.caseworker_id = src.caseworker_id;
  else {
    for (const auto& f : kCaseTextFields) {
      if (name == f.name) {
        dst.*f.member = src.*f.member;
        return true;
      }
    }
    return false;
  }
  return true;
}

// The JSON of one named field's value, for the version's record of what was replaced.
nlohmann::json FieldValue(const CaseFields& f, std::string_view name) {
  if (name == "sex") return f.sex;
  if (name == "estimated_age") return f.estimated_age ? nlohmann::json(*f.estimated_age) : nlohmann::json(nullptr);
  if (name == "height_cm") return f.height_cm ? nlohmann::json(*f.height_cm) : nlohmann::json(nullptr);
  if (name == "mental_disability") return f.mental_disability;
  if (name == "caseworker_id") return f.caseworker_id;
  for (const auto& t : kCaseTextFields) {
    if (name == t.name) return f.*t.member;
  }
  return nullptr;
}

std::vector<std::string> ChangedFields(const CaseFields& a, const CaseFields& b) {
  std::vector<std::string> out;
  for (const char* n : {"sex", "estimated_age", "height_cm", "mental_disability", "caseworker_id"}) {
    if (FieldValue(a, n) != FieldValue(b, n)) out.push_back(n);
  }
  for (const auto& t : kCaseTextFields) {
    if (a.*t.member != b.*t.member) out.push_back(t.name);
  }
  return out;
}

bool IsOneOf(const std::string& v, std::initializer_list<const char*> set) {
  return std::any_of(set.begin(), set.end(), [&](const char* s) { return v == s; });
}

}  // namespace

RescueService::RescueService(db::Database& db, platform::AuditLog& audit, const platform::Crypto& crypto,
                             registry::RegistryService& registry, RescueOptions options, const WorkCalendar& calendar,
                             const Divisions& divisions, platform::Clock clock)
    : db_(db),
      audit_(audit),
      crypto_(crypto),
      registry_(registry),
      options_(std::move(options)),
      calendar_(calendar),
      divisions_(divisions),
      clock_(std::move(clock)) {}

void RescueService::AddDeadlineSource(std::string name, DeadlineSource source) {
  sources_.emplace_back(std::move(name), std::move(source));
}

std::string RescueService::NowText() const { return platform::FormatUtc(clock_()); }

platform::AuditEvent RescueService::Event(const Actor& actor, std::string action, std::string object_type,
                                          int64_t object_id, std::string detail) const {
  return registry::ActorEvent(actor, std::move(action), std::move(object_type), object_id, std::move(detail));
}

Result<Case> RescueService::LoadCase(db::Conn& c, const Actor& actor, int64_t id) const {
  DOUDI_ASSIGN_OR_RETURN(auto k, store::GetCase(c, id));
  if (!k || !actor.principal.InScope(k->station_division, k->created_by)) return CaseNotFound();
  return std::move(*k);
}

Result<Case> RescueService::LoadOpenCase(db::Conn& c, const Actor& actor, int64_t id) const {
  DOUDI_ASSIGN_OR_RETURN(Case k, LoadCase(c, actor, id));
  if (k.status != "in_station") return CaseClosed();
  return k;
}

std::optional<int> RescueService::AgeAt(const Case& k, Date on) const {
  if (auto a = AgeOn(k.birth_date, on)) return a;
  if (k.estimated_age) {
    // The estimate was made at intake; the person ages with the stay.
    Date intake = DayOf(k.intake_at, on);
    return *k.estimated_age + static_cast<int>((on - intake).count() / 365);
  }
  return std::nullopt;
}

Result<Case> RescueService::Intake(const Actor& actor, NewIntake in) {
  const auto& who = actor.principal;
  const TimePoint now = clock_();
  const Date today = ShanghaiDate(now);
  if (in.station_division.empty()) in.station_division = who.division_code;
  if (!divisions_.Find(in.station_division)) {
    return Status::InvalidField("station_division", "rescue.station.invalid", "救助站所属区划代码无效");
  }
  if (!who.InScope(in.station_division, who.user_id)) return OutsideScope();
  TimePoint intake_at = now;
  if (!in.intake_at.empty()) {
    auto t = ParseIsoTime(in.intake_at);
    if (!t.ok()) {
      auto local = ParseShanghaiLocal(in.intake_at);
      if (!local.ok()) {
        return Status::InvalidField("intake_at", "rescue.intake_at.invalid", "入站时间格式不正确");
      }
      t = local;
    }
    if (*t > now + std::chrono::minutes(5)) {
      return Status::InvalidField("intake_at", "rescue.intake_at.future", "入站时间不能晚于当前时间");
    }
    intake_at = *t;
  }
  in.id_number = std::string(Trim(in.id_number));
  std::string normalized_id;
  if (!in.id_number.empty()) {
    auto id = ParseIdNumber(in.id_number, &divisions_);
    if (!id.ok()) return Status::InvalidField("id_number", "rescue.id_number.invalid", id.status().message());
    normalized_id = id->number;
    in.birth_date = id->birth_date;
    in.sex = id->sex;
    in.estimated_age.reset();
  }
  DOUDI_RETURN_IF_ERROR(internal::ValidateCaseFields(in, today));
  for (const auto& b : in.belongings) {
    DOUDI_RETURN_IF_ERROR(RequireText("belongings", b.description, 1, 200, "rescue.belonging.invalid",
                                      "随身物品须写明名称（至多 200 个字）"));
    if (b.quantity < 1) {
      return Status::InvalidField("belongings", "rescue.belonging.quantity", "随身物品数量应为正整数");
    }
  }

  // The registry person: found by the ID number or created (unknown identity: 无名氏 with the estimate).
  int64_t person_id = 0;
  if (!normalized_id.empty()) {
    DOUDI_ASSIGN_OR_RETURN(auto existing, registry_.FindPersonIdByIdNumber(normalized_id));
    if (existing) person_id = *existing;
  }
  if (person_id == 0) {
    registry::NewPerson p;
    p.name = in.name.empty() ? "无名氏" : in.name;
    p.sex = in.sex;
    p.birth_date = in.birth_date;
    p.estimated_age = in.birth_date.empty() ? in.estimated_age : std::nullopt;
    p.id_number = normalized_id;
    p.division_code = in.station_division;
    p.hukou_address = in.hukou_address;
    p.photo = in.photo;
    p.notes = "救助站求助登记时建立";
    auto created = registry_.CreatePerson(actor, std::move(p));
    if (!created.ok() && created.status().error_code() == "registry.person.duplicate_id" && !normalized_id.empty()) {
      // Registered by someone else a moment ago: link to that person.
      DOUDI_ASSIGN_OR_RETURN(auto existing, registry_.FindPersonIdByIdNumber(normalized_id));
      if (!existing) return created.status();
      person_id = *existing;
    } else if (!created.ok()) {
      return created.status();
    } else {
      person_id = created->id;
    }
  }

  Case k;
  static_cast<CaseFields&>(k) = in;
  k.station_division = in.station_division;
  k.person_id = person_id;
  k.identified = !normalized_id.empty();
  k.status = "in_station";
  k.intake_at = platform::FormatUtc(intake_at);
  k.screening = in.screening;
  k.referred_to = in.screening.ReferredTo();
  if (k.caseworker_id == 0) k.caseworker_id = who.user_id;
  k.version = 1;
  k.created_at = k.updated_at = NowText();
  k.created_by = k.updated_by = who.user_id;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(k.id, store::InsertCase(c, k));
    for (const auto& b : in.belongings) {
      Belonging row;
      row.case_id = k.id;
      row.description = std::string(Trim(b.description));
      row.quantity = b.quantity;
      row.photo = b.photo;
      row.held_at = k.intake_at;
      row.held_by = who.user_id;
      DOUDI_RETURN_IF_ERROR(store::InsertBelonging(c, row).status());
    }
    if (!k.identified) {
      // The family-search notice starts as a draft at intake: it is due 24 hours after entry.
      Notice n;
      n.case_id = k.id;
      n.station_division = k.station_division;
      n.status = "draft";
      n.due_at = platform::FormatUtc(intake_at + std::chrono::hours(24));
      n.name = k.name;
      n.sex = k.sex;
      n.estimated_age = k.estimated_age;
      n.height_cm = k.height_cm;
      n.features = k.features;
      n.clothing = k.clothing;
      n.found_date = k.found_date.empty() ? FormatDate(ShanghaiDate(intake_at)) : k.found_date;
      n.found_place = k.found_place;
      n.photo = k.photo;
      n.station_contact = options_.default_station_contact;
      auto age = AgeAt(k, ShanghaiDate(intake_at));
      n.minor = age && *age < 18;
      DOUDI_RETURN_IF_ERROR(store::InsertNotice(c, n, k.created_at, who.user_id).status());
    }
    nlohmann::json detail = {{"person_id", person_id}, {"identified", k.identified},
                             {"belongings", in.belongings.size()}, {"referred_to", k.referred_to}};
    return audit_.AppendIn(c, Event(actor, "rescue.case.create", "rescue_case", k.id, detail.dump()));
  }));
  for (const auto& observe : intake_observers_) observe(actor, k);
  return k;
}

Result<Case> RescueService::GetCase(const Actor& actor, int64_t id) {
  std::optional<Case> k;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(k, LoadCase(c, actor, id));
    return Status::Ok();
  }));
  DOUDI_RETURN_IF_ERROR(audit_.Append(Event(actor, "rescue.case.view", "rescue_case", id)));
  return std::move(*k);
}

Result<CaseList> RescueService::ListCases(const Actor& actor, const CaseQuery& q) {
  store::CaseFilter f;
  f.scope = store::ScopeOf(actor.principal);
  if (!q.status.empty() && !IsOneOf(q.status, {"in_station", "departed", "refused"})) {
    return Status::InvalidField("status", "rescue.status.invalid", "状态应为 in_station、departed 或 refused");
  }
  f.status = q.status;
  f.name_contains = std::string(Trim(q.name));
  f.unidentified_only = q.unidentified_only;
  return registry::ReadPage<Case>(db_, q.page, q.size, [&](db::Conn& c, int64_t limit, int64_t offset) {
    f.limit = limit;
    f.offset = offset;
    return store::SearchCases(c, f);
  });
}

Result<Case> RescueService::Correct(const Actor& actor, int64_t id, int64_t version, const CaseFields& values,
                                    const std::vector<std::string>& fields, const std::string& reason) {
  {
    CaseFields probe;
    for (const auto& f : fields) {
      if (!CopyField(probe, values, f)) {
        return Status::InvalidField(f, "rescue.correct.unknown_field", "不能更正的字段：" + f);
      }
    }
  }
  DOUDI_RETURN_IF_ERROR(RequireText("reason", reason, 2, 500, "rescue.correct.reason_required",
                                    "更正记录须填写更正原因（2 到 500 个字）"));
  const Date today = ShanghaiDate(clock_());
  std::optional<Case> result;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(Case old, LoadCase(c, actor, id));
    if (old.version != version) return db::VersionConflict();
    Case next = old;
    for (const auto& f : fields) CopyField(next, values, f);
    DOUDI_RETURN_IF_ERROR(internal::ValidateCaseFields(next, today));
    if (old.identified && next.birth_date != old.birth_date) {
      return Status::InvalidField("birth_date", "rescue.correct.identified",
                                  "身份已核实的人员，出生日期以身份证号码为准，请在人员档案中更正");
    }
    std::vector<std::string> changed = ChangedFields(old, next);
    if (changed.empty()) {
      result = std::move(old);
      return Status::Ok();
    }
    nlohmann::json previous = nlohmann::json::object();
    for (const auto& f : changed) previous[f] = FieldValue(old, f);
    CaseVersion v;
    v.version = old.version;
    v.changed_at = NowText();
    v.changed_by = actor.principal.user_id;
    v.reason = std::string(Trim(reason));
    v.fields = nlohmann::json(changed).dump();
    v.previous = previous.dump();
    DOUDI_RETURN_IF_ERROR(store::InsertVersion(c, id, v));
    next.updated_at = v.changed_at;
    next.updated_by = actor.principal.user_id;
    DOUDI_ASSIGN_OR_RETURN(bool ok, store::UpdateCase(c, next, version));
    if (!ok) return db::VersionConflict();
    next.version = version + 1;
    DOUDI_RETURN_IF_ERROR(
        audit_.AppendIn(c, Event(actor, "rescue.case.correct", "rescue_case", id, FieldsDetail(changed, v.reason))));
    result = std::move(next);
    return Status::Ok();
  }));
  return std::move(*result);
}

Result<std::vector<CaseVersion>> RescueService::Versions(const Actor& actor, int64_t id) {
  std::vector<CaseVersion> out;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_RETURN_IF_ERROR(LoadCase(c, actor, id).status());
    DOUDI_ASSIGN_OR_RETURN(out, store::Versions(c, id));
    return Status::Ok();
  }));
  return out;
}

Result<Case> RescueService::Refuse(const Actor& actor, int64_t id, const std::string& reason,
                                   const std::string& notice_ref) {
  DOUDI_RETURN_IF_ERROR(RequireText("reason", reason, 2, 500, "rescue.refusal.reason_required",
                                    "不予救助须填写理由（2 到 500 个字）"));
  DOUDI_RETURN_IF_ERROR(RequireText("notice_ref", notice_ref, 1, 100, "rescue.refusal.notice_required",
                                    "请填写《不予救助通知书》编号"));
  std::optional<Case> result;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(Case k, LoadOpenCase(c, actor, id));
    DOUDI_ASSIGN_OR_RETURN(auto belongings, store::Belongings(c, id));
    for (const auto& b : belongings) {
      if (b.returned_at.empty()) {
        return Status::Invalid("rescue.departure.belongings_held", "尚有随身物品未退还，请先办理退还并签字");
      }
    }
    DOUDI_ASSIGN_OR_RETURN(auto placement, store::OpenPlacement(c, id));
    if (placement) {
      return Status::Conflict("rescue.refusal.placed", "已安置托养的人员不能再作不予救助，请办理离站");
    }
    const std::string now = NowText();
    k.status = "refused";
    k.refusal = nlohmann::json{{"reason", std::string(Trim(reason))}, {"notice_ref", std::string(Trim(notice_ref))},
                               {"at", now}, {"by", actor.principal.user_id}}
                    .dump();
    k.departed_at = now;
    k.updated_at = now;
    k.updated_by = actor.principal.user_id;
    DOUDI_ASSIGN_OR_RETURN(bool ok, store::UpdateCase(c, k, k.version));
    if (!ok) return db::VersionConflict();
    ++k.version;
    DOUDI_RETURN_IF_ERROR(store::CloseNotices(c, id, now, actor.principal.user_id));
    DOUDI_RETURN_IF_ERROR(audit_.AppendIn(c, Event(actor, "rescue.case.refuse", "rescue_case", id)));
    result = std::move(k);
    return Status::Ok();
  }));
  return std::move(*result);
}

Result<Case> RescueService::Identify(const Actor& actor, int64_t id, const std::string& id_number,
                                     const std::string& name, const std::string& found_by) {
  auto parsed = ParseIdNumber(Trim(id_number), &divisions_);
  if (!parsed.ok()) return Status::InvalidField("id_number", "rescue.id_number.invalid", parsed.status().message());
  if (!found_by.empty() && !IsOneOf(found_by, {"conversation", "police", "dna", "face", "media"})) {
    return Status::InvalidField("found_by", "rescue.found_by.invalid",
                                "查找方式应为 conversation、police、dna、face 或 media");
  }
  const std::string clean_name(Trim(name));
  if (!clean_name.empty()) {
    DOUDI_RETURN_IF_ERROR(RequireText("name", clean_name, 1, 50, "rescue.name.invalid", "姓名至多 50 个字"));
  }
  Case k;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(k, LoadCase(c, actor, id));
    return Status::Ok();
  }));
  if (k.identified) return Status::Conflict("rescue.case.identified", "该人员身份已核实");
  // The registry learns the identity: the person registered with this number (the case then links to it), or
  // the intake's anonymous person gets the number and the name.
  DOUDI_ASSIGN_OR_RETURN(auto existing, registry_.FindPersonIdByIdNumber(parsed->number));
  int64_t person_id = k.person_id;
  if (existing && *existing != k.person_id) {
    person_id = *existing;
  } else if (!existing && k.person_id > 0) {
    DOUDI_ASSIGN_OR_RETURN(registry::Person p, registry_.LoadPerson(k.person_id));
    if (!p.id_number.empty()) {
      // The case was linked as a repeat visit to a person registered with another number (repeat_visits.h):
      // that person's number is not overwritten; the link is undone first.
      return Status::Conflict("rescue.identify.linked_person",
                              "该救助记录已作为重复求助关联到另一身份证号码的人员档案；如不是同一人，请先撤销合并");
    }
    registry::PersonFields values;
    values.id_number = parsed->number;
    values.name = clean_name.empty() ? p.name : clean_name;
    DOUDI_RETURN_IF_ERROR(
        registry_.UpdatePerson(actor, k.person_id, p.version, values, {"id_number", "name"}).status());
  }
  std::optional<Case> result;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(Case cur, LoadCase(c, actor, id));
    if (cur.identified) return Status::Conflict("rescue.case.identified", "该人员身份已核实");
    const std::string now = NowText();
    int64_t version = cur.version;
    cur.person_id = person_id;
    cur.identified = true;
    if (!clean_name.empty()) cur.name = clean_name;
    cur.birth_date = parsed->birth_date;
    cur.sex = parsed->sex;
    cur.estimated_age.reset();
    if (!found_by.empty()) cur.found_by = found_by;
    cur.updated_at = now;
    cur.updated_by = actor.principal.user_id;
    DOUDI_ASSIGN_OR_RETURN(bool ok, store::UpdateCase(c, cur, version));
    if (!ok) return db::VersionConflict();
    cur.version = version + 1;
    DOUDI_RETURN_IF_ERROR(store::CloseNotices(c, id, now, actor.principal.user_id));
    nlohmann::json detail = {{"person_id", person_id}, {"linked_existing", person_id != k.person_id}};
    DOUDI_RETURN_IF_ERROR(audit_.AppendIn(c, Event(actor, "rescue.case.identify", "rescue_case", id, detail.dump())));
    result = std::move(cur);
    return Status::Ok();
  }));
  return std::move(*result);
}

Result<Case> RescueService::Depart(const Actor& actor, int64_t id, Departure d) {
  if (!IsOneOf(d.kind, {"self", "relatives", "escort_home", "transfer", "death", "termination"})) {
    return Status::InvalidField("kind", "rescue.departure.kind",
                                "离站方式应为 self、relatives、escort_home、transfer、death 或 termination");
  }
  if (!d.found_by.empty() && !IsOneOf(d.found_by, {"conversation", "police", "dna", "face", "media"})) {
    return Status::InvalidField("found_by", "rescue.found_by.invalid",
                                "查找方式应为 conversation、police、dna、face 或 media");
  }
  const TimePoint now = clock_();
  TimePoint at = now;
  if (!d.departed_at.empty()) {
    auto t = ParseIsoTime(d.departed_at);
    if (!t.ok()) t = ParseShanghaiLocal(d.departed_at);
    if (!t.ok()) return Status::InvalidField("departed_at", "rescue.departed_at.invalid", "离站时间格式不正确");
    if (*t > now + std::chrono::minutes(5)) {
      return Status::InvalidField("departed_at", "rescue.departed_at.future", "离站时间不能晚于当前时间");
    }
    at = *t;
  }
  // Kind-specific requirements (DOMAIN.md §4 and the forms of 民发〔2014〕132号).
  nlohmann::json rec = {{"kind", d.kind}, {"note", d.note}};
  std::string relative_masked;
  auto check_relative = [&]() -> Status {
    DOUDI_RETURN_IF_ERROR(RequireText("relative_name", d.relative_name, 1, 50, "rescue.departure.relative_name",
                                      "请填写接领亲属姓名"));
    if (Trim(d.relative_id_number).empty()) {
      return Status::InvalidField("relative_id_number", "rescue.departure.relative_unverified",
                                  "亲属接领须查验并登记亲属的身份证件");
    }
    auto rid = ParseIdNumber(Trim(d.relative_id_number), &divisions_);
    if (!rid.ok()) {
      return Status::InvalidField("relative_id_number", "rescue.departure.relative_id_invalid",
                                  "亲属身份证号码不正确：" + rid.status().message());
    }
    if (!d.relative_id_checked) {
      return Status::InvalidField("relative_id_checked", "rescue.departure.relative_unverified",
                                  "亲属接领须当面查验亲属身份证件并勾选“已查验”");
    }
    relative_masked = MaskIdNumber(rid->number);
    rec["relative"] = {{"name", std::string(Trim(d.relative_name))},
                       {"relation", d.relative_relation},
                       {"id_number", relative_masked},
                       {"id_checked", true}};
    return Status::Ok();
  };
  if (d.kind == "self") {
    DOUDI_RETURN_IF_ERROR(RequireText("declaration_ref", d.declaration_ref, 1, 100, "rescue.departure.declaration",
                                      "自行离站须有本人签字的《自行离站声明书》（填写编号）"));
    rec["declaration_ref"] = d.declaration_ref;
  } else if (d.kind == "relatives") {
    DOUDI_RETURN_IF_ERROR(check_relative());
  } else if (d.kind == "escort_home") {
    DOUDI_RETURN_IF_ERROR(RequireText("route", d.route, 1, 500, "rescue.departure.route", "请填写护送路线"));
    if (d.escort_staff.empty()) {
      return Status::InvalidField("escort_staff", "rescue.departure.escort_staff", "请填写护送人员");
    }
    if (!IsOneOf(d.handover_to, {"family", "station"})) {
      return Status::InvalidField("handover_to", "rescue.departure.handover_to",
                                  "交接对象应为 family（家属）或 station（接收救助站）");
    }
    DOUDI_RETURN_IF_ERROR(RequireText("handover_ref", d.handover_ref, 1, 100, "rescue.departure.handover_ref",
                                      "请填写交接单编号（双方签字）"));
    if (d.handover_to == "family") DOUDI_RETURN_IF_ERROR(check_relative());
    rec["route"] = d.route;
    rec["escort_staff"] = d.escort_staff;
    rec["tickets"] = d.tickets;
    rec["handover_to"] = d.handover_to;
    rec["handover_ref"] = d.handover_ref;
  } else if (d.kind == "transfer") {
    DOUDI_RETURN_IF_ERROR(RequireText("transfer_to", d.transfer_to, 1, 200, "rescue.departure.transfer_to",
                                      "请填写转送去向（接收单位）"));
    rec["transfer_to"] = d.transfer_to;
  } else if (d.kind == "death") {
    DOUDI_ASSIGN_OR_RETURN(auto death, internal::DateField("death_date", d.death_date, true, "死亡日期"));
    (void)death;
    DOUDI_RETURN_IF_ERROR(RequireText("death_certificate_ref", d.death_certificate_ref, 1, 100,
                                      "rescue.departure.death_certificate", "请填写死亡证明编号"));
    rec["death_date"] = d.death_date;
    rec["death_cause"] = d.death_cause;
    rec["death_certificate_ref"] = d.death_certificate_ref;
  } else if (d.kind == "termination") {
    DOUDI_RETURN_IF_ERROR(RequireText("termination_notice_ref", d.termination_notice_ref, 1, 100,
                                      "rescue.departure.termination_notice", "请填写《终止救助通知书》编号"));
    DOUDI_RETURN_IF_ERROR(
        RequireText("reason", d.reason, 2, 500, "rescue.departure.reason", "终止救助须填写理由（2 到 500 个字）"));
    rec["termination_notice_ref"] = d.termination_notice_ref;
    rec["reason"] = d.reason;
  }
  std::optional<Case> result;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(Case k, LoadOpenCase(c, actor, id));
    auto intake = ParseIsoTime(k.intake_at);
    if (intake.ok() && at < *intake) {
      return Status::InvalidField("departed_at", "rescue.departure.before_intake", "离站时间不能早于入站时间");
    }
    const Date day = ShanghaiDate(at);
    if (d.kind == "death") {
      auto death = ParseDate(d.death_date);
      if (death.ok() && (*death < DayOf(k.intake_at, day) || *death > day)) {
        return Status::InvalidField("death_date", "rescue.departure.death_date", "死亡日期应在入站日期与离站日期之间");
      }
    }
    DOUDI_ASSIGN_OR_RETURN(auto belongings, store::Belongings(c, id));
    int64_t held = std::count_if(belongings.begin(), belongings.end(),
                                 [](const Belonging& b) { return b.returned_at.empty(); });
    if (held > 0) {
      return Status::InvalidField("belongings", "rescue.departure.belongings_held",
                                  "尚有 " + std::to_string(held) + " 件随身物品未退还，请先办理退还并签字");
    }
    auto age = AgeAt(k, day);
    bool minor = age && *age < 16;
    if (minor) {
      // Under-16s leave only with relatives whose ID is checked, escorted, transferred (or on death).
      if (d.kind == "self" || d.kind == "termination") {
        return Status::InvalidField("kind", "rescue.departure.minor_alone",
                                    "未满 16 周岁的未成年人不能自行离站或终止救助，须由查验身份的亲属接领或护送返回");
      }
    }
    std::string found_by = d.found_by.empty() ? k.found_by : d.found_by;
    if ((d.kind == "relatives" || d.kind == "escort_home") && found_by.empty()) {
      DOUDI_ASSIGN_OR_RETURN(auto candidates, store::CandidatesOfCase(c, id));
      for (const auto& cand : candidates) {
        if (cand.status == "confirmed" && (cand.source == "dna" || cand.source == "face")) found_by = cand.source;
      }
      if (found_by.empty() && k.identified) found_by = "conversation";
      if (found_by.empty()) {
        return Status::InvalidField("found_by", "rescue.found_by.required",
                                    "请填写寻亲途径（conversation、police、dna、face 或 media）");
      }
    }
    const std::string now = NowText();
    DOUDI_ASSIGN_OR_RETURN(auto placement, store::OpenPlacement(c, id));
    if (placement) {
      DOUDI_RETURN_IF_ERROR(store::EndPlacement(c, placement->id, FormatDate(day), "离站", now,
                                                actor.principal.user_id));
    }
    int64_t version = k.version;
    k.status = "departed";
    k.departed_at = platform::FormatUtc(at);
    k.departure_kind = d.kind;
    rec["by"] = actor.principal.user_id;
    k.departure = rec.dump();
    k.found_by = found_by;
    k.updated_at = now;
    k.updated_by = actor.principal.user_id;
    DOUDI_ASSIGN_OR_RETURN(bool ok, store::UpdateCase(c, k, version));
    if (!ok) return db::VersionConflict();
    k.version = version + 1;
    DOUDI_RETURN_IF_ERROR(store::CloseNotices(c, id, now, actor.principal.user_id));
    nlohmann::json detail = {{"kind", d.kind}, {"found_by", found_by}};
    DOUDI_RETURN_IF_ERROR(audit_.AppendIn(c, Event(actor, "rescue.case.depart", "rescue_case", id, detail.dump())));
    result = std::move(k);
    return Status::Ok();
  }));
  return std::move(*result);
}

}  // namespace doudi::rescue
