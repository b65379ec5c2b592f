// VerifyService: members' authorisations (授权书, DOMAIN.md §2). Each is recorded with the household's member set
// at that moment; it stays valid while the registry's household has exactly those members, so adding or removing
// a member lapses every authorisation of the household without any hook into the registry.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/id_number.h"
#include "common/text.h"
#include "verify/engine/model.h"
#include "verify/service.h"

namespace doudi::verify {
namespace {

Status HouseholdNotFound() {
  return Status::NotFound("verify.household.not_found", "家庭户不存在或不在您的管辖范围内");
}
Status AuthorisationNotFound() {
  return Status::NotFound("verify.authorisation.not_found", "授权书不存在或不在您的管辖范围内");
}

// "3,7,9": the member ids, sorted.
std::string MemberSet(const registry::Household& h) {
  std::vector<int64_t> ids;
  for (const auto& m : h.members) ids.push_back(m.person_id);
  std::sort(ids.begin(), ids.end());
  std::string s;
  for (int64_t id : ids) {
    if (!s.empty()) s += ",";
    s += std::to_string(id);
  }
  return s;
}

// Under 18 on `today` (both YYYY-MM-DD); unknown birth dates are not minors.
bool IsMinor(const std::string& birth_date, const std::string& today) {
  if (birth_date.size() != 10) return false;
  std::string adult = std::to_string(std::stoi(birth_date.substr(0, 4)) + 18) + birth_date.substr(4);
  return adult > today;
}

std::string StatusOf(const Authorisation& a, const std::string& current_set) {
  if (a.revoked) return "revoked";
  return a.member_set == current_set ? "valid" : "lapsed";
}

}  // namespace

Result<HouseholdAuthorisations> VerifyService::Authorisations(const Actor&, const registry::Household& h) {
  std::vector<Authorisation> latest;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(latest, store::LatestAuthorisations(c, h.id));
    return Status::Ok();
  }));
  const std::string current = MemberSet(h);
  const std::string today = Today();
  HouseholdAuthorisations out;
  out.household_id = h.id;
  out.all_valid = !h.members.empty();
  for (const auto& m : h.members) {
    MemberAuthorisation ma;
    ma.person_id = m.person_id;
    ma.name = m.name;
    ma.relation = m.relation;
    ma.id_number = m.id_number;  // masked by the registry
    ma.minor = IsMinor(m.birth_date, today);
    ma.status = "missing";
    for (auto& a : latest) {
      if (a.person_id != m.person_id) continue;
      if (!a.guardian_id_number.empty()) {
        auto plain = crypto_.Decrypt(a.guardian_id_number);
        a.guardian_id_number = plain.ok() ? MaskIdNumber(*plain) : "";
      }
      a.status = StatusOf(a, current);
      ma.status = a.status;
      ma.authorisation = a;
    }
    if (ma.status != "valid") out.all_valid = false;
    out.members.push_back(std::move(ma));
  }
  return out;
}

Result<HouseholdAuthorisations> VerifyService::GetAuthorisations(const Actor& actor, int64_t household_id) {
  auto h = registry_.GetHousehold(actor, household_id);
  if (h.status().code() == Code::kNotFound) return HouseholdNotFound();
  DOUDI_RETURN_IF_ERROR(h.status());
  return Authorisations(actor, *h);
}

Result<Authorisation> VerifyService::RecordAuthorisation(const Actor& actor, int64_t household_id,
                                                         NewAuthorisation in) {
  auto h = registry_.GetHousehold(actor, household_id);
  if (h.status().code() == Code::kNotFound) return HouseholdNotFound();
  DOUDI_RETURN_IF_ERROR(h.status());
  const registry::MemberView* member = nullptr;
  for (const auto& m : h->members) {
    if (m.person_id == in.person_id) member = &m;
  }
  if (!member) {
    return Status::InvalidField("person_id", "verify.authorisation.not_member", "该人员不是本户当前成员");
  }
  in.signer_name = std::string(Trim(in.signer_name));
  in.guardian_name = std::string(Trim(in.guardian_name));
  in.form_file = std::string(Trim(in.form_file));
  const std::string today = Today();
  if (DateDays(in.signed_on) == kNoDate || in.signed_on.size() != 10 || in.signed_on > today) {
    return Status::InvalidField("signed_on", "verify.authorisation.signed_on", "签署日期应为不晚于今天的有效日期（YYYY-MM-DD）");
  }
  if (in.signer_name.empty() || Utf8Length(in.signer_name) > 50) {
    return Status::InvalidField("signer_name", "verify.authorisation.signer_name", "请填写签署人姓名（不超过 50 字）");
  }
  if (in.form_file.empty() || in.form_file.size() > 500) {
    return Status::InvalidField("form_file", "verify.authorisation.form_file", "请上传签字（或按指印）的授权书扫描件");
  }
  DOUDI_ASSIGN_OR_RETURN(registry::Person person, registry_.LoadPerson(in.person_id));
  const bool needs_guardian = IsMinor(member->birth_date, today) ||
                              ("," + person.flags + ",").find(",no_capacity,") != std::string::npos;
  if (needs_guardian && !in.signed_by_guardian) {
    return Status::InvalidField("signed_by_guardian", "verify.authorisation.guardian_required",
                                "未成年或无民事行为能力的成员应由监护人代为签署");
  }
  if (in.signed_by_guardian && in.guardian_name.empty()) {
    return Status::InvalidField("guardian_name", "verify.authorisation.guardian_required", "请填写监护人姓名");
  }
  std::string guardian_id;
  if (!in.guardian_id_number.empty()) {
    auto parsed = ParseIdNumber(in.guardian_id_number, nullptr);
    if (!parsed.ok()) {
      return Status::InvalidField("guardian_id_number", "verify.authorisation.guardian_id_number",
                                  "监护人身份证号码无效：" + parsed.status().message());
    }
    guardian_id = parsed->number;
  }
  Authorisation a;
  static_cast<NewAuthorisation&>(a) = in;
  a.guardian_id_number = guardian_id.empty() ? "" : crypto_.Encrypt(guardian_id);
  a.household_id = household_id;
  a.member_set = MemberSet(*h);
  a.division_code = h->division_code;
  a.created_at = Now();
  a.created_by = actor.principal.user_id;
  a.created_by_name = actor.principal.display_name.empty() ? actor.principal.username : actor.principal.display_name;
  a.version = 1;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(a.id, store::InsertAuthorisation(c, a));
    return audit_.AppendIn(c, Event(actor, "verify.authorisation.create", "verify_authorisation", a.id,
                                    nlohmann::json{{"household_id", household_id},
                                                   {"person_id", in.person_id},
                                                   {"signed_on", in.signed_on},
                                                   {"signed_by_guardian", in.signed_by_guardian}}
                                        .dump()));
  }));
  a.guardian_id_number = guardian_id.empty() ? "" : MaskIdNumber(guardian_id);
  a.status = "valid";
  return a;
}

Result<Authorisation> VerifyService::RevokeAuthorisation(const Actor& actor, int64_t id, int64_t version,
                                                         const std::string& reason_in) {
  std::optional<Authorisation> a;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(a, store::GetAuthorisation(c, id));
    return Status::Ok();
  }));
  if (!a) return AuthorisationNotFound();
  auto h = registry_.GetHousehold(actor, a->household_id);
  if (h.status().code() == Code::kNotFound) return AuthorisationNotFound();
  DOUDI_RETURN_IF_ERROR(h.status());
  std::string reason(Trim(reason_in));
  if (Utf8Length(reason) < 2 || Utf8Length(reason) > 200) {
    return Status::InvalidField("reason", "verify.authorisation.reason", "请填写撤回原因（2–200 字）");
  }
  if (a->revoked) return Status::Conflict("verify.authorisation.revoked", "该授权书已撤回");
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(bool done, store::RevokeAuthorisation(c, id, version, reason, Now(), actor.principal.user_id));
    if (!done) return db::VersionConflict();
    return audit_.AppendIn(c, Event(actor, "verify.authorisation.revoke", "verify_authorisation", id,
                                    nlohmann::json{{"household_id", a->household_id}, {"person_id", a->person_id}}.dump()));
  }));
  a->revoked = true;
  a->revoked_reason = reason;
  a->version = version + 1;
  a->status = "revoked";
  if (!a->guardian_id_number.empty()) {
    auto plain = crypto_.Decrypt(a->guardian_id_number);
    a->guardian_id_number = plain.ok() ? MaskIdNumber(*plain) : "";
  }
  return *a;
}

}  // namespace doudi::verify
