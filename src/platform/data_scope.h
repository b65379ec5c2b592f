// DataScope: the one rule for which records a principal's data scope lets it see, both as a test on one record
// (Contains, behind Principal::InScope) and as SQL conditions (AddScope) — registry, verify and rescue all use it.
//
// The rule, failing closed:
//   kAll       — every record (city-level users).
//   kDivision  — records whose division code starts with the user's division code; a user whose division code is
//                empty or not all digits sees nothing (a prefix of "" would otherwise match every record).
//   kOwn       — records the user created (created_by = user id).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "db/sql_builder.h"
#include "platform/principal.h"

namespace doudi::platform {

struct DataScope {
  std::string division_prefix;        // "" = any division
  std::optional<int64_t> created_by;  // set = only records created by this user
  bool none = false;                  // the principal sees nothing (a division scope without a valid division)

  // Whether a record in `division` created by `record_created_by` is inside this scope.
  bool Contains(std::string_view division, int64_t record_created_by) const;
};

DataScope DataScopeOf(const Principal& p);

// Appends " AND <condition>" to b for the rows of a table inside scope s, whose division code is in
// `division_column` and creator in `created_by_column` (e.g. "p.division_code", "p.created_by"). The division
// condition is a db::AddPrefix range, which an index on the column serves.
void AddScope(db::SqlBuilder& b, const DataScope& s, std::string_view division_column,
              std::string_view created_by_column);

}  // namespace doudi::platform
