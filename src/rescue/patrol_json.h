// The JSON form of a street patrol log and the parsing of a request body into its fields (type errors name the
// field, e.g. "encounters[2].persons"; rules are the service's).
#pragma once

#include <nlohmann/json.hpp>

#include "common/divisions.h"
#include "common/status.h"
#include "rescue/patrol_model.h"

namespace doudi::rescue {

nlohmann::json PatrolJson(const Patrol& p, const Divisions& divisions);
Status PatrolFieldsFromJson(const nlohmann::json& body, PatrolFields* out);

}  // namespace doudi::rescue
