// The router: maps "METHOD /api/v1/path/{param}" to handlers, with each route's access rule.
//
// A handler receives a Request whose principal is already authenticated and authorised according to its
// RouteOptions (the server's middleware does that, plus CSRF on mutations, request ids, body limits, error
// mapping and the audit row of every mutation). Handlers return a Response or a Status; a non-ok Status
// becomes {"error":{"code","message","details"}} with the HTTP status of its Code.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/status.h"
#include "platform/principal.h"

namespace doudi::http {

struct Request {
  std::string method;
  std::string path;
  std::string body;
  std::string ip;
  std::string request_id;
  std::map<std::string, std::string> path_params;          // "{id}" -> value
  std::multimap<std::string, std::string> query;            // ?a=1&b=2
  std::multimap<std::string, std::string> headers;          // lower-case names
  const platform::Principal* principal = nullptr;           // null only on public routes

  std::optional<std::string> Query(const std::string& name) const;
  std::string Param(const std::string& name) const;  // a path parameter; "" if absent
  // Parses the body as a JSON object, or an Invalid status ("http.bad_json") naming the problem.
  Result<nlohmann::json> JsonBody() const;
  // page/size from the query (defaults 1/20, size capped at 200), or an Invalid status.
  Result<std::pair<int, int>> Page() const;
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;

  static Response Json(const nlohmann::json& j, int status = 200);
  static Response NoContent() { return Response{204, "", "text/plain", {}}; }
};

using Handler = std::function<Result<Response>(Request&)>;

struct RouteOptions {
  std::string permission;         // required permission; empty = any signed-in user
  bool is_public = false;         // no session needed (login, health, public notices)
  bool allow_pending = false;     // usable before the forced first password change / TOTP enrolment
  std::string audit_action;       // action recorded for mutations; defaults to "METHOD pattern"
};

class Router {
 public:
  struct Route {
    std::string method;
    std::string pattern;  // "/api/v1/registry/persons/{id}"
    RouteOptions options;
    Handler handler;
  };
  void Add(std::string method, std::string pattern, RouteOptions options, Handler handler);
  void Get(std::string pattern, RouteOptions o, Handler h) { Add("GET", std::move(pattern), std::move(o), std::move(h)); }
  void Post(std::string pattern, RouteOptions o, Handler h) { Add("POST", std::move(pattern), std::move(o), std::move(h)); }
  void Put(std::string pattern, RouteOptions o, Handler h) { Add("PUT", std::move(pattern), std::move(o), std::move(h)); }
  void Delete(std::string pattern, RouteOptions o, Handler h) { Add("DELETE", std::move(pattern), std::move(o), std::move(h)); }

  // The matching route and its path parameters; nullptr if none matches (allowed_methods lists the methods
  // that match the path, for a 405).
  const Route* Match(const std::string& method, const std::string& path, std::map<std::string, std::string>* params,
                     std::vector<std::string>* allowed_methods) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace doudi::http
