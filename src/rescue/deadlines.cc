#include "rescue/deadlines.h"

#include <algorithm>

namespace doudi::rescue {

using namespace std::chrono;

Date AddMonths(Date d, int months) {
  year_month_day ymd{d};
  year_month ym = year_month{ymd.year(), ymd.month()} + std::chrono::months(months);
  auto last = year_month_day_last{ym.year(), month_day_last{ym.month()}}.day();
  day dd = std::min(ymd.day(), last);
  return sys_days{ym / dd};
}

std::optional<int> AgeOn(const std::string& birth, Date on) {
  auto b = ParseDate(birth);
  if (!b.ok()) return std::nullopt;
  year_month_day yb{*b}, yo{on};
  int age = static_cast<int>(yo.year()) - static_cast<int>(yb.year());
  if (yo.month() < yb.month() || (yo.month() == yb.month() && yo.day() < yb.day())) --age;
  return age;
}

void ClassifyDeadline(DeadlineItem& item, TimePoint now, int warn_days) {
  Date today = ShanghaiDate(now);
  auto due = ParseDate(item.due_date);
  item.days_left = due.ok() ? static_cast<int>((*due - today).count()) : 0;
  bool overdue = item.days_left < 0;
  if (!item.due_at.empty()) {
    auto at = ParseIsoTime(item.due_at);
    if (at.ok()) overdue = now > *at;
  }
  item.state = overdue ? "overdue" : item.days_left <= warn_days ? "due" : "upcoming";
}

std::vector<DeadlineItem> CaseDeadlines(const CaseClock& c, TimePoint now, const WorkCalendar& cal, int warn_days) {
  std::vector<DeadlineItem> out;
  const Date intake_day = ShanghaiDate(c.intake_at);
  auto add = [&](std::string kind, std::string title, Date due, std::string due_at = "") {
    DeadlineItem item;
    item.kind = std::move(kind);
    item.object_type = "case";
    item.object_id = c.case_id;
    item.case_id = c.case_id;
    item.station_division = c.station_division;
    item.assignee_id = c.assignee_id;
    item.title = c.label + "：" + title;
    item.due_date = FormatDate(due);
    item.due_at = std::move(due_at);
    ClassifyDeadline(item, now, warn_days);
    out.push_back(std::move(item));
  };
  if (!c.identified) {
    if (!c.notice_published) {
      TimePoint due = c.intake_at + hours(24);
      add("notice", "发布寻亲公告（入站 24 小时内）", ShanghaiDate(due), FormatUtcIso(due));
    }
    if (!c.dna_requested) {
      add("dna_request", "商请公安机关采集 DNA（入站 7 个工作日内）", cal.AddWorkingDays(intake_day, 7));
    }
    if (c.notice_published && !c.notice_last_published_on.empty()) {
      if (auto last = ParseDate(c.notice_last_published_on); last.ok()) {
        add("notice_refresh", "更新寻亲公告（滞留超过 1 个月）", AddMonths(*last, 1));
      }
    }
    if (!c.settlement_started) add("settlement", "启动落户安置程序（身份不明满 3 个月）", AddMonths(intake_day, 3));
  }
  bool adult_rule = !c.mental_disability && (!c.age_at_intake || *c.age_at_intake >= 16);
  if (adult_rule) {
    Date due = intake_day + days(10);
    std::string title = "在站超过 10 天（须离站或报批延期）";
    if (!c.extension_until.empty()) {
      if (auto until = ParseDate(c.extension_until); until.ok()) {
        due = *until;
        title = "延期在站到期";
      }
    }
    add("stay_limit", title, due);
  }
  std::sort(out.begin(), out.end(), [](const DeadlineItem& a, const DeadlineItem& b) { return a.due_date < b.due_date; });
  return out;
}

}  // namespace doudi::rescue
