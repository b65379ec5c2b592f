// A file download response (PDF forms and reports, Excel and CSV exports): the bytes with their type, a
// Content-Disposition that makes browsers save the file under its Chinese name (RFC 5987 `filename*`, with an
// ASCII `filename` for clients that do not read it), and no caching, since downloads carry people's details.
#pragma once

#include <string>
#include <string_view>

#include "http/router.h"

namespace doudi::http {

inline constexpr char kPdfType[] = "application/pdf";
inline constexpr char kXlsxType[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
inline constexpr char kCsvType[] = "text/csv; charset=utf-8";

// `ascii_name` is the fallback name ("rescue-12-intake.pdf"); any byte outside printable ASCII, a quote or a
// backslash in it becomes '_'. `name` is the name shown to the user ("救助登记表-张三-12.pdf").
Response Download(std::string body, std::string content_type, std::string_view ascii_name, std::string_view name);

// The UTF-8 bytes of s percent-encoded for an RFC 5987 value: letters, digits, '-', '.', '_' stay as they are.
std::string PercentEncodeRfc5987(std::string_view s);

}  // namespace doudi::http
