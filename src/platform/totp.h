// TOTP (RFC 6238) two-factor codes: HMAC-SHA1 over 30-second steps, as phone authenticator apps compute
// them, plus the base32 text (RFC 4648) their secrets travel in and the otpauth:// URI their QR codes hold.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace doudi::platform {

// RFC 4648 base32 (A–Z, 2–7). Encode pads with '=' unless pad is false.
std::string Base32Encode(std::string_view bytes, bool pad = true);
// Accepts upper or lower case, and ignores padding, spaces and hyphens (as users type secrets).
Result<std::string> Base32Decode(std::string_view text);

// A new random secret: 20 bytes (160 bits, RFC 4226's recommendation), base32 without padding.
std::string GenerateTotpSecret();

// The HOTP value (RFC 4226) of `key` for `counter`, as a zero-padded string of `digits` (6–8) digits.
std::string HotpCode(std::string_view key, uint64_t counter, int digits = 6);
// The time step of a Unix time: floor(unix_seconds / step_seconds).
inline int64_t TotpStep(int64_t unix_seconds, int step_seconds = 30) {
  return unix_seconds / step_seconds;
}
std::string TotpCode(std::string_view key, int64_t unix_seconds, int digits = 6, int step_seconds = 30);
// The step whose 6-digit code equals `code`, among the current step and `window` steps either side (for
// clock drift); nullopt if none does. Callers reject a step not after the last one used (replay).
std::optional<int64_t> MatchTotp(std::string_view key, std::string_view code, int64_t unix_seconds, int window = 1);

// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30 (percent-encoded).
std::string OtpauthUri(std::string_view issuer, std::string_view account, std::string_view secret_base32);

}  // namespace doudi::platform
