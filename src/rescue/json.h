// JSON forms of the rescue records (the API's bodies) and the parsing of request bodies into them, with the
// field-level Chinese errors of the API contract. The staff forms never carry an ID number (the registry
// holds it, masked) and a relative's ID number only masked.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/divisions.h"
#include "common/status.h"
#include "rescue/deadlines.h"
#include "rescue/model.h"
#include "rescue/service.h"

namespace doudi::rescue {

nlohmann::json CaseJson(const Case& k, const Divisions& divisions);
nlohmann::json BelongingJson(const Belonging& b);
nlohmann::json CareJson(const CareRecord& r);
nlohmann::json PlacementJson(const Placement& p);
nlohmann::json VersionJson(const CaseVersion& v);
nlohmann::json NoticeJson(const Notice& n);  // the staff form (with status and due time)
nlohmann::json DnaJson(const DnaRequest& d);
nlohmann::json CandidateJson(const Candidate& c);
nlohmann::json DeadlineJson(const DeadlineItem& d);
nlohmann::json StatsJson(const Stats& s);

// CaseFields members present in body (their names in *present); wrong types are field errors.
Status CaseFieldsFromJson(const nlohmann::json& body, CaseFields* f, std::vector<std::string>* present);
Status IntakeFromJson(const nlohmann::json& body, NewIntake* in);
Status DepartureFromJson(const nlohmann::json& body, Departure* d);
Status NoticeFieldsFromJson(const nlohmann::json& body, Notice* n, std::vector<std::string>* present);

}  // namespace doudi::rescue
