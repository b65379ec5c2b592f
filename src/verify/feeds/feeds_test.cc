// Feed reading tests: value forms, encodings, XLSX, and each kind of bad input of the issue.
#include "verify/feeds/feeds.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace doudi::verify::feeds {
namespace {

// Valid ID numbers (check characters computed by hand with the GB 11643 weights):
//   11010519491231002X  (the standard's own example)
//   440524188001010014  (DOMAIN.md)
constexpr const char* kIdA = "11010519491231002X";
constexpr const char* kIdB = "440524188001010014";

struct Collected {
  std::vector<ParsedRow> rows;
  std::vector<std::string> ids, text0;
};

Result<ParseResult> Parse(Feed feed, std::string_view bytes, Collected* c, std::string_view name = "f.csv") {
  return ParseFeed(feed, name, bytes, [c](const ParsedRow& r) {
    c->rows.push_back(r);
    c->ids.emplace_back(r.id_number);
    c->text0.emplace_back(r.text[0]);
  });
}

TEST(VerifyFeedValues, IdNumbers) {
  char out[18];
  ValueError err;
  ASSERT_TRUE(ParseIdValue(kIdA, out, &err));
  EXPECT_EQ(std::string(out, 18), kIdA);
  ASSERT_TRUE(ParseIdValue(" 11010519491231002x ", out, &err));  // lower-case x, spaces
  EXPECT_EQ(std::string(out, 18), kIdA);
  // 15 digits: 110105491231002 → 11010519491231002 + check X.
  ASSERT_TRUE(ParseIdValue("110105491231002", out, &err));
  EXPECT_EQ(std::string(out, 18), kIdA);
  EXPECT_FALSE(ParseIdValue("110105194912310021", out, &err));  // check digit should be X
  EXPECT_EQ(err.code, "feed.id_number.check_digit");
  // 1949-02-30 does not exist; the check character 0 is right for 11010519490230002 (worked out by hand).
  EXPECT_FALSE(ParseIdValue("110105194902300020", out, &err));
  EXPECT_EQ(err.code, "feed.id_number.birth_date");
  EXPECT_FALSE(ParseIdValue("11010519491231", out, &err));
  EXPECT_EQ(err.code, "feed.id_number.format");
}

TEST(VerifyFeedValues, Dates) {
  int32_t d;
  ValueError err;
  ASSERT_TRUE(ParseDateValue("2024-03-05", &d, &err));
  EXPECT_EQ(d, DateDays("2024-03-05"));
  for (const char* s : {"2024/3/5", "20240305", "2024年3月5日", "2024-03-05 00:00:00", "2024.3.5", "2024-3-5"}) {
    int32_t v = 0;
    ASSERT_TRUE(ParseDateValue(s, &v, &err)) << s;
    EXPECT_EQ(v, d) << s;
  }
  EXPECT_FALSE(ParseDateValue("2020-02-30", &d, &err));
  EXPECT_EQ(err.code, "feed.date.invalid");
  EXPECT_FALSE(ParseDateValue("2021-02-29", &d, &err));  // not a leap year
  EXPECT_TRUE(ParseDateValue("2020-02-29", &d, &err));
  EXPECT_FALSE(ParseDateValue("05/03/2024", &d, &err));  // day-first is ambiguous: rejected
  EXPECT_EQ(err.code, "feed.date.format");
}

TEST(VerifyFeedValues, Months) {
  int32_t m;
  ValueError err;
  for (const char* s : {"2024-03", "2024/3", "202403", "2024年3月", "2024-03-31"}) {
    ASSERT_TRUE(ParseMonthValue(s, &m, &err)) << s;
    EXPECT_EQ(m, MonthIndex(2024, 3)) << s;
  }
  EXPECT_FALSE(ParseMonthValue("2024-13", &m, &err));
  EXPECT_FALSE(ParseMonthValue("2025-02-30", &m, &err));
  EXPECT_EQ(err.code, "feed.month.invalid");
}

TEST(VerifyFeedValues, Money) {
  Fen f;
  ValueError err;
  ASSERT_TRUE(ParseMoneyValue("1,000.00元", &f, &err));
  EXPECT_EQ(f, 100000);
  ASSERT_TRUE(ParseMoneyValue("12,345,678.9", &f, &err));
  EXPECT_EQ(f, 1234567890);
  ASSERT_TRUE(ParseMoneyValue("¥1000", &f, &err));
  EXPECT_EQ(f, 100000);
  ASSERT_TRUE(ParseMoneyValue("￥0.05", &f, &err));
  EXPECT_EQ(f, 5);
  ASSERT_TRUE(ParseMoneyValue(" 3000 ", &f, &err));
  EXPECT_EQ(f, 300000);
  ASSERT_TRUE(ParseMoneyValue(".5", &f, &err));
  EXPECT_EQ(f, 50);
  EXPECT_FALSE(ParseMoneyValue("-5", &f, &err));
  EXPECT_EQ(err.code, "feed.money.negative");
  EXPECT_FALSE(ParseMoneyValue("1.234", &f, &err));
  EXPECT_EQ(err.code, "feed.money.precision");
  EXPECT_FALSE(ParseMoneyValue("1,00", &f, &err));
  EXPECT_EQ(err.code, "feed.money.format");
  EXPECT_FALSE(ParseMoneyValue("1e5", &f, &err));
  EXPECT_FALSE(ParseMoneyValue("abc", &f, &err));
}

TEST(VerifyFeedValues, Area) {
  int32_t a;
  ValueError err;
  ASSERT_TRUE(ParseAreaValue("89.5㎡", &a, &err));
  EXPECT_EQ(a, 8950);
  ASSERT_TRUE(ParseAreaValue("120平方米", &a, &err));
  EXPECT_EQ(a, 12000);
  EXPECT_FALSE(ParseAreaValue("-3", &a, &err));
}

TEST(VerifyFeeds, Utf8WithAndWithoutBom) {
  std::string body = std::string("id_number,name,status,death_date\n") + kIdA + ",张三,alive,\n" + kIdB +
                     ",李四,死亡,2024-05-01\n";
  for (std::string bytes : {body, "\xEF\xBB\xBF" + body}) {
    Collected c;
    auto r = Parse(Feed::kHukou, bytes, &c);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->encoding, bytes[0] == 'i' ? Encoding::kUtf8 : Encoding::kUtf8Bom);
    EXPECT_EQ(r->rows_total, 2);
    EXPECT_EQ(r->rows_accepted, 2);
    ASSERT_EQ(c.rows.size(), 2u);
    EXPECT_EQ(c.text0[0], "张三");
    EXPECT_EQ(c.rows[0].code[0], 0);  // alive
    EXPECT_EQ(c.rows[1].code[0], 1);  // 死亡 → dead
    EXPECT_EQ(c.rows[1].date[0], DateDays("2024-05-01"));
    EXPECT_EQ(c.rows[1].row, 3);
    EXPECT_EQ(r->sha256.size(), 64u);
  }
}

TEST(VerifyFeeds, GbkIsDetectedAndConverted) {
  // "张三" in GBK is D5 C5 C8 FD; "工资薪金" is B9 A4 D7 CA D0 BD BD F0.
  std::string bytes = std::string("id_number,name,status,death_date\n") + kIdA + ",\xD5\xC5\xC8\xFD,alive,\n";
  Collected c;
  auto r = Parse(Feed::kHukou, bytes, &c);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->encoding, Encoding::kGb18030);
  ASSERT_EQ(c.text0.size(), 1u);
  EXPECT_EQ(c.text0[0], "张三");
  std::string tax = std::string("id_number,income_type,month,amount_yuan\n") + kIdA +
                    ",\xB9\xA4\xD7\xCA\xD0\xBD\xBD\xF0,2025-01,3200\n";
  Collected t;
  auto rt = Parse(Feed::kTax, tax, &t);
  ASSERT_TRUE(rt.ok());
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].code[0], uint8_t(TaxKind::kWage));
  EXPECT_EQ(t.rows[0].money[0], 320000);
}

TEST(VerifyFeeds, Utf16WithBom) {
  std::string text = std::string("id_number,name,status,death_date\n") + kIdA + ",张,alive,\n";
  // UTF-16LE by hand: ASCII bytes followed by 0; 张 is U+5F20.
  std::string bytes = "\xFF\xFE";
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, 3, "张") == 0) {
      bytes += std::string("\x20\x5F", 2);
      i += 3;
    } else {
      bytes += text[i++];
      bytes += '\0';
    }
  }
  Collected c;
  auto r = Parse(Feed::kHukou, bytes, &c);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->encoding, Encoding::kUtf16);
  ASSERT_EQ(c.text0.size(), 1u);
  EXPECT_EQ(c.text0[0], "张");
}

TEST(VerifyFeeds, WrongEncodingIsRejected) {
  // 0x81 is a GB18030 lead byte; 0x20 cannot follow it. Not UTF-8 either.
  std::string bytes = std::string("id_number,name,status,death_date\n") + kIdA + ",\x81\x20,alive,\n";
  Collected c;
  auto r = Parse(Feed::kHukou, bytes, &c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_code(), "feed.encoding");
  // A binary file (NUL bytes) is not a CSV.
  auto r2 = Parse(Feed::kHukou, std::string("id\0x", 4), &c);
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.status().error_code(), "feed.encoding");
}

TEST(VerifyFeeds, BadRowsAreRejectedWithRowColumnAndReason) {
  std::string bytes = std::string("id_number,kind,month,amount_yuan\n") +
                      kIdA + ",wage,2025-01,\"1,000.00元\"\n" +     // line 2: understood
                      "110105194912310021,wage,2025-01,10\n" +       // line 3: check digit
                      kIdA + ",wage,2020-02-30,10\n" +               // line 4: date
                      kIdA + ",wage,2025-01,-10\n" +                 // line 5: negative
                      kIdA + ",wage,2025-01\n" +                     // line 6: ragged
                      kIdA + ",bonus,2025-01,10\n" +                 // line 7: unknown kind
                      "\n" +                                         // line 8: blank, skipped
                      ",,,\n" +                                      // line 9: empty row, skipped
                      kIdB + ",工资,2025-02,5,\n";                   // line 10: trailing empty field: understood
  Collected c;
  auto r = Parse(Feed::kSocialInsurance, bytes, &c);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows_total, 7);
  EXPECT_EQ(r->rows_accepted, 2);
  ASSERT_EQ(c.rows.size(), 2u);
  EXPECT_EQ(c.rows[0].money[0], 100000);
  EXPECT_EQ(c.rows[1].row, 10);
  ASSERT_EQ(r->rejects.size(), 5u);
  EXPECT_EQ(r->rejects[0].row, 3);
  EXPECT_EQ(r->rejects[0].column, "id_number");
  EXPECT_EQ(r->rejects[0].code, "feed.id_number.check_digit");
  EXPECT_NE(r->rejects[0].reason.find("校验码"), std::string::npos);
  EXPECT_EQ(r->rejects[1].row, 4);
  EXPECT_EQ(r->rejects[1].column, "month");
  EXPECT_EQ(r->rejects[1].code, "feed.month.invalid");
  EXPECT_EQ(r->rejects[2].row, 5);
  EXPECT_EQ(r->rejects[2].code, "feed.money.negative");
  EXPECT_EQ(r->rejects[3].row, 6);
  EXPECT_EQ(r->rejects[3].code, "feed.ragged_row");
  EXPECT_EQ(r->rejects[4].row, 7);
  EXPECT_EQ(r->rejects[4].column, "kind");
}

TEST(VerifyFeeds, HeaderProblemsRejectTheFile) {
  Collected c;
  auto dup = Parse(Feed::kBank, std::string("id_number,bank,balance_yuan,as_of,bank\n") + kIdA + ",A,1,2025-01-01,B\n", &c);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().error_code(), "feed.duplicate_column");
  EXPECT_EQ(dup.status().details()[0].field, "bank");
  auto missing = Parse(Feed::kBank, std::string("id_number,bank,as_of\n") + kIdA + ",A,2025-01-01\n", &c);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().error_code(), "feed.missing_column");
  EXPECT_EQ(missing.status().details()[0].field, "balance_yuan");
  auto empty = Parse(Feed::kBank, "", &c);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().error_code(), "feed.empty");
  // Extra columns and Chinese header names are understood.
  auto ok = Parse(Feed::kBank, std::string("身份证号码,Bank,余额,as_of,备注\n") + kIdA + ",农行,12.5,2025-01-01,x\n", &c);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->rows_accepted, 1);
  ASSERT_EQ(ok->ignored_columns.size(), 1u);
  EXPECT_EQ(ok->ignored_columns[0], "备注");
}

TEST(VerifyFeeds, QuotedFields) {
  std::string bytes = std::string("id_number,company,role,registered_capital_yuan,status\n") + kIdA +
                      ",\"荆州\"\"好\"\"商行, 有限公司\",legal_rep,\"100,000\",存续\n" +  // line 2
                      kIdA + ",\"多行\n名称\",shareholder,5,active\n" +                     // lines 3-4
                      kIdA + ",\"x\"y,other,5,active\n" +                                  // line 5: text after quote
                      kIdB + ",C,other,5,closed\n";                                        // line 6
  Collected c;
  auto r = Parse(Feed::kBusiness, bytes, &c);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(c.rows.size(), 3u);
  EXPECT_EQ(c.text0[0], "荆州\"好\"商行, 有限公司");
  EXPECT_EQ(c.rows[0].money[0], 10000000);
  EXPECT_EQ(c.text0[1], "多行\n名称");
  EXPECT_EQ(c.rows[2].row, 6);
  EXPECT_EQ(c.rows[2].code[1], 1);  // closed
  ASSERT_EQ(r->rejects.size(), 1u);
  EXPECT_EQ(r->rejects[0].row, 5);
  EXPECT_EQ(r->rejects[0].code, "feed.csv.quote");
  auto bad = Parse(Feed::kBusiness, std::string("id_number,company,role,registered_capital_yuan,status\n") + kIdA +
                                        ",\"never closed,legal_rep,1,active\n",
                   &c);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().error_code(), "feed.csv");
}

TEST(VerifyFeeds, HukouAliveWithDeathDateIsRejected) {
  Collected c;
  auto r = Parse(Feed::kHukou, std::string("id_number,name,status,death_date\n") + kIdA + ",甲,alive,2024-01-01\n", &c);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows_accepted, 0);
  ASSERT_EQ(r->rejects.size(), 1u);
  EXPECT_EQ(r->rejects[0].column, "death_date");
}

TEST(VerifyFeeds, EveryFeedReadsItsColumns) {
  // One good row per feed, with the values checked field by field.
  struct Case {
    Feed feed;
    std::string csv;
  };
  std::string id = kIdA;
  Collected c;
  auto one = [&](Feed f, const std::string& csv) {
    c = Collected{};
    auto r = Parse(f, csv, &c);
    EXPECT_TRUE(r.ok()) << FeedCode(f) << " " << r.status().ToString();
    EXPECT_EQ(c.rows.size(), 1u) << FeedCode(f) << (r.ok() && !r->rejects.empty() ? r->rejects[0].reason : "");
  };
  one(Feed::kVehicle, "id_number,plate,vehicle_type,registered_on\n" + id + ",鄂D12345,摩托车,2019-05-06\n");
  EXPECT_EQ(c.rows[0].code[0], uint8_t(VehicleType::kMotorcycle));
  EXPECT_EQ(c.text0[0], "鄂D12345");
  one(Feed::kProvidentFund, "id_number,month,deposit_yuan,balance_yuan\n" + id + ",2025-06,600,12000.5\n");
  EXPECT_EQ(c.rows[0].money[0], 60000);
  EXPECT_EQ(c.rows[0].money[1], 1200050);
  one(Feed::kRealEstate, "id_number,property_type,area_m2,registered_on\n" + id + ",商铺,45.2,2010-01-01\n");
  EXPECT_EQ(c.rows[0].code[0], uint8_t(PropertyType::kCommercial));
  EXPECT_EQ(c.rows[0].area_centi_m2, 4520);
  one(Feed::kSecurities, "id_number,market_value_yuan,as_of\n" + id + ",100,2025-06-30\n");
  EXPECT_EQ(c.rows[0].date[0], DateDays("2025-06-30"));
  one(Feed::kInsurance, "id_number,product,cash_value_yuan,as_of\n" + id + ",寿险,1.01,2025-06-30\n");
  EXPECT_EQ(c.rows[0].money[0], 101);
  one(Feed::kCivil, "id_number,record,date,detail\n" + id + ",death,2025-01-02,\n");
  EXPECT_EQ(c.rows[0].code[0], uint8_t(CivilRecord::kDeath));
  one(Feed::kCivil, "id_number,record,date\n" + id + ",marriage,2025-01-02\n");  // detail is optional
}

std::string TempPath(const char* suffix) {
  char buf[] = "/tmp/vengine_feed_XXXXXX";
  int fd = mkstemp(buf);
  close(fd);
  std::string p = std::string(buf) + suffix;
  std::rename(buf, p.c_str());
  return p;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(VerifyFeeds, XlsxWithTextNumbersAndDateCells) {
  std::string path = TempPath(".xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, "银行");
  lxw_format* date_fmt = workbook_add_format(wb);
  format_set_num_format(date_fmt, "yyyy-mm-dd");
  worksheet_write_string(ws, 0, 0, "id_number", nullptr);
  worksheet_write_string(ws, 0, 1, "bank", nullptr);
  worksheet_write_string(ws, 0, 2, "balance_yuan", nullptr);
  worksheet_write_string(ws, 0, 3, "as_of", nullptr);
  worksheet_write_string(ws, 1, 0, kIdA, nullptr);
  worksheet_write_string(ws, 1, 1, "中国农业银行", nullptr);
  worksheet_write_number(ws, 1, 2, 1234.56, nullptr);
  lxw_datetime dt = {2025, 6, 30, 0, 0, 0};
  worksheet_write_datetime(ws, 1, 3, &dt, date_fmt);
  worksheet_write_string(ws, 2, 0, kIdB, nullptr);
  worksheet_write_string(ws, 2, 1, "工行", nullptr);
  worksheet_write_string(ws, 2, 2, "2,000.00元", nullptr);
  worksheet_write_string(ws, 2, 3, "2025-02-30", nullptr);  // rejected
  worksheet_write_string(ws, 4, 0, kIdB, nullptr);           // row 5 (row 4 left empty)
  worksheet_write_string(ws, 4, 1, "工行", nullptr);
  worksheet_write_number(ws, 4, 2, 7, nullptr);
  worksheet_write_string(ws, 4, 3, "2025/6/1", nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  std::string bytes = Slurp(path);
  std::remove(path.c_str());
  EXPECT_EQ(DetectFormat("bank.xlsx", bytes), Format::kXlsx);
  Collected c;
  auto r = Parse(Feed::kBank, bytes, &c, "bank.xlsx");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->format, Format::kXlsx);
  ASSERT_EQ(c.rows.size(), 2u);
  EXPECT_EQ(c.ids[0], kIdA);
  EXPECT_EQ(c.text0[0], "中国农业银行");
  EXPECT_EQ(c.rows[0].money[0], 123456);
  EXPECT_EQ(c.rows[0].date[0], DateDays("2025-06-30"));
  EXPECT_EQ(c.rows[0].row, 2);
  EXPECT_EQ(c.rows[1].row, 5);
  EXPECT_EQ(c.rows[1].money[0], 700);
  ASSERT_EQ(r->rejects.size(), 1u);
  EXPECT_EQ(r->rejects[0].row, 3);
  EXPECT_EQ(r->rejects[0].column, "as_of");
  // A zip that is not a workbook.
  auto bad = Parse(Feed::kBank, "PK\3\4garbage", &c, "bank.xlsx");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().error_code(), "feed.xlsx");
}

TEST(VerifyFeeds, ParallelLoadEqualsSequential) {
  // 60,000 rows (> 1 MB) split across 2 threads must give the same table, in file order, with line numbers as refs.
  std::string csv = "id_number,kind,month,amount_yuan\n";
  for (int i = 0; i < 60000; ++i) {
    csv += (i % 2 ? kIdA : kIdB);
    csv += ",pension,2025-0" + std::to_string(i % 9 + 1) + "," + std::to_string(i) + ".5\n";
    if (i == 30001) csv += "bad,pension,2025-01,1\n";
  }
  auto key = [](std::string_view id) { return PersonKey(id == kIdA ? 1 : 2); };
  FeedTables seq, par;
  ParseOptions one, two;
  one.threads = 1;
  two.threads = 2;
  auto a = LoadFeed(Feed::kSocialInsurance, "si.csv", csv, key, &seq, DateDays("2025-07-01"), one);
  auto b = LoadFeed(Feed::kSocialInsurance, "si.csv", csv, key, &par, DateDays("2025-07-01"), two);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->rows_accepted, 60000);
  EXPECT_EQ(b->rows_accepted, 60000);
  ASSERT_EQ(b->rejects.size(), 1u);
  EXPECT_EQ(b->rejects[0].row, 30004);  // header line 1, rows 0..30001 on lines 2..30003, then the bad row
  EXPECT_EQ(seq.social_insurance.amount, par.social_insurance.amount);
  EXPECT_EQ(seq.social_insurance.ref, par.social_insurance.ref);
  EXPECT_EQ(par.social_insurance.ref[30002], 30005u);
  EXPECT_EQ(par.social_insurance.amount[5], 550);
  EXPECT_TRUE(par.status[int(Feed::kSocialInsurance)].present);
  EXPECT_EQ(par.status[int(Feed::kSocialInsurance)].data_date, DateDays("2025-09-30"));  // newest month 2025-09
  // A register feed's data date is the extraction date given.
  FeedTables h;
  auto hk = LoadFeed(Feed::kHukou, "hukou.csv", std::string("id_number,name,status,death_date\n") + kIdA + ",甲,alive,\n",
                     key, &h, DateDays("2025-07-01"), one);
  ASSERT_TRUE(hk.ok());
  EXPECT_EQ(h.status[int(Feed::kHukou)].data_date, DateDays("2025-07-01"));
  EXPECT_EQ(h.hukou.person[0], 1u);
}

}  // namespace
}  // namespace doudi::verify::feeds
