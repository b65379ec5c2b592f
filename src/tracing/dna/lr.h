// Kinship likelihood ratios between STR profiles, per locus and combined.
//
// The model is the pedigree likelihood of Familias: founders (untested parents, unrelated persons) carry alleles
// drawn from the population frequencies p; every parent-to-child transmission passes on one of the parent's two
// alleles with probability 1/2 and then mutates by the transmission matrix M (mutation.h). With no mutation the
// formulas reduce to the textbook ones, e.g. child 15/17, alleged parent 15/16: LR = 1/(4·p15).
//
// Hypotheses, each against "unrelated" (the query is a random member of the population):
//   parents  both references are the query's parents
//   father / mother / parent   the reference is one parent, the other parent untested (duo)
//   child    the reference is the query's child, its other parent untested
//   sibling  full siblings (same two untested parents)
//   self     the reference is the query's own profile (identity)
// and, for casework rather than search, the trio: a known parent and an alleged parent of a child, against the
// known parent and an untested person.
//
// A locus not typed in the query, or in every reference, has LR 1 and is not counted as compared. A locus is
// inconsistent when its LR without mutation is 0 (no Mendelian explanation; siblings never are).
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "tracing/dna/frequencies.h"
#include "tracing/dna/mutation.h"
#include "tracing/dna/profile.h"

namespace doudi::dna {

enum class Hypothesis : uint8_t { kParents, kFather, kMother, kParent, kChild, kSibling, kSelf };
inline constexpr int kNumHypotheses = 7;
std::string_view HypothesisName(Hypothesis h);  // "parents", "father", ...
inline int HypothesisMembers(Hypothesis h) { return h == Hypothesis::kParents ? 2 : 1; }

// One locus's frequencies and transmission matrix.
class LocusModel {
 public:
  LocusModel(const LocusAlleles& locus, std::vector<double> matrix);

  int n() const { return n_; }
  double p(int x) const { return p_[x]; }
  // P(child receives y | parent passes on x), with or without mutation.
  double M(int x, int y, bool mutation = true) const {
    return mutation ? m_[static_cast<size_t>(x) * (n_ + 1) + y] : (x == y ? 1.0 : 0.0);
  }
  // P(child receives y) from an untested founder parent: Σ_x p_x M[x][y].
  double pi(int y, bool mutation = true) const { return mutation ? pi_[y] : p_[y]; }
  // P(child receives y) from a parent of genotype g (an untested one when !g.typed()).
  double Transmit(Genotype g, int y, bool mutation = true) const {
    return g.typed() ? 0.5 * (M(g.a, y, mutation) + M(g.b, y, mutation)) : pi(y, mutation);
  }
  // The population probability of a genotype: 2·p_a·p_b, or p_a² for a homozygote.
  double GenotypeProbability(Genotype g) const { return g.homozygous() ? p_[g.a] * p_[g.a] : 2 * p_[g.a] * p_[g.b]; }

 private:
  int n_;
  std::vector<double> p_;
  std::vector<double> m_;
  std::vector<double> pi_;
};

// Every locus of a frequency table under one mutation model. Build it after all profiles were parsed: alleles
// interned later are not in the model.
class KinshipModel {
 public:
  static Result<KinshipModel> Build(const AlleleFrequencies& frequencies, const MutationOptions& mutation);
  int num_loci() const { return static_cast<int>(loci_.size()); }
  const LocusModel& locus(int i) const { return loci_[i]; }
  const MutationOptions& mutation() const { return mutation_; }

 private:
  std::vector<LocusModel> loci_;
  MutationOptions mutation_;
};

// Per-locus likelihood ratios, computed directly from the transmission probabilities.
double DuoLr(const LocusModel& m, Genotype parent, Genotype child, bool mutation = true);
double ParentsLr(const LocusModel& m, Genotype father, Genotype mother, Genotype child, bool mutation = true);
// P(child | known parent, alleged parent) / P(child | known parent, untested person). NaN when the child cannot
// descend from the known parent under the model (the denominator is 0): the locus says nothing about the alleged
// parent and the known parent's relationship needs checking.
double TrioLr(const LocusModel& m, Genotype known, Genotype alleged, Genotype child, bool mutation = true);
double ChildLr(const LocusModel& m, Genotype child, Genotype person, bool mutation = true);
double SiblingLr(const LocusModel& m, Genotype sibling, Genotype person, bool mutation = true);
double IdentityLr(const LocusModel& m, Genotype reference, Genotype person);
// The LR of `hypothesis` between references (second = the mother for kParents, else unused) and the query.
double HypothesisLr(const LocusModel& m, Hypothesis h, Genotype first, Genotype second, Genotype query,
                    bool mutation = true);

// A query genotype at one locus prepared so that a reference genotype's LR is O(1), for search tables.
// Single-reference hypotheses: Lr(ref). kParents: Lr = k·(A1(f)·A2(m) + A2(f)·A1(m)) with
// A_i(g) = e_i[g.a] + e_i[g.b], where e_i[0] (untyped parent) is half the founder transmission.
class QueryLocus {
 public:
  QueryLocus(const LocusModel& m, Hypothesis h, Genotype query);
  double Lr(Genotype ref) const;
  double e1(int x) const { return e1_[x]; }
  double e2(int x) const { return e2_[x]; }
  double parents_scale() const { return k_; }
  // Every hypothesis as two per-allele vectors u, v over indices 0..n (0 = not typed), the form the vector
  // scan uses:
  //   one reference (a, b):   LR = u[a]·v[b] + u[b]·v[a]          (a = b = 0 gives 1)
  //   parents (f, m):         F = (u[f.a] + u[f.b], v[f.a] + v[f.b]), M likewise; LR = F.u·M.v + F.v·M.u
  void PairForm(std::vector<double>* u, std::vector<double>* v) const;

 private:
  const LocusModel* m_;
  Hypothesis h_;
  Genotype q_;
  double pq_;                    // P(query genotype)
  double k_ = 0;                 // kParents scale
  std::vector<double> e1_, e2_;  // per allele; meaning depends on the hypothesis
};

// The comparison of one query with one family's references over a list of loci.
struct LocusLr {
  int locus = 0;  // frequency-table locus index
  double lr = 1;
  bool inconsistent = false;
};
struct KinshipResult {
  double log10_lr = 0;  // −infinity when some locus has LR 0
  int loci_compared = 0;
  int inconsistent_loci = 0;
  std::vector<LocusLr> per_locus;  // compared loci only, in the order given
};
// genotypes are indexed like `loci`; `second` is empty unless h is kParents.
KinshipResult Compare(const KinshipModel& model, Hypothesis h, std::span<const int> loci,
                      std::span<const Genotype> first, std::span<const Genotype> second,
                      std::span<const Genotype> query);

// National practice by default: LR ≥ 10,000 supports the relationship, ≥ 3 inconsistent loci exclude it,
// anything else needs more loci.
struct Thresholds {
  double support_lr = 10000;
  int exclude_inconsistent = 3;
};
enum class Conclusion { kSupported, kExcluded, kInconclusive };
Conclusion Conclude(const KinshipResult& r, const Thresholds& t);
std::string_view ConclusionName(Conclusion c);  // "supported", "excluded", "inconclusive"

// The posterior probability of the relationship: LR·prior / (LR·prior + 1 − prior), computed in log space so
// that huge and zero LRs give 1 and 0 without overflow.
double Posterior(double log10_lr, double prior);

}  // namespace doudi::dna
