// Attribute matching between two record sets (missing-person reports × unidentified persons), or of one set
// against itself for duplicates: blocking, comparison, parameter estimation and scoring.
//
// Records are prepared once into arrays (interned name forms, birth estimates, division codes as numbers, the
// marks as a keyword bit set) so that comparing a pair costs a few loads and no allocation; only a pair whose
// names differ in every interned form computes Jaro–Winkler, and only when the rest of the pair could still reach
// the threshold.
//
// Blocking: a pair is compared when any of three rules holds; each pair is produced once (a rule skips pairs an
// earlier rule already produced):
//   1 sex_birth_year   same sex and estimated birth years within the pair's age tolerance (levels 0–1 of age)
//   2 pinyin_surname   same fuzzy-pinyin surname and the same initials of the given name's syllables
//   3 county           a county (hukou, place lost, stated origin, place found) in common
// Scoring runs rules 1 and 3 through the block scan (block_scan.h: column copies, vector kernels chosen at run
// time, bit-identical to the per-pair comparison) and rule 2 pair by pair.
// Term-frequency adjustment: when two names are the same characters, or two places the same county, the
// weight is log2(u / f) instead of log2(m/u)'s u-part alone, f the share of records with that value (a common name
// like 王伟 says less than a rare one), bounded to ±8.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tracing/linkage/block_scan.h"
#include "tracing/linkage/model.h"
#include "tracing/linkage/record.h"

namespace doudi::linkage {

enum class Rule : uint8_t { kSexBirthYear = 1, kPinyinSurname = 2, kCounty = 3 };
std::string_view RuleName(Rule r);

// The age tolerance of a pair in years: the sum of the two records' uncertainties.
inline float AgeTolerance(float uncertainty_a, float uncertainty_b) { return uncertainty_a + uncertainty_b; }
// The level of the age field for birth estimates a, b with tolerance tol (0 closest .. 3 beyond 2·tol).
int AgeLevel(float birth_a, float birth_b, float tol);
// Median height (cm) of Chinese children of a sex at an age (years, capped at 18), for projecting growth.
float MedianHeight(Sex sex, float age);
// Height level of two measurements taken at ages age_a, age_b (projected from the younger to the older).
int HeightLevel(Sex sex, float height_a, float age_a, float height_b, float age_b);
// The keyword bit set of a distinguishing-marks text, and the level of two sets.
uint64_t MarkKeywords(std::string_view text);
int MarksLevel(uint64_t a, uint64_t b);
// Division codes as comparable numbers: the 6-digit county code (lower parts 0 when unknown) and its
// precision (1 province, 2 city, 3 county; 0 = no code).
struct Place {
  int32_t code = 0;
  uint8_t precision = 0;
};
Place ParsePlace(std::string_view division);
int PlaceLevel(Place a, Place b);

struct LinkOptions {
  double threshold = 10;    // match weight (log2 Bayes factor, without the prior) a candidate must reach
  int top = 20;             // candidates kept per record of the probe side
  int threads = 0;          // 0: hardware threads
  bool estimate = true;     // run EM on a sample of candidate pairs
  size_t em_pairs = 2'000'000;  // candidate pairs sampled for EM (m and λ), per blocking rule
  double em_min_matches = 30;   // a rule's EM counts only if it finds at least this many expected matches
  size_t u_pairs = 1'000'000;   // random pairs sampled for u
  EmOptions em;
  uint64_t seed = 1;
  // Rule 1's pairs by the block scan (block_scan.h) with the kernel of `scan_isa` (default: the widest this CPU
  // has); false: pair by pair like the other rules. Every choice gives bit-identical results.
  bool block_scan = true;
  std::optional<ScanIsa> scan_isa;
};

struct Candidate {
  uint32_t a = 0;  // index into the indexed side (missing reports)
  uint32_t b = 0;  // index into the probe side (unidentified persons)
  float weight = 0;
  Rule rule = Rule::kSexBirthYear;
};

struct FieldPart {
  Field field;
  int level;       // -1 missing
  double weight;   // log2(m/u) of the level
  double tf = 0;   // term-frequency adjustment added to it
};
struct Explanation {
  double match_weight = 0;       // Σ (weight + tf)
  double match_probability = 0;  // with the prior λ
  std::vector<FieldPart> parts;  // every field, missing ones with level −1
};

struct LinkStats {
  uint64_t pairs[4] = {0, 0, 0, 0};  // candidate pairs by rule (index = Rule)
  uint64_t pairs_total = 0;
  uint64_t jaro_winkler = 0;          // pairs that needed Jaro–Winkler
  uint64_t em_pairs = 0;
  int em_iterations = 0;
  bool em_converged = false;
  bool em_rejected = false;           // the estimate failed the sanity check; the starting values were used
  Parameters em_estimate;             // the estimate itself, used or not
  int em_rules_used = 0;              // blocking rules whose sample had enough matches to estimate m
  double seconds_prepare = 0, seconds_em = 0, seconds_score = 0;
  std::string_view scan = "";         // how rule 1 was scored: per_pair, scalar, avx2, avx512
};

class Linker {
 public:
  // a: the indexed side; b: the probe side. With self = true b must be the same vector as a and each unordered
  // pair is compared once.
  Linker(const std::vector<Record>& a, const std::vector<Record>& b, bool self = false);
  ~Linker();
  Linker(const Linker&) = delete;
  Linker& operator=(const Linker&) = delete;

  size_t size_a() const;
  size_t size_b() const;
  Levels Compare(uint32_t a, uint32_t b) const;
  // Every candidate pair of probe record b with the rule that produced it (each pair once).
  void ForEachCandidate(uint32_t b, const std::function<void(uint32_t a, Rule rule)>& visit) const;
  // Estimates the parameters: u from random pairs, m and λ by EM on a random sample of probe records'
  // candidate pairs, rule by rule (see linker.cc); returns `start` when the estimate is not sane
  // (stats->em_rejected).
  Parameters Estimate(const Parameters& start, const LinkOptions& options, LinkStats* stats) const;
  // Per probe record, its candidates at or above the threshold, best first (ties: lower a first), at most top.
  std::vector<std::vector<Candidate>> Score(const Parameters& p, const LinkOptions& options, LinkStats* stats,
                                            const std::function<void(size_t, size_t)>& progress = {}) const;
  Explanation Explain(const Parameters& p, uint32_t a, uint32_t b) const;

 private:
  struct Data;
  std::unique_ptr<Data> d_;
};

}  // namespace doudi::linkage
