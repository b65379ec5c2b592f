#include "db/select.h"

namespace doudi::db {

Result<int64_t> SelectCount(Conn& c, std::string_view sql, std::span<const Value> params) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(sql, params));
  if (rows.empty() || rows[0].IsNull(0)) return int64_t{0};
  return rows[0].Int(0);
}

}  // namespace doudi::db
