// Codes and Chinese names of income categories, outcomes, decisions, rules and flags.
#include "verify/engine/rules.h"

#include <bit>

namespace doudi::verify {

std::string_view IncomeCategoryCode(IncomeCategory c) {
  static constexpr std::string_view k[kIncomeCategoryCount] = {"wage",     "pension",  "unemployment", "si_other",
                                                               "business", "property", "tax_other"};
  return k[int(c)];
}
std::string_view IncomeCategoryName(IncomeCategory c) {
  static constexpr std::string_view k[kIncomeCategoryCount] = {
      "工资性收入", "养老金", "失业保险金", "其他社保待遇", "经营净收入", "财产净收入", "其他收入"};
  return k[int(c)];
}
bool ParseIncomeCategory(std::string_view code, IncomeCategory* out) {
  for (int i = 0; i < kIncomeCategoryCount; ++i) {
    if (IncomeCategoryCode(IncomeCategory(i)) == code) {
      *out = IncomeCategory(i);
      return true;
    }
  }
  return false;
}

std::string_view OutcomeCode(Outcome o) {
  static constexpr std::string_view k[] = {"pass", "fail", "review", "n/a"};
  return k[int(o)];
}
bool ParseOutcome(std::string_view code, Outcome* out) {
  if (code == "pass") *out = Outcome::kPass;
  else if (code == "fail" || code == "ineligible") *out = Outcome::kFail;
  else if (code == "review") *out = Outcome::kReview;
  else return false;
  return true;
}

std::string_view DecisionCode(Decision d) {
  static constexpr std::string_view k[] = {"eligible", "ineligible", "review"};
  return k[int(d)];
}
std::string_view DecisionName(Decision d) {
  static constexpr std::string_view k[] = {"符合", "不符合", "需人工复核"};
  return k[int(d)];
}

std::string_view RuleCode(RuleId r) {
  static constexpr std::string_view k[kRuleCount] = {"members",  "income",   "assets", "vehicle",
                                                     "property", "business", "feeds"};
  return k[int(r)];
}
std::string_view RuleName(RuleId r) {
  static constexpr std::string_view k[kRuleCount] = {"家庭成员身份", "收入",     "金融资产", "机动车",
                                                     "房产",         "工商登记", "数据时效"};
  return k[int(r)];
}

namespace {
constexpr std::string_view kFlagCodes[kFlagCount] = {
    "member_dead",       "unmatched_member",     "vehicle",              "business",   "property",
    "assets_over_limit", "income_over_standard", "income_near_standard", "stale_feed", "no_counted_member"};
constexpr std::string_view kFlagNames[kFlagCount] = {
    "成员已死亡",     "成员未比对上户籍", "有机动车",         "有工商登记", "多套住房或有非住宅房产",
    "金融资产超标准", "收入超过保障标准", "收入处于低保边缘", "数据缺失或过期", "无计入家庭成员"};
int FlagIndex(uint32_t f) { return f ? std::countr_zero(f) : 0; }
}  // namespace

std::string_view FlagCode(uint32_t f) { return kFlagCodes[FlagIndex(f)]; }
std::string_view FlagName(uint32_t f) { return kFlagNames[FlagIndex(f)]; }
std::string FlagCodes(uint32_t flags) {
  std::string out;
  for (int i = 0; i < kFlagCount; ++i) {
    if (flags & (1u << i)) {
      if (!out.empty()) out += ';';
      out += kFlagCodes[i];
    }
  }
  return out;
}
bool ParseFlagCode(std::string_view code, uint32_t* out) {
  for (int i = 0; i < kFlagCount; ++i) {
    if (kFlagCodes[i] == code) {
      *out = 1u << i;
      return true;
    }
  }
  return false;
}

}  // namespace doudi::verify
