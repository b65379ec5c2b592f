// Administrative divisions (行政区划, GB/T 2260 and the NBS statistical codes) to township level.
//
// Codes: province 2 digits, city 4, county 6, township 9 (village 12 is accepted as a prefix-extension of a
// township). Loaded from the embedded data/divisions/*.csv (NBS 2023) plus data/divisions/historical.csv,
// which lists codes that were valid until a date (e.g. 421023 监利县 until 2020-06, now 421088 监利市).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace doudi {

struct Division {
  std::string code;
  std::string name;
  std::string parent;        // "" for a province
  int level = 0;             // 1 province, 2 city, 3 county, 4 township
  std::string valid_until;   // "" = current; else the last day it was valid (YYYY-MM-DD)
};

class Divisions {
 public:
  // The embedded national table (loaded once, thread-safe).
  static const Divisions& Default();
  // Builds from CSV texts (for tests). Historical may be empty.
  static Result<Divisions> FromCsv(std::string_view provinces, std::string_view cities, std::string_view areas,
                                   std::string_view streets, std::string_view historical);

  const Division* Find(std::string_view code) const;
  // True if `code` names a division that existed on `date` (YYYY-MM-DD; empty = today/current only).
  bool ValidOn(std::string_view code, std::string_view date) const;
  // "湖北省 荆州市 沙市区 中山路街道"
  std::string FullName(std::string_view code) const;
  std::vector<const Division*> Children(std::string_view code) const;  // "" = provinces
  // Checks a code a user entered: known and current (field name for the error).
  Status CheckCurrent(std::string_view code, const std::string& field) const;
  size_t size() const { return all_.size(); }

 private:
  std::vector<Division> all_;  // sorted by code
};

}  // namespace doudi
