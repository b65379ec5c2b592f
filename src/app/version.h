// The version string of this build.
#pragma once
namespace doudi::app {
const char* Version();
}  // namespace doudi::app
