#include "common/pdf.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <fmt/format.h>

namespace doudi::pdf {
namespace {

// Writes the PDF to a temporary file and reads it back with poppler's tools (an independent PDF reader).
class PdfFile {
 public:
  explicit PdfFile(const std::string& bytes) {
    char name[] = "/tmp/doudi-pdf-test-XXXXXX";
    int fd = mkstemp(name);
    EXPECT_GE(fd, 0);
    close(fd);
    path_ = name;
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~PdfFile() { std::filesystem::remove(path_); }
  // pdftotext of pages first..last (0 = all), in reading order.
  std::string Text(int first = 0, int last = 0) const {
    std::string range = first > 0 ? fmt::format("-f {} -l {} ", first, last) : "";
    return Run(fmt::format("pdftotext -enc UTF-8 {}'{}' -", range, path_));
  }
  int Pages() const {
    std::string info = Run(fmt::format("pdfinfo '{}'", path_));
    auto p = info.find("Pages:");
    return p == std::string::npos ? -1 : std::stoi(info.substr(p + 6));
  }
  std::string Fonts() const { return Run(fmt::format("pdffonts '{}'", path_)); }
  std::string Info() const { return Run(fmt::format("pdfinfo '{}'", path_)); }

 private:
  static std::string Run(const std::string& cmd) {
    std::string out;
    FILE* f = popen(cmd.c_str(), "r");
    if (f == nullptr) return out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    EXPECT_EQ(pclose(f), 0) << cmd;
    return out;
  }
  std::string path_;
};

size_t Count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + needle.size())) ++n;
  return n;
}

// pdftotext may put a line break where the layout wrapped; compare without whitespace.
std::string Squeeze(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\n' && c != '\f') out += c;
  }
  return out;
}

// A one-page report in the shape of a verification report.
Document OnePageReport() {
  Document d({.title = "居民家庭经济状况核对报告", .author = "荆州市社会救助服务中心",
              .header = "核对编号 HD-2026-000123", .footer = "荆州市社会救助服务中心"});
  d.Title("居民家庭经济状况核对报告", "沙市区 · 城市低保 · 核对日期 2026-11-29");
  d.Heading("一、家庭基本情况");
  d.KeyValues({{"户主", "张三"}, {"家庭编号", "421002-000123"}, {"所在乡镇（街道）", "中山街道"},
               {"城乡类别", "城市"}, {"共同生活成员", "3 人"}, {"计入成员", "3 人"}});
  d.Heading("二、家庭成员");
  d.AddTable({.columns = {{"姓名", 1}, {"与户主关系", 1}, {"身份证号", 2}, {"是否计入", 1, Align::kCenter}},
              .rows = {{"张三", "户主本人", "421002********0013", "是"},
                       {"李四", "配偶", "421002********0028", "是"},
                       {"张小五", "子女", "421002********0036", "是"}}});
  d.Heading("三、收入核对");
  d.AddTable({.columns = {{"月份", 1}, {"类别", 1}, {"成员", 1}, {"金额（元）", 1, Align::kRight}},
              .rows = {{"2026-06", "工资性收入", "张三", "1,200.00"}, {"2026-07", "工资性收入", "张三", "1,200.00"},
                       {"合计", "", "", "2,400.00"}},
              .bold_rows = {2}});
  d.Paragraph("月人均收入 400.00 元，低于当地城市低保标准 700.00 元。工资收入由社保与税务两个来源报告时只计一次。");
  d.Callout("核对结论：符合", "家庭月人均收入与财产状况均符合低保条件。", Tone::kGood);
  d.Signatures({"核对人", "复核人", "日期"});
  return d;
}

TEST(Pdf, OnePageChineseReportIsSmallAndItsTextExtractable) {
  auto pdf = OnePageReport().Render();
  ASSERT_TRUE(pdf.ok()) << pdf.status().ToString();
  ASSERT_GT(pdf->size(), 1000u);
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
  EXPECT_LT(pdf->size(), 200u * 1024) << "the CJK font must be subset, not embedded whole";
  PdfFile f(*pdf);
  EXPECT_EQ(f.Pages(), 1);
  std::string text = Squeeze(f.Text());
  for (const char* s : {"居民家庭经济状况核对报告", "张三", "中山街道", "421002********0013", "工资性收入",
                        "2,400.00", "核对结论：符合", "工资收入由社保与税务两个来源报告时只计一次", "核对人：",
                        "第1页共1页", "核对编号HD-2026-000123"}) {
    EXPECT_NE(text.find(s), std::string::npos) << s << " not in:\n" << text;
  }
  // Each font is embedded as a subset (pdffonts marks subset names with a 6-letter prefix, "sub yes").
  std::string fonts = f.Fonts();
  EXPECT_NE(fonts.find("NotoSansCJK"), std::string::npos) << fonts;
  EXPECT_NE(fonts.find("NotoSansCJKsc-Bold"), std::string::npos) << fonts;
  EXPECT_EQ(fonts.find(" no  "), std::string::npos) << "every font embedded and subset:\n" << fonts;
  std::string info = f.Info();
  EXPECT_NE(info.find("Title:           居民家庭经济状况核对报告"), std::string::npos) << info;
  EXPECT_NE(info.find("Creator:         Doudi"), std::string::npos) << info;
}

TEST(Pdf, LongTableBreaksBetweenRowsAndRepeatsItsHeader) {
  Document d({.footer = "测试"});
  d.Title("长表格");
  Table t{.columns = {{"序号", 1}, {"说明", 4}, {"金额（元）", 1.5, Align::kRight}}};
  const int n = 150;
  for (int i = 0; i < n; ++i) {
    // Every 10th row wraps onto several lines.
    std::string note = i % 10 == 0 ? fmt::format("第{}行较长的说明文字，需要在单元格内自动换行显示，"
                                                 "直到整段文字都出现在表格中为止，不得截断或丢失。",
                                                 i)
                                   : fmt::format("第{}行", i);
    t.rows.push_back({fmt::format("R{:04d}", i), note, fmt::format("{}.00", i * 10)});
  }
  d.AddTable(std::move(t));
  auto pdf = d.Render();
  ASSERT_TRUE(pdf.ok()) << pdf.status().ToString();
  PdfFile f(*pdf);
  const int pages = f.Pages();
  // 150 rows of about 16 pt on pages of about 720 pt of content: 4 pages or more.
  ASSERT_GE(pages, 4);
  std::string all = Squeeze(f.Text());
  for (int i = 0; i < n; ++i) {
    EXPECT_EQ(Count(all, fmt::format("R{:04d}", i)), 1u) << "row " << i << " exactly once";
  }
  EXPECT_EQ(Count(all, "不得截断或丢失"), 15u);
  for (int p = 1; p <= pages; ++p) {
    std::string page = Squeeze(f.Text(p, p));
    EXPECT_EQ(Count(page, "金额（元）"), 1u) << "header on page " << p;
    EXPECT_NE(page.find(fmt::format("第{}页共{}页", p, pages)), std::string::npos) << page;
  }
}

TEST(Pdf, LongParagraphFlowsOntoTheNextPage) {
  Document d({.page_numbers = false});  // no footer between the last line of a page and the first of the next
  std::string text;
  for (int i = 0; i < 400; ++i) text += fmt::format("句子{:03d}说明核对规则与结论。", i);
  d.Paragraph(text);
  auto pdf = d.Render();
  ASSERT_TRUE(pdf.ok());
  PdfFile f(*pdf);
  ASSERT_GE(f.Pages(), 2);
  std::string all = Squeeze(f.Text());
  for (int i = 0; i < 400; ++i) EXPECT_EQ(Count(all, fmt::format("句子{:03d}", i)), 1u) << i;
}

TEST(Pdf, HeadingIsNotLeftAloneAtTheBottomOfAPage) {
  Document d;
  // Fill most of the first page, then a heading: it must start page 2 with its table.
  d.Space(680);  // of about 720 pt of content
  d.Heading("五、财产核对");
  d.AddTable({.columns = {{"类别", 1}, {"金额", 1}}, .rows = {{"存款", "100.00"}}});
  auto pdf = d.Render();
  ASSERT_TRUE(pdf.ok());
  PdfFile f(*pdf);
  ASSERT_EQ(f.Pages(), 2);
  EXPECT_EQ(Squeeze(f.Text(1, 1)).find("财产核对"), std::string::npos);
  EXPECT_NE(Squeeze(f.Text(2, 2)).find("五、财产核对"), std::string::npos);
}

TEST(Pdf, EmptyDocumentEmptyTableAndBadUtf8) {
  auto empty = Document().Render();
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(PdfFile(*empty).Pages(), 1);

  Document d;
  d.AddTable({.columns = {{"姓名", 1}, {"金额", 1}}});
  d.Paragraph("坏的\xff\xfe字节");
  d.PageBreak();
  d.PageBreak();  // a break on an empty page does not add another page
  d.Paragraph("第二页");
  auto pdf = d.Render();
  ASSERT_TRUE(pdf.ok());
  PdfFile f(*pdf);
  EXPECT_EQ(f.Pages(), 2);
  std::string text = Squeeze(f.Text());
  EXPECT_NE(text.find("（无）"), std::string::npos) << text;
  EXPECT_NE(text.find("坏的"), std::string::npos);
  EXPECT_NE(text.find("字节"), std::string::npos);
}

TEST(Pdf, RendersFromSeveralThreadsAtOnce) {
  std::vector<std::string> out(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&out, i] {
      auto r = OnePageReport().Render();
      if (r.ok()) out[i] = *r;
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& o : out) {
    ASSERT_EQ(o.substr(0, 5), "%PDF-");
    EXPECT_NE(Squeeze(PdfFile(o).Text()).find("核对结论：符合"), std::string::npos);
  }
}

}  // namespace
}  // namespace doudi::pdf
