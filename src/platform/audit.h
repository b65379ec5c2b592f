// The audit log: an append-only, hash-chained record of every mutation and every view of a person's details.
//
// Each row holds (time, user, role, IP, action, object type and id, outcome, detail) and the SHA-256 of the
// previous row's hash plus its own canonical fields, so any edit or deletion breaks the chain from that row
// on. Appends outside a transaction are either group-committed (Append returns once the row is committed, and
// concurrent callers share one transaction) or, once a serving process turns on the journal, staged in an
// append-only file with the same durability and written to the table behind the request (audit_journal.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "db/db.h"
#include "platform/principal.h"

namespace doudi::platform {

struct AuditEvent {
  int64_t user_id = 0;  // 0 for anonymous (failed login, public pages)
  std::string username;
  std::string role;
  std::string ip;
  std::string action;       // e.g. "registry.person.view", "auth.login", "pii.reveal"
  std::string object_type;  // e.g. "person"
  std::string object_id;
  std::string outcome = "success";  // success | failure | denied
  std::string detail;               // free text or JSON (the reveal's purpose, changed fields)
  std::string request_id;
};

struct AuditRow : AuditEvent {
  int64_t id = 0;
  std::string at;  // ISO-8601 UTC with milliseconds
  std::string prev_hash;
  std::string hash;
};

struct AuditQuery {
  // from/to: ISO dates, as days of Asia/Shanghai (the users' calendar); `to` includes its whole day.
  std::optional<std::string> username, action, object_type, object_id, outcome, from, to;
  int page = 1, size = 20;
};

struct ChainReport {
  bool ok = true;
  int64_t rows_checked = 0;
  std::optional<int64_t> first_broken_id;  // the first row whose hash or link does not match
  std::string reason;
};

// What EnableJournal found in the file a previous process left.
struct JournalRecovery {
  int64_t replayed = 0;      // events written to audit_log now
  int64_t torn_bytes = 0;    // an unreadable tail (a record cut short by a crash), dropped
};

// An event by `actor` (user, role, IP and request id from the principal), outcome "success".
AuditEvent AuditEventFor(const Principal& actor, std::string action, std::string object_type = "",
                         std::string object_id = "", std::string detail = "");

// Ids per run of the audit log's object index (audit_index.h): the longest tail an object lookup scans.
inline constexpr int64_t kAuditRunRows = 20000;

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // index_run_rows: ids per run of the object index (audit_index.h); tests use small runs.
  static std::unique_ptr<AuditLog> Create(db::Database& db, int64_t index_run_rows = kAuditRunRows);
  // Appends and waits until the row is committed. Never call it inside a Database::Write callback (the
  // writer thread needs the write lock that callback holds); use AppendIn there.
  virtual Status Append(AuditEvent event) = 0;
  // Appends inside the caller's write transaction (the audit row commits or rolls back with the change).
  // On PostgreSQL this holds the chain's lock until the transaction ends: call it last in the transaction.
  virtual Status AppendIn(db::Conn& conn, const AuditEvent& event) = 0;
  // Search and Verify first wait for the journal (below) to be written, so that they see every event
  // appended before the call.
  virtual Result<std::pair<std::vector<AuditRow>, int64_t>> Search(const AuditQuery& q) = 0;
  virtual Result<ChainReport> Verify() = 0;

  // Turns on the journal (`serve` on SQLite): Append then stages the event in the file at `path` with one
  // write() and returns, and a background flusher moves staged events into audit_log in large transactions.
  // Events a previous process left in the file are replayed first. Call before the log is shared by threads.
  virtual Result<JournalRecovery> EnableJournal(const std::string& path) = 0;
  // Waits until every event appended before the call is in audit_log (at once without a journal).
  virtual Status Flush() = 0;
};

}  // namespace doudi::platform
