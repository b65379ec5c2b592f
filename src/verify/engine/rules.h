// The rule parameters of one policy (a county × urban/rural × effective date entry of the TOML policy file,
// parsed by verify/policy.h), and the codes of the rules, flags, outcomes and decisions the engine reports.
//
// Codes are stable strings: they go into OUT.csv, the database and the API (docs/verify-engine.md lists them).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "verify/engine/model.h"

namespace doudi::verify {

// Income as the engine counts it. Wage reported by both social insurance and tax is one category: per person and
// month the larger of the two reports counts, never their sum (docs/verify-feeds.md).
enum class IncomeCategory : uint8_t {
  kWage = 0,          // 工资性收入 (social_insurance wage ∪ tax wage)
  kPension = 1,       // 养老金 (social_insurance pension)
  kUnemployment = 2,  // 失业保险金 (social_insurance unemployment)
  kSiOther = 3,       // 其他社保待遇 (social_insurance other)
  kBusiness = 4,      // 经营净收入 (tax business)
  kProperty = 5,      // 财产净收入 (tax property)
  kTaxOther = 6,      // 其他收入 (tax other)
};
inline constexpr int kIncomeCategoryCount = 7;
std::string_view IncomeCategoryCode(IncomeCategory c);  // "wage", "pension", "unemployment", "si_other", ...
std::string_view IncomeCategoryName(IncomeCategory c);  // "工资性收入", ...
bool ParseIncomeCategory(std::string_view code, IncomeCategory* out);

// Outcome of one rule for one household.
enum class Outcome : uint8_t { kPass = 0, kFail = 1, kReview = 2, kNotApplicable = 3 };
std::string_view OutcomeCode(Outcome o);  // "pass", "fail", "review", "n/a"
bool ParseOutcome(std::string_view code, Outcome* out);  // accepts "fail"/"ineligible", "review", "pass"

enum class Decision : uint8_t { kEligible = 0, kIneligible = 1, kReview = 2 };
std::string_view DecisionCode(Decision d);  // "eligible", "ineligible", "review"
std::string_view DecisionName(Decision d);  // "符合", "不符合", "需人工复核"

// The rules, in the order they are evaluated and reported.
enum class RuleId : uint8_t {
  kMembers = 0,   // 成员身份：户籍比对、死亡
  kIncome = 1,    // 收入：月人均收入低于保障标准
  kAssets = 2,    // 金融资产：人均不超过 N 个月标准
  kVehicle = 3,   // 机动车
  kProperty = 4,  // 房产：至多一套住房，无非住宅
  kBusiness = 5,  // 工商登记
  kFeeds = 6,     // 数据时效：各部门数据齐全且不过期
};
inline constexpr int kRuleCount = 7;
std::string_view RuleCode(RuleId r);  // "members", "income", "assets", "vehicle", "property", "business", "feeds"
std::string_view RuleName(RuleId r);  // Chinese

// Flags: a bit set per household. Codes go into OUT.csv separated by ';' in this order.
enum Flag : uint32_t {
  kFlagMemberDead = 1u << 0,          // member_dead: a counted member is dead (hukou status or civil death record)
  kFlagUnmatchedMember = 1u << 1,     // unmatched_member: a counted member is not in the hukou feed
  kFlagVehicle = 1u << 2,             // vehicle: a motor vehicle of a type the policy does not exempt
  kFlagBusiness = 1u << 3,            // business: an active business registration (legal rep. or shareholder)
  kFlagProperty = 1u << 4,            // property: more homes than allowed, or any non-residential property
  kFlagAssetsOverLimit = 1u << 5,     // assets_over_limit: financial assets per capita over the limit
  kFlagIncomeOverStandard = 1u << 6,  // income_over_standard: income per capita ≥ the standard
  kFlagIncomeNearStandard = 1u << 7,  // income_near_standard: standard ≤ income per capita < band × standard (低保边缘)
  kFlagStaleFeed = 1u << 8,           // stale_feed: a feed is missing or older than the policy allows
  kFlagNoCountedMember = 1u << 9,     // no_counted_member: the household lists no counted member
};
inline constexpr int kFlagCount = 10;
std::string_view FlagCode(uint32_t single_flag);  // "member_dead", ...
std::string_view FlagName(uint32_t single_flag);  // "成员已死亡", ...
std::string FlagCodes(uint32_t flags);            // "vehicle;assets_over_limit" ('' if none)
bool ParseFlagCode(std::string_view code, uint32_t* out);

// The parameters of one policy entry. Money in fen; ratios in per mille so that the rules are integer math.
struct Rules {
  std::string version;          // recorded with every result, e.g. "jingzhou-example-2025.1#421002-urban-2025-01-01"
  Fen standard = 0;             // 低保标准: fen per person per month
  int income_months = 12;       // income period: this many full months before the month of the as-of date
  uint32_t counted_income = 0x7f;  // bit (1 << IncomeCategory) set: the category counts as income
  int near_band_permille = 1500;   // 低保边缘: standard ≤ per-capita income < standard × 1.5
  int asset_limit_months = 24;     // financial assets per capita may not exceed this many months of the standard
  bool count_provident_fund_balance = false;  // provident fund balance counted as a financial asset
  uint32_t vehicle_exempt = (1u << int(VehicleType::kMotorcycle)) | (1u << int(VehicleType::kDisability)) |
                            (1u << int(VehicleType::kEbike));  // bit (1 << VehicleType): allowed
  Outcome vehicle_outcome = Outcome::kFail;
  int max_homes = 1;                // residential properties allowed per household
  bool non_residential_allowed = false;
  Outcome property_outcome = Outcome::kFail;
  bool business_count_shareholder = true;  // shareholders count, not only legal representatives
  Fen business_review_capital_below = 0;   // active businesses below this capital are reviewed, not failed
  Outcome business_outcome = Outcome::kFail;
  int stale_after_days = 62;  // a feed whose data date is older than this before the as-of date is stale
  Outcome stale_outcome = Outcome::kReview;
  Outcome member_outcome = Outcome::kReview;  // dead or unmatched counted member

  bool counts(IncomeCategory c) const { return counted_income & (1u << int(c)); }
  bool exempt(VehicleType t) const { return vehicle_exempt & (1u << int(t)); }
  // The near-standard limit: standard × band, in fen (rounded down).
  Fen near_limit() const { return standard * near_band_permille / 1000; }
  // The financial asset limit per capita: standard × months.
  Fen asset_limit() const { return standard * asset_limit_months; }
};

}  // namespace doudi::verify
