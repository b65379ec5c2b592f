// RescueService: the rescue station's workflow (DOMAIN.md §4) — intake, stay, departure, the family search of
// the unidentified, the deadlines and the numbers. Rules (docs/rescue.md has the full list):
//
// - Scope: a case belongs to its station_division; a user sees and changes only cases inside their data scope
//   (Principal::InScope); a case outside it is NotFound "rescue.case.not_found", as if missing.
// - Registry: every intake is linked to a registry person — found by ID number, or created (unknown identity:
//   "无名氏", estimated age, in the station's division). The person is created in the registry's own transaction before the
//   case's; should the case's then fail, the person stays in the registry unlinked (harmless: no case, no
//   notice). Identity found later updates that person's ID number and
//   name through the registry service (or links the case to the person already registered with the number).
// - Repeat visits: cases of the same registry person form the history (linked by ID number, or for the
//   unidentified by a caseworker's confirmation of the engines' suggestion, repeat_visits.h); repeated vagrancy is
//   flagged at >= kRepeatIntakes intakes within kRepeatWindowDays days up to the case's intake.
// - Nothing is deleted. Corrections replace case fields with a mandatory reason and keep the replaced values
//   as a version (who, when, why); optimistic locking on the case version (409).
// - Audit: every mutation writes its row inside its own transaction (AppendIn); every view of a case appends
//   "rescue.case.view" before the data is returned.
// Permissions (rescue.read/write, tracing.read/write) are checked by the router, as in the registry.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/calendar.h"
#include "common/divisions.h"
#include "common/status.h"
#include "db/db.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/crypto.h"
#include "platform/principal.h"
#include "registry/service.h"
#include "rescue/deadlines.h"
#include "rescue/model.h"

namespace doudi::rescue {

using registry::Actor;

inline constexpr int kRepeatIntakes = 3;
inline constexpr int kRepeatWindowDays = 365;
inline constexpr int kStayLimitDays = 10;

struct RescueOptions {
  // Whether the public notice page may show the photo of a minor (under 18). Off unless the city's policy
  // allows it (DOUDI_RESCUE_PUBLIC_MINOR_PHOTOS=1).
  bool public_minor_photos = false;
  // Printed on notices when a station gives none.
  std::string default_station_contact = "荆州市救助管理站 12345";
  int warn_days = 3;
};

// Another module's deadlines for the work queue: called with the user's principal and the current time, it
// returns the items in that user's scope (kind, object, title, due_date, station_division, assignee); the
// service classifies them (state, days_left) and merges them with its own. Registered at wiring time.
using DeadlineSource = std::function<Result<std::vector<DeadlineItem>>(const platform::Principal&, TimePoint now)>;

// Checks that an institution or designated hospital exists (the institutions registry's service); unset = any
// positive id is accepted.
using InstitutionCheck = std::function<Status(int64_t institution_id, const std::string& kind)>;

// Told of every committed intake (the repeat-visit search of an unidentified person, repeat_visits.h). The intake
// stands whatever the observer does: its own failures are its own (the search can be run again on demand).
using IntakeObserver = std::function<void(const Actor&, const Case&)>;

struct CaseQuery {
  std::string status;  // in_station | departed | refused | ""
  std::string name;    // part of the name
  bool unidentified_only = false;
  int page = 1, size = 20;
};

using CaseList = registry::Page<Case>;

struct Stats {
  std::string from, to;
  int64_t rescues = 0;          // intakes (人次) in the period, refusals excluded
  int64_t persons = 0;          // distinct registry persons among them
  int64_t refused = 0;
  int64_t stranded_center = 0;  // now: in the station, not placed
  int64_t stranded_institution = 0;
  int64_t stranded_hospital = 0;
  int64_t stays_over_10_days = 0;  // cases of the period whose stay passed 10 days (by departure or today)
  int64_t notices_published = 0;   // first publications in the period
  int64_t dna_requests = 0;        // requests made in the period
  int64_t reunions = 0;            // departures to relatives / escorted home in the period
  std::vector<std::pair<std::string, int64_t>> reunions_by_source;  // found_by -> count (every source listed)
};

class RescueService {
 public:
  RescueService(db::Database& db, platform::AuditLog& audit, const platform::Crypto& crypto,
                registry::RegistryService& registry, RescueOptions options = {},
                const WorkCalendar& calendar = WorkCalendar::Default(),
                const Divisions& divisions = Divisions::Default(), platform::Clock clock = platform::SystemClock());

  void AddDeadlineSource(std::string name, DeadlineSource source);
  void SetInstitutionCheck(InstitutionCheck check) { institution_check_ = std::move(check); }
  void AddIntakeObserver(IntakeObserver observer) { intake_observers_.push_back(std::move(observer)); }

  // --- intake and corrections ---
  // Registers an intake; for an unidentified person also the notice draft (due in 24 h). Returns the case.
  Result<Case> Intake(const Actor& actor, NewIntake in);
  Result<Case> GetCase(const Actor& actor, int64_t id);  // audited view
  // The case page: case, belongings, care records, placements, versions, notice, DNA requests, candidates,
  // visit history with the repeated-vagrancy flag, stay countdown, deadlines. Audited view.
  Result<nlohmann::json> CaseDetail(const Actor& actor, int64_t id);
  Result<CaseList> ListCases(const Actor& actor, const CaseQuery& q);
  // Replaces `fields` (CaseFields names) from `values`; reason is mandatory (>= 2 characters).
  Result<Case> Correct(const Actor& actor, int64_t id, int64_t version, const CaseFields& values,
                       const std::vector<std::string>& fields, const std::string& reason);
  Result<std::vector<CaseVersion>> Versions(const Actor& actor, int64_t id);
  // 不予救助: closes an in-station case at intake with the notice's number and reason.
  Result<Case> Refuse(const Actor& actor, int64_t id, const std::string& reason, const std::string& notice_ref);
  // Identity found: the ID number (and name) go to the registry person; notices close.
  Result<Case> Identify(const Actor& actor, int64_t id, const std::string& id_number, const std::string& name,
                        const std::string& found_by);

  // --- stay ---
  Result<Belonging> AddBelonging(const Actor& actor, int64_t case_id, const NewIntake::Belonging& b);
  Result<Belonging> ReturnBelonging(const Actor& actor, int64_t case_id, int64_t belonging_id,
                                    const std::string& returned_to, const std::string& signature_ref);
  Result<CareRecord> AddCare(const Actor& actor, int64_t case_id, CareRecord r);
  // A new placement; an open one is ended on the new start date (a transfer).
  Result<Placement> Place(const Actor& actor, int64_t case_id, Placement p);
  // Ends the open placement (back to the station).
  Result<Placement> EndPlacement(const Actor& actor, int64_t case_id, const std::string& end_date,
                                 const std::string& reason);
  // Persons placed now in each of the given institutions (institution id -> count, absent = 0): the
  // institutions registry's PlacementCounter (InstitutionService::SetPlacementCounter).
  Result<std::map<int64_t, int64_t>> PlacedCounts(const std::vector<int64_t>& institution_ids);
  // Every stranded person in scope and where they are now (station bed/room or the open placement).
  Result<nlohmann::json> Whereabouts(const Actor& actor);
  // Extension of the 10-day stay: a request (until, reason), then approval by another user.
  Result<Case> RequestExtension(const Actor& actor, int64_t case_id, const std::string& until,
                                const std::string& reason);
  Result<Case> ApproveExtension(const Actor& actor, int64_t case_id);
  Result<Case> StartSettlement(const Actor& actor, int64_t case_id, const std::string& started_on,
                               const std::string& note);

  // --- departure ---
  Result<Case> Depart(const Actor& actor, int64_t case_id, Departure d);

  // --- family search ---
  Result<Notice> GetNotice(const Actor& actor, int64_t notice_id);
  Result<std::vector<Notice>> ListNotices(const Actor& actor, const std::string& status);
  // fields: names of the notice's public fields (name, sex, estimated_age, height_cm, features, clothing,
  // found_date, found_place, photo, station_contact).
  Result<Notice> UpdateNotice(const Actor& actor, int64_t notice_id, int64_t version, const Notice& values,
                              const std::vector<std::string>& fields);
  Result<Notice> PublishNotice(const Actor& actor, int64_t notice_id);
  Result<Notice> RefreshNotice(const Actor& actor, int64_t notice_id);
  // Public page: published notices of open cases, never an ID number or health detail.
  Result<std::pair<std::vector<Notice>, int64_t>> PublicNotices(int page, int size);
  Result<Notice> PublicNotice(int64_t notice_id);
  // Export of the published notices in scope: "csv" or "json" text.
  Result<std::string> ExportNotices(const Actor& actor, const std::string& format);
  // The public form of a notice (the minors' photo policy applied).
  nlohmann::json PublicNoticeJson(const Notice& n) const;

  Result<DnaRequest> RequestDna(const Actor& actor, int64_t case_id, const std::string& police_unit,
                                const std::string& requested_on, const std::string& note);
  Result<DnaRequest> RecordDnaSample(const Actor& actor, int64_t request_id, const std::string& sample_ref,
                                     const std::string& sampled_on);
  // result: "match" | "no_match"; result_ref: the STR comparison's reference.
  Result<DnaRequest> RecordDnaResult(const Actor& actor, int64_t request_id, const std::string& result,
                                     const std::string& result_ref, const std::string& result_on);

  Result<Candidate> AddCandidate(const Actor& actor, int64_t case_id, Candidate c);
  Result<std::vector<Candidate>> Candidates(const Actor& actor, int64_t case_id);  // best first
  // decision: "confirmed" | "rejected"; reason mandatory (>= 2 characters).
  Result<Candidate> DecideCandidate(const Actor& actor, int64_t candidate_id, const std::string& decision,
                                    const std::string& reason);

  // --- deadlines and numbers ---
  // scope: "mine" (cases assigned to the user) or "station" (every case in the user's scope).
  Result<std::vector<DeadlineItem>> WorkQueue(const Actor& actor, const std::string& scope);
  Result<Stats> Numbers(const Actor& actor, const std::string& from, const std::string& to);

  const Divisions& divisions() const { return divisions_; }
  // The city's policy on minors' photos on the public page (the photo service serves them).
  bool public_minor_photos() const { return options_.public_minor_photos; }
  TimePoint Now() const { return clock_(); }

 private:
  std::string NowText() const;
  platform::AuditEvent Event(const Actor& actor, std::string action, std::string object_type, int64_t object_id,
                             std::string detail = "") const;
  // The case if it exists and is in the actor's scope.
  Result<Case> LoadCase(db::Conn& c, const Actor& actor, int64_t id) const;
  Result<Case> LoadOpenCase(db::Conn& c, const Actor& actor, int64_t id) const;
  // A change of state of a notice of an open case in the actor's scope: change() checks and edits the notice
  // (given the time now), which is then saved under its version and audited as action, in one transaction.
  Result<Notice> ChangeNotice(const Actor& actor, int64_t notice_id, const std::string& action,
                              const std::function<Status(Notice&, const std::string& now)>& change);
  Result<CaseClock> ClockOf(db::Conn& c, const Case& k) const;
  // The same from the flags of every open case loaded at once (the work queue).
  CaseClock ClockOf(const Case& k, const std::map<int64_t, std::string>& last_published,
                    const std::set<int64_t>& dna_requested) const;
  std::optional<int> AgeAt(const Case& k, Date on) const;

  db::Database& db_;
  platform::AuditLog& audit_;
  const platform::Crypto& crypto_;
  registry::RegistryService& registry_;
  RescueOptions options_;
  const WorkCalendar& calendar_;
  const Divisions& divisions_;
  platform::Clock clock_;
  std::vector<std::pair<std::string, DeadlineSource>> sources_;
  InstitutionCheck institution_check_;
  std::vector<IntakeObserver> intake_observers_;
};

}  // namespace doudi::rescue
