#include "common/embedded.h"

#include <algorithm>

namespace doudi {

std::string_view EmbeddedFile(std::string_view path) {
  for (const auto* e = embedded_detail::kEntries; e->path; ++e) {
    if (path == e->path) return std::string_view(e->begin, static_cast<size_t>(e->end - e->begin));
  }
  return {};
}

std::vector<std::string_view> EmbeddedFiles(std::string_view prefix) {
  std::vector<std::string_view> out;
  for (const auto* e = embedded_detail::kEntries; e->path; ++e) {
    std::string_view p(e->path);
    if (p.starts_with(prefix)) out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace doudi
