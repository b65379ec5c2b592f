#include "harness.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include <httplib.h>

#include "db/db.h"
#include "totp_client.h"

namespace doudi::testing {
namespace fs = std::filesystem;

namespace {

std::string RandomSuffix() {
  std::random_device rd;
  std::mt19937_64 g(rd());
  std::string s;
  for (int i = 0; i < 10; ++i) s += "abcdefghijklmnopqrstuvwxyz0123456789"[g() % 36];
  return s;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// fork + exec with stdout/stderr to `log` (or a pipe when capture is set).
pid_t Spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
            const std::string& log, int* capture_fd) {
  int pipefd[2] = {-1, -1};
  if (capture_fd && pipe(pipefd) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    int fd = capture_fd ? pipefd[1] : open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    dup2(fd, 1);
    dup2(fd, 2);
    if (capture_fd) close(pipefd[0]);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  if (capture_fd) {
    close(pipefd[1]);
    *capture_fd = pipefd[0];
  }
  return pid;
}

}  // namespace

std::unique_ptr<TestServer> TestServer::Start(Backend backend, std::string* skip_reason,
                                              const std::map<std::string, std::string>& env) {
  std::unique_ptr<TestServer> s(new TestServer());
  s->env_ = env;
  s->dir_ = (fs::temp_directory_path() / ("doudi-api-" + RandomSuffix())).string();
  fs::create_directories(s->dir_);
  if (backend == Backend::kSqlite) {
    s->db_url_ = "sqlite:" + s->dir_ + "/doudi.db";
  } else {
    const char* pg = std::getenv("DOUDI_TEST_PG_URL");
    if (!pg || !*pg) {
      if (skip_reason) *skip_reason = "DOUDI_TEST_PG_URL is not set (make test starts PostgreSQL and sets it)";
      return nullptr;
    }
    s->pg_schema_ = "api_" + RandomSuffix();
    auto db = db::Database::Open(pg);
    if (!db.ok()) {
      if (skip_reason) *skip_reason = "cannot open PostgreSQL: " + db.status().ToString();
      return nullptr;
    }
    Status st = (*db)->Write([&](db::Conn& c) { return c.ExecScript("CREATE SCHEMA " + s->pg_schema_); });
    if (!st.ok()) {
      if (skip_reason) *skip_reason = st.ToString();
      return nullptr;
    }
    std::string url = pg;
    s->db_url_ = url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + s->pg_schema_;
  }
  s->config_ = s->dir_ + "/doudi.toml";
  std::ofstream(s->config_) << "[server]\nlisten = \"127.0.0.1:0\"\nweb_root = \"" << s->dir_ << "/web\"\n"
                            << "access_log = false\n[database]\nurl = \"" << s->db_url_ << "\"\n"
                            << "[security]\nkey_file = \"" << s->dir_ << "/doudi.key\"\npassword_cost = \"min\"\n";
  CliResult m = s->Cli({"migrate"});
  if (m.exit_code != 0) {
    if (skip_reason) *skip_reason = "migrate failed: " + m.out;
    return nullptr;
  }
  if (!s->Launch()) {
    if (skip_reason) *skip_reason = "server did not start: " + ReadFile(s->dir_ + "/server.log");
    return nullptr;
  }
  return s;
}

bool TestServer::Launch() {
  std::string port_file = dir_ + "/port";
  fs::remove(port_file);
  pid_ = Spawn({DOUDI_BINARY, "serve", "--config", config_, "--port-file", port_file}, env_, dir_ + "/server.log",
               nullptr);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string p = ReadFile(port_file);
    if (!p.empty() && p.back() == '\n') {
      port_ = std::atoi(p.c_str());
      return port_ > 0;
    }
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

TestServer::~TestServer() {
  if (pid_ > 0) Signal(SIGKILL);
  if (!pg_schema_.empty()) {
    if (auto db = db::Database::Open(std::getenv("DOUDI_TEST_PG_URL")); db.ok()) {
      (void)(*db)->Write([&](db::Conn& c) { return c.ExecScript("DROP SCHEMA " + pg_schema_ + " CASCADE"); });
    }
  }
  std::error_code ec;
  if (!std::getenv("DOUDI_KEEP_TEST_DIRS")) fs::remove_all(dir_, ec);
}

CliResult TestServer::Cli(const std::vector<std::string>& args) const {
  std::vector<std::string> full = {DOUDI_BINARY};
  full.insert(full.end(), args.begin(), args.end());
  full.push_back("--config");
  full.push_back(config_);
  int fd = -1;
  pid_t pid = Spawn(full, env_, "", &fd);
  CliResult r;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) r.out.append(buf, static_cast<size_t>(n));
  close(fd);
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

std::string TestServer::AddUser(const std::string& username, const std::string& role, const std::string& division,
                                std::string* totp_secret) {
  std::string password = StrongPassword(static_cast<int>(std::hash<std::string>{}(username) % 1000));
  CliResult r = Cli({"user", "add", "--username", username, "--role", role, "--division", division, "--password",
                     password, "--name", username});
  if (r.exit_code != 0) throw std::runtime_error("user add failed: " + r.out);
  if (totp_secret) {
    totp_secret->clear();
    static constexpr std::string_view kLabel = "TOTP secret:";
    if (auto at = r.out.find(kLabel); at != std::string::npos) {
      size_t b = r.out.find_first_not_of(' ', at + kLabel.size());
      size_t e = r.out.find_first_of(" \r\n", b);
      if (b != std::string::npos) *totp_secret = r.out.substr(b, e == std::string::npos ? std::string::npos : e - b);
    }
  }
  return password;
}

int TestServer::Signal(int sig) {
  if (pid_ <= 0) return -1;
  kill(pid_, sig);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

int TestServer::Signal(int sig, std::chrono::milliseconds limit, bool* timed_out) {
  if (timed_out) *timed_out = false;
  if (pid_ <= 0) return -1;
  kill(pid_, sig);
  auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() >= deadline) {
      if (timed_out) *timed_out = true;
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
  return status;
}

std::string TestServer::Log() const { return ReadFile(dir_ + "/server.log"); }

bool TestServer::Restart() { return Launch(); }

nlohmann::json HttpResult::json() const {
  auto j = nlohmann::json::parse(body, nullptr, false);
  return j;
}

std::string HttpResult::error_code() const {
  auto j = json();
  if (j.is_object() && j.contains("error") && j["error"].contains("code")) return j["error"]["code"];
  return "";
}

void ApiClient::set_header(const std::string& name, const std::string& value) {
  if (value.empty()) extra_headers_.erase(name);
  else extra_headers_[name] = value;
}

HttpResult ApiClient::Get(const std::string& path) { return Send("GET", path, "", "", false); }
HttpResult ApiClient::Post(const std::string& path, const nlohmann::json& body) {
  return Send("POST", path, body.dump(), "application/json", true);
}
HttpResult ApiClient::Put(const std::string& path, const nlohmann::json& body) {
  return Send("PUT", path, body.dump(), "application/json", true);
}
HttpResult ApiClient::Delete(const std::string& path) { return Send("DELETE", path, "", "", true); }
HttpResult ApiClient::Raw(const std::string& method, const std::string& path, const std::string& body,
                          const std::string& content_type, bool send_csrf) {
  return Send(method, path, body, content_type, send_csrf);
}

HttpResult ApiClient::Send(const std::string& method, const std::string& path, const std::string& body,
                           const std::string& content_type, bool send_csrf) {
  httplib::Client cli("127.0.0.1", port_);
  cli.set_read_timeout(60, 0);
  httplib::Headers headers;
  if (!cookie_.empty()) headers.emplace("Cookie", "doudi_session=" + cookie_);
  if (send_csrf && !csrf_.empty()) headers.emplace("X-CSRF-Token", csrf_);
  for (const auto& [k, v] : extra_headers_) headers.emplace(k, v);
  auto send = [&]() -> httplib::Result {
    if (method == "POST") return cli.Post(path, headers, body, content_type);
    if (method == "PUT") return cli.Put(path, headers, body, content_type);
    if (method == "DELETE") return cli.Delete(path, headers, body, content_type);
    return cli.Get(path, headers);
  };
  httplib::Result res = send();
  HttpResult out;
  if (!res) return out;
  out.status = res->status;
  out.body = res->body;
  for (const auto& [k, v] : res->headers) {
    std::string lk = k;
    for (auto& ch : lk) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    out.headers.emplace(lk, v);
    if (lk == "set-cookie" && v.starts_with("doudi_session=")) {
      auto end = v.find(';');
      cookie_ = v.substr(14, end == std::string::npos ? std::string::npos : end - 14);
    }
  }
  auto j = out.json();
  if (j.is_object() && j.contains("csrf_token") && j["csrf_token"].is_string()) csrf_ = j["csrf_token"];
  return out;
}

HttpResult ApiClient::Login(const std::string& username, const std::string& password, const std::string& totp_secret,
                            const std::string& new_password) {
  nlohmann::json body = {{"username", username}, {"password", password}};
  // A code is accepted once: TotpFresh waits for the next time step if this process already used this one.
  if (!totp_secret.empty()) body["totp_code"] = TotpFresh(totp_secret);
  HttpResult r = Post("/api/v1/auth/login", body);
  if (r.status != 200) return r;
  auto j = r.json();
  if (!new_password.empty() && j.value("/user/must_change_password"_json_pointer, false)) {
    HttpResult c = Post("/api/v1/auth/password", {{"old_password", password}, {"new_password", new_password}});
    if (c.status != 200) return c;
    return Get("/api/v1/auth/me");
  }
  return r;
}

std::string StrongPassword(int n) { return "Jingzhou#" + std::to_string(1000 + n) + "Aa"; }

}  // namespace doudi::testing
