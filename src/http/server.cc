#include "http/server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <openssl/crypto.h>
#include <spdlog/spdlog.h>
#include <strings.h>
#include <sys/socket.h>

#include <atomic>
#include <cctype>
#include <exception>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "http/access_log.h"
#include "http/cookie.h"
#include "http/errors.h"
#include "http/listen_backlog.h"
#include "http/static_files.h"

namespace doudi::http {

namespace {

constexpr char kJson[] = "application/json; charset=utf-8";
constexpr char kRequestIdHeader[] = "X-Request-Id";

// Element Plus sets inline styles; nothing else needs an exception.
constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

// Per-request state for the access log. httplib serves a connection's requests one after another on one pool
// thread, from the pre-routing hook to the logger, so a thread_local is per request.
struct RequestContext {
  std::chrono::steady_clock::time_point start;
  bool started = false;
  std::string user;
};
thread_local RequestContext tls_request;

bool IsApiPath(const std::string& path) { return path == "/api" || path.starts_with("/api/"); }

bool IsSafeMethod(const std::string& method) { return method == "GET" || method == "HEAD"; }

// A caller's id is echoed only if it cannot break a header or a log line.
bool SaneRequestId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.' && c != ':') return false;
  }
  return true;
}

std::string NewRequestId() {
  thread_local std::mt19937_64 rng(std::random_device{}());
  return fmt::format("{:016x}", rng());
}

// The request id of this exchange: set on the response by the first hook that sees it.
std::string EnsureRequestId(const httplib::Request& req, httplib::Response& res) {
  if (res.has_header(kRequestIdHeader)) return res.get_header_value(kRequestIdHeader);
  std::string id = req.get_header_value(kRequestIdHeader);
  if (!SaneRequestId(id)) id = NewRequestId();
  res.set_header(kRequestIdHeader, id);
  return id;
}

std::string HumanSize(size_t bytes) {
  if (bytes >= (size_t{1} << 20) && bytes % (size_t{1} << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
  if (bytes >= 1024 && bytes % 1024 == 0) return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} 字节", bytes);
}

// The Status for an error response without a body: one httplib produced itself before any handler ran
// (413, 400, 414, 416), or a handler's bare Response{status}.
Status StatusForHttpError(int http_status, size_t payload_max) {
  switch (http_status) {
    case 413:
      return Status(Code::kTooLarge, "http.too_large", "请求体过大，上限为 " + HumanSize(payload_max));
    case 401: return Status::Unauthenticated("auth.required", "请先登录");
    case 403: return Status::Forbidden("auth.forbidden", "您没有执行此操作的权限");
    case 404: return Status::NotFound("http.not_found", "请求的资源不存在");
    case 405: return Status::Invalid("http.method_not_allowed", "不支持该请求方法");
    case 409: return Status::Conflict("http.conflict", "数据已被修改，请刷新后重试");
    case 503: return Status::Unavailable("http.unavailable", "服务暂时不可用，请稍后重试");
    case 414: return Status::Invalid("http.uri_too_long", "请求地址过长");
    case 416: return Status::Invalid("http.bad_range", "无法满足的 Range 请求");
    case 500: return Status::Internal("httplib error");
    default: return Status::Invalid("http.bad_request", "请求格式错误");
  }
}

void SetHeader(httplib::Response& res, const std::string& name, const std::string& value) {
  res.headers.erase(name);
  res.set_header(name.c_str(), value);  // httplib refuses values with CR/LF
}

void SendError(httplib::Response& res, int http_status, const Status& status, const std::string& request_id) {
  res.status = http_status;
  res.set_content(ErrorBody(status, request_id), kJson);
}

std::string Outcome(int http_status) {
  if (http_status < 400) return "success";
  if (http_status == 401 || http_status == 403) return "denied";
  return "failure";
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerConfig config, Router router, ServerHooks hooks)
      : config_(std::move(config)), router_(std::move(router)), hooks_(std::move(hooks)) {
    if (!config_.static_dir.empty()) static_files_ = std::make_unique<StaticFiles>(config_.static_dir);
    if (config_.access_log) access_log_ = std::make_unique<AccessLog>(config_.access_log_sinks);
    Configure();
  }

  Status Start();
  Status Run();
  void Stop();
  int port() const { return port_; }
  const ServerConfig& config() const { return config_; }

 private:
  void Configure();
  Status Bind();
  void Listen();
  void Handle(const httplib::Request& hreq, httplib::Response& hres);
  void HandleApi(const httplib::Request& hreq, httplib::Response& hres, const std::string& request_id);
  void HandleStatic(const httplib::Request& hreq, httplib::Response& hres, const std::string& request_id);
  // Session, pending state, CSRF, permission, then the handler.
  Result<Response> RunRoute(const Router::Route& route, Request& req, std::optional<platform::Principal>& principal,
                            bool& clear_cookie);
  void Audit(const Router::Route& route, const Request& req, const platform::Principal* principal, int http_status,
             const Status& error);
  std::string ClientIp(const httplib::Request& hreq) const;
  void LogAccess(const httplib::Request& req, const httplib::Response& res);

  ServerConfig config_;
  Router router_;
  ServerHooks hooks_;
  std::unique_ptr<StaticFiles> static_files_;
  std::unique_ptr<AccessLog> access_log_;
  httplib::Server svr_;

  std::atomic<int> port_{0};
  std::atomic<bool> bound_{false}, stop_requested_{false}, listen_done_{false};
  std::thread thread_;  // Start()'s serving thread
  std::mutex stop_mu_;
};

void Server::Impl::Configure() {
  const size_t threads = std::max<size_t>(config_.threads, 1);
  svr_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr_.set_tcp_nodelay(config_.tcp_nodelay);
  svr_.set_keep_alive_max_count(std::max<size_t>(config_.keep_alive_max_count, 1));
  svr_.set_keep_alive_timeout(config_.keep_alive_timeout.count());
  svr_.set_read_timeout(config_.read_timeout.count());
  svr_.set_write_timeout(config_.write_timeout.count());
  svr_.set_payload_max_length(config_.payload_max);
  // httplib's default sets SO_REUSEPORT, which lets a second doudi bind the same port and silently share its
  // traffic; SO_REUSEADDR alone still allows a quick restart.
  svr_.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  svr_.set_default_headers({
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Content-Security-Policy", kContentSecurityPolicy},
  });

  svr_.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    tls_request = RequestContext{std::chrono::steady_clock::now(), true, {}};
    EnsureRequestId(req, res);
    // httplib cuts whatever body we set to a Range header's bytes, even under an explicit 200; nothing here
    // serves partial content, so drop the ranges. The Request is httplib's own mutable local.
    const_cast<httplib::Request&>(req).ranges.clear();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); };
  svr_.Get(".*", handler);  // GET and HEAD
  svr_.Options(".*", handler);
  svr_.Post(".*", handler);
  svr_.Put(".*", handler);
  svr_.Patch(".*", handler);
  svr_.Delete(".*", handler);

  // Errors httplib answers itself (oversized body, malformed request) arrive here with an empty body; ours
  // already have one and pass through.
  svr_.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty() || res.content_provider_) return httplib::Server::HandlerResponse::Unhandled;
        std::string id = EnsureRequestId(req, res);
        res.set_content(ErrorBody(StatusForHttpError(res.status, config_.payload_max), id), kJson);
        if (IsApiPath(req.path)) SetHeader(res, "Cache-Control", "no-store");
        return httplib::Server::HandlerResponse::Handled;
      }));
  svr_.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string id = EnsureRequestId(req, res);
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    spdlog::error("request {} {} {}: exception outside a handler: {}", id, req.method, req.path, what);
    res.headers.erase("Content-Type");
    SendError(res, 500, Status::Internal(what), id);
  });
  svr_.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    if (access_log_) LogAccess(req, res);
    tls_request = RequestContext{};
  });
}

void Server::Impl::LogAccess(const httplib::Request& req, const httplib::Response& res) {
  double ms = -1;
  if (tls_request.started) {
    ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - tls_request.start).count();
  }
  std::string keys;
  for (auto it = req.params.begin(); it != req.params.end(); it = req.params.upper_bound(it->first)) {
    keys += (keys.empty() ? "" : "&") + it->first;
  }
  access_log_->Log(req.method, req.path, keys, res.status, ms, res.get_header_value(kRequestIdHeader),
                   tls_request.user);
}

std::string Server::Impl::ClientIp(const httplib::Request& hreq) const {
  if (config_.trust_proxy) {
    std::string real = hreq.get_header_value("X-Real-IP");
    if (!real.empty()) return real;
    std::string forwarded = hreq.get_header_value("X-Forwarded-For");
    if (!forwarded.empty()) {
      // The last hop is the one our proxy added; earlier ones are whatever the client claimed.
      size_t comma = forwarded.rfind(',');
      std::string last = comma == std::string::npos ? forwarded : forwarded.substr(comma + 1);
      size_t b = last.find_first_not_of(' '), e = last.find_last_not_of(' ');
      if (b != std::string::npos) return last.substr(b, e - b + 1);
    }
  }
  return hreq.remote_addr;
}

void Server::Impl::Handle(const httplib::Request& hreq, httplib::Response& hres) {
  std::string request_id = EnsureRequestId(hreq, hres);
  if (IsApiPath(hreq.path)) {
    HandleApi(hreq, hres, request_id);
  } else {
    HandleStatic(hreq, hres, request_id);
  }
}

void Server::Impl::HandleApi(const httplib::Request& hreq, httplib::Response& hres, const std::string& request_id) {
  SetHeader(hres, "Cache-Control", "no-store");
  Request req;
  req.method = hreq.method;
  req.path = hreq.path;
  req.body = hreq.body;
  req.ip = ClientIp(hreq);
  req.request_id = request_id;
  for (const auto& [name, value] : hreq.headers) {
    std::string lower = name;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers.emplace(std::move(lower), value);
  }
  req.query.insert(hreq.params.begin(), hreq.params.end());

  std::vector<std::string> allowed;
  const Router::Route* route =
      router_.Match(req.method == "HEAD" ? "GET" : req.method, req.path, &req.path_params, &allowed);
  if (!route) {
    if (allowed.empty()) {
      SendError(hres, 404, Status::NotFound("http.not_found", "请求的接口不存在"), request_id);
    } else {
      SetHeader(hres, "Allow", Join(allowed, ", "));
      SendError(hres, 405, Status::Invalid("http.method_not_allowed", "该接口不支持 " + req.method + " 请求"),
                request_id);
    }
    return;
  }

  std::optional<platform::Principal> principal;
  bool clear_cookie = false;
  Result<Response> result = Status::Internal("handler did not run");
  try {
    result = RunRoute(*route, req, principal, clear_cookie);
  } catch (const std::exception& e) {
    result = Status::Internal(std::string("exception: ") + e.what());
  } catch (...) {
    result = Status::Internal("unknown exception");
  }

  int http_status;
  Status error;
  if (result.ok()) {
    Response& r = result.value();
    http_status = r.status;
    hres.status = r.status;
    for (const auto& [name, value] : r.headers) {
      if (strcasecmp(name.c_str(), "Set-Cookie") == 0) {  // several may be set; others replace ours
        hres.set_header(name.c_str(), value);
      } else {
        SetHeader(hres, name, value);
      }
    }
    if (!r.body.empty() || (r.status != 204 && r.status != 304)) hres.set_content(r.body, r.content_type.c_str());
  } else {
    error = result.status();
    http_status = HttpStatus(error.code());
    if (error.code() == Code::kInternal) {
      spdlog::error("request {} {} {} failed: {}", request_id, req.method, req.path, error.ToString());
    }
    SendError(hres, http_status, error, request_id);
  }
  if (clear_cookie) {
    Response cleared;
    ClearSessionCookie(cleared, config_.secure_cookies);
    for (const auto& [name, value] : cleared.headers) hres.set_header(name.c_str(), value);
  }
  if (!IsSafeMethod(req.method)) Audit(*route, req, principal ? &*principal : nullptr, http_status, error);
}

Result<Response> Server::Impl::RunRoute(const Router::Route& route, Request& req,
                                        std::optional<platform::Principal>& principal, bool& clear_cookie) {
  const RouteOptions& options = route.options;
  if (!options.is_public) {
    std::string token = CookieValue(req.headers, kSessionCookieName);
    if (token.empty() || !hooks_.authenticate) return Status::Unauthenticated("auth.required", "请先登录");
    Result<platform::Principal> authenticated = hooks_.authenticate(token);
    if (!authenticated.ok()) {
      // A dead token makes the browser forget it, so the next page load goes straight to the login form.
      clear_cookie = authenticated.status().code() == Code::kUnauthenticated;
      return authenticated.status();
    }
    principal = std::move(authenticated).value();
    req.principal = &*principal;
    tls_request.user = principal->username;
    if (principal->must_change_password && !options.allow_pending) {
      return Status::Forbidden("auth.password_change_required", "请先修改初始密码，再进行其他操作");
    }
    if (!IsSafeMethod(req.method)) {
      auto it = req.headers.find("x-csrf-token");
      std::string csrf = it == req.headers.end() ? "" : it->second;
      bool ok = hooks_.check_csrf
                    ? hooks_.check_csrf(*principal, csrf)
                    : !csrf.empty() && csrf.size() == principal->csrf_token.size() &&
                          CRYPTO_memcmp(csrf.data(), principal->csrf_token.data(), csrf.size()) == 0;
      if (!ok) return Status::Forbidden("auth.csrf", "安全校验失败，请刷新页面后重试");
    }
    if (!options.permission.empty() && !principal->Can(options.permission)) {
      return Status::Forbidden("auth.forbidden", "您没有执行此操作的权限");
    }
  }
  return route.handler(req);
}

void Server::Impl::Audit(const Router::Route& route, const Request& req, const platform::Principal* principal,
                         int http_status, const Status& error) {
  if (!hooks_.audit_mutation) return;
  platform::AuditEvent event;
  event.outcome = Outcome(http_status);
  if (event.outcome == "success" && req.audited) return;
  if (principal) {
    event.user_id = principal->user_id;
    event.username = principal->username;
    event.role = principal->role;
  }
  event.ip = req.ip;
  event.action = route.options.audit_action;
  event.object_type = req.audit_object_type;
  event.object_id = req.audit_object_id;
  event.detail = req.audit_detail;
  if (event.detail.empty() && !error.ok()) event.detail = error.error_code();
  if (event.detail.empty() && event.outcome != "success") event.detail = "HTTP " + std::to_string(http_status);
  event.request_id = req.request_id;
  try {
    hooks_.audit_mutation(event);
  } catch (const std::exception& e) {
    spdlog::error("request {}: audit hook failed: {}", req.request_id, e.what());
  }
}

void Server::Impl::HandleStatic(const httplib::Request& hreq, httplib::Response& hres,
                                const std::string& request_id) {
  if (!IsSafeMethod(hreq.method)) {
    SetHeader(hres, "Allow", "GET, HEAD");
    SendError(hres, 405, Status::Invalid("http.method_not_allowed", "该地址只支持 GET 请求"), request_id);
    return;
  }
  if (!static_files_) {
    SendError(hres, 404, Status::NotFound("http.not_found", "请求的资源不存在"), request_id);
    return;
  }
  auto file = static_files_->Get(hreq.path, hreq.get_header_value("Accept-Encoding"),
                                 hreq.get_header_value("If-None-Match"));
  if (!file.ok()) {
    SetHeader(hres, "Cache-Control", "no-cache");
    SendError(hres, HttpStatus(file.status().code()), file.status(), request_id);
    return;
  }
  hres.status = file->status;
  SetHeader(hres, "Cache-Control", file->cache_control);
  SetHeader(hres, "ETag", file->etag);
  if (file->vary_accept_encoding) SetHeader(hres, "Vary", "Accept-Encoding");
  if (!file->content_encoding.empty()) SetHeader(hres, "Content-Encoding", file->content_encoding);
  if (file->status == 304) return;
  SetHeader(hres, "Content-Type", file->content_type);
  if (file->body->empty()) {
    hres.set_content("", file->content_type.c_str());
    return;
  }
  // A content provider with a length is sent as is; a plain body would be compressed again by httplib.
  auto body = file->body;
  hres.set_content_provider(body->size(), file->content_type.c_str(),
                            [body](size_t offset, size_t length, httplib::DataSink& sink) {
                              return sink.write(body->data() + offset, length);
                            });
}

Status Server::Impl::Bind() {
  if (bound_) return Status::Invalid("http.already_started", "服务已经启动");
  int port = -1;
  if (config_.port == 0) {
    port = svr_.bind_to_any_port(config_.host);
  } else if (svr_.bind_to_port(config_.host, config_.port)) {
    port = config_.port;
  }
  if (port <= 0) {
    return Status::Unavailable("http.bind", fmt::format("无法监听 {}:{}（地址无效或端口已被占用）", config_.host,
                                                        config_.port));
  }
  port_ = port;
  bound_ = true;
  if (!RaiseListenBacklog(port)) spdlog::warn("could not raise the listen backlog of port {} (stays at 5)", port);
  return Status::Ok();
}

void Server::Impl::Listen() {
  // Stop() may have come between Bind and here; it then waits for listen_done_ instead of is_running().
  if (!stop_requested_ && !svr_.listen_after_bind()) spdlog::error("http server on port {} stopped with an error", port());
  listen_done_ = true;
}

Status Server::Impl::Start() {
  DOUDI_RETURN_IF_ERROR(Bind());
  thread_ = std::thread([this] { Listen(); });
  while (!svr_.is_running() && !listen_done_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  spdlog::info("http server listening on {}:{}", config_.host, port());
  return Status::Ok();
}

Status Server::Impl::Run() {
  DOUDI_RETURN_IF_ERROR(Bind());
  spdlog::info("http server listening on {}:{}", config_.host, port());
  Listen();
  return Status::Ok();
}

void Server::Impl::Stop() {
  std::lock_guard lock(stop_mu_);
  stop_requested_ = true;
  if (!bound_) return;
  // httplib's stop() does nothing until its accept loop runs; wait for that (or for Listen to give up).
  while (!svr_.is_running() && !listen_done_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  svr_.stop();
  // listen_after_bind returns after its thread pool has joined, i.e. after in-flight requests finished.
  if (thread_.joinable()) thread_.join();
  while (!listen_done_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

Server::Server(ServerConfig config, Router router, ServerHooks hooks)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(router), std::move(hooks))) {}
Server::~Server() { impl_->Stop(); }
Status Server::Start() { return impl_->Start(); }
Status Server::Run() { return impl_->Run(); }
void Server::Stop() { impl_->Stop(); }
int Server::port() const { return impl_->port(); }
const ServerConfig& Server::config() const { return impl_->config(); }

}  // namespace doudi::http
