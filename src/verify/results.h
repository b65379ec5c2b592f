// A verification result as JSON: the engine's explanation of one household (HouseholdReport) with the names of
// the people and the stored feed records behind every figure — what GET /verify/requests/{id} returns as
// `result` (docs/api/openapi.yaml VerifyResult) and what the reports print. Members are shown masked.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "verify/engine/engine.h"
#include "verify/policy.h"
#include "verify/store.h"

namespace doudi::verify {

// A member as the result names them, in the order given to the engine.
struct ResultMember {
  int64_t person_id = 0;
  std::string name;
  std::string relation;
  std::string id_number;  // masked
};

struct ResultContext {
  const PolicyEntry* policy = nullptr;
  bool example_policy = false;
  std::string as_of;
  std::vector<ResultMember> members;
  std::unordered_map<uint64_t, const store::FeedRow*> rows;  // by stored row id (RecordRef::ref)
  const FeedTables* tables = nullptr;                        // for the feeds' status
};

nlohmann::json ResultJson(const HouseholdReport& report, const ResultContext& context);

// The flag codes of a flag set, in the engine's order.
std::vector<std::string> FlagList(uint32_t flags);

// A stored row's values by its feed's column names (codes as their names, dates YYYY-MM-DD, months YYYY-MM,
// money in fen under "<column>_fen"), without the ID number.
nlohmann::json RowValues(const store::FeedRow& row);

}  // namespace doudi::verify
