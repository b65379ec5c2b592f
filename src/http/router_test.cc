#include "http/router.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/cookie.h"
#include "http/errors.h"

namespace doudi::http {
namespace {

Handler Named(std::string name) {
  return [name](Request&) -> Result<Response> { return Response{200, name, "text/plain", {}}; };
}

std::string BodyOf(const Router::Route* r) {
  Request req;
  return r ? r->handler(req).value().body : "<none>";
}

TEST(Router, MatchesLiteralAndParameterSegments) {
  Router router;
  router.Get("/api/v1/persons/{id}", {}, Named("get"));
  router.Get("/api/v1/persons/{id}/files/{file}", {}, Named("file"));
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed;
  EXPECT_EQ(BodyOf(router.Match("GET", "/api/v1/persons/42", &params, &allowed)), "get");
  EXPECT_EQ(params, (std::map<std::string, std::string>{{"id", "42"}}));
  EXPECT_EQ(BodyOf(router.Match("GET", "/api/v1/persons/7/files/a.pdf", &params, &allowed)), "file");
  EXPECT_EQ(params, (std::map<std::string, std::string>{{"id", "7"}, {"file", "a.pdf"}}));
  // An empty segment is not a parameter value; trailing slashes and extra segments do not match.
  EXPECT_EQ(router.Match("GET", "/api/v1/persons/", &params, &allowed), nullptr);
  EXPECT_EQ(router.Match("GET", "/api/v1/persons/42/", &params, &allowed), nullptr);
  EXPECT_EQ(router.Match("GET", "/api/v1/persons", &params, &allowed), nullptr);
  EXPECT_EQ(router.Match("GET", "api/v1/persons/42", &params, &allowed), nullptr);
  EXPECT_TRUE(allowed.empty());
}

TEST(Router, LiteralSegmentsBeatParametersWhateverTheOrderOfRegistration) {
  Router router;
  router.Get("/p/{id}/{x}", {}, Named("param-param"));
  router.Get("/p/{id}/export", {}, Named("param-literal"));
  router.Get("/p/search/{x}", {}, Named("literal-param"));
  std::map<std::string, std::string> params;
  EXPECT_EQ(BodyOf(router.Match("GET", "/p/1/2", &params, nullptr)), "param-param");
  EXPECT_EQ(BodyOf(router.Match("GET", "/p/1/export", &params, nullptr)), "param-literal");
  // The first differing segment decides: "search" is literal in the third route, a parameter in the second.
  EXPECT_EQ(BodyOf(router.Match("GET", "/p/search/export", &params, nullptr)), "literal-param");
  EXPECT_EQ(params, (std::map<std::string, std::string>{{"x", "export"}}));
}

TEST(Router, OtherMethodsOfAMatchingPathAreListedForA405) {
  Router router;
  router.Get("/things/{id}", {}, Named("get"));
  router.Delete("/things/{id}", {}, Named("delete"));
  router.Post("/things", {}, Named("post"));
  std::vector<std::string> allowed;
  EXPECT_EQ(router.Match("PUT", "/things/3", nullptr, &allowed), nullptr);
  EXPECT_EQ(allowed, (std::vector<std::string>{"DELETE", "GET", "HEAD"}));
  EXPECT_EQ(router.Match("GET", "/things", nullptr, &allowed), nullptr);
  EXPECT_EQ(allowed, (std::vector<std::string>{"POST"}));
  EXPECT_EQ(router.Match("GET", "/nothing", nullptr, &allowed), nullptr);
  EXPECT_TRUE(allowed.empty());
  // A route of the request's method wins over a more literal route of another method.
  router.Post("/things/search", {}, Named("search"));
  EXPECT_EQ(BodyOf(router.Match("GET", "/things/search", nullptr, &allowed)), "get");
}

TEST(Router, AuditActionDefaultsToMethodAndPattern) {
  Router router;
  router.Post("/a/{id}", {}, Named("x"));
  RouteOptions options;
  options.audit_action = "a.update";
  router.Put("/a/{id}", options, Named("y"));
  EXPECT_EQ(router.routes()[0].options.audit_action, "POST /a/{id}");
  EXPECT_EQ(router.routes()[1].options.audit_action, "a.update");
}

TEST(RouterDeathTest, MalformedOrDuplicateRoutesAbort) {
  EXPECT_DEATH({ Router r; r.Get("/a/{id}", {}, Named("x")); r.Get("/a/{other}", {}, Named("y")); }, "same shape");
  EXPECT_DEATH({ Router r; r.Get("/a/x{id}", {}, Named("x")); }, "whole segment");
  EXPECT_DEATH({ Router r; r.Get("a/b", {}, Named("x")); }, "start with /");
  EXPECT_DEATH({ Router r; r.Get("/a/{1x}", {}, Named("x")); }, "identifiers");
}

TEST(Request, QueryAndParam) {
  Request req;
  req.query = {{"q", "张三"}, {"q", "second"}};
  req.path_params = {{"id", "9"}};
  EXPECT_EQ(req.Query("q"), "张三");
  EXPECT_EQ(req.Query("missing"), std::nullopt);
  EXPECT_EQ(req.Param("id"), "9");
  EXPECT_EQ(req.Param("nope"), "");
}

TEST(Request, JsonBodyAcceptsObjectsOnly) {
  Request req;
  req.body = R"({"name":"李四","n":3})";
  auto ok = req.JsonBody();
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)["name"], "李四");

  req.body = R"({"name": })";
  auto bad = req.JsonBody();
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalid);
  EXPECT_EQ(bad.status().error_code(), "http.bad_json");
  // The parser stops at the '}' that came where a value belonged: byte 10.
  EXPECT_EQ(bad.status().message(), "请求体不是有效的 JSON：第 10 个字节附近有语法错误");

  req.body = "";
  EXPECT_EQ(req.JsonBody().status().error_code(), "http.bad_json");
  req.body = "\"\xff\"";  // not UTF-8
  EXPECT_EQ(req.JsonBody().status().error_code(), "http.bad_json");
  for (const char* not_object : {"[1,2]", "42", "\"text\"", "null"}) {
    req.body = not_object;
    EXPECT_EQ(req.JsonBody().status().error_code(), "http.bad_type") << not_object;
  }
}

TEST(Request, PageDefaultsAndLimits) {
  Request req;
  EXPECT_EQ(req.Page().value(), std::make_pair(1, 20));
  req.query = {{"page", "3"}, {"size", "200"}};
  EXPECT_EQ(req.Page().value(), std::make_pair(3, 200));
  req.query = {{"page", "1000000"}, {"size", "1"}};
  EXPECT_EQ(req.Page().value(), std::make_pair(1000000, 1));
  struct Case {
    const char* page;
    const char* size;
    const char* field;
  } bad[] = {{"0", "20", "page"},  {"-1", "20", "page"}, {"1.5", "20", "page"}, {"x", "20", "page"},
             {"1000001", "20", "page"}, {"99999999999", "20", "page"}, {"", "20", "page"}, {"+2", "20", "page"},
             {"1", "0", "size"},  {"1", "201", "size"}, {"1", " 5", "size"}};
  for (const auto& c : bad) {
    req.query = {{"page", c.page}, {"size", c.size}};
    auto r = req.Page();
    ASSERT_FALSE(r.ok()) << c.page << "/" << c.size;
    EXPECT_EQ(r.status().error_code(), "http.bad_page");
    ASSERT_EQ(r.status().details().size(), 1u);
    EXPECT_EQ(r.status().details()[0].field, c.field) << c.page << "/" << c.size;
  }
}

TEST(Response, JsonSerialisesAndSurvivesInvalidUtf8) {
  auto r = Response::Json({{"a", 1}, {"s", "\xff"}}, 201);
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(r.body, "{\"a\":1,\"s\":\"\xEF\xBF\xBD\"}");  // U+FFFD replaces the bad byte
}

TEST(Errors, StatusCodesMapToHttp) {
  EXPECT_EQ(HttpStatus(Code::kInvalid), 400);
  EXPECT_EQ(HttpStatus(Code::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatus(Code::kForbidden), 403);
  EXPECT_EQ(HttpStatus(Code::kNotFound), 404);
  EXPECT_EQ(HttpStatus(Code::kConflict), 409);
  EXPECT_EQ(HttpStatus(Code::kTooLarge), 413);
  EXPECT_EQ(HttpStatus(Code::kLocked), 423);
  EXPECT_EQ(HttpStatus(Code::kUnavailable), 503);
  EXPECT_EQ(HttpStatus(Code::kInternal), 500);
}

TEST(Errors, BodyShape) {
  Status s = Status::InvalidField("id_number", "registry.id_number.check_digit", "校验位错误");
  EXPECT_EQ(nlohmann::json::parse(ErrorBody(s, "r1")),
            nlohmann::json::parse(R"({"error":{"code":"registry.id_number.check_digit","message":"校验位错误",
              "details":[{"field":"id_number","code":"registry.id_number.check_digit","message":"校验位错误"}]},
              "request_id":"r1"})"));
  EXPECT_EQ(nlohmann::json::parse(ErrorBody(Status::NotFound("x.y", "没有"), "r2")),
            nlohmann::json::parse(R"({"error":{"code":"x.y","message":"没有","details":[]},"request_id":"r2"})"));
  Status internal = Status::Internal("SQL: SELECT secret FROM users");
  internal.add_detail({"sql", "x", "SELECT"});
  EXPECT_EQ(nlohmann::json::parse(ErrorBody(internal, "r3")),
            nlohmann::json::parse(R"({"error":{"code":"internal",
              "message":"服务器内部错误，请联系系统管理员（请求号 r3）"},"request_id":"r3"})"));
}

TEST(Cookie, SetClearAndRead) {
  Response r;
  ASSERT_TRUE(SetSessionCookie(r, "abc_DEF-123", false).ok());
  ASSERT_TRUE(SetSessionCookie(r, "tok", true).ok());
  ClearSessionCookie(r, false);
  ASSERT_EQ(r.headers.size(), 3u);
  EXPECT_EQ(r.headers[0], std::make_pair(std::string("Set-Cookie"),
                                         std::string("doudi_session=abc_DEF-123; HttpOnly; SameSite=Strict; Path=/")));
  EXPECT_EQ(r.headers[1].second, "doudi_session=tok; HttpOnly; SameSite=Strict; Path=/; Secure");
  EXPECT_EQ(r.headers[2].second, "doudi_session=; Max-Age=0; HttpOnly; SameSite=Strict; Path=/");
  for (const char* bad : {"", "a;b", "a b", "a\r\nSet-Cookie: x=y", "a,b", "中"}) {
    EXPECT_FALSE(SetSessionCookie(r, bad, false).ok()) << bad;
  }
  EXPECT_EQ(r.headers.size(), 3u);

  std::multimap<std::string, std::string> h = {{"cookie", "theme=dark; doudi_session_old=x;doudi_session=tok1 ; a=b"},
                                               {"cookie", "doudi_session=tok2"}};
  EXPECT_EQ(CookieValue(h, "doudi_session"), "tok1");
  EXPECT_EQ(CookieValue(h, "theme"), "dark");
  EXPECT_EQ(CookieValue(h, "missing"), "");
  EXPECT_EQ(CookieValue({{"cookie", "doudi_session=\"q\""}}, "doudi_session"), "q");
}

}  // namespace
}  // namespace doudi::http
