// Placeholder until the PostgreSQL driver lands.
#include "db/db.h"
namespace doudi::db {
Result<std::unique_ptr<Database>> OpenPostgres(const std::string&, const Options&) {
  return Status::Unavailable("db.postgres", "PostgreSQL 驱动尚未实现");
}
}  // namespace doudi::db
