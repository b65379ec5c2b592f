// The API test harness: starts the real `doudi serve` binary on an ephemeral loopback port with a temporary
// SQLite file (or a fresh PostgreSQL schema), and talks to it over real HTTP like a browser would — session
// cookie, CSRF header and all.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace doudi::testing {

enum class Backend { kSqlite, kPostgres };

struct CliResult {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

class TestServer {
 public:
  // Creates a temporary directory with a config file, migrates the database and starts the server.
  // Returns null (and sets *skip_reason) for kPostgres when DOUDI_TEST_PG_URL is not set.
  static std::unique_ptr<TestServer> Start(Backend backend, std::string* skip_reason,
                                           const std::map<std::string, std::string>& env = {});
  ~TestServer();

  int port() const { return port_; }
  const std::string& dir() const { return dir_; }
  const std::string& db_url() const { return db_url_; }
  // Runs `doudi <args> --config <this server's config>` to completion.
  CliResult Cli(const std::vector<std::string>& args) const;
  // Creates a user through the CLI and returns its initial password. For the administrator roles the CLI
  // prints the TOTP secret ("TOTP secret: XXXX"); it goes to *totp_secret when given ("" if none printed).
  std::string AddUser(const std::string& username, const std::string& role, const std::string& division,
                      std::string* totp_secret = nullptr);
  // Sends a signal to the server process and waits for it to exit; returns the exit status (waitpid form).
  int Signal(int sig);
  // Same, but waits at most `limit`; if the server has not exited by then it is killed with SIGKILL and
  // *timed_out is set.
  int Signal(int sig, std::chrono::milliseconds limit, bool* timed_out);
  // The server's output so far (stdout and stderr of every launch), for failure messages.
  std::string Log() const;
  const std::string& config_file() const { return config_; }
  // Starts the server process again on the same database (after Signal).
  bool Restart();
  bool running() const { return pid_ > 0; }

 private:
  TestServer() = default;
  bool Launch();
  std::string dir_, config_, db_url_, pg_schema_;
  std::map<std::string, std::string> env_;
  pid_t pid_ = -1;
  int port_ = 0;
};

struct HttpResult {
  int status = 0;
  std::string body;
  std::multimap<std::string, std::string> headers;
  nlohmann::json json() const;
  std::string error_code() const;  // error.code of an error body, "" otherwise
};

// A browser-like client: keeps the session cookie and sends the CSRF token on mutations.
class ApiClient {
 public:
  explicit ApiClient(int port) : port_(port) {}
  HttpResult Get(const std::string& path);
  HttpResult Post(const std::string& path, const nlohmann::json& body);
  HttpResult Put(const std::string& path, const nlohmann::json& body);
  HttpResult Delete(const std::string& path);
  HttpResult Raw(const std::string& method, const std::string& path, const std::string& body,
                 const std::string& content_type, bool send_csrf = true);

  // Logs in (password, then TOTP if asked for, using totp_secret to compute the code; then the forced
  // password change to new_password if asked for). Returns the final login/me response.
  HttpResult Login(const std::string& username, const std::string& password, const std::string& totp_secret = "",
                   const std::string& new_password = "");
  void set_csrf(std::string t) { csrf_ = std::move(t); }
  const std::string& csrf() const { return csrf_; }
  void clear_session() { cookie_.clear(); csrf_.clear(); }
  // The session cookie's value ("" when signed out); set_cookie replaces it (e.g. to try a forged one).
  const std::string& cookie() const { return cookie_; }
  void set_cookie(std::string c) { cookie_ = std::move(c); }
  // A header sent with every request from now on (e.g. X-Request-Id); an empty value removes it.
  void set_header(const std::string& name, const std::string& value);

 private:
  HttpResult Send(const std::string& method, const std::string& path, const std::string& body,
                  const std::string& content_type, bool send_csrf);
  int port_;
  std::string cookie_;
  std::string csrf_;
  std::map<std::string, std::string> extra_headers_;
};

// A password that satisfies the policy, different for each n.
std::string StrongPassword(int n);

}  // namespace doudi::testing
