// The registry's HTTP API under /api/v1/registry (persons, reveal, 360°, households, members, stats), each
// route with its permission; handlers translate JSON and query strings to RegistryService calls and back.
#pragma once

#include "http/router.h"
#include "registry/service.h"

namespace doudi::registry {

void RegisterRegistryRoutes(http::Router& router, RegistryService& service);

}  // namespace doudi::registry
