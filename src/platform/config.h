// PlatformConfig: the security settings of accounts and sessions; the app fills it from the [security]
// section of the TOML config.
#pragma once

#include <chrono>
#include <string>

#include "platform/password.h"

namespace doudi::platform {

struct PlatformConfig {
  PasswordCost password_cost;                   // argon2id cost (tests: PasswordCost::Minimum())
  std::chrono::minutes session_idle{30};        // a session unused this long ends
  std::chrono::hours session_absolute{12};      // and every session ends this long after login
  int lockout_failures = 5;                     // consecutive failed logins that lock the account
  std::chrono::minutes lockout_duration{15};    // for this long
  bool totp_required_for_all = false;           // two-factor login for every user, not only administrators
  std::string totp_issuer = "兜底";             // shown by authenticator apps
};

}  // namespace doudi::platform
