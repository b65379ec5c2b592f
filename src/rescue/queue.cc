// RescueService: the case page, the whereabouts of the stranded, the work queue of deadlines and the numbers
// per period.
#include <algorithm>
#include <map>
#include <set>

#include "rescue/internal.h"
#include "rescue/json.h"
#include "rescue/service.h"
#include "rescue/store.h"

namespace doudi::rescue {

using internal::DayOf;

CaseClock RescueService::ClockOf(const Case& k, const std::map<int64_t, std::string>& last_published,
                                 const std::set<int64_t>& dna_requested) const {
  CaseClock clock;
  clock.case_id = k.id;
  clock.station_division = k.station_division;
  clock.assignee_id = k.caseworker_id ? k.caseworker_id : k.created_by;
  clock.label = k.name.empty() ? "无名氏（" + std::to_string(k.id) + " 号）" : k.name;
  auto intake = ParseIsoTime(k.intake_at);
  clock.intake_at = intake.ok() ? *intake : clock_();
  clock.identified = k.identified;
  clock.age_at_intake = AgeAt(k, ShanghaiDate(clock.intake_at));
  clock.mental_disability = k.mental_disability;
  clock.settlement_started = !k.settlement_started_on.empty();
  if (k.extension_approved_by) clock.extension_until = k.extension_until;
  if (auto it = last_published.find(k.id); it != last_published.end() && !it->second.empty()) {
    clock.notice_published = true;
    clock.notice_last_published_on = FormatDate(DayOf(it->second, ShanghaiDate(clock_())));
  }
  clock.dna_requested = dna_requested.count(k.id) > 0;
  return clock;
}

Result<CaseClock> RescueService::ClockOf(db::Conn& c, const Case& k) const {
  std::map<int64_t, std::string> last_published;
  std::set<int64_t> dna_requested;
  DOUDI_ASSIGN_OR_RETURN(auto notices, store::NoticesOfCase(c, k.id));
  for (const auto& n : notices) {
    if (n.published_at.empty()) continue;
    std::string last = std::max(n.published_at, n.refreshed_at);
    last_published[k.id] = std::max(last_published[k.id], last);
  }
  DOUDI_ASSIGN_OR_RETURN(auto dna, store::DnaOfCase(c, k.id));
  if (!dna.empty()) dna_requested.insert(k.id);
  return ClockOf(k, last_published, dna_requested);
}

Result<nlohmann::json> RescueService::CaseDetail(const Actor& actor, int64_t id) {
  nlohmann::json out;
  const TimePoint now = clock_();
  const Date today = ShanghaiDate(now);
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(Case k, LoadCase(c, actor, id));
    out["case"] = CaseJson(k, divisions_);
    auto list = [](auto&& items, auto to_json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& i : items) arr.push_back(to_json(i));
      return arr;
    };
    DOUDI_ASSIGN_OR_RETURN(auto belongings, store::Belongings(c, id));
    out["belongings"] = list(belongings, BelongingJson);
    DOUDI_ASSIGN_OR_RETURN(auto care, store::CareRecords(c, id));
    out["care"] = list(care, CareJson);
    DOUDI_ASSIGN_OR_RETURN(auto placements, store::Placements(c, id));
    out["placements"] = list(placements, PlacementJson);
    DOUDI_ASSIGN_OR_RETURN(auto versions, store::Versions(c, id));
    out["versions"] = list(versions, VersionJson);
    DOUDI_ASSIGN_OR_RETURN(auto notices, store::NoticesOfCase(c, id));
    out["notices"] = list(notices, NoticeJson);
    DOUDI_ASSIGN_OR_RETURN(auto dna, store::DnaOfCase(c, id));
    out["dna_requests"] = list(dna, DnaJson);
    DOUDI_ASSIGN_OR_RETURN(auto candidates, store::CandidatesOfCase(c, id));
    out["candidates"] = list(candidates, CandidateJson);

    // Visits of the same person (any station: the history is what tells a repeat visit), and the flag.
    nlohmann::json history = nlohmann::json::array();
    int recent = 0;
    const Date intake_day = DayOf(k.intake_at, today);
    if (k.person_id > 0) {
      DOUDI_ASSIGN_OR_RETURN(auto visits, store::CasesOfPerson(c, k.person_id));
      for (const auto& v : visits) {
        Date day = DayOf(v.intake_at, today);
        if (day <= intake_day && (intake_day - day).count() < kRepeatWindowDays && v.status != "refused") ++recent;
        if (v.id == k.id) continue;
        bool visible = actor.principal.InScope(v.station_division, v.created_by);
        history.push_back({{"id", v.id},
                           {"intake_at", v.intake_at},
                           {"departed_at", v.departed_at.empty() ? nlohmann::json(nullptr) : nlohmann::json(v.departed_at)},
                           {"status", v.status},
                           {"departure_kind", v.departure_kind},
                           {"station_division", v.station_division},
                           {"station_division_name", divisions_.FullName(v.station_division)},
                           {"in_scope", visible}});
      }
    }
    out["history"] = history;
    out["repeat_vagrancy"] = {{"flag", recent >= kRepeatIntakes},
                              {"intakes_12_months", recent},
                              {"rule", "12 个月内求助 3 次及以上"}};

    // The stay and its 10-day countdown.
    Date end_day = k.departed_at.empty() ? today : DayOf(k.departed_at, today);
    auto age = AgeAt(k, intake_day);
    bool limit_applies = !k.mental_disability && (!age || *age >= 16);
    nlohmann::json stay = {{"days", (end_day - intake_day).count()},
                           {"age_at_intake", age ? nlohmann::json(*age) : nlohmann::json(nullptr)},
                           {"limit_applies", limit_applies}};
    if (limit_applies) {
      Date limit = intake_day + std::chrono::days(kStayLimitDays);
      if (k.extension_approved_by) {
        if (auto until = ParseDate(k.extension_until); until.ok()) limit = *until;
      }
      stay["limit_date"] = FormatDate(limit);
      stay["days_left"] = (limit - today).count();
    }
    out["stay"] = stay;
    nlohmann::json deadlines = nlohmann::json::array();
    if (k.status == "in_station") {
      DOUDI_ASSIGN_OR_RETURN(CaseClock clock, ClockOf(c, k));
      for (const auto& d : CaseDeadlines(clock, now, calendar_, options_.warn_days)) deadlines.push_back(DeadlineJson(d));
    }
    out["deadlines"] = deadlines;
    return Status::Ok();
  }));
  DOUDI_RETURN_IF_ERROR(audit_.Append(Event(actor, "rescue.case.view", "rescue_case", id)));
  return out;
}

Result<nlohmann::json> RescueService::Whereabouts(const Actor& actor) {
  nlohmann::json items = nlohmann::json::array();
  const Date today = ShanghaiDate(clock_());
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    store::CaseFilter f;
    f.scope = store::ScopeOf(actor.principal);
    f.status = "in_station";
    f.limit = 1000000;
    DOUDI_ASSIGN_OR_RETURN(auto found, store::SearchCases(c, f));
    DOUDI_ASSIGN_OR_RETURN(auto open, store::OpenPlacements(c));
    std::map<int64_t, Placement> by_case;
    for (auto& p : open) by_case[p.case_id] = p;
    for (const auto& k : found.first) {
      nlohmann::json j = {{"case_id", k.id},
                          {"name", k.name.empty() ? "无名氏" : k.name},
                          {"identified", k.identified},
                          {"station_division", k.station_division},
                          {"intake_at", k.intake_at},
                          {"days", (today - DayOf(k.intake_at, today)).count()}};
      auto it = by_case.find(k.id);
      if (it == by_case.end()) {
        j["location"] = "center";
        j["bed"] = k.bed;
        j["room"] = k.room;
        j["since"] = k.intake_at;
      } else {
        j["location"] = it->second.kind;
        j["institution_id"] = it->second.institution_id;
        j["placement_id"] = it->second.id;
        j["since"] = it->second.start_date;
      }
      items.push_back(std::move(j));
    }
    return Status::Ok();
  }));
  return nlohmann::json{{"items", items}, {"total", items.size()}, {"as_of", NowText()}};
}

Result<std::map<int64_t, int64_t>> RescueService::PlacedCounts(const std::vector<int64_t>& institution_ids) {
  std::map<int64_t, int64_t> out;
  std::set<int64_t> wanted(institution_ids.begin(), institution_ids.end());
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto open, store::OpenPlacements(c));
    for (const auto& p : open) {
      if (wanted.count(p.institution_id)) out[p.institution_id]++;
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<DeadlineItem>> RescueService::WorkQueue(const Actor& actor, const std::string& scope) {
  if (scope != "mine" && scope != "station") {
    return Status::InvalidField("scope", "rescue.queue.scope", "范围应为 mine（我的）或 station（本站）");
  }
  const TimePoint now = clock_();
  std::vector<DeadlineItem> out;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    store::CaseFilter f;
    f.scope = store::ScopeOf(actor.principal);
    f.status = "in_station";
    f.limit = 1000000;
    if (scope == "mine") f.assignee = actor.principal.user_id;
    DOUDI_ASSIGN_OR_RETURN(auto found, store::SearchCases(c, f));
    // Two queries for the notices and DNA requests of every open case, not two per case.
    DOUDI_ASSIGN_OR_RETURN(auto flags, store::SearchFlagsOfOpenCases(c));
    for (const auto& k : found.first) {
      CaseClock clock = ClockOf(k, flags.last_published, flags.dna_requested);
      for (auto& d : CaseDeadlines(clock, now, calendar_, options_.warn_days)) out.push_back(std::move(d));
    }
    return Status::Ok();
  }));
  for (const auto& [name, source] : sources_) {
    DOUDI_ASSIGN_OR_RETURN(auto items, source(actor.principal, now));
    for (auto& d : items) {
      if (d.source.empty() || d.source == "rescue") d.source = name;
      if (!actor.principal.InScope(d.station_division, d.assignee_id)) continue;
      if (scope == "mine" && d.assignee_id != actor.principal.user_id) continue;
      ClassifyDeadline(d, now, options_.warn_days);
      out.push_back(std::move(d));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const DeadlineItem& a, const DeadlineItem& b) {
    if (a.due_date != b.due_date) return a.due_date < b.due_date;
    return a.case_id < b.case_id;
  });
  return out;
}

Result<Stats> RescueService::Numbers(const Actor& actor, const std::string& from, const std::string& to) {
  DOUDI_ASSIGN_OR_RETURN(auto f, internal::DateField("from", from, true, "开始日期"));
  DOUDI_ASSIGN_OR_RETURN(auto t, internal::DateField("to", to, true, "结束日期"));
  if (*t < *f) return Status::InvalidField("to", "rescue.stats.range", "结束日期不能早于开始日期");
  if ((*t - *f).count() > 3660) return Status::InvalidField("to", "rescue.stats.range", "统计区间不能超过 10 年");
  auto from_utc = platform::ShanghaiDayStart(FormatDate(*f));
  auto to_utc = platform::ShanghaiDayStart(FormatDate(*t + std::chrono::days(1)));
  if (!from_utc || !to_utc) return Status::InvalidField("from", "rescue.date.invalid", "日期无效");
  const std::string lo = platform::FormatUtc(*from_utc), hi = platform::FormatUtc(*to_utc);
  const Date today = ShanghaiDate(clock_());
  Stats s;
  s.from = FormatDate(*f);
  s.to = FormatDate(*t);
  const store::ScopeFilter scope = store::ScopeOf(actor.principal);
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto cases, store::CasesIntakeBetween(c, scope, lo, hi));
    std::set<int64_t> persons;
    for (const auto& k : cases) {
      if (k.status == "refused") {
        ++s.refused;
        continue;
      }
      ++s.rescues;
      persons.insert(k.person_id > 0 ? k.person_id : -k.id);
      Date in = DayOf(k.intake_at, today);
      Date out = k.departed_at.empty() ? today : DayOf(k.departed_at, today);
      if ((out - in).count() > kStayLimitDays) ++s.stays_over_10_days;
    }
    s.persons = static_cast<int64_t>(persons.size());
    store::CaseFilter open;
    open.scope = scope;
    open.status = "in_station";
    open.limit = 1000000;
    DOUDI_ASSIGN_OR_RETURN(auto stranded, store::SearchCases(c, open));
    DOUDI_ASSIGN_OR_RETURN(auto placements, store::OpenPlacements(c));
    std::map<int64_t, std::string> where;
    for (const auto& p : placements) where[p.case_id] = p.kind;
    for (const auto& k : stranded.first) {
      auto it = where.find(k.id);
      if (it == where.end()) ++s.stranded_center;
      else if (it->second == "hospital") ++s.stranded_hospital;
      else ++s.stranded_institution;
    }
    DOUDI_ASSIGN_OR_RETURN(s.notices_published, store::CountNoticesPublishedBetween(c, scope, lo, hi));
    DOUDI_ASSIGN_OR_RETURN(s.dna_requests, store::CountDnaRequestedBetween(c, scope, s.from, s.to));
    DOUDI_ASSIGN_OR_RETURN(auto departed, store::CasesDepartedBetween(c, scope, lo, hi));
    std::map<std::string, int64_t> by = {{"conversation", 0}, {"police", 0}, {"dna", 0}, {"face", 0}, {"media", 0}};
    for (const auto& k : departed) {
      if (k.departure_kind != "relatives" && k.departure_kind != "escort_home") continue;
      ++s.reunions;
      by[k.found_by.empty() ? "unknown" : k.found_by]++;
    }
    s.reunions_by_source.assign(by.begin(), by.end());
    return Status::Ok();
  }));
  return s;
}

}  // namespace doudi::rescue
