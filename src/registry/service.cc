// RegistryService: persons, reveal, 360° and the lookups for other modules. Households and stats are in
// households.cc, bulk import in import.cc.
#include "registry/service.h"

#include <algorithm>

#include "common/id_number.h"
#include "common/text.h"
#include "registry/actor_event.h"
#include "registry/actor_event.h"
#include "registry/internal.h"
#include "registry/json.h"
#include "registry/person360.h"
#include "registry/store.h"
#include "registry/validate.h"

namespace doudi::registry {
namespace {

using internal::DuplicateId;
using internal::FieldsDetail;
using internal::OutsideScope;
using internal::PersonNotFound;

// Copies one named field; false if there is no such field.
bool CopyField(PersonFields& dst, const PersonFields& src, std::string_view name) {
  if (name == "sex") {
    dst.sex = src.sex;
    return true;
  }
  if (name == "estimated_age") {
    dst.estimated_age = src.estimated_age;
    return true;
  }
  for (const auto& f : kPersonTextFields) {
    if (name == f.name) {
      dst.*f.member = src.*f.member;
      return true;
    }
  }
  return false;
}

// Names of the fields that differ (the audit detail of an update).
std::vector<std::string> ChangedFields(const PersonFields& a, const PersonFields& b) {
  std::vector<std::string> out;
  if (a.sex != b.sex) out.push_back("sex");
  if (a.estimated_age != b.estimated_age) out.push_back("estimated_age");
  for (const auto& f : kPersonTextFields) {
    if (a.*f.member != b.*f.member) out.push_back(f.name);
  }
  return out;
}

// Names of the fields a new record carries (the audit detail of a create).
std::vector<std::string> FilledFields(const PersonFields& p) { return ChangedFields(PersonFields{}, p); }

Person Mask(Person p) {
  if (!p.id_number.empty()) p.id_number = MaskIdNumber(p.id_number);
  if (!p.phone.empty()) p.phone = MaskPhone(p.phone);
  p.masked = true;
  return p;
}

}  // namespace

RegistryService::RegistryService(db::Database& db, platform::AuditLog& audit, const platform::Crypto& crypto,
                                 const Divisions& divisions, platform::Clock clock)
    : db_(db), audit_(audit), crypto_(crypto), divisions_(divisions), clock_(std::move(clock)) {}

std::string RegistryService::Now() const { return platform::FormatUtc(clock_()); }

std::string RegistryService::Today() const { return platform::FormatShanghai(clock_()).substr(0, 10); }

platform::AuditEvent RegistryService::Event(const Actor& actor, std::string action, std::string object_type,
                                              int64_t object_id, std::string detail) const {
  return registry::ActorEvent(actor, std::move(action), std::move(object_type), object_id, std::move(detail));
}

Result<Person> RegistryService::Unseal(const store::PersonRow& row, bool mask) const {
  Person p = row.person;
  p.id_number.clear();
  p.phone.clear();
  if (!row.id_cipher.empty()) {
    DOUDI_ASSIGN_OR_RETURN(std::string id, crypto_.Decrypt(row.id_cipher));
    p.id_number = mask ? MaskIdNumber(id) : id;
  }
  if (!row.phone_cipher.empty()) {
    DOUDI_ASSIGN_OR_RETURN(std::string phone, crypto_.Decrypt(row.phone_cipher));
    p.phone = mask ? MaskPhone(phone) : phone;
  }
  p.masked = mask;
  return p;
}

store::PersonRow RegistryService::Seal(const Person& p) const {
  store::PersonRow row;
  row.person = p;
  if (!p.id_number.empty()) {
    row.id_cipher = crypto_.Encrypt(p.id_number);
    row.id_hash = crypto_.KeyedHash(p.id_number);
  }
  if (!p.phone.empty()) {
    row.phone_cipher = crypto_.Encrypt(p.phone);
    row.phone_hash = crypto_.KeyedHash(p.phone);
  }
  row.person.id_number.clear();
  row.person.phone.clear();
  return row;
}

Result<Person> RegistryService::CreatePerson(const Actor& actor, NewPerson fields) {
  DOUDI_RETURN_IF_ERROR(FieldErrorsStatus(ValidatePerson(fields, divisions_, Today())));
  const auto& who = actor.principal;
  if (!who.InScope(fields.division_code, who.user_id)) return OutsideScope();
  Person p;
  static_cast<PersonFields&>(p) = std::move(fields);
  p.created_at = p.updated_at = Now();
  p.created_by = p.updated_by = who.user_id;
  p.version = 1;
  store::PersonRow row = Seal(p);
  Status s = db_.Write([&](db::Conn& c) -> Status {
    if (!row.id_hash.empty()) {
      DOUDI_ASSIGN_OR_RETURN(auto existing, store::PersonIdByIdHash(c, row.id_hash));
      if (existing) return DuplicateId(*existing);
    }
    DOUDI_ASSIGN_OR_RETURN(p.id, store::InsertPerson(c, row));
    return audit_.AppendIn(c, Event(actor, "registry.person.create", "person", p.id, FieldsDetail(FilledFields(p))));
  });
  if (s.error_code() == "db.unique" && !row.id_hash.empty()) {
    // A concurrent create of the same ID number won the race (PostgreSQL; SQLite serialises writers).
    auto existing = FindPersonIdByIdNumber(p.id_number);
    return DuplicateId(existing.ok() && *existing ? **existing : 0);
  }
  DOUDI_RETURN_IF_ERROR(s);
  return Mask(std::move(p));
}

Result<Person> RegistryService::GetPerson(const Actor& actor, int64_t id) {
  std::optional<store::PersonRow> row;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(row, store::GetPerson(c, id));
    return Status::Ok();
  }));
  if (!row || !actor.principal.InScope(row->person.division_code, row->person.created_by)) return PersonNotFound();
  DOUDI_ASSIGN_OR_RETURN(Person p, Unseal(*row, true));
  // The view is recorded before the data leaves: no audit row, no data.
  DOUDI_RETURN_IF_ERROR(audit_.Append(Event(actor, "registry.person.view", "person", id, "")));
  return p;
}

Result<Person> RegistryService::UpdatePerson(const Actor& actor, int64_t id, int64_t version,
                                             const PersonFields& values, const std::vector<std::string>& fields) {
  {
    PersonFields probe;
    for (const auto& f : fields) {
      if (!CopyField(probe, values, f)) {
        return Status::InvalidField(f, "registry.update.unknown_field", "不能修改的字段：" + f);
      }
    }
  }
  auto has = [&](std::string_view f) { return std::find(fields.begin(), fields.end(), f) != fields.end(); };
  const std::string today = Today();
  const auto& who = actor.principal;
  std::optional<Person> result;
  Status s = db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto row, store::GetPerson(c, id));
    if (!row || !who.InScope(row->person.division_code, row->person.created_by)) return PersonNotFound();
    if (row->person.version != version) return db::VersionConflict();
    DOUDI_ASSIGN_OR_RETURN(Person old, Unseal(*row, false));
    Person next = old;
    for (const auto& f : fields) CopyField(next, values, f);
    // A form that sends back the masked number it was shown means "unchanged", not a new number.
    if (!old.id_number.empty() && next.id_number == MaskIdNumber(old.id_number)) next.id_number = old.id_number;
    if (!old.phone.empty() && next.phone == MaskPhone(old.phone)) next.phone = old.phone;
    if (next.id_number != old.id_number && !next.id_number.empty()) {
      // A corrected ID number brings its own birth date and sex unless the caller sets them too.
      if (!has("birth_date")) next.birth_date.clear();
      if (!has("sex")) next.sex = 0;
    }
    DOUDI_RETURN_IF_ERROR(FieldErrorsStatus(ValidatePerson(next, divisions_, today)));
    if (next.division_code != old.division_code && !who.InScope(next.division_code, old.created_by)) {
      return OutsideScope();
    }
    std::vector<std::string> changed = ChangedFields(old, next);
    if (changed.empty()) {
      result = Mask(std::move(old));
      return Status::Ok();
    }
    store::PersonRow sealed = Seal(next);
    if (!sealed.id_hash.empty() && next.id_number != old.id_number) {
      DOUDI_ASSIGN_OR_RETURN(auto existing, store::PersonIdByIdHash(c, sealed.id_hash));
      if (existing && *existing != id) return DuplicateId(*existing);
    }
    sealed.person.updated_at = Now();
    sealed.person.updated_by = who.user_id;
    DOUDI_ASSIGN_OR_RETURN(bool updated, store::UpdatePerson(c, sealed, version));
    if (!updated) return db::VersionConflict();
    DOUDI_RETURN_IF_ERROR(audit_.AppendIn(c, Event(actor, "registry.person.update", "person", id, FieldsDetail(changed))));
    next.updated_at = sealed.person.updated_at;
    next.updated_by = who.user_id;
    next.version = version + 1;
    result = Mask(std::move(next));
    return Status::Ok();
  });
  if (s.error_code() == "db.unique") return DuplicateId(0);
  DOUDI_RETURN_IF_ERROR(s);
  return std::move(*result);
}

Result<Page<Person>> RegistryService::SearchPersons(const Actor& actor, const PersonQuery& q) {
  store::PersonFilter f;
  f.scope = internal::ScopeOf(actor.principal);
  f.name_contains = q.name;
  if (Utf8Chars(f.name_contains) < 0 || Utf8Chars(f.name_contains) > 50) {
    return Status::InvalidField("name", "registry.name.invalid", "姓名查询条件无效");
  }
  if (!q.id_number.empty()) {
    auto id = ParseIdNumber(q.id_number, nullptr);
    if (!id.ok()) return Status::InvalidField("id_number", "registry.id_number.format", id.status().message());
    f.id_hash = crypto_.KeyedHash(id->number);
  }
  if (!q.phone.empty()) {
    std::string phone = NormalizePhone(q.phone);
    if (phone.empty()) return Status::InvalidField("phone", "registry.phone.invalid", "联系电话格式不正确");
    f.phone_hash = crypto_.KeyedHash(phone);
  }
  if (!q.division.empty()) {
    if (q.division.size() > 12 ||
        !std::all_of(q.division.begin(), q.division.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return Status::InvalidField("division", "registry.division.invalid", "区划代码应为 2 到 12 位数字");
    }
    f.division_prefix = q.division;
  }
  if (q.sex) {
    if (*q.sex != 0 && *q.sex != 1 && *q.sex != 2 && *q.sex != 9) {
      return Status::InvalidField("sex", "registry.sex.invalid", "性别代码应为 0、1、2 或 9");
    }
    f.sex = q.sex;
  }
  Page<Person> page;
  page.page = std::max(1, q.page);
  page.size = std::clamp(q.size, 1, 200);
  f.limit = page.size;
  f.offset = static_cast<int64_t>(page.page - 1) * page.size;
  std::vector<store::PersonRow> rows;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto found, store::SearchPersons(c, f));
    rows = std::move(found.first);
    page.total = found.second;
    return Status::Ok();
  }));
  page.items.reserve(rows.size());
  for (const auto& r : rows) {
    DOUDI_ASSIGN_OR_RETURN(Person p, Unseal(r, true));
    page.items.push_back(std::move(p));
  }
  return page;
}

Result<RevealedPii> RegistryService::Reveal(const Actor& actor, int64_t id, const std::string& purpose,
                                            std::vector<std::string> fields) {
  const auto& who = actor.principal;
  if (!who.Can("pii.reveal")) {
    auto e = Event(actor, "pii.reveal", "person", id, "");
    e.outcome = "denied";
    (void)audit_.Append(std::move(e));  // best effort: the refusal stands even if it cannot be recorded
    return Status::Forbidden("registry.reveal.forbidden", "您的角色无权查看完整的身份证号码和联系电话");
  }
  const std::string why(Trim(purpose));
  int len = Utf8Chars(why);
  if (len < 4) {
    return Status::InvalidField("purpose", "registry.reveal.purpose_required",
                                "查看完整信息须填写查看用途（至少 4 个字）");
  }
  if (len > 200) return Status::InvalidField("purpose", "registry.reveal.purpose_too_long", "查看用途不能超过 200 个字");
  if (fields.empty()) fields = {"id_number", "phone"};
  std::sort(fields.begin(), fields.end());
  fields.erase(std::unique(fields.begin(), fields.end()), fields.end());
  for (const auto& f : fields) {
    if (f != "id_number" && f != "phone") {
      return Status::InvalidField("fields", "registry.reveal.field", "只能查看 id_number 或 phone，不能查看：" + f);
    }
  }
  std::optional<store::PersonRow> row;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(row, store::GetPerson(c, id));
    return Status::Ok();
  }));
  if (!row || !who.InScope(row->person.division_code, row->person.created_by)) return PersonNotFound();
  DOUDI_ASSIGN_OR_RETURN(Person p, Unseal(*row, false));
  nlohmann::json detail = {{"purpose", why}, {"fields", fields}};
  DOUDI_RETURN_IF_ERROR(audit_.Append(Event(actor, "pii.reveal", "person", id, detail.dump())));
  RevealedPii out;
  out.person_id = id;
  for (const auto& f : fields) {
    if (f == "id_number") out.id_number = p.id_number;
    if (f == "phone") out.phone = p.phone;
  }
  return out;
}

Result<nlohmann::json> RegistryService::Person360(const Actor& actor, int64_t id) {
  const auto& who = actor.principal;
  std::optional<store::PersonRow> row;
  std::optional<Household> household;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(row, store::GetPerson(c, id));
    if (row && row->person.household_id && who.InScope(row->person.division_code, row->person.created_by)) {
      DOUDI_ASSIGN_OR_RETURN(household, LoadHousehold(c, *row->person.household_id));
    }
    return Status::Ok();
  }));
  if (!row || !who.InScope(row->person.division_code, row->person.created_by)) return PersonNotFound();
  DOUDI_ASSIGN_OR_RETURN(Person p, Unseal(*row, true));
  DOUDI_RETURN_IF_ERROR(audit_.Append(Event(actor, "registry.person.view", "person", id, R"({"view":"360"})")));
  const std::string today = Today();
  nlohmann::json out;
  out["person"] = PersonJson(p, divisions_, today);
  out["household"] = household ? HouseholdJson(*household, divisions_, today) : nlohmann::json(nullptr);
  out["sections"] = RunPerson360Sections(id, who);
  return out;
}

Result<Person> RegistryService::LoadPerson(int64_t id) {
  std::optional<store::PersonRow> row;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(row, store::GetPerson(c, id));
    return Status::Ok();
  }));
  if (!row) return PersonNotFound();
  return Unseal(*row, false);
}

Result<std::optional<int64_t>> RegistryService::FindPersonIdByIdNumber(std::string_view id_number) {
  auto id = ParseIdNumber(id_number, nullptr);
  if (!id.ok()) return Status::InvalidField("id_number", "registry.id_number.format", id.status().message());
  const std::string hash = crypto_.KeyedHash(id->number);
  std::optional<int64_t> found;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(found, store::PersonIdByIdHash(c, hash));
    return Status::Ok();
  }));
  return found;
}

Status RegistryService::CheckPersonInScope(const platform::Principal& principal, int64_t person_id) {
  std::optional<store::PersonRow> row;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(row, store::GetPerson(c, person_id));
    return Status::Ok();
  }));
  if (!row || !principal.InScope(row->person.division_code, row->person.created_by)) return PersonNotFound();
  return Status::Ok();
}

}  // namespace doudi::registry
