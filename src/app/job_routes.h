// Routes of the background jobs (platform/jobs.h): GET /api/v1/jobs, GET /api/v1/jobs/{id} and
// POST /api/v1/jobs/{id}/cancel, all with job.read; what a principal sees is the service's scope rule.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "http/router.h"
#include "platform/jobs.h"

namespace doudi::app {

void RegisterJobRoutes(http::Router& router, platform::JobsService& jobs);

// A job as the API shows it (snake_case; result parsed, null when unset).
nlohmann::json JobJson(const platform::Job& job);

}  // namespace doudi::app
