#include "http/server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "http/cookie.h"
#include "http/signals.h"
#include "http/test_util.h"

namespace doudi::http {
namespace {

using nlohmann::json;
using testing::RawConnection;
using testing::RawResponse;

constexpr size_t kPayloadMax = 64 * 1024;

platform::Principal MakePrincipal(int64_t id, std::string name, std::unordered_set<std::string> perms,
                                  bool pending = false) {
  platform::Principal p;
  p.user_id = id;
  p.username = name;
  p.role = "caseworker";
  p.permissions = std::move(perms);
  p.must_change_password = pending;
  p.csrf_token = "csrf-" + name;
  return p;
}

// RouteOptions field by field (GCC 12 warns about designated initializers that leave fields out).
RouteOptions Options(std::string permission, bool is_public = false, bool allow_pending = false,
                     std::string audit_action = "") {
  RouteOptions o;
  o.permission = std::move(permission);
  o.is_public = is_public;
  o.allow_pending = allow_pending;
  o.audit_action = std::move(audit_action);
  return o;
}

// A gate a handler waits at until the test opens it.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false, open = false;
  void Enter() {
    std::unique_lock lock(mu);
    entered = true;
    cv.notify_all();
    cv.wait(lock, [&] { return open; });
  }
  bool WaitEntered() {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(10), [&] { return entered; });
  }
  void Open() {
    std::lock_guard lock(mu);
    open = true;
    cv.notify_all();
  }
};

class ServerTest : public ::testing::Test {
 protected:
  static ServerConfig TestConfig() {
    ServerConfig config;
    config.host = "127.0.0.1";
    config.port = 0;
    config.threads = 8;
    config.payload_max = kPayloadMax;
    config.access_log = false;
    return config;
  }

  Router TestRoutes() {
    Router r;
    r.Get("/api/v1/things/{id}", {}, [](Request& req) -> Result<Response> {
      return Response::Json({{"id", req.Param("id")}, {"q", req.Query("q").value_or("")}});
    });
    r.Get("/api/v1/things/special", {}, [](Request&) -> Result<Response> { return Response::Json({{"special", true}}); });
    r.Post("/api/v1/things", Options("", false, false, "things.create"), [](Request& req) -> Result<Response> {
      DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
      req.audit_object_type = "thing";
      req.audit_object_id = "42";
      return Response::Json({{"echo", body}, {"bytes", req.body.size()}}, 201);
    });
    r.Delete("/api/v1/things/{id}", Options("things.delete"),
             [](Request&) -> Result<Response> { return Response::NoContent(); });
    r.Get("/api/v1/whoami", {}, [](Request& req) -> Result<Response> {
      return Response::Json({{"user", req.principal->username}, {"request_id", req.request_id}, {"ip", req.ip}});
    });
    r.Get("/api/v1/public", Options("", true), [](Request& req) -> Result<Response> {
      return Response::Json({{"anonymous", req.principal == nullptr}});
    });
    r.Post("/api/v1/login", Options("", true, false, "auth.login"), [](Request&) -> Result<Response> {
      Response resp = Response::Json({{"ok", true}});
      DOUDI_RETURN_IF_ERROR(SetSessionCookie(resp, "alice-token", false));
      return resp;
    });
    r.Post("/api/v1/password", Options("", false, true), [](Request&) -> Result<Response> {
      return Response::Json({{"changed", true}});
    });
    r.Post("/api/v1/conflict", {}, [](Request&) -> Result<Response> {
      return Status::Conflict("things.version", "数据已被他人修改，请刷新后重试");
    });
    r.Post("/api/v1/self-audited", {}, [](Request& req) -> Result<Response> {
      req.audited = true;
      return Response::Json({});
    });
    r.Get("/api/v1/invalid", {}, [](Request&) -> Result<Response> {
      return Status::InvalidField("name", "things.name.empty", "名称不能为空");
    });
    r.Get("/api/v1/boom", {}, [](Request&) -> Result<Response> {
      return Status::Internal("sqlite: no such column secret_column in SELECT password_hash FROM users");
    });
    r.Get("/api/v1/throw", {}, [](Request&) -> Result<Response> {
      throw std::runtime_error("pq: SELECT password_hash FROM users");
    });
    r.Get("/api/v1/bare-conflict", {}, [](Request&) -> Result<Response> { return Response{409, "", "text/plain", {}}; });
    r.Get("/api/v1/page", {}, [](Request& req) -> Result<Response> {
      DOUDI_ASSIGN_OR_RETURN(auto page, req.Page());
      return Response::Json({{"page", page.first}, {"size", page.second}});
    });
    r.Get("/api/v1/slow", {}, [this](Request&) -> Result<Response> {
      gate_.Enter();
      return Response::Json({{"slow", true}});
    });
    return r;
  }

  ServerHooks TestHooks() {
    ServerHooks hooks;
    hooks.authenticate = [](const std::string& token) -> Result<platform::Principal> {
      if (token == "alice-token") return MakePrincipal(1, "alice", {"things.read"});
      if (token == "bob-token") return MakePrincipal(2, "bob", {"things.read", "things.delete"});
      if (token == "pending-token") return MakePrincipal(3, "carol", {"things.read"}, true);
      if (token == "db-down") return Status::Unavailable("db.unavailable", "数据库暂时不可用");
      return Status::Unauthenticated("auth.session_expired", "登录已过期，请重新登录");
    };
    hooks.audit_mutation = [this](const platform::AuditEvent& e) {
      std::lock_guard lock(audit_mu_);
      audits_.push_back(e);
    };
    return hooks;
  }

  void StartServer(ServerConfig config) {
    server_ = std::make_unique<Server>(std::move(config), TestRoutes(), TestHooks());
    ASSERT_TRUE(server_->Start().ok());
    ASSERT_GT(server_->port(), 0);
  }
  void SetUp() override { StartServer(TestConfig()); }

  httplib::Client Client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_tcp_nodelay(true);
    return c;
  }
  static httplib::Headers Session(const std::string& token, const std::string& csrf = "") {
    httplib::Headers h{{"Cookie", "theme=x; doudi_session=" + token}};
    if (!csrf.empty()) h.emplace("X-CSRF-Token", csrf);
    return h;
  }
  static std::string ErrorCode(const httplib::Result& r) {
    auto j = json::parse(r->body, nullptr, false);
    return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "<not an error body>";
  }
  std::vector<platform::AuditEvent> Audits() {
    std::lock_guard lock(audit_mu_);
    return audits_;
  }

  Gate gate_;
  std::mutex audit_mu_;
  std::vector<platform::AuditEvent> audits_;
  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, RoutesWithParametersQueryAndLiteralSegments) {
  auto c = Client();
  auto r = c.Get("/api/v1/things/7?q=%E5%BC%A0%E4%B8%89", Session("alice-token"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body), json({{"id", "7"}, {"q", "张三"}}));
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_EQ(r->get_header_value("Referrer-Policy"), "no-referrer");
  r = c.Get("/api/v1/things/special", Session("alice-token"));
  EXPECT_EQ(json::parse(r->body), json({{"special", true}}));
  // HEAD runs the GET route and sends no body.
  r = c.Head("/api/v1/things/special", Session("alice-token"));
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "");
}

TEST_F(ServerTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  auto c = Client();
  auto r = c.Get("/api/v1/nothing", Session("alice-token"));
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(ErrorCode(r), "http.not_found");
  r = c.Put("/api/v1/things", Session("alice-token"), "{}", "application/json");
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(ErrorCode(r), "http.method_not_allowed");
  EXPECT_EQ(r->get_header_value("Allow"), "POST");
  r = c.Patch("/api/v1/things/3", Session("alice-token"), "{}", "application/json");
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->get_header_value("Allow"), "DELETE, GET, HEAD");
  // Route match comes before the session check: no cookie still gets 404/405, not 401.
  EXPECT_EQ(c.Get("/api/v1/nothing")->status, 404);
}

TEST_F(ServerTest, BadJsonIs400WithItsCode) {
  auto c = Client();
  auto h = Session("alice-token", "csrf-alice");
  auto r = c.Post("/api/v1/things", h, "{\"a\": ", "application/json");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(ErrorCode(r), "http.bad_json");
  EXPECT_TRUE(json::parse(r->body)["error"]["message"].get<std::string>().starts_with("请求体不是有效的 JSON："));
  r = c.Post("/api/v1/things", h, "[1,2]", "application/json");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(ErrorCode(r), "http.bad_type");
  r = c.Get("/api/v1/invalid", Session("alice-token"));
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(json::parse(r->body)["error"]["details"],
            json::parse(R"([{"field":"name","code":"things.name.empty","message":"名称不能为空"}])"));
}

TEST_F(ServerTest, BodyOverTheLimitIs413AndTheConnectionStaysUsable) {
  auto c = Client();
  c.set_keep_alive(true);
  auto h = Session("alice-token", "csrf-alice");
  // {"s":"xxx...x"} of exactly kPayloadMax bytes is accepted; one byte more is not.
  std::string at_limit = "{\"s\":\"" + std::string(kPayloadMax - 8, 'x') + "\"}";
  ASSERT_EQ(at_limit.size(), kPayloadMax);
  auto r = c.Post("/api/v1/things", h, at_limit, "application/json");
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(json::parse(r->body)["bytes"], kPayloadMax);
  std::string over = "{\"s\":\"" + std::string(kPayloadMax - 7, 'x') + "\"}";
  r = c.Post("/api/v1/things", h, over, "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(ErrorCode(r), "http.too_large");
  EXPECT_EQ(json::parse(r->body)["error"]["message"], "请求体过大，上限为 64 KiB");
  EXPECT_EQ(json::parse(r->body)["request_id"], r->get_header_value("X-Request-Id"));
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
  // The oversized body was drained, not taken for the next request.
  r = c.Get("/api/v1/things/1", Session("alice-token"));
  EXPECT_EQ(r->status, 200);
  // The default limit is the 8 MiB the deployment guide promises.
  EXPECT_EQ(ServerConfig().payload_max, 8u * 1024 * 1024);
}

TEST_F(ServerTest, MissingOrDeadSessionIs401) {
  auto c = Client();
  auto r = c.Get("/api/v1/things/1");
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(ErrorCode(r), "auth.required");
  EXPECT_FALSE(r->has_header("Set-Cookie"));
  r = c.Get("/api/v1/things/1", Session("expired-token"));
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(ErrorCode(r), "auth.session_expired");
  // The browser is told to drop the dead cookie.
  EXPECT_EQ(r->get_header_value("Set-Cookie"), "doudi_session=; Max-Age=0; HttpOnly; SameSite=Strict; Path=/");
  // A session store that is down is a 503, and the cookie is kept for when it is back.
  r = c.Get("/api/v1/things/1", Session("db-down"));
  EXPECT_EQ(r->status, 503);
  EXPECT_FALSE(r->has_header("Set-Cookie"));
  // Public routes need no session and never see one.
  r = c.Get("/api/v1/public", Session("alice-token"));
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["anonymous"], true);
  r = c.Get("/api/v1/whoami", Session("alice-token"));
  EXPECT_EQ(json::parse(r->body)["user"], "alice");
  EXPECT_EQ(json::parse(r->body)["ip"], "127.0.0.1");
}

TEST_F(ServerTest, MutationsNeedTheSessionsCsrfToken) {
  auto c = Client();
  auto r = c.Post("/api/v1/things", Session("alice-token"), "{}", "application/json");
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(ErrorCode(r), "auth.csrf");
  r = c.Post("/api/v1/things", Session("alice-token", "csrf-bob"), "{}", "application/json");
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(ErrorCode(r), "auth.csrf");
  r = c.Post("/api/v1/things", Session("alice-token", "csrf-alice"), "{\"n\":1}", "application/json");
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(json::parse(r->body)["echo"], json({{"n", 1}}));
  // Public mutations (login) have no session, so no token to check.
  r = c.Post("/api/v1/login", "{}", "application/json");
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Set-Cookie"), "doudi_session=alice-token; HttpOnly; SameSite=Strict; Path=/");
}

TEST_F(ServerTest, CsrfHookDecidesWhenSet) {
  server_.reset();
  ServerHooks hooks = TestHooks();
  hooks.check_csrf = [](const platform::Principal& p, std::string_view csrf) { return csrf == "hook-" + p.username; };
  server_ = std::make_unique<Server>(TestConfig(), TestRoutes(), hooks);
  ASSERT_TRUE(server_->Start().ok());
  auto c = Client();
  EXPECT_EQ(c.Post("/api/v1/things", Session("alice-token", "csrf-alice"), "{}", "application/json")->status, 403);
  EXPECT_EQ(c.Post("/api/v1/things", Session("alice-token", "hook-alice"), "{}", "application/json")->status, 201);
}

TEST_F(ServerTest, MissingPermissionIs403) {
  auto c = Client();
  auto r = c.Delete("/api/v1/things/3", Session("alice-token", "csrf-alice"));
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(ErrorCode(r), "auth.forbidden");
  r = c.Delete("/api/v1/things/3", Session("bob-token", "csrf-bob"));
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(r->body, "");
}

TEST_F(ServerTest, PendingPasswordChangeBlocksAllButAllowedRoutes) {
  auto c = Client();
  auto r = c.Get("/api/v1/things/1", Session("pending-token"));
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(ErrorCode(r), "auth.password_change_required");
  r = c.Post("/api/v1/password", Session("pending-token", "csrf-carol"), "{}", "application/json");
  EXPECT_EQ(r->status, 200);
  // The pending check comes before CSRF: the client learns what to do first.
  r = c.Post("/api/v1/things", Session("pending-token"), "{}", "application/json");
  EXPECT_EQ(ErrorCode(r), "auth.password_change_required");
}

TEST_F(ServerTest, InternalErrorsAreLoggedNotSent) {
  auto sink_stream = std::make_shared<std::ostringstream>();
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(*sink_stream)));
  auto c = Client();
  httplib::Headers h = Session("alice-token");
  h.emplace("X-Request-Id", "req-boom-1");
  auto boom = c.Get("/api/v1/boom", h);
  auto thrown = c.Get("/api/v1/throw", Session("alice-token"));
  spdlog::set_default_logger(previous);

  ASSERT_TRUE(boom && thrown);
  EXPECT_EQ(boom->status, 500);
  EXPECT_EQ(json::parse(boom->body),
            json::parse(R"({"error":{"code":"internal","message":"服务器内部错误，请联系系统管理员（请求号 req-boom-1）"},
                            "request_id":"req-boom-1"})"));
  EXPECT_EQ(thrown->status, 500);
  std::string rid = thrown->get_header_value("X-Request-Id");
  EXPECT_EQ(json::parse(thrown->body)["error"]["code"], "internal");
  EXPECT_EQ(thrown->body.find("password_hash"), std::string::npos);
  EXPECT_EQ(thrown->body.find("pq:"), std::string::npos);
  // The administrator finds the real cause under the request id.
  std::string log = sink_stream->str();
  EXPECT_NE(log.find("req-boom-1"), std::string::npos) << log;
  EXPECT_NE(log.find("secret_column"), std::string::npos) << log;
  EXPECT_NE(log.find(rid), std::string::npos) << log;
  EXPECT_NE(log.find("pq: SELECT password_hash FROM users"), std::string::npos) << log;
}

TEST_F(ServerTest, RequestIdIsEchoedOrGenerated) {
  auto c = Client();
  auto r = c.Get("/api/v1/whoami", {{"Cookie", "doudi_session=alice-token"}, {"X-Request-Id", "abc-123.X_y:z"}});
  EXPECT_EQ(r->get_header_value("X-Request-Id"), "abc-123.X_y:z");
  EXPECT_EQ(json::parse(r->body)["request_id"], "abc-123.X_y:z");
  // Ids that could break a header or a log line, or are too long, are replaced.
  for (std::string bad : {std::string("has space"), std::string("a\"b"), std::string(65, 'a')}) {
    r = c.Get("/api/v1/whoami", {{"Cookie", "doudi_session=alice-token"}, {"X-Request-Id", bad}});
    std::string id = r->get_header_value("X-Request-Id");
    EXPECT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{16}"))) << id;
  }
  std::string a = c.Get("/api/v1/things/1")->get_header_value("X-Request-Id");
  std::string b = c.Get("/api/v1/things/1")->get_header_value("X-Request-Id");
  EXPECT_TRUE(std::regex_match(a, std::regex("[0-9a-f]{16}"))) << a;
  EXPECT_NE(a, b);
  // Error bodies carry the same id.
  r = c.Get("/api/v1/things/1", {{"X-Request-Id", "rid-401"}});
  EXPECT_EQ(json::parse(r->body)["request_id"], "rid-401");
}

TEST_F(ServerTest, EveryRoutedMutationIsAuditedWithItsOutcome) {
  auto c = Client();
  httplib::Headers ok = Session("alice-token", "csrf-alice");
  ok.emplace("X-Request-Id", "audit-1");
  ASSERT_EQ(c.Post("/api/v1/things", ok, "{}", "application/json")->status, 201);
  ASSERT_EQ(c.Post("/api/v1/things", Session("alice-token"), "{}", "application/json")->status, 403);
  ASSERT_EQ(c.Post("/api/v1/conflict", Session("alice-token", "csrf-alice"), "{}", "application/json")->status, 409);
  ASSERT_EQ(c.Delete("/api/v1/things/5", Session("alice-token", "csrf-alice"))->status, 403);
  ASSERT_EQ(c.Post("/api/v1/things", "{}", "application/json")->status, 401);
  ASSERT_EQ(c.Post("/api/v1/login", "{}", "application/json")->status, 200);
  ASSERT_EQ(c.Post("/api/v1/things", Session("alice-token", "csrf-alice"), "{bad", "application/json")->status, 400);
  // Not audited: reads, unrouted requests, and successes the handler audited itself.
  ASSERT_EQ(c.Get("/api/v1/things/1", Session("alice-token"))->status, 200);
  ASSERT_EQ(c.Post("/api/v1/nowhere", Session("alice-token", "csrf-alice"), "{}", "application/json")->status, 404);
  ASSERT_EQ(c.Post("/api/v1/self-audited", Session("alice-token", "csrf-alice"), "{}", "application/json")->status,
            200);

  auto events = Audits();
  ASSERT_EQ(events.size(), 7u);
  EXPECT_EQ(events[0].action, "things.create");
  EXPECT_EQ(events[0].outcome, "success");
  EXPECT_EQ(events[0].user_id, 1);
  EXPECT_EQ(events[0].username, "alice");
  EXPECT_EQ(events[0].role, "caseworker");
  EXPECT_EQ(events[0].ip, "127.0.0.1");
  EXPECT_EQ(events[0].object_type, "thing");
  EXPECT_EQ(events[0].object_id, "42");
  EXPECT_EQ(events[0].request_id, "audit-1");
  EXPECT_EQ(events[1].outcome, "denied");
  EXPECT_EQ(events[1].detail, "auth.csrf");
  EXPECT_EQ(events[1].username, "alice");
  EXPECT_EQ(events[2].action, "POST /api/v1/conflict");
  EXPECT_EQ(events[2].outcome, "failure");
  EXPECT_EQ(events[2].detail, "things.version");
  EXPECT_EQ(events[3].action, "DELETE /api/v1/things/{id}");
  EXPECT_EQ(events[3].outcome, "denied");
  EXPECT_EQ(events[3].detail, "auth.forbidden");
  EXPECT_EQ(events[4].outcome, "denied");
  EXPECT_EQ(events[4].user_id, 0);
  EXPECT_EQ(events[4].detail, "auth.required");
  EXPECT_EQ(events[5].action, "auth.login");
  EXPECT_EQ(events[5].outcome, "success");
  EXPECT_EQ(events[5].user_id, 0);
  EXPECT_EQ(events[6].outcome, "failure");
  EXPECT_EQ(events[6].detail, "http.bad_json");
  for (const auto& e : events) EXPECT_FALSE(e.request_id.empty());
}

TEST_F(ServerTest, ClientIpComesFromTheProxyOnlyWhenTrusted) {
  auto c = Client();
  httplib::Headers h = Session("alice-token");
  h.emplace("X-Forwarded-For", "6.6.6.6, 10.0.0.9");
  EXPECT_EQ(json::parse(c.Get("/api/v1/whoami", h)->body)["ip"], "127.0.0.1");

  server_.reset();
  ServerConfig config = TestConfig();
  config.trust_proxy = true;
  StartServer(config);
  auto proxied = Client();
  // The last hop is the one our proxy appended; the earlier one is the client's claim.
  EXPECT_EQ(json::parse(proxied.Get("/api/v1/whoami", h)->body)["ip"], "10.0.0.9");
  h.emplace("X-Real-IP", "10.0.0.7");
  EXPECT_EQ(json::parse(proxied.Get("/api/v1/whoami", h)->body)["ip"], "10.0.0.7");
}

TEST_F(ServerTest, ABareErrorStatusStillGetsAnErrorBody) {
  auto c = Client();
  auto r = c.Get("/api/v1/bare-conflict", Session("alice-token"));
  EXPECT_EQ(r->status, 409);
  EXPECT_EQ(ErrorCode(r), "http.conflict");
}

TEST_F(ServerTest, PageParametersAreChecked) {
  auto c = Client();
  EXPECT_EQ(json::parse(c.Get("/api/v1/page", Session("alice-token"))->body), json({{"page", 1}, {"size", 20}}));
  EXPECT_EQ(json::parse(c.Get("/api/v1/page?page=2&size=200", Session("alice-token"))->body),
            json({{"page", 2}, {"size", 200}}));
  auto r = c.Get("/api/v1/page?size=201", Session("alice-token"));
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(ErrorCode(r), "http.bad_page");
  EXPECT_EQ(json::parse(r->body)["error"]["details"][0]["field"], "size");
}

TEST_F(ServerTest, RangeHeadersDoNotCutResponses) {
  auto c = Client();
  httplib::Headers h = Session("alice-token");
  h.emplace("Range", "bytes=0-3");
  auto r = c.Get("/api/v1/things/special", h);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body), json({{"special", true}}));
}

// httplib closes a connection after 5 requests unless told otherwise, and without TCP_NODELAY each small
// response waits for the client's delayed ACK (~40 ms): 100 requests on one connection take ~4 s.
TEST_F(ServerTest, OneConnectionCarriesAHundredRequestsQuickly) {
  RawConnection conn(server_->port());
  ASSERT_TRUE(conn.connected());
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) {
    RawResponse r = conn.Exchange("GET /api/v1/things/" + std::to_string(i) +
                                  " HTTP/1.1\r\nHost: x\r\nCookie: doudi_session=alice-token\r\n\r\n");
    ASSERT_EQ(r.status, 200) << "request " << i;
    ASSERT_EQ(json::parse(r.body)["id"], std::to_string(i));
    ASSERT_FALSE(r.closed) << "server closed the connection after request " << i;
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::milliseconds(2000));
}

TEST_F(ServerTest, ThePortIsNotShared) {
  ServerConfig config = TestConfig();
  config.port = server_->port();
  Server second(config, Router(), ServerHooks());
  Status s = second.Start();
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.error_code(), "http.bind");
}

TEST_F(ServerTest, StopLetsInFlightRequestsFinishAndRefusesNewOnes) {
  auto in_flight = std::async(std::launch::async, [&] {
    auto c = Client();
    auto r = c.Get("/api/v1/slow", Session("alice-token"));
    return r ? r->status : -1;
  });
  ASSERT_TRUE(gate_.WaitEntered());
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    server_->Stop();
    stopped = true;
  });
  // Stop waits for the request in the handler...
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(stopped);
  // ...while no longer accepting.
  RawConnection late(server_->port());
  EXPECT_FALSE(late.connected());
  gate_.Open();
  EXPECT_EQ(in_flight.get(), 200);
  stopper.join();
  EXPECT_TRUE(stopped);
  server_->Stop();  // idempotent
}

TEST_F(ServerTest, SigtermStopsARunningServer) {
  server_.reset();
  Server server(TestConfig(), TestRoutes(), TestHooks());
  std::atomic<int> got{0};
  std::promise<Status> ran;
  std::thread runner;
  {
    SignalStopper stopper([&](int sig) {
      got = sig;
      server.Stop();
    });
    runner = std::thread([&] { ran.set_value(server.Run()); });
    while (server.port() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    httplib::Client c("127.0.0.1", server.port());
    ASSERT_EQ(c.Get("/api/v1/public")->status, 200);
    ASSERT_EQ(kill(getpid(), SIGTERM), 0);
    auto result = ran.get_future();
    ASSERT_EQ(result.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    EXPECT_TRUE(result.get().ok());
  }
  runner.join();
  EXPECT_EQ(got, SIGTERM);
  // The stopper restored the previous disposition.
  struct sigaction now {};
  sigaction(SIGTERM, nullptr, &now);
  EXPECT_EQ(now.sa_handler, SIG_DFL);
}

TEST_F(ServerTest, AccessLogLinesLeaveOutQueryValues) {
  server_.reset();
  auto out = std::make_shared<std::ostringstream>();
  ServerConfig config = TestConfig();
  config.access_log = true;
  config.access_log_sinks = {std::make_shared<spdlog::sinks::ostream_sink_mt>(*out)};
  StartServer(config);
  auto c = Client();
  httplib::Headers h = Session("alice-token");
  h.emplace("X-Request-Id", "log-1");
  ASSERT_EQ(c.Get("/api/v1/things/9?q=%E7%8E%8B%E4%BA%94&page=2", h)->status, 200);
  ASSERT_EQ(c.Get("/api/v1/things/9", {{"X-Request-Id", "log-2"}})->status, 401);
  server_.reset();  // drains the async queue
  std::string log = out->str();
  EXPECT_TRUE(std::regex_search(log, std::regex(R"(GET /api/v1/things/9\?page&q 200 \d+\.\dms rid=log-1 user=alice)")))
      << log;
  EXPECT_TRUE(std::regex_search(log, std::regex(R"(GET /api/v1/things/9 401 \d+\.\dms rid=log-2 user=-)"))) << log;
  EXPECT_EQ(log.find("王五"), std::string::npos);
}

}  // namespace
}  // namespace doudi::http
