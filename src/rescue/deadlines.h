// The statutory time limits of a rescue case (DOMAIN.md §4) and the work queue item they produce.
//
// For a case still in the station (rules documented in docs/rescue.md):
//   notice           unidentified, no notice published yet: due 24 hours after intake
//   dna_request      unidentified, no DNA request made: due 7 working days after the intake day (holidays and
//                    调休 from common/calendar.h)
//   stay_limit       aged 16 or more (by birth date, else the estimate; unknown age counts as 16+) and no
//                    mental or intellectual disability: due 10 days after the intake day, or on the approved
//                    extension's date
//   notice_refresh   a published notice of an unidentified person: due 1 month after its publication or last
//                    refresh
//   settlement       unidentified and no settlement (落户) path started: due 3 months after the intake day
// Other modules add their own items (e.g. rectification deadlines) through a DeadlineSource (service.h).
// Pure: no database, so the rules are tested on their own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/calendar.h"
#include "common/time.h"

namespace doudi::rescue {

struct DeadlineItem {
  std::string kind;         // notice | dna_request | stay_limit | notice_refresh | settlement | (another source's)
  std::string source = "rescue";
  std::string object_type;  // "case", or another source's object ("rectification")
  int64_t object_id = 0;
  int64_t case_id = 0;      // 0 when not about a case
  std::string station_division;
  int64_t assignee_id = 0;  // whose queue (0: the station's only)
  std::string title;        // Chinese, for the list
  std::string due_date;     // YYYY-MM-DD (Asia/Shanghai); the last day to act
  std::string due_at;       // UTC time for limits in hours ("" otherwise)
  std::string state;        // overdue | due (today or within the warning window) | upcoming
  int days_left = 0;        // due_date - today (negative when overdue)
};

// What the rules need to know about a case.
struct CaseClock {
  int64_t case_id = 0;
  std::string station_division;
  int64_t assignee_id = 0;
  std::string label;          // name or "无名氏", for titles
  TimePoint intake_at;
  bool identified = false;
  std::optional<int> age_at_intake;  // years
  bool mental_disability = false;
  bool notice_published = false;
  std::string notice_last_published_on;  // date of publication or last refresh ("" if never)
  bool dna_requested = false;
  bool settlement_started = false;
  std::string extension_until;  // approved extension's last day ("" if none)
};

// Calendar arithmetic the rules use.
Date AddMonths(Date d, int months);  // same day of month, clamped to the month's last day

// The deadlines of one open case as of `now`, in due order; warn_days: items due within this many days are
// "due", later ones "upcoming".
std::vector<DeadlineItem> CaseDeadlines(const CaseClock& c, TimePoint now, const WorkCalendar& cal,
                                        int warn_days = 3);

// Fills state and days_left of an item from its due_date (and due_at) as of now.
void ClassifyDeadline(DeadlineItem& item, TimePoint now, int warn_days = 3);

// The age in whole years on `on` of someone born on `birth` (YYYY-MM-DD); nullopt if birth does not parse.
std::optional<int> AgeOn(const std::string& birth, Date on);

}  // namespace doudi::rescue
