// Attribute-matching evidence in words for a caseworker: one Chinese sentence per field's part of the weight.
#pragma once

#include <string>

#include "tracing/linkage/linker.h"

namespace doudi::linkage {

// "姓名：拼音相同（不计声调）+5.20（常见程度调整 −1.30）" — the field, its level, the weight with sign.
std::string ExplainPart(const FieldPart& part);

}  // namespace doudi::linkage
