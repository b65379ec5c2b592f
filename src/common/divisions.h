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
  std::string valid_from;    // "" = not known / always; else the first day it was valid
  std::string successor;     // for a historical code: the code that replaced it
  // An NBS statistical-only code (county-level digits 5–6 are 71–79, e.g. 421071 开发区): townships hang under
  // it, but it is not a GB/T 2260 code and never appears in an ID number.
  bool statistical = false;
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
  // Its ancestors must exist on that date too. A 12-digit village code is judged by its township.
  bool ValidOn(std::string_view code, std::string_view date) const;
  // True if `code` was in use at some time on or after `date`: it had not been retired before then (it may have
  // been created later). This is the test for an ID number's address code against the birth date, because the
  // code is that of the first registration, which can be years after birth.
  bool InUseOnOrAfter(std::string_view code, std::string_view date) const;
  // "湖北省 荆州市 沙市区 中山街道"; placeholder levels (市辖区, 省直辖县级行政区划 ...) are left out; "" if unknown.
  std::string FullName(std::string_view code) const;
  // The current divisions directly under `code` ("" = provinces), by code; historical ones are left out (reach
  // them with Find).
  std::vector<const Division*> Children(std::string_view code) const;
  // Checks a code a user entered: known and current (field name for the error). Errors: "division.format",
  // "division.unknown", "division.historical" (the message names the successor).
  Status CheckCurrent(std::string_view code, const std::string& field) const;
  size_t size() const { return all_.size(); }

 private:
  std::vector<Division> all_;  // sorted by code
};

}  // namespace doudi
