// The registry's JSON forms (snake_case, codes with their names beside them) and the parsing of request bodies
// into fields, with a FieldError for every value of the wrong type.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/divisions.h"
#include "common/status.h"
#include "http/json_text.h"
#include "registry/model.h"
#include "registry/service.h"

namespace doudi::registry {

// id, name, sex, sex_name, birth_date, estimated_age, age, id_number, id_number_masked, ethnicity,
// ethnicity_name, phone, address, address_division, hukou_division, hukou_address, division_code, division_name,
// photo, flags (array), flag_names, disability_*, marital_status, education (+ _name), notes, household_id,
// version, created_at, created_by, updated_at, updated_by. Absent optional values are null.
// PersonJsonText is that object's text, written directly (http/json_text.h): the person read is the busiest
// endpoint, and PersonJson is its parse for the documents that embed a person.
std::string PersonJsonText(const Person& p, const Divisions& divisions, std::string_view today);
nlohmann::json PersonJson(const Person& p, const Divisions& divisions, std::string_view today);
nlohmann::json MemberJson(const MemberView& m, std::string_view today);
// With "members" when the household carries them.
nlohmann::json HouseholdJson(const Household& h, const Divisions& divisions, std::string_view today);
nlohmann::json StatsJson(const RegistryStats& s);
template <typename T, typename F>
nlohmann::json PageJson(const Page<T>& page, F to_json) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : page.items) items.push_back(to_json(item));
  return {{"items", std::move(items)}, {"total", page.total}, {"page", page.page}, {"size", page.size}};
}

// The same page as text, from items written as text (PersonJsonText).
template <typename T, typename F>
std::string PageJsonText(const Page<T>& page, F to_text) {
  std::string items = "[";
  for (const auto& item : page.items) {
    if (items.size() > 1) items += ',';
    items += to_text(item);
  }
  items += ']';
  return http::JsonText().Raw("items", items).Int("page", page.page).Int("size", page.size).Int("total", page.total).Finish();
}

// Reads the person fields present in `body` into *out and their names into *present (unknown keys such as
// "id" or "version" are ignored). Wrong types are field errors ("registry.<field>.type").
Status PersonFieldsFromJson(const nlohmann::json& body, PersonFields* out, std::vector<std::string>* present);
// Reads head_person_id, urban_rural, division_code, address.
Status HouseholdFieldsFromJson(const nlohmann::json& body, HouseholdFields* out, std::vector<std::string>* present);
// Reads [{"person_id": 1, "relation": "10"}, ...] from body[key]; *has = whether the key is present.
Status MembersFromJson(const nlohmann::json& body, const char* key, std::vector<Member>* out, bool* has);
// An integer field (number or numeric string) that must be present, e.g. "version".
Result<int64_t> RequiredInt(const nlohmann::json& body, const std::string& field);

}  // namespace doudi::registry
