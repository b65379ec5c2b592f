// Reading typed fields out of a JSON request body, with the field-level Chinese errors every handler needs.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "common/status.h"

namespace doudi::http {

// A string field. Missing or null: "" when optional, else Invalid "http.missing_field"; another type:
// Invalid "http.bad_type". Both name the field.
Result<std::string> StringField(const nlohmann::json& body, const std::string& field, bool required = true);
// A required integer field (e.g. "version"): Invalid "http.bad_type" naming it otherwise.
Result<int64_t> IntField(const nlohmann::json& body, const std::string& field);

}  // namespace doudi::http
