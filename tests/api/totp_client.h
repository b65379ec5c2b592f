// The current TOTP code for a base32 secret, as an authenticator app would show it (tests only).
#pragma once
#include <cstdint>
#include <string>
namespace doudi::testing {
std::string TotpNow(const std::string& base32_secret);
// The code of one 30-second time step (unix time / 30).
std::string TotpAt(const std::string& base32_secret, uint64_t step);
uint64_t TotpStepNow();
// The current code, but never the code of a step this process already took for the same secret: the server
// accepts each code once, so a second login within 30 s waits for the next step (up to 30 s).
std::string TotpFresh(const std::string& base32_secret);
}  // namespace doudi::testing
