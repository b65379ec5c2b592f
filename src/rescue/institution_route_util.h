// Small helpers the rescue routes share: path ids, route options, the actor of a request, query flags, and the
// start every write on one record makes (id, audited object, body, version).
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

// The audited object of a write: `type` and `id` (the server's audit row names them).
inline void MarkAudited(http::Request& req, const char* type, int64_t id) {
  req.audit_object_type = type;
  req.audit_object_id = std::to_string(id);
}

// The start of a write on one record: its path id (404 when malformed), marked as the audited object of `type`,
// and the request's JSON body.
struct RecordWrite {
  int64_t id = 0;
  nlohmann::json body;
};
inline Result<RecordWrite> StartWrite(http::Request& req, const Status& not_found, const char* type) {
  RecordWrite w;
  DOUDI_ASSIGN_OR_RETURN(w.id, PathId(req, "id", not_found));
  MarkAudited(req, type, w.id);
  DOUDI_ASSIGN_OR_RETURN(w.body, req.JsonBody());
  return w;
}

// A correction's start: StartWrite, then the version the caller last saw (optimistic locking).
struct Correction : RecordWrite {
  int64_t version = 0;
};
inline Result<Correction> StartCorrection(http::Request& req, const Status& not_found, const char* type) {
  Correction c;
  DOUDI_ASSIGN_OR_RETURN(static_cast<RecordWrite&>(c), StartWrite(req, not_found, type));
  DOUDI_ASSIGN_OR_RETURN(c.version, VersionOf(c.body));
  return c;
}

}  // namespace doudi::rescue::routes
