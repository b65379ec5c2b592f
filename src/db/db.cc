#include "db/db.h"

#include <cstdlib>
#include <iostream>

#include "db/postgres.h"
#include "db/sqlite.h"

namespace doudi::db {

const Value& Row::operator[](std::string_view column) const {
  for (size_t i = 0; i < columns_->size(); ++i) {
    if ((*columns_)[i] == column) return cells_[i];
  }
  std::cerr << "db::Row: no column " << column << "\n";
  std::abort();
}

Result<std::unique_ptr<Database>> Database::Open(std::string_view url, const Options& options) {
  if (url.starts_with("sqlite:")) return OpenSqlite(std::string(url.substr(7)), options);
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return OpenPostgres(std::string(url), options);
  }
  return Status::Invalid("db.url", "数据库地址应为 sqlite:路径 或 postgresql://...，而不是：" + std::string(url));
}

Status VersionConflict() {
  return Status::Conflict("version_conflict", "该记录已被他人修改，请刷新后重试");
}

Status DriverError(std::string_view what, std::string_view detail) {
  // The detail (SQL text, driver message) goes to the log via ToString(); HTTP shows only the message.
  Status s(Code::kInternal, "db.error", "数据库操作失败");
  s.add_detail({"sql", "db.error", std::string(what) + ": " + std::string(detail)});
  return s;
}

}  // namespace doudi::db
