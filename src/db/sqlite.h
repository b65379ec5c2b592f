// The SQLite driver: a WAL database file with one writer connection and a pool of reader connections.
#pragma once

#include <memory>
#include <string>

#include "db/db.h"

namespace doudi::db {

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, const Options& options);

}  // namespace doudi::db
