// The best-pair cosine similarity of a person's and each report's faces (face_evidence.h).
#include "rescue/face_evidence.h"

#include <cmath>

namespace doudi::rescue {

double FaceCosine(const FaceEmbedding& a, const FaceEmbedding& b) {
  double dot = 0, na = 0, nb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    dot += static_cast<double>(a[i]) * b[i];
    na += static_cast<double>(a[i]) * a[i];
    nb += static_cast<double>(b[i]) * b[i];
  }
  if (na <= 0 || nb <= 0) return 0;
  return dot / std::sqrt(na * nb);
}

std::vector<FaceMatch> CompareFaces(const std::vector<FaceEmbedding>& person,
                                    const std::map<int64_t, std::vector<FaceEmbedding>>& reports) {
  std::vector<FaceMatch> out;
  if (person.empty()) return out;
  for (const auto& [report_id, faces] : reports) {
    if (faces.empty()) continue;
    FaceMatch m;
    m.report_id = report_id;
    m.cosine = -1;
    m.person_photos = static_cast<int>(person.size());
    m.report_photos = static_cast<int>(faces.size());
    for (const auto& a : person) {
      for (const auto& b : faces) {
        m.cosine = std::max(m.cosine, FaceCosine(a, b));
        ++m.pairs_compared;
      }
    }
    out.push_back(m);
  }
  return out;
}

fusion::FusionOptions RescueFusionOptions() { return {}; }

}  // namespace doudi::rescue
