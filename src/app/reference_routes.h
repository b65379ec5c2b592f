// Routes for reference data every screen needs: divisions (for cascaders) and code dictionaries, plus health.
#pragma once

#include "db/db.h"
#include "http/router.h"

namespace doudi::app {

void RegisterReferenceRoutes(http::Router& router, db::Database& db);

}  // namespace doudi::app
