// Helpers shared by the RegistryService's implementation files (service.cc, households.cc, import.cc); not part
// of the registry's interface.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "platform/principal.h"
#include "registry/store.h"

namespace doudi::registry::internal {

// The store's scope filter equivalent to Principal::InScope.
store::Scope ScopeOf(const platform::Principal& p);

Status PersonNotFound();
Status HouseholdNotFound();
// Creating or moving a record outside the caller's divisions.
Status OutsideScope();
// 409 with the existing person's id in details[0] ("existing_person_id"), then the field "id_number".
Status DuplicateId(int64_t existing_person_id);
// {"fields":[...]} for audit details: names only, never values.
std::string FieldsDetail(const std::vector<std::string>& fields);
// The same Status with "第 N 行：" (1-based) before its message, for imports.
Status AtRow(size_t index, const Status& s);

}  // namespace doudi::registry::internal
