#include "app/principal_json.h"

#include <algorithm>

#include "common/divisions.h"

namespace doudi::app {

nlohmann::json PrincipalJson(const platform::Principal& p) {
  std::vector<std::string> permissions(p.permissions.begin(), p.permissions.end());
  std::sort(permissions.begin(), permissions.end());
  const char* scope = p.scope == platform::ScopeKind::kAll ? "all"
                      : p.scope == platform::ScopeKind::kDivision ? "division" : "own";
  return {{"id", p.user_id},
          {"username", p.username},
          {"display_name", p.display_name},
          {"role", p.role},
          {"role_name", p.role_name},
          {"division_code", p.division_code},
          {"division_name", Divisions::Default().FullName(p.division_code)},
          {"scope", scope},
          {"permissions", permissions},
          {"must_change_password", p.must_change_password},
          {"must_enroll_totp", p.must_enroll_totp}};
}

}  // namespace doudi::app
