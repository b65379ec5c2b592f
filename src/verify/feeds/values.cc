// Value parsers of the feed columns: ID numbers, dates, months, money and areas (docs/verify-feeds.md lists the
// forms understood and those rejected).
#include <chrono>
#include <cstring>

#include "common/id_number.h"
#include "common/text.h"
#include "verify/feeds/feeds.h"

namespace doudi::verify::feeds {
namespace {

bool Fail(ValueError* err, const char* code, std::string reason) {
  if (err) {
    err->code = code;
    err->reason = std::move(reason);
  }
  return false;
}

bool Digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}
int64_t ToInt(std::string_view s) {
  int64_t v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

bool StripPrefix(std::string_view* s, std::string_view p) {
  if (s->substr(0, p.size()) == p) {
    s->remove_prefix(p.size());
    return true;
  }
  return false;
}
bool StripSuffix(std::string_view* s, std::string_view p) {
  if (s->size() >= p.size() && s->substr(s->size() - p.size()) == p) {
    s->remove_suffix(p.size());
    return true;
  }
  return false;
}

int32_t Days(int y, int m, int d) {
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(unsigned(m)), std::chrono::day(unsigned(d))};
  if (y < 1800 || y > 2200 || !ymd.ok()) return kNoDate;
  return std::chrono::sys_days(ymd).time_since_epoch().count();
}

// Splits "2024-3-5", "2024/03/05", "2024.3.5", "2024年3月5日" into numbers; parts = 2 or 3.
bool SplitDate(std::string_view s, int parts, int v[3]) {
  std::string t(s);
  // Chinese separators to '-'.
  for (std::string_view cn : {std::string_view("年"), std::string_view("月")}) {
    size_t p;
    while ((p = t.find(cn)) != std::string::npos) t.replace(p, cn.size(), "-");
  }
  size_t p;
  while ((p = t.find("日")) != std::string::npos) t.erase(p, 3);
  while (!t.empty() && t.back() == '-') t.pop_back();
  for (char& c : t) {
    if (c == '/' || c == '.') c = '-';
  }
  int n = 0;
  size_t start = 0;
  while (n < 3) {
    size_t e = t.find('-', start);
    std::string_view part = std::string_view(t).substr(start, e == std::string::npos ? std::string::npos : e - start);
    if (!Digits(part) || part.size() > 4) return false;
    v[n++] = int(ToInt(part));
    if (e == std::string::npos) break;
    start = e + 1;
  }
  if (n != parts) return false;
  if (parts >= 2 && std::to_string(v[0]).size() != 4) return false;
  return true;
}

}  // namespace

bool ParseIdValue(std::string_view in, char out[18], ValueError* err) {
  std::string_view s = Trim(in);
  if (s.empty()) return Fail(err, "feed.id_number.missing", "身份证号码为空");
  char buf[18];
  if (s.size() == 18) {
    for (int i = 0; i < 17; ++i) {
      if (s[i] < '0' || s[i] > '9') return Fail(err, "feed.id_number.format", "身份证号码格式错误：" + std::string(s));
      buf[i] = s[i];
    }
    char c = s[17] == 'x' ? 'X' : s[17];
    if (!((c >= '0' && c <= '9') || c == 'X')) {
      return Fail(err, "feed.id_number.format", "身份证号码格式错误：" + std::string(s));
    }
    buf[17] = c;
    if (IdCheckCharacter(std::string_view(buf, 17)) != c) {
      return Fail(err, "feed.id_number.check_digit", "身份证号码校验码错误：" + std::string(s));
    }
  } else if (s.size() == 15 && Digits(s)) {
    std::memcpy(buf, s.data(), 6);
    buf[6] = '1';
    buf[7] = '9';
    std::memcpy(buf + 8, s.data() + 6, 9);
    buf[17] = IdCheckCharacter(std::string_view(buf, 17));
  } else {
    return Fail(err, "feed.id_number.format", "身份证号码应为 18 位（或旧 15 位）：" + std::string(s));
  }
  int y = int(ToInt(std::string_view(buf + 6, 4))), m = int(ToInt(std::string_view(buf + 10, 2))),
      d = int(ToInt(std::string_view(buf + 12, 2)));
  if (y < 1880 || Days(y, m, d) == kNoDate) {
    return Fail(err, "feed.id_number.birth_date", "身份证号码中的出生日期不存在：" + std::string(s));
  }
  std::memcpy(out, buf, 18);
  return true;
}

bool ParseDateValue(std::string_view in, int32_t* days, ValueError* err) {
  std::string_view s = Trim(in);
  if (s.empty()) return Fail(err, "feed.date.missing", "日期为空");
  if (s.size() == 10 && s[4] == '-' && s[7] == '-' && Digits(s.substr(0, 4)) && Digits(s.substr(5, 2)) &&
      Digits(s.substr(8, 2))) {  // the common form, without the general parser's copies
    int32_t r = Days(int(ToInt(s.substr(0, 4))), int(ToInt(s.substr(5, 2))), int(ToInt(s.substr(8, 2))));
    if (r == kNoDate) return Fail(err, "feed.date.invalid", "日期不存在：" + std::string(s));
    *days = r;
    return true;
  }
  std::string_view orig = s;
  // A time of day after the date ("2024-03-05 00:00:00", "2024-03-05T00:00:00") is dropped.
  if (size_t sp = s.find_first_of(" T"); sp != std::string_view::npos && sp >= 8) s = s.substr(0, sp);
  int v[3];
  int32_t r = kNoDate;
  if (s.size() == 8 && Digits(s)) {
    r = Days(int(ToInt(s.substr(0, 4))), int(ToInt(s.substr(4, 2))), int(ToInt(s.substr(6, 2))));
  } else if (SplitDate(s, 3, v)) {
    r = Days(v[0], v[1], v[2]);
  } else {
    return Fail(err, "feed.date.format", "日期格式无法识别（应为 YYYY-MM-DD）：" + std::string(orig));
  }
  if (r == kNoDate) return Fail(err, "feed.date.invalid", "日期不存在：" + std::string(orig));
  *days = r;
  return true;
}

bool ParseMonthValue(std::string_view in, int32_t* month, ValueError* err) {
  std::string_view s = Trim(in);
  if (s.empty()) return Fail(err, "feed.month.missing", "月份为空");
  int v[3];
  int y = 0, m = 0;
  if (s.size() == 7 && s[4] == '-' && Digits(s.substr(0, 4)) && Digits(s.substr(5, 2))) {  // the common form
    y = int(ToInt(s.substr(0, 4)));
    m = int(ToInt(s.substr(5, 2)));
  } else if (s.size() == 6 && Digits(s)) {
    y = int(ToInt(s.substr(0, 4)));
    m = int(ToInt(s.substr(4, 2)));
  } else if (SplitDate(s, 2, v)) {
    y = v[0];
    m = v[1];
  } else {
    int32_t d;
    ValueError date_err;
    if (ParseDateValue(s, &d, &date_err)) {  // a full date stands for its month
      *month = MonthOfDays(d);
      return true;
    }
    if (date_err.code == "feed.date.invalid") return Fail(err, "feed.month.invalid", date_err.reason);
    return Fail(err, "feed.month.format", "月份格式无法识别（应为 YYYY-MM）：" + std::string(s));
  }
  if (y < 1900 || y > 2200 || m < 1 || m > 12) return Fail(err, "feed.month.invalid", "月份不存在：" + std::string(s));
  *month = MonthIndex(y, m);
  return true;
}

bool ParseMoneyValue(std::string_view in, Fen* fen, ValueError* err) {
  std::string_view s = Trim(in);
  if (s.empty()) return Fail(err, "feed.money.missing", "金额为空");
  {  // the common form: digits, optionally '.' and one or two digits
    size_t dot = s.find('.');
    std::string_view ip = s.substr(0, dot);
    std::string_view fp = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
    if (!ip.empty() && ip.size() <= 13 && Digits(ip) && (dot == std::string_view::npos || (fp.size() >= 1 && fp.size() <= 2 && Digits(fp)))) {
      Fen v = ToInt(ip) * 100;
      if (fp.size() >= 1) v += (fp[0] - '0') * 10;
      if (fp.size() == 2) v += fp[1] - '0';
      *fen = v;
      return true;
    }
  }
  const std::string orig(s);
  StripPrefix(&s, "¥") || StripPrefix(&s, "￥") || StripPrefix(&s, "RMB");
  StripSuffix(&s, "人民币元") || StripSuffix(&s, "元");
  s = Trim(s);
  if (!s.empty() && (s[0] == '-' || s[0] == '(' || s.substr(0, 3) == "－")) {
    return Fail(err, "feed.money.negative", "金额不能为负数：" + orig);
  }
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  std::string_view ip = s, fp;
  if (size_t dot = s.find('.'); dot != std::string_view::npos) {
    ip = s.substr(0, dot);
    fp = s.substr(dot + 1);
    if (!Digits(fp)) return Fail(err, "feed.money.format", "金额格式无法识别：" + orig);
    if (fp.size() > 2) return Fail(err, "feed.money.precision", "金额最多两位小数（分）：" + orig);
  }
  // Thousands separators: "1,000" and "12,345,678" are understood; "1,00" is not.
  std::string digits;
  if (ip.find(',') != std::string_view::npos) {
    size_t first = ip.find(',');
    if (first == 0 || first > 3) return Fail(err, "feed.money.format", "金额的千位分隔符位置不对：" + orig);
    digits.append(ip.substr(0, first));
    size_t p = first;
    while (p < ip.size()) {
      if (ip[p] != ',' || p + 4 > ip.size()) return Fail(err, "feed.money.format", "金额的千位分隔符位置不对：" + orig);
      std::string_view g = ip.substr(p + 1, 3);
      if (!Digits(g)) return Fail(err, "feed.money.format", "金额的千位分隔符位置不对：" + orig);
      digits.append(g);
      p += 4;
    }
    ip = digits;
  }
  if (!Digits(ip) && !(ip.empty() && !fp.empty())) return Fail(err, "feed.money.format", "金额格式无法识别：" + orig);
  if (ip.size() > 13) return Fail(err, "feed.money.range", "金额过大：" + orig);
  Fen v = ToInt(ip) * 100;
  if (fp.size() >= 1) v += (fp[0] - '0') * 10;
  if (fp.size() == 2) v += fp[1] - '0';
  *fen = v;
  return true;
}

bool ParseAreaValue(std::string_view in, int32_t* centi, ValueError* err) {
  std::string_view s = Trim(in);
  if (s.empty()) return Fail(err, "feed.area.missing", "面积为空");
  const std::string orig(s);
  StripSuffix(&s, "平方米") || StripSuffix(&s, "㎡") || StripSuffix(&s, "m2") || StripSuffix(&s, "m²");
  s = Trim(s);
  std::string_view ip = s, fp;
  if (size_t dot = s.find('.'); dot != std::string_view::npos) {
    ip = s.substr(0, dot);
    fp = s.substr(dot + 1);
  }
  if (!Digits(ip) || (!fp.empty() && !Digits(fp)) || ip.size() > 7) {
    return Fail(err, "feed.area.format", "面积应为非负数（平方米）：" + orig);
  }
  if (fp.size() > 2) return Fail(err, "feed.area.precision", "面积最多两位小数：" + orig);
  int32_t v = int32_t(ToInt(ip) * 100);
  if (fp.size() >= 1) v += (fp[0] - '0') * 10;
  if (fp.size() == 2) v += fp[1] - '0';
  *centi = v;
  return true;
}

}  // namespace doudi::verify::feeds
