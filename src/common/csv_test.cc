#include "common/csv.h"

#include <gtest/gtest.h>

namespace doudi {
namespace {

using Row = std::vector<std::string>;

TEST(Csv, QuotedFieldsEscapesAndCrlf) {
  auto t = ParseCsv("code,name\r\n1,\"A, B\"\r\n2,\"say \"\"hi\"\"\"\r\n3,plain\r\n");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->header, (Row{"code", "name"}));
  ASSERT_EQ(t->rows.size(), 3u);
  EXPECT_EQ(t->rows[0], (Row{"1", "A, B"}));
  EXPECT_EQ(t->rows[1], (Row{"2", "say \"hi\""}));
  EXPECT_EQ(t->rows[2], (Row{"3", "plain"}));
  EXPECT_EQ(t->lines, (std::vector<int>{2, 3, 4}));
}

TEST(Csv, BomIsDroppedAndLastLineNeedsNoNewline) {
  auto t = ParseCsv("\xEF\xBB\xBF" "code,name\n1,荆州");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->header[0], "code");  // not "\xEF\xBB\xBFcode"
  EXPECT_EQ(t->Column("code"), 0);
  ASSERT_EQ(t->rows.size(), 1u);
  EXPECT_EQ(t->rows[0], (Row{"1", "荆州"}));
}

TEST(Csv, QuotedNewlineKeepsLineNumbers) {
  auto t = ParseCsv("a,b\n1,\"line one\nline two\"\n2,x\n");
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[0][1], "line one\nline two");
  EXPECT_EQ(t->lines[0], 2);
  EXPECT_EQ(t->lines[1], 4);  // the record after the two-line field starts on line 4
}

TEST(Csv, EmptyFieldsAndTrailingDelimiter) {
  auto t = ParseCsv("a,b,c\n,,\n1,,\"\"\n");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->rows[0], (Row{"", "", ""}));
  EXPECT_EQ(t->rows[1], (Row{"1", "", ""}));
}

TEST(Csv, RaggedRowNamesTheLine) {
  auto t = ParseCsv("a,b\n1,2\n\n3\n");  // line 3 is empty (skipped), line 4 has one field
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().error_code(), "csv.ragged_row");
  EXPECT_NE(t.status().message().find("第 4 行"), std::string::npos) << t.status().message();
  EXPECT_NE(t.status().message().find("1 列"), std::string::npos);

  CsvOptions loose;
  loose.require_equal_width = false;
  auto ok = ParseCsv("a,b\n1,2,3\n", loose);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->rows[0].size(), 3u);
}

TEST(Csv, QuoteErrors) {
  auto open = ParseCsv("a,b\n1,\"never closed\n2,3\n");
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.status().error_code(), "csv.unterminated_quote");
  EXPECT_NE(open.status().message().find("第 2 行"), std::string::npos) << open.status().message();

  auto stray = ParseCsv("a,b\n1,ab\"c\n");
  ASSERT_FALSE(stray.ok());
  EXPECT_EQ(stray.status().error_code(), "csv.stray_quote");
  EXPECT_NE(stray.status().message().find("第 2 行第 2 列"), std::string::npos) << stray.status().message();

  auto after = ParseCsv("a,b\n\"x\"y,1\n");
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.status().error_code(), "csv.stray_quote");
}

TEST(Csv, CommentsAndEmptyText) {
  CsvOptions opt;
  opt.skip_comments = true;
  auto t = ParseCsv("# source: somewhere\n# more\ndate,flag\n2020-01-01,1\n# inline comment line\n2020-01-02,0\n", opt);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->header, (Row{"date", "flag"}));
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->lines, (std::vector<int>{4, 6}));

  // Without the option a '#' line is an ordinary record.
  auto plain = ParseCsv("x\n#1\n");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->rows[0][0], "#1");

  auto empty = ParseCsv("");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().error_code(), "csv.empty");
}

TEST(Csv, ReaderStreamsAndColumnsAreFound) {
  CsvReader reader("x;y\n1;2\n");
  CsvOptions semi;
  semi.delimiter = ';';
  CsvReader r2("x;y\n1;2\n", semi);
  std::vector<std::string> f;
  ASSERT_TRUE(r2.Next(&f).value());
  EXPECT_EQ(f, (Row{"x", "y"}));
  ASSERT_TRUE(r2.Next(&f).value());
  EXPECT_EQ(f, (Row{"1", "2"}));
  EXPECT_EQ(r2.line(), 2);
  EXPECT_FALSE(r2.Next(&f).value());
  ASSERT_TRUE(reader.Next(&f).value());
  EXPECT_EQ(f, (Row{"x;y"}));  // default delimiter is the comma

  auto t = ParseCsv("code,name,parent\n1,a,\n");
  ASSERT_TRUE(t.ok());
  auto cols = CsvColumns(*t, {"name", "code"});
  ASSERT_TRUE(cols.ok());
  EXPECT_EQ(*cols, (std::vector<int>{1, 0}));
  auto missing = CsvColumns(*t, {"code", "valid_until"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().error_code(), "csv.missing_column");
  EXPECT_NE(missing.status().message().find("valid_until"), std::string::npos);
}

}  // namespace
}  // namespace doudi
