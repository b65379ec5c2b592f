// Helpers shared by the RescueService's implementation files (service.cc, stay.cc, family_search.cc, queue.cc);
// not part of the module's interface.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/calendar.h"
#include "common/status.h"
#include "common/time.h"
#include "rescue/model.h"

namespace doudi::rescue::internal {

Status CaseNotFound();
Status CaseClosed();
Status OutsideScope();
// Refused unless the text (trimmed) has at least min_chars characters and at most max_chars.
Status RequireText(const std::string& field, std::string_view value, size_t min_chars, size_t max_chars,
                   const std::string& code, const std::string& message);
// A date field: "" allowed when optional; else YYYY-MM-DD, a real day.
Result<std::optional<Date>> DateField(const std::string& field, const std::string& value, bool required,
                                      const std::string& label);
// Validates and normalises the fields of a case (trimmed text, how_came's companions, ranges).
Status ValidateCaseFields(CaseFields& f, Date today);
// {"fields":[...], ...} audit detail: names only, never values.
std::string FieldsDetail(const std::vector<std::string>& fields, const std::string& reason = "");
// The Shanghai calendar day of a stored UTC time (intake_at etc.); today when it does not parse.
Date DayOf(const std::string& utc, Date fallback);

}  // namespace doudi::rescue::internal
