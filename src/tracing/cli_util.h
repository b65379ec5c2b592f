// What the tracing engines' command lines (`doudi dna search`, `doudi linkage match`) share: an input file read
// whole, a failure printed in Chinese with its field details, CSV cells, and the rows skipped while reading the
// inputs (one line each on stderr, and with --rejects a CSV file,line,field,code,message).
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "common/status.h"

namespace doudi::tracing {

inline bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = std::move(s).str();
  return static_cast<bool>(in) || in.eof();
}

// Prints the message and every further detail; returns the command's exit code.
inline int Fail(const Status& s) {
  fmt::print(stderr, "错误：{}\n", s.message());
  for (size_t i = 1; i < s.details().size(); ++i) fmt::print(stderr, "  {}\n", s.details()[i].message);
  return 1;
}

inline std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

// `rejects` holds (file, row error) pairs; a RowError has line, field, code and message (dna's and linkage's).
// `write_code` names the failure to write `rejects_path` ("dna.cli.write").
template <typename RowError>
Status ReportRejects(const std::vector<std::pair<std::string, RowError>>& rejects, const std::string& rejects_path,
                     const std::string& write_code) {
  for (const auto& [file, e] : rejects) fmt::print(stderr, "已跳过：{} {}\n", file, e.message);
  if (rejects_path.empty()) return Status::Ok();
  std::ofstream r(rejects_path, std::ios::binary | std::ios::trunc);
  r << "file,line,field,code,message\n";
  for (const auto& [file, e] : rejects) {
    r << CsvField(file) << ',' << e.line << ',' << CsvField(e.field) << ',' << e.code << ',' << CsvField(e.message)
      << '\n';
  }
  if (!r) return Status::Invalid(write_code, fmt::format("无法写入 {}", rejects_path));
  return Status::Ok();
}

}  // namespace doudi::tracing
