#include "http/json_text.h"

#include <charconv>

#include <nlohmann/json.hpp>

#include "common/text.h"

namespace doudi::http {
namespace {

// Bytes that JSON strings carry as they are: printable ASCII but the quote and the backslash, and the bytes of
// multi-byte UTF-8 sequences (checked as a whole by IsValidUtf8).
bool NeedsNoEscape(std::string_view s) {
  bool ascii = true;
  for (unsigned char c : s) {
    if (c < 0x20 || c == '"' || c == '\\') return false;
    if (c >= 0x80) ascii = false;
  }
  return ascii || IsValidUtf8(s);
}

}  // namespace

JsonText::JsonText() {
  out_.reserve(1024);
  out_ += '{';
}

void JsonText::AppendString(std::string& out, std::string_view value) {
  if (NeedsNoEscape(value)) {
    out += '"';
    out += value;
    out += '"';
    return;
  }
  // The rare string with control characters, quotes or invalid UTF-8: nlohmann's own escaping and replacement.
  out += nlohmann::json(std::string(value)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void JsonText::Key(std::string_view key) {
  if (out_.size() > 1) out_ += ',';
  out_ += '"';
  out_ += key;
  out_ += "\":";
}

JsonText& JsonText::Str(std::string_view key, std::string_view value) {
  Key(key);
  AppendString(out_, value);
  return *this;
}

JsonText& JsonText::StrOrNull(std::string_view key, std::string_view value) {
  return value.empty() ? Null(key) : Str(key, value);
}

JsonText& JsonText::Int(std::string_view key, int64_t value) {
  Key(key);
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, r.ptr);
  return *this;
}

JsonText& JsonText::IntOrNull(std::string_view key, std::optional<int64_t> value) {
  return value ? Int(key, *value) : Null(key);
}

JsonText& JsonText::Bool(std::string_view key, bool value) {
  Key(key);
  out_ += value ? "true" : "false";
  return *this;
}

JsonText& JsonText::Null(std::string_view key) {
  Key(key);
  out_ += "null";
  return *this;
}

JsonText& JsonText::StrArray(std::string_view key, const std::vector<std::string>& values) {
  Key(key);
  out_ += '[';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out_ += ',';
    AppendString(out_, values[i]);
  }
  out_ += ']';
  return *this;
}

JsonText& JsonText::Raw(std::string_view key, std::string_view json) {
  Key(key);
  out_ += json;
  return *this;
}

std::string JsonText::Finish() {
  out_ += '}';
  return std::move(out_);
}

}  // namespace doudi::http
