// The audit log: an append-only, hash-chained record of every mutation and every view of a person's details.
//
// Each row holds (time, user, role, IP, action, object type and id, outcome, detail) and the SHA-256 of the
// previous row's hash plus its own canonical fields, so any edit or deletion breaks the chain from that row
// on. Appends are group-committed by a background writer: Append() returns once the row is durable in the
// database, and concurrent callers share one transaction.
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

// An event by `actor` (user, role, IP and request id from the principal), outcome "success".
AuditEvent AuditEventFor(const Principal& actor, std::string action, std::string object_type = "",
                         std::string object_id = "", std::string detail = "");

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  static std::unique_ptr<AuditLog> Create(db::Database& db);
  // Appends and waits until the row is committed. Never call it inside a Database::Write callback (the
  // writer thread needs the write lock that callback holds); use AppendIn there.
  virtual Status Append(AuditEvent event) = 0;
  // Appends inside the caller's write transaction (the audit row commits or rolls back with the change).
  // On PostgreSQL this holds the chain's lock until the transaction ends: call it last in the transaction.
  virtual Status AppendIn(db::Conn& conn, const AuditEvent& event) = 0;
  virtual Result<std::pair<std::vector<AuditRow>, int64_t>> Search(const AuditQuery& q) = 0;
  virtual Result<ChainReport> Verify() = 0;
};

}  // namespace doudi::platform
