#include "common/xlsx.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

namespace doudi::xlsx {
namespace {

// Reads one part of the .xlsx (a zip) with the unzip tool: an independent reader of what we wrote.
std::string Part(const std::string& bytes, const std::string& part) {
  char name[] = "/tmp/doudi-xlsx-test-XXXXXX";
  int fd = mkstemp(name);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(name, std::ios::binary) << bytes;
  std::string out;
  FILE* f = popen(fmt::format("unzip -p '{}' '{}'", name, part).c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  pclose(f);
  std::filesystem::remove(name);
  return out;
}

TEST(Xlsx, TypedCellsHeaderWidthsAndFrozenPane) {
  auto wb = Workbook::Create();
  ASSERT_TRUE(wb.ok()) << wb.status().ToString();
  auto sheet = (*wb)->AddSheet("核对结果", {{"家庭编号", 10, Type::kInteger},
                                           {"户主", 8, Type::kText},
                                           {"月人均收入（元）", 14, Type::kMoney},
                                           {"核对日期", 11, Type::kDate}});
  ASSERT_TRUE(sheet.ok());
  Sheet* s = *sheet;
  ASSERT_TRUE(s->AddRow({Cell::Integer(123), Cell::Text("张三 & <李四>"), Cell::Money(123456),
                         Cell::Date("2026-11-29")}).ok());
  ASSERT_TRUE(s->AddRow({Cell::Integer(-7), Cell::Text("=1+1"), Cell::Money(-5), Cell::Date("2020-02-30")}).ok());
  ASSERT_TRUE(s->AddRow({Cell::Empty(), Cell::Text("bad\xff\x01text")}).ok());
  EXPECT_EQ(s->data_rows(), 3);
  auto bytes = (*wb)->Finish();
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(bytes->substr(0, 2), "PK");

  std::string book = Part(*bytes, "xl/workbook.xml");
  EXPECT_NE(book.find("name=\"核对结果\""), std::string::npos) << book;
  std::string xml = Part(*bytes, "xl/worksheets/sheet1.xml");
  // Header in row 1, frozen below it, autofilter over the header and the three rows.
  EXPECT_NE(xml.find("<t>家庭编号</t>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("ySplit=\"1\""), std::string::npos);
  EXPECT_NE(xml.find("state=\"frozen\""), std::string::npos);
  EXPECT_NE(xml.find("<autoFilter ref=\"A1:D4\"/>"), std::string::npos) << xml;
  // Numbers are numbers: 123456 fen is 1234.56 yuan; -5 fen is -0.05.
  EXPECT_NE(xml.find("<c r=\"A2\" s=\""), std::string::npos);
  EXPECT_NE(xml.find("<v>123</v>"), std::string::npos);
  EXPECT_NE(xml.find("<v>1234.56</v>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<v>-0.05</v>"), std::string::npos);
  // 2026-11-29 is day 46355 counted from 1899-12-30 (Excel's epoch with its 1900 leap-year bug).
  EXPECT_NE(xml.find("<v>46355</v>"), std::string::npos);
  // Not a date: kept as the text it was.
  EXPECT_NE(xml.find("<t>2020-02-30</t>"), std::string::npos);
  // Text is escaped, a formula-looking text stays text, bad bytes become U+FFFD and control characters go.
  EXPECT_NE(xml.find("张三 &amp; &lt;李四&gt;"), std::string::npos);
  EXPECT_NE(xml.find("<t>=1+1</t>"), std::string::npos);
  EXPECT_EQ(xml.find("<f>"), std::string::npos);
  EXPECT_NE(xml.find("bad\xEF\xBF\xBDtext"), std::string::npos);
  // Column widths as asked (Excel adds its padding: 10 → 10.7109375).
  EXPECT_NE(xml.find("width=\"10.7109375\""), std::string::npos) << xml;
  // The money column's format shows thousands and two decimals.
  EXPECT_NE(Part(*bytes, "xl/styles.xml").find("formatCode=\"#,##0.00\""), std::string::npos);
}

TEST(Xlsx, TitleSectionsAndSheetNames) {
  auto wb = Workbook::Create();
  ASSERT_TRUE(wb.ok());
  auto a = (*wb)->AddSheet("疑似问题清单", {{"家庭", 10}, {"户主", 10}}, "2026 年第四季度复核 疑似问题清单");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE((*a)->AddSection("有机动车辆 · 中山街道（1 户）").ok());
  ASSERT_TRUE((*a)->AddRow({Cell::Integer(1), Cell::Text("王五")}).ok());
  // A repeated name and forbidden characters.
  auto b = (*wb)->AddSheet("疑似问题清单", {{"x", 5}});
  ASSERT_TRUE(b.ok());
  auto c = (*wb)->AddSheet("a/b:c", {{"x", 5}});
  ASSERT_TRUE(c.ok());
  auto bytes = (*wb)->Finish();
  ASSERT_TRUE(bytes.ok());
  std::string book = Part(*bytes, "xl/workbook.xml");
  EXPECT_NE(book.find("name=\"疑似问题清单 (2)\""), std::string::npos) << book;
  EXPECT_NE(book.find("name=\"a_b_c\""), std::string::npos) << book;
  std::string xml = Part(*bytes, "xl/worksheets/sheet1.xml");
  EXPECT_NE(xml.find("<mergeCell ref=\"A1:B1\"/>"), std::string::npos) << xml;  // the title
  EXPECT_NE(xml.find("<mergeCell ref=\"A3:B3\"/>"), std::string::npos);         // the section
  EXPECT_NE(xml.find("ySplit=\"2\""), std::string::npos);                       // frozen below the header
  EXPECT_NE(xml.find("<t>有机动车辆 · 中山街道（1 户）</t>"), std::string::npos);
  EXPECT_NE(xml.find("<autoFilter ref=\"A2:B4\"/>"), std::string::npos) << xml;
  EXPECT_TRUE((*wb)->Finish().status().code() == Code::kInternal);  // closed
}

TEST(Xlsx, CleanCellTextCutsAtExcelsLimit) {
  std::string long_text;
  for (int i = 0; i < 40000; ++i) long_text += "字";
  std::string cut = CleanCellText(long_text);
  EXPECT_EQ(cut.size(), 32767u * 3);
  EXPECT_EQ(CleanCellText("a\tb\nc\x02"), "a\tb\nc");
}

}  // namespace
}  // namespace doudi::xlsx
