#include "registry/validate.h"

#include <algorithm>
#include <cstdint>

#include "common/calendar.h"
#include "common/id_number.h"
#include "common/text.h"
#include "registry/codes.h"

namespace doudi::registry {
namespace {

constexpr int kMaxName = 50;
constexpr int kMaxAddress = 200;
constexpr int kMaxNotes = 2000;
constexpr int kMaxAge = 150;

void TrimInPlace(std::string& s) { s = std::string(Trim(s)); }

bool AllDigits(std::string_view s) { return IsAsciiDigits(s); }

void Add(std::vector<FieldError>& errors, std::string field, std::string_view why, std::string message) {
  std::string code = "registry." + field + "." + std::string(why);
  errors.push_back({std::move(field), std::move(code), std::move(message)});
}

// A free-text field: valid UTF-8, no control characters other than newline/tab, at most `max` characters.
void CheckText(std::vector<FieldError>& errors, const std::string& field, const std::string& label,
               const std::string& value, int max) {
  int n = Utf8Chars(value);
  if (n < 0) {
    Add(errors, field, "encoding", label + "含有无效字符");
    return;
  }
  if (n > max) Add(errors, field, "too_long", label + "不能超过 " + std::to_string(max) + " 个字");
}

// A division code a user entered: county level or below when `county_or_below`, known and current.
void CheckDivision(std::vector<FieldError>& errors, const std::string& field, const std::string& label,
                   const std::string& code, const Divisions& divisions, bool county_or_below) {
  if (!AllDigits(code)) {
    Add(errors, field, "format", label + "应为数字代码");
    return;
  }
  if (county_or_below && code.size() < 6) {
    Add(errors, field, "level", label + "应为区县或乡镇（街道）代码");
    return;
  }
  Status s = divisions.CheckCurrent(code, field);
  if (!s.ok()) {
    Add(errors, field, "unknown", s.message().empty() ? label + "不是现行的行政区划代码" : s.message());
  }
}

void CheckCode(std::vector<FieldError>& errors, const std::string& field, const std::string& label,
               const std::string& value, std::string_view set) {
  if (value.empty()) return;
  if (!HasCode(set, value)) Add(errors, field, "invalid", label + "代码 " + value + " 不在标准代码表中");
}

// Normalises "a, b,a" to "a,b" and checks each flag against the flag dictionary.
void CheckFlags(std::vector<FieldError>& errors, std::string& flags) {
  std::vector<std::string> out;
  std::string_view rest = flags;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string f(Trim(rest.substr(0, comma)));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (f.empty()) continue;
    if (!HasCode("flag", f)) {
      Add(errors, "flags", "unknown", "未知的人员标签：" + f);
      continue;
    }
    if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
  }
  std::string joined;
  for (const auto& f : out) joined += (joined.empty() ? "" : ",") + f;
  flags = joined;
}

// A stored file key: relative, no parent segments, a conservative character set.
bool ValidFileKey(std::string_view key) {
  if (key.empty() || key.size() > 200 || key.front() == '/' || key.find("..") != std::string_view::npos) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '_' ||
           c == '-' || c == '.';
  });
}

}  // namespace

int Utf8Chars(std::string_view s) {
  return IsValidUtf8(s) ? static_cast<int>(Utf8Length(s)) : -1;
}

int AgeOn(std::string_view birth_date, std::string_view today) {
  auto b = ParseDate(birth_date);
  auto t = ParseDate(today);
  if (!b.ok() || !t.ok()) return -1;
  std::chrono::year_month_day yb{*b}, yt{*t};
  int age = static_cast<int>(yt.year()) - static_cast<int>(yb.year());
  if (std::pair(static_cast<unsigned>(yt.month()), static_cast<unsigned>(yt.day())) <
      std::pair(static_cast<unsigned>(yb.month()), static_cast<unsigned>(yb.day()))) {
    --age;
  }
  return age;
}

std::string NormalizePhone(std::string_view phone) {
  std::string d;
  for (char c : phone) {
    if (c >= '0' && c <= '9') {
      d += c;
    } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '+') {
      return "";
    }
  }
  if (d.size() == 13 && d.starts_with("861")) d = d.substr(2);  // +86 mobile
  if (d.size() == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9') return d;
  if (d.size() >= 10 && d.size() <= 12 && d[0] == '0' && d[1] != '0') return d;
  return "";
}

std::vector<FieldError> ValidatePerson(PersonFields& p, const Divisions& divisions, std::string_view today) {
  std::vector<FieldError> errors;
  for (std::string* s : {&p.name, &p.birth_date, &p.id_number, &p.ethnicity, &p.phone, &p.address,
                         &p.address_division, &p.hukou_division, &p.hukou_address, &p.division_code, &p.photo,
                         &p.disability_category, &p.disability_grade, &p.marital_status, &p.education}) {
    TrimInPlace(*s);
  }

  int name_len = Utf8Chars(p.name);
  if (name_len < 0) {
    Add(errors, "name", "encoding", "姓名含有无效字符");
  } else if (name_len == 0) {
    Add(errors, "name", "required", "请填写姓名（身份不明者可填“无名氏”）");
  } else if (name_len > kMaxName) {
    Add(errors, "name", "too_long", "姓名不能超过 50 个字");
  } else if (std::any_of(p.name.begin(), p.name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    Add(errors, "name", "encoding", "姓名含有控制字符");
  }

  if (p.sex != 0 && p.sex != 1 && p.sex != 2 && p.sex != 9) {
    Add(errors, "sex", "invalid", "性别代码应为 0（未知）、1（男）、2（女）或 9（未说明）");
  }

  bool birth_ok = false;
  if (!p.birth_date.empty()) {
    if (!ParseDate(p.birth_date).ok()) {
      Add(errors, "birth_date", "invalid", "出生日期无效，应为 YYYY-MM-DD 格式的真实日期");
    } else if (p.birth_date > today) {
      Add(errors, "birth_date", "future", "出生日期不能晚于今天");
    } else {
      birth_ok = true;
    }
  }

  if (!p.id_number.empty()) {
    auto id = ParseIdNumber(p.id_number, &divisions);
    if (!id.ok()) {
      const Status& s = id.status();
      std::string code = s.error_code().starts_with("registry.") ? s.error_code() : "registry." + s.error_code();
      errors.push_back({"id_number", code, s.message()});
    } else {
      p.id_number = id->number;
      if (id->birth_date > today) {
        Add(errors, "id_number", "birth_date", "身份证号码中的出生日期晚于今天");
      }
      if (p.birth_date.empty()) {
        p.birth_date = id->birth_date;
        birth_ok = true;
      } else if (birth_ok && p.birth_date != id->birth_date) {
        Add(errors, "birth_date", "mismatch", "出生日期与身份证号码不一致（身份证号码中为 " + id->birth_date + "）");
      }
      if (p.sex == 0 || p.sex == 9) {
        p.sex = id->sex;
      } else if ((p.sex == 1 || p.sex == 2) && p.sex != id->sex) {
        Add(errors, "sex", "mismatch", std::string("性别与身份证号码不一致（身份证号码为") + (id->sex == 1 ? "男" : "女") + "）");
      }
    }
  }

  if (p.estimated_age) {
    if (!p.birth_date.empty()) {
      p.estimated_age.reset();  // a known birth date supersedes an estimate made at intake
    } else if (*p.estimated_age < 0 || *p.estimated_age > kMaxAge) {
      Add(errors, "estimated_age", "invalid", "估计年龄应在 0 到 150 岁之间");
    }
  }

  if (!p.ethnicity.empty()) {
    if (p.ethnicity.size() == 1 && AllDigits(p.ethnicity)) p.ethnicity = "0" + p.ethnicity;
    if (p.ethnicity.size() != 2 || !AllDigits(p.ethnicity)) {
      Add(errors, "ethnicity", "invalid", "民族应为两位 GB 3304 代码（如 01 汉族）");
    } else {
      CheckCode(errors, "ethnicity", "民族", p.ethnicity, "ethnicity");
    }
  }

  if (!p.phone.empty()) {
    std::string digits = NormalizePhone(p.phone);
    if (digits.empty()) {
      Add(errors, "phone", "invalid", "联系电话应为 11 位手机号码或带区号的固定电话");
    } else {
      p.phone = digits;
    }
  }

  if (p.division_code.empty()) {
    Add(errors, "division_code", "required", "请选择所属区划（居住地乡镇街道或区县）");
  } else {
    CheckDivision(errors, "division_code", "所属区划", p.division_code, divisions, true);
  }
  if (!p.address_division.empty()) {
    CheckDivision(errors, "address_division", "居住地区划", p.address_division, divisions, false);
  }
  if (!p.hukou_division.empty()) {
    CheckDivision(errors, "hukou_division", "户籍地区划", p.hukou_division, divisions, false);
  }
  CheckText(errors, "address", "居住地址", p.address, kMaxAddress);
  CheckText(errors, "hukou_address", "户籍地址", p.hukou_address, kMaxAddress);
  CheckText(errors, "notes", "备注", p.notes, kMaxNotes);

  if (!p.photo.empty() && !ValidFileKey(p.photo)) Add(errors, "photo", "invalid", "照片文件标识无效");

  CheckFlags(errors, p.flags);
  CheckCode(errors, "marital_status", "婚姻状况", p.marital_status, "marital");
  CheckCode(errors, "education", "学历", p.education, "education");
  CheckCode(errors, "disability_category", "残疾类别", p.disability_category, "disability_category");
  CheckCode(errors, "disability_grade", "残疾等级", p.disability_grade, "disability_grade");
  if (!p.disability_category.empty() && p.disability_grade.empty()) {
    Add(errors, "disability_grade", "required", "填写残疾类别时须同时填写残疾等级");
  } else if (p.disability_category.empty() && !p.disability_grade.empty()) {
    Add(errors, "disability_category", "required", "填写残疾等级时须同时填写残疾类别");
  }
  return errors;
}

std::vector<FieldError> ValidateHousehold(HouseholdFields& h, const Divisions& divisions) {
  std::vector<FieldError> errors;
  TrimInPlace(h.urban_rural);
  TrimInPlace(h.division_code);
  TrimInPlace(h.address);
  if (h.head_person_id <= 0) Add(errors, "head_person_id", "required", "请选择户主");
  if (!HasCode("urban_rural", h.urban_rural)) {
    Add(errors, "urban_rural", "invalid", "城乡类别应为 urban（城市）或 rural（农村）");
  }
  if (h.division_code.empty()) {
    Add(errors, "division_code", "required", "请选择家庭户所属区划");
  } else {
    CheckDivision(errors, "division_code", "所属区划", h.division_code, divisions, true);
  }
  CheckText(errors, "address", "家庭住址", h.address, kMaxAddress);
  return errors;
}

std::vector<FieldError> ValidateRelation(std::string_view relation) {
  std::vector<FieldError> errors;
  if (relation.empty()) {
    Add(errors, "relation", "required", "请选择与户主关系");
  } else if (!HasCode("relation", relation)) {
    Add(errors, "relation", "invalid", "与户主关系代码 " + std::string(relation) + " 不在 GB/T 4761 代码表中");
  }
  return errors;
}

std::vector<FieldError> ValidateMembers(const std::vector<Member>& members) {
  std::vector<FieldError> errors;
  std::vector<int64_t> seen;
  for (const auto& m : members) {
    if (m.person_id <= 0) {
      Add(errors, "members", "person_required", "家庭成员须选择人员");
      continue;
    }
    if (std::find(seen.begin(), seen.end(), m.person_id) != seen.end()) {
      Add(errors, "members", "duplicate", "同一人员在成员列表中出现了两次（人员编号 " + std::to_string(m.person_id) + "）");
    }
    seen.push_back(m.person_id);
    for (auto& e : ValidateRelation(m.relation)) {
      e.field = "members";
      errors.push_back(std::move(e));
    }
  }
  return errors;
}

std::vector<FieldError> NormalizeHead(int64_t head, std::vector<Member>& members) {
  std::vector<FieldError> errors;
  bool has_head = false;
  for (auto& m : members) {
    if (m.person_id == head) {
      has_head = true;
      if (m.relation.empty() || m.relation == "01" || m.relation == "02") {
        m.relation = "02";
      } else {
        errors.push_back({"members", "registry.household.head_relation", "户主本人与户主的关系应为“02 户主”"});
      }
    } else if (m.relation == "01" || m.relation == "02") {
      errors.push_back({"members", "registry.household.second_head",
                        "一户只能有一位户主：人员 " + std::to_string(m.person_id) + " 的关系不能是本人或户主"});
    }
  }
  if (!has_head && head > 0) members.insert(members.begin(), Member{head, "02"});
  return errors;
}

Status FieldErrorsStatus(std::vector<FieldError> errors) {
  if (errors.empty()) return Status::Ok();
  Status s(Code::kInvalid, errors.front().code, errors.front().message);
  for (auto& e : errors) s.add_detail(std::move(e));
  return s;
}

}  // namespace doudi::registry
