#include "http/download.h"

#include <gtest/gtest.h>

namespace doudi::http {
namespace {

std::string Header(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

TEST(Download, ChineseNameIsPercentEncodedUtf8BesideAnAsciiFallback) {
  Response r = Download("%PDF-1.7", kPdfType, "verify-report-1.pdf", "核对报告-张三 1.pdf");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "%PDF-1.7");
  EXPECT_EQ(r.content_type, "application/pdf");
  // Worked out with Python's urllib.parse.quote(name, safe=''): 核 = E6 A0 B8, a space = %20.
  EXPECT_EQ(Header(r, "Content-Disposition"),
            "attachment; filename=\"verify-report-1.pdf\"; "
            "filename*=UTF-8''%E6%A0%B8%E5%AF%B9%E6%8A%A5%E5%91%8A-%E5%BC%A0%E4%B8%89%201.pdf");
  EXPECT_EQ(Header(r, "Cache-Control"), "no-store");
}

TEST(Download, FallbackNameCannotBreakTheHeader) {
  Response r = Download("a,b\n", kCsvType, "a\"b\\c\r\n张.csv", "x.csv");
  EXPECT_EQ(r.content_type, "text/csv; charset=utf-8");
  // The quote, backslash, CR, LF and the three bytes of 张 each become '_'.
  EXPECT_EQ(Header(r, "Content-Disposition"), "attachment; filename=\"a_b_c_____.csv\"; filename*=UTF-8''x.csv");
}

TEST(Download, Rfc5987KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(PercentEncodeRfc5987("Az09-._"), "Az09-._");
  EXPECT_EQ(PercentEncodeRfc5987("a b/c;d'e%"), "a%20b%2Fc%3Bd%27e%25");
  EXPECT_EQ(PercentEncodeRfc5987("求助登记-2026-11-30.xlsx"), "%E6%B1%82%E5%8A%A9%E7%99%BB%E8%AE%B0-2026-11-30.xlsx");
}

}  // namespace
}  // namespace doudi::http
