// Reading the first worksheet of an XLSX file from memory: minizip with an in-memory stream, pugixml for the
// workbook, its relationships, the shared strings and the sheet.
#include <minizip/unzip.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <pugixml.hpp>

#include "verify/feeds/feeds.h"

namespace doudi::verify::feeds {
namespace {

struct MemStream {
  std::string_view data;
  uint64_t pos = 0;
};

voidpf MemOpen(voidpf opaque, const void*, int) {
  auto* m = static_cast<MemStream*>(opaque);
  m->pos = 0;
  return m;
}
uLong MemRead(voidpf, voidpf stream, void* buf, uLong size) {
  auto* m = static_cast<MemStream*>(stream);
  uint64_t n = std::min<uint64_t>(size, m->data.size() - m->pos);
  std::memcpy(buf, m->data.data() + m->pos, n);
  m->pos += n;
  return uLong(n);
}
uLong MemWrite(voidpf, voidpf, const void*, uLong) { return 0; }
ZPOS64_T MemTell(voidpf, voidpf stream) { return static_cast<MemStream*>(stream)->pos; }
long MemSeek(voidpf, voidpf stream, ZPOS64_T offset, int origin) {
  auto* m = static_cast<MemStream*>(stream);
  uint64_t base = origin == ZLIB_FILEFUNC_SEEK_SET ? 0 : origin == ZLIB_FILEFUNC_SEEK_CUR ? m->pos : m->data.size();
  uint64_t p = base + offset;
  if (p > m->data.size()) return -1;
  m->pos = p;
  return 0;
}
int MemClose(voidpf, voidpf) { return 0; }
int MemError(voidpf, voidpf) { return 0; }

Status Bad(const std::string& what) {
  return Status::Invalid("feed.xlsx", "Excel 文件无法读取：" + what + "。请确认是 .xlsx 格式（不是 .xls），或另存为 CSV");
}

Result<std::string> ReadEntry(unzFile zf, const std::string& name, bool required) {
  if (unzLocateFile(zf, name.c_str(), 0) != UNZ_OK) {
    if (!required) return std::string();
    return Bad("缺少 " + name);
  }
  unz_file_info64 info;
  if (unzGetCurrentFileInfo64(zf, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK) return Bad(name);
  if (info.uncompressed_size > (uint64_t(1) << 31)) return Bad(name + " 过大");
  if (unzOpenCurrentFile(zf) != UNZ_OK) return Bad(name);
  std::string out(size_t(info.uncompressed_size), '\0');
  int n = out.empty() ? 0 : unzReadCurrentFile(zf, out.data(), unsigned(out.size()));
  unzCloseCurrentFile(zf);
  if (n < 0 || size_t(n) != out.size()) return Bad(name + " 解压失败");
  return out;
}


// "BC12" → column 54 (0-based).
int ColumnOf(const char* ref) {
  int c = 0;
  while (*ref >= 'A' && *ref <= 'Z') c = c * 26 + (*ref++ - 'A' + 1);
  return c - 1;
}

// Excel stores numbers as doubles; "1234.5600000000001" is 1234.56.
std::string CleanNumber(const char* v) {
  const char* dot = std::strchr(v, '.');
  if (!dot && !std::strpbrk(v, "eE")) return v;
  if (dot && std::strlen(dot + 1) <= 2 && !std::strpbrk(v, "eE")) return v;
  double d = std::strtod(v, nullptr);
  double c = d * 100;
  if (std::abs(c - std::round(c)) < 1e-6 && std::abs(d) < 1e13) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", std::round(c) / 100);
    std::string s = buf;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
  }
  return v;
}

}  // namespace

Result<std::vector<SheetRow>> ReadXlsx(std::string_view bytes) {
  MemStream ms{bytes};
  zlib_filefunc64_def ff{};
  ff.zopen64_file = MemOpen;
  ff.zread_file = MemRead;
  ff.zwrite_file = MemWrite;
  ff.ztell64_file = MemTell;
  ff.zseek64_file = MemSeek;
  ff.zclose_file = MemClose;
  ff.zerror_file = MemError;
  ff.opaque = &ms;
  unzFile zf = unzOpen2_64("memory.xlsx", &ff);
  if (!zf) return Bad("不是有效的 zip 压缩包");
  struct Closer {
    unzFile z;
    ~Closer() { unzClose(z); }
  } closer{zf};

  // The first sheet's part name from the workbook and its relationships.
  std::string sheet_path = "xl/worksheets/sheet1.xml";
  DOUDI_ASSIGN_OR_RETURN(std::string wb, ReadEntry(zf, "xl/workbook.xml", true));
  DOUDI_ASSIGN_OR_RETURN(std::string rels, ReadEntry(zf, "xl/_rels/workbook.xml.rels", false));
  pugi::xml_document wdoc, rdoc;
  if (!wdoc.load_buffer(wb.data(), wb.size())) return Bad("xl/workbook.xml 格式错误");
  pugi::xpath_node sheet = wdoc.select_node("//*[local-name()='sheet']");
  if (sheet && !rels.empty() && rdoc.load_buffer(rels.data(), rels.size())) {
    std::string rid;
    for (pugi::xml_attribute a : sheet.node().attributes()) {
      std::string name = a.name();
      if (name == "r:id" || (name.size() > 3 && name.substr(name.size() - 3) == ":id")) rid = a.value();
    }
    for (pugi::xml_node r : rdoc.first_child().children()) {
      if (rid == r.attribute("Id").value()) {
        std::string target = r.attribute("Target").value();
        sheet_path = target.rfind("/", 0) == 0 ? target.substr(1) : "xl/" + target;
      }
    }
  }
  // Shared strings.
  std::vector<std::string> shared;
  DOUDI_ASSIGN_OR_RETURN(std::string ss, ReadEntry(zf, "xl/sharedStrings.xml", false));
  if (!ss.empty()) {
    pugi::xml_document sdoc;
    if (!sdoc.load_buffer(ss.data(), ss.size())) return Bad("xl/sharedStrings.xml 格式错误");
    for (pugi::xml_node si : sdoc.first_child().children()) {
      if (std::strcmp(si.name(), "si") != 0 && !std::strstr(si.name(), ":si")) continue;
      std::string s;
      for (pugi::xpath_node t : si.select_nodes(".//*[local-name()='t']")) s += t.node().text().get();
      shared.push_back(std::move(s));
    }
  }
  DOUDI_ASSIGN_OR_RETURN(std::string sx, ReadEntry(zf, sheet_path, true));
  pugi::xml_document doc;
  if (!doc.load_buffer(sx.data(), sx.size())) return Bad(sheet_path + " 格式错误");
  std::vector<SheetRow> out;
  for (pugi::xpath_node rn : doc.select_nodes("//*[local-name()='sheetData']/*[local-name()='row']")) {
    pugi::xml_node row = rn.node();
    SheetRow sr;
    sr.row = row.attribute("r").as_llong(out.empty() ? 1 : out.back().row + 1);
    int next_col = 0;
    for (pugi::xml_node c : row.children()) {
      if (std::strcmp(c.name(), "c") != 0 && !std::strstr(c.name(), ":c")) continue;
      const char* ref = c.attribute("r").value();
      int col = *ref ? ColumnOf(ref) : next_col;
      if (col < 0 || col > 16384) return Bad("单元格位置错误");
      next_col = col + 1;
      std::string type = c.attribute("t").value();
      std::string value;
      pugi::xml_node v = c.child("v");
      if (type == "s") {
        long idx = v.text().as_llong(-1);
        if (idx < 0 || size_t(idx) >= shared.size()) return Bad("共享字符串编号错误");
        value = shared[size_t(idx)];
      } else if (type == "inlineStr") {
        for (pugi::xpath_node t : c.select_nodes(".//*[local-name()='t']")) value += t.node().text().get();
      } else if (type == "str" || type == "b" || type == "e") {
        value = v.text().get();
      } else {
        value = CleanNumber(v.text().get());
      }
      if (sr.cells.size() <= size_t(col)) sr.cells.resize(size_t(col) + 1);
      sr.cells[size_t(col)] = std::move(value);
    }
    out.push_back(std::move(sr));
  }
  return out;
}

}  // namespace doudi::verify::feeds
