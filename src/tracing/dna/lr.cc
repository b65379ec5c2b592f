#include "tracing/dna/lr.h"

#include <cmath>
#include <limits>

namespace doudi::dna {

std::string_view HypothesisName(Hypothesis h) {
  switch (h) {
    case Hypothesis::kParents: return "parents";
    case Hypothesis::kFather: return "father";
    case Hypothesis::kMother: return "mother";
    case Hypothesis::kParent: return "parent";
    case Hypothesis::kChild: return "child";
    case Hypothesis::kSibling: return "sibling";
    case Hypothesis::kSelf: return "self";
  }
  return "parent";
}

LocusModel::LocusModel(const LocusAlleles& locus, std::vector<double> matrix)
    : n_(locus.size()), p_(locus.frequency), m_(std::move(matrix)), pi_(n_ + 1, 0.0) {
  for (int x = 1; x <= n_; ++x) {
    for (int y = 1; y <= n_; ++y) pi_[y] += p_[x] * M(x, y);
  }
}

Result<KinshipModel> KinshipModel::Build(const AlleleFrequencies& frequencies, const MutationOptions& mutation) {
  DOUDI_RETURN_IF_ERROR(ValidateMutation(mutation));
  KinshipModel out;
  out.mutation_ = mutation;
  out.loci_.reserve(frequencies.num_loci());
  for (int l = 0; l < frequencies.num_loci(); ++l) {
    DOUDI_ASSIGN_OR_RETURN(std::vector<double> m, TransmissionMatrix(frequencies.locus(l), mutation));
    out.loci_.emplace_back(frequencies.locus(l), std::move(m));
  }
  return out;
}

namespace {

// P(child genotype | its two transmitted alleles come from sources with probabilities t1(y) and t2(y)).
template <typename T1, typename T2>
double FromParents(Genotype child, T1 t1, T2 t2) {
  if (child.homozygous()) return t1(child.a) * t2(child.a);
  return t1(child.a) * t2(child.b) + t1(child.b) * t2(child.a);
}

// Ordered (paternal, maternal) phases of a genotype: two for a heterozygote, one for a homozygote.
int Phases(Genotype g, int (*out)[2]) {
  out[0][0] = g.a;
  out[0][1] = g.b;
  if (g.homozygous()) return 1;
  out[1][0] = g.b;
  out[1][1] = g.a;
  return 2;
}

// Joint probability that two full siblings receive alleles x and y from one untested parent: with
// probability 1/2 the same parental allele (founder allele z, mutated independently on each side), otherwise
// two independent founder alleles.
double SiblingPair(const LocusModel& m, int x, int y, bool mutation) {
  double same = 0;
  if (mutation) {
    for (int z = 1; z <= m.n(); ++z) same += m.p(z) * m.M(z, x) * m.M(z, y);
  } else {
    same = x == y ? m.p(x) : 0;
  }
  return 0.5 * same + 0.5 * m.pi(x, mutation) * m.pi(y, mutation);
}

}  // namespace

double DuoLr(const LocusModel& m, Genotype parent, Genotype child, bool mutation) {
  if (!parent.typed() || !child.typed()) return 1;
  double p = FromParents(child, [&](int y) { return m.Transmit(parent, y, mutation); },
                         [&](int y) { return m.pi(y, mutation); });
  return p / m.GenotypeProbability(child);
}

double ParentsLr(const LocusModel& m, Genotype father, Genotype mother, Genotype child, bool mutation) {
  if ((!father.typed() && !mother.typed()) || !child.typed()) return 1;
  double p = FromParents(child, [&](int y) { return m.Transmit(father, y, mutation); },
                         [&](int y) { return m.Transmit(mother, y, mutation); });
  return p / m.GenotypeProbability(child);
}

double TrioLr(const LocusModel& m, Genotype known, Genotype alleged, Genotype child, bool mutation) {
  if (!alleged.typed() || !child.typed()) return 1;
  auto k = [&](int y) { return m.Transmit(known, y, mutation); };
  double num = FromParents(child, [&](int y) { return m.Transmit(alleged, y, mutation); }, k);
  double den = FromParents(child, [&](int y) { return m.pi(y, mutation); }, k);
  return den == 0 ? std::numeric_limits<double>::quiet_NaN() : num / den;
}

double ChildLr(const LocusModel& m, Genotype child, Genotype person, bool mutation) {
  return DuoLr(m, person, child, mutation);
}

double SiblingLr(const LocusModel& m, Genotype sibling, Genotype person, bool mutation) {
  if (!sibling.typed() || !person.typed()) return 1;
  int ps[2][2], qs[2][2];
  int np = Phases(person, ps), nq = Phases(sibling, qs);
  double joint = 0;
  for (int i = 0; i < np; ++i) {
    for (int j = 0; j < nq; ++j) {
      joint += SiblingPair(m, ps[i][0], qs[j][0], mutation) * SiblingPair(m, ps[i][1], qs[j][1], mutation);
    }
  }
  return joint / (m.GenotypeProbability(person) * m.GenotypeProbability(sibling));
}

double IdentityLr(const LocusModel& m, Genotype reference, Genotype person) {
  if (!reference.typed() || !person.typed()) return 1;
  return reference == person ? 1 / m.GenotypeProbability(person) : 0;
}

double HypothesisLr(const LocusModel& m, Hypothesis h, Genotype first, Genotype second, Genotype query,
                    bool mutation) {
  switch (h) {
    case Hypothesis::kParents: return ParentsLr(m, first, second, query, mutation);
    case Hypothesis::kFather:
    case Hypothesis::kMother:
    case Hypothesis::kParent: return DuoLr(m, first, query, mutation);
    case Hypothesis::kChild: return ChildLr(m, first, query, mutation);
    case Hypothesis::kSibling: return SiblingLr(m, first, query, mutation);
    case Hypothesis::kSelf: return IdentityLr(m, first, query);
  }
  return 1;
}

QueryLocus::QueryLocus(const LocusModel& m, Hypothesis h, Genotype query)
    : m_(&m), h_(h), q_(query), pq_(m.GenotypeProbability(query)), e1_(m.n() + 1, 0.0), e2_(m.n() + 1, 0.0) {
  const int n = m.n();
  const int q1 = query.a, q2 = query.b;
  switch (h) {
    case Hypothesis::kParents:
      // A_i(parent) = P(parent transmits q_i); e_i[x] = M[x][q_i]/2 so that A_i = e_i[a] + e_i[b].
      for (int x = 1; x <= n; ++x) {
        e1_[x] = 0.5 * m.M(x, q1);
        e2_[x] = 0.5 * m.M(x, q2);
      }
      e1_[0] = 0.5 * m.pi(q1);
      e2_[0] = 0.5 * m.pi(q2);
      k_ = query.homozygous() ? 1 / (2 * pq_) : 1 / pq_;
      break;
    case Hypothesis::kFather:
    case Hypothesis::kMother:
    case Hypothesis::kParent:
      // LR = t[a] + t[b]: the duo numerator is linear in the parent's two alleles.
      for (int x = 1; x <= n; ++x) {
        e1_[x] = query.homozygous() ? m.M(x, q1) * m.pi(q1) / (2 * pq_)
                                    : (m.M(x, q1) * m.pi(q2) + m.M(x, q2) * m.pi(q1)) / (2 * pq_);
      }
      break;
    case Hypothesis::kChild:
      for (int y = 1; y <= n; ++y) e1_[y] = m.Transmit(query, y);
      break;
    case Hypothesis::kSibling:
      for (int x = 1; x <= n; ++x) {
        e1_[x] = SiblingPair(m, q1, x, true);
        e2_[x] = SiblingPair(m, q2, x, true);
      }
      break;
    case Hypothesis::kSelf: break;
  }
}

double QueryLocus::Lr(Genotype r) const {
  if (!r.typed()) return 1;
  const LocusModel& m = *m_;
  switch (h_) {
    case Hypothesis::kParents: return 1;  // two references: see the class comment
    case Hypothesis::kFather:
    case Hypothesis::kMother:
    case Hypothesis::kParent: return e1_[r.a] + e1_[r.b];
    case Hypothesis::kChild: {
      double p = r.homozygous() ? e1_[r.a] * m.pi(r.a) : e1_[r.a] * m.pi(r.b) + e1_[r.b] * m.pi(r.a);
      return p / m.GenotypeProbability(r);
    }
    case Hypothesis::kSibling: {
      // Σ over the query's and the reference's phases of J(u, w)·J(v, z); e1 = J(q1, ·), e2 = J(q2, ·).
      double s;
      if (q_.homozygous()) {
        s = r.homozygous() ? e1_[r.a] * e1_[r.a] : 2 * e1_[r.a] * e1_[r.b];
      } else {
        s = r.homozygous() ? 2 * e1_[r.a] * e2_[r.a] : 2 * (e1_[r.a] * e2_[r.b] + e1_[r.b] * e2_[r.a]);
      }
      return s / (pq_ * m.GenotypeProbability(r));
    }
    case Hypothesis::kSelf: return r == q_ ? 1 / pq_ : 0;
  }
  return 1;
}

void QueryLocus::PairForm(std::vector<double>* u, std::vector<double>* v) const {
  const LocusModel& m = *m_;
  const int n = m.n();
  u->assign(n + 1, 0.0);
  v->assign(n + 1, 1.0);
  (*u)[0] = 0.5;  // with v[0] = 1: an untyped reference has LR 2·u[0]·v[0] = 1
  switch (h_) {
    case Hypothesis::kParents:
      for (int x = 0; x <= n; ++x) {
        (*u)[x] = k_ * e1_[x];
        (*v)[x] = e2_[x];
      }
      break;
    case Hypothesis::kFather:
    case Hypothesis::kMother:
    case Hypothesis::kParent:
      for (int x = 1; x <= n; ++x) (*u)[x] = e1_[x];  // LR = t[a] + t[b]
      break;
    case Hypothesis::kChild:
      // (T(a)·π(b) + T(b)·π(a)) / (2·p_a·p_b): u = T/p, v = π/(2p); for a homozygote 2·u·v = T·π/p².
      for (int x = 1; x <= n; ++x) {
        (*u)[x] = e1_[x] / m.p(x);
        (*v)[x] = m.pi(x) / (2 * m.p(x));
      }
      break;
    case Hypothesis::kSibling: {
      // Σ of J products over phases / (P(q)·P(r)): u = J(q1, ·)/p, v = J(q2, ·)/p, scaled by 1/P(q), or by
      // 1/(2·P(q)) for a homozygous query whose two phases coincide.
      const double c = q_.homozygous() ? 1 / (2 * pq_) : 1 / pq_;
      for (int x = 1; x <= n; ++x) {
        (*u)[x] = c * e1_[x] / m.p(x);
        (*v)[x] = e2_[x] / m.p(x);
      }
      break;
    }
    case Hypothesis::kSelf: {
      const double c = q_.homozygous() ? 1 / (2 * pq_) : 1 / pq_;
      for (int x = 1; x <= n; ++x) {
        (*u)[x] = x == q_.a ? c : 0;
        (*v)[x] = x == q_.b ? 1 : 0;
      }
      break;
    }
  }
}

KinshipResult Compare(const KinshipModel& model, Hypothesis h, std::span<const int> loci,
                      std::span<const Genotype> first, std::span<const Genotype> second,
                      std::span<const Genotype> query) {
  KinshipResult r;
  for (size_t i = 0; i < loci.size(); ++i) {
    Genotype q = query[i], f = first[i], s = second.empty() ? Genotype{} : second[i];
    if (!q.typed() || (!f.typed() && !s.typed())) continue;
    const LocusModel& m = model.locus(loci[i]);
    LocusLr l{loci[i], HypothesisLr(m, h, f, s, q), false};
    l.inconsistent = h != Hypothesis::kSibling && HypothesisLr(m, h, f, s, q, false) == 0;
    r.loci_compared++;
    r.inconsistent_loci += l.inconsistent;
    r.log10_lr += std::log10(l.lr);
    r.per_locus.push_back(l);
  }
  return r;
}

Conclusion Conclude(const KinshipResult& r, const Thresholds& t) {
  if (r.inconsistent_loci >= t.exclude_inconsistent) return Conclusion::kExcluded;
  if (r.log10_lr >= std::log10(t.support_lr)) return Conclusion::kSupported;
  return Conclusion::kInconclusive;
}

std::string_view ConclusionName(Conclusion c) {
  switch (c) {
    case Conclusion::kSupported: return "supported";
    case Conclusion::kExcluded: return "excluded";
    case Conclusion::kInconclusive: return "inconclusive";
  }
  return "inconclusive";
}

double Posterior(double log10_lr, double prior) {
  if (prior <= 0 || log10_lr == -std::numeric_limits<double>::infinity()) return 0;
  if (prior >= 1) return 1;
  double x = std::log10((1 - prior) / prior) - log10_lr;  // posterior = 1 / (1 + 10^x)
  return x > 320 ? 0 : 1 / (1 + std::pow(10.0, x));
}

}  // namespace doudi::dna
