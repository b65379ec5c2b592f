#include "app/version.h"
namespace doudi::app {
const char* Version() { return DOUDI_VERSION; }
}  // namespace doudi::app
