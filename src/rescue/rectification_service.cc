// InstitutionService: rectification orders (整改通知) — issued from an inspection with a deadline (a date, or N
// working days from the issue date), followed up until verified closed (rectification_rules.h).
#include "rescue/institution_service.h"

#include <algorithm>

#include "common/text.h"
#include "rescue/institution_json.h"
#include "rescue/institution_store.h"
#include "rescue/rectification_rules.h"

namespace doudi::rescue {
namespace {

using nlohmann::json;

Status InspectionNotFound() {
  return Status::NotFound("rescue.inspection.not_found", "检查记录不存在或不在您的管辖范围内");
}
Status RectificationNotFound() {
  return Status::NotFound("rescue.rectification.not_found", "整改通知不存在或不在您的管辖范围内");
}

constexpr int kMaxWorkingDays = 250;

// The deadline from a date or a number of working days after `from`; field errors name the input.
Result<std::string> ResolveDeadline(const WorkCalendar& calendar, const std::string& from,
                                    std::optional<int> working_days, const std::string& deadline,
                                    const char* days_field, const char* date_field) {
  if (working_days) {
    if (*working_days < 1 || *working_days > kMaxWorkingDays) {
      return Status::InvalidField(days_field, "rescue.rectification.working_days",
                                  "整改期限应为 1 到 " + std::to_string(kMaxWorkingDays) + " 个工作日");
    }
    DOUDI_ASSIGN_OR_RETURN(Date d, ParseDate(from));
    return FormatDate(calendar.AddWorkingDays(d, *working_days));
  }
  if (deadline.empty()) {
    return Status::InvalidField(date_field, "rescue.rectification.deadline_required",
                                "请填写整改期限（截止日期或工作日数）");
  }
  if (!ParseDate(deadline).ok()) {
    return Status::InvalidField(date_field, "rescue.date.invalid", "整改截止日期不是有效日期（YYYY-MM-DD）");
  }
  if (deadline < from) {
    return Status::InvalidField(date_field, "rescue.rectification.deadline_past", "整改截止日期不能早于下达日期");
  }
  return deadline;
}

}  // namespace

Result<Rectification> InstitutionService::OrderRectification(const Actor& actor, int64_t inspection_id,
                                                             NewRectification order) {
  order.requirement = std::string(Trim(order.requirement));
  if (Utf8Length(order.requirement) < 4) {
    return Status::InvalidField("requirement", "rescue.rectification.requirement", "请写明整改要求（至少 4 个字）");
  }
  const std::string today = Today();
  if (order.issued_on.empty()) order.issued_on = today;
  if (!ParseDate(order.issued_on).ok()) {
    return Status::InvalidField("issued_on", "rescue.date.invalid", "下达日期不是有效日期（YYYY-MM-DD）");
  }
  if (order.issued_on > today) {
    return Status::InvalidField("issued_on", "rescue.rectification.issued_future", "下达日期不能晚于今天");
  }
  DOUDI_ASSIGN_OR_RETURN(std::string deadline, ResolveDeadline(calendar_, order.issued_on, order.working_days,
                                                               order.deadline, "working_days", "deadline"));
  const auto& who = actor.principal;
  int64_t id = 0;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto s, store::LoadInspection(c, inspection_id));
    if (!s || !who.InScope(s->division_code, s->created_by)) return InspectionNotFound();
    if (order.issued_on < s->inspected_on) {
      return Status::InvalidField("issued_on", "rescue.rectification.issued_before_inspection",
                                  "下达日期不能早于检查日期 " + s->inspected_on);
    }
    const std::string now = Now();
    DOUDI_ASSIGN_OR_RETURN(
        auto rows, c.Query("INSERT INTO rescue_rectifications (inspection_id, institution_id, division_code, "
                           "requirement, issued_on, working_days, deadline, state, version, created_at, created_by, "
                           "updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', 1, $8, $9, $8, $9) "
                           "RETURNING id",
                           {inspection_id, s->institution_id, s->division_code, order.requirement, order.issued_on,
                            order.working_days, deadline, now, who.user_id}));
    id = rows[0].Int(0);
    DOUDI_RETURN_IF_ERROR(store::InsertEvent(
        c, id, {0, "order", order.requirement, "open", deadline, now, who.user_id, who.display_name}));
    return audit_.AppendIn(c, Event(actor, "rescue.rectification.order", "rescue_rectification", id,
                                    json{{"inspection_id", inspection_id}, {"deadline", deadline}}.dump()));
  }));
  return GetRectification(actor, id);
}

Result<Rectification> InstitutionService::GetRectification(const Actor& actor, int64_t id) {
  std::optional<Rectification> r;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(r, store::LoadRectification(c, id));
    if (!r) return Status::Ok();
    DOUDI_ASSIGN_OR_RETURN(r->events, store::LoadEvents(c, id));
    return Status::Ok();
  }));
  if (!r || !actor.principal.InScope(r->division_code, r->created_by)) return RectificationNotFound();
  return *r;
}

Result<Rectification> InstitutionService::FollowUp(const Actor& actor, int64_t id, int64_t version,
                                                   const std::string& action, const std::string& note_in,
                                                   const std::string& new_deadline,
                                                   std::optional<int> new_working_days) {
  const std::string note(Trim(note_in));
  if ((action == "reopen" || action == "extend" || action == "note") && Utf8Length(note) < 2) {
    return Status::InvalidField("note", "rescue.rectification.note_required",
                                RectificationActionName(action) + "需要填写说明（至少 2 个字）");
  }
  const bool wants_deadline = !new_deadline.empty() || new_working_days.has_value();
  if (wants_deadline && action != "reopen" && action != "extend") {
    return Status::InvalidField("new_deadline", "rescue.rectification.deadline_not_allowed",
                                "只有延长期限或退回重新整改时可以修改整改期限");
  }
  if (action == "extend" && !wants_deadline) {
    return Status::InvalidField("new_deadline", "rescue.rectification.deadline_required", "请填写新的整改期限");
  }
  const std::string today = Today();
  std::string deadline_after;
  if (wants_deadline) {
    DOUDI_ASSIGN_OR_RETURN(deadline_after, ResolveDeadline(calendar_, today, new_working_days, new_deadline,
                                                           "new_working_days", "new_deadline"));
  }
  const auto& who = actor.principal;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto r, store::LoadRectification(c, id));
    if (!r || !who.InScope(r->division_code, r->created_by)) return RectificationNotFound();
    if (r->version != version) return db::VersionConflict();
    DOUDI_ASSIGN_OR_RETURN(std::string next, NextRectificationState(r->state, action));
    if (deadline_after.empty()) deadline_after = r->deadline;
    if (action == "extend" && deadline_after <= r->deadline) {
      return Status::InvalidField("new_deadline", "rescue.rectification.extend_earlier",
                                  "延长后的期限应晚于原期限 " + r->deadline);
    }
    const std::string now = Now();
    std::string closed_on = next == "closed" ? today : "";
    DOUDI_ASSIGN_OR_RETURN(
        auto n, c.Exec("UPDATE rescue_rectifications SET state = $1, deadline = $2, closed_on = $3, "
                       "version = version + 1, updated_at = $4, updated_by = $5 WHERE id = $6 AND version = $7",
                       {next, deadline_after, store::NullIfEmpty(closed_on), now, who.user_id, id, version}));
    if (n == 0) return db::VersionConflict();
    DOUDI_RETURN_IF_ERROR(
        store::InsertEvent(c, id, {0, action, note, next, deadline_after, now, who.user_id, who.display_name}));
    return audit_.AppendIn(c, Event(actor, "rescue.rectification." + action, "rescue_rectification", id,
                                    json{{"from", r->state}, {"to", next}, {"deadline", deadline_after}}.dump()));
  }));
  return GetRectification(actor, id);
}

Result<Page<Rectification>> InstitutionService::SearchRectifications(const Actor& actor,
                                                                     const RectificationQuery& q) {
  static const std::vector<std::string> kStates = {"", "open", "submitted", "closed", "reopened", "active"};
  if (std::find(kStates.begin(), kStates.end(), q.state) == kStates.end()) {
    return Status::InvalidField("state", "rescue.rectification.state",
                                "状态应为 open、submitted、closed、reopened 或 active");
  }
  if (!q.due_before.empty() && !ParseDate(q.due_before).ok()) {
    return Status::InvalidField("due_before", "rescue.date.invalid", "due_before 不是有效日期（YYYY-MM-DD）");
  }
  const std::string today = Today();
  Page<Rectification> page;
  page.page = q.page;
  page.size = q.size;
  store::SqlBuilder where(std::string(store::kRectificationFrom) + " WHERE 1 = 1");
  store::AddScope(where, "r", actor.principal);
  if (q.institution_id > 0) where += " AND r.institution_id = " + where.Param(q.institution_id);
  if (q.state == "active") {
    where += " AND r.state <> 'closed'";
  } else if (!q.state.empty()) {
    where += " AND r.state = " + where.Param(q.state);
  }
  if (q.overdue) where += " AND r.state IN ('open', 'reopened') AND r.deadline < " + where.Param(today);
  if (!q.due_before.empty()) where += " AND r.state <> 'closed' AND r.deadline <= " + where.Param(q.due_before);
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto count, c.Query("SELECT COUNT(*)" + where.sql(), where.span()));
    page.total = count[0].Int(0);
    std::string sql = std::string("SELECT ") + store::kRectificationColumns + where.sql() +
                      " ORDER BY CASE WHEN r.state = 'closed' THEN 1 ELSE 0 END, r.deadline, r.id LIMIT " +
                      std::to_string(q.size) + " OFFSET " + std::to_string(static_cast<int64_t>(q.page - 1) * q.size);
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(sql, where.span()));
    for (const auto& r : rows) page.items.push_back(store::RectificationFromRow(r));
    return Status::Ok();
  }));
  return page;
}

}  // namespace doudi::rescue

namespace doudi::rescue {

Result<std::vector<DeadlineItem>> InstitutionService::RectificationDeadlines(const platform::Principal& principal,
                                                                             TimePoint /*now*/) {
  std::vector<DeadlineItem> out;
  store::SqlBuilder sql(std::string("SELECT ") + store::kRectificationColumns + store::kRectificationFrom +
                        " WHERE r.state IN ('open', 'reopened')");
  store::AddScope(sql, "r", principal);
  sql += " ORDER BY r.deadline, r.id";
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(sql.sql(), sql.span()));
    for (const auto& row : rows) {
      Rectification r = store::RectificationFromRow(row);
      DeadlineItem d;
      d.kind = "rectification";
      d.source = "institution";
      d.object_type = "rectification";
      d.object_id = r.id;
      d.station_division = r.division_code;
      d.assignee_id = r.created_by;
      std::string requirement = r.requirement;
      if (Utf8Length(requirement) > 30) {
        // Cut at a character boundary: 30 code points.
        size_t n = 0, i = 0;
        for (; i < requirement.size() && n < 30; ++i) n += (static_cast<unsigned char>(requirement[i]) & 0xC0) != 0x80;
        while (i < requirement.size() && (static_cast<unsigned char>(requirement[i]) & 0xC0) == 0x80) ++i;
        requirement = requirement.substr(0, i) + "…";
      }
      d.title = "整改期限：" + r.institution_name + "（" + requirement + "）";
      d.due_date = r.deadline;
      out.push_back(std::move(d));
    }
    return Status::Ok();
  }));
  return out;
}

Status InstitutionService::CheckPlacementTarget(int64_t institution_id, const std::string& placement_kind) {
  std::optional<Institution> inst;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(inst, store::LoadInstitution(c, institution_id));
    return Status::Ok();
  }));
  if (!inst) {
    return Status::InvalidField("institution_id", "rescue.institution.not_found", "托养机构或定点医院不存在");
  }
  const std::string want = placement_kind == "hospital" ? "hospital" : "foster_care";
  if (inst->kind != want) {
    return Status::InvalidField("institution_id", "rescue.institution.kind_mismatch",
                                want == "hospital" ? "所选机构不是定点医院" : "所选机构不是托养机构");
  }
  if (inst->status == "ended") {
    return Status::InvalidField("institution_id", "rescue.institution.ended", "该机构已终止合作，不能再安置");
  }
  return Status::Ok();
}

}  // namespace doudi::rescue
