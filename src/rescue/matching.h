// The ranking of missing-person reports for one unidentified person (docs/rescue.md "Matching"): attribute
// linkage (tracing/linkage) of the case against every report, DNA kinship (tracing/dna) of the person's STR
// profile against each report's reference samples as one family, and the faces of their photos
// (face_evidence.h), fused by tracing/fusion. Pure: no database.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "rescue/face_evidence.h"
#include "rescue/missing_reports.h"
#include "rescue/model.h"

namespace doudi::rescue {
namespace matching {

// Checks a profile {locus: "a/b"} against the embedded allele table: known loci, valid alleles, at least one
// typed locus. Error field: `field`.
Status ValidateProfile(const nlohmann::json& profile, const std::string& field);

struct Fused {
  int64_t report_id = 0;
  std::string source;  // dna | face | attribute: the evidence that weighs most
  double score = 0;    // sort key: bits of evidence; DNA-supported candidates 1000 + log2 LR
  nlohmann::json explanation;
};
// Ranks the reports for one unidentified case (profile: {} when none; faces: the reports' face evidence, if
// any). At most `top`, excluding those with no positive evidence and those DNA excludes.
Result<std::vector<Fused>> Rank(const Case& k, const nlohmann::json& profile, const std::vector<MissingReport>& reports,
                                int top, const std::vector<FaceMatch>& faces = {});

}  // namespace matching
}  // namespace doudi::rescue
