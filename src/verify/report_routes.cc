#include "verify/report_routes.h"

#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/time.h"
#include "http/download.h"
#include "verify/report.h"

namespace doudi::verify {
namespace {

using nlohmann::json;

// At most this many results go into one download (the Excel sheet's limit is about a million rows).
constexpr int64_t kMaxExportRows = 1'000'000;

Result<int64_t> PathId(const http::Request& req, const Status& not_found) {
  std::string s = req.Param("id");
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v <= 0) return not_found;
  return v;
}

Result<std::optional<int64_t>> QueryId(const http::Request& req, const std::string& name) {
  auto q = req.Query(name);
  if (!q || q->empty()) return std::optional<int64_t>();
  int64_t v = 0;
  auto [p, ec] = std::from_chars(q->data(), q->data() + q->size(), v);
  if (ec != std::errc() || p != q->data() + q->size() || v <= 0) {
    return Status::InvalidField(name, "verify." + name, name + " 应为正整数");
  }
  return std::optional<int64_t>(v);
}

http::RouteOptions Read() {
  http::RouteOptions o;
  o.permission = "verify.read";
  return o;
}

Actor ActorOf(const http::Request& req) { return Actor(*req.principal, req.ip, req.request_id); }

Status Audit(platform::AuditLog& audit, const http::Request& req, const std::string& object_type, int64_t id,
             const std::string& what, const std::string& format, int64_t rows = -1) {
  platform::AuditEvent e = platform::AuditEventFor(*req.principal, "verify.report.download", object_type,
                                                   std::to_string(id));
  e.ip = req.ip;
  e.request_id = req.request_id;
  json detail = {{"report", what}, {"format", format}};
  if (rows >= 0) detail["rows"] = rows;
  e.detail = detail.dump();
  return audit.Append(std::move(e));
}

using http::kCsvType;
using http::kXlsxType;

}  // namespace

void RegisterReportRoutes(http::Router& router, VerifyService& service, platform::AuditLog& audit_log) {
  VerifyService* svc = &service;
  platform::AuditLog* audit = &audit_log;
  const std::string base = "/api/v1/verify";

  // The household's verification report.
  router.Get(base + "/requests/{id}/report.pdf", Read(), [svc, audit](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(
        int64_t id, PathId(req, Status::NotFound("verify.request.not_found", "核对记录不存在或不在您的管辖范围内")));
    DOUDI_ASSIGN_OR_RETURN(Verification v, svc->GetVerification(ActorOf(req), id));
    ReportOptions o;
    o.generated_by = req.principal->display_name.empty() ? req.principal->username : req.principal->display_name;
    o.generated_at = NowUtcIso();
    DOUDI_ASSIGN_OR_RETURN(std::string pdf, HouseholdReportPdf(v, o));
    DOUDI_RETURN_IF_ERROR(Audit(*audit, req, "verify_request", id, "household", "pdf"));
    return http::Download(std::move(pdf), http::kPdfType, fmt::format("verify-report-{}.pdf", id),
                fmt::format("核对报告-{}-{}.pdf", v.head_name, id));
  });

  // Results (filtered like GET /verify/requests) as Excel or CSV.
  router.Get(base + "/requests/export", Read(), [svc, audit](http::Request& req) -> Result<http::Response> {
    const std::string format = req.Query("format").value_or("xlsx");
    if (format != "xlsx" && format != "csv") {
      return Status::InvalidField("format", "verify.export.format", "导出格式应为 xlsx 或 csv");
    }
    VerificationQuery q;
    DOUDI_ASSIGN_OR_RETURN(q.household_id, QueryId(req, "household_id"));
    DOUDI_ASSIGN_OR_RETURN(q.batch_id, QueryId(req, "batch_id"));
    q.decision = req.Query("decision").value_or("");
    q.flag = req.Query("flag").value_or("");
    q.township = req.Query("township").value_or("");
    std::string title = "核对结果";
    if (q.batch_id) {
      DOUDI_ASSIGN_OR_RETURN(Recheck b, svc->GetRecheck(ActorOf(req), *q.batch_id));  // 404 outside the scope
      title = fmt::format("{}（核对基准日 {}）", b.title, b.as_of);
    }
    std::vector<Verification> rows;
    q.size = 200;
    for (q.page = 1;; ++q.page) {
      DOUDI_ASSIGN_OR_RETURN(auto page, svc->ListVerifications(ActorOf(req), q));
      const size_t got = page.items.size();
      for (auto& v : page.items) rows.push_back(std::move(v));
      if (got < static_cast<size_t>(q.size) || static_cast<int64_t>(rows.size()) >= page.total) break;
      if (static_cast<int64_t>(rows.size()) >= kMaxExportRows) {
        return Status(Code::kTooLarge, "verify.export.too_many", "导出结果超过 100 万条，请按乡镇（街道）或结论筛选后分批导出");
      }
    }
    const int64_t object = q.batch_id.value_or(0);
    DOUDI_RETURN_IF_ERROR(Audit(*audit, req, q.batch_id ? "verify_batch" : "verify_request", object, "results",
                                format, static_cast<int64_t>(rows.size())));
    const std::string stem = q.batch_id ? fmt::format("verify-results-batch-{}", *q.batch_id) : "verify-results";
    const std::string name = q.batch_id ? fmt::format("核对结果-批次{}", *q.batch_id) : "核对结果";
    if (format == "csv") return http::Download(BatchResultsCsv(rows), kCsvType, stem + ".csv", name + ".csv");
    DOUDI_ASSIGN_OR_RETURN(std::string book, BatchResultsXlsx(rows, title));
    return http::Download(std::move(book), kXlsxType, stem + ".xlsx", name + ".xlsx");
  });

  // A recheck's suspicious list.
  router.Get(base + "/batches/{id}/suspicious.xlsx", Read(), [svc, audit](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(
        int64_t id, PathId(req, Status::NotFound("verify.batch.not_found", "批量核对不存在或不在您的管辖范围内")));
    DOUDI_ASSIGN_OR_RETURN(Recheck b, svc->GetRecheck(ActorOf(req), id));
    DOUDI_ASSIGN_OR_RETURN(json list, svc->Suspicious(ActorOf(req), id));
    DOUDI_ASSIGN_OR_RETURN(std::string book,
                           SuspiciousXlsx(list, fmt::format("疑似问题清单 · {}（核对基准日 {}）", b.title, b.as_of)));
    DOUDI_RETURN_IF_ERROR(Audit(*audit, req, "verify_batch", id, "suspicious", "xlsx"));
    return http::Download(std::move(book), kXlsxType, fmt::format("suspicious-batch-{}.xlsx", id),
                fmt::format("疑似问题清单-批次{}.xlsx", id));
  });

  // A feed batch's rejected rows (row, column, code, reason: no cell values).
  router.Get(base + "/feeds/{id}/rejects.csv", Read(), [svc, audit](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(int64_t id,
                           PathId(req, Status::NotFound("verify.feed.not_found", "数据批次不存在")));
    DOUDI_ASSIGN_OR_RETURN(FeedBatch b, svc->GetFeedBatch(ActorOf(req), id));
    std::vector<FeedReject> rejects;
    for (int page = 1;; ++page) {
      DOUDI_ASSIGN_OR_RETURN(auto p, svc->ListRejects(ActorOf(req), id, page, 200));
      const size_t got = p.items.size();
      for (auto& r : p.items) rejects.push_back(std::move(r));
      if (got < 200 || static_cast<int64_t>(rejects.size()) >= p.total) break;
    }
    DOUDI_RETURN_IF_ERROR(Audit(*audit, req, "verify_feed", id, "rejects", "csv", static_cast<int64_t>(rejects.size())));
    return http::Download(FeedRejectsCsv(rejects), kCsvType, fmt::format("feed-{}-rejects.csv", id),
                fmt::format("{}-错误行.csv", b.filename.empty() ? "feed-" + std::to_string(id) : b.filename));
  });
}

}  // namespace doudi::verify
