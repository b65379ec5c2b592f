// Missing-person reports (寻人登记) entered for families, and the matching of unidentified persons against them
// (DOMAIN.md §4, docs/rescue.md "Matching").
//
// A report names the reporter (phone encrypted, like registry PII), the missing person's identity and the
// circumstances of the loss, and the DNA reference samples the relatives gave: STR profiles as {locus: "a/b"}
// (the cell format of `doudi dna search`) with the relation father | mother | parent | sibling | child | self.
// Reports belong to the registering station's division (scope as for cases: 404 outside). Nothing is deleted;
// a report is closed or marked found. Every mutation and every view is audited.
//
// Matching an unidentified person (a case without identity) runs attribute linkage against every open report,
// DNA kinship of the person's imported STR profile against each report's samples (one family per report), and
// fuses both (tracing/fusion). The top candidates replace the case's unreviewed engine candidates; a confirmed
// or rejected candidate is never touched, nor re-proposed for the same report.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/divisions.h"
#include "common/status.h"
#include "db/db.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/crypto.h"
#include "registry/service.h"
#include "rescue/model.h"

namespace doudi::rescue {

using registry::Actor;

struct DnaSample {
  std::string relation;  // father | mother | parent | sibling | child | self
  std::string name;      // the relative's name ("" allowed)
  nlohmann::json profile = nlohmann::json::object();  // {locus: "a/b"}
};

struct ReportFields {
  std::string reporter_name, reporter_phone, reporter_relation;
  std::string name;
  int sex = 0;  // GB/T 2261.1: 0 unknown, 1 male, 2 female
  std::string birth_date;
  std::optional<int> age_at_lost;
  std::string lost_date;
  std::string lost_division, lost_place, hukou_division;
  std::optional<int> height_cm;
  std::string features, dialect, note;
  std::vector<std::string> photos;
  std::vector<DnaSample> samples;
};

struct MissingReport : ReportFields {
  int64_t id = 0;
  std::string division;
  std::string status;  // open | found | closed
  int64_t version = 0;
  std::string created_at;
  int64_t created_by = 0;
  std::string updated_at;
  int64_t updated_by = 0;
};

struct ReportQuery {
  std::string status;
  std::string name;  // part of the missing person's name
  int page = 1, size = 20;
};

struct MatchResult {
  int64_t case_id = 0;
  int reports_compared = 0;
  std::vector<Candidate> candidates;  // the case's candidates after the run, best first
};

inline constexpr int kMatchTop = 10;

class MissingReportService {
 public:
  MissingReportService(db::Database& db, platform::AuditLog& audit, const platform::Crypto& crypto,
                       const Divisions& divisions = Divisions::Default(),
                       platform::Clock clock = platform::SystemClock());

  // Creates a report (status open) in the user's division, then matches it against the open unidentified cases.
  Result<MissingReport> Create(const Actor& actor, ReportFields in);
  Result<MissingReport> Get(const Actor& actor, int64_t id);  // audited view
  Result<std::pair<std::vector<MissingReport>, int64_t>> List(const Actor& actor, const ReportQuery& q);
  // Replaces every field; optimistic locking on version. Re-matches an open report.
  Result<MissingReport> Update(const Actor& actor, int64_t id, int64_t version, ReportFields in);
  // status: open | found | closed; reason mandatory (>= 2 characters).
  Result<MissingReport> SetStatus(const Actor& actor, int64_t id, int64_t version, const std::string& status,
                                  const std::string& reason);
  // Attaches the STR profile to a DNA request that has its result (or at least its sample), then re-matches.
  Result<DnaRequest> ImportStr(const Actor& actor, int64_t dna_request_id, const nlohmann::json& profile);
  // Matches one unidentified case against every open report.
  Result<MatchResult> MatchCase(const Actor& actor, int64_t case_id);
  // After a photo of a case or report was added, withdrawn or its face changed (PhotoService::SetRematch):
  // re-matches the case if it is unidentified and in station, or every such case for an open report.
  Status AfterPhotoChange(const Actor& actor, const std::string& owner_type, int64_t owner_id);

  // The report as the API shows it (the phone masked unless reveal).
  nlohmann::json ToJson(const MissingReport& r, bool reveal) const;

 private:
  Status Validate(ReportFields& f) const;
  Result<MatchResult> MatchCaseIn(const Actor& actor, int64_t case_id, bool check_scope);
  Status MatchReport(const Actor& actor, int64_t report_id);
  platform::AuditEvent Event(const Actor& actor, std::string action, std::string type, int64_t id,
                             std::string detail = "") const;
  std::string NowText() const;

  db::Database& db_;
  platform::AuditLog& audit_;
  const platform::Crypto& crypto_;
  const Divisions& divisions_;
  platform::Clock clock_;
};

}  // namespace doudi::rescue
