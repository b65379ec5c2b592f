#include "common/status.h"

namespace doudi {

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string s = error_code_ + ": " + message_;
  for (const auto& d : details_) s += " [" + d.field + ": " + d.message + "]";
  return s;
}

}  // namespace doudi
