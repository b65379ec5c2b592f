// National standard code sets (dictionaries): sex GB/T 2261.1, marital status GB/T 2261.2, ethnicity GB 3304,
// family relationship GB/T 4761, education GB/T 4658, disability category and grade GB/T 26341.
//
// Records store the code ("01"); screens and reports show the name ("汉族"). The defaults are the embedded
// data/codes/<name>.csv files (code,name[,parent]); see data/codes/SOURCE.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace doudi {

struct CodeEntry {
  std::string code;    // kept as text: leading zeros matter ("01")
  std::string name;
  std::string parent;  // the major code a minor code belongs to ("" for a major code)
};

class CodeSet {
 public:
  // Parses `code,name[,parent]` with a header row. `set_name` is used in messages and errors.
  static Result<CodeSet> FromCsv(std::string set_name, std::string_view csv);

  const std::string& name() const { return name_; }
  bool Contains(std::string_view code) const { return Find(code) != nullptr; }
  // The display name of `code`, or "" if the code is not in the set.
  std::string_view Name(std::string_view code) const;
  const CodeEntry* Find(std::string_view code) const;
  // Every entry in file order (the standard's order).
  const std::vector<CodeEntry>& entries() const { return entries_; }
  // A value a user entered: in the set, or "code.unknown" for `field`.
  Status Check(std::string_view code, const std::string& field) const;

 private:
  std::string name_;
  std::vector<CodeEntry> entries_;
};

class CodeSets {
 public:
  // The embedded set data/codes/<name>.csv ("sex", "marital", "ethnicity", "relation", "education",
  // "disability_category", "disability_grade"). An unknown name is a programming error: it gets an empty set
  // (Contains is false for every code) and a message on stderr.
  static const CodeSet& Get(std::string_view name);
  // The names of all embedded sets, sorted.
  static std::vector<std::string> Names();
};

}  // namespace doudi
