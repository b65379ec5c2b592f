#include "tracing/dna/simulate.h"

namespace doudi::dna {

Simulator::Simulator(const KinshipModel& model, std::vector<int> loci, uint64_t seed)
    : model_(&model), loci_(std::move(loci)), state_(seed) {
  for (int l : loci_) {
    const LocusModel& m = model.locus(l);
    const int n = m.n();
    double total = 0;
    for (int x = 1; x <= n; ++x) total += m.p(x);
    // Vose's alias method: O(1) draws.
    std::vector<double> prob(n), scaled(n);
    std::vector<int> alias(n), small, large;
    for (int x = 0; x < n; ++x) {
      scaled[x] = m.p(x + 1) / total * n;
      (scaled[x] < 1 ? small : large).push_back(x);
    }
    while (!small.empty() && !large.empty()) {
      int s = small.back(), g = large.back();
      small.pop_back();
      prob[s] = scaled[s];
      alias[s] = g;
      scaled[g] -= 1 - scaled[s];
      if (scaled[g] < 1) {
        large.pop_back();
        small.push_back(g);
      }
    }
    for (int x : large) prob[x] = 1, alias[x] = x;
    for (int x : small) prob[x] = 1, alias[x] = x;
    alias_p_.push_back(std::move(prob));
    alias_i_.push_back(std::move(alias));
  }
}

uint64_t Simulator::Next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double Simulator::Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

int Simulator::Allele(int position) {
  const auto& prob = alias_p_[position];
  const int n = static_cast<int>(prob.size());
  const uint64_t r = Next();
  const int column = static_cast<int>((r >> 32) * n >> 32);
  const double u = static_cast<double>(r & 0xffffffffULL) * 0x1.0p-32;
  return 1 + (u < prob[column] ? column : alias_i_[position][column]);
}

int Simulator::Transmit(int position, Genotype parent) {
  const LocusModel& m = model_->locus(loci_[position]);
  if (!parent.typed()) return Allele(position);  // an untested parent: a founder allele
  const int x = (Next() & 1) ? parent.a : parent.b;
  double u = Uniform();
  if (u < m.M(x, x)) return x;
  u -= m.M(x, x);
  for (int y = 1; y <= m.n(); ++y) {
    if (y == x) continue;
    if (u < m.M(x, y)) return y;
    u -= m.M(x, y);
  }
  return x;  // rounding
}

std::vector<Genotype> Simulator::Founder() {
  std::vector<Genotype> g(loci_.size());
  for (size_t i = 0; i < loci_.size(); ++i) g[i] = Genotype::Of(Allele(i), Allele(i));
  return g;
}

std::vector<Genotype> Simulator::Child(const std::vector<Genotype>& father, const std::vector<Genotype>& mother) {
  std::vector<Genotype> g(loci_.size());
  for (size_t i = 0; i < loci_.size(); ++i) g[i] = Genotype::Of(Transmit(i, father[i]), Transmit(i, mother[i]));
  return g;
}

void Simulator::DropLoci(std::vector<Genotype>* profile, double rate) {
  if (rate <= 0) return;
  const size_t keep = Next() % profile->size();
  for (size_t i = 0; i < profile->size(); ++i) {
    if (i != keep && Uniform() < rate) (*profile)[i] = Genotype{};
  }
}

Simulator::Family Simulator::MakeFamily(Hypothesis h) {
  Family f;
  std::vector<Genotype> father = Founder(), mother = Founder();
  f.missing = Child(father, mother);
  switch (h) {
    case Hypothesis::kParents:
      f.first = std::move(father);
      f.second = std::move(mother);
      break;
    case Hypothesis::kFather:
    case Hypothesis::kParent: f.first = std::move(father); break;
    case Hypothesis::kMother: f.first = std::move(mother); break;
    case Hypothesis::kChild: f.first = Child(f.missing, Founder()); break;
    case Hypothesis::kSibling: f.first = Child(father, mother); break;
    case Hypothesis::kSelf: f.first = f.missing; break;
  }
  return f;
}

std::vector<Genotype> Simulator::ToQuery(const std::vector<Genotype>& profile, int num_table_loci) const {
  std::vector<Genotype> q(num_table_loci);
  for (size_t i = 0; i < loci_.size(); ++i) q[loci_[i]] = profile[i];
  return q;
}

}  // namespace doudi::dna
