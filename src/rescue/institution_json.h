// The JSON forms of institution supervision (snake_case; codes with their Chinese names beside them; derived
// flags such as contract_state and deadline_status computed for `today`) and the parsing of request bodies
// into fields, with a field error for every value of the wrong type.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "common/divisions.h"
#include "common/status.h"
#include "rescue/institution_model.h"

namespace doudi::rescue {

// "none" (no date), "valid", "expiring" (ends within kContractWarningDays), "expired"; for contracts also
// "not_started".
std::string DateRangeState(std::string_view start, std::string_view end, std::string_view today);

nlohmann::json InstitutionJson(const Institution& i, const Divisions& divisions, std::string_view today);
nlohmann::json InspectionJson(const Inspection& s);
nlohmann::json PhotoJson(const InspectionPhoto& p);
nlohmann::json RectificationJson(const Rectification& r, std::string_view today);
nlohmann::json HistoryJson(const HistoryEntry& h);
// {"items": [HistoryJson...]}: the answer of every .../history route.
nlohmann::json HistoryListJson(const std::vector<HistoryEntry>& entries);

// Type errors name the field ("rescue.field.type"); rules are checked by the service.
Status InstitutionFieldsFromJson(const nlohmann::json& body, InstitutionFields* out);
Status InspectionFieldsFromJson(const nlohmann::json& body, InspectionFields* out);

// Shared readers: body[key] as text ("" when absent or null) / integer, else a field error.
Status TextFrom(const nlohmann::json& body, const char* key, std::string* out);
Status IntFrom(const nlohmann::json& body, const char* key, int64_t* out);
Status StringListFrom(const nlohmann::json& body, const char* key, std::vector<std::string>* out);

}  // namespace doudi::rescue
