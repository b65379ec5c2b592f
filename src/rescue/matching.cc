// The matching of one unidentified person against missing-person reports: attribute linkage, DNA kinship per
// report (family) and their fusion (missing_reports.h). Pure: no database.
#include <algorithm>
#include <cmath>
#include <map>

#include "common/calendar.h"
#include "common/text.h"
#include "common/time.h"
#include "rescue/internal.h"
#include "rescue/missing_reports.h"
#include "rescue/matching.h"
#include "tracing/dna/frequencies.h"
#include "tracing/dna/lr.h"
#include "tracing/dna/profile.h"
#include "tracing/fusion/fusion.h"
#include "tracing/linkage/linker.h"
#include "tracing/linkage/model.h"
#include "tracing/linkage/record.h"

namespace doudi::rescue::matching {
namespace {

std::string Cell(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string Join(const std::vector<std::string>& cells) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) line += ',';
    line += Cell(cells[i]);
  }
  return line + "\n";
}

// The loci of the embedded table, in table order: the columns of every profile CSV built here.
std::vector<std::string> LocusNames(const dna::AlleleFrequencies& f) {
  std::vector<std::string> out;
  for (int i = 0; i < f.num_loci(); ++i) out.push_back(f.locus(i).name);
  return out;
}

// One CSV row of a profile, cells in the table's locus order; unknown loci are reported.
Result<std::vector<std::string>> ProfileCells(const nlohmann::json& profile, const dna::AlleleFrequencies& f,
                                              const std::string& field) {
  if (!profile.is_object()) {
    return Status::InvalidField(field, "rescue.str.profile", "STR 分型应为对象，如 {\"D3S1358\": \"15/16\"}");
  }
  std::vector<std::string> cells(f.num_loci());
  for (auto it = profile.begin(); it != profile.end(); ++it) {
    int i = f.FindLocus(it.key());
    if (i < 0) {
      return Status::InvalidField(field, "rescue.str.locus", "未知的 STR 基因座：" + it.key());
    }
    if (!it.value().is_string()) {
      return Status::InvalidField(field, "rescue.str.cell", "基因座 " + it.key() + " 的分型应为文本，如 \"15/16\"");
    }
    cells[i] = std::string(Trim(it.value().get<std::string>()));
  }
  return cells;
}

std::string SexCell(int sex) { return sex == 1 ? "1" : sex == 2 ? "2" : ""; }
std::string OptInt(const std::optional<int>& v) { return v ? std::to_string(*v) : ""; }
std::string DivisionCell(const std::string& d) {
  bool digits = !d.empty() && std::all_of(d.begin(), d.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  return digits && (d.size() == 2 || d.size() == 4 || d.size() == 6 || d.size() == 9 || d.size() == 12) ? d : "";
}

// Strongest available hypothesis of a family's samples: both parents, else the closest single relative.
struct FamilyRefs {
  std::optional<dna::Hypothesis> hypothesis;
  const dna::Profile* first = nullptr;
  const dna::Profile* second = nullptr;
};
FamilyRefs ChooseRefs(const std::vector<const dna::Profile*>& refs) {
  FamilyRefs out;
  const dna::Profile* by[6] = {};
  for (const auto* p : refs) {
    if (p->relation && !by[static_cast<int>(*p->relation)]) by[static_cast<int>(*p->relation)] = p;
  }
  using R = dna::Relation;
  auto at = [&](R r) { return by[static_cast<int>(r)]; };
  if (at(R::kSelf)) return {dna::Hypothesis::kSelf, at(R::kSelf), nullptr};
  if (at(R::kFather) && at(R::kMother)) return {dna::Hypothesis::kParents, at(R::kFather), at(R::kMother)};
  if (at(R::kFather)) return {dna::Hypothesis::kFather, at(R::kFather), nullptr};
  if (at(R::kMother)) return {dna::Hypothesis::kMother, at(R::kMother), nullptr};
  if (at(R::kParent)) return {dna::Hypothesis::kParent, at(R::kParent), nullptr};
  if (at(R::kChild)) return {dna::Hypothesis::kChild, at(R::kChild), nullptr};
  if (at(R::kSibling)) return {dna::Hypothesis::kSibling, at(R::kSibling), nullptr};
  return out;
}

Result<std::vector<fusion::DnaEvidence>> DnaEvidenceOf(const nlohmann::json& query,
                                                       const std::vector<MissingReport>& reports) {
  std::vector<fusion::DnaEvidence> out;
  if (!query.is_object() || query.empty()) return out;
  DOUDI_ASSIGN_OR_RETURN(auto freq, dna::AlleleFrequencies::Default());
  const auto loci_names = LocusNames(freq);
  std::vector<std::string> header = {"profile_id", "family_id", "relation"};
  header.insert(header.end(), loci_names.begin(), loci_names.end());
  std::string refs_csv = Join(header);
  int rows = 0;
  for (const auto& r : reports) {
    for (size_t i = 0; i < r.samples.size(); ++i) {
      auto cells = ProfileCells(r.samples[i].profile, freq, "samples");
      if (!cells.ok()) continue;  // validated at entry; a table change must not stop the others
      std::vector<std::string> row = {std::to_string(r.id) + "-" + std::to_string(i), std::to_string(r.id),
                                      r.samples[i].relation};
      row.insert(row.end(), cells->begin(), cells->end());
      refs_csv += Join(row);
      ++rows;
    }
  }
  if (rows == 0) return out;
  DOUDI_ASSIGN_OR_RETURN(auto qcells, ProfileCells(query, freq, "profile"));
  std::vector<std::string> qrow = {"query", "", ""};
  qrow.insert(qrow.end(), qcells.begin(), qcells.end());
  DOUDI_ASSIGN_OR_RETURN(auto refs, dna::ParseProfiles(refs_csv, dna::ProfileKind::kReference, &freq));
  DOUDI_ASSIGN_OR_RETURN(auto qset, dna::ParseProfiles(Join(header) + Join(qrow), dna::ProfileKind::kQuery, &freq));
  if (qset.profiles.empty()) return out;
  const auto& q = qset.profiles[0];
  dna::MutationOptions mo;
  mo.model = dna::MutationModel::kStepwise;
  DOUDI_ASSIGN_OR_RETURN(auto model, dna::KinshipModel::Build(freq, mo));
  std::vector<int> loci(freq.num_loci());
  for (int i = 0; i < freq.num_loci(); ++i) loci[i] = i;
  std::map<std::string, std::vector<const dna::Profile*>> families;
  for (const auto& p : refs.profiles) families[p.family_id].push_back(&p);
  const double prior = 1.0 / static_cast<double>(std::max<size_t>(1, families.size()));
  dna::Thresholds thresholds;
  for (const auto& [family, members] : families) {
    auto chosen = ChooseRefs(members);
    if (!chosen.hypothesis) continue;
    std::vector<dna::Genotype> none;
    auto kr = dna::Compare(model, *chosen.hypothesis, loci, chosen.first->genotypes,
                           chosen.second ? std::span<const dna::Genotype>(chosen.second->genotypes)
                                         : std::span<const dna::Genotype>(none),
                           q.genotypes);
    if (kr.loci_compared == 0) continue;
    dna::Candidate c;
    c.family = static_cast<uint32_t>(std::stoul(family));
    c.hypothesis = *chosen.hypothesis;
    c.log10_lr = kr.log10_lr;
    c.posterior = dna::Posterior(kr.log10_lr, prior);
    c.conclusion = dna::Conclude(kr, thresholds);
    c.loci_compared = kr.loci_compared;
    c.inconsistent_loci = kr.inconsistent_loci;
    c.per_locus = kr.per_locus;
    out.push_back({family, std::move(c)});
  }
  return out;
}

Result<std::vector<fusion::AttributeEvidence>> AttributeEvidenceOf(const Case& k,
                                                                   const std::vector<MissingReport>& reports) {
  std::vector<fusion::AttributeEvidence> out;
  if (reports.empty()) return out;
  std::string missing = "id,name,sex,birth_date,age_at_lost,lost_date,height_cm,hukou_division,lost_division,dialect,marks\n";
  for (const auto& r : reports) {
    missing += Join({std::to_string(r.id), r.name, SexCell(r.sex), r.birth_date, OptInt(r.age_at_lost), r.lost_date,
                     OptInt(r.height_cm), DivisionCell(r.hukou_division), DivisionCell(r.lost_division), r.dialect,
                     r.features});
  }
  std::string found_date = k.found_date;
  if (found_date.empty()) found_date = FormatDate(internal::DayOf(k.intake_at, TodayShanghai()));
  std::string found = "id,name,sex,estimated_age,found_date,height_cm,origin_division,found_division,dialect,marks\n";
  found += Join({std::to_string(k.id), k.identified ? k.name : "", SexCell(k.sex), OptInt(k.estimated_age), found_date,
                 OptInt(k.height_cm), "", DivisionCell(k.station_division), k.dialect, k.features});
  DOUDI_ASSIGN_OR_RETURN(auto a, linkage::ParseRecords(missing, linkage::Side::kMissing));
  DOUDI_ASSIGN_OR_RETURN(auto b, linkage::ParseRecords(found, linkage::Side::kFound));
  if (a.records.empty() || b.records.empty()) return out;
  linkage::Linker linker(a.records, b.records);
  const auto params = linkage::Parameters::Default();
  // At this scale every report is explained against the person (no blocking needed).
  for (uint32_t i = 0; i < a.records.size(); ++i) {
    out.push_back({a.records[i].id, linker.Explain(params, i, 0)});
  }
  return out;
}

}  // namespace

Status ValidateProfile(const nlohmann::json& profile, const std::string& field) {
  DOUDI_ASSIGN_OR_RETURN(auto freq, dna::AlleleFrequencies::Default());
  DOUDI_ASSIGN_OR_RETURN(auto cells, ProfileCells(profile, freq, field));
  std::vector<std::string> header = {"profile_id", "family_id", "relation"};
  auto names = LocusNames(freq);
  header.insert(header.end(), names.begin(), names.end());
  std::vector<std::string> row = {"p", "", ""};
  row.insert(row.end(), cells.begin(), cells.end());
  DOUDI_ASSIGN_OR_RETURN(auto set, dna::ParseProfiles(Join(header) + Join(row), dna::ProfileKind::kQuery, &freq));
  if (!set.rejected.empty()) {
    return Status::InvalidField(field, "rescue.str.invalid", "STR 分型有误：" + set.rejected[0].message);
  }
  if (set.profiles.empty() || set.profiles[0].typed_loci() == 0) {
    return Status::InvalidField(field, "rescue.str.empty", "STR 分型至少应有一个已检出的基因座");
  }
  return Status::Ok();
}

Result<std::vector<Fused>> Rank(const Case& k, const nlohmann::json& profile, const std::vector<MissingReport>& reports,
                                int top, const std::vector<FaceMatch>& faces) {
  std::vector<Fused> out;
  DOUDI_ASSIGN_OR_RETURN(auto dna_ev, DnaEvidenceOf(profile, reports));
  DOUDI_ASSIGN_OR_RETURN(auto attr_ev, AttributeEvidenceOf(k, reports));
  std::vector<fusion::FaceEvidence> face_ev;
  std::map<std::string, const FaceMatch*> face_of;
  for (const auto& f : faces) {
    face_ev.push_back({std::to_string(f.report_id), f.cosine});
    face_of[std::to_string(f.report_id)] = &f;
  }
  auto fused = fusion::Fuse(dna_ev, face_ev, attr_ev, RescueFusionOptions());
  std::map<std::string, const MissingReport*> by_id;
  for (const auto& r : reports) by_id[std::to_string(r.id)] = &r;
  for (const auto& f : fused) {
    if (static_cast<int>(out.size()) >= top) break;
    bool supported = f.tier == fusion::Tier::kDnaSupported;
    if (f.tier == fusion::Tier::kDnaExcluded) continue;
    if (!supported && !(f.score > 0)) continue;  // no positive evidence
    auto it = by_id.find(f.candidate_id);
    if (it == by_id.end()) continue;
    Fused x;
    x.report_id = it->second->id;
    bool dna_led = supported || (f.dna_log10_lr && (!f.attribute_weight ||
                                                    std::abs(*f.dna_log10_lr * std::log2(10.0)) > *f.attribute_weight));
    // The face leads when it weighs more than the attributes (it is capped at a few bits, so rarely).
    bool face_led = !dna_led && f.face_weight && *f.face_weight > 0 && *f.face_weight > f.attribute_weight.value_or(0);
    x.source = dna_led ? "dna" : face_led ? "face" : "attribute";
    x.score = supported ? 1000 + *f.dna_log10_lr * std::log2(10.0) : f.score;
    nlohmann::json e = {{"engine", "fusion"},
                        {"tier", supported ? "dna_supported" : "ranked"},
                        {"score_bits", f.score},
                        {"reasons", f.reasons},
                        {"report", {{"id", x.report_id}, {"name", it->second->name}, {"lost_date", it->second->lost_date}}}};
    if (f.dna_log10_lr) {
      e["dna"] = {{"log10_lr", std::isfinite(*f.dna_log10_lr) ? nlohmann::json(*f.dna_log10_lr) : nlohmann::json(nullptr)},
                  {"lr", fusion::FormatLr(*f.dna_log10_lr)},
                  {"conclusion", f.dna_conclusion ? std::string(dna::ConclusionName(*f.dna_conclusion)) : ""}};
      for (const auto& d : dna_ev) {
        if (d.candidate_id == f.candidate_id) {
          e["dna"]["hypothesis"] = std::string(dna::HypothesisName(d.result.hypothesis));
          e["dna"]["loci_compared"] = d.result.loci_compared;
          e["dna"]["inconsistent_loci"] = d.result.inconsistent_loci;
        }
      }
    }
    if (f.attribute_weight) e["attribute"] = {{"match_weight", *f.attribute_weight}};
    if (auto fm = face_of.find(f.candidate_id); fm != face_of.end() && f.face_weight) {
      e["face"] = {{"similarity", fm->second->cosine},
                   {"weight", *f.face_weight},
                   {"threshold", kFaceCosineThreshold},
                   {"photos_compared", {{"person", fm->second->person_photos},
                                        {"report", fm->second->report_photos},
                                        {"pairs", fm->second->pairs_compared}}},
                   {"notice", "人脸相似只用于排序，不能单独认定身份；须经 DNA 比对或其他核实后确认"}};
    }
    x.explanation = std::move(e);
    out.push_back(std::move(x));
  }
  return out;
}

}  // namespace doudi::rescue::matching
