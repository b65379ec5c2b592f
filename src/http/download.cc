#include "http/download.h"

#include <fmt/format.h>

namespace doudi::http {

std::string PercentEncodeRfc5987(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                 c == '.' || c == '_';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

Response Download(std::string body, std::string content_type, std::string_view ascii_name, std::string_view name) {
  std::string fallback(ascii_name);
  for (char& c : fallback) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e || c == '"' || c == '\\') c = '_';
  }
  Response r;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  r.headers.emplace_back("Content-Disposition", fmt::format("attachment; filename=\"{}\"; filename*=UTF-8''{}",
                                                            fallback, PercentEncodeRfc5987(name)));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace doudi::http
