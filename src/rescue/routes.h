// The rescue module's HTTP API: /api/v1/rescue (cases, stay, departure, notices, DNA, candidates, whereabouts,
// deadlines, stats; rescue.* and tracing.* permissions) and the public family-search page /api/v1/public/notices
// (no login). Handlers translate JSON to RescueService calls and back.
#pragma once

#include "http/router.h"
#include "rescue/service.h"

namespace doudi::rescue {

void RegisterRescueRoutes(http::Router& router, RescueService& service);

}  // namespace doudi::rescue
