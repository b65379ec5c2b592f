#include "tracing/dna/cli.h"

#include <cmath>
#include <filesystem>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tracing/cli_test_dir.h"
#include "tracing/dna/simulate.h"

namespace doudi::dna {
namespace {

namespace fs = std::filesystem;

using DnaCli = doudi::testing::CliTestDir;

// A profile row for the simulated genotypes over the first `loci` loci of the embedded table.
std::string Row(const AlleleFrequencies& f, const std::string& id, const std::string& family,
                const std::string& relation, const std::vector<Genotype>& g) {
  std::string row = id + "," + family + "," + relation;
  for (size_t l = 0; l < g.size(); ++l) {
    row += ",";
    if (g[l].typed()) {
      row += FormatAllele(f.locus(l).tenths[g[l].a]) + "/" + FormatAllele(f.locus(l).tenths[g[l].b]);
    }
  }
  return row + "\n";
}

struct Files {
  std::string refs, queries;
};

// 28 families (4 of each hypothesis), queries: the missing persons of families 0..6 and a stranger.
Files Simulate(int loci) {
  auto f = *AlleleFrequencies::Default();
  auto model = *KinshipModel::Build(f, {MutationModel::kStepwise, 0.002});
  std::vector<int> ids(loci);
  for (int i = 0; i < loci; ++i) ids[i] = i;
  Simulator sim(model, ids, 2024);
  std::string header = "profile_id,family_id,relation";
  for (int l = 0; l < loci; ++l) header += "," + f.locus(l).name;
  Files out{header + "\n", header + "\n"};
  const char* names[] = {"parents", "father", "mother", "parent", "child", "sibling", "self"};
  for (int i = 0; i < 28; ++i) {
    const auto h = static_cast<Hypothesis>(i % kNumHypotheses);
    auto fam = sim.MakeFamily(h);
    const std::string id = fmt::format("FAM{:02d}_{}", i, names[i % kNumHypotheses]);
    if (h == Hypothesis::kParents) {
      out.refs += Row(f, id + "_f", id, "father", fam.first) + Row(f, id + "_m", id, "mother", fam.second);
    } else {
      out.refs += Row(f, id + "_r", id, std::string(RelationName(static_cast<Relation>(
                                                  h == Hypothesis::kFather    ? Relation::kFather
                                                  : h == Hypothesis::kMother  ? Relation::kMother
                                                  : h == Hypothesis::kParent  ? Relation::kParent
                                                  : h == Hypothesis::kChild   ? Relation::kChild
                                                  : h == Hypothesis::kSibling ? Relation::kSibling
                                                                              : Relation::kSelf))),
                      fam.first);
    }
    if (i < 7) out.queries += Row(f, fmt::format("Q{}", i), "", "", fam.missing);
  }
  out.queries += Row(f, "Q_stranger", "", "", sim.Founder());
  return out;
}

TEST_F(DnaCli, SearchWritesRankedCandidatesWithExplanations) {
  Files files = Simulate(20);
  DnaSearchOptions o;
  o.refs_path = Write("refs.csv", files.refs);
  o.queries_path = Write("q.csv", files.queries);
  o.out_path = Path("out.jsonl");
  o.top = 3;
  o.mutation = "stepwise";
  ASSERT_EQ(RunDnaSearch(o), 0);
  auto lines = ReadLines(o.out_path);
  ASSERT_EQ(lines.size(), 8u * 3);
  EXPECT_TRUE(ReadAll(o.out_path).starts_with(R"({"query":"Q0","family_id":"FAM00_parents","hypothesis":"parents",)"));
  const char* hypotheses[] = {"parents", "father", "mother", "parent", "child", "sibling", "self"};
  for (int q = 0; q < 8; ++q) {
    for (int r = 0; r < 3; ++r) {
      const auto& j = lines[q * 3 + r];
      EXPECT_EQ(j["query"], q < 7 ? fmt::format("Q{}", q) : "Q_stranger");
      for (const char* key : {"family_id", "hypothesis", "log10_lr", "posterior", "conclusion", "loci_compared",
                              "inconsistent_loci", "per_locus"}) {
        EXPECT_TRUE(j.contains(key)) << key;
      }
      if (r > 0 && !j["log10_lr"].is_null()) {
        EXPECT_LE(j["log10_lr"].get<double>(), lines[q * 3 + r - 1]["log10_lr"].get<double>());
      }
      if (!j["log10_lr"].is_null()) {
        double sum = 0;
        for (const auto& l : j["per_locus"]) sum += std::log10(l["lr"].get<double>());
        EXPECT_NEAR(sum, j["log10_lr"].get<double>(), 1e-9);
      }
      EXPECT_EQ(j["per_locus"].size(), j["loci_compared"].get<size_t>());
    }
    if (q < 7) {  // the true family first, under the hypothesis its members allow
      const auto& best = lines[q * 3];
      EXPECT_EQ(best["family_id"], fmt::format("FAM{:02d}_{}", q, hypotheses[q]));
      EXPECT_EQ(best["hypothesis"], hypotheses[q]);
      EXPECT_EQ(best["per_locus"][0]["locus"], "D6S1017");  // the first locus column
    }
  }
  EXPECT_NE(lines[7 * 3]["conclusion"], "supported");  // the stranger
}

TEST_F(DnaCli, BadRowsAreReportedAndDoNotChangeTheOthersResults) {
  Files files = Simulate(12);
  DnaSearchOptions o;
  o.queries_path = Write("q.csv", files.queries);
  o.top = 5;
  o.mutation = "equal";  // its rate depends on the number of alleles: an allele leaked from a bad row would show
  o.refs_path = Write("refs.csv", files.refs);
  o.out_path = Path("clean.jsonl");
  ASSERT_EQ(RunDnaSearch(o), 0);

  // The same references with bad rows among them: an allele "40" (not in the table) next to a malformed cell,
  // an unknown relation, a ragged row, a second father for family 1; and an unknown locus column.
  std::string refs = files.refs;
  size_t eol = refs.find('\n');
  std::string header = refs.substr(0, eol) + ",D99S999";
  std::string body;
  std::istringstream rows(refs.substr(eol + 1));
  int n = 0;
  for (std::string line; std::getline(rows, line); ++n) {
    body += line + ",1/2\n";
    if (n == 3) body += "BAD1,FAM90,father,40/40,x/y,,,,,,,,,,,1/2\n";
    if (n == 5) body += "BAD2,FAM91,uncle,,,,,,,,,,,,,\n";
    if (n == 7) body += "BAD3,FAM92,father,1/1\n";
  }
  body += "BAD4,FAM01_father,father,15/16,,,,,,,,,,,,\n";
  o.refs_path = Write("refs_bad.csv", header + "\n" + body);
  o.out_path = Path("bad.jsonl");
  o.rejects_path = Path("rejects.csv");
  ASSERT_EQ(RunDnaSearch(o), 2);
  EXPECT_EQ(ReadAll(Path("bad.jsonl")), ReadAll(Path("clean.jsonl")));
  std::string rejects = ReadAll(o.rejects_path);
  for (const char* want : {",1,D99S999,dna.csv.unknown_locus,", ",6,D1S1627,dna.profile.genotype,",
                           ",9,relation,dna.profile.relation,", ",12,-,dna.csv.ragged_row,",
                           "dna.family.parents"}) {
    EXPECT_NE(rejects.find(want), std::string::npos) << want << "\n" << rejects;
  }
}

TEST_F(DnaCli, FatalProblemsStopWithExitCodeOne) {
  Files files = Simulate(5);
  DnaSearchOptions o;
  o.refs_path = Write("refs.csv", files.refs);
  o.queries_path = Write("q.csv", files.queries);
  o.out_path = Path("out.jsonl");
  DnaSearchOptions missing = o;
  missing.refs_path = Path("nope.csv");
  EXPECT_EQ(RunDnaSearch(missing), 1);
  DnaSearchOptions empty = o;
  empty.queries_path = Write("empty.csv", "");
  EXPECT_EQ(RunDnaSearch(empty), 1);
  DnaSearchOptions freq = o;
  freq.freq_path = Write("freq.csv", "locus,allele,frequency\nD6S1017,8,0.5\nD6S1017,9,0.2\n");
  EXPECT_EQ(RunDnaSearch(freq), 1);
  DnaSearchOptions model = o;
  model.mutation = "random";
  EXPECT_EQ(RunDnaSearch(model), 1);
  EXPECT_FALSE(fs::exists(o.out_path));
}

}  // namespace
}  // namespace doudi::dna
