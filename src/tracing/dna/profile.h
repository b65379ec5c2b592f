// STR profiles: a person's genotype at each typed locus, and the CSV files caseworkers exchange them in.
//
// A profile file has the header `profile_id,family_id,relation,<locus>,<locus>,...`; a locus cell is `a/b`
// (`15/15` for a homozygote, `9.3/10` with a microvariant) or empty when the locus was not typed. Reference
// profiles are family members of a missing person: family_id groups them and relation says how each is related
// to the missing person (father, mother, parent, sibling, child, self). Query profiles are unidentified persons:
// family_id and relation may be empty.
//
// A bad row is rejected with an error naming its line and field and the others are kept: nothing from a
// rejected row reaches the allele table either, so one bad row cannot shift the others' results.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "tracing/dna/frequencies.h"

namespace doudi::dna {

// A genotype at one locus: two allele indices of that locus with a ≤ b, or {0, 0} when not typed.
struct Genotype {
  uint8_t a = 0;
  uint8_t b = 0;
  static Genotype Of(int x, int y) {
    return x <= y ? Genotype{static_cast<uint8_t>(x), static_cast<uint8_t>(y)}
                  : Genotype{static_cast<uint8_t>(y), static_cast<uint8_t>(x)};
  }
  bool typed() const { return a != 0; }
  bool homozygous() const { return a == b; }
  bool operator==(const Genotype&) const = default;
};

// How a reference person is related to the missing person.
enum class Relation : uint8_t { kSelf, kFather, kMother, kParent, kSibling, kChild };

// English names as above, or the Chinese ones caseworkers write (父亲, 母亲, 父母, 兄弟姐妹, 子女, 本人 ...).
Result<Relation> ParseRelation(std::string_view text);
std::string_view RelationName(Relation relation);

struct Profile {
  std::string id;
  std::string family_id;
  std::optional<Relation> relation;
  int line = 0;                     // line of the CSV record
  std::vector<Genotype> genotypes;  // indexed by the frequency table's locus index; untyped = {0, 0}
  int typed_loci() const;
};

// One rejected row or column: which line and field, and why.
struct RowError {
  int line = 0;
  std::string field;
  std::string code;
  std::string message;  // Chinese, already naming the line and field
};

struct ProfileSet {
  std::vector<int> loci;  // the frequency table's locus indices of the file's locus columns, in column order
  std::vector<Profile> profiles;
  std::vector<RowError> rejected;
};

enum class ProfileKind { kReference, kQuery };

// Parses a profile CSV, interning alleles the table does not list (at its minimum frequency). Fails as a whole
// only when the file cannot be read as a profile table (empty, header without profile_id/family_id/relation or
// without a known locus, broken quoting); a locus column the table does not know is reported in `rejected` and
// ignored; any other problem rejects just its row, including (for references) a second father or mother in a
// family, or a third parent.
Result<ProfileSet> ParseProfiles(std::string_view csv, ProfileKind kind, AlleleFrequencies* frequencies);

}  // namespace doudi::dna
