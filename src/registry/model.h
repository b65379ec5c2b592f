// The registry's records: a person (人员), a household (家庭户) and a household member (家庭成员).
//
// Codes are the national standards (DOMAIN.md §1): sex GB/T 2261.1, ethnicity GB 3304, relation GB/T 4761,
// marital status GB/T 2261.2, education GB/T 4658, disability GB/T 26341, divisions GB/T 2260. Optional text is
// "" when absent. id_number and phone hold plain values only inside the service; whatever the service hands to
// a caller acting for a user is masked (Person::masked) unless it is an audited reveal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace doudi::registry {

// The fields a caseworker enters for a person: the body of a create, the values of an update.
struct PersonFields {
  std::string name;
  int sex = 0;                      // 0 unknown, 1 male, 2 female, 9 unstated
  std::string birth_date;           // YYYY-MM-DD or "" (unknown identity)
  std::optional<int> estimated_age; // years, when the birth date is unknown
  std::string id_number;            // 18-character resident ID number or ""
  std::string ethnicity;            // two-digit GB 3304 code or ""
  std::string phone;                // mobile or landline or ""
  std::string address;              // residence address
  std::string address_division;     // residence division code or ""
  std::string hukou_division;       // division of household registration (户籍) or ""
  std::string hukou_address;
  std::string division_code;        // the record's scope division: residence township or county (required)
  std::string photo;                // stored file key or ""
  std::string flags;                // comma-separated codes, e.g. "disabled,elderly_alone"
  std::string disability_category;  // GB/T 26341 category digit or ""
  std::string disability_grade;     // 1–4 or ""
  std::string marital_status;       // GB/T 2261.2 or ""
  std::string education;            // GB/T 4658 or ""
  std::string notes;
};

using NewPerson = PersonFields;

// The text members of PersonFields by their API/JSON name, for code that handles fields by name (partial
// updates, JSON bodies). "flags" is text here (comma-separated); its JSON form is an array.
struct PersonTextField {
  const char* name;
  std::string PersonFields::*member;
};
inline constexpr PersonTextField kPersonTextFields[] = {
    {"name", &PersonFields::name},
    {"birth_date", &PersonFields::birth_date},
    {"id_number", &PersonFields::id_number},
    {"ethnicity", &PersonFields::ethnicity},
    {"phone", &PersonFields::phone},
    {"address", &PersonFields::address},
    {"address_division", &PersonFields::address_division},
    {"hukou_division", &PersonFields::hukou_division},
    {"hukou_address", &PersonFields::hukou_address},
    {"division_code", &PersonFields::division_code},
    {"photo", &PersonFields::photo},
    {"flags", &PersonFields::flags},
    {"disability_category", &PersonFields::disability_category},
    {"disability_grade", &PersonFields::disability_grade},
    {"marital_status", &PersonFields::marital_status},
    {"education", &PersonFields::education},
    {"notes", &PersonFields::notes},
};

struct Person : PersonFields {
  int64_t id = 0;
  int64_t version = 0;
  std::string created_at;  // ISO-8601 UTC
  int64_t created_by = 0;
  std::string updated_at;
  int64_t updated_by = 0;
  std::optional<int64_t> household_id;
  bool masked = false;  // id_number and phone hold MaskIdNumber / MaskPhone forms
};

struct Member {
  int64_t person_id = 0;
  std::string relation;  // GB/T 4761 code, relative to the head
};

struct HouseholdFields {
  int64_t head_person_id = 0;
  std::string urban_rural;    // "urban" | "rural"
  std::string division_code;  // township or county
  std::string address;
};

// A household to create: its fields and its members (the head is added with relation 02 户主 if absent).
struct NewHousehold : HouseholdFields {
  std::vector<Member> members;
};

// A member as shown with a household: the relation plus a masked summary of the person.
struct MemberView {
  int64_t person_id = 0;
  std::string relation;
  std::string name;
  int sex = 0;
  std::string birth_date;
  std::optional<int> estimated_age;
  std::string id_number;  // masked
  std::string division_code;
};

struct Household : HouseholdFields {
  int64_t id = 0;
  int64_t version = 0;
  std::string created_at;
  int64_t created_by = 0;
  std::string updated_at;
  int64_t updated_by = 0;
  std::string head_name;
  int64_t member_count = 0;
  std::vector<MemberView> members;  // filled by GetHousehold, empty in lists
};

}  // namespace doudi::registry
