// The rescue module's SQL over a db::Conn: cases, their versions, belongings, care records, placements,
// notices, DNA requests and candidates. No rules and no scope decisions beyond the filter the service passes
// (ScopeFilter). The same SQL runs on SQLite and PostgreSQL.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "db/db.h"
#include "platform/data_scope.h"
#include "platform/principal.h"
#include "rescue/model.h"

namespace doudi::rescue::store {

// Which cases a caller sees: the platform's one data-scope rule (platform/data_scope.h, Principal::InScope), as
// SQL over station_division and created_by.
using ScopeFilter = platform::DataScope;
ScopeFilter ScopeOf(const platform::Principal& p);

// Cases.
Result<int64_t> InsertCase(db::Conn& c, const Case& k);
Result<std::optional<Case>> GetCase(db::Conn& c, int64_t id);
// Writes every column of k and sets version = expected + 1; false if (id, expected_version) matched nothing.
Result<bool> UpdateCase(db::Conn& c, const Case& k, int64_t expected_version);
// Bumps the case's version and updated_at/by after a change to what hangs off it (belongings, placements, the
// DNA request): concurrent changes of one case then serialise on its row, the loser getting a version conflict.
Status TouchCase(db::Conn& c, Case& k, const std::string& now, int64_t by);
struct CaseFilter {
  ScopeFilter scope;
  std::string status, name_contains;
  bool unidentified_only = false;
  std::optional<int64_t> assignee;  // caseworker_id (or created_by when 0)
  int64_t limit = 20, offset = 0;
};
Result<std::pair<std::vector<Case>, int64_t>> SearchCases(db::Conn& c, const CaseFilter& f);
Result<std::vector<Case>> CasesOfPerson(db::Conn& c, int64_t person_id);
// Cases whose intake_at is in [from, to) (UTC texts), within scope.
Result<std::vector<Case>> CasesIntakeBetween(db::Conn& c, const ScopeFilter& s, const std::string& from,
                                             const std::string& to);

// Cases whose departed_at is in [from, to) (UTC texts), departed (not refused), within scope.
Result<std::vector<Case>> CasesDepartedBetween(db::Conn& c, const ScopeFilter& s, const std::string& from,
                                               const std::string& to);

Status InsertVersion(db::Conn& c, int64_t case_id, const CaseVersion& v);
Result<std::vector<CaseVersion>> Versions(db::Conn& c, int64_t case_id);

// Belongings.
Result<int64_t> InsertBelonging(db::Conn& c, const Belonging& b);
Result<std::vector<Belonging>> Belongings(db::Conn& c, int64_t case_id);
Result<bool> ReturnBelonging(db::Conn& c, int64_t case_id, int64_t id, const std::string& at,
                             const std::string& to, const std::string& signature_ref, int64_t by);

// Care records.
Result<int64_t> InsertCare(db::Conn& c, const CareRecord& r, const std::string& created_at);
Result<std::vector<CareRecord>> CareRecords(db::Conn& c, int64_t case_id);

// Placements.
Result<int64_t> InsertPlacement(db::Conn& c, const Placement& p, const std::string& at, int64_t by);
Result<std::vector<Placement>> Placements(db::Conn& c, int64_t case_id);
Result<std::optional<Placement>> OpenPlacement(db::Conn& c, int64_t case_id);
Status EndPlacement(db::Conn& c, int64_t id, const std::string& end_date, const std::string& reason,
                    const std::string& at, int64_t by);
// Open placements of every given case: case id -> placement.
Result<std::vector<Placement>> OpenPlacements(db::Conn& c);

// Notices.
Result<int64_t> InsertNotice(db::Conn& c, const Notice& n, const std::string& at, int64_t by);
Result<std::optional<Notice>> GetNotice(db::Conn& c, int64_t id);
Result<std::vector<Notice>> NoticesOfCase(db::Conn& c, int64_t case_id);
Result<std::vector<Notice>> Notices(db::Conn& c, const ScopeFilter& s, const std::string& status);
// Writes the notice's fields, status and times; false on a version mismatch.
Result<bool> UpdateNotice(db::Conn& c, const Notice& n, int64_t expected_version, const std::string& at,
                          int64_t by);
Status CloseNotices(db::Conn& c, int64_t case_id, const std::string& at, int64_t by);
// Published notices of in-station cases, newest first.
Result<std::pair<std::vector<Notice>, int64_t>> PublishedNotices(db::Conn& c, int64_t limit, int64_t offset);
Result<int64_t> CountNoticesPublishedBetween(db::Conn& c, const ScopeFilter& s, const std::string& from,
                                             const std::string& to);

// For the deadlines of every in-station case at once: case id -> the last publication or refresh time of its
// published notices ("" when none is published), and the case ids with a DNA request.
struct SearchFlags {
  std::map<int64_t, std::string> last_published;
  std::set<int64_t> dna_requested;
};
Result<SearchFlags> SearchFlagsOfOpenCases(db::Conn& c);

// DNA requests.
Result<int64_t> InsertDna(db::Conn& c, const DnaRequest& d, const std::string& at, int64_t by);
Result<std::optional<DnaRequest>> GetDna(db::Conn& c, int64_t id);
Result<std::vector<DnaRequest>> DnaOfCase(db::Conn& c, int64_t case_id);
Result<bool> UpdateDna(db::Conn& c, const DnaRequest& d, int64_t expected_version, const std::string& at,
                       int64_t by);
Result<int64_t> CountDnaRequestedBetween(db::Conn& c, const ScopeFilter& s, const std::string& from,
                                         const std::string& to);

// Candidates.
Result<int64_t> InsertCandidate(db::Conn& c, const Candidate& k, int64_t by);
Result<std::optional<Candidate>> GetCandidate(db::Conn& c, int64_t id);
Result<std::vector<Candidate>> CandidatesOfCase(db::Conn& c, int64_t case_id);  // best first
Result<bool> DecideCandidate(db::Conn& c, int64_t id, const std::string& status, const std::string& reason,
                             int64_t by, const std::string& at);

}  // namespace doudi::rescue::store
