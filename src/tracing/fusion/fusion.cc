#include "tracing/fusion/fusion.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "tracing/linkage/explain.h"

namespace doudi::fusion {

namespace {

std::string_view RelationZh(dna::Hypothesis h) {
  switch (h) {
    case dna::Hypothesis::kParents: return "与父母双方";
    case dna::Hypothesis::kFather: return "与父亲";
    case dna::Hypothesis::kMother: return "与母亲";
    case dna::Hypothesis::kParent: return "与父亲或母亲一方";
    case dna::Hypothesis::kChild: return "与子女";
    case dna::Hypothesis::kSibling: return "与同胞兄弟姐妹";
    case dna::Hypothesis::kSelf: return "与本人样本";
  }
  return "";
}

}  // namespace

std::string FormatLr(double l) {
  if (std::isinf(l) && l < 0) return "0";
  if (l < 4) return fmt::format("{:.0f}", std::pow(10.0, l));
  const double e = std::floor(l);
  return fmt::format("{:.1f}×10^{:.0f}", std::pow(10.0, l - e), e);
}

std::vector<FusedCandidate> Fuse(const std::vector<DnaEvidence>& dna, const std::vector<FaceEvidence>& face,
                                 const std::vector<AttributeEvidence>& attributes, const FusionOptions& o) {
  std::map<std::string, FusedCandidate> by_id;
  auto get = [&](const std::string& id) -> FusedCandidate& {
    FusedCandidate& c = by_id[id];
    c.candidate_id = id;
    return c;
  };
  const double support_bits = std::log2(o.thresholds.support_lr);
  for (const DnaEvidence& e : dna) {
    FusedCandidate& c = get(e.candidate_id);
    if (c.dna_conclusion) continue;
    const dna::KinshipResult kr{e.result.log10_lr, e.result.loci_compared, e.result.inconsistent_loci, {}};
    const dna::Conclusion conclusion = dna::Conclude(kr, o.thresholds);
    c.dna_conclusion = conclusion;
    c.dna_log10_lr = e.result.log10_lr;
    const std::string lr = FormatLr(e.result.log10_lr);
    switch (conclusion) {
      case dna::Conclusion::kSupported:
        c.tier = Tier::kDnaSupported;
        c.reasons.push_back(fmt::format(
            "DNA 支持亲缘关系：{}比对，累计似然比 {}（比较 {} 个位点，{} 个不符合），达到认定阈值 {:.0f}；"
            "DNA 结论优先于人脸和属性比对，排在最前",
            RelationZh(e.result.hypothesis), lr, e.result.loci_compared, e.result.inconsistent_loci,
            o.thresholds.support_lr));
        break;
      case dna::Conclusion::kExcluded:
        c.tier = Tier::kDnaExcluded;
        c.reasons.push_back(fmt::format(
            "DNA 排除亲缘关系：{}比对有 {} 个位点不符合（达到 {} 个即排除）；无论人脸和属性多相似都排在最后",
            RelationZh(e.result.hypothesis), e.result.inconsistent_loci, o.thresholds.exclude_inconsistent));
        break;
      case dna::Conclusion::kInconclusive: {
        const double bits = std::isinf(e.result.log10_lr)
                                ? -support_bits
                                : std::clamp(e.result.log10_lr * std::log2(10.0), -support_bits, support_bits);
        c.score += bits;
        c.reasons.push_back(fmt::format(
            "DNA 尚不能下结论：{}比对，累计似然比 {}（比较 {} 个位点，{} 个不符合），未达到认定阈值 {:.0f}，"
            "建议补充检测位点；计入排序的权重 {:+.1f}",
            RelationZh(e.result.hypothesis), lr, e.result.loci_compared, e.result.inconsistent_loci,
            o.thresholds.support_lr, bits));
        break;
      }
    }
  }
  for (const FaceEvidence& e : face) {
    FusedCandidate& c = get(e.candidate_id);
    if (c.face_cosine) continue;
    const double w = std::clamp(o.face_scale * (e.cosine - o.face_threshold), -o.face_cap, o.face_cap);
    c.face_cosine = e.cosine;
    c.face_weight = w;
    c.score += w;
    c.reasons.push_back(fmt::format(
        "人脸相似度 {:.3f}（余弦，{:.3f} 以上视为相像），计入排序的权重 {:+.1f}（最多 ±{:.0f}）；人脸只用于排序，"
        "不能单独认定身份：不同的人也可能很相像，儿童走失多年后相貌变化大",
        e.cosine, o.face_threshold, w, o.face_cap));
  }
  for (const AttributeEvidence& e : attributes) {
    FusedCandidate& c = get(e.candidate_id);
    if (c.attribute_weight) continue;
    c.attribute_weight = e.explanation.match_weight;
    c.score += e.explanation.match_weight;
    std::string text = fmt::format("登记信息比对总权重 {:+.1f}（正数支持是同一人，每增加 1 证据强一倍）",
                                   e.explanation.match_weight);
    for (const linkage::FieldPart& part : e.explanation.parts) {
      if (part.level >= 0) text += "；" + linkage::ExplainPart(part);
    }
    c.reasons.push_back(std::move(text));
  }
  std::vector<FusedCandidate> out;
  out.reserve(by_id.size());
  for (auto& [id, c] : by_id) {
    if (c.tier == Tier::kRanked) {
      c.reasons.insert(c.reasons.begin(),
                       fmt::format("无 DNA 定论，按人脸和登记信息排序：合计权重 {:+.1f}", c.score));
    }
    out.push_back(std::move(c));
  }
  std::stable_sort(out.begin(), out.end(), [](const FusedCandidate& x, const FusedCandidate& y) {
    if (x.tier != y.tier) return x.tier < y.tier;
    if (x.tier == Tier::kDnaSupported && *x.dna_log10_lr != *y.dna_log10_lr) return *x.dna_log10_lr > *y.dna_log10_lr;
    if (x.tier != Tier::kDnaSupported && x.score != y.score) return x.score > y.score;
    return x.candidate_id < y.candidate_id;
  });
  return out;
}

}  // namespace doudi::fusion
