// The Fellegi–Sunter model of attribute matching: the compared fields, their agreement levels, the m and u
// probabilities of each level and the EM algorithm that estimates them from the pairs themselves.
//
// For a pair of records every field falls into one level (or is missing: either side did not record it). m is
// the probability of the level among pairs that are the same person, u among pairs that are not; the level's
// weight is log2(m/u) and a pair's match weight is the sum over its fields (plus the term-frequency adjustments
// of linker.h). Expert defaults (kDefault*) start EM and act as a Dirichlet prior of `pseudo_count` pairs, so a
// level the data rarely shows keeps a sensible value and a small file cannot produce absurd weights.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace doudi::linkage {

enum Field : int { kName, kSex, kAge, kHeight, kDialect, kHome, kPlace, kChronology, kMarks, kNumFields };
inline constexpr int kMaxLevels = 7;

struct FieldSpec {
  std::string_view key;  // "name", as in the JSON output
  std::string_view zh;   // "姓名", for the caseworker
  int levels;
  std::array<std::string_view, kMaxLevels> level_keys;
  std::array<std::string_view, kMaxLevels> level_zh;
};
const FieldSpec& Spec(Field f);

// One pair's levels; -1 = missing (the field adds nothing).
using Levels = std::array<int8_t, kNumFields>;

struct Parameters {
  double lambda = 1e-4;  // the share of candidate pairs that are matches
  std::array<std::array<double, kMaxLevels>, kNumFields> m{}, u{};
  static Parameters Default();
  double Weight(Field f, int level) const;  // log2(m/u); 0 for a missing field
  double PriorWeight() const;               // log2(λ/(1−λ))
};

// A distinct level vector and how many pairs had it (EM works on these, not on pairs).
struct Pattern {
  Levels levels;
  double count;
};
uint64_t PatternKey(const Levels& l);
Levels PatternLevels(uint64_t key);

struct EmOptions {
  int max_iterations = 500;
  double tolerance = 1e-7;    // stop when no parameter moves more than this
  double pseudo_count = 100;  // weight of the starting parameters as a prior, in pairs
  double min_probability = 1e-6;
  // Fields whose m and u stay at the starting values. The fields a blocking rule selects on (sex and age for
  // the sex + birth-year rule) agree in almost every candidate pair whether it is a match or not; left free, EM
  // takes that agreement for the match class (the blocking, not identity, explains it).
  std::array<bool, kNumFields> fixed{};
  bool fix_u = false;  // u known (estimated from random pairs): only λ and m move
};
struct EmResult {
  Parameters parameters;
  int iterations = 0;
  bool converged = false;
};
// Estimates λ, m and u from patterns, starting at (and regularised towards) `start`.
EmResult EstimateEm(const std::vector<Pattern>& patterns, const Parameters& start, const EmOptions& options = {});

}  // namespace doudi::linkage
