// The verification API under /api/v1/verify (docs/api/openapi.yaml, tag verify): feed upload and batches,
// authorisations, requests and results, batch rechecks and the suspicious list. GET needs verify.read, every
// other method verify.write (CSRF by the server). Report downloads are registered by report_routes.*.
#pragma once

#include "common/divisions.h"
#include "http/router.h"
#include "verify/service.h"

namespace doudi::verify {

void RegisterVerifyRoutes(http::Router& router, VerifyService& service, const Divisions& divisions = Divisions::Default());

}  // namespace doudi::verify
