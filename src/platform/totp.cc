#include "platform/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <cctype>

#include "platform/bytes.h"

namespace doudi::platform {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string PercentEncode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::string Base32Encode(std::string_view bytes, bool pad) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
  if (pad) {
    while (out.size() % 8) out += '=';
  }
  return out;
}

Result<std::string> Base32Decode(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  bool padding = false;
  for (char ch : text) {
    if (ch == ' ' || ch == '-') continue;
    if (ch == '=') {
      padding = true;
      continue;
    }
    int v;
    if (ch >= 'A' && ch <= 'Z') {
      v = ch - 'A';
    } else if (ch >= 'a' && ch <= 'z') {
      v = ch - 'a';
    } else if (ch >= '2' && ch <= '7') {
      v = ch - '2' + 26;
    } else {
      v = -1;
    }
    if (v < 0 || padding) {
      return Status::InvalidField("secret", "auth.totp.base32", "密钥不是有效的 base32 文本（只能包含 A–Z 和 2–7）");
    }
    buffer = (buffer << 5) | static_cast<uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xFF);
      bits -= 8;
    }
  }
  return out;
}

std::string GenerateTotpSecret() { return Base32Encode(RandomBytes(20), false); }

std::string HotpCode(std::string_view key, uint64_t counter, int digits) {
  unsigned char msg[8];
  for (int i = 7; i >= 0; --i, counter >>= 8) msg[i] = static_cast<unsigned char>(counter & 0xFF);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  static const unsigned char kNoKey = 0;  // OpenSSL reads a null key pointer as "reuse the previous key"
  const void* k = key.empty() ? &kNoKey : static_cast<const void*>(key.data());
  HMAC(EVP_sha1(), k, static_cast<int>(key.size()), msg, sizeof msg, mac, &len);
  // Dynamic truncation (RFC 4226 §5.3).
  int offset = mac[len - 1] & 0x0F;
  uint32_t bin = (static_cast<uint32_t>(mac[offset] & 0x7F) << 24) | (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                 (static_cast<uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
  uint32_t mod = 1;
  for (int i = 0; i < digits; ++i) mod *= 10;
  std::string code = std::to_string(bin % mod);
  return std::string(static_cast<size_t>(digits) - code.size(), '0') + code;
}

std::string TotpCode(std::string_view key, int64_t unix_seconds, int digits, int step_seconds) {
  return HotpCode(key, static_cast<uint64_t>(TotpStep(unix_seconds, step_seconds)), digits);
}

std::optional<int64_t> MatchTotp(std::string_view key, std::string_view code, int64_t unix_seconds, int window) {
  if (code.size() != 6) return std::nullopt;
  int64_t now = TotpStep(unix_seconds);
  std::optional<int64_t> found;
  // Compute every candidate, so the time taken does not tell which step matched.
  for (int64_t step = now - window; step <= now + window; ++step) {
    std::string expected = HotpCode(key, static_cast<uint64_t>(step));
    if (sodium_memcmp(expected.data(), code.data(), 6) == 0 && !found) found = step;
  }
  return found;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account, std::string_view secret_base32) {
  std::string label = PercentEncode(issuer) + ":" + PercentEncode(account);
  return "otpauth://totp/" + label + "?secret=" + std::string(secret_base32) + "&issuer=" + PercentEncode(issuer) +
         "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace doudi::platform
