// Config: the settings of one doudi process, from defaults, then a TOML file, then DOUDI_* environment
// variables, then command-line flags (each later source wins). docs/operations.md lists every key.
//
// Environment overrides are named DOUDI_<SECTION>_<KEY> in upper case, e.g. DOUDI_DATABASE_URL,
// DOUDI_SERVER_LISTEN, DOUDI_SECURITY_KEY_FILE.
#pragma once

#include <string>

#include "common/status.h"

namespace doudi::app {

struct Config {
  // [server]
  std::string listen = "127.0.0.1:8080";
  int threads = 128;          // > concurrent keep-alive connections (cpp-httplib is thread-per-connection)
  std::string web_root = "web/dist";
  bool access_log = true;
  bool https = false;         // set when a TLS proxy fronts doudi: cookies get the Secure flag
  size_t max_body_bytes = 8 << 20;
  // [database]
  std::string database_url = "sqlite:var/doudi.db";
  int database_pool = 16;
  // [security]
  std::string key_file = "var/doudi.key";
  int session_idle_minutes = 30;
  int session_absolute_hours = 12;
  int lockout_failures = 5;
  int lockout_minutes = 15;
  bool totp_required_for_all = false;
  // argon2id cost; "interactive" (default), "moderate", or "min" (tests only)
  std::string password_cost = "interactive";
  // [audit]
  // serve on SQLite stages audit events in a journal file beside the database (<db>-audit-journal) and writes them
  // to the table behind the request (platform/audit_journal.h); false: every request waits for its audit commit.
  bool audit_journal = true;
  // [log]
  std::string log_level = "info";
  // [verify]
  std::string verify_policy_file;  // the verification policy TOML; empty: the shipped example (docs/verify-engine.md)

  // Loads defaults, then `path` (if non-empty; a missing file is an error), then the environment.
  static Result<Config> Load(const std::string& path);
};

// "127.0.0.1:8080" -> host, port; port 0 is allowed (an ephemeral port, for tests).
Status ParseListen(const std::string& listen, std::string* host, int* port);

}  // namespace doudi::app
