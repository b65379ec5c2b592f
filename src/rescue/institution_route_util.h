// Small helpers the rescue routes share: path ids, route options, the actor of a request, query flags.
#pragma once

#include <charconv>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "http/router.h"
#include "registry/service.h"

namespace doudi::rescue::routes {

// A path id that is not a positive integer names no record: 404 like any other missing record.
inline Result<int64_t> PathId(const http::Request& req, const std::string& name, const Status& not_found) {
  std::string s = req.Param(name);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v <= 0) return not_found;
  return v;
}

inline http::RouteOptions Options(std::string permission, std::string audit_action = "") {
  http::RouteOptions o;
  o.permission = std::move(permission);
  o.audit_action = std::move(audit_action);
  return o;
}

inline registry::Actor ActorOf(const http::Request& req) { return registry::Actor(*req.principal, req.ip, req.request_id); }

inline std::string QueryOr(const http::Request& req, const std::string& name) { return req.Query(name).value_or(""); }

inline bool QueryFlag(const http::Request& req, const std::string& name) {
  std::string v = QueryOr(req, name);
  return v == "1" || v == "true";
}

// body["version"] as an integer, else a field error.
inline Result<int64_t> VersionOf(const nlohmann::json& body) {
  auto it = body.find("version");
  if (it == body.end() || !it->is_number_integer()) {
    return Status::InvalidField("version", "http.bad_type", "缺少版本号 version（整数），请刷新后重试");
  }
  return it->get<int64_t>();
}

inline std::string ReasonOf(const nlohmann::json& body) {
  auto it = body.find("reason");
  return it != body.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace doudi::rescue::routes
