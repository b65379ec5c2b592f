// Person 360° (一人一档): the one page that shows everything known about a person. The registry supplies the
// person and the household; other modules plug in a named section each (assistance, rescue stays, family-search
// cases, minors' records ...) at start-up. A failing section becomes {"error": message} on the page instead of
// failing it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "platform/principal.h"

namespace doudi::registry {

// Returns the section's JSON for a person the caller may see (the registry has checked the person's scope).
using Person360Provider = std::function<Result<nlohmann::json>(int64_t person_id, const platform::Principal&)>;

// Registers (or replaces) the section `name`. Thread-safe; normally called once per module at start-up.
void RegisterPerson360Section(std::string name, Person360Provider provider);
// Removes a section (tests).
void UnregisterPerson360Section(const std::string& name);
// The registered sections, sorted by name.
std::vector<std::pair<std::string, Person360Provider>> Person360Sections();

// Runs every section for a person: {"<name>": <json> | {"error": "<message>"}}.
nlohmann::json RunPerson360Sections(int64_t person_id, const platform::Principal& principal);

}  // namespace doudi::registry
