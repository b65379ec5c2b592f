// Resident identity numbers (居民身份证号码, GB 11643-1999).
//
// 18 characters: a 6-digit address code (the county of first registration, GB/T 2260), an 8-digit birth date,
// a 3-digit sequence (odd = male) and a check character computed from the first 17 digits (weights
// 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, sum mod 11 indexes "10X98765432"). Old 15-digit numbers are converted by
// inserting "19" before the year and computing the check character. The address code is checked against the
// division codes valid on the birth date (so 421023 监利县 is accepted for people registered before it became
// 421088 监利市).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace doudi {

class Divisions;

struct IdNumber {
  std::string number;      // normalised 18-character form, upper-case X
  std::string address_code;
  std::string birth_date;  // YYYY-MM-DD
  int sex = 0;             // GB/T 2261.1: 1 male, 2 female
};

// The check character for the first 17 digits.
char IdCheckCharacter(std::string_view first17);

// Validates and normalises an ID number. Error codes (field "id_number"):
//   id_number.format       wrong length or characters
//   id_number.check_digit  check character does not match
//   id_number.birth_date   impossible or future birth date
//   id_number.division     address code unknown (or not valid at the birth date)
// `divisions` may be null to skip the address-code check.
Result<IdNumber> ParseIdNumber(std::string_view input, const Divisions* divisions);

// 4210**********1231: the first four and last four characters visible.
std::string MaskIdNumber(std::string_view number);
// 138****5678
std::string MaskPhone(std::string_view phone);

}  // namespace doudi
