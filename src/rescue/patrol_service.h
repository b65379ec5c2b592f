// PatrolService: street patrol logs (街面巡查). Validation with Chinese field errors (times in order and not in
// the future, a team, places with current division codes and coordinates inside China, encounters with a known
// action and 1..100 persons); counts by action derived from the encounters; data scope by the patrol's
// division (404 outside); an audit row for every mutation; corrections with a reason keep the previous version
// (nothing deleted); optimistic locking (409). Permissions rescue.read / rescue.write are checked by the router.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/divisions.h"
#include "common/status.h"
#include "db/db.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "registry/service.h"
#include "rescue/patrol_model.h"

namespace doudi::rescue {

struct PatrolQuery {
  std::string division;  // division-code prefix
  std::string from, to;  // Shanghai days (YYYY-MM-DD) the patrol started on, inclusive
  std::string member;    // part of a team member's name
  std::string action;    // only patrols with at least one person handled this way
  int page = 1, size = 20;
};

// The actions and their Chinese names, in the order of the form.
const std::vector<std::pair<std::string, std::string>>& PatrolActions();
PatrolCounts CountEncounters(const std::vector<PatrolEncounter>& encounters);

class PatrolService {
 public:
  PatrolService(db::Database& db, platform::AuditLog& audit, const Divisions& divisions = Divisions::Default(),
                platform::Clock clock = platform::SystemClock());

  Result<Patrol> Create(const registry::Actor& actor, PatrolFields fields);
  Result<Patrol> Get(const registry::Actor& actor, int64_t id);
  Result<Patrol> Correct(const registry::Actor& actor, int64_t id, int64_t version, PatrolFields fields,
                         const std::string& reason);
  Result<registry::Page<Patrol>> Search(const registry::Actor& actor, const PatrolQuery& q);
  Result<std::vector<HistoryEntry>> History(const registry::Actor& actor, int64_t id);

  const Divisions& divisions() const { return divisions_; }

 private:
  Status Validate(PatrolFields& f) const;

  db::Database& db_;
  platform::AuditLog& audit_;
  const Divisions& divisions_;
  platform::Clock clock_;
};

}  // namespace doudi::rescue
