#include "http/cookie.h"

#include <algorithm>

namespace doudi::http {

namespace {

// RFC 6265 cookie-octet: visible ASCII except DQUOTE, comma, semicolon and backslash.
bool IsCookieOctet(char c) {
  auto u = static_cast<unsigned char>(c);
  return u >= 0x21 && u <= 0x7e && c != '"' && c != ',' && c != ';' && c != '\\';
}

std::string Attributes(bool secure) {
  return secure ? "; HttpOnly; SameSite=Strict; Path=/; Secure" : "; HttpOnly; SameSite=Strict; Path=/";
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Status SetSessionCookie(Response& response, std::string_view token, bool secure) {
  if (token.empty() || !std::all_of(token.begin(), token.end(), IsCookieOctet)) {
    return Status::Internal("session token is not cookie-safe");
  }
  response.headers.emplace_back("Set-Cookie", std::string(kSessionCookieName) + "=" + std::string(token) +
                                                  Attributes(secure));
  return Status::Ok();
}

void ClearSessionCookie(Response& response, bool secure) {
  response.headers.emplace_back("Set-Cookie", std::string(kSessionCookieName) + "=; Max-Age=0" + Attributes(secure));
}

std::string CookieValue(const std::multimap<std::string, std::string>& headers, std::string_view name) {
  auto [begin, end] = headers.equal_range("cookie");
  for (auto it = begin; it != end; ++it) {
    std::string_view rest = it->second;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view pair = Trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos || Trim(pair.substr(0, eq)) != name) continue;
      std::string_view value = Trim(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      return std::string(value);
    }
  }
  return "";
}

}  // namespace doudi::http
