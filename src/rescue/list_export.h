// The rescue lists as Excel downloads (救助管理 › 导出 Excel): the cases (求助登记) and the missing-person reports
// (寻人登记), with the same filters as their lists, in the user's scope, every matching row (no paging, at most
// kExportMaxRows), written with common/xlsx.h. Each download appends one audit row (rescue.case.export,
// rescue.report.export) naming the filters and the number of rows. Health details are never exported; the
// reporter's phone is always masked in the file (a list taken out of the system should not carry it).
//   GET /api/v1/rescue/cases/export.xlsx?status=&name=&unidentified=1          (rescue.read)
//   GET /api/v1/rescue/missing-reports/export.xlsx?status=&name=               (tracing.read)
#pragma once

#include <memory>

#include "http/router.h"
#include "platform/audit.h"
#include "rescue/missing_reports.h"
#include "rescue/service.h"

namespace doudi::rescue {

inline constexpr int64_t kExportMaxRows = 100000;

void RegisterRescueExportRoutes(http::Router& router, RescueService& cases,
                                std::shared_ptr<MissingReportService> reports, platform::AuditLog& audit);

}  // namespace doudi::rescue
