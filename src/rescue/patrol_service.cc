#include "rescue/patrol_service.h"

#include <chrono>

#include "common/calendar.h"
#include "common/text.h"
#include "registry/actor_event.h"
#include "rescue/institution_store.h"
#include "rescue/patrol_json.h"

namespace doudi::rescue {
namespace {

using nlohmann::json;

Status PatrolNotFound() { return Status::NotFound("rescue.patrol.not_found", "巡查记录不存在或不在您的管辖范围内"); }

constexpr char kPatrolColumns[] =
    "p.id, p.division_code, p.started_at, p.ended_at, p.team, p.route, p.places, p.encounters, p.notes, p.version, "
    "p.created_at, p.created_by, p.updated_at, p.updated_by";

// Mainland China's extent (WGS-84), generously: a point outside it is a typing error (swapped or mistyped).
constexpr double kMinLat = 3.5, kMaxLat = 54.0, kMinLng = 73.0, kMaxLng = 136.0;

// Years 1900..2199 only: a clock of nanoseconds cannot hold times after 2262, and parsing one overflows.
bool PlausibleYear(const std::string& iso) {
  if (iso.size() < 4) return false;
  int y = 0;
  for (int i = 0; i < 4; ++i) {
    if (iso[i] < '0' || iso[i] > '9') return false;
    y = y * 10 + (iso[i] - '0');
  }
  return y >= 1900 && y < 2200;
}

Patrol PatrolFromRow(const db::Row& r) {
  Patrol p;
  p.id = r.Int(0);
  p.division_code = r.Text(1);
  p.started_at = r.Text(2);
  p.ended_at = r.Text(3);
  // The JSON columns were written by this service; reading them back through the body parser keeps one format.
  json body = {{"team", json::parse(r.Text(4), nullptr, false)},
               {"places", json::parse(r.Text(6), nullptr, false)},
               {"encounters", json::parse(r.Text(7), nullptr, false)}};
  PatrolFields parsed;
  if (PatrolFieldsFromJson(body, &parsed).ok()) {
    p.team = std::move(parsed.team);
    p.places = std::move(parsed.places);
    p.encounters = std::move(parsed.encounters);
  }
  p.route = r.Text(5);
  p.notes = r.Text(8);
  p.version = r.Int(9);
  p.created_at = r.Text(10);
  p.created_by = r.Int(11);
  p.updated_at = r.Text(12);
  p.updated_by = r.Int(13);
  p.counts = CountEncounters(p.encounters);
  return p;
}

json PlacesJson(const std::vector<PatrolPlace>& places) {
  json a = json::array();
  for (const auto& pl : places) {
    json o = {{"division_code", pl.division_code}, {"place", pl.place}};
    if (pl.lat) o["lat"] = *pl.lat;
    if (pl.lng) o["lng"] = *pl.lng;
    a.push_back(o);
  }
  return a;
}

json EncountersJson(const std::vector<PatrolEncounter>& encounters) {
  json a = json::array();
  for (const auto& e : encounters) {
    json o = {{"persons", e.persons}, {"action", e.action}, {"description", e.description}};
    if (e.place_index >= 0) o["place_index"] = e.place_index;
    a.push_back(o);
  }
  return a;
}

Result<Patrol> LoadPatrol(db::Conn& c, int64_t id, bool* found) {
  DOUDI_ASSIGN_OR_RETURN(auto rows,
                         c.Query(std::string("SELECT ") + kPatrolColumns + " FROM rescue_patrols p WHERE p.id = $1", {id}));
  *found = !rows.empty();
  if (rows.empty()) return Patrol{};
  return PatrolFromRow(rows[0]);
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& PatrolActions() {
  static const std::vector<std::pair<std::string, std::string>> kActions = {
      {"advised", "劝导"},
      {"brought_in", "护送入站"},
      {"referred_police", "移交公安"},
      {"referred_hospital", "送医救治"},
      {"refused", "拒绝救助"},
  };
  return kActions;
}

PatrolCounts CountEncounters(const std::vector<PatrolEncounter>& encounters) {
  PatrolCounts c;
  for (const auto& e : encounters) {
    c.persons_met += e.persons;
    if (e.action == "advised") c.advised += e.persons;
    if (e.action == "brought_in") c.brought_in += e.persons;
    if (e.action == "referred_police") c.referred_police += e.persons;
    if (e.action == "referred_hospital") c.referred_hospital += e.persons;
    if (e.action == "refused") c.refused += e.persons;
  }
  return c;
}

PatrolService::PatrolService(db::Database& db, platform::AuditLog& audit, const Divisions& divisions,
                             platform::Clock clock)
    : db_(db), audit_(audit), divisions_(divisions), clock_(std::move(clock)) {}

Status PatrolService::Validate(PatrolFields& f) const {
  std::vector<FieldError> errors;
  auto add = [&](std::string field, std::string code, std::string msg) {
    errors.push_back({std::move(field), std::move(code), std::move(msg)});
  };
  if (f.division_code.empty()) {
    add("division_code", "rescue.patrol.division_required", "请选择巡查所属辖区");
  } else if (Status s = divisions_.CheckCurrent(f.division_code, "division_code"); !s.ok()) {
    add("division_code", s.error_code(), s.message());
  }
  // Assigned, not chosen by ?: with std::nullopt: GCC 12 at -O2 then reports *start as maybe uninitialised.
  decltype(platform::ParseUtc(f.started_at)) start, end;
  if (PlausibleYear(f.started_at)) start = platform::ParseUtc(f.started_at);
  if (PlausibleYear(f.ended_at)) end = platform::ParseUtc(f.ended_at);
  if (!start) add("started_at", "rescue.patrol.time", "开始时间格式不正确（如 2025-06-01T20:00:00+08:00）");
  if (!end) add("ended_at", "rescue.patrol.time", "结束时间格式不正确（如 2025-06-01T23:00:00+08:00）");
  if (start && end) {
    f.started_at = platform::FormatUtc(*start);
    f.ended_at = platform::FormatUtc(*end);
    if (*end <= *start) {
      add("ended_at", "rescue.patrol.time_order", "结束时间应晚于开始时间");
    } else if (*end - *start > std::chrono::hours(24)) {
      add("ended_at", "rescue.patrol.too_long", "一次巡查不能超过 24 小时，请分次登记");
    }
    if (*end > clock_() + std::chrono::minutes(10)) {
      add("ended_at", "rescue.patrol.future", "结束时间不能晚于现在");
    }
  }
  std::vector<std::string> team;
  for (const auto& n : f.team) {
    std::string t(Trim(n));
    if (!t.empty()) team.push_back(t);
  }
  f.team = team;
  if (f.team.empty()) add("team", "rescue.patrol.team_required", "请填写巡查人员（至少 1 人）");
  for (size_t i = 0; i < f.team.size(); ++i) {
    if (Utf8Length(f.team[i]) > 30) add("team[" + std::to_string(i) + "]", "rescue.patrol.member_long", "人员姓名不能超过 30 个字");
  }
  if (f.places.empty()) add("places", "rescue.patrol.places_required", "请至少填写 1 个巡查地点");
  for (size_t i = 0; i < f.places.size(); ++i) {
    auto& pl = f.places[i];
    const std::string at = "places[" + std::to_string(i) + "]";
    pl.place = std::string(Trim(pl.place));
    if (pl.division_code.empty()) {
      add(at + ".division_code", "rescue.patrol.place_division", "第 " + std::to_string(i + 1) + " 个地点未选择行政区划");
    } else if (Status s = divisions_.CheckCurrent(pl.division_code, at + ".division_code"); !s.ok()) {
      add(at + ".division_code", s.error_code(), "第 " + std::to_string(i + 1) + " 个地点：" + s.message());
    }
    if (pl.place.empty()) add(at + ".place", "rescue.patrol.place_text", "第 " + std::to_string(i + 1) + " 个地点未填写具体位置");
    if (pl.lat.has_value() != pl.lng.has_value()) {
      add(at + ".lat", "rescue.patrol.coordinates_pair", "经度和纬度应同时填写或同时不填");
    } else if (pl.lat && (*pl.lat < kMinLat || *pl.lat > kMaxLat || *pl.lng < kMinLng || *pl.lng > kMaxLng)) {
      add(at + ".lat", "rescue.patrol.coordinates_range",
          "第 " + std::to_string(i + 1) + " 个地点的坐标不在中国境内（纬度 3.5–54，经度 73–136），请检查是否填反");
    }
  }
  for (size_t i = 0; i < f.encounters.size(); ++i) {
    const auto& e = f.encounters[i];
    const std::string at = "encounters[" + std::to_string(i) + "]";
    bool known = false;
    for (const auto& [code, name] : PatrolActions()) known = known || code == e.action;
    if (!known) {
      add(at + ".action", "rescue.patrol.action",
          "第 " + std::to_string(i + 1) + " 条处置方式应为劝导、护送入站、移交公安、送医救治或拒绝救助");
    }
    if (e.persons < 1 || e.persons > 100) {
      add(at + ".persons", "rescue.patrol.persons", "第 " + std::to_string(i + 1) + " 条人数应在 1 到 100 之间");
    }
    if (e.place_index < -1 || e.place_index >= static_cast<int>(f.places.size())) {
      add(at + ".place_index", "rescue.patrol.place_index", "第 " + std::to_string(i + 1) + " 条所指的地点不存在");
    }
  }
  if (errors.empty()) return Status::Ok();
  Status st(Code::kInvalid, errors.front().code, errors.front().message);
  for (auto& e : errors) st.add_detail(std::move(e));
  return st;
}

namespace {
platform::AuditEvent EventOf(const registry::Actor& actor, std::string action, int64_t id, std::string detail) {
  return registry::ActorEvent(actor, std::move(action), "rescue_patrol", id, std::move(detail));
}
}  // namespace

Result<Patrol> PatrolService::Create(const registry::Actor& actor, PatrolFields fields) {
  DOUDI_RETURN_IF_ERROR(Validate(fields));
  const auto& who = actor.principal;
  if (!who.InScope(fields.division_code, who.user_id)) {
    return Status::InvalidField("division_code", "rescue.scope.outside", "只能登记本辖区的巡查");
  }
  Patrol p;
  static_cast<PatrolFields&>(p) = std::move(fields);
  p.counts = CountEncounters(p.encounters);
  p.created_at = p.updated_at = platform::FormatUtc(clock_());
  p.created_by = p.updated_by = who.user_id;
  const auto& c = p.counts;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& conn) -> Status {
    DOUDI_ASSIGN_OR_RETURN(
        auto rows,
        conn.Query("INSERT INTO rescue_patrols (division_code, started_at, ended_at, team, route, places, encounters, "
                   "persons_met, advised, brought_in, referred_police, referred_hospital, refused, notes, version, "
                   "created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                   "$11, $12, $13, $14, 1, $15, $16, $15, $16) RETURNING id",
                   {p.division_code, p.started_at, p.ended_at, json(p.team).dump(), p.route,
                    PlacesJson(p.places).dump(), EncountersJson(p.encounters).dump(), c.persons_met, c.advised,
                    c.brought_in, c.referred_police, c.referred_hospital, c.refused, p.notes, p.created_at,
                    p.created_by}));
    p.id = rows[0].Int(0);
    return audit_.AppendIn(conn, EventOf(actor, "rescue.patrol.create", p.id,
                                         json{{"persons_met", c.persons_met}, {"brought_in", c.brought_in}}.dump()));
  }));
  return p;
}

Result<Patrol> PatrolService::Get(const registry::Actor& actor, int64_t id) {
  Patrol p;
  bool found = false;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(p, LoadPatrol(c, id, &found));
    return Status::Ok();
  }));
  if (!found || !actor.principal.InScope(p.division_code, p.created_by)) return PatrolNotFound();
  return p;
}

Result<Patrol> PatrolService::Correct(const registry::Actor& actor, int64_t id, int64_t version, PatrolFields fields,
                                      const std::string& reason) {
  if (Utf8Length(Trim(reason)) < 2) {
    return Status::InvalidField("reason", "rescue.correction.reason", "请说明更正原因（至少 2 个字）");
  }
  DOUDI_RETURN_IF_ERROR(Validate(fields));
  const auto& who = actor.principal;
  const std::string now = platform::FormatUtc(clock_());
  const PatrolCounts c = CountEncounters(fields.encounters);
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& conn) -> Status {
    bool found = false;
    DOUDI_ASSIGN_OR_RETURN(Patrol old, LoadPatrol(conn, id, &found));
    if (!found || !who.InScope(old.division_code, old.created_by)) return PatrolNotFound();
    if (old.version != version) return db::VersionConflict();
    if (!who.InScope(fields.division_code, old.created_by)) {
      return Status::InvalidField("division_code", "rescue.scope.outside", "不能把巡查改到本辖区以外");
    }
    DOUDI_ASSIGN_OR_RETURN(
        auto n, conn.Exec("UPDATE rescue_patrols SET division_code = $1, started_at = $2, ended_at = $3, team = $4, "
                          "route = $5, places = $6, encounters = $7, persons_met = $8, advised = $9, brought_in = $10, "
                          "referred_police = $11, referred_hospital = $12, refused = $13, notes = $14, "
                          "version = version + 1, updated_at = $15, updated_by = $16 WHERE id = $17 AND version = $18",
                          {fields.division_code, fields.started_at, fields.ended_at, json(fields.team).dump(),
                           fields.route, PlacesJson(fields.places).dump(), EncountersJson(fields.encounters).dump(),
                           c.persons_met, c.advised, c.brought_in, c.referred_police, c.referred_hospital, c.refused,
                           fields.notes, now, who.user_id, id, version}));
    if (n == 0) return db::VersionConflict();
    DOUDI_RETURN_IF_ERROR(store::InsertHistory(conn, "rescue_patrol", id, old.version, PatrolJson(old, divisions_),
                                               reason, now, who.user_id));
    return audit_.AppendIn(conn, EventOf(actor, "rescue.patrol.correct", id, reason));
  }));
  return Get(actor, id);
}

Result<registry::Page<Patrol>> PatrolService::Search(const registry::Actor& actor, const PatrolQuery& q) {
  registry::Page<Patrol> page;
  page.page = q.page;
  page.size = q.size;
  store::SqlBuilder where(" FROM rescue_patrols p WHERE 1 = 1");
  store::AddScope(where, "p", actor.principal);
  if (!q.division.empty()) store::AddPrefix(where, "p.division_code", q.division);
  if (!q.from.empty()) {
    auto t = PlausibleYear(q.from) ? platform::ShanghaiDayStart(q.from) : std::nullopt;
    if (!t) return Status::InvalidField("from", "rescue.date.invalid", "起始日期不是有效日期（YYYY-MM-DD）");
    where += " AND p.started_at >= " + where.Param(platform::FormatUtc(*t));
  }
  if (!q.to.empty()) {
    auto t = PlausibleYear(q.to) ? platform::ShanghaiDayStart(q.to) : std::nullopt;
    if (!t) return Status::InvalidField("to", "rescue.date.invalid", "截止日期不是有效日期（YYYY-MM-DD）");
    where += " AND p.started_at < " + where.Param(platform::FormatUtc(*t + std::chrono::hours(24)));
  }
  if (!q.from.empty() && !q.to.empty() && q.to < q.from) {
    return Status::InvalidField("to", "rescue.date.order", "截止日期不能早于起始日期");
  }
  if (!q.member.empty()) where += " AND p.team LIKE " + where.Param("%" + q.member + "%");
  if (!q.action.empty()) {
    bool known = false;
    for (const auto& [code, name] : PatrolActions()) known = known || code == q.action;
    if (!known) return Status::InvalidField("action", "rescue.patrol.action", "未知的处置方式：" + q.action);
    where += " AND p." + q.action + " > 0";  // a column name from the fixed list above, never user text
  }
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto count, c.Query("SELECT COUNT(*)" + where.sql(), where.span()));
    page.total = count[0].Int(0);
    std::string sql = std::string("SELECT ") + kPatrolColumns + where.sql() + " ORDER BY p.started_at DESC, p.id DESC" +
                      " LIMIT " + std::to_string(q.size) + " OFFSET " +
                      std::to_string(static_cast<int64_t>(q.page - 1) * q.size);
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(sql, where.span()));
    for (const auto& r : rows) page.items.push_back(PatrolFromRow(r));
    return Status::Ok();
  }));
  return page;
}

Result<std::vector<HistoryEntry>> PatrolService::History(const registry::Actor& actor, int64_t id) {
  DOUDI_RETURN_IF_ERROR(Get(actor, id).status());
  std::vector<HistoryEntry> out;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(out, store::LoadHistory(c, "rescue_patrol", id));
    return Status::Ok();
  }));
  return out;
}

}  // namespace doudi::rescue
