// A street patrol log (街面巡查记录): who went out, when, along which route, the places checked, and the persons
// met there with what was done for them (DOMAIN.md §4; 2020 "service quality" campaign: street patrol).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rescue/institution_model.h"

namespace doudi::rescue {

// A place checked: its division (township or county code), a description ("沙市区中山路天桥下"), and optional
// WGS-84 coordinates (both or neither).
struct PatrolPlace {
  std::string division_code;
  std::string place;
  std::optional<double> lat, lng;
};

// Persons met at once and what was done. action: advised (劝导), brought_in (护送入站), referred_police (移交公安),
// referred_hospital (送医), refused (拒绝救助).
struct PatrolEncounter {
  int persons = 1;
  std::string action;
  std::string description;  // sex, estimated age, condition; no identity needed
  int place_index = -1;     // which place (index into places), -1 = not given
};

struct PatrolFields {
  std::string division_code;  // the station's scope division of the patrol
  std::string started_at, ended_at;  // ISO-8601 with zone; stored as UTC
  std::vector<std::string> team;     // staff names
  std::string route;
  std::vector<PatrolPlace> places;
  std::vector<PatrolEncounter> encounters;
  std::string notes;
};

// Persons by what was done, summed over the encounters.
struct PatrolCounts {
  int64_t persons_met = 0, advised = 0, brought_in = 0, referred_police = 0, referred_hospital = 0, refused = 0;
};

struct Patrol : PatrolFields, RecordStamp {
  int64_t id = 0;
  PatrolCounts counts;
};

}  // namespace doudi::rescue
