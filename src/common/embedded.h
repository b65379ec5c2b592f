// Embedded files: migrations (src/<module>/migrations/*.sql) and reference data (data/**) compiled into the
// binary by CMakeLists.txt, so that a deployed `doudi` needs no source tree. Paths are relative to the
// repository root, e.g. "data/holidays_cn.csv".
#pragma once

#include <string_view>
#include <vector>

namespace doudi {

namespace embedded_detail {
struct Entry {
  const char* path;
  const char* begin;
  const char* end;
};
extern const Entry kEntries[];
}  // namespace embedded_detail

// The contents of an embedded file, or an empty optional-like view (data() == nullptr) when absent.
std::string_view EmbeddedFile(std::string_view path);
// Paths of the embedded files that start with prefix, sorted.
std::vector<std::string_view> EmbeddedFiles(std::string_view prefix);

}  // namespace doudi
