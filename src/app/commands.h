// The doudi subcommands. Each returns a process exit code and prints Chinese messages for operators;
// main.cc only parses the command line (CLI11) and calls these.
#pragma once

#include <string>

namespace doudi::app {

// Options every subcommand accepts: --config FILE, --db URL, --listen HOST:PORT (override the config).
struct GlobalOptions {
  std::string config_file;
  std::string db_url;
  std::string listen;
};

struct ServeOptions {
  bool demo_if_empty = false;  // make run: load the demo data on the first start
  std::string port_file;       // tests: write the bound port here once listening
};
int RunServe(const GlobalOptions& g, const ServeOptions& o);
int RunMigrate(const GlobalOptions& g);

struct DemoOptions {
  uint64_t seed = 20201231;
  int households = 5000;
  std::string as_of = "2026-01-01";
};
int RunDemo(const GlobalOptions& g, const DemoOptions& o);

struct UserOptions {
  std::string username, role, division, password, name, phone;
};
int RunUserAdd(const GlobalOptions& g, const UserOptions& o);
int RunUserList(const GlobalOptions& g);
int RunUserDisable(const GlobalOptions& g, const std::string& username);
int RunUserResetPassword(const GlobalOptions& g, const std::string& username, const std::string& password);

int RunBackup(const GlobalOptions& g, const std::string& out);
int RunRestore(const GlobalOptions& g, const std::string& in, bool yes);
int RunAuditVerify(const GlobalOptions& g);

}  // namespace doudi::app
