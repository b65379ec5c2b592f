// Byte-string helpers over libsodium: random bytes, base64 / base64url / hex text, SHA-256.
//
// Every function initialises libsodium on first use (sodium_init is idempotent and thread-safe), so callers
// never need to remember to do it.
#pragma once

#include <string>
#include <string_view>

namespace doudi::platform {

// Initialises libsodium; aborts if it cannot (no usable random source: nothing secure can run).
void EnsureSodium();

std::string RandomBytes(size_t n);
std::string Base64(std::string_view bytes);     // RFC 4648 §4, with padding
std::string Base64Url(std::string_view bytes);  // RFC 4648 §5, no padding (tokens in headers and cookies)
// Decodes standard base64; false on malformed input.
bool FromBase64(std::string_view text, std::string* out);
std::string Hex(std::string_view bytes);  // lower case
std::string Sha256Hex(std::string_view data);

}  // namespace doudi::platform
