#include "db/sql_builder.h"

namespace doudi::db {

std::string Placeholder(size_t n) {
  std::string s(1, '$');
  s += std::to_string(n);
  return s;
}

std::string SqlBuilder::Param(Value v) {
  params_.push_back(std::move(v));
  return Placeholder(params_.size());
}

void AddPrefix(SqlBuilder& b, std::string_view column, const std::string& prefix) {
  std::string hi = prefix;
  if (hi.size() < 12) hi.append(12 - hi.size(), '9');
  // Two statements, so that the low end is numbered first (the operands of + are evaluated in any order).
  std::string low = b.Param(prefix);
  std::string high = b.Param(std::move(hi));
  b += " AND ";
  b += column;
  b += " BETWEEN " + low + " AND " + high;
}

}  // namespace doudi::db
