// A statement built piece by piece with numbered parameters, for the list queries whose WHERE clause depends on
// which filters a caller set: `b += " AND x = " + b.Param(v)` appends "$n" and keeps v as the n-th parameter,
// so the text stays the same for the same filters (one prepared statement on PostgreSQL) and no value is ever
// pasted into the SQL.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "db/value.h"

namespace doudi::db {

// "$n", the n-th parameter's placeholder. Built by appending: GCC 12 at -O2 warns (-Wrestrict, a false positive)
// on "$" + std::to_string(n).
std::string Placeholder(size_t n);

class SqlBuilder {
 public:
  explicit SqlBuilder(std::string sql) : sql_(std::move(sql)) {}
  std::string Param(Value v);
  SqlBuilder& operator+=(std::string_view s) {
    sql_ += s;
    return *this;
  }
  const std::string& sql() const { return sql_; }
  std::span<const Value> span() const { return {params_.data(), params_.size()}; }

 private:
  std::string sql_;
  std::vector<Value> params_;
};

// Appends " AND <column> BETWEEN prefix AND prefix999...": the division codes (digits, at most 12) that start
// with prefix, as a range the column's index serves on both engines, unlike LIKE or substr().
void AddPrefix(SqlBuilder& b, std::string_view column, const std::string& prefix);

}  // namespace doudi::db
