// The JSON shape of the signed-in user, shared by the auth routes.
#pragma once

#include <nlohmann/json.hpp>

#include "platform/principal.h"

namespace doudi::app {

nlohmann::json PrincipalJson(const platform::Principal& p);

}  // namespace doudi::app
