// Deterministic simulation of STR profiles and families from allele frequencies, for tests, benchmarks and
// demonstration data: founders draw alleles from the frequencies, children receive one allele from each parent
// through the model's mutation matrix. The same seed gives the same people on every machine (own generator,
// no std:: distributions, whose output the standard leaves to the implementation).
#pragma once

#include <cstdint>
#include <vector>

#include "tracing/dna/lr.h"

namespace doudi::dna {

class Simulator {
 public:
  // Profiles cover `loci` (frequency-table locus indices); genotype vectors are indexed by position in it.
  Simulator(const KinshipModel& model, std::vector<int> loci, uint64_t seed);

  uint64_t Next();     // splitmix64
  double Uniform();    // [0, 1)
  std::vector<Genotype> Founder();
  std::vector<Genotype> Child(const std::vector<Genotype>& father, const std::vector<Genotype>& mother);
  // Leaves each locus untyped with probability `rate`, keeping at least one typed.
  void DropLoci(std::vector<Genotype>* profile, double rate);

  // A missing person and the references their family gave for a hypothesis: kParents → father and mother;
  // kFather/kMother/kParent → one parent; kChild → a child of the missing person with an untested partner;
  // kSibling → a full sibling; kSelf → the person's own profile.
  struct Family {
    std::vector<Genotype> missing;
    std::vector<Genotype> first;
    std::vector<Genotype> second;  // kParents only
  };
  Family MakeFamily(Hypothesis h);

  // A profile indexed by the frequency table's locus index (what Searcher::Search takes).
  std::vector<Genotype> ToQuery(const std::vector<Genotype>& profile, int num_table_loci) const;
  const std::vector<int>& loci() const { return loci_; }

 private:
  int Allele(int position);                  // a founder allele at a locus position
  int Transmit(int position, Genotype parent);

  const KinshipModel* model_;
  std::vector<int> loci_;
  uint64_t state_;
  // Walker alias tables per locus position, over allele indices 1..n.
  std::vector<std::vector<double>> alias_p_;
  std::vector<std::vector<int>> alias_i_;
};

}  // namespace doudi::dna
