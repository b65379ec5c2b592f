// A SELECT's rows as model objects, read through the table's FromRow (one function per table that knows its
// column order): every store's lookups by key, lists and counts in one place instead of the same
// query-and-convert loop beside each query.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "db/db.h"

namespace doudi::db {

template <typename T>
Result<std::vector<T>> SelectAll(Conn& c, std::string_view sql, std::span<const Value> params,
                                 T (*from)(const Row&)) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(sql, params));
  std::vector<T> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(from(r));
  return out;
}
template <typename T>
Result<std::vector<T>> SelectAll(Conn& c, std::string_view sql, Params params, T (*from)(const Row&)) {
  return SelectAll(c, sql, std::span<const Value>(params.begin(), params.size()), from);
}

// The first row only (a lookup by key); nullopt when there is none.
template <typename T>
Result<std::optional<T>> SelectOne(Conn& c, std::string_view sql, std::span<const Value> params,
                                   T (*from)(const Row&)) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(sql, params));
  if (rows.empty()) return std::optional<T>();
  return std::optional<T>(from(rows[0]));
}
template <typename T>
Result<std::optional<T>> SelectOne(Conn& c, std::string_view sql, Params params, T (*from)(const Row&)) {
  return SelectOne(c, sql, std::span<const Value>(params.begin(), params.size()), from);
}

// The integer in the first column of the first row (SELECT COUNT(*) ...); 0 when there is no row.
Result<int64_t> SelectCount(Conn& c, std::string_view sql, std::span<const Value> params);
inline Result<int64_t> SelectCount(Conn& c, std::string_view sql, Params params = {}) {
  return SelectCount(c, sql, std::span<const Value>(params.begin(), params.size()));
}

}  // namespace doudi::db
