#include "registry/internal.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace doudi::registry::internal {

store::Scope ScopeOf(const platform::Principal& p) { return platform::DataScopeOf(p); }

Status PersonNotFound() { return Status::NotFound("registry.person.not_found", "人员不存在或不在您的管辖范围内"); }

Status HouseholdNotFound() {
  return Status::NotFound("registry.household.not_found", "家庭户不存在或不在您的管辖范围内");
}

Status OutsideScope() {
  return Status::Forbidden("registry.scope.outside", "只能登记或修改本辖区（您的数据范围内）的记录");
}

Status DuplicateId(int64_t existing_person_id) {
  Status s(Code::kConflict, "registry.person.duplicate_id", "该身份证号码已登记");
  // details[0] names the existing person (docs/api: the UI links to it), then the form field to mark.
  if (existing_person_id > 0) {
    s.add_detail({"existing_person_id", "registry.person.duplicate_id", std::to_string(existing_person_id)});
  }
  s.add_detail({"id_number", "registry.person.duplicate_id", "该身份证号码已登记"});
  return s;
}

std::string FieldsDetail(const std::vector<std::string>& fields) { return nlohmann::json{{"fields", fields}}.dump(); }

Status AtRow(size_t index, const Status& s) {
  Status out(s.code(), s.error_code(), "第 " + std::to_string(index + 1) + " 行：" + s.message());
  for (const auto& d : s.details()) out.add_detail(d);
  return out;
}

}  // namespace doudi::registry::internal
