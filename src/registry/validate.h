// Validation of the registry's input (pure: no database, no clock — "today" is passed in).
//
// Every problem is reported as a FieldError naming the field, with a stable code ("registry.<field>.<why>")
// and a Chinese message, so that a form can mark each field and an import can say which row and field.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/divisions.h"
#include "common/status.h"
#include "registry/model.h"

namespace doudi::registry {

// Checks `p` and normalises it in place: trims text; the ID number becomes its 18-character form and, when
// the birth date or sex is absent (sex 0 or 9), they are derived from it; a birth date clears the estimated
// age; the phone keeps its digits only; flags become a de-duplicated comma list. `today` is YYYY-MM-DD
// (Asia/Shanghai). Returns the field errors; empty means valid.
std::vector<FieldError> ValidatePerson(PersonFields& p, const Divisions& divisions, std::string_view today);

// Checks a household's own fields (not its members).
std::vector<FieldError> ValidateHousehold(HouseholdFields& h, const Divisions& divisions);

// Checks a member list: persons named once each, relations GB/T 4761 codes.
std::vector<FieldError> ValidateMembers(const std::vector<Member>& members);

// The head is the one member related as 01 本人 / 02 户主 (stored as 02); adds the head with 02 if the list
// lacks them. Returns errors for a head with another relation or a second member related as 本人/户主.
std::vector<FieldError> NormalizeHead(int64_t head, std::vector<Member>& members);

// Checks one member's relation code.
std::vector<FieldError> ValidateRelation(std::string_view relation);

// One Status for a list of errors: the first error's code and message, every error in details().
Status FieldErrorsStatus(std::vector<FieldError> errors);

// The digits of a mobile (11 digits, 1[3-9]...) or landline (0 + area code + number, 10–12 digits) number,
// without spaces, hyphens or a +86 prefix; "" if it is neither.
std::string NormalizePhone(std::string_view phone);

// Number of Unicode code points if `s` is valid UTF-8 (common/text.h), else -1.
int Utf8Chars(std::string_view s);

// Whole years from birth_date to today (both YYYY-MM-DD); -1 if either is malformed.
int AgeOn(std::string_view birth_date, std::string_view today);

}  // namespace doudi::registry
