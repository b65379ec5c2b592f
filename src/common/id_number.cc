#include "common/id_number.h"

#include <fmt/format.h>

#include "common/calendar.h"
#include "common/divisions.h"
#include "common/text.h"
#include "common/time.h"

namespace doudi {

namespace {

constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kCheckChars[] = "10X98765432";
constexpr std::string_view kField = "id_number";
constexpr std::string_view kEarliestBirth = "1880-01-01";  // older dates are typing errors, not people

Status Error(std::string_view code, std::string message) {
  return Status::InvalidField(std::string(kField), fmt::format("id_number.{}", code), std::move(message));
}

}  // namespace

char IdCheckCharacter(std::string_view first17) {
  if (first17.size() < 17) return '?';
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    char c = first17[i];
    if (c < '0' || c > '9') return '?';
    sum += (c - '0') * kWeights[i];
  }
  return kCheckChars[sum % 11];
}

Result<IdNumber> ParseIdNumber(std::string_view input, const Divisions* divisions) {
  std::string_view s = Trim(input);
  std::string number;
  if (s.size() == 15) {
    // First-generation numbers (1984–): 6-digit address, 6-digit birth date YYMMDD in the 1900s, 3-digit sequence.
    if (!IsAsciiDigits(s)) return Error("format", "15 位身份证号码应全部为数字");
    number = std::string(s.substr(0, 6)) + "19" + std::string(s.substr(6));
    number.push_back(IdCheckCharacter(number));
  } else if (s.size() == 18) {
    number = AsciiUpper(s);
    if (!IsAsciiDigits(std::string_view(number).substr(0, 17)) ||
        !(IsAsciiDigits(std::string_view(number).substr(17)) || number[17] == 'X')) {
      return Error("format", "身份证号码前 17 位应为数字，最后一位为数字或 X");
    }
    char expected = IdCheckCharacter(number);
    if (number[17] != expected) {
      return Error("check_digit", "身份证号码校验位不正确，请核对是否录入有误");
    }
  } else {
    return Error("format", fmt::format("身份证号码应为 18 位（或旧版 15 位），实际为 {} 位", Utf8Length(s)));
  }

  IdNumber id;
  id.address_code = number.substr(0, 6);
  std::string_view birth = std::string_view(number).substr(6, 8);
  id.birth_date = fmt::format("{}-{}-{}", birth.substr(0, 4), birth.substr(4, 2), birth.substr(6, 2));
  auto date = ParseDate(id.birth_date);
  if (!date.ok()) return Error("birth_date", fmt::format("身份证号码中的出生日期 {} 不存在", id.birth_date));
  if (id.birth_date < kEarliestBirth) {
    return Error("birth_date", fmt::format("身份证号码中的出生日期 {} 早于 1880 年", id.birth_date));
  }
  if (*date > TodayShanghai()) {
    return Error("birth_date", fmt::format("身份证号码中的出生日期 {} 晚于今天", id.birth_date));
  }

  if (divisions) {
    const Division* d = divisions->Find(id.address_code);
    if (!d || d->level != 3) {
      return Error("division", fmt::format("身份证号码中的地址码 {} 不是已知的县级行政区划代码", id.address_code));
    }
    if (d->statistical) {
      return Error("division", fmt::format("身份证号码中的地址码 {}（{}）是统计用代码，不会出现在身份证号码中",
                                           id.address_code, d->name));
    }
    if (!divisions->InUseOnOrAfter(id.address_code, id.birth_date)) {
      return Error("division", fmt::format("地址码 {}（{}）在出生日期 {} 之前已撤销，号码有误", id.address_code,
                                           divisions->FullName(id.address_code), id.birth_date));
    }
  }

  id.sex = (number[16] - '0') % 2 == 1 ? 1 : 2;
  id.number = std::move(number);
  return id;
}

std::string MaskIdNumber(std::string_view number) {
  if (number.size() <= 8) return std::string(number.size(), '*');
  return std::string(number.substr(0, 4)) + std::string(number.size() - 8, '*') +
         std::string(number.substr(number.size() - 4));
}

std::string MaskPhone(std::string_view phone) {
  if (phone.size() >= 8) {
    return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') +
           std::string(phone.substr(phone.size() - 4));
  }
  if (phone.size() <= 2) return std::string(phone.size(), '*');
  return std::string(phone.size() - 2, '*') + std::string(phone.substr(phone.size() - 2));
}

}  // namespace doudi
