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

  // What the audit row of this mutation should say about its object; the handler may fill these in, the server
  // adds who, where, the route's action and the outcome. A handler that already wrote its own row inside its
  // transaction (AuditLog::AppendIn) sets audited, and the server then writes none on success.
  std::string audit_object_type;
  std::string audit_object_id;
  std::string audit_detail;
  bool audited = false;

  std::optional<std::string> Query(const std::string& name) const;
  std::string Param(const std::string& name) const;  // a path parameter; "" if absent
  // Parses the body as a JSON object, or an Invalid status ("http.bad_json") naming the problem.
  Result<nlohmann::json> JsonBody() const;
  // page/size from the query (defaults 1/20; 1 <= page <= 1000000, 1 <= size <= 200), or an Invalid status
  // "http.bad_page" naming the field.
  Result<std::pair<int, int>> Page() const;
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;

  static Response Json(const nlohmann::json& j, int status = 200);
  // A body already written as JSON text (http/json_text.h).
  static Response JsonText(std::string text, int status = 200) {
    return Response{status, std::move(text), "application/json; charset=utf-8", {}};
  }
  static Response NoContent() { return Response{204, "", "text/plain", {}}; }
};

using Handler = std::function<Result<Response>(Request&)>;

struct RouteOptions {
  std::string permission;         // required permission; empty = any signed-in user
  bool is_public = false;         // no session needed (login, health, public notices)
  bool allow_pending = false;     // usable before the forced first password change / TOTP enrolment
  std::string audit_action;       // action recorded for mutations; Add() defaults it to "METHOD pattern"
};

class Router {
 public:
  struct Route {
    std::string method;
    std::string pattern;  // "/api/v1/registry/persons/{id}"
    RouteOptions options;
    Handler handler;
  };
  // Adds a route. A pattern is "/"-separated segments, each literal or a whole "{name}" parameter. A malformed
  // pattern or a second route with the same method and shape is a programming error: it aborts at startup.
  void Add(std::string method, std::string pattern, RouteOptions options, Handler handler);
  void Get(std::string pattern, RouteOptions o, Handler h) { Add("GET", std::move(pattern), std::move(o), std::move(h)); }
  void Post(std::string pattern, RouteOptions o, Handler h) { Add("POST", std::move(pattern), std::move(o), std::move(h)); }
  void Put(std::string pattern, RouteOptions o, Handler h) { Add("PUT", std::move(pattern), std::move(o), std::move(h)); }
  void Delete(std::string pattern, RouteOptions o, Handler h) { Add("DELETE", std::move(pattern), std::move(o), std::move(h)); }

  // The matching route of this method and its path parameters; among several, the one whose first differing
  // segment is literal wins (/persons/search beats /persons/{id}). nullptr if none matches; allowed_methods
  // then lists the methods of the routes that do match the path (HEAD with GET), for a 405.
  const Route* Match(const std::string& method, const std::string& path, std::map<std::string, std::string>* params,
                     std::vector<std::string>* allowed_methods) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> segments_;  // routes_[i]'s pattern split at "/", parameters as "{name}"
};

}  // namespace doudi::http
