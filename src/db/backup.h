// Backup and restore of a whole Doudi database, for `doudi backup` / `doudi restore` and the operations guide.
//
// SQLite: Backup copies a live database with SQLite's online backup API — one consistent snapshot, taken
// while the server keeps serving (WAL readers do not block writers) — into a single self-contained file
// (journal mode DELETE). Restore checks the backup, copies it next to the target, fsyncs it and renames it
// over the target, deleting the target's stale -wal/-shm files first; a crash leaves either the old or the
// new database, never a mix. The server must be stopped during a restore: a process holding the old file
// open would keep writing to it.
//
// PostgreSQL: Backup runs `pg_dump --format=custom`; Restore runs `pg_restore --clean --if-exists
// --single-transaction --no-owner` (all or nothing). The tools are taken from /usr/lib/postgresql/15/bin,
// else from PATH. The password, if the URL has one, reaches them through PGPASSWORD, never the command line.
// When the URL pins a schema (options=-csearch_path=NAME, as the test databases do), only that schema is
// dumped. Restore expects a database at the backup's schema version (or an empty one): tables created by
// later migrations are not dropped.
//
// Both write the backup to a temporary file renamed into place only when complete, and both check their
// input first: a SQLite file must pass PRAGMA integrity_check, a dump must be readable by pg_restore --list.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace doudi::db {

// db_url as for Database::Open: "sqlite:PATH" or "postgresql://...".
Status Backup(std::string_view db_url, const std::string& out_path);
Status Restore(std::string_view db_url, const std::string& in_path);

}  // namespace doudi::db
