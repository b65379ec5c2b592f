// Face evidence in matching (docs/rescue.md "Matching"): how much an unidentified person's photos look like a
// missing-person report's photos. Every pair of selected faces is compared by the cosine similarity of their
// descriptors; the best pair is the report's evidence, which tracing/fusion turns into bits bounded to ± its cap:
// a face moves a candidate up or down a little, it never identifies anyone (children change over the years).
// Pure: no database. With hundreds of open reports of a few photos each a linear scan costs well under a
// millisecond, so no FAISS index is kept for them (one would have to follow every upload and withdrawal).
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "rescue/photos.h"
#include "tracing/fusion/fusion.h"

namespace doudi::rescue {

// The fusion's default, calibrated to the face engine's descriptors (fusion.h: dlib's distance 0.6 at descriptor
// length 1.45 is a cosine of 0.914); named here for the matching explanation.
inline constexpr double kFaceCosineThreshold = fusion::kFaceCosineThreshold;

struct FaceMatch {
  int64_t report_id = 0;
  double cosine = 0;        // the best pair's
  int person_photos = 0;    // photos with a selected face on each side
  int report_photos = 0;
  int pairs_compared = 0;
};

double FaceCosine(const FaceEmbedding& a, const FaceEmbedding& b);

// One entry per report with at least one face, when the person has one too (else none).
std::vector<FaceMatch> CompareFaces(const std::vector<FaceEmbedding>& person,
                                    const std::map<int64_t, std::vector<FaceEmbedding>>& reports);

// The fusion options of the rescue's matching: the fusion's defaults.
fusion::FusionOptions RescueFusionOptions();

}  // namespace doudi::rescue
