#include "platform/data_scope.h"

#include <algorithm>

namespace doudi::platform {

DataScope DataScopeOf(const Principal& p) {
  DataScope s;
  switch (p.scope) {
    case ScopeKind::kAll:
      break;
    case ScopeKind::kDivision:
      // Division codes are digits: an empty prefix would match every record, and one that is not digits cannot
      // serve as a BETWEEN range; either way the principal sees nothing rather than everything.
      if (p.division_code.empty() ||
          !std::all_of(p.division_code.begin(), p.division_code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        s.none = true;
      } else {
        s.division_prefix = p.division_code;
      }
      break;
    case ScopeKind::kOwn:
      s.created_by = p.user_id;
      break;
  }
  return s;
}

bool DataScope::Contains(std::string_view division, int64_t record_created_by) const {
  if (none) return false;
  if (!division_prefix.empty() && !division.starts_with(division_prefix)) return false;
  if (created_by && record_created_by != *created_by) return false;
  return true;
}

void AddScope(db::SqlBuilder& b, const DataScope& s, std::string_view division_column,
              std::string_view created_by_column) {
  if (s.none) {
    b += " AND 1 = 0";
    return;
  }
  if (!s.division_prefix.empty()) db::AddPrefix(b, division_column, s.division_prefix);
  if (s.created_by) {
    b += " AND ";
    b += created_by_column;
    b += " = " + b.Param(*s.created_by);
  }
}

bool Principal::InScope(const std::string& division, int64_t created_by) const {
  return DataScopeOf(*this).Contains(division, created_by);
}

}  // namespace doudi::platform
