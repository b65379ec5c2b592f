// The verification policy (核对政策): a versioned TOML file of entries, one per county × urban/rural ×
// effective date, each giving the standard and the rules (engine/rules.h). The operator replaces the shipped
// example (data/verify/policy.example.toml, values labelled as examples) with the city's own figures.
//
//   version = "jingzhou-example-2025.1"
//   [[entry]]
//   county = "421002"            # a 6-digit county code, or "4210" for every county of the city
//   area = "urban"               # urban | rural
//   effective_from = "2025-01-01"
//   standard_yuan = "780"        # yuan per person per month (a string or a number)
//   income_months = 12
//   counted_income = ["wage", "pension", "unemployment", "si_other", "business", "property", "tax_other"]
//   near_band = 1.5
//   asset_limit_months = 24
//   [entry.vehicle]  exempt = ["motorcycle", "disability", "ebike"], outcome = "fail"
//   [entry.property] max_homes = 1, non_residential_allowed = false, outcome = "fail"
//   [entry.business] count_shareholder = true, review_capital_below_yuan = "100000", outcome = "fail"
//   [entry.feeds]    stale_after_days = 62, outcome = "review"
//   [entry.members]  outcome = "review"
//
// Keys left out take the defaults of engine/rules.h; docs/verify-engine.md describes each.
// Selection: the entry with the latest effective_from on or before the date, for the household's area, whose
// county is the household's county, else its city ("4210"). An exact county beats the city prefix.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "verify/engine/rules.h"

namespace doudi::verify {

enum class Area : uint8_t { kUrban = 0, kRural = 1 };
std::string_view AreaCode(Area a);  // "urban", "rural"
// "urban"/"rural", also 城镇/城市/城 and 农村/乡村/农 and 1/2 (the statistical codes).
bool ParseArea(std::string_view s, Area* out);

struct PolicyEntry {
  std::string county;  // 6-digit county code or a 4-digit city prefix
  Area area = Area::kUrban;
  int32_t effective_from = kNoDate;  // days
  Rules rules;  // rules.version = "<file version>#<county>-<area>-<effective_from>"
};

class Policy {
 public:
  // Errors: "policy.toml" (syntax, with line), "policy.field" (a missing or wrong key, named), "policy.empty".
  static Result<Policy> Parse(std::string_view toml_text);
  static Result<Policy> LoadFile(const std::string& path);
  // The shipped example (embedded data/verify/policy.example.toml).
  static Result<Policy> Example();
  // The policy the server starts with (config `verify.policy_file`): the file at `path`, or the example when
  // `path` is empty. An unreadable or invalid file is "config.verify.policy_file", naming the setting, the file
  // and the parser's reason, so that the server refuses to start rather than verify against a wrong policy.
  static Result<Policy> Configured(const std::string& path);

  const std::string& version() const { return version_; }
  const std::vector<PolicyEntry>& entries() const { return entries_; }
  // The entry for a household, or nullptr (no entry for that county/area yet in force on that date).
  const PolicyEntry* Find(std::string_view county_code, Area area, int32_t date) const;
  // Index into entries() or -1.
  int FindIndex(std::string_view county_code, Area area, int32_t date) const;
  // Every entry's rules, in entries() order (Request::rules with FindIndex for Households::rules).
  std::vector<Rules> AllRules() const;

 private:
  std::string version_;
  std::vector<PolicyEntry> entries_;
};

}  // namespace doudi::verify
