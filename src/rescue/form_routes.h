// The rescue station's printable forms over HTTP (docs/rescue.md, "Forms"):
//   GET /api/v1/rescue/cases/{id}/forms              the forms that apply to the case (code, title)
//   GET /api/v1/rescue/cases/{id}/forms/{form}.pdf   one form as an A4 PDF download
// Both need rescue.read and read the case through RescueService::CaseDetail, so the caller's data scope applies
// exactly as on the case page (404 outside it) and the service appends its "rescue.case.view" row. A download
// also appends "rescue.form.download" naming the form. A form that does not apply to the case is 409, an
// unknown form code 400.
#pragma once

#include "http/router.h"
#include "platform/audit.h"
#include "rescue/service.h"

namespace doudi::rescue {

void RegisterRescueFormRoutes(http::Router& router, RescueService& service, platform::AuditLog& audit);

}  // namespace doudi::rescue
