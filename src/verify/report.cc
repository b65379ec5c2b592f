#include "verify/report.h"

#include <fmt/format.h>

#include <cstdlib>
#include <map>

#include "common/codes.h"
#include "common/divisions.h"
#include "common/pdf.h"
#include "common/xlsx.h"
#include "verify/engine/rules.h"

namespace doudi::verify {
namespace {

using nlohmann::json;

std::string Str(const json& j, const char* key, std::string fallback = "") {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  if (it->is_boolean()) return it->get<bool>() ? "true" : "false";
  return it->dump();
}
int64_t Int(const json& j, const char* key, int64_t fallback = 0) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}
bool Bool(const json& j, const char* key, bool fallback = false) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() ? it->get<bool>() : fallback;
}
const json& Arr(const json& j, const char* key) {
  static const json kEmpty = json::array();
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : kEmpty;
}
const json& Obj(const json& j, const char* key) {
  static const json kEmpty = json::object();
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : kEmpty;
}

std::string RelationName(const std::string& code) {
  std::string_view name = CodeSets::Get("relation").Name(code);
  return name.empty() ? code : std::string(name);
}

std::string UrbanRuralText(const std::string& code) {
  if (code == "urban") return "城市";
  if (code == "rural") return "农村";
  return code;
}

// A feed record's values in words: "月份 2026-06；金额 1,200.00 元".
std::string ValuesText(const json& values) {
  static const std::map<std::string, std::string> kKeys = {
      {"status", "状态"},          {"death_date", "死亡日期"},     {"plate", "号牌"},
      {"vehicle_type", "车辆类型"}, {"registered_on", "登记日期"},   {"kind", "类别"},
      {"month", "月份"},           {"amount_fen", "金额"},         {"deposit_fen", "缴存额"},
      {"balance_fen", "余额"},     {"property_type", "房产类型"},   {"area_centi_m2", "面积"},
      {"company", "企业"},         {"role", "身份"},               {"registered_capital_fen", "注册资本"},
      {"income_type", "收入类型"},  {"bank", "银行"},               {"as_of", "截至"},
      {"market_value_fen", "市值"}, {"product", "产品"},            {"cash_value_fen", "现金价值"},
      {"record", "记录"},          {"date", "日期"},               {"detail", "说明"},
      {"name", "姓名"}};
  static const std::map<std::string, std::string> kCodes = {
      {"alive", "在世"},      {"dead", "死亡"},           {"car", "小型汽车"},    {"truck", "货车"},
      {"motorcycle", "摩托车"}, {"disability", "残疾人专用车"}, {"ebike", "电动自行车"}, {"other", "其他"},
      {"wage", "工资"},       {"pension", "养老金"},       {"unemployment", "失业保险金"},
      {"residential", "住宅"}, {"commercial", "商业用房"},   {"legal_rep", "法定代表人"},
      {"shareholder", "股东"}, {"active", "存续"},          {"closed", "注销"},     {"business", "经营"},
      {"property", "财产"},   {"marriage", "婚姻"},         {"benefit", "救助待遇"}};
  std::string out;
  if (!values.is_object()) return out;
  for (auto it = values.begin(); it != values.end(); ++it) {
    if (it->is_null()) continue;
    std::string text;
    if (it.key() == "area_centi_m2" && it->is_number_integer()) {
      int64_t a = it->get<int64_t>();
      text = fmt::format("{}.{:02d} 平方米", a / 100, a % 100);
    } else if (it.key().ends_with("_fen") && it->is_number_integer()) {
      text = YuanText(it->get<int64_t>()) + " 元";
    } else if (it->is_string()) {
      text = it->get<std::string>();
      if (auto bar = text.find('|'); bar != std::string::npos) text.resize(bar);  // a code with its aliases
      if (auto c = kCodes.find(text); c != kCodes.end()) text = c->second;
    } else {
      text = it->dump();
    }
    if (text.empty()) continue;
    auto k = kKeys.find(it.key());
    if (!out.empty()) out += "；";
    out += (k != kKeys.end() ? k->second : it.key()) + " " + text;
  }
  return out;
}

std::string CsvField(std::string s, bool text) {
  // A text starting like a formula is shown as text by spreadsheets, not run (CSV injection).
  if (text && !s.empty() && std::string_view("=+-@\t\r").find(s[0]) != std::string_view::npos) s.insert(0, "'");
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

pdf::Tone DecisionTone(const std::string& d) {
  if (d == "eligible") return pdf::Tone::kGood;
  if (d == "ineligible") return pdf::Tone::kBad;
  return pdf::Tone::kWarning;
}

std::string Joined(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

}  // namespace

std::string YuanText(int64_t fen) {
  const bool negative = fen < 0;
  uint64_t a = negative ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  std::string whole = std::to_string(a / 100);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  return fmt::format("{}{}.{:02d}", negative ? "-" : "", grouped, a % 100);
}

std::string TownshipOf(const std::string& division_code) {
  return division_code.substr(0, std::min<size_t>(9, division_code.size()));
}

std::string TownshipName(const std::string& division_code) {
  const Division* d = Divisions::Default().Find(TownshipOf(division_code));
  return d ? d->name : "";
}

std::string DecisionText(const std::string& code) {
  if (code == "eligible") return "符合";
  if (code == "ineligible") return "不符合";
  if (code == "review") return "需人工复核";
  return code;
}

std::string OutcomeText(const std::string& code) {
  if (code == "pass") return "通过";
  if (code == "fail") return "不通过";
  if (code == "review") return "需复核";
  if (code == "n/a") return "不适用";
  return code;
}

std::string FlagText(const std::string& code) {
  uint32_t f = 0;
  if (!ParseFlagCode(code, &f)) return code;
  return std::string(FlagName(f));
}

Result<std::string> HouseholdReportPdf(const Verification& v, const ReportOptions& o) {
  json r = json::parse(v.result, nullptr, /*allow_exceptions=*/false);
  if (!r.is_object()) {
    return Status::Invalid("verify.report.result", "核对结果数据无法读取，不能生成报告");
  }
  const json& policy = Obj(r, "policy");
  const json& income = Obj(r, "income");
  const json& assets = Obj(r, "assets");
  const std::string decision = Str(r, "decision", v.decision);
  // The period's length from the policy, else from the period itself (YYYY-MM .. YYYY-MM).
  int64_t income_months = Int(policy, "income_months");
  const std::string from = Str(r, "income_from"), to = Str(r, "income_to");
  if (income_months <= 0 && from.size() == 7 && to.size() == 7) {
    income_months = (std::atoi(to.substr(0, 4).c_str()) - std::atoi(from.substr(0, 4).c_str())) * 12 +
                    std::atoi(to.substr(5, 2).c_str()) - std::atoi(from.substr(5, 2).c_str()) + 1;
  }
  int64_t asset_months = Int(policy, "asset_limit_months");
  if (asset_months <= 0 && v.standard_fen > 0) asset_months = Int(assets, "limit_per_capita_fen") / v.standard_fen;

  pdf::Document d({.title = "居民家庭经济状况核对报告",
                   .author = o.unit,
                   .subject = fmt::format("核对编号 {}", v.id),
                   .header = fmt::format("核对编号 {} · 家庭编号 {}", v.id, v.household_id),
                   .footer = o.unit + " · 含个人信息，仅限社会救助审核确认使用，不得泄露"});
  d.Title("居民家庭经济状况核对报告", fmt::format("{} · 核对基准日 {}", o.unit, v.as_of));

  // 一、家庭基本情况
  d.Heading("一、家庭基本情况");
  std::string place = Divisions::Default().FullName(v.division_code);
  std::string policy_text = v.policy_version;
  if (Bool(policy, "example")) policy_text += "（示例政策，数值须由本地正式标准替换）";
  const json& members = Arr(r, "members");
  d.KeyValues({{"户主", v.head_name},
               {"家庭编号", std::to_string(v.household_id)},
               {"所在地", place.empty() ? v.division_code : place},
               {"城乡类别", UrbanRuralText(v.urban_rural.empty() ? Str(policy, "urban_rural") : v.urban_rural)},
               {"家庭成员", fmt::format("{} 人", members.size())},
               {"计入家庭人口", fmt::format("{} 人", v.members_counted)},
               {"核对基准日", v.as_of},
               {"收入计算期间", Str(r, "income_from") + " 至 " + Str(r, "income_to")},
               {"保障标准", YuanText(v.standard_fen) + " 元/人/月"},
               {"适用政策", policy_text}},
              2);

  // 二、家庭成员
  d.Heading("二、家庭成员");
  pdf::Table mt{.columns = {{"姓名", 1.2}, {"与户主关系", 1.2}, {"身份证号码", 2.2}, {"计入", 0.7, pdf::Align::kCenter},
                            {"户籍比对", 1.2, pdf::Align::kCenter}, {"状态", 1.4}}};
  for (const auto& m : members) {
    std::string state = Bool(m, "dead") ? "已死亡" : "正常";
    if (Bool(m, "dead") && !Str(m, "death_date").empty()) state += "（" + Str(m, "death_date") + "）";
    mt.rows.push_back({Str(m, "name"), RelationName(Str(m, "relation")), Str(m, "id_number"),
                       Bool(m, "counted", true) ? "是" : "否", Bool(m, "matched", true) ? "已比对" : "未比对上",
                       state});
  }
  d.AddTable(std::move(mt));

  // 三、收入核对
  d.Heading("三、收入核对");
  d.Paragraph(fmt::format("收入计算期间 {} 至 {}（{} 个月）：计入收入合计 {} 元，家庭月均收入 {} 元，计入家庭人口 {} 人，"
                          "月人均收入 {} 元；保障标准 {} 元/人/月。",
                          from, to, income_months,
                          YuanText(Int(income, "total_fen")), YuanText(v.income_month_fen), v.members_counted,
                          YuanText(v.income_per_capita_fen), YuanText(v.standard_fen)));
  d.Subheading("按收入类别（月均）");
  pdf::Table ct{.columns = {{"收入类别", 2}, {"月均金额（元）", 1.5, pdf::Align::kRight}, {"是否计入", 1, pdf::Align::kCenter}}};
  for (const auto& c : Arr(income, "by_category")) {
    ct.rows.push_back({Str(c, "name"), YuanText(Int(c, "month_fen")), Bool(c, "counted", true) ? "计入" : "不计入（政策豁免）"});
  }
  ct.empty_text = "核对期间未查到收入记录";
  d.AddTable(std::move(ct));
  d.Subheading("按成员、类别和月份");
  pdf::Table it{.columns = {{"成员", 1}, {"类别", 1.3}, {"期间合计（元）", 1.3, pdf::Align::kRight},
                            {"月均（元）", 1.1, pdf::Align::kRight}, {"计入", 0.6, pdf::Align::kCenter}, {"逐月金额（元）", 3.2}}};
  for (const auto& line : Arr(income, "by_member")) {
    std::vector<std::string> months;
    for (const auto& m : Arr(line, "by_month")) months.push_back(Str(m, "month") + "：" + YuanText(Int(m, "amount_fen")));
    it.rows.push_back({Str(line, "name"), Str(line, "category_name"), YuanText(Int(line, "total_fen")),
                       YuanText(Int(line, "month_fen")), Bool(line, "counted", true) ? "是" : "否",
                       Joined(months, "；")});
  }
  it.empty_text = "无";
  d.AddTable(std::move(it));

  // 四、财产核对
  d.Heading("四、财产核对");
  d.Paragraph(fmt::format("金融资产合计 {} 元，人均 {} 元；人均限额 {} 元（{} 个月保障标准）。名下非豁免机动车 {} 辆，住房 {} 套，"
                          "非住宅房产 {} 处，存续工商登记 {} 项。",
                          YuanText(v.financial_assets_fen), YuanText(Int(assets, "per_capita_fen")),
                          YuanText(Int(assets, "limit_per_capita_fen")), asset_months,
                          Int(assets, "vehicles"), Int(assets, "homes"), Int(assets, "non_residential"),
                          Int(assets, "businesses")));
  pdf::Table at{.columns = {{"成员", 1}, {"财产类别", 1.6}, {"金额（元）/数量", 1.6, pdf::Align::kRight},
                            {"是否计入", 1, pdf::Align::kCenter}}};
  for (const auto& line : Arr(assets, "lines")) {
    std::string value = line.contains("amount_fen") ? YuanText(Int(line, "amount_fen")) : Str(line, "count") + " 项";
    at.rows.push_back({Str(line, "name"), Str(line, "category_name"), value, Bool(line, "counted", true) ? "计入" : "不计入"});
  }
  at.empty_text = "未查到财产记录";
  d.AddTable(std::move(at));

  // 五、核对依据：each figure's agency records.
  d.Heading("五、核对依据（部门数据记录）");
  pdf::Table rt{.columns = {{"成员", 0.9}, {"项目", 1.2}, {"数据来源", 1.3}, {"批次/行", 0.9}, {"记录内容", 3.4},
                            {"计入", 0.6, pdf::Align::kCenter}},
                .font_size = 8};
  auto add_records = [&rt](const json& line, const std::string& item) {
    for (const auto& rec : Arr(line, "records")) {
      std::string where = rec.contains("batch_id") ? Str(rec, "batch_id") + "/" + Str(rec, "row") : "";
      rt.rows.push_back({Str(line, "name"), item, Str(rec, "source_name", Str(rec, "source")), where,
                         ValuesText(Obj(rec, "values")), Bool(rec, "counted", true) ? "是" : "否"});
    }
  };
  for (const auto& line : Arr(income, "by_member")) add_records(line, Str(line, "category_name"));
  for (const auto& line : Arr(assets, "lines")) add_records(line, Str(line, "category_name"));
  rt.empty_text = "各部门数据中未查到家庭成员的记录";
  d.AddTable(std::move(rt));
  d.Paragraph("同一成员同一月份社保与税务均报告工资收入的，只计较高的一项（另一项标为不计入），不重复计算。",
              {.size = 8.5, .muted = true});

  // 六、逐项核对
  d.Heading("六、逐项核对结果");
  pdf::Table ru{.columns = {{"核对项目", 1.2}, {"结果", 0.8, pdf::Align::kCenter}, {"理由", 5}}};
  for (const auto& rule : Arr(r, "rules")) {
    ru.rows.push_back({Str(rule, "name"), OutcomeText(Str(rule, "outcome")), Str(rule, "reason")});
  }
  d.AddTable(std::move(ru));

  // 数据时效
  std::vector<std::string> feed_notes;
  for (const auto& f : Arr(r, "feeds")) {
    if (f.contains("present") && !Bool(f, "present")) {
      feed_notes.push_back(Str(f, "name") + "：未导入");
    } else if (Bool(f, "stale")) {
      feed_notes.push_back(Str(f, "name") + "：数据截至 " + Str(f, "data_date", "不详") + "，已过期");
    }
  }

  // 七、核对结论
  d.Heading("七、核对结论");
  std::vector<std::string> flag_names;
  for (const auto& f : Arr(r, "flags")) flag_names.push_back(Str(f, "name", FlagText(Str(f, "code"))));
  if (flag_names.empty()) {
    for (const auto& code : v.flags) flag_names.push_back(FlagText(code));
  }
  std::string conclusion = flag_names.empty() ? "无疑似问题标记。" : "疑似问题：" + Joined(flag_names, "、") + "。";
  if (!feed_notes.empty()) conclusion += "\n数据时效：" + Joined(feed_notes, "；") + "。";
  if (decision == "review") conclusion += "\n请核查上述事项（入户调查或补充材料）后作出审核确认。";
  d.Callout("核对结论：" + DecisionText(decision), conclusion, DecisionTone(decision));
  std::vector<std::pair<std::string, std::string>> trailer = {
      {"核对人", v.created_by_name.empty() ? std::to_string(v.created_by) : v.created_by_name},
      {"核对时间", v.created_at},
      {"政策版本", v.policy_version}};
  if (!o.generated_at.empty()) trailer.push_back({"报告生成时间", o.generated_at});
  if (!o.generated_by.empty()) trailer.push_back({"报告下载人", o.generated_by});
  d.KeyValues(std::move(trailer), 2);
  d.Signatures({"核对人签字", "复核人签字", "日期"});
  return d.Render();
}

Result<std::string> BatchResultsXlsx(const std::vector<Verification>& rows, const std::string& title) {
  using xlsx::Cell;
  using xlsx::Type;
  DOUDI_ASSIGN_OR_RETURN(auto book, xlsx::Workbook::Create());
  DOUDI_ASSIGN_OR_RETURN(xlsx::Sheet * s,
                         book->AddSheet("核对结果",
                                        {{"家庭编号", 10, Type::kInteger},
                                         {"乡镇（街道）代码", 12, Type::kText},
                                         {"乡镇（街道）", 14, Type::kText},
                                         {"户主", 10, Type::kText},
                                         {"核对结论", 11, Type::kText},
                                         {"计入人数", 8, Type::kInteger},
                                         {"家庭月收入（元）", 14, Type::kMoney},
                                         {"月人均收入（元）", 14, Type::kMoney},
                                         {"金融资产（元）", 14, Type::kMoney},
                                         {"保障标准（元）", 12, Type::kMoney},
                                         {"疑似问题", 30, Type::kText},
                                         {"核对基准日", 11, Type::kDate},
                                         {"政策版本", 30, Type::kText},
                                         {"核对编号", 9, Type::kInteger}},
                                        title));
  for (const auto& v : rows) {
    std::vector<std::string> flags;
    for (const auto& f : v.flags) flags.push_back(FlagText(f));
    DOUDI_RETURN_IF_ERROR(s->AddRow({Cell::Integer(v.household_id), Cell::Text(TownshipOf(v.division_code)),
                                     Cell::Text(TownshipName(v.division_code)), Cell::Text(v.head_name),
                                     Cell::Text(DecisionText(v.decision)), Cell::Integer(v.members_counted),
                                     Cell::Money(v.income_month_fen), Cell::Money(v.income_per_capita_fen),
                                     Cell::Money(v.financial_assets_fen), Cell::Money(v.standard_fen),
                                     Cell::Text(Joined(flags, "、")), Cell::Date(v.as_of), Cell::Text(v.policy_version),
                                     Cell::Integer(v.id)}));
  }
  return book->Finish();
}

std::string BatchResultsCsv(const std::vector<Verification>& rows) {
  // The byte order mark lets Excel read the Chinese names as UTF-8; CSV readers of OUT.csv skip it.
  std::string out =
      "\xEF\xBB\xBFhousehold_id,decision,members_counted,income_month_fen,income_per_capita_fen,financial_assets_fen,"
      "standard_fen,flags,policy_version,township,township_name,head_name,request_id,as_of\r\n";
  for (const auto& v : rows) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n", v.household_id, v.decision, v.members_counted,
                       v.income_month_fen, v.income_per_capita_fen, v.financial_assets_fen, v.standard_fen,
                       CsvField(Joined(v.flags, ";"), false), CsvField(v.policy_version, true),
                       CsvField(TownshipOf(v.division_code), false), CsvField(TownshipName(v.division_code), true),
                       CsvField(v.head_name, true), v.id, CsvField(v.as_of, false));
  }
  return out;
}

Result<std::string> SuspiciousXlsx(const nlohmann::json& s, const std::string& title) {
  using xlsx::Cell;
  using xlsx::Type;
  DOUDI_ASSIGN_OR_RETURN(auto book, xlsx::Workbook::Create());
  DOUDI_ASSIGN_OR_RETURN(xlsx::Sheet * sum, book->AddSheet("汇总", {{"疑似问题", 24, Type::kText},
                                                                   {"乡镇（街道）", 16, Type::kText},
                                                                   {"户数", 8, Type::kInteger}},
                                                          title));
  DOUDI_ASSIGN_OR_RETURN(xlsx::Sheet * list, book->AddSheet("疑似问题清单", {{"疑似问题", 20, Type::kText},
                                                                             {"乡镇（街道）", 14, Type::kText},
                                                                             {"家庭编号", 10, Type::kInteger},
                                                                             {"户主", 10, Type::kText},
                                                                             {"核对结论", 11, Type::kText},
                                                                             {"月人均收入（元）", 14, Type::kMoney},
                                                                             {"保障标准（元）", 12, Type::kMoney},
                                                                             {"核对编号", 9, Type::kInteger}},
                                                            title));
  const json& groups = Arr(s, "groups");
  if (groups.empty()) DOUDI_RETURN_IF_ERROR(list->AddSection("本次复核没有疑似问题"));
  for (const auto& g : groups) {
    const std::string flag = Str(g, "flag_name", FlagText(Str(g, "flag")));
    DOUDI_RETURN_IF_ERROR(sum->AddRow({Cell::Text(flag), Cell::Text("合计"), Cell::Integer(Int(g, "count"))}));
    for (const auto& t : Arr(g, "townships")) {
      const std::string town = Str(t, "township_name", Str(t, "township"));
      DOUDI_RETURN_IF_ERROR(sum->AddRow({Cell::Text(flag), Cell::Text(town), Cell::Integer(Int(t, "count"))}));
      DOUDI_RETURN_IF_ERROR(list->AddSection(fmt::format("{} · {}（{} 户）", flag, town, Int(t, "count"))));
      for (const auto& item : Arr(t, "items")) {
        std::vector<Cell> row = {Cell::Text(flag), Cell::Text(town), Cell::Integer(Int(item, "household_id")),
                                 Cell::Text(Str(item, "head_name")),
                                 Cell::Text(Str(item, "decision_name", DecisionText(Str(item, "decision"))))};
        row.push_back(item.contains("income_per_capita_fen") ? Cell::Money(Int(item, "income_per_capita_fen"))
                                                             : Cell::Empty());
        row.push_back(item.contains("standard_fen") ? Cell::Money(Int(item, "standard_fen")) : Cell::Empty());
        row.push_back(Cell::Integer(Int(item, "request_id")));
        DOUDI_RETURN_IF_ERROR(list->AddRow(row));
      }
    }
  }
  return book->Finish();
}

std::string FeedRejectsCsv(const std::vector<FeedReject>& rejects) {
  std::string out = "\xEF\xBB\xBFrow,column,code,reason\r\n";
  for (const auto& r : rejects) {
    out += fmt::format("{},{},{},{}\r\n", r.row, CsvField(r.column, true), CsvField(r.code, false),
                       CsvField(r.reason, true));
  }
  return out;
}

}  // namespace doudi::verify
