// AuditJournal: the append-only file in which a serving process stages audit events before they reach the
// audit_log table, so that a request records its audit event with one write() instead of waiting for a
// database commit.
//
// Durability is that of the database it stands in front of: a write() returns once the kernel holds the bytes,
// so they survive a crash or kill -9 of the process exactly as SQLite's WAL does with synchronous=NORMAL (both
// may lose the last moments on power loss). On the next start the owner replays every record the table does
// not have yet (audit_journal_state.applied_seq says which), then empties the file.
//
// Format: records one after another, each `u32 length | u32 CRC-32 of the payload | payload` (little endian);
// the payload is the sequence number (u64) and the event's fields as netstrings "<length>:<bytes>,". A record
// cut short by a crash mid-write, or failing its CRC, ends the readable part: it and anything after it were
// never acknowledged to a request in a valid state and are reported, not replayed.
//
// One process owns a journal at a time (an exclusive flock); the owner serialises appends itself.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "platform/audit.h"

namespace doudi::platform {

struct JournalRecord {
  uint64_t seq = 0;
  std::string at;  // the event's time, fixed when it was staged
  AuditEvent event;
};

struct JournalContents {
  std::vector<JournalRecord> records;
  uint64_t valid_bytes = 0;  // the length of the readable part
  uint64_t torn_bytes = 0;   // bytes after it (a record cut short or corrupt), 0 normally
};

class AuditJournal {
 public:
  // Opens (creating, 0600) and locks the journal; Unavailable "audit.journal_locked" when another process owns it.
  static Result<std::unique_ptr<AuditJournal>> Open(const std::string& path);
  ~AuditJournal();
  AuditJournal(const AuditJournal&) = delete;
  AuditJournal& operator=(const AuditJournal&) = delete;

  // Every readable record, in file order.
  Result<JournalContents> ReadAll() const;
  // Appends one record with a single write(). Not thread-safe: the caller serialises.
  Status Append(const JournalRecord& r);
  // Empties the file. The caller makes sure no append runs concurrently.
  Status Truncate();
  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }

  // The byte form of one record (exposed for tests that write torn or corrupt files).
  static std::string Encode(const JournalRecord& r);

 private:
  AuditJournal(std::string path, int fd, uint64_t size) : path_(std::move(path)), fd_(fd), size_(size) {}
  std::string path_;
  int fd_;
  uint64_t size_;
};

}  // namespace doudi::platform
