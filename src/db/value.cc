#include "db/value.h"

#include <charconv>
#include <cstdlib>

namespace doudi::db {

int64_t Value::as_int() const {
  if (auto* i = std::get_if<int64_t>(&v_)) return *i;
  if (auto* d = std::get_if<double>(&v_)) return static_cast<int64_t>(*d);
  if (auto* s = std::get_if<std::string>(&v_)) {
    if (*s == "t" || *s == "true") return 1;  // PostgreSQL booleans
    if (*s == "f" || *s == "false") return 0;
    int64_t out = 0;
    std::from_chars(s->data(), s->data() + s->size(), out);
    return out;
  }
  return 0;
}

double Value::as_real() const {
  if (auto* i = std::get_if<int64_t>(&v_)) return static_cast<double>(*i);
  if (auto* d = std::get_if<double>(&v_)) return *d;
  if (auto* s = std::get_if<std::string>(&v_)) return std::strtod(s->c_str(), nullptr);
  return 0;
}

std::string Value::as_text() const {
  if (auto* i = std::get_if<int64_t>(&v_)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v_)) {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, *d);
    return std::string(buf, r.ptr);
  }
  if (auto* s = std::get_if<std::string>(&v_)) return *s;
  return {};
}

}  // namespace doudi::db
