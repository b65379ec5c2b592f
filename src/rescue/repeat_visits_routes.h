// Repeat visits over HTTP (rescue.read to list, rescue.write to search and decide):
//   GET  /api/v1/rescue/cases/{id}/repeat-visits[?all=1]
//   POST /api/v1/rescue/cases/{id}/repeat-visits/search
//   POST /api/v1/rescue/cases/{id}/repeat-visits/{sid}/confirm|reject|undo  {reason, version}
#pragma once

#include "http/router.h"
#include "rescue/repeat_visits.h"

namespace doudi::rescue {

void RegisterRepeatVisitRoutes(http::Router& router, RepeatVisitService& service);

}  // namespace doudi::rescue
