// The demo population: a deterministic, seeded synthetic Jingzhou (households and persons over the real
// districts and townships), with valid synthetic ID numbers. Never real people: names are drawn from common
// characters, ID sequences are random, and birth dates are spread over plausible ages.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace doudi::app {

struct DemoPerson {
  std::string name;
  int sex = 1;                // GB/T 2261.1
  std::string birth_date;     // YYYY-MM-DD
  std::string id_number;      // valid GB 11643 number issued in the person's county
  std::string ethnicity;      // GB 3304 code
  std::string phone;          // empty for children
  std::string division_code;  // township (9 digits)
  std::string address;
  std::string relation;       // GB/T 4761 code, relative to the household head
};

struct DemoHousehold {
  std::string division_code;  // township
  std::string urban_rural;    // urban | rural
  std::string address;
  std::vector<DemoPerson> members;  // members[0] is the head
};

// The Jingzhou counties used (code, name); the statistical 421071 development zone is left out of ID codes.
const std::vector<std::pair<std::string, std::string>>& JingzhouCounties();

// Generates `households` households (about 2.4 persons each) deterministically from `seed`.
// `as_of` (YYYY-MM-DD) is the reference date for ages.
std::vector<DemoHousehold> GenerateDemoPopulation(uint64_t seed, int households, const std::string& as_of);

}  // namespace doudi::app
