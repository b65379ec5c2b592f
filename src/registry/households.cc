// RegistryService: households, their members, and the dashboard counts.
#include <algorithm>
#include <map>

#include "common/id_number.h"
#include "registry/internal.h"
#include "registry/read_page.h"
#include "registry/service.h"
#include "registry/store.h"
#include "registry/validate.h"

namespace doudi::registry {
namespace {

using internal::FieldsDetail;
using internal::HouseholdNotFound;
using internal::OutsideScope;

constexpr char kHead[] = "02";  // GB/T 4761 户主
constexpr char kSelf[] = "01";  // GB/T 4761 本人

// The household a membership-changing transaction wrote, or its error. CheckMembers sees a person in another
// household before writing; a unique violation on household_members means another writer added the same person
// in the meantime, which is the same conflict. `who` names the member(s): "有成员" or "该人员".
Result<Household> WrittenHousehold(const Status& s, std::optional<Household>& result, const char* who) {
  if (s.error_code() == "db.unique") {
    return Status::Conflict("registry.household.member_exists",
                            std::string(who) + "已是其他家庭户的成员，一人只能属于一个家庭户");
  }
  DOUDI_RETURN_IF_ERROR(s);
  return std::move(*result);
}

void Append(std::vector<FieldError>& to, std::vector<FieldError> from) {
  for (auto& e : from) to.push_back(std::move(e));
}

std::vector<std::string> HouseholdChanges(const HouseholdFields& a, const HouseholdFields& b) {
  std::vector<std::string> out;
  if (a.head_person_id != b.head_person_id) out.push_back("head_person_id");
  if (a.urban_rural != b.urban_rural) out.push_back("urban_rural");
  if (a.division_code != b.division_code) out.push_back("division_code");
  if (a.address != b.address) out.push_back("address");
  return out;
}

}  // namespace

Result<Household> RegistryService::LoadHousehold(db::Conn& c, int64_t id) const {
  DOUDI_ASSIGN_OR_RETURN(auto h, store::GetHousehold(c, id));
  if (!h) return HouseholdNotFound();
  DOUDI_ASSIGN_OR_RETURN(auto members, store::Members(c, id));
  for (const auto& m : members) {
    DOUDI_ASSIGN_OR_RETURN(Person p, Unseal(m.person, true));
    MemberView v;
    v.person_id = p.id;
    v.relation = m.member.relation;
    v.name = p.name;
    v.sex = p.sex;
    v.birth_date = p.birth_date;
    v.estimated_age = p.estimated_age;
    v.id_number = p.id_number;
    v.division_code = p.division_code;
    h->members.push_back(std::move(v));
  }
  return std::move(*h);
}

Status RegistryService::CheckMembers(db::Conn& c, const Actor& actor, int64_t household_id,
                                     const std::vector<Member>& members) {
  std::vector<int64_t> ids;
  for (const auto& m : members) ids.push_back(m.person_id);
  DOUDI_ASSIGN_OR_RETURN(auto scopes, store::PersonScopes(c, ids));
  std::map<int64_t, std::pair<std::string, int64_t>> found(scopes.begin(), scopes.end());
  for (int64_t id : ids) {
    auto it = found.find(id);
    if (it == found.end() || !actor.principal.InScope(it->second.first, it->second.second)) {
      Status s = internal::PersonNotFound();
      s.add_detail({"members", "registry.person.not_found",
                    "人员 " + std::to_string(id) + " 不存在或不在您的管辖范围内"});
      return s;
    }
  }
  DOUDI_ASSIGN_OR_RETURN(auto memberships, store::HouseholdsOfPersons(c, ids));
  for (const auto& [person, household] : memberships) {
    if (household == household_id) continue;
    Status s(Code::kConflict, "registry.household.member_exists",
             "人员 " + std::to_string(person) + " 已是其他家庭户的成员，一人只能属于一个家庭户");
    s.add_detail({"members", "registry.household.member_exists", std::to_string(person)});
    s.add_detail({"existing_household_id", "registry.household.member_exists", std::to_string(household)});
    return s;
  }
  return Status::Ok();
}

Result<Household> RegistryService::CreateHousehold(const Actor& actor, NewHousehold h) {
  std::vector<FieldError> errors = ValidateHousehold(h, divisions_);
  Append(errors, ValidateMembers(h.members));
  Append(errors, NormalizeHead(h.head_person_id, h.members));
  DOUDI_RETURN_IF_ERROR(FieldErrorsStatus(std::move(errors)));
  const auto& who = actor.principal;
  if (!who.InScope(h.division_code, who.user_id)) return OutsideScope();
  Household row;
  static_cast<HouseholdFields&>(row) = h;
  row.created_at = row.updated_at = Now();
  row.created_by = row.updated_by = who.user_id;
  std::optional<Household> result;
  Status s = db_.Write([&](db::Conn& c) -> Status {
    DOUDI_RETURN_IF_ERROR(CheckMembers(c, actor, 0, h.members));
    DOUDI_ASSIGN_OR_RETURN(int64_t id, store::InsertHousehold(c, row));
    for (const auto& m : h.members) DOUDI_RETURN_IF_ERROR(store::InsertMember(c, id, m));
    std::vector<std::string> fields = {"head_person_id", "urban_rural", "division_code", "members"};
    if (!h.address.empty()) fields.push_back("address");
    DOUDI_RETURN_IF_ERROR(audit_.AppendIn(c, Event(actor, "registry.household.create", "household", id,
                                                   FieldsDetail(fields))));
    DOUDI_ASSIGN_OR_RETURN(result, LoadHousehold(c, id));
    return Status::Ok();
  });
  return WrittenHousehold(s, result, "有成员");
}

Result<Household> RegistryService::GetHousehold(const Actor& actor, int64_t id) {
  std::optional<Household> h;
  Status s = db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(h, LoadHousehold(c, id));
    return Status::Ok();
  });
  if (s.code() == Code::kNotFound) return HouseholdNotFound();
  DOUDI_RETURN_IF_ERROR(s);
  if (!actor.principal.InScope(h->division_code, h->created_by)) return HouseholdNotFound();
  return std::move(*h);
}

Result<Household> RegistryService::UpdateHousehold(const Actor& actor, int64_t id, int64_t version,
                                                   const HouseholdFields& values, const std::vector<std::string>& fields,
                                                   const std::optional<std::vector<Member>>& members) {
  for (const auto& f : fields) {
    if (f != "head_person_id" && f != "urban_rural" && f != "division_code" && f != "address") {
      return Status::InvalidField(f, "registry.update.unknown_field", "不能修改的字段：" + f);
    }
  }
  const auto& who = actor.principal;
  std::optional<Household> result;
  Status s = db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto current, store::GetHousehold(c, id));
    if (!current || !who.InScope(current->division_code, current->created_by)) return HouseholdNotFound();
    if (current->version != version) return db::VersionConflict();
    Household next = *current;
    for (const auto& f : fields) {
      if (f == "head_person_id") next.head_person_id = values.head_person_id;
      if (f == "urban_rural") next.urban_rural = values.urban_rural;
      if (f == "division_code") next.division_code = values.division_code;
      if (f == "address") next.address = values.address;
    }
    std::vector<FieldError> errors = ValidateHousehold(next, divisions_);
    std::optional<std::vector<Member>> new_members = members;
    if (new_members) {
      Append(errors, ValidateMembers(*new_members));
      Append(errors, NormalizeHead(next.head_person_id, *new_members));
    } else if (next.head_person_id != current->head_person_id) {
      errors.push_back({"members", "registry.household.members_required",
                        "更换户主时须同时提交成员列表（members），重新填写各成员与新户主的关系"});
    }
    DOUDI_RETURN_IF_ERROR(FieldErrorsStatus(std::move(errors)));
    if (next.division_code != current->division_code && !who.InScope(next.division_code, current->created_by)) {
      return OutsideScope();
    }
    std::vector<std::string> changed = HouseholdChanges(*current, next);
    if (new_members) {
      DOUDI_RETURN_IF_ERROR(CheckMembers(c, actor, id, *new_members));
      DOUDI_ASSIGN_OR_RETURN(auto old_members, store::Members(c, id));
      std::vector<std::pair<int64_t, std::string>> before, after;
      for (const auto& m : old_members) before.emplace_back(m.member.person_id, m.member.relation);
      for (const auto& m : *new_members) after.emplace_back(m.person_id, m.relation);
      std::sort(before.begin(), before.end());
      std::sort(after.begin(), after.end());
      if (before != after) {
        DOUDI_RETURN_IF_ERROR(store::DeleteMembers(c, id).status());
        for (const auto& m : *new_members) DOUDI_RETURN_IF_ERROR(store::InsertMember(c, id, m));
        changed.push_back("members");
      }
    }
    if (!changed.empty()) {
      next.updated_at = Now();
      next.updated_by = who.user_id;
      DOUDI_ASSIGN_OR_RETURN(bool updated, store::UpdateHousehold(c, next, version));
      if (!updated) return db::VersionConflict();
      DOUDI_RETURN_IF_ERROR(
          audit_.AppendIn(c, Event(actor, "registry.household.update", "household", id, FieldsDetail(changed))));
    }
    DOUDI_ASSIGN_OR_RETURN(result, LoadHousehold(c, id));
    return Status::Ok();
  });
  return WrittenHousehold(s, result, "有成员");
}

Result<Household> RegistryService::AddMember(const Actor& actor, int64_t household_id, const Member& member) {
  std::vector<FieldError> errors = ValidateRelation(member.relation);
  if (member.person_id <= 0) errors.push_back({"person_id", "registry.person_id.required", "请选择人员"});
  if (member.relation == kSelf || member.relation == kHead) {
    errors.push_back({"relation", "registry.household.second_head", "一户只能有一位户主；新成员的关系不能是本人或户主"});
  }
  DOUDI_RETURN_IF_ERROR(FieldErrorsStatus(std::move(errors)));
  const auto& who = actor.principal;
  std::optional<Household> result;
  Status s = db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto h, store::GetHousehold(c, household_id));
    if (!h || !who.InScope(h->division_code, h->created_by)) return HouseholdNotFound();
    DOUDI_RETURN_IF_ERROR(CheckMembers(c, actor, household_id, {member}));
    DOUDI_ASSIGN_OR_RETURN(auto current, store::HouseholdOfPerson(c, member.person_id));
    if (current) {
      return Status::Conflict("registry.household.already_member", "该人员已是本户成员");
    }
    DOUDI_RETURN_IF_ERROR(store::InsertMember(c, household_id, member));
    const std::string now = Now();
    DOUDI_RETURN_IF_ERROR(store::TouchHousehold(c, household_id, now, who.user_id).status());
    DOUDI_RETURN_IF_ERROR(audit_.AppendIn(
        c, Event(actor, "registry.household.member_add", "household", household_id,
                 nlohmann::json{{"fields", {"members"}}, {"person_id", member.person_id}}.dump())));
    DOUDI_ASSIGN_OR_RETURN(result, LoadHousehold(c, household_id));
    return Status::Ok();
  });
  return WrittenHousehold(s, result, "该人员");
}

Result<Household> RegistryService::RemoveMember(const Actor& actor, int64_t household_id, int64_t person_id) {
  const auto& who = actor.principal;
  std::optional<Household> result;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto h, store::GetHousehold(c, household_id));
    if (!h || !who.InScope(h->division_code, h->created_by)) return HouseholdNotFound();
    if (h->head_person_id == person_id) {
      return Status::InvalidField("person_id", "registry.household.remove_head",
                                  "不能移除户主；请先更换户主再移除该成员");
    }
    DOUDI_ASSIGN_OR_RETURN(int64_t n, store::DeleteMember(c, household_id, person_id));
    if (n == 0) return Status::NotFound("registry.household.member_not_found", "该人员不是本户成员");
    DOUDI_RETURN_IF_ERROR(store::TouchHousehold(c, household_id, Now(), who.user_id).status());
    DOUDI_RETURN_IF_ERROR(audit_.AppendIn(
        c, Event(actor, "registry.household.member_remove", "household", household_id,
                 nlohmann::json{{"fields", {"members"}}, {"person_id", person_id}}.dump())));
    DOUDI_ASSIGN_OR_RETURN(result, LoadHousehold(c, household_id));
    return Status::Ok();
  }));
  return std::move(*result);
}

Result<Page<Household>> RegistryService::SearchHouseholds(const Actor& actor, const HouseholdQuery& q) {
  store::HouseholdFilter f;
  f.scope = internal::ScopeOf(actor.principal);
  if (!q.division.empty()) {
    if (q.division.size() > 12 ||
        !std::all_of(q.division.begin(), q.division.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return Status::InvalidField("division", "registry.division.invalid", "区划代码应为 2 到 12 位数字");
    }
    f.division_prefix = q.division;
  }
  if (!q.urban_rural.empty()) {
    if (q.urban_rural != "urban" && q.urban_rural != "rural") {
      return Status::InvalidField("urban_rural", "registry.urban_rural.invalid", "城乡类别应为 urban 或 rural");
    }
    f.urban_rural = q.urban_rural;
  }
  return ReadPage<Household>(db_, q.page, q.size, [&](db::Conn& c, int64_t limit, int64_t offset) {
    f.limit = limit;
    f.offset = offset;
    return store::SearchHouseholds(c, f);
  });
}

Result<std::optional<Household>> RegistryService::HouseholdOfPerson(int64_t person_id) {
  std::optional<Household> h;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto id, store::HouseholdOfPerson(c, person_id));
    if (id) {
      DOUDI_ASSIGN_OR_RETURN(h, LoadHousehold(c, *id));
    }
    return Status::Ok();
  }));
  return h;
}

Result<RegistryStats> RegistryService::Stats(const Actor& actor) {
  const store::Scope scope = internal::ScopeOf(actor.principal);
  std::vector<store::CountRow> persons, households;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(persons, store::CountPersons(c, scope));
    DOUDI_ASSIGN_OR_RETURN(households, store::CountHouseholds(c, scope));
    return Status::Ok();
  }));
  RegistryStats s;
  std::map<std::string, CountyStats> counties;
  for (const auto& r : persons) {
    s.persons += r.count;
    if (r.urban_rural == "urban") s.persons_urban += r.count;
    else if (r.urban_rural == "rural") s.persons_rural += r.count;
    else s.persons_no_household += r.count;
    counties[r.county].persons += r.count;
  }
  for (const auto& r : households) {
    s.households += r.count;
    auto& county = counties[r.county];
    county.households += r.count;
    if (r.urban_rural == "urban") {
      s.households_urban += r.count;
      county.households_urban += r.count;
    } else {
      s.households_rural += r.count;
      county.households_rural += r.count;
    }
  }
  for (auto& [code, county] : counties) {
    county.county = code;
    const Division* d = divisions_.Find(code);
    county.county_name = d ? d->name : "";
    s.by_county.push_back(std::move(county));
  }
  return s;
}

}  // namespace doudi::registry
