#include "rescue/internal.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/text.h"

namespace doudi::rescue::internal {

Status CaseNotFound() { return Status::NotFound("rescue.case.not_found", "救助记录不存在或不在您的管辖范围内"); }

Status CaseClosed() {
  return Status::Conflict("rescue.case.closed", "该救助记录已离站或不予救助，不能再办理此项");
}

Status OutsideScope() {
  return Status::Forbidden("rescue.scope.outside", "只能登记或办理本站（您的数据范围内）的救助记录");
}

Status RequireText(const std::string& field, std::string_view value, size_t min_chars, size_t max_chars,
                   const std::string& code, const std::string& message) {
  std::string_view v = Trim(value);
  if (!IsValidUtf8(v)) return Status::InvalidField(field, code, message);
  size_t n = Utf8Length(v);
  if (n < min_chars || n > max_chars) return Status::InvalidField(field, code, message);
  return Status::Ok();
}

Result<std::optional<Date>> DateField(const std::string& field, const std::string& value, bool required,
                                      const std::string& label) {
  if (value.empty()) {
    if (required) return Status::InvalidField(field, "rescue.date.required", "请填写" + label);
    return std::optional<Date>();
  }
  auto d = ParseDate(value);
  if (!d.ok()) return Status::InvalidField(field, "rescue.date.invalid", label + "不是有效日期（应为 YYYY-MM-DD）");
  return std::optional<Date>(*d);
}

namespace {

void TrimInPlace(std::string& s) { s = std::string(Trim(s)); }

}  // namespace

Status ValidateCaseFields(CaseFields& f, Date today) {
  for (const auto& t : kCaseTextFields) TrimInPlace(f.*t.member);
  for (const auto& t : kCaseTextFields) {
    const std::string& v = f.*t.member;
    size_t limit = std::string_view(t.name) == "name" ? 50 : 2000;
    if (!IsValidUtf8(v) || Utf8Length(v) > limit) {
      return Status::InvalidField(t.name, "rescue.field.too_long",
                                  std::string("字段 ") + t.name + " 过长（至多 " + std::to_string(limit) + " 个字）");
    }
  }
  static const char* kHow[] = {"self", "police", "patrol", "referral"};
  if (std::none_of(std::begin(kHow), std::end(kHow), [&](const char* h) { return f.how_came == h; })) {
    return Status::InvalidField("how_came", "rescue.how_came.invalid",
                                "来站方式应为 self（主动求助）、police（公安移送）、patrol（街面巡查）或 referral（转介）");
  }
  if (f.how_came == "police" && f.police_form_ref.empty()) {
    return Status::InvalidField("police_form_ref", "rescue.police_form.required",
                                "公安机关移送须填写签字的移送单编号");
  }
  if (f.how_came == "referral" && f.referral_from.empty()) {
    return Status::InvalidField("referral_from", "rescue.referral.required", "转介须填写转介单位");
  }
  if (f.sex != 0 && f.sex != 1 && f.sex != 2 && f.sex != 9) {
    return Status::InvalidField("sex", "rescue.sex.invalid", "性别代码应为 0、1、2 或 9");
  }
  if (f.estimated_age && (*f.estimated_age < 0 || *f.estimated_age > 150)) {
    return Status::InvalidField("estimated_age", "rescue.estimated_age.invalid", "估计年龄应在 0 到 150 岁之间");
  }
  if (f.height_cm && (*f.height_cm < 30 || *f.height_cm > 260)) {
    return Status::InvalidField("height_cm", "rescue.height.invalid", "身高应在 30 到 260 厘米之间");
  }
  DOUDI_ASSIGN_OR_RETURN(auto birth, DateField("birth_date", f.birth_date, false, "出生日期"));
  if (birth && *birth > today) {
    return Status::InvalidField("birth_date", "rescue.birth_date.future", "出生日期不能晚于今天");
  }
  DOUDI_ASSIGN_OR_RETURN(auto found, DateField("found_date", f.found_date, false, "发现日期"));
  if (found && *found > today) {
    return Status::InvalidField("found_date", "rescue.found_date.future", "发现日期不能晚于今天");
  }
  if (f.caseworker_id < 0) return Status::InvalidField("caseworker_id", "rescue.caseworker.invalid", "经办人无效");
  return Status::Ok();
}

std::string FieldsDetail(const std::vector<std::string>& fields, const std::string& reason) {
  nlohmann::json j = {{"fields", fields}};
  if (!reason.empty()) j["reason"] = reason;
  return j.dump();
}

Date DayOf(const std::string& utc, Date fallback) {
  auto t = ParseIsoTime(utc);
  return t.ok() ? ShanghaiDate(*t) : fallback;
}

}  // namespace doudi::rescue::internal
