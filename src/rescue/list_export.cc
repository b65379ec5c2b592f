#include "rescue/list_export.h"

#include <nlohmann/json.hpp>

#include "common/id_number.h"
#include "common/time.h"
#include "common/xlsx.h"
#include "http/download.h"
#include "rescue/institution_route_util.h"

namespace doudi::rescue {
namespace {

using nlohmann::json;
using namespace routes;
using xlsx::Cell;
using xlsx::Type;

constexpr int kCasePage = 200;    // RescueService::ListCases' largest page
constexpr int kReportPage = 100;  // MissingReportService::List's largest page

// The download named after the list and the day in Shanghai ("求助登记-2026-11-30.xlsx").
http::Response XlsxFile(std::string body, const std::string& ascii_stem, const std::string& name_stem) {
  std::string day = ToShanghai(NowUtcIso()).substr(0, 10);
  return http::Download(std::move(body), http::kXlsxType, ascii_stem + "-" + day + ".xlsx",
                        name_stem + "-" + day + ".xlsx");
}

Status AuditExport(platform::AuditLog& audit, const http::Request& req, const std::string& action,
                   const std::string& object_type, json filters, int64_t rows) {
  platform::AuditEvent e = platform::AuditEventFor(*req.principal, action, object_type, "");
  e.ip = req.ip;
  e.request_id = req.request_id;
  e.detail = json{{"format", "xlsx"}, {"filters", std::move(filters)}, {"rows", rows}}.dump();
  return audit.Append(std::move(e));
}

std::string SexName(int sex) { return sex == 1 ? "男" : sex == 2 ? "女" : "未知"; }

std::string CaseStatusName(const std::string& s) {
  if (s == "in_station") return "在站";
  if (s == "departed") return "已离站";
  if (s == "refused") return "不予救助";
  return s;
}

std::string HowCameName(const std::string& s) {
  if (s == "self") return "自行求助";
  if (s == "police") return "公安护送";
  if (s == "patrol") return "街面巡查";
  if (s == "referral") return "转介";
  return s;
}

std::string DepartureName(const std::string& s) {
  if (s == "self") return "自行离站";
  if (s == "relatives") return "亲属接回";
  if (s == "escort_home") return "护送返乡";
  if (s == "transfer") return "转移";
  if (s == "death") return "死亡";
  if (s == "termination") return "终止救助";
  return s;
}

std::string ReportStatusName(const std::string& s) {
  if (s == "open") return "寻找中";
  if (s == "found") return "已找到";
  if (s == "closed") return "已关闭";
  return s;
}

std::string RelationName(const std::string& s) {
  if (s == "father") return "父亲";
  if (s == "mother") return "母亲";
  if (s == "parent") return "父或母";
  if (s == "sibling") return "兄弟姐妹";
  if (s == "child") return "子女";
  if (s == "self") return "本人";
  return s;
}

Cell OptInt(const std::optional<int>& v) { return v ? Cell::Integer(*v) : Cell::Empty(); }
Cell TextOrEmpty(const std::string& s) { return s.empty() ? Cell::Empty() : Cell::Text(s); }
Cell DateOrEmpty(const std::string& s) { return s.empty() ? Cell::Empty() : Cell::Date(s); }
Cell TimeOrEmpty(const std::string& utc) { return utc.empty() ? Cell::Empty() : Cell::Text(ToShanghai(utc).substr(0, 16)); }

std::string DivisionPlace(const Divisions& d, const std::string& code, const std::string& place) {
  std::string name = code.empty() ? "" : d.FullName(code);
  if (name.empty()) name = code;
  if (!place.empty()) name += name.empty() ? place : " " + place;
  return name;
}

Result<std::string> CasesXlsx(RescueService& svc, const Actor& actor, CaseQuery q, int64_t* rows) {
  DOUDI_ASSIGN_OR_RETURN(auto book, xlsx::Workbook::Create());
  DOUDI_ASSIGN_OR_RETURN(
      xlsx::Sheet * s,
      book->AddSheet("求助登记",
                     {{"编号", 8, Type::kInteger}, {"姓名", 12}, {"身份已查明", 10}, {"性别", 6},
                      {"出生日期", 12, Type::kDate}, {"估计年龄", 8, Type::kInteger}, {"求助时间", 17},
                      {"状态", 10}, {"救助站", 30}, {"来站方式", 10}, {"发现日期", 12, Type::kDate},
                      {"发现地点", 24}, {"房间", 8}, {"床位", 8}, {"离站时间", 17}, {"离站方式", 10}},
                     "求助登记 · 导出于 " + ToShanghai(NowUtcIso()).substr(0, 16)));
  q.size = kCasePage;
  for (q.page = 1;; ++q.page) {
    DOUDI_ASSIGN_OR_RETURN(CaseList list, svc.ListCases(actor, q));
    for (const Case& k : list.items) {
      if (*rows >= kExportMaxRows) break;
      DOUDI_RETURN_IF_ERROR(s->AddRow(
          {Cell::Integer(k.id), Cell::Text(k.name.empty() ? "无名氏" : k.name), Cell::Text(k.identified ? "是" : "否"),
           Cell::Text(SexName(k.sex)), DateOrEmpty(k.birth_date), OptInt(k.estimated_age), TimeOrEmpty(k.intake_at),
           Cell::Text(CaseStatusName(k.status)), Cell::Text(DivisionPlace(svc.divisions(), k.station_division, "")),
           Cell::Text(HowCameName(k.how_came)), DateOrEmpty(k.found_date), TextOrEmpty(k.found_place),
           TextOrEmpty(k.room), TextOrEmpty(k.bed), TimeOrEmpty(k.departed_at),
           TextOrEmpty(DepartureName(k.departure_kind))}));
      ++*rows;
    }
    if (list.items.empty() || *rows >= kExportMaxRows || static_cast<int64_t>(q.page) * kCasePage >= list.total) break;
  }
  return book->Finish();
}

Result<std::string> ReportsXlsx(MissingReportService& svc, const Divisions& divisions, const Actor& actor,
                                ReportQuery q, int64_t* rows) {
  DOUDI_ASSIGN_OR_RETURN(auto book, xlsx::Workbook::Create());
  DOUDI_ASSIGN_OR_RETURN(
      xlsx::Sheet * s,
      book->AddSheet("寻人登记",
                     {{"编号", 8, Type::kInteger}, {"状态", 8}, {"走失人员", 12}, {"性别", 6},
                      {"出生日期", 12, Type::kDate}, {"走失时年龄", 10, Type::kInteger}, {"走失日期", 12, Type::kDate},
                      {"走失地点", 30}, {"户籍地", 24}, {"身高(cm)", 9, Type::kInteger}, {"体貌特征", 30},
                      {"口音", 10}, {"DNA参照样本", 20}, {"登记人", 10}, {"与走失人员关系", 12}, {"联系电话", 14},
                      {"登记时间", 17}},
                     "寻人登记 · 导出于 " + ToShanghai(NowUtcIso()).substr(0, 16)));
  q.size = kReportPage;
  for (q.page = 1;; ++q.page) {
    DOUDI_ASSIGN_OR_RETURN(auto found, svc.List(actor, q));
    for (const MissingReport& r : found.first) {
      if (*rows >= kExportMaxRows) break;
      std::string samples;
      for (const auto& d : r.samples) samples += (samples.empty() ? "" : "、") + RelationName(d.relation);
      DOUDI_RETURN_IF_ERROR(s->AddRow(
          {Cell::Integer(r.id), Cell::Text(ReportStatusName(r.status)), TextOrEmpty(r.name), Cell::Text(SexName(r.sex)),
           DateOrEmpty(r.birth_date), OptInt(r.age_at_lost), DateOrEmpty(r.lost_date),
           TextOrEmpty(DivisionPlace(divisions, r.lost_division, r.lost_place)),
           TextOrEmpty(DivisionPlace(divisions, r.hukou_division, "")), OptInt(r.height_cm), TextOrEmpty(r.features),
           TextOrEmpty(r.dialect), TextOrEmpty(samples), Cell::Text(r.reporter_name), TextOrEmpty(r.reporter_relation),
           Cell::Text(MaskPhone(r.reporter_phone)), TimeOrEmpty(r.created_at)}));
      ++*rows;
    }
    if (found.first.empty() || *rows >= kExportMaxRows || static_cast<int64_t>(q.page) * kReportPage >= found.second) {
      break;
    }
  }
  return book->Finish();
}

}  // namespace

void RegisterRescueExportRoutes(http::Router& router, RescueService& cases,
                                std::shared_ptr<MissingReportService> reports, platform::AuditLog& audit_log) {
  RescueService* svc = &cases;
  platform::AuditLog* audit = &audit_log;
  const std::string base = "/api/v1/rescue";

  router.Get(base + "/cases/export.xlsx", Options("rescue.read"), [svc, audit](http::Request& req) -> Result<http::Response> {
    CaseQuery q;
    q.status = QueryOr(req, "status");
    q.name = QueryOr(req, "name");
    q.unidentified_only = QueryOr(req, "unidentified") == "1";
    int64_t rows = 0;
    DOUDI_ASSIGN_OR_RETURN(std::string book, CasesXlsx(*svc, ActorOf(req), q, &rows));
    json filters = {{"status", q.status}, {"name", q.name}, {"unidentified", q.unidentified_only}};
    DOUDI_RETURN_IF_ERROR(AuditExport(*audit, req, "rescue.case.export", "rescue_case", filters, rows));
    return XlsxFile(std::move(book), "rescue-cases", "求助登记");
  });

  router.Get(base + "/missing-reports/export.xlsx", Options("tracing.read"),
             [svc, reports, audit](http::Request& req) -> Result<http::Response> {
               ReportQuery q;
               q.status = QueryOr(req, "status");
               q.name = QueryOr(req, "name");
               int64_t rows = 0;
               DOUDI_ASSIGN_OR_RETURN(std::string book, ReportsXlsx(*reports, svc->divisions(), ActorOf(req), q, &rows));
               json filters = {{"status", q.status}, {"name", q.name}};
               DOUDI_RETURN_IF_ERROR(
                   AuditExport(*audit, req, "rescue.report.export", "rescue_missing_report", filters, rows));
               return XlsxFile(std::move(book), "missing-reports", "寻人登记");
             });
}

}  // namespace doudi::rescue
