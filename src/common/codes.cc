#include "common/codes.h"

#include <cstdio>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "common/csv.h"
#include "common/embedded.h"
#include "common/text.h"

namespace doudi {

namespace {

constexpr std::string_view kPrefix = "data/codes/";
constexpr std::string_view kSuffix = ".csv";

// Chinese titles for messages; a set added by the operator without one is named by its file name.
std::string_view Title(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> kTitles[] = {
      {"sex", "性别"},           {"marital", "婚姻状况"},         {"ethnicity", "民族"},
      {"relation", "家庭关系"},  {"education", "学历"},           {"disability_category", "残疾类别"},
      {"disability_grade", "残疾等级"},
  };
  for (const auto& [key, title] : kTitles) {
    if (key == name) return title;
  }
  return name;
}

// All embedded sets, loaded together on first use.
const std::map<std::string, CodeSet, std::less<>>& AllSets() {
  static const auto* sets = [] {
    auto* m = new std::map<std::string, CodeSet, std::less<>>();
    for (std::string_view path : EmbeddedFiles(kPrefix)) {
      if (!path.ends_with(kSuffix)) continue;
      std::string name(path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size()));
      auto set = CodeSet::FromCsv(name, EmbeddedFile(path));
      if (!set.ok()) {
        // Compiled-in data covered by tests: a failure is a build defect.
        std::fprintf(stderr, "doudi: embedded code set %s is invalid: %s\n", name.c_str(),
                     set.status().ToString().c_str());
        std::abort();
      }
      m->emplace(name, std::move(set).value());
    }
    return m;
  }();
  return *sets;
}

}  // namespace

Result<CodeSet> CodeSet::FromCsv(std::string set_name, std::string_view csv) {
  auto table = ParseCsv(csv);
  if (!table.ok()) {
    return Status::Invalid("code.bad_data", fmt::format("代码表 {}：{}", set_name, table.status().message()));
  }
  auto col = CsvColumns(*table, {"code", "name"});
  if (!col.ok()) return Status::Invalid("code.bad_data", fmt::format("代码表 {}：{}", set_name, col.status().message()));
  const int parent_col = table->Column("parent");
  CodeSet set;
  set.name_ = std::move(set_name);
  for (size_t i = 0; i < table->rows.size(); ++i) {
    const auto& row = table->rows[i];
    CodeEntry e;
    e.code = std::string(Trim(row[(*col)[0]]));
    e.name = std::string(Trim(row[(*col)[1]]));
    if (parent_col >= 0) e.parent = std::string(Trim(row[parent_col]));
    if (e.code.empty() || e.name.empty()) {
      return Status::Invalid("code.bad_data",
                             fmt::format("代码表 {} 第 {} 行：代码和名称不能为空", set.name_, table->lines[i]));
    }
    if (set.Find(e.code)) {
      return Status::Invalid("code.bad_data",
                             fmt::format("代码表 {} 第 {} 行：代码 {} 重复", set.name_, table->lines[i], e.code));
    }
    set.entries_.push_back(std::move(e));
  }
  for (const auto& e : set.entries_) {
    if (!e.parent.empty() && !set.Find(e.parent)) {
      return Status::Invalid("code.bad_data",
                             fmt::format("代码表 {}：代码 {} 的上级 {} 不存在", set.name_, e.code, e.parent));
    }
  }
  return set;
}

const CodeEntry* CodeSet::Find(std::string_view code) const {
  // The sets are small (at most ~100 entries): a scan is as fast as a map and keeps file order.
  for (const auto& e : entries_) {
    if (e.code == code) return &e;
  }
  return nullptr;
}

std::string_view CodeSet::Name(std::string_view code) const {
  const CodeEntry* e = Find(code);
  return e ? std::string_view(e->name) : std::string_view();
}

Status CodeSet::Check(std::string_view code, const std::string& field) const {
  if (Contains(code)) return Status::Ok();
  return Status::InvalidField(field, "code.unknown", fmt::format("代码“{}”不在{}代码表中", code, Title(name_)));
}

const CodeSet& CodeSets::Get(std::string_view name) {
  const auto& sets = AllSets();
  auto it = sets.find(name);
  if (it != sets.end()) return it->second;
  static const CodeSet kEmpty;
  std::fprintf(stderr, "doudi: unknown code set \"%.*s\"\n", static_cast<int>(name.size()), name.data());
  return kEmpty;
}

std::vector<std::string> CodeSets::Names() {
  std::vector<std::string> out;
  for (const auto& [name, set] : AllSets()) out.push_back(name);
  return out;
}

}  // namespace doudi
