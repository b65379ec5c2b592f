// Helpers shared by the face tests: the golden vectors made by golden/make-golden.mjs from the package's own
// JavaScript, and the model directory installed by scripts/fetch-face-models.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

namespace doudi::face::testing {

inline nlohmann::json Golden() {
  std::ifstream in(std::string(DOUDI_SOURCE_DIR) + "/src/tracing/face/golden/golden.json");
  std::stringstream s;
  s << in.rdbuf();
  return nlohmann::json::parse(s.str());
}

inline std::string ModelDir() { return std::string(DOUDI_SOURCE_DIR) + "/tracing-models/node_modules/@vladmandic/face-api/model"; }
inline std::string SampleDir() { return std::string(DOUDI_SOURCE_DIR) + "/tracing-models/node_modules/@vladmandic/face-api/demo"; }

}  // namespace doudi::face::testing
