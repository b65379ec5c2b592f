// The persons compared by attribute matching: missing-person reports (寻人登记, from families) and unidentified
// persons (待查人员, found by police or a rescue station), read from CSV and prepared for fast comparison.
//
// Both sides become one Record so that either side can also be matched against itself (duplicate reports). A
// record's age is anchored at its reference date — the date lost for a report, the date found for an unidentified
// person — as an estimated birth year with an uncertainty in years: a birth date is exact (0.1), an age at
// disappearance told by the family is good to a year, and an estimated age of a found person is good to
// 1 + 0.1 × age years (a child's age is guessed within a year or two, an old person's within ten).
//
// CSV columns (header names; any column but the id and the date may be absent, any cell but those may be empty):
//   missing: id,name,sex,birth_date,age_at_lost,lost_date,height_cm,hukou_division,lost_division,dialect,marks
//   found:   id,name,sex,estimated_age,found_date,height_cm,origin_division,found_division,dialect,marks
// sex: 男|女|M|F|male|female|1|2 (empty or 未知 = unknown); dates YYYY-MM-DD; estimated_age "35" or "30-40";
// divisions GB/T 2260 codes of 2, 4, 6, 9 or 12 digits, current or historical (old reports carry old codes).
// A bad row is rejected with its line and field; the others are read all the same.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace doudi::linkage {

enum class Side : uint8_t { kMissing, kFound };
enum class Sex : uint8_t { kUnknown = 0, kMale = 1, kFemale = 2 };

struct Record {
  std::string id;
  Side side = Side::kMissing;
  int line = 0;               // CSV line, for messages
  std::string name;           // as written ("" = unknown)
  Sex sex = Sex::kUnknown;
  int32_t ref_day = 0;        // days since 1970-01-01 of the date lost / found
  float birth_year = 0;       // estimated (fractional) birth year; meaningful when has_birth
  float birth_uncertainty = 0;  // years
  bool has_birth = false;
  float age = -1;             // age in years at ref_day (< 0 unknown)
  float height_cm = 0;        // 0 = unknown; at ref_day
  std::string home;           // hukou (report) or stated origin (found) division code
  std::string place;          // where lost / where found
  std::string dialect;        // accent region, e.g. 西南官话
  std::string marks;          // distinguishing marks, free text
};

struct RowError {
  int line = 0;
  std::string field;
  std::string code;
  std::string message;
};

struct RecordSet {
  std::vector<Record> records;
  std::vector<RowError> rejected;
};

// Reads a CSV of one side. Fails as a whole only when the file cannot be read as a table (empty, no header, no
// id or date column); bad rows go to `rejected` (a row with the wrong number of cells too).
Result<RecordSet> ParseRecords(std::string_view csv, Side side);

// The uncertainty in years of an estimated age of `age` years.
inline float EstimatedAgeUncertainty(float age) { return 1.0f + 0.1f * age; }

}  // namespace doudi::linkage
