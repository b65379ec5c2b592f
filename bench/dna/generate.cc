#include "generate.h"

#include <algorithm>
#include <fstream>

#include <fmt/format.h>

namespace doudi::dna::bench {

std::vector<int> KitLoci(const AlleleFrequencies& f, int count) {
  static const char* kLoci[] = {"D3S1358", "D13S317", "D7S820", "D5S818",  "CSF1PO", "D2S1338", "D21S11",
                                "D16S539", "D18S51",  "D8S1179", "FGA",     "D6S1043", "TH01",   "TPOX",
                                "D19S433", "vWA",     "D12S391", "D1S1656", "D2S441",  "D22S1045"};
  std::vector<int> out;
  for (const char* name : kLoci) {
    if (static_cast<int>(out.size()) == count) break;
    out.push_back(f.FindLocus(name));
  }
  // More than 20: the remaining table loci in order.
  for (int l = 0; l < f.num_loci() && static_cast<int>(out.size()) < count; ++l) {
    if (std::find(out.begin(), out.end(), l) == out.end()) out.push_back(l);
  }
  return out;
}

BenchData Generate(const KinshipModel& model, const std::vector<int>& loci, const Mix& mix, uint32_t planted,
                   uint32_t strangers, uint64_t seed) {
  Simulator sim(model, loci, seed);
  DatabaseBuilder b(loci);
  const std::pair<Hypothesis, uint32_t> kinds[] = {
      {Hypothesis::kParents, mix.parents}, {Hypothesis::kFather, mix.father},   {Hypothesis::kMother, mix.mother},
      {Hypothesis::kChild, mix.child},     {Hypothesis::kSibling, mix.sibling}, {Hypothesis::kSelf, mix.self}};
  uint32_t present = 0;
  for (auto [h, n] : kinds) {
    b.Reserve(h, n);
    present += n > 0;
  }
  BenchData out;
  std::vector<std::vector<Genotype>> missing;
  uint32_t family = 0;  // families are numbered in kind order, as the database's segments are
  uint32_t kind_index = 0;
  for (auto [h, n] : kinds) {
    if (n == 0) continue;
    // This kind's share of the planted families, evenly spaced through its rows.
    const uint32_t share = std::min<uint32_t>(n, planted / present + (kind_index++ < planted % present ? 1 : 0));
    const uint32_t step = share ? n / share : 0;
    for (uint32_t i = 0; i < n; ++i, ++family) {
      if (share && i % step == 0 && i / step < share) {
        Simulator::Family f = sim.MakeFamily(h);
        b.AddFamily("", h, f.first, f.second);
        missing.push_back(sim.ToQuery(f.missing, model.num_loci()));
        out.truth.push_back(family);
      } else if (h == Hypothesis::kParents) {
        b.AddFamily("", h, sim.Founder(), sim.Founder());
      } else {
        b.AddFamily("", h, sim.Founder());
      }
    }
  }
  out.db = std::move(b).Build();
  out.queries = std::move(missing);
  for (uint32_t i = 0; i < strangers; ++i) out.queries.push_back(sim.ToQuery(sim.Founder(), model.num_loci()));
  return out;
}

namespace {

std::string Cells(const AlleleFrequencies& f, const std::vector<int>& loci, const std::vector<Genotype>& g) {
  std::string s;
  for (size_t i = 0; i < loci.size(); ++i) {
    s += ',';
    if (!g[i].typed()) continue;
    const auto& t = f.locus(loci[i]).tenths;
    s += FormatAllele(t[g[i].a]) + "/" + FormatAllele(t[g[i].b]);
  }
  return s;
}

}  // namespace

void WriteCsv(const AlleleFrequencies& f, const KinshipModel& model, const std::vector<int>& loci,
              uint32_t families, uint32_t queries, uint64_t seed, const std::string& dir) {
  Simulator sim(model, loci, seed);
  std::string header = "profile_id,family_id,relation";
  for (int l : loci) header += "," + f.locus(l).name;
  std::ofstream refs(dir + "/refs.csv"), qs(dir + "/queries.csv");
  refs << header << '\n';
  qs << header << '\n';
  // Families cycle through: both parents; father; mother; sibling (two siblings typed); child; parent + sibling.
  for (uint32_t i = 0; i < families; ++i) {
    const std::string fam = fmt::format("F{:07d}", i);
    std::vector<Genotype> father = sim.Founder(), mother = sim.Founder();
    std::vector<Genotype> missing = sim.Child(father, mother);
    auto row = [&](const char* relation, int k, std::vector<Genotype> g) {
      sim.DropLoci(&g, 0.05);
      refs << fam << '_' << k << ',' << fam << ',' << relation << Cells(f, loci, g) << '\n';
    };
    switch (i % 6) {
      case 0: row("father", 1, father), row("mother", 2, mother); break;
      case 1: row("father", 1, father); break;
      case 2: row("mother", 1, mother); break;
      case 3: row("sibling", 1, sim.Child(father, mother)), row("sibling", 2, sim.Child(father, mother)); break;
      case 4: row("child", 1, sim.Child(missing, sim.Founder())); break;
      case 5: row("parent", 1, mother), row("sibling", 2, sim.Child(father, mother)); break;
    }
    if (i < queries / 2) qs << fmt::format("Q{:07d},,", i) << Cells(f, loci, missing) << '\n';
  }
  for (uint32_t i = queries / 2; i < queries; ++i) {
    qs << fmt::format("S{:07d},,", i) << Cells(f, loci, sim.Founder()) << '\n';
  }
}

}  // namespace doudi::dna::bench
