// The rescue station's records (救助管理, DOMAIN.md §4): a case (one stay, from intake to departure) with its
// belongings, care records and placements; the family-search notice, DNA request and candidates of an
// unidentified person.
//
// A case is in one of three states: in_station (from intake; placed persons stay in_station, their
// whereabouts being the open placement), departed (closed by a departure of some kind) or refused (不予救助,
// closed at intake). Optional text is "" when absent; times are ISO-8601 UTC, dates YYYY-MM-DD (Asia/Shanghai).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace doudi::rescue {

// What the screening at intake found (DOMAIN.md §4): the first four send the person to hospital, the last two
// call the police.
struct Screening {
  bool mental_illness = false;      // suspected mental illness
  bool infectious_disease = false;
  bool critical_illness = false;
  bool injury = false;
  bool danger = false;              // danger to self or others
  bool drugs_or_fugitive = false;   // suspected drug use or a wanted person
  std::string note;
  // "hospital", "police", "hospital,police" or "".
  std::string ReferredTo() const;
};

// The fields a caseworker enters and may later correct (each correction a new version with a reason).
struct CaseFields {
  std::string name;                  // "" when unknown
  int sex = 0;                       // GB/T 2261.1
  std::string birth_date;            // known identity
  std::optional<int> estimated_age;  // years, unknown identity
  std::optional<int> height_cm;
  std::string features;              // physical features (体貌特征)
  std::string clothing;
  std::string dialect;               // accent / dialect
  std::string photo;                 // stored file key
  std::string health_state;          // health and mental state: sensitive, never public
  bool mental_disability = false;    // mental or intellectual disability (the 10-day rule does not apply)
  std::string how_came;              // self | police | patrol | referral
  std::string police_unit;           // police hand-over: the unit
  std::string police_form_ref;       // police hand-over: the signed form's number
  std::string referral_from;         // referral: who referred
  std::string patrol_ref;            // patrol: the patrol log's reference
  std::string found_place;
  std::string found_date;
  std::string reason;                // reason for seeking help, time and course of begging
  std::string hukou_address;
  std::string relatives_contact;
  std::string bed;
  std::string room;
  std::string notes;
  int64_t caseworker_id = 0;         // whose work queue the case's deadlines go to (0: the creator)
};

// The text members of CaseFields by API/JSON name (= column name).
struct CaseTextField {
  const char* name;
  std::string CaseFields::*member;
};
inline constexpr CaseTextField kCaseTextFields[] = {
    {"name", &CaseFields::name},
    {"birth_date", &CaseFields::birth_date},
    {"features", &CaseFields::features},
    {"clothing", &CaseFields::clothing},
    {"dialect", &CaseFields::dialect},
    {"photo", &CaseFields::photo},
    {"health_state", &CaseFields::health_state},
    {"how_came", &CaseFields::how_came},
    {"police_unit", &CaseFields::police_unit},
    {"police_form_ref", &CaseFields::police_form_ref},
    {"referral_from", &CaseFields::referral_from},
    {"patrol_ref", &CaseFields::patrol_ref},
    {"found_place", &CaseFields::found_place},
    {"found_date", &CaseFields::found_date},
    {"reason", &CaseFields::reason},
    {"hukou_address", &CaseFields::hukou_address},
    {"relatives_contact", &CaseFields::relatives_contact},
    {"bed", &CaseFields::bed},
    {"room", &CaseFields::room},
    {"notes", &CaseFields::notes},
};

// An intake (求助登记): the case fields, the identity if known, screening and the belongings taken in.
struct NewIntake : CaseFields {
  std::string station_division;  // "" = the user's own division
  std::string intake_at;         // "" = now
  std::string id_number;         // resident ID number if known (links or creates the registry person)
  Screening screening;
  struct Belonging {
    std::string description;
    int quantity = 1;
    std::string photo;
  };
  std::vector<Belonging> belongings;
};

struct Case : CaseFields {
  int64_t id = 0;
  std::string station_division;
  int64_t person_id = 0;  // the registry person (created at intake when unknown there)
  bool identified = false;
  std::string status;     // in_station | departed | refused
  std::string intake_at;
  Screening screening;
  std::string referred_to;     // from the screening
  std::string refusal;         // JSON of the 不予救助通知书 record, "" if none
  std::string departed_at;
  std::string departure_kind;  // self | relatives | escort_home | transfer | death | termination
  std::string departure;       // JSON of the departure record
  std::string found_by;        // for reunions: conversation | police | dna | face | media
  std::string extension_until;  // requested/approved stay limit beyond 10 days
  std::string extension_reason;
  std::optional<int64_t> extension_requested_by, extension_approved_by;
  std::string extension_approved_at;
  std::string settlement_started_on;
  std::string settlement_note;
  int64_t version = 0;
  std::string created_at;
  int64_t created_by = 0;
  std::string updated_at;
  int64_t updated_by = 0;
};

struct Belonging {
  int64_t id = 0, case_id = 0;
  std::string description;
  int quantity = 1;
  std::string photo;
  std::string held_at;
  int64_t held_by = 0;
  std::string returned_at;  // "" while held
  std::string returned_to;
  std::string signature_ref;
  std::optional<int64_t> returned_by;
};

struct CareRecord {
  int64_t id = 0, case_id = 0;
  std::string kind;  // meal | health_check | temperature | medical | service
  std::string recorded_at;
  std::optional<int> temperature_dc;  // tenths of a degree Celsius (36.8 °C = 368)
  std::string detail;
  int64_t recorded_by = 0;
};

struct Placement {
  int64_t id = 0, case_id = 0;
  std::string kind;  // institution | hospital
  int64_t institution_id = 0;
  std::string start_date, end_date, end_reason, note;
};

struct CaseVersion {
  int64_t version = 0;  // the version the correction replaced
  std::string changed_at;
  int64_t changed_by = 0;
  std::string reason;
  std::string fields;    // JSON array of names
  std::string previous;  // JSON object: the replaced values
};

struct Notice {
  int64_t id = 0, case_id = 0;
  std::string station_division;
  std::string status;  // draft | published | closed
  std::string due_at, published_at, refreshed_at;
  std::string name;
  int sex = 0;
  std::optional<int> estimated_age, height_cm;
  std::string features, clothing, found_date, found_place, photo, station_contact;
  bool minor = false;
  int64_t version = 0;
};

struct DnaRequest {
  int64_t id = 0, case_id = 0;
  std::string requested_on, due_on, police_unit, status;  // requested | sampled | resulted
  std::string sample_ref, sampled_on, result, result_ref, result_on, note;
  int64_t version = 0;
};

struct Candidate {
  int64_t id = 0, case_id = 0;
  std::string source;  // dna | face | attribute
  double score = 0;
  std::string explanation;  // JSON from the engine
  std::string candidate_ref;
  std::string status;  // open | confirmed | rejected
  std::string reason;
  std::optional<int64_t> decided_by;
  std::string decided_at;
  std::string created_at;
};

// The departure (离站) record; which fields are required depends on the kind (service.h).
struct Departure {
  std::string kind;         // self | relatives | escort_home | transfer | death | termination
  std::string departed_at;  // "" = now
  std::string found_by;     // how the family was found (reunions): conversation | police | dna | face | media
  std::string declaration_ref;  // self: the signed 自行离站声明书
  std::string relative_name, relative_relation, relative_id_number;  // relatives / escort_home to family
  bool relative_id_checked = false;
  std::string route;                    // escort_home
  std::vector<std::string> escort_staff;
  std::vector<std::string> tickets;
  std::string handover_to;              // escort_home: family | station
  std::string handover_ref;             // the signed hand-over
  std::string transfer_to;              // transfer
  std::string death_date, death_cause, death_certificate_ref;  // death
  std::string termination_notice_ref;   // termination: 终止救助通知书
  std::string reason;
  std::string note;
};

}  // namespace doudi::rescue
