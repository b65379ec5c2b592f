// InstitutionService: the supervision of foster-care institutions and designated hospitals (DOMAIN.md §4 托养)
// — the registry of institutions, inspections with a scored checklist and photos, and rectification orders
// followed up until closed.
//
// - Scope: an institution's division_code is its scope; inspections and rectifications carry their
//   institution's. A record outside the actor's scope is NotFound, like a missing one.
// - Audit: every mutation appends one row inside its own write transaction ("rescue.institution.create" ...).
// - Optimistic locking: corrections and follow-ups take the version read; a mismatch is 409.
// - Nothing is deleted: a correction needs a reason and leaves the previous version in the history.
// - Deadlines given as N working days are computed with common/calendar.h from the order's issue date.
// - Placed persons: the station workflow (placements) owns them; it plugs a PlacementCounter in. Until it does,
//   every institution shows 0.
//
// Permissions (institution.read / institution.write) are checked by the router (institution_routes.cc).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/calendar.h"
#include "common/divisions.h"
#include "common/status.h"
#include "db/db.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "registry/service.h"
#include "rescue/deadlines.h"
#include "rescue/institution_model.h"
#include "rescue/photos.h"

namespace doudi::rescue {

using registry::Actor;
using registry::Page;

// Persons placed now in each of the given institutions (institution id -> count; absent = 0). Implemented by
// the station workflow's placement records; see InstitutionService::SetPlacementCounter.
using PlacementCounter = std::function<Result<std::map<int64_t, int64_t>>(const std::vector<int64_t>& institution_ids)>;

struct InstitutionQuery {
  std::string name;      // part of the name
  std::string kind;      // foster_care | hospital | ""
  std::string division;  // division-code prefix
  std::string status;    // active | suspended | ended | ""
  bool contract_expiring = false;  // only contracts ending within kContractWarningDays (or ended)
  int page = 1, size = 20;
};

struct RectificationQuery {
  int64_t institution_id = 0;  // 0 = any
  std::string state;           // open | submitted | closed | reopened | "active" (not closed) | ""
  bool overdue = false;        // only awaiting the institution and past the deadline
  std::string due_before;      // YYYY-MM-DD: deadline on or before (not closed)
  int page = 1, size = 20;
};

// Limits of an inspection photo (the file itself: kMaxPhotoBytes, photos.h).
inline constexpr int kMaxPhotosPerInspection = 30;
// A contract ending within this many days is flagged "expiring".
inline constexpr int kContractWarningDays = 30;

class InstitutionService {
 public:
  InstitutionService(db::Database& db, platform::AuditLog& audit, const Divisions& divisions = Divisions::Default(),
                     const WorkCalendar& calendar = WorkCalendar::Default(),
                     platform::Clock clock = platform::SystemClock());

  // The station workflow calls this once at startup (app.cc) with its count of current placements.
  void SetPlacementCounter(PlacementCounter counter) { placements_ = std::move(counter); }

  // --- institutions ---
  Result<Institution> CreateInstitution(const Actor& actor, InstitutionFields fields);
  Result<Institution> GetInstitution(const Actor& actor, int64_t id);
  // A correction: all fields replaced, the previous version kept with the reason (>= 2 characters).
  Result<Institution> CorrectInstitution(const Actor& actor, int64_t id, int64_t version, InstitutionFields fields,
                                         const std::string& reason);
  Result<Page<Institution>> SearchInstitutions(const Actor& actor, const InstitutionQuery& q);
  Result<std::vector<HistoryEntry>> History(const Actor& actor, const std::string& object_type, int64_t id);

  // --- inspections ---
  Result<Inspection> CreateInspection(const Actor& actor, int64_t institution_id, InspectionFields fields);
  Result<Inspection> GetInspection(const Actor& actor, int64_t id);  // with photos and rectifications
  Result<Inspection> CorrectInspection(const Actor& actor, int64_t id, int64_t version, InspectionFields fields,
                                       const std::string& reason);
  Result<std::vector<Inspection>> InspectionsOf(const Actor& actor, int64_t institution_id);  // newest first

  // A photo (JPEG, PNG or WebP by its magic bytes, <= kMaxPhotoBytes) attached to an inspection.
  Result<InspectionPhoto> AddPhoto(const Actor& actor, int64_t inspection_id, const std::string& file_name,
                                   const std::string& content_type, const std::string& bytes,
                                   const std::string& caption);
  // The photo and its bytes.
  Result<std::pair<InspectionPhoto, std::string>> GetPhoto(const Actor& actor, int64_t photo_id);

  // --- rectifications ---
  Result<Rectification> OrderRectification(const Actor& actor, int64_t inspection_id, NewRectification order);
  Result<Rectification> GetRectification(const Actor& actor, int64_t id);  // with its events
  // A follow-up entry: action submit | verify | reopen | extend | note (rectification_rules.h). reopen and
  // extend may set a new deadline (new_deadline or new_working_days from today); reopen, extend and note need a
  // note.
  Result<Rectification> FollowUp(const Actor& actor, int64_t id, int64_t version, const std::string& action,
                                 const std::string& note, const std::string& new_deadline,
                                 std::optional<int> new_working_days);
  Result<Page<Rectification>> SearchRectifications(const Actor& actor, const RectificationQuery& q);

  // --- for the station workflow (wired in app.cc) ---
  // The work queue's rectification items (kind "rectification", object_type "rectification"): every order in
  // the principal's scope that the institution must still act on (open, reopened), due on its deadline, in the
  // queue of the supervisor who issued it.
  Result<std::vector<DeadlineItem>> RectificationDeadlines(const platform::Principal& principal, TimePoint now);
  // A placement must name a registered institution of the right kind (the workflow's "institution" is a
  // foster-care institution, "hospital" a designated hospital) that has not ended its cooperation.
  Status CheckPlacementTarget(int64_t institution_id, const std::string& placement_kind);

  const Divisions& divisions() const { return divisions_; }
  std::string Today() const;

 private:
  std::string Now() const;
  platform::AuditEvent Event(const Actor& actor, std::string action, std::string object_type, int64_t object_id,
                             std::string detail) const;
  Status ValidateInstitution(InstitutionFields& f) const;
  Status ValidateInspection(InspectionFields& f) const;
  Status FillPlacements(std::vector<Institution*> institutions) const;

  db::Database& db_;
  platform::AuditLog& audit_;
  const Divisions& divisions_;
  const WorkCalendar& calendar_;
  platform::Clock clock_;
  PlacementCounter placements_;
};

}  // namespace doudi::rescue
