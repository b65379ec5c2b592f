// Mutation models for the transmission of an STR allele from parent to child.
//
// The four models of Familias (Egeland, Mostad et al.) that forensic kinship software shares, each with an
// overall rate R (default 0.002, a typical STR rate per meiosis):
//   none          a parent passes on one of its two alleles unchanged;
//   equal         any other allele of the locus with probability R/(n−1);
//   proportional  another allele y with probability k·R·q_y, k = 1/Σ q(1−q), q the normalised frequencies
//                 (the expected rate is R and the frequencies are stationary);
//   stepwise      only to alleles a whole number of repeats away, weight range^(steps−1) (range default 0.1),
//                 normalised to R; microvariants (9.3 → 10) do not mutate into integer alleles here.
#pragma once

#include <string_view>
#include <vector>

#include "common/status.h"
#include "tracing/dna/frequencies.h"

namespace doudi::dna {

enum class MutationModel { kNone, kEqual, kProportional, kStepwise };

// "none" | "equal" | "proportional" | "stepwise", else "dna.mutation.model".
Result<MutationModel> ParseMutationModel(std::string_view name);
std::string_view MutationModelName(MutationModel model);

struct MutationOptions {
  MutationModel model = MutationModel::kNone;
  double rate = 0.002;
  double stepwise_range = 0.1;
};

// Checks the rate (0 ≤ R < 1) and range (0 < range ≤ 1): "dna.mutation.rate", "dna.mutation.range".
Status ValidateMutation(const MutationOptions& options);

// The (n+1)×(n+1) row-major transmission matrix M[x·(n+1)+y] = P(child receives y | parent passes on x) for
// allele indices 1..n (row and column 0, "not typed", are zero). Each row sums to 1. Fails
// ("dna.mutation.rate") when the proportional model's rate is so high that staying unchanged gets a negative
// probability at this locus.
Result<std::vector<double>> TransmissionMatrix(const LocusAlleles& locus, const MutationOptions& options);

}  // namespace doudi::dna
