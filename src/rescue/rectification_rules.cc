#include "rescue/rectification_rules.h"

#include "common/calendar.h"

namespace doudi::rescue {

Result<std::string> NextRectificationState(std::string_view state, std::string_view action) {
  auto refuse = [&]() -> Status {
    return Status::InvalidField("action", "rescue.rectification.transition",
                                "整改状态为“" + RectificationStateName(state) + "”时不能" +
                                    RectificationActionName(action));
  };
  if (action == "note") return std::string(state);
  if (action == "submit") {
    if (AwaitsInstitution(state)) return std::string("submitted");
    return refuse();
  }
  if (action == "verify") {
    if (state == "submitted") return std::string("closed");
    return refuse();
  }
  if (action == "reopen") {
    if (state == "submitted" || state == "closed") return std::string("reopened");
    return refuse();
  }
  if (action == "extend") {
    if (AwaitsInstitution(state)) return std::string(state);
    return refuse();
  }
  return Status::InvalidField("action", "rescue.rectification.action",
                              "未知的跟进操作：" + std::string(action) + "（应为 submit、verify、reopen、extend 或 note）");
}

std::string RectificationStateName(std::string_view state) {
  if (state == "open") return "待整改";
  if (state == "submitted") return "已提交待验收";
  if (state == "closed") return "验收通过（已销号）";
  if (state == "reopened") return "验收未通过（重新整改）";
  return std::string(state);
}

std::string RectificationActionName(std::string_view action) {
  if (action == "order") return "下达整改通知";
  if (action == "submit") return "提交整改情况";
  if (action == "verify") return "验收销号";
  if (action == "reopen") return "退回重新整改";
  if (action == "extend") return "延长整改期限";
  if (action == "note") return "记录跟进情况";
  return std::string(action);
}

bool AwaitsInstitution(std::string_view state) { return state == "open" || state == "reopened"; }

std::string DeadlineStatus(std::string_view state, std::string_view deadline, std::string_view today) {
  if (state == "closed") return "closed";
  if (state == "submitted") return "submitted";
  if (today > deadline) return "overdue";
  auto d = ParseDate(deadline);
  auto t = ParseDate(today);
  if (d.ok() && t.ok() && (*d - *t).count() <= 3) return "due_soon";
  return "pending";
}

}  // namespace doudi::rescue
