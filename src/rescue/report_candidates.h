// The candidates a missing-person report has on unidentified persons (docs/rescue.md "Screens and exports"): the
// engines store them on the cases with candidate_ref "missing_report:<id>"; the report page lists them best first,
// so that the family's caseworker sees where a possible match is. A case in the user's scope comes with its
// details and id (to open the case page and confirm or reject there); a case of another station only with the
// station's name, the source, score and decision, so that the caseworker knows whom to call. Reading the list is
// reading the report: its scope (404 outside) and its audited view.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/divisions.h"
#include "common/status.h"
#include "db/db.h"
#include "rescue/missing_reports.h"

namespace doudi::rescue {

struct ReportCandidate {
  int64_t id = 0;
  std::string source;  // dna | face | attribute
  double score = 0;
  std::string status;  // open | confirmed | rejected
  std::string reason;
  std::string tier;  // the explanation's tier: dna_supported | ranked | ""
  std::string station_division;
  bool in_scope = false;
  // Only in scope:
  int64_t case_id = 0;
  std::string name;
  int sex = 0;
  std::optional<int> estimated_age;
  std::string intake_at;
  std::string case_status;
};

class ReportCandidates {
 public:
  ReportCandidates(db::Database& db, MissingReportService& reports) : db_(db), reports_(reports) {}
  Result<std::vector<ReportCandidate>> List(const Actor& actor, int64_t report_id);

 private:
  db::Database& db_;
  MissingReportService& reports_;
};

nlohmann::json ReportCandidateJson(const ReportCandidate& c, const Divisions& divisions);

}  // namespace doudi::rescue
