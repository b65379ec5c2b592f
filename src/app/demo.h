// Demo data for `doudi demo` and `make run`: the demo accounts (every role in every Jingzhou district) and the
// synthetic population (app/demo_population.h). Demo-only credentials, printed and listed in README.md.
#pragma once

#include <ostream>
#include <string>

#include "app/commands.h"
#include "common/status.h"

namespace doudi::app {

struct App;

// The password of every demo account and the TOTP secret of the demo administrators. Demo only.
inline constexpr const char* kDemoPassword = "Jingzhou@2026";
inline constexpr const char* kDemoTotpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

Result<bool> DatabaseHasNoUsers(App& app);
// Loads accounts and population into an empty database (refuses one that has users).
Status LoadDemo(App& app, const DemoOptions& options, std::ostream& out);
void PrintDemoLogin(std::ostream& out, int port);
// Enrols a user's TOTP with `secret` (a random one when empty) for first set-up from the command line;
// returns the secret.
Result<std::string> EnrolTotpForSetup(App& app, int64_t user_id, const std::string& secret);

}  // namespace doudi::app
