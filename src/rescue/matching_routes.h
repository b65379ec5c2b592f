// Missing-person reports and matching over HTTP (tracing.read to read, tracing.write to enter and match):
//   GET/POST /api/v1/rescue/missing-reports, GET/PUT /api/v1/rescue/missing-reports/{id},
//   POST /api/v1/rescue/missing-reports/{id}/status, POST /api/v1/rescue/dna-requests/{id}/str,
//   POST /api/v1/rescue/cases/{id}/match.
#pragma once

#include <memory>

#include "http/router.h"
#include "rescue/missing_reports.h"

namespace doudi::rescue {

void RegisterMatchingRoutes(http::Router& router, std::shared_ptr<MissingReportService> service);

}  // namespace doudi::rescue
