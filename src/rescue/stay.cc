// RescueService: the stay (在站) — belongings, care records, placements and transfers, the extension of the
// 10-day stay and the settlement path.
#include <algorithm>

#include "common/text.h"
#include "rescue/internal.h"
#include "rescue/service.h"
#include "rescue/store.h"

namespace doudi::rescue {

using internal::DayOf;
using internal::RequireText;

using store::TouchCase;

Result<Belonging> RescueService::AddBelonging(const Actor& actor, int64_t case_id, const NewIntake::Belonging& b) {
  DOUDI_RETURN_IF_ERROR(RequireText("description", b.description, 1, 200, "rescue.belonging.invalid",
                                    "随身物品须写明名称（至多 200 个字）"));
  if (b.quantity < 1) return Status::InvalidField("quantity", "rescue.belonging.quantity", "随身物品数量应为正整数");
  Belonging row;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(Case k, LoadOpenCase(c, actor, case_id));
    row.case_id = case_id;
    row.description = std::string(Trim(b.description));
    row.quantity = b.quantity;
    row.photo = b.photo;
    row.held_at = NowText();
    row.held_by = actor.principal.user_id;
    DOUDI_ASSIGN_OR_RETURN(row.id, store::InsertBelonging(c, row));
    DOUDI_RETURN_IF_ERROR(TouchCase(c, k, row.held_at, actor.principal.user_id));
    return audit_.AppendIn(c, Event(actor, "rescue.belonging.add", "rescue_case", case_id,
                                    nlohmann::json{{"belonging_id", row.id}}.dump()));
  }));
  return row;
}

Result<Belonging> RescueService::ReturnBelonging(const Actor& actor, int64_t case_id, int64_t belonging_id,
                                                 const std::string& returned_to, const std::string& signature_ref) {
  DOUDI_RETURN_IF_ERROR(RequireText("returned_to", returned_to, 1, 50, "rescue.belonging.returned_to",
                                    "请填写领回人姓名"));
  DOUDI_RETURN_IF_ERROR(RequireText("signature_ref", signature_ref, 1, 100, "rescue.belonging.signature",
                                    "退还随身物品须由领回人签字（填写签收单编号）"));
  std::optional<Belonging> result;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    // Also after departure's refusal: belongings can be returned while the case is open only.
    DOUDI_ASSIGN_OR_RETURN(Case k, LoadOpenCase(c, actor, case_id));
    const std::string now = NowText();
    DOUDI_ASSIGN_OR_RETURN(bool ok, store::ReturnBelonging(c, case_id, belonging_id, now, std::string(Trim(returned_to)),
                                                           std::string(Trim(signature_ref)), actor.principal.user_id));
    if (!ok) {
      return Status::NotFound("rescue.belonging.not_found", "该物品不存在或已退还");
    }
    DOUDI_ASSIGN_OR_RETURN(auto all, store::Belongings(c, case_id));
    for (auto& b : all) {
      if (b.id == belonging_id) result = b;
    }
    DOUDI_RETURN_IF_ERROR(TouchCase(c, k, now, actor.principal.user_id));
    return audit_.AppendIn(c, Event(actor, "rescue.belonging.return", "rescue_case", case_id,
                                    nlohmann::json{{"belonging_id", belonging_id}}.dump()));
  }));
  return std::move(*result);
}

Result<CareRecord> RescueService::AddCare(const Actor& actor, int64_t case_id, CareRecord r) {
  static const char* kKinds[] = {"meal", "health_check", "temperature", "medical", "service"};
  if (std::none_of(std::begin(kKinds), std::end(kKinds), [&](const char* k) { return r.kind == k; })) {
    return Status::InvalidField("kind", "rescue.care.kind",
                                "记录类别应为 meal、health_check、temperature、medical 或 service");
  }
  if (r.kind == "temperature") {
    if (!r.temperature_dc || *r.temperature_dc < 340 || *r.temperature_dc > 430) {
      return Status::InvalidField("temperature", "rescue.care.temperature", "体温应在 34.0 到 43.0 ℃ 之间");
    }
  } else {
    r.temperature_dc.reset();
    DOUDI_RETURN_IF_ERROR(RequireText("detail", r.detail, 1, 2000, "rescue.care.detail", "请填写记录内容"));
  }
  const TimePoint now = clock_();
  TimePoint at = now;
  if (!r.recorded_at.empty()) {
    auto t = ParseIsoTime(r.recorded_at);
    if (!t.ok()) t = ParseShanghaiLocal(r.recorded_at);
    if (!t.ok()) return Status::InvalidField("recorded_at", "rescue.care.time", "记录时间格式不正确");
    if (*t > now + std::chrono::minutes(5)) {
      return Status::InvalidField("recorded_at", "rescue.care.future", "记录时间不能晚于当前时间");
    }
    at = *t;
  }
  r.recorded_at = platform::FormatUtc(at);
  r.detail = std::string(Trim(r.detail));
  r.case_id = case_id;
  r.recorded_by = actor.principal.user_id;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(Case k, LoadOpenCase(c, actor, case_id));
    if (r.recorded_at < k.intake_at) {
      return Status::InvalidField("recorded_at", "rescue.care.before_intake", "记录时间不能早于入站时间");
    }
    DOUDI_ASSIGN_OR_RETURN(r.id, store::InsertCare(c, r, NowText()));
    return audit_.AppendIn(c, Event(actor, "rescue.care.add", "rescue_case", case_id,
                                    nlohmann::json{{"care_id", r.id}, {"kind", r.kind}}.dump()));
  }));
  return r;
}

Result<Placement> RescueService::Place(const Actor& actor, int64_t case_id, Placement p) {
  if (p.kind != "institution" && p.kind != "hospital") {
    return Status::InvalidField("kind", "rescue.placement.kind", "安置类别应为 institution（托养机构）或 hospital（定点医院）");
  }
  if (p.institution_id <= 0) {
    return Status::InvalidField("institution_id", "rescue.placement.institution", "请选择托养机构或定点医院");
  }
  if (institution_check_) DOUDI_RETURN_IF_ERROR(institution_check_(p.institution_id, p.kind));
  const Date today = ShanghaiDate(clock_());
  if (p.start_date.empty()) p.start_date = FormatDate(today);
  DOUDI_ASSIGN_OR_RETURN(auto start, internal::DateField("start_date", p.start_date, true, "安置日期"));
  if (*start > today) return Status::InvalidField("start_date", "rescue.placement.future", "安置日期不能晚于今天");
  p.note = std::string(Trim(p.note));
  p.case_id = case_id;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(Case k, LoadOpenCase(c, actor, case_id));
    if (*start < DayOf(k.intake_at, today)) {
      return Status::InvalidField("start_date", "rescue.placement.before_intake", "安置日期不能早于入站日期");
    }
    const std::string now = NowText();
    DOUDI_ASSIGN_OR_RETURN(auto open, store::OpenPlacement(c, case_id));
    std::string action = "rescue.placement.start";
    if (open) {
      if (p.start_date < open->start_date) {
        return Status::InvalidField("start_date", "rescue.placement.before_previous",
                                    "转移日期不能早于上一安置的开始日期（" + open->start_date + "）");
      }
      DOUDI_RETURN_IF_ERROR(store::EndPlacement(c, open->id, p.start_date, "转移", now, actor.principal.user_id));
      action = "rescue.placement.transfer";
    }
    DOUDI_ASSIGN_OR_RETURN(p.id, store::InsertPlacement(c, p, now, actor.principal.user_id));
    DOUDI_RETURN_IF_ERROR(TouchCase(c, k, now, actor.principal.user_id));
    nlohmann::json detail = {{"placement_id", p.id}, {"kind", p.kind}, {"institution_id", p.institution_id}};
    if (open) detail["from_placement_id"] = open->id;
    return audit_.AppendIn(c, Event(actor, action, "rescue_case", case_id, detail.dump()));
  }));
  return p;
}

Result<Placement> RescueService::EndPlacement(const Actor& actor, int64_t case_id, const std::string& end_date,
                                              const std::string& reason) {
  const Date today = ShanghaiDate(clock_());
  std::string date = end_date.empty() ? FormatDate(today) : end_date;
  DOUDI_ASSIGN_OR_RETURN(auto end, internal::DateField("end_date", date, true, "结束日期"));
  if (*end > today) return Status::InvalidField("end_date", "rescue.placement.future", "结束日期不能晚于今天");
  std::optional<Placement> result;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(Case k, LoadOpenCase(c, actor, case_id));
    DOUDI_ASSIGN_OR_RETURN(auto open, store::OpenPlacement(c, case_id));
    if (!open) return Status::Conflict("rescue.placement.none", "该人员当前没有托养安置");
    if (date < open->start_date) {
      return Status::InvalidField("end_date", "rescue.placement.end_before_start", "结束日期不能早于安置开始日期");
    }
    const std::string now = NowText();
    const std::string why = reason.empty() ? "返回救助站" : std::string(Trim(reason));
    DOUDI_RETURN_IF_ERROR(store::EndPlacement(c, open->id, date, why, now, actor.principal.user_id));
    open->end_date = date;
    open->end_reason = why;
    result = open;
    DOUDI_RETURN_IF_ERROR(TouchCase(c, k, now, actor.principal.user_id));
    return audit_.AppendIn(c, Event(actor, "rescue.placement.end", "rescue_case", case_id,
                                    nlohmann::json{{"placement_id", open->id}}.dump()));
  }));
  return std::move(*result);
}

Result<Case> RescueService::RequestExtension(const Actor& actor, int64_t case_id, const std::string& until,
                                             const std::string& reason) {
  DOUDI_ASSIGN_OR_RETURN(auto date, internal::DateField("until", until, true, "延期至日期"));
  DOUDI_RETURN_IF_ERROR(RequireText("reason", reason, 2, 500, "rescue.extension.reason",
                                    "延期在站须填写理由（2 到 500 个字）"));
  std::optional<Case> result;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(Case k, LoadOpenCase(c, actor, case_id));
    Date limit = DayOf(k.intake_at, *date) + std::chrono::days(kStayLimitDays);
    if (*date <= limit) {
      return Status::InvalidField("until", "rescue.extension.too_early",
                                  "延期日期应晚于 10 天期限（" + FormatDate(limit) + "）");
    }
    const std::string now = NowText();
    k.extension_until = FormatDate(*date);
    k.extension_reason = std::string(Trim(reason));
    k.extension_requested_by = actor.principal.user_id;
    k.extension_approved_by.reset();
    k.extension_approved_at.clear();
    DOUDI_RETURN_IF_ERROR(TouchCase(c, k, now, actor.principal.user_id));
    DOUDI_RETURN_IF_ERROR(audit_.AppendIn(c, Event(actor, "rescue.extension.request", "rescue_case", case_id,
                                                   nlohmann::json{{"until", k.extension_until}}.dump())));
    result = std::move(k);
    return Status::Ok();
  }));
  return std::move(*result);
}

Result<Case> RescueService::ApproveExtension(const Actor& actor, int64_t case_id) {
  std::optional<Case> result;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(Case k, LoadOpenCase(c, actor, case_id));
    if (!k.extension_requested_by || k.extension_until.empty()) {
      return Status::Conflict("rescue.extension.none", "没有待审批的延期申请");
    }
    if (k.extension_approved_by) return Status::Conflict("rescue.extension.approved", "延期申请已审批");
    if (*k.extension_requested_by == actor.principal.user_id) {
      return Status::Forbidden("rescue.extension.self_approval", "延期申请须由申请人以外的人员审批");
    }
    const std::string now = NowText();
    k.extension_approved_by = actor.principal.user_id;
    k.extension_approved_at = now;
    DOUDI_RETURN_IF_ERROR(TouchCase(c, k, now, actor.principal.user_id));
    DOUDI_RETURN_IF_ERROR(audit_.AppendIn(c, Event(actor, "rescue.extension.approve", "rescue_case", case_id,
                                                   nlohmann::json{{"until", k.extension_until}}.dump())));
    result = std::move(k);
    return Status::Ok();
  }));
  return std::move(*result);
}

Result<Case> RescueService::StartSettlement(const Actor& actor, int64_t case_id, const std::string& started_on,
                                            const std::string& note) {
  const Date today = ShanghaiDate(clock_());
  std::string date = started_on.empty() ? FormatDate(today) : started_on;
  DOUDI_ASSIGN_OR_RETURN(auto d, internal::DateField("started_on", date, true, "启动日期"));
  if (*d > today) return Status::InvalidField("started_on", "rescue.settlement.future", "启动日期不能晚于今天");
  std::optional<Case> result;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(Case k, LoadOpenCase(c, actor, case_id));
    if (k.identified) return Status::Conflict("rescue.settlement.identified", "身份已查明的人员无须落户安置");
    if (!k.settlement_started_on.empty()) {
      return Status::Conflict("rescue.settlement.started", "落户安置程序已启动");
    }
    if (*d < DayOf(k.intake_at, today)) {
      return Status::InvalidField("started_on", "rescue.settlement.before_intake", "启动日期不能早于入站日期");
    }
    const std::string now = NowText();
    k.settlement_started_on = date;
    k.settlement_note = std::string(Trim(note));
    DOUDI_RETURN_IF_ERROR(TouchCase(c, k, now, actor.principal.user_id));
    DOUDI_RETURN_IF_ERROR(audit_.AppendIn(c, Event(actor, "rescue.settlement.start", "rescue_case", case_id)));
    result = std::move(k);
    return Status::Ok();
  }));
  return std::move(*result);
}

}  // namespace doudi::rescue
