// The reference database packed for scanning: family members of missing persons, grouped by family.
//
// Each family is tested under one hypothesis chosen from its members: both parents (father + mother, or two
// "parent"s) give the parents-vs-child LR; otherwise one parent a duo; otherwise a child of the missing person;
// otherwise a sibling (the one typed at most loci); otherwise the person's own profile (self). Members the
// chosen hypothesis does not use are counted, not scored (a joint LR of mixed pedigrees is not computed).
//
// Storage is columnar: families are grouped into one segment per hypothesis, and each segment holds per locus
// one array of uint16 genotypes (allele index a in the low byte, b in the high byte, 0 = not typed); in the
// parents segment a row holds the father's and the mother's genotype side by side, so one 32-bit load brings both.
// A 20-locus reference is 40 bytes; a family's number is its row's position across the segments, so no per-row
// index is stored. Family labels live in one optional string arena.
//
// A segment's columns share one allocation and each starts on a 4 KiB boundary: the scan reads 20 columns side by
// side, and on the machine measured (AMD Zen) streams that cross pages out of step ran half as fast; reading 40
// columns (parents stored member by member) cost a third of the bandwidth.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "tracing/dna/lr.h"
#include "tracing/dna/profile.h"

namespace doudi::dna {

inline uint16_t PackGenotype(Genotype g) { return static_cast<uint16_t>(g.a | (g.b << 8)); }
inline Genotype UnpackGenotype(uint16_t v) { return {static_cast<uint8_t>(v & 0xff), static_cast<uint8_t>(v >> 8)}; }

struct Segment {
  Hypothesis hypothesis = Hypothesis::kParent;
  uint32_t first_family = 0;  // family number of row 0
  uint32_t rows = 0;
  int members = 1;            // genotypes per row: 2 for kParents (father, mother), else 1
  size_t stride = 0;          // uint16 values from one column's start to the next's (rows × members, to 4 KiB)
  size_t num_columns = 0;     // one per locus position
  struct Free {
    void operator()(uint16_t* p) const;
  };
  std::unique_ptr<uint16_t[], Free> data;
  const uint16_t* column(size_t c) const { return data.get() + c * stride; }
};

class ReferenceDatabase {
 public:
  const std::vector<int>& loci() const { return loci_; }  // frequency-table locus index of each locus position
  const std::vector<Segment>& segments() const { return segments_; }
  uint32_t num_families() const { return num_families_; }
  uint64_t num_references() const;  // references stored (members in use)
  // A locus's column: rows × members genotypes, member m of row r at [r · members + m].
  const uint16_t* column(const Segment& s, int locus_position) const { return s.column(locus_position); }
  // The segment holding a family, and the family's row in it.
  const Segment& SegmentOf(uint32_t family, uint32_t* row) const;
  Hypothesis hypothesis(uint32_t family) const;
  // A member's genotypes, indexed by locus position (member 1 exists for kParents only).
  std::vector<Genotype> Genotypes(uint32_t family, int member) const;
  // The family's label, or "#<number>" when the database was built without labels.
  std::string family_label(uint32_t family) const;

  size_t packed_bytes() const;  // the genotype columns as allocated
  size_t label_bytes() const;   // the label arena and its offsets

 private:
  friend class DatabaseBuilder;
  std::vector<int> loci_;
  std::vector<Segment> segments_;
  uint32_t num_families_ = 0;
  std::string labels_;              // concatenated, in family order
  std::vector<uint32_t> label_end_;  // end offset of each family's label; empty when unlabelled
};

// Builds a database family by family; families may come in any order.
class DatabaseBuilder {
 public:
  explicit DatabaseBuilder(std::vector<int> loci);
  // Room for `rows` families of one hypothesis (the large benchmarks use this to avoid regrowth).
  void Reserve(Hypothesis h, size_t rows);
  // One family; genotypes indexed by locus position; `second` only (and required) for kParents. An empty
  // label is allowed only if every family's label is empty.
  void AddFamily(std::string_view label, Hypothesis h, std::span<const Genotype> first,
                 std::span<const Genotype> second = {});
  ReferenceDatabase Build() &&;

 private:
  std::vector<int> loci_;
  struct Pending {
    std::vector<std::vector<uint16_t>> columns;
    std::string labels;
    std::vector<uint32_t> label_end;
    uint32_t rows = 0;
  };
  std::vector<Pending> pending_;  // per hypothesis
  bool labelled_ = false;
};

struct DatabaseStats {
  uint32_t families = 0;
  uint32_t references_used = 0;
  uint32_t references_unused = 0;  // members the family's hypothesis does not use
};

// Groups reference profiles by family_id, picks each family's hypothesis and packs the loci of `refs.loci`.
// ParseProfiles already rejects a family's second father or mother and third parent; for profile sets built
// otherwise, such rows are rejected here (appended to *rejected with their line) and the first ones kept.
ReferenceDatabase BuildReferenceDatabase(const ProfileSet& refs, std::vector<RowError>* rejected,
                                         DatabaseStats* stats = nullptr);

}  // namespace doudi::dna
