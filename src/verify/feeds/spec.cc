// The columns of the eleven feeds. A code column lists its codes in the engine's enum order; each code may be
// followed by '|'-separated synonyms that are understood as that code (Chinese words agencies use).
#include "verify/feeds/feeds.h"

namespace doudi::verify::feeds {
namespace {

using CT = ColumnType;

std::vector<FeedSpec> MakeSpecs() {
  const ColumnSpec id{"id_number", CT::kIdNumber};
  std::vector<FeedSpec> s;
  s.push_back({Feed::kHukou, "hukou.csv",
               {id,
                {"name", CT::kText, 0},
                {"status", CT::kCode, 0, true, false, {"alive|正常|在世|健在|存活|1", "dead|死亡|已死亡|注销|2"}},
                {"death_date", CT::kDate, 0, true, true}}});
  s.push_back({Feed::kVehicle, "vehicle.csv",
               {id,
                {"plate", CT::kText, 0},
                {"vehicle_type", CT::kCode, 0, true, false,
                 {"car|小型汽车|轿车|小型载客汽车|汽车", "truck|货车|载货汽车", "motorcycle|摩托车|二轮摩托车",
                  "disability|残疾人专用车|残疾人机动轮椅车", "ebike|电动自行车|电动车", "other|其他"}},
                {"registered_on", CT::kDate, 0}}});
  s.push_back({Feed::kSocialInsurance, "social_insurance.csv",
               {id,
                {"kind", CT::kCode, 0, true, false,
                 {"wage|工资|缴费工资", "pension|养老金|退休金", "unemployment|失业金|失业保险金", "other|其他"}},
                {"month", CT::kMonth, 0},
                {"amount_yuan", CT::kMoney, 0}}});
  s.push_back({Feed::kProvidentFund, "provident_fund.csv",
               {id, {"month", CT::kMonth, 0}, {"deposit_yuan", CT::kMoney, 0}, {"balance_yuan", CT::kMoney, 1}}});
  s.push_back({Feed::kRealEstate, "real_estate.csv",
               {id,
                {"property_type", CT::kCode, 0, true, false,
                 {"residential|住宅|住房", "commercial|商业|商铺|商服|办公", "other|其他|车库|仓储|工业"}},
                {"area_m2", CT::kArea, 0},
                {"registered_on", CT::kDate, 0}}});
  s.push_back({Feed::kBusiness, "business.csv",
               {id,
                {"company", CT::kText, 0},
                {"role", CT::kCode, 0, true, false,
                 {"legal_rep|法定代表人|法人|经营者|负责人", "shareholder|股东|投资人|合伙人", "other|其他|监事|董事"}},
                {"registered_capital_yuan", CT::kMoney, 0},
                {"status", CT::kCode, 1, true, false, {"active|存续|在业|开业", "closed|注销|吊销|歇业|迁出"}}}});
  s.push_back({Feed::kTax, "tax.csv",
               {id,
                {"income_type", CT::kCode, 0, true, false,
                 {"wage|工资薪金|工资", "business|经营所得|经营", "property|财产租赁|利息股息红利|财产|租金", "other|其他"}},
                {"month", CT::kMonth, 0},
                {"amount_yuan", CT::kMoney, 0}}});
  s.push_back({Feed::kBank, "bank.csv",
               {id, {"bank", CT::kText, 0}, {"balance_yuan", CT::kMoney, 0}, {"as_of", CT::kDate, 0}}});
  s.push_back({Feed::kSecurities, "securities.csv",
               {id, {"market_value_yuan", CT::kMoney, 0}, {"as_of", CT::kDate, 0}}});
  s.push_back({Feed::kInsurance, "insurance.csv",
               {id, {"product", CT::kText, 0}, {"cash_value_yuan", CT::kMoney, 0}, {"as_of", CT::kDate, 0}}});
  s.push_back({Feed::kCivil, "civil.csv",
               {id,
                {"record", CT::kCode, 0, true, false, {"marriage|婚姻|结婚|离婚", "death|死亡|火化", "benefit|救助|待遇"}},
                {"date", CT::kDate, 0},
                {"detail", CT::kText, 1, false, true}}});
  return s;
}

}  // namespace

const FeedSpec& Spec(Feed feed) {
  static const std::vector<FeedSpec> specs = MakeSpecs();
  return specs[int(feed)];
}

}  // namespace doudi::verify::feeds
