#include "verify/results.h"

#include "verify/feeds/feeds.h"

namespace doudi::verify {
namespace {

using nlohmann::json;

json Record(const RecordRef& r, const ResultContext& ctx) {
  json j = {{"source", FeedCode(r.feed)}, {"source_name", FeedName(r.feed)}, {"row_id", r.ref}, {"counted", r.counted}};
  auto it = ctx.rows.find(r.ref);
  if (it != ctx.rows.end()) {
    j["batch_id"] = it->second->batch_id;
    j["row"] = it->second->row_no;
    j["values"] = RowValues(*it->second);
  }
  return j;
}

json Records(const std::vector<RecordRef>& refs, const ResultContext& ctx) {
  json out = json::array();
  for (const auto& r : refs) out.push_back(Record(r, ctx));
  return out;
}

json MemberRef(uint32_t index, const ResultContext& ctx) {
  if (index < ctx.members.size()) {
    return {{"person_id", ctx.members[index].person_id}, {"name", ctx.members[index].name}};
  }
  return {{"person_id", nullptr}, {"name", ""}};
}

bool IsMoneyAsset(AssetCategory c) { return static_cast<uint8_t>(c) <= static_cast<uint8_t>(AssetCategory::kProvidentFund); }

}  // namespace

std::vector<std::string> FlagList(uint32_t flags) {
  std::vector<std::string> out;
  for (int i = 0; i < kFlagCount; ++i) {
    uint32_t f = 1u << i;
    if (flags & f) out.emplace_back(FlagCode(f));
  }
  return out;
}

json RowValues(const store::FeedRow& row) {
  json v = json::object();
  for (const auto& c : feeds::Spec(static_cast<Feed>(row.feed)).columns) {
    std::string name(c.name);
    switch (c.type) {
      case feeds::ColumnType::kIdNumber: break;
      case feeds::ColumnType::kText: v[name] = row.text[c.slot]; break;
      case feeds::ColumnType::kCode: {
        int code = row.code[c.slot];
        std::string_view spec_code = code >= 0 && static_cast<size_t>(code) < c.codes.size() ? c.codes[code] : "";
        v[name] = std::string(spec_code.substr(0, spec_code.find('|')));  // the code without its synonyms
        break;
      }
      case feeds::ColumnType::kDate:
        v[name] = row.date[c.slot] == kNoDate ? json(nullptr) : json(FormatDays(row.date[c.slot]));
        break;
      case feeds::ColumnType::kMonth: v[name] = FormatMonth(row.month); break;
      case feeds::ColumnType::kMoney: {
        std::string base = name;
        if (base.ends_with("_yuan")) base.resize(base.size() - 5);
        v[base + "_fen"] = row.money[c.slot];
        break;
      }
      case feeds::ColumnType::kArea: v["area_centi_m2"] = row.area; break;
    }
  }
  return v;
}

json ResultJson(const HouseholdReport& r, const ResultContext& ctx) {
  const HouseholdSummary& s = r.summary;
  json flags = json::array();
  for (const auto& code : FlagList(s.flags)) {
    uint32_t f = 0;
    ParseFlagCode(code, &f);
    flags.push_back({{"code", code}, {"name", FlagName(f)}});
  }
  json policy = {{"version", r.policy_version},
                 {"standard_fen", s.standard},
                 {"near_limit_fen", r.near_limit},
                 {"asset_limit_per_capita_fen", r.asset_limit},
                 {"example", ctx.example_policy}};
  if (ctx.policy) {
    policy["county"] = ctx.policy->county;
    policy["urban_rural"] = AreaCode(ctx.policy->area);
    policy["effective_from"] = FormatDays(ctx.policy->effective_from);
    policy["income_months"] = ctx.policy->rules.income_months;
    policy["asset_limit_months"] = ctx.policy->rules.asset_limit_months;
  }
  json members = json::array();
  for (size_t i = 0; i < r.members.size(); ++i) {
    const MemberStatus& m = r.members[i];
    json j = {{"counted", m.counted}, {"matched", m.matched}, {"dead", m.dead},
              {"death_date", m.death_date == kNoDate ? json(nullptr) : json(FormatDays(m.death_date))}};
    if (i < ctx.members.size()) {
      j["person_id"] = ctx.members[i].person_id;
      j["name"] = ctx.members[i].name;
      j["relation"] = ctx.members[i].relation;
      j["id_number"] = ctx.members[i].id_number;
    }
    members.push_back(std::move(j));
  }
  // Income: the lines by member and category, and their sums by category.
  json by_category = json::array();
  for (int c = 0; c < kIncomeCategoryCount; ++c) {
    Fen month = 0;
    bool any = false, counted = true;
    for (const auto& line : r.income) {
      if (static_cast<int>(line.category) != c) continue;
      any = true;
      counted = line.counted;
      month += line.monthly;
    }
    if (!any) continue;
    auto cat = static_cast<IncomeCategory>(c);
    by_category.push_back({{"category", IncomeCategoryCode(cat)},
                           {"name", IncomeCategoryName(cat)},
                           {"month_fen", month},
                           {"counted", counted}});
  }
  json by_member = json::array();
  for (const auto& line : r.income) {
    json j = MemberRef(line.member, ctx);
    j["category"] = IncomeCategoryCode(line.category);
    j["category_name"] = IncomeCategoryName(line.category);
    j["total_fen"] = line.total;
    j["month_fen"] = line.monthly;
    j["counted"] = line.counted;
    json months = json::array();
    for (const auto& m : line.by_month) months.push_back({{"month", FormatMonth(m.month)}, {"amount_fen", m.amount}});
    j["by_month"] = std::move(months);
    j["records"] = Records(line.records, ctx);
    by_member.push_back(std::move(j));
  }
  json income = {{"total_fen", s.income_total},
                 {"month_fen", s.income_month},
                 {"per_capita_fen", s.income_per_capita},
                 {"by_category", std::move(by_category)},
                 {"by_member", std::move(by_member)}};
  // Assets.
  json asset_categories = json::array();
  json asset_lines = json::array();
  for (int c = 0; c <= static_cast<int>(AssetCategory::kBusiness); ++c) {
    auto cat = static_cast<AssetCategory>(c);
    Fen value = 0;
    uint32_t count = 0;
    bool any = false;
    for (const auto& line : r.assets) {
      if (line.category != cat) continue;
      any = true;
      if (line.counted) {
        value += line.amount;
        count += line.count;
      }
    }
    if (!any) continue;
    json j = {{"category", AssetCategoryCode(cat)}, {"name", AssetCategoryName(cat)}};
    if (IsMoneyAsset(cat)) {
      j["value_fen"] = value;
    } else {
      j["count"] = count;
    }
    asset_categories.push_back(std::move(j));
  }
  for (const auto& line : r.assets) {
    json j = MemberRef(line.member, ctx);
    j["category"] = AssetCategoryCode(line.category);
    j["category_name"] = AssetCategoryName(line.category);
    if (IsMoneyAsset(line.category)) {
      j["amount_fen"] = line.amount;
    } else {
      j["count"] = line.count;
    }
    j["counted"] = line.counted;
    j["records"] = Records(line.records, ctx);
    asset_lines.push_back(std::move(j));
  }
  json assets = {{"financial_fen", s.financial_assets},
                 {"per_capita_fen", s.financial_assets_per_capita},
                 {"limit_per_capita_fen", r.asset_limit},
                 {"vehicles", s.vehicles},
                 {"homes", s.homes},
                 {"non_residential", s.non_residential},
                 {"businesses", s.businesses},
                 {"by_category", std::move(asset_categories)},
                 {"lines", std::move(asset_lines)}};
  json rules = json::array();
  for (const auto& rr : r.rules) {
    rules.push_back({{"code", RuleCode(rr.rule)},
                     {"name", RuleName(rr.rule)},
                     {"outcome", OutcomeCode(rr.outcome)},
                     {"reason", rr.reason}});
  }
  json feeds = json::array();
  for (int f = 0; f < kFeedCount; ++f) {
    auto feed = static_cast<Feed>(f);
    bool stale = false;
    for (Feed sf : r.stale_feeds) stale = stale || sf == feed;
    json j = {{"source", FeedCode(feed)}, {"name", FeedName(feed)}, {"stale", stale}};
    if (ctx.tables) {
      const FeedStatus& st = ctx.tables->status[f];
      j["present"] = st.present;
      j["data_date"] = st.data_date == kNoDate ? json(nullptr) : json(FormatDays(st.data_date));
    }
    feeds.push_back(std::move(j));
  }
  return {{"decision", DecisionCode(s.decision)},
          {"decision_name", DecisionName(s.decision)},
          {"flags", std::move(flags)},
          {"policy", std::move(policy)},
          {"as_of", ctx.as_of},
          {"income_from", FormatMonth(r.period_first_month)},
          {"income_to", FormatMonth(r.period_last_month)},
          {"members_counted", s.members_counted},
          {"members", std::move(members)},
          {"income", std::move(income)},
          {"assets", std::move(assets)},
          {"rules", std::move(rules)},
          {"feeds", std::move(feeds)}};
}

}  // namespace doudi::verify
