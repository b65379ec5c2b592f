#include "registry/codes.h"

#include <utility>

#include "common/codes.h"

namespace doudi::registry {
namespace {

using Entry = std::pair<std::string_view, std::string_view>;

// Flags are the registry's own vocabulary (no national standard): the situations caseworkers filter on.
constexpr Entry kFlags[] = {
    {"disabled", "残疾人"},
    {"elderly_alone", "独居老人"},
    {"empty_nest", "空巢老人"},
    {"left_behind_child", "留守儿童"},
    {"orphan", "孤儿"},
    {"de_facto_orphan", "事实无人抚养儿童"},
    {"seriously_ill", "重病患者"},
    {"unknown_identity", "身份不明"},
    {"vagrant", "流浪乞讨人员"},
    {"veteran", "优抚对象"},
};

constexpr Entry kUrbanRural[] = {{"urban", "城市"}, {"rural", "农村"}};

template <size_t N>
const std::string_view* Lookup(const Entry (&table)[N], std::string_view code) {
  for (const auto& e : table) {
    if (e.first == code) return &e.second;
  }
  return nullptr;
}

const std::string_view* Local(std::string_view set, std::string_view code, bool* is_local) {
  *is_local = true;
  if (set == "flag") return Lookup(kFlags, code);
  if (set == "urban_rural") return Lookup(kUrbanRural, code);
  *is_local = false;
  return nullptr;
}

}  // namespace

bool HasCode(std::string_view set, std::string_view code) {
  bool local = false;
  const std::string_view* name = Local(set, code, &local);
  if (local) return name != nullptr;
  return CodeSets::Get(set).Contains(code);
}

std::string CodeName(std::string_view set, std::string_view code) {
  bool local = false;
  const std::string_view* name = Local(set, code, &local);
  if (local) return name ? std::string(*name) : std::string();
  return std::string(CodeSets::Get(set).Name(code));
}

std::vector<std::pair<std::string, std::string>> LocalCodes(std::string_view set) {
  std::vector<std::pair<std::string, std::string>> out;
  auto copy = [&out](const auto& table) {
    for (const auto& [code, name] : table) out.emplace_back(code, name);
  };
  if (set == "flag") copy(kFlags);
  if (set == "urban_rural") copy(kUrbanRural);
  return out;
}

}  // namespace doudi::registry
