#include "http/router.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

namespace doudi::http {

namespace {

bool IsParam(std::string_view segment) { return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}'; }

bool IsIdentifier(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// "/a/b/" -> {"a", "b", ""}; the leading "/" is required and not a segment. Empty on a path without it.
std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path[0] != '/') return out;
  size_t start = 1;
  while (true) {
    size_t slash = path.find('/', start);
    out.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

[[noreturn]] void BadRoute(const std::string& method, const std::string& pattern, const char* why) {
  // A programming error found at startup, reported like a failed assert.
  std::fprintf(stderr, "invalid route %s %s: %s\n", method.c_str(), pattern.c_str(), why);
  std::abort();
}

// Parses a positive decimal integer without sign, spaces or overflow; nullopt otherwise.
std::optional<int> ParsePositive(const std::string& s) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

std::optional<std::string> Request::Query(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::string Request::Param(const std::string& name) const {
  auto it = path_params.find(name);
  return it == path_params.end() ? std::string() : it->second;
}

Result<nlohmann::json> Request::JsonBody() const {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::Invalid("http.bad_json", "请求体不是有效的 JSON：请求体为空");
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is 1-based; the library's English text stays out of a message meant for a caseworker.
    return Status::Invalid("http.bad_json", "请求体不是有效的 JSON：第 " + std::to_string(e.byte) + " 个字节附近有语法错误");
  }
  if (!j.is_object()) return Status::Invalid("http.bad_type", "请求体必须是 JSON 对象（{...}）");
  return j;
}

Result<std::pair<int, int>> Request::Page() const {
  int page = 1, size = 20;
  if (auto v = Query("page")) {
    auto p = ParsePositive(*v);
    if (!p || *p < 1 || *p > 1000000) {
      return Status::InvalidField("page", "http.bad_page", "页码必须是 1 到 1000000 之间的整数");
    }
    page = *p;
  }
  if (auto v = Query("size")) {
    auto s = ParsePositive(*v);
    if (!s || *s < 1 || *s > 200) return Status::InvalidField("size", "http.bad_page", "每页条数必须是 1 到 200 之间的整数");
    size = *s;
  }
  return std::make_pair(page, size);
}

Response Response::Json(const nlohmann::json& j, int status) {
  Response r;
  r.status = status;
  // Replace rather than throw on invalid UTF-8 that slipped into a string (e.g. from a legacy GBK import).
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

void Router::Add(std::string method, std::string pattern, RouteOptions options, Handler handler) {
  if (method.empty() || !std::all_of(method.begin(), method.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    BadRoute(method, pattern, "method must be upper-case letters");
  }
  if (!handler) BadRoute(method, pattern, "no handler");
  auto parts = Split(pattern);
  if (parts.empty()) BadRoute(method, pattern, "pattern must start with /");
  std::vector<std::string> segments;
  for (auto p : parts) {
    if (IsParam(p)) {
      if (!IsIdentifier(p.substr(1, p.size() - 2))) BadRoute(method, pattern, "parameter names are identifiers");
    } else if (p.find_first_of("{}") != std::string_view::npos) {
      BadRoute(method, pattern, "a parameter must be a whole segment");
    }
    segments.emplace_back(p);
  }
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (routes_[i].method != method || segments_[i].size() != segments.size()) continue;
    bool same_shape = true;
    for (size_t k = 0; k < segments.size() && same_shape; ++k) {
      bool a = IsParam(segments_[i][k]), b = IsParam(segments[k]);
      same_shape = a == b && (a || segments_[i][k] == segments[k]);
    }
    if (same_shape) BadRoute(method, pattern, ("same shape as " + routes_[i].pattern).c_str());
  }
  if (options.audit_action.empty()) options.audit_action = method + " " + pattern;
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(options), std::move(handler)});
  segments_.push_back(std::move(segments));
}

const Router::Route* Router::Match(const std::string& method, const std::string& path,
                                   std::map<std::string, std::string>* params,
                                   std::vector<std::string>* allowed_methods) const {
  auto parts = Split(path);
  if (parts.empty()) return nullptr;
  auto matches = [&](size_t i) {
    const auto& segs = segments_[i];
    if (segs.size() != parts.size()) return false;
    for (size_t k = 0; k < segs.size(); ++k) {
      if (IsParam(segs[k]) ? parts[k].empty() : segs[k] != parts[k]) return false;
    }
    return true;
  };
  // Whether route a is more specific than b: at the first segment where one is literal and the other a
  // parameter, the literal one wins.
  auto more_specific = [&](size_t a, size_t b) {
    for (size_t k = 0; k < parts.size(); ++k) {
      bool pa = IsParam(segments_[a][k]), pb = IsParam(segments_[b][k]);
      if (pa != pb) return pb;
    }
    return false;
  };
  std::optional<size_t> best;
  std::vector<std::string> allowed;
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (!matches(i)) continue;
    if (routes_[i].method == method) {
      if (!best || more_specific(i, *best)) best = i;
    } else if (std::find(allowed.begin(), allowed.end(), routes_[i].method) == allowed.end()) {
      allowed.push_back(routes_[i].method);
    }
  }
  if (best) {
    if (params) {
      params->clear();
      const auto& segs = segments_[*best];
      for (size_t k = 0; k < segs.size(); ++k) {
        if (IsParam(segs[k])) (*params)[segs[k].substr(1, segs[k].size() - 2)] = std::string(parts[k]);
      }
    }
    return &routes_[*best];
  }
  if (allowed_methods) {
    if (std::find(allowed.begin(), allowed.end(), "GET") != allowed.end() &&
        std::find(allowed.begin(), allowed.end(), "HEAD") == allowed.end()) {
      allowed.push_back("HEAD");
    }
    std::sort(allowed.begin(), allowed.end());
    *allowed_methods = std::move(allowed);
  }
  return nullptr;
}

}  // namespace doudi::http
