// Allele frequencies of autosomal STR loci: the population data every kinship likelihood ratio rests on.
//
// A table lists, per locus, allele designations ("15", "9.3") with their frequencies. On load each locus is
// normalised to sum to 1 (the published tables are rounded), then every frequency is raised to a minimum
// 5/(2N) (NRC II, recommendation 4.3; N configurable) without normalising again, which keeps rare alleles
// conservative. Alleles seen in profiles but absent from the table are added at that minimum (Intern).
//
// Within a locus an allele is known by a small index: 1..n (0 means "not typed"), ordered by descending
// frequency so that the common alleles sit together in the search tables. A profile stores one byte per
// allele index, so a locus holds at most 255 alleles.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace doudi::dna {

inline constexpr int kMaxAllelesPerLocus = 255;

// An allele designation in tenths of a repeat: "15" → 150, "9.3" → 93. Accepts 1–3 digits with an optional
// one-digit microvariant; anything else is "dna.allele.malformed".
Result<int> ParseAllele(std::string_view text);
std::string FormatAllele(int tenths);

// A locus name reduced for matching: upper case, without spaces, '_' and '-' ("Penta E" = "PENTAE" = "PentaE").
std::string LocusKey(std::string_view name);

struct FrequencyOptions {
  int sample_size = 5000;       // N of the minimum frequency 5/(2N)
  double min_frequency = 0;     // overrides 5/(2N) when > 0
  double sum_tolerance = 0.05;  // a locus whose listed frequencies sum outside 1 ± this is an error
  double MinFrequency() const { return min_frequency > 0 ? min_frequency : 5.0 / (2.0 * sample_size); }
};

struct LocusAlleles {
  std::string name;
  std::vector<int> tenths;        // [index] → designation; index 0 unused
  std::vector<double> frequency;  // [index] → frequency after normalising and the minimum; [0] = 0
  int listed = 0;                 // alleles 1..listed come from the table, the rest were added by Intern
  int size() const { return static_cast<int>(tenths.size()) - 1; }  // n, the number of alleles
};

class AlleleFrequencies {
 public:
  // Parses a `locus,allele,frequency` CSV ('#' lines are comments). Every problem is reported, not only the
  // first: the returned Status names the line and field of the first and lists all in details().
  static Result<AlleleFrequencies> Parse(std::string_view csv, const FrequencyOptions& options = {});
  // The embedded table data/str/str_allele_freq_chinese.csv.
  static Result<AlleleFrequencies> Default(const FrequencyOptions& options = {});

  int num_loci() const { return static_cast<int>(loci_.size()); }
  const LocusAlleles& locus(int i) const { return loci_[i]; }
  // The locus index for a name (matched by LocusKey), or -1.
  int FindLocus(std::string_view name) const;
  // The index of an allele at a locus, or 0 when the table does not have it.
  int Find(int locus, int tenths) const;
  // Like Find, but adds an unlisted allele at the minimum frequency; "dna.allele.too_many" past 255 alleles.
  // Not thread-safe: intern every profile before building a KinshipModel and searching.
  Result<int> Intern(int locus, int tenths);
  double min_frequency() const { return min_frequency_; }

 private:
  std::vector<LocusAlleles> loci_;
  double min_frequency_ = 0;
};

}  // namespace doudi::dna
