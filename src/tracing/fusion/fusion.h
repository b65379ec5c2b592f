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
//      case up or down a little but never identifies alone (children change over the years). The threshold is
//      calibrated to tracing/face's descriptors (kFaceCosineThreshold below).
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
// case's photos. Cosine is what the engine measures: FaceIndex searches L2-normalised descriptors by inner product,
// and rescue compares stored descriptors by cosine (the raw descriptors' distance is not kept by the index).
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

// The cosine of two descriptors of length L at Euclidean distance d: d² = |a|² + |b|² − 2|a||b|·cos, so with
// |a| = |b| = L, cos = 1 − d² / (2L²).
constexpr double CosineAtDistance(double distance, double length) {
  return 1 - distance * distance / (2 * length * length);
}

// dlib (and face-api.js, its port) call two descriptors the same person below a Euclidean distance of 0.6.
inline constexpr double kSamePersonDistance = 0.6;
// tracing/face's descriptors (the dlib ResNet ported from face-api.js) are not unit vectors: on the package's 20
// demo faces their length is 1.36–1.51, mean 1.457.
inline constexpr double kDescriptorLength = 1.45;
// The same-person limit as a cosine: 1 − 0.6² / (2 · 1.45²) = 1 − 0.36 / 4.205 = 0.9144, kept at 0.914 (at the
// mean 1.457 it would be 0.9152; per pair it ranges from 0.903 at length 1.36 to 0.921 at 1.51). The unit-vector
// figure 1 − 0.6²/2 = 0.82 is far too low for this engine: different people in the demo photos score 0.82–0.93.
inline constexpr double kFaceCosineThreshold = 0.914;
static_assert(kFaceCosineThreshold - CosineAtDistance(kSamePersonDistance, kDescriptorLength) < 0.0005 &&
              CosineAtDistance(kSamePersonDistance, kDescriptorLength) - kFaceCosineThreshold < 0.0005);

struct FusionOptions {
  dna::Thresholds thresholds;
  double face_threshold = kFaceCosineThreshold;  // cosine at which a face counts neither for nor against
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
