// An independent RFC 6238 implementation for the tests, so the server's TOTP is checked against code it
// does not share.
#include "totp_client.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdint>
#include <ctime>
#include <stdexcept>
#include <vector>

namespace doudi::testing {

std::string TotpNow(const std::string& secret) {
  std::vector<unsigned char> key;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : secret) {
    if (c == '=' || c == ' ') continue;
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a';
    else if (c >= '2' && c <= '7') v = c - '2' + 26;
    else throw std::runtime_error("bad base32");
    buffer = (buffer << 5) | static_cast<uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      key.push_back(static_cast<unsigned char>((buffer >> (bits - 8)) & 0xff));
      bits -= 8;
    }
  }
  uint64_t counter = static_cast<uint64_t>(std::time(nullptr)) / 30;
  unsigned char msg[8];
  for (int i = 7; i >= 0; --i) {
    msg[i] = static_cast<unsigned char>(counter & 0xff);
    counter >>= 8;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), msg, 8, mac, &len);
  int off = mac[len - 1] & 0x0f;
  uint32_t bin = ((mac[off] & 0x7fu) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  std::string code = std::to_string(bin % 1000000);
  return std::string(6 - code.size(), '0') + code;
}

}  // namespace doudi::testing
