#include "verify/report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "common/csv.h"
#include "verify/results.h"

namespace doudi::verify {
namespace {

std::string Run(const std::string& cmd) {
  std::string out;
  FILE* f = popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  pclose(f);
  return out;
}

// Writes bytes to a temporary file and runs `tool '<file>' args` on it.
std::string ReadBack(const std::string& bytes, const std::string& tool, const std::string& args) {
  char name[] = "/tmp/doudi-report-test-XXXXXX";
  int fd = mkstemp(name);
  close(fd);
  std::ofstream(name, std::ios::binary) << bytes;
  std::string out = Run(fmt::format("{} '{}' {}", tool, name, args));
  std::filesystem::remove(name);
  return out;
}

std::string Squeeze(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\n' && c != '\f') out += c;
  }
  return out;
}

// A household of two whose wage is reported by social insurance and tax (the smaller report not counted), with a
// bank balance and a car: the engine's HouseholdReport turned into the stored result by results.h.
struct Fixture {
  std::vector<store::FeedRow> rows;
  PolicyEntry policy;
  Verification v;

  Fixture() {
    rows.resize(4);
    auto& si = rows[0];  // social insurance wage 2026-06, 1,200.00
    si.id = 501; si.batch_id = 7; si.feed = int(Feed::kSocialInsurance); si.row_no = 12;
    si.code[0] = 0; si.month = MonthIndex(2026, 6); si.money[0] = 120000;
    auto& tax = rows[1];  // tax wage 2026-06, 1,000.00: smaller, not counted
    tax.id = 502; tax.batch_id = 8; tax.feed = int(Feed::kTax); tax.row_no = 3;
    tax.code[0] = 0; tax.month = MonthIndex(2026, 6); tax.money[0] = 100000;
    auto& bank = rows[2];
    bank.id = 503; bank.batch_id = 9; bank.feed = int(Feed::kBank); bank.row_no = 40;
    bank.text[0] = "农业银行"; bank.money[0] = 2345678; bank.date[0] = DateDays("2026-10-31");
    auto& car = rows[3];
    car.id = 504; car.batch_id = 10; car.feed = int(Feed::kVehicle); car.row_no = 2;
    car.text[0] = "鄂D12345"; car.code[0] = 0; car.date[0] = DateDays("2019-05-01");

    HouseholdReport r;
    r.summary.decision = Decision::kIneligible;
    r.summary.flags = kFlagVehicle | kFlagIncomeNearStandard;
    r.summary.members_counted = 2;
    r.summary.income_total = 120000;
    r.summary.income_month = 20000;
    r.summary.income_per_capita = 10000;
    r.summary.financial_assets = 2345678;
    r.summary.financial_assets_per_capita = 1172839;
    r.summary.standard = 78000;
    r.summary.vehicles = 1;
    r.policy_version = "jingzhou-example-2025.1#421002-urban-2025-01-01";
    r.period_first_month = MonthIndex(2026, 5);
    r.period_last_month = MonthIndex(2026, 10);
    r.near_limit = 117000;
    r.asset_limit = 1872000;
    r.members = {{1, true, true, false, kNoDate}, {2, true, true, false, kNoDate}};
    IncomeLine wage{.member = 0, .category = IncomeCategory::kWage, .total = 120000, .monthly = 20000};
    wage.by_month = {{MonthIndex(2026, 6), 120000}};
    wage.records = {{Feed::kSocialInsurance, 501, true}, {Feed::kTax, 502, false}};
    r.income.push_back(wage);
    AssetLine deposit{.member = 1, .category = AssetCategory::kBank, .amount = 2345678};
    deposit.records = {{Feed::kBank, 503, true}};
    r.assets.push_back(deposit);
    AssetLine vehicle{.member = 0, .category = AssetCategory::kVehicle, .count = 1};
    vehicle.records = {{Feed::kVehicle, 504, true}};
    r.assets.push_back(vehicle);
    r.rules = {{RuleId::kIncome, Outcome::kPass, "家庭月人均收入 100.00元，低于保障标准 780.00元"},
               {RuleId::kVehicle, Outcome::kFail, "计入成员名下有 1 辆非豁免机动车"}};

    policy.county = "421002";
    policy.effective_from = DateDays("2025-01-01");
    policy.rules.income_months = 6;
    policy.rules.asset_limit_months = 24;
    ResultContext ctx;
    ctx.policy = &policy;
    ctx.example_policy = true;
    ctx.as_of = "2026-11-15";
    ctx.members = {{11, "张三", "02", "421002********0013"}, {12, "李四", "10", "421002********0028"}};
    for (const auto& row : rows) ctx.rows[static_cast<uint64_t>(row.id)] = &row;

    v.id = 321;
    v.household_id = 45;
    v.division_code = "421002002";  // 沙市区 崇文街道
    v.urban_rural = "urban";
    v.head_name = "张三";
    v.decision = "ineligible";
    v.flags = {"vehicle", "income_near_standard"};
    v.members_counted = 2;
    v.income_month_fen = 20000;
    v.income_per_capita_fen = 10000;
    v.financial_assets_fen = 2345678;
    v.standard_fen = 78000;
    v.policy_version = r.policy_version;
    v.as_of = "2026-11-15";
    v.created_at = "2026-11-15T02:00:00Z";
    v.created_by_name = "沙市核对员";
    v.result = ResultJson(r, ctx).dump();
  }
};

TEST(Report, YuanTextGroupsThousands) {
  EXPECT_EQ(YuanText(0), "0.00");
  EXPECT_EQ(YuanText(5), "0.05");
  EXPECT_EQ(YuanText(-5), "-0.05");
  EXPECT_EQ(YuanText(123456), "1,234.56");
  EXPECT_EQ(YuanText(100000000), "1,000,000.00");
  EXPECT_EQ(YuanText(99999), "999.99");
}

TEST(Report, HouseholdPdfShowsEveryPartOfTheResult) {
  Fixture f;
  auto pdf = HouseholdReportPdf(f.v, {.generated_at = "2026-11-29T10:00:00Z", .generated_by = "王核对"});
  ASSERT_TRUE(pdf.ok()) << pdf.status().ToString();
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
  EXPECT_LT(pdf->size(), 200u * 1024) << "two pages, two subset faces";
  std::string text = Squeeze(ReadBack(*pdf, "pdftotext -enc UTF-8", "-"));
  for (const char* s : {
           "居民家庭经济状况核对报告", "核对编号321", "张三", "李四", "户主", "配偶",  // members, relation names
           "421002********0013", "崇文街道",                                         // masked ID, place
           "2026-05至2026-10",                                                         // income period
           "工资性收入", "1,200.00", "2026-06：1,200.00",                               // income by month
           "社保", "税务", "7/12", "8/3",                                              // records: source, batch/row
           "金额1,000.00元",                                                           // the uncounted tax report
           "农业银行", "23,456.78", "鄂D12345",                                         // assets with their records
           "计入成员名下有1辆非豁免机动车", "不通过",                                   // a rule, its reason
           "核对结论：不符合", "有机动车", "收入处于低保边缘",                          // decision and flags
           "jingzhou-example-2025.1#421002", "示例政策",                                // policy version
           "（6个月）", "人均限额18,720.00元（24个月保障标准）",
           "沙市核对员", "王核对", "780.00元/人/月", "核对人签字："}) {
    EXPECT_NE(text.find(Squeeze(s)), std::string::npos) << s << "\n" << text;
  }
  EXPECT_EQ(text.find("wage|"), std::string::npos) << "codes are shown in words";
}

TEST(Report, HouseholdPdfRefusesAnUnreadableResult) {
  Fixture f;
  f.v.result = "{not json";
  auto pdf = HouseholdReportPdf(f.v, {});
  EXPECT_EQ(pdf.status().error_code(), "verify.report.result");
}

TEST(Report, BatchCsvKeepsTheOutCsvColumnsFirst) {
  Fixture f;
  Verification other = f.v;
  other.id = 322;
  other.household_id = 46;
  other.head_name = "=HYPERLINK(\"x\")";
  other.decision = "eligible";
  other.flags = {};
  std::string csv = BatchResultsCsv({f.v, other});
  auto t = ParseCsv(csv);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  const std::vector<std::string> out_csv = {"household_id", "decision", "members_counted", "income_month_fen",
                                            "income_per_capita_fen", "financial_assets_fen", "standard_fen", "flags",
                                            "policy_version"};
  ASSERT_GE(t->header.size(), out_csv.size() + 3);
  for (size_t i = 0; i < out_csv.size(); ++i) EXPECT_EQ(t->header[i], out_csv[i]);
  ASSERT_EQ(t->rows.size(), 2u);
  const auto& r0 = t->rows[0];
  EXPECT_EQ(r0[0], "45");
  EXPECT_EQ(r0[1], "ineligible");
  EXPECT_EQ(r0[2], "2");
  EXPECT_EQ(r0[3], "20000");
  EXPECT_EQ(r0[4], "10000");
  EXPECT_EQ(r0[5], "2345678");
  EXPECT_EQ(r0[6], "78000");
  EXPECT_EQ(r0[7], "vehicle;income_near_standard");
  EXPECT_EQ(r0[t->Column("township")], "421002002");
  EXPECT_EQ(r0[t->Column("township_name")], "崇文街道");
  EXPECT_EQ(r0[t->Column("head_name")], "张三");
  EXPECT_EQ(t->rows[1][7], "");
  EXPECT_EQ(t->rows[1][t->Column("head_name")], "'=HYPERLINK(\"x\")");  // not a formula in a spreadsheet
}

TEST(Report, BatchXlsxAndSuspiciousXlsx) {
  Fixture f;
  auto book = BatchResultsXlsx({f.v}, "2026 年 11 月复核");
  ASSERT_TRUE(book.ok()) << book.status().ToString();
  std::string sheet = ReadBack(*book, "unzip -p", "xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet.find("<t>2026 年 11 月复核</t>"), std::string::npos);
  EXPECT_NE(sheet.find("<t>崇文街道</t>"), std::string::npos) << sheet;
  EXPECT_NE(sheet.find("<t>不符合</t>"), std::string::npos);
  EXPECT_NE(sheet.find("<t>有机动车、收入处于低保边缘</t>"), std::string::npos);
  EXPECT_NE(sheet.find("<v>23456.78</v>"), std::string::npos);  // money in yuan
  EXPECT_NE(sheet.find("<v>780</v>"), std::string::npos);

  nlohmann::json s = {{"batch_id", 3},
                      {"groups",
                       {{{"flag", "vehicle"},
                         {"flag_name", "有机动车"},
                         {"count", 2},
                         {"townships",
                          {{{"township", "421002002"},
                            {"township_name", "崇文街道"},
                            {"count", 2},
                            {"items",
                             {{{"request_id", 321}, {"household_id", 45}, {"head_name", "张三"},
                               {"decision", "ineligible"}, {"decision_name", "不符合"},
                               {"income_per_capita_fen", 10000}, {"standard_fen", 78000}},
                              {{"request_id", 330}, {"household_id", 52}, {"head_name", "赵六"},
                               {"decision", "review"}, {"decision_name", "需人工复核"}}}}}}}}}}};
  auto sus = SuspiciousXlsx(s, "疑似问题清单");
  ASSERT_TRUE(sus.ok()) << sus.status().ToString();
  std::string summary = ReadBack(*sus, "unzip -p", "xl/worksheets/sheet1.xml");
  std::string list = ReadBack(*sus, "unzip -p", "xl/worksheets/sheet2.xml");
  EXPECT_NE(summary.find("<t>有机动车</t>"), std::string::npos);
  EXPECT_NE(list.find("<t>有机动车 · 崇文街道（2 户）</t>"), std::string::npos) << list;
  EXPECT_NE(list.find("<t>赵六</t>"), std::string::npos);
  EXPECT_NE(list.find("<t>需人工复核</t>"), std::string::npos);
}

TEST(Report, FeedRejectsCsv) {
  std::string csv = FeedRejectsCsv({{3, "id_number", "verify.feed.id_number", "身份证号码校验位不正确"},
                                    {5, "", "csv.ragged_row", "第 5 行列数与表头不一致, 应为 4 列"}});
  auto t = ParseCsv(csv);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[0], (std::vector<std::string>{"3", "id_number", "verify.feed.id_number", "身份证号码校验位不正确"}));
  EXPECT_EQ(t->rows[1][3], "第 5 行列数与表头不一致, 应为 4 列");
}

}  // namespace
}  // namespace doudi::verify
