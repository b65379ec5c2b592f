// Routes under /api/v1/auth: login, logout, the current user, password change and TOTP enrolment.
#pragma once

#include "http/router.h"

namespace doudi::app {

struct App;
void RegisterAuthRoutes(http::Router& router, App& app);

}  // namespace doudi::app
