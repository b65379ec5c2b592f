// The PostgreSQL 15 driver (libpq): a pool of connections, each with its own cache of prepared statements.
//
// The pool holds up to Options::readers connections, shared by Read and Write. The first is opened by
// OpenPostgres (so a wrong URL or a stopped server fails at startup), the rest when load needs them; a connection
// found broken is dropped and replaced, and a transaction whose BEGIN fails on a dead connection is retried once
// on a fresh one. Read runs in `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY` (one snapshot); Write runs in
// BEGIN ... COMMIT at READ COMMITTED, and writers run concurrently — unlike SQLite's single writer. Code that
// needs writers serialised (a hash chain, a counter read then written) must take a lock, e.g.
// `SELECT ... FOR UPDATE` or `SELECT pg_advisory_xact_lock($1)`.
//
// A Read or Write callback must not call Read or Write on the same Database: each nested call takes another
// pooled connection, and with the pool exhausted they wait on each other (for 30 s, then "db.busy").
//
// Differences from SQLite that callers meet:
//   - An error inside a transaction aborts it: a Write callback cannot ignore a failed statement and carry on
//     (use ON CONFLICT instead of "insert, and on db.unique update"). A callback that swallows an error and
//     returns ok gets a db.error from COMMIT, never a half-written transaction.
//   - Parameters travel as text and PostgreSQL infers their types from the statement. Where it cannot
//     (`$1 IS NULL` alone), write CAST($1 AS TEXT), which SQLite accepts as well.
//   - Result cells by column type: int2/int4/int8/oid -> int; float4/float8 -> double; numeric -> int when
//     it has no fractional part and fits in 64 bits (so sum(bigint) reads as in SQLite), double otherwise;
//     bool -> int 0/1; bytea -> its raw bytes as text; everything else (text, date, json ...) -> text.
//     A bytea parameter is sent as raw bytes, so a {{BLOB}} column round-trips the same bytes on both drivers.
//
// Errors: unique violation (23505) -> Conflict "db.unique"; lost or refused connection -> Unavailable
// "db.unavailable"; lock timeout, deadlock or serialization failure -> Unavailable "db.busy"; anything else
// -> db::DriverError. Each session runs with TimeZone UTC, client_encoding UTF8 and
// lock_timeout = Options::busy_timeout_ms; server notices are discarded.
#pragma once

#include <memory>
#include <string>

#include "db/db.h"

namespace doudi::db {

// url: a libpq URI, "postgresql://user[:password]@host[:port]/dbname[?param=value...]".
Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url, const Options& options);

// "postgresql://user@host:port/dbname" for logs: never the password, whatever form the URL gave it in.
std::string DescribePostgresUrl(const std::string& url);

}  // namespace doudi::db
