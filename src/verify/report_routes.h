// The verification module's downloads under /api/v1/verify: a verification's report as PDF, results as Excel or
// CSV, a recheck's suspicious list as Excel and a feed batch's rejected rows as CSV (docs/api/openapi.yaml).
//
// Every route needs verify.read and goes through VerifyService, so the caller's data scope applies exactly as on
// the JSON routes (404 outside it). A download is a view of people's details: each appends a
// "verify.report.download" audit row naming what was downloaded and its format (the PDF also gets the
// service's "verify.result.view").
#pragma once

#include "http/router.h"
#include "platform/audit.h"
#include "verify/service.h"

namespace doudi::verify {

void RegisterReportRoutes(http::Router& router, VerifyService& service, platform::AuditLog& audit);

}  // namespace doudi::verify
