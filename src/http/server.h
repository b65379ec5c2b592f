// The HTTP server: cpp-httplib tuned for keep-alive load, with doudi's middleware in front of the Router.
//
// Every /api/ request passes, in order: request id (X-Request-Id echoed if sane, else generated), body size
// limit (413 "http.too_large"), route match (404 "http.not_found", 405 with Allow), session from the
// doudi_session cookie (401 "auth.required" unless the route is public; public routes never look at it),
// forced password change (403 "auth.password_change_required" unless allow_pending), the X-CSRF-Token header
// on every request but GET/HEAD (403 "auth.csrf"), permission (403 "auth.forbidden"), the handler, error
// mapping (errors.h; internal errors are logged under the request id, never sent), and then the audit hook
// for every routed request but GET/HEAD. Other GET/HEAD paths are static files (static_files.h). Every
// response carries the request id and security headers (nosniff, DENY framing, no referrer, a strict CSP);
// API responses are also Cache-Control: no-store.
//
// The platform's services come in only through the hooks, so the server is testable alone and the app wires
// the real AuthService and AuditLog in.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/common.h>

#include "common/status.h"
#include "http/router.h"
#include "platform/audit.h"
#include "platform/principal.h"

namespace doudi::http {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 = any free port; Server::port() tells which
  // httplib serves each connection on its own pool thread for the connection's whole life, so this must exceed
  // the number of concurrent keep-alive connections, or new ones wait for an idle one to time out.
  size_t threads = 128;
  size_t keep_alive_max_count = 10000;  // requests per connection; httplib's default of 5 forces reconnects
  // How long an idle keep-alive connection is kept; Stop() may wait this long for idle connections to close.
  std::chrono::seconds keep_alive_timeout{5};
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds write_timeout{30};
  size_t payload_max = size_t{8} << 20;  // request bodies above this get 413 without being buffered
  bool tcp_nodelay = true;               // without it a small response waits ~40 ms for delayed ACKs
  bool access_log = true;                // one line per request (access_log.h); off for benchmarks
  std::vector<spdlog::sink_ptr> access_log_sinks;  // empty: the default logger's sinks
  bool secure_cookies = false;  // served over HTTPS (directly or behind a proxy): cookies get Secure
  // Take the client IP (for audit rows) from X-Real-IP / the last X-Forwarded-For hop. Only behind a reverse
  // proxy that sets them; otherwise clients could forge their address.
  bool trust_proxy = false;
  std::string static_dir;  // the built web client (web/dist); "" or missing = API only
};

struct ServerHooks {
  // Resolves a session token to its principal, or an Unauthenticated status (expired, revoked). Without it
  // every non-public route answers 401.
  std::function<Result<platform::Principal>(const std::string& token)> authenticate;
  // Whether the X-CSRF-Token value is right for this session. Without it, the header must equal
  // principal.csrf_token (compared in constant time; an empty token never matches).
  std::function<bool(const platform::Principal&, std::string_view csrf)> check_csrf;
  // Called after every routed API request other than GET/HEAD, before the response is sent, with outcome
  // "success" (2xx/3xx), "denied" (401/403) or "failure", the route's audit_action and the request id.
  std::function<void(const platform::AuditEvent&)> audit_mutation;
};

class Server {
 public:
  Server(ServerConfig config, Router router, ServerHooks hooks);
  ~Server();  // Stop()s
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and serves on a background thread; returns once the socket is listening (for tests and for
  // callers that do other work). Unavailable "http.bind" when the address cannot be bound.
  Status Start();
  // Binds and serves on the calling thread until Stop().
  Status Run();
  // Stops accepting connections and returns once in-flight requests have finished and their connections
  // closed (an idle keep-alive connection may hold this up to keep_alive_timeout). Safe from any thread
  // except a request handler, and more than once.
  void Stop();

  int port() const;  // the bound port (the real one when config.port was 0); 0 before Start/Run
  const ServerConfig& config() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace doudi::http
