// JsonText: one JSON object written straight into its text, for the hot read endpoints where building a
// nlohmann::json document first (a std::map node, a key string and a value for each field) cost more than the
// database read itself (docs/benchmarks.md, registry read).
//
// The text is the one Response::Json would send for the same document: strings that need escaping, or that
// are not valid UTF-8, are escaped by nlohmann itself (with the same replacement of invalid bytes), and a caller
// that writes the keys in sorted byte order gets nlohmann's key order too (its objects are std::maps). Keys are
// plain ASCII names written as given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace doudi::http {

class JsonText {
 public:
  JsonText();

  JsonText& Str(std::string_view key, std::string_view value);
  JsonText& StrOrNull(std::string_view key, std::string_view value);  // "" is null
  JsonText& Int(std::string_view key, int64_t value);
  JsonText& IntOrNull(std::string_view key, std::optional<int64_t> value);
  JsonText& Bool(std::string_view key, bool value);
  JsonText& Null(std::string_view key);
  JsonText& StrArray(std::string_view key, const std::vector<std::string>& values);
  // A value that is already JSON text (an object or array written by another JsonText or by nlohmann).
  JsonText& Raw(std::string_view key, std::string_view json);

  // The object's text; the writer is spent.
  std::string Finish();

  // Appends value as a JSON string literal, quotes included.
  static void AppendString(std::string& out, std::string_view value);

 private:
  void Key(std::string_view key);

  std::string out_;
};

}  // namespace doudi::http
