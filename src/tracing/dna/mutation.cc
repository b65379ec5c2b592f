#include "tracing/dna/mutation.h"

#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace doudi::dna {

Result<MutationModel> ParseMutationModel(std::string_view name) {
  if (name == "none") return MutationModel::kNone;
  if (name == "equal") return MutationModel::kEqual;
  if (name == "proportional") return MutationModel::kProportional;
  if (name == "stepwise") return MutationModel::kStepwise;
  return Status::InvalidField("mutation", "dna.mutation.model",
                              fmt::format("突变模型“{}”无效：应为 none、equal、proportional 或 stepwise", name));
}

std::string_view MutationModelName(MutationModel model) {
  switch (model) {
    case MutationModel::kNone: return "none";
    case MutationModel::kEqual: return "equal";
    case MutationModel::kProportional: return "proportional";
    case MutationModel::kStepwise: return "stepwise";
  }
  return "none";
}

Status ValidateMutation(const MutationOptions& options) {
  if (!(options.rate >= 0 && options.rate < 1)) {
    return Status::InvalidField("rate", "dna.mutation.rate", fmt::format("突变率 {} 无效：应在 0（含）和 1 之间", options.rate));
  }
  if (!(options.stepwise_range > 0 && options.stepwise_range <= 1)) {
    return Status::InvalidField("range", "dna.mutation.range",
                                fmt::format("逐步突变的步长衰减系数 {} 无效：应在 0 和 1（含）之间", options.stepwise_range));
  }
  return Status::Ok();
}

Result<std::vector<double>> TransmissionMatrix(const LocusAlleles& locus, const MutationOptions& options) {
  const int n = locus.size();
  const int w = n + 1;
  std::vector<double> m(static_cast<size_t>(w) * w, 0.0);
  auto at = [&](int x, int y) -> double& { return m[static_cast<size_t>(x) * w + y]; };
  const double r = options.rate;
  if (options.model == MutationModel::kNone || r == 0 || n == 1) {
    for (int x = 1; x <= n; ++x) at(x, x) = 1;
    return m;
  }
  switch (options.model) {
    case MutationModel::kNone: break;
    case MutationModel::kEqual:
      for (int x = 1; x <= n; ++x) {
        for (int y = 1; y <= n; ++y) at(x, y) = x == y ? 1 - r : r / (n - 1);
      }
      break;
    case MutationModel::kProportional: {
      // The minimum frequency makes the floored frequencies sum to slightly over 1; mutation targets use them
      // normalised so that every row sums to 1.
      double total = 0;
      for (int x = 1; x <= n; ++x) total += locus.frequency[x];
      double het = 0;
      for (int x = 1; x <= n; ++x) {
        double q = locus.frequency[x] / total;
        het += q * (1 - q);
      }
      const double k = 1 / het;
      for (int x = 1; x <= n; ++x) {
        for (int y = 1; y <= n; ++y) {
          double qy = locus.frequency[y] / total;
          at(x, y) = x == y ? 1 - k * r * (1 - qy) : k * r * qy;
        }
        if (at(x, x) < 0) {
          return Status::InvalidField("rate", "dna.mutation.rate",
                                      fmt::format("突变率 {} 对基因座 {} 的比例突变模型过高（不突变的概率为负）", r,
                                                  locus.name));
        }
      }
      break;
    }
    case MutationModel::kStepwise:
      for (int x = 1; x <= n; ++x) {
        double sum = 0;
        for (int y = 1; y <= n; ++y) {
          int d = std::abs(locus.tenths[y] - locus.tenths[x]);
          if (y != x && d % 10 == 0) {
            at(x, y) = std::pow(options.stepwise_range, d / 10 - 1);
            sum += at(x, y);
          }
        }
        if (sum == 0) {  // no allele a whole number of repeats away: nothing to mutate into
          at(x, x) = 1;
          continue;
        }
        for (int y = 1; y <= n; ++y) at(x, y) *= r / sum;
        at(x, x) = 1 - r;
      }
      break;
  }
  return m;
}

}  // namespace doudi::dna
