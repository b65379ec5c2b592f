#include "tracing/dna/cli.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tracing/cli_util.h"
#include "tracing/dna/database.h"
#include "tracing/dna/frequencies.h"
#include "tracing/dna/lr.h"
#include "tracing/dna/mutation.h"
#include "tracing/dna/profile.h"
#include "tracing/dna/search.h"

namespace doudi::dna {

namespace {

using tracing::Fail;
using tracing::ReadFile;

class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled && isatty(STDERR_FILENO)) {}
  void Update(size_t done, size_t total) {
    if (!enabled_ || total == 0) return;
    const int percent = static_cast<int>(done * 100 / total);
    if (percent == last_ && done != total) return;
    last_ = percent;
    const int width = 30, filled = percent * width / 100;
    fmt::print(stderr, "\r比对进度 [{}{}] {:3d}% ({}/{})", std::string(filled, '#'), std::string(width - filled, ' '),
               percent, done, total);
    if (done == total) fmt::print(stderr, "\n");
    std::fflush(stderr);
  }

 private:
  bool enabled_;
  int last_ = -1;
};

}  // namespace

int RunDnaSearch(const DnaSearchOptions& o) {
  if (o.refs_path.empty() || o.queries_path.empty() || o.out_path.empty()) {
    return Fail(Status::Invalid("dna.cli.usage", "需要 --refs、--queries 和 --out"));
  }
  if (o.top < 1) return Fail(Status::InvalidField("top", "dna.cli.top", "--top 必须是正整数"));
  if (!(o.support_lr > 0) || o.exclude_loci < 1) {
    return Fail(Status::Invalid("dna.cli.thresholds", "判定阈值无效：支持阈值须为正数，排除所需不一致基因座数须 ≥ 1"));
  }
  if (o.prior >= 1) return Fail(Status::InvalidField("prior", "dna.cli.prior", "先验概率须小于 1"));
  auto model_kind = ParseMutationModel(o.mutation);
  if (!model_kind.ok()) return Fail(model_kind.status());
  const MutationOptions mutation{*model_kind, o.rate, o.stepwise_range};
  if (Status s = ValidateMutation(mutation); !s.ok()) return Fail(s);
  if (!(o.sample_size > 0) || o.min_frequency < 0 || o.min_frequency >= 1) {
    return Fail(Status::Invalid("dna.cli.min_frequency", "样本量 N 须为正整数，最低频率须在 0 和 1 之间"));
  }

  FrequencyOptions fo{.sample_size = o.sample_size, .min_frequency = o.min_frequency};
  Result<AlleleFrequencies> freq = Status::Internal("unset");
  if (o.freq_path.empty()) {
    freq = AlleleFrequencies::Default(fo);
  } else {
    std::string text;
    if (!ReadFile(o.freq_path, &text)) {
      return Fail(Status::Invalid("dna.cli.read", fmt::format("无法读取等位基因频率文件 {}", o.freq_path)));
    }
    freq = AlleleFrequencies::Parse(text, fo);
  }
  if (!freq.ok()) return Fail(freq.status());

  std::vector<std::pair<std::string, RowError>> rejects;
  auto load = [&](const std::string& path, ProfileKind kind, const char* what) -> Result<ProfileSet> {
    std::string text;
    if (!ReadFile(path, &text)) {
      return Status::Invalid("dna.cli.read", fmt::format("无法读取{}文件 {}", what, path));
    }
    auto set = ParseProfiles(text, kind, &*freq);
    if (!set.ok()) {
      return Status::Invalid(set.status().error_code(), fmt::format("{} {}：{}", what, path, set.status().message()));
    }
    for (RowError& e : set->rejected) rejects.emplace_back(path, std::move(e));
    set->rejected.clear();
    return set;
  };
  auto refs = load(o.refs_path, ProfileKind::kReference, "参比样本");
  if (!refs.ok()) return Fail(refs.status());
  auto queries = load(o.queries_path, ProfileKind::kQuery, "待查样本");
  if (!queries.ok()) return Fail(queries.status());

  std::vector<RowError> family_rejects;
  DatabaseStats stats;
  ReferenceDatabase db = BuildReferenceDatabase(*refs, &family_rejects, &stats);
  for (RowError& e : family_rejects) rejects.emplace_back(o.refs_path, std::move(e));
  auto model = KinshipModel::Build(*freq, mutation);  // after parsing: covers every interned allele
  if (!model.ok()) return Fail(model.status());

  if (Status st = tracing::ReportRejects(rejects, o.rejects_path, "dna.cli.write"); !st.ok()) return Fail(st);
  fmt::print(stderr, "参比库：{} 个家系，使用 {} 份样本（{} 份未参与计算）；待查样本 {} 份；突变模型 {}\n",
             stats.families, stats.references_used, stats.references_unused, queries->profiles.size(),
             MutationModelName(mutation.model));
  if (db.num_families() == 0) return Fail(Status::Invalid("dna.cli.no_refs", "没有可用的参比样本"));

  Searcher searcher(db, *model, {.top_k = o.top, .prior = o.prior,
                                 .thresholds = {o.support_lr, o.exclude_loci}, .threads = o.threads});
  std::vector<std::vector<Genotype>> q;
  q.reserve(queries->profiles.size());
  for (const Profile& p : queries->profiles) q.push_back(p.genotypes);
  ProgressBar bar(o.progress);
  auto results = searcher.SearchAll(q, [&](size_t done, size_t total) { bar.Update(done, total); });

  std::ofstream out(o.out_path, std::ios::binary | std::ios::trunc);
  if (!out) return Fail(Status::Invalid("dna.cli.write", fmt::format("无法写入 {}", o.out_path)));
  size_t supported = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    for (const Candidate& c : results[i]) {
      nlohmann::ordered_json j;
      j["query"] = queries->profiles[i].id;
      j["family_id"] = db.family_label(c.family);
      j["hypothesis"] = HypothesisName(c.hypothesis);
      if (std::isfinite(c.log10_lr)) {
        j["log10_lr"] = c.log10_lr;
      } else {
        j["log10_lr"] = nullptr;  // LR 0: no mutation model explains an inconsistency
      }
      j["posterior"] = c.posterior;
      j["conclusion"] = ConclusionName(c.conclusion);
      j["loci_compared"] = c.loci_compared;
      j["inconsistent_loci"] = c.inconsistent_loci;
      nlohmann::ordered_json loci = nlohmann::ordered_json::array();
      for (const LocusLr& l : c.per_locus) loci.push_back({{"locus", freq->locus(l.locus).name}, {"lr", l.lr}});
      j["per_locus"] = std::move(loci);
      out << j.dump() << '\n';
      supported += c.conclusion == Conclusion::kSupported;
    }
  }
  out.flush();
  if (!out) return Fail(Status::Invalid("dna.cli.write", fmt::format("写入 {} 失败", o.out_path)));
  fmt::print(stderr, "完成：{} 份待查样本，结果写入 {}；支持亲缘关系的候选 {} 个{}\n", results.size(), o.out_path,
             supported, rejects.empty() ? "" : fmt::format("；{} 处输入被跳过，见上", rejects.size()));
  return rejects.empty() ? 0 : 2;
}

}  // namespace doudi::dna
