// Routes of the three 等保 administrators: accounts (/users, system admin), roles and permissions (/roles,
// /permissions, security admin) and the audit log (/audit, audit admin).
#pragma once

#include "http/router.h"

namespace doudi::app {

struct App;
void RegisterAdminRoutes(http::Router& router, App& app);

}  // namespace doudi::app
