// Text encodings of feed files: UTF-8 (with or without BOM) as is; UTF-16 with a BOM and GB18030 (a superset of
// GBK and GB2312, what Chinese Excel and agency systems write) converted to UTF-8 with ICU.
#include <unicode/ucnv.h>

#include "common/text.h"
#include "verify/feeds/feeds.h"

namespace doudi::verify::feeds {
namespace {

Result<std::string> Convert(const char* charset, std::string_view bytes) {
  UErrorCode status = U_ZERO_ERROR;
  UConverter* from = ucnv_open(charset, &status);
  if (U_FAILURE(status)) return Status::Internal(std::string("ICU converter ") + charset);
  // Stop at the first byte sequence that is not valid in the charset (instead of substituting U+FFFD): a file
  // in another encoding must be rejected, not silently garbled.
  ucnv_setToUCallBack(from, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  UConverter* to = ucnv_open("UTF-8", &status);
  std::string out(bytes.size() * 2 + 16, '\0');
  char* target = out.data();
  const char* source = bytes.data();
  UChar pivot[4096];
  UChar* ps = pivot;
  UChar* pt = pivot;
  ucnv_convertEx(to, from, &target, out.data() + out.size(), &source, bytes.data() + bytes.size(), pivot, &ps, &pt,
                 pivot + 4096, true, true, &status);
  ucnv_close(from);
  ucnv_close(to);
  if (U_FAILURE(status)) {
    return Status::Invalid("feed.encoding", std::string("文件编码无法识别：既不是 UTF-8，也不是 ") + charset +
                                                "（在第 " + std::to_string(source - bytes.data()) +
                                                " 字节附近遇到无效字符）。请另存为 UTF-8 或 GBK 编码的 CSV");
  }
  out.resize(target - out.data());
  return out;
}

}  // namespace

std::string_view EncodingName(Encoding e) {
  switch (e) {
    case Encoding::kUtf8: return "UTF-8";
    case Encoding::kUtf8Bom: return "UTF-8 BOM";
    case Encoding::kGb18030: return "GB18030";
    case Encoding::kUtf16: return "UTF-16";
  }
  return "";
}

Result<std::string> ToUtf8(std::string_view bytes, Encoding* detected) {
  if (bytes.size() >= 2 && ((uint8_t(bytes[0]) == 0xFF && uint8_t(bytes[1]) == 0xFE) ||
                            (uint8_t(bytes[0]) == 0xFE && uint8_t(bytes[1]) == 0xFF))) {
    *detected = Encoding::kUtf16;
    DOUDI_ASSIGN_OR_RETURN(std::string s, Convert("UTF-16", bytes));  // ICU reads the BOM for the byte order
    if (s.size() >= 3 && s.compare(0, 3, "\xEF\xBB\xBF") == 0) s.erase(0, 3);
    return s;
  }
  if (bytes.find('\0') != std::string_view::npos) {
    return Status::Invalid("feed.encoding", "文件含有空字节，不是文本文件（CSV）。若为 Excel 文件请使用 .xlsx 扩展名");
  }
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    *detected = Encoding::kUtf8Bom;
    bytes.remove_prefix(3);
    if (!IsValidUtf8(bytes)) {
      return Status::Invalid("feed.encoding", "文件以 UTF-8 标记开头，但含有无效的 UTF-8 字符");
    }
    return std::string(bytes);
  }
  if (IsValidUtf8(bytes)) {
    *detected = Encoding::kUtf8;
    return std::string(bytes);
  }
  *detected = Encoding::kGb18030;
  return Convert("GB18030", bytes);
}

}  // namespace doudi::verify::feeds
