// SessionCache: the rows a request's session check reads (the session and its user), kept in memory for a
// moment so that each request does not read them from the database again. It is the largest part of a
// request after the business read itself (docs/benchmarks.md, registry read).
//
// An entry serves for at most max_age after it was read. Every change this process makes to accounts or
// sessions (AuthService, UsersService) calls Invalidate() once it is committed, which drops all entries, so
// such a change holds from the next request on; a change made by another process (the doudi CLI, SQL by
// hand) holds within max_age. A reader that loaded a row while a change was being committed does not store
// it: Put takes the generation seen before the read, and Invalidate() moves the generation on.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "platform/clock.h"

namespace doudi::platform {

struct CachedSession {
  int64_t session_id = 0;
  std::string csrf_token;
  std::optional<TimePoint> last_seen;  // nullopt: unreadable in the database, which ends the session
  std::optional<TimePoint> expires;
  bool revoked = false;
  int64_t user_id = 0;
  std::string username;
  std::string display_name;
  std::string role;
  std::string division_code;
  bool must_change_password = false;
  bool disabled = false;
  bool totp_enabled = false;
};

class SessionCache {
 public:
  static constexpr std::chrono::milliseconds kDefaultMaxAge{1000};
  static constexpr size_t kMaxEntries = 20000;

  explicit SessionCache(std::chrono::milliseconds max_age = kDefaultMaxAge) : max_age_(max_age) {}

  // The entry of this token hash if it was read less than max_age ago and nothing was invalidated since.
  std::optional<CachedSession> Find(const std::string& token_hash) const;
  // The generation to pass to Put: read it before reading the rows from the database.
  uint64_t generation() const;
  // Stores what was read, unless Invalidate() was called since `generation` was taken.
  void Put(const std::string& token_hash, CachedSession session, uint64_t generation);
  // The session's last_seen_at was written as `at` by this process.
  void Touched(const std::string& token_hash, TimePoint at);
  // Drops every entry: an account or session was changed.
  void Invalidate();

 private:
  struct Entry {
    CachedSession session;
    std::chrono::steady_clock::time_point read_at;
  };

  const std::chrono::milliseconds max_age_;
  mutable std::shared_mutex mu_;
  uint64_t generation_ = 0;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace doudi::platform
