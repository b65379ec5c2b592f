// Value: one SQL parameter or result cell — NULL, a 64-bit integer, a double, or text.
// The two drivers agree on these four types: booleans are integers 0/1, times are ISO-8601 UTC text,
// money is integer fen, binary data is base64 text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace doudi::db {

class Value {
 public:
  Value() = default;  // NULL
  Value(std::nullptr_t) {}
  Value(int v) : v_(static_cast<int64_t>(v)) {}
  Value(long v) : v_(static_cast<int64_t>(v)) {}
  Value(long long v) : v_(static_cast<int64_t>(v)) {}
  Value(unsigned v) : v_(static_cast<int64_t>(v)) {}
  Value(bool v) : v_(static_cast<int64_t>(v ? 1 : 0)) {}
  Value(double v) : v_(v) {}
  Value(std::string v) : v_(std::move(v)) {}
  Value(std::string_view v) : v_(std::string(v)) {}
  Value(const char* v) : v_(std::string(v)) {}
  template <typename T>
  Value(const std::optional<T>& v) {
    if (v) *this = Value(*v);
  }

  bool is_null() const { return std::holds_alternative<std::monostate>(v_); }
  bool is_int() const { return std::holds_alternative<int64_t>(v_); }
  bool is_real() const { return std::holds_alternative<double>(v_); }
  bool is_text() const { return std::holds_alternative<std::string>(v_); }

  // Conversions are lenient in the way both drivers need: text "12" reads as 12, NULL as 0 / "".
  int64_t as_int() const;
  double as_real() const;
  std::string as_text() const;
  std::optional<int64_t> as_opt_int() const { return is_null() ? std::nullopt : std::optional(as_int()); }
  std::optional<std::string> as_opt_text() const { return is_null() ? std::nullopt : std::optional(as_text()); }

  const std::variant<std::monostate, int64_t, double, std::string>& raw() const { return v_; }
  bool operator==(const Value&) const = default;

 private:
  std::variant<std::monostate, int64_t, double, std::string> v_;
};

}  // namespace doudi::db
