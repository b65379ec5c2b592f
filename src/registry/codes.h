// The registry's own small vocabularies — person flags (标签) and the urban/rural kind of a household — and one
// lookup for the name of a code in these or in the national standard sets of common/codes.h.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace doudi::registry {

// `set` is "flag", "urban_rural", or a common CodeSets name ("sex", "ethnicity", "relation", "marital",
// "education", "disability_category", "disability_grade").
bool HasCode(std::string_view set, std::string_view code);
// The display name of `code` in `set`; "" if unknown.
std::string CodeName(std::string_view set, std::string_view code);
// The registry's own sets ("flag", "urban_rural") as (code, name) pairs in display order; empty for other names.
std::vector<std::pair<std::string, std::string>> LocalCodes(std::string_view set);

}  // namespace doudi::registry
