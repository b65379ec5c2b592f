// Initial and temporary passwords that administrators hand to users: random, policy-compliant, and free of
// look-alike characters (0/O, 1/l/I) because they are read aloud or copied from paper.
#pragma once

#include <string>

namespace doudi::app {

std::string RandomPassword();

}  // namespace doudi::app
