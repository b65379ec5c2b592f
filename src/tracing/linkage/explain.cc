#include "tracing/linkage/explain.h"

#include <cmath>

#include <fmt/format.h>

namespace doudi::linkage {

std::string ExplainPart(const FieldPart& part) {
  const FieldSpec& s = Spec(part.field);
  if (part.level < 0) return fmt::format("{}：一方未登记，不计分", s.zh);
  std::string text = fmt::format("{}：{} {:+.2f}", s.zh, s.level_zh[part.level], part.weight);
  if (std::abs(part.tf) >= 0.005) {
    text += fmt::format("（{}常见程度调整 {:+.2f}）", part.field == kName ? "姓名" : "地区", part.tf);
  }
  return text;
}

}  // namespace doudi::linkage
