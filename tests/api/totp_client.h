// The current TOTP code for a base32 secret, as an authenticator app would show it (tests only).
#pragma once
#include <string>
namespace doudi::testing {
std::string TotpNow(const std::string& base32_secret);
}  // namespace doudi::testing
