#include "tracing/linkage/cli.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tracing/cli_util.h"
#include "tracing/linkage/explain.h"
#include "tracing/linkage/linker.h"
#include "tracing/linkage/record.h"

namespace doudi::linkage {

namespace {

using tracing::Fail;
using tracing::ReadFile;

double Round(double x, double scale = 1e4) { return std::round(x * scale) / scale; }

nlohmann::ordered_json ParametersJson(const Parameters& p) {
  nlohmann::ordered_json j;
  j["lambda"] = p.lambda;
  for (int f = 0; f < kNumFields; ++f) {
    const FieldSpec& s = Spec(static_cast<Field>(f));
    nlohmann::ordered_json levels = nlohmann::ordered_json::array();
    for (int l = 0; l < s.levels; ++l) {
      levels.push_back({{"level", s.level_keys[l]}, {"m", p.m[f][l]}, {"u", p.u[f][l]},
                        {"weight", Round(p.Weight(static_cast<Field>(f), l))}});
    }
    j["fields"][std::string(s.key)] = levels;
  }
  return j;
}

struct Loaded {
  std::vector<Record> records;
};

int Run(const LinkageCliOptions& o, bool dedupe) {
  if (o.out_path.empty()) return Fail(Status::Invalid("linkage.cli.usage", "需要 --out"));
  if (!dedupe && (o.missing_path.empty() || o.found_path.empty())) {
    return Fail(Status::Invalid("linkage.cli.usage", "需要 --missing 和 --found"));
  }
  if (dedupe && o.missing_path.empty() == o.found_path.empty()) {
    return Fail(Status::Invalid("linkage.cli.usage", "查重只需 --missing 或 --found 其中之一"));
  }
  if (o.top < 1) return Fail(Status::InvalidField("top", "linkage.cli.top", "--top 必须是正整数"));
  if (!std::isfinite(o.threshold)) {
    return Fail(Status::InvalidField("threshold", "linkage.cli.threshold", "--threshold 必须是数字"));
  }
  std::vector<std::pair<std::string, RowError>> rejects;
  auto load = [&](const std::string& path, Side side, const char* what) -> Result<std::vector<Record>> {
    std::string text;
    if (!ReadFile(path, &text)) return Status::Invalid("linkage.cli.read", fmt::format("无法读取{}文件 {}", what, path));
    auto set = ParseRecords(text, side);
    if (!set.ok()) {
      return Status::Invalid(set.status().error_code(), fmt::format("{} {}：{}", what, path, set.status().message()));
    }
    for (RowError& e : set->rejected) rejects.emplace_back(path, std::move(e));
    return std::move(set->records);
  };
  std::vector<Record> missing, found;
  if (!o.missing_path.empty()) {
    auto r = load(o.missing_path, Side::kMissing, "寻人登记");
    if (!r.ok()) return Fail(r.status());
    missing = std::move(*r);
  }
  if (!o.found_path.empty()) {
    auto r = load(o.found_path, Side::kFound, "待查人员");
    if (!r.ok()) return Fail(r.status());
    found = std::move(*r);
  }
  if (Status st = tracing::ReportRejects(rejects, o.rejects_path, "linkage.cli.write"); !st.ok()) return Fail(st);
  const std::vector<Record>& a = dedupe ? (missing.empty() ? found : missing) : missing;
  const std::vector<Record>& b = dedupe ? a : found;
  Linker linker(a, b, dedupe);
  LinkOptions lo;
  lo.threshold = o.threshold;
  lo.top = o.top;
  lo.threads = o.threads;
  LinkStats stats;
  Parameters params = Parameters::Default();
  if (o.estimate) params = linker.Estimate(params, lo, &stats);
  if (!o.params_path.empty()) {
    std::ofstream pf(o.params_path, std::ios::binary | std::ios::trunc);
    pf << ParametersJson(params).dump(2) << '\n';
    if (!pf) return Fail(Status::Invalid("linkage.cli.write", fmt::format("无法写入 {}", o.params_path)));
  }
  const bool bar = o.progress && isatty(STDERR_FILENO);
  int last = -1;
  auto progress = [&](size_t done, size_t total) {
    if (!bar || total == 0) return;
    const int percent = static_cast<int>(done * 100 / total);
    if (percent == last) return;
    last = percent;
    fmt::print(stderr, "\r比对进度 {:3d}% ({}/{})", percent, done, total);
    if (done == total) fmt::print(stderr, "\n");
  };
  const auto result = linker.Score(params, lo, &stats, progress);

  std::ofstream out(o.out_path, std::ios::binary | std::ios::trunc);
  if (!out) return Fail(Status::Invalid("linkage.cli.write", fmt::format("无法写入 {}", o.out_path)));
  size_t written = 0;
  for (size_t j = 0; j < result.size(); ++j) {
    for (const Candidate& c : result[j]) {
      const Explanation e = linker.Explain(params, c.a, c.b);
      nlohmann::ordered_json line;
      if (dedupe) {
        line["record"] = b[c.b].id;
        line["duplicate_of"] = a[c.a].id;
      } else {
        line["found"] = b[c.b].id;
        line["missing"] = a[c.a].id;
      }
      line["match_weight"] = Round(e.match_weight);
      line["match_probability"] = Round(e.match_probability, 1e6);
      line["rule"] = RuleName(c.rule);
      nlohmann::ordered_json fields = nlohmann::ordered_json::array();
      for (const FieldPart& part : e.parts) {
        if (part.level < 0) continue;
        fields.push_back({{"field", Spec(part.field).key},
                          {"level", Spec(part.field).level_keys[part.level]},
                          {"weight", Round(part.weight)},
                          {"tf", Round(part.tf)},
                          {"explanation", ExplainPart(part)}});
      }
      line["fields"] = std::move(fields);
      out << line.dump() << '\n';
      ++written;
    }
  }
  out.flush();
  if (!out) return Fail(Status::Invalid("linkage.cli.write", fmt::format("无法写入 {}", o.out_path)));
  fmt::print(stderr,
             "{}：{} 条 × {} 条；候选对 {}（性别+出生年 {}，拼音姓氏 {}，县 {}）；EM 用 {} 对、{} 轮{}；"
             "达到阈值 {} 的候选 {} 条；打分 {:.1f} 秒\n",
             dedupe ? "查重" : "比对", a.size(), dedupe ? a.size() : b.size(), stats.pairs_total, stats.pairs[1],
             stats.pairs[2], stats.pairs[3], stats.em_pairs, stats.em_iterations,
             !o.estimate        ? "（未估计，用专家默认值）"
             : stats.em_rejected ? "（估计结果不合理，已改用专家默认值）"
             : stats.em_rules_used == 0 ? "（样本中的匹配太少，m 用专家默认值，u 按随机配对估计）"
             : stats.em_converged ? "（已收敛）"
                                  : "（未收敛，已用最后一轮参数）",
             o.threshold, written, stats.seconds_score);
  return rejects.empty() ? 0 : 2;
}

}  // namespace

int RunLinkageMatch(const LinkageCliOptions& options) { return Run(options, false); }
int RunLinkageDedupe(const LinkageCliOptions& options) { return Run(options, true); }

}  // namespace doudi::linkage
