#include "http/json_fields.h"

#include <nlohmann/json.hpp>

namespace doudi::http {

Result<std::string> StringField(const nlohmann::json& body, const std::string& field, bool required) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    if (!required) return std::string();
    return Status::InvalidField(field, "http.missing_field", "缺少必填字段：" + field);
  }
  if (!it->is_string()) return Status::InvalidField(field, "http.bad_type", "字段 " + field + " 应为字符串");
  return it->get<std::string>();
}

Result<int64_t> IntField(const nlohmann::json& body, const std::string& field) {
  auto it = body.find(field);
  if (it == body.end() || !it->is_number_integer()) {
    return Status::InvalidField(field, "http.bad_type", "字段 " + field + " 应为整数");
  }
  return it->get<int64_t>();
}

}  // namespace doudi::http
