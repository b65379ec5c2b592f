// Street patrol logs over HTTP under /api/v1/rescue/patrols (rescue.read to read, rescue.write to log and
// correct).
#pragma once

#include "http/router.h"
#include "rescue/patrol_service.h"

namespace doudi::rescue {

void RegisterPatrolRoutes(http::Router& router, PatrolService& service);

}  // namespace doudi::rescue
