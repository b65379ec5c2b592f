// The verification module's JSON forms (docs/api/openapi.yaml: FeedBatch, FeedReject, Authorisation,
// HouseholdAuthorisations, VerifyRequest(Detail), VerifyBatch, VerifySource), codes with their Chinese names
// beside them. Shared by routes.cc and the report routes.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/divisions.h"
#include "verify/model.h"

namespace doudi::verify {

nlohmann::json SourcesJson();
nlohmann::json FeedBatchJson(const FeedBatch& b);
nlohmann::json FeedRejectJson(const FeedReject& r);
nlohmann::json AuthorisationJson(const Authorisation& a);
nlohmann::json HouseholdAuthorisationsJson(const HouseholdAuthorisations& h);
// The summary; with "result" (parsed) when the verification carries one.
nlohmann::json VerificationJson(const Verification& v, const Divisions& divisions);
nlohmann::json RecheckJson(const Recheck& b);

std::string DecisionNameOf(const std::string& decision_code);  // 符合 / 不符合 / 需人工复核
std::string FlagNameOf(const std::string& flag_code);

}  // namespace doudi::verify
