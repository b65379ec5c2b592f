// One candidate list per unidentified person, merging the three kinds of family-search evidence: DNA kinship
// (tracing/dna), face similarity (tracing/face) and attribute matching (tracing/linkage).
//
// Candidates are missing-person cases, known by one id across the three engines (a DNA family_id is the case
// of the family that gave samples). The ordering rules:
//   1. DNA decides when present: a case whose DNA supports the relationship (combined LR ≥ 10,000 and fewer than
//      3 inconsistent loci, the thresholds of dna::Thresholds) ranks above every case without such DNA, and a case
//      DNA excludes (≥ 3 inconsistent loci) ranks below all others whatever its face or attributes say.
//      Supported cases are ordered by their LR.
//   2. The rest are ranked by a score in log2 units (bits of evidence): the attribute match weight, plus the face
//      weight, plus an inconclusive DNA result's log2 LR bounded to ± log2(support LR).
//   3. The face weight is face_scale · (cosine − face_threshold), bounded to ± face_cap bits: a face can move a
//      case up or down a little but never identifies alone (children change over the years).
//   Ties: by case id.
// Every candidate carries reasons in Chinese for the caseworker, one per piece of evidence.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tracing/dna/lr.h"
#include "tracing/dna/search.h"
#include "tracing/linkage/linker.h"

namespace doudi::fusion {

// What the face engine gives for one case: the best cosine similarity of the unidentified person's face with the
// case's photos.
struct FaceEvidence {
  std::string candidate_id;
  double cosine = 0;
};
struct DnaEvidence {
  std::string candidate_id;
  dna::Candidate result;
};
struct AttributeEvidence {
  std::string candidate_id;
  linkage::Explanation explanation;
};

struct FusionOptions {
  dna::Thresholds thresholds;
  // face-api.js calls two descriptors the same person below Euclidean distance 0.6; for unit vectors that is
  // cosine 1 − 0.6²/2 = 0.82.
  double face_threshold = 0.82;
  double face_scale = 25;  // bits per unit of cosine
  double face_cap = 4;     // bits
};

enum class Tier { kDnaSupported = 0, kRanked = 1, kDnaExcluded = 2 };

struct FusedCandidate {
  std::string candidate_id;
  Tier tier = Tier::kRanked;
  double score = 0;  // bits of evidence used within the ranked tier
  std::optional<double> dna_log10_lr;
  std::optional<dna::Conclusion> dna_conclusion;
  std::optional<double> face_cosine;
  std::optional<double> face_weight;
  std::optional<double> attribute_weight;
  std::vector<std::string> reasons;  // Chinese, for the caseworker
};

// Evidence lists may hold any subset of cases; a case appears once in the result. An id given twice in one
// list keeps its first entry.
std::vector<FusedCandidate> Fuse(const std::vector<DnaEvidence>& dna, const std::vector<FaceEvidence>& face,
                                 const std::vector<AttributeEvidence>& attributes, const FusionOptions& options = {});

// "2.3×10⁶" style for an LR given as log10 (integers below 10,000; "0" for −∞).
std::string FormatLr(double log10_lr);

}  // namespace doudi::fusion
