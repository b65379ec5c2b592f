// An independent RFC 6238 implementation for the tests, so the server's TOTP is checked against code it
// does not share.
#include "totp_client.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace doudi::testing {

uint64_t TotpStepNow() { return static_cast<uint64_t>(std::time(nullptr)) / 30; }

std::string TotpNow(const std::string& secret) { return TotpAt(secret, TotpStepNow()); }

std::string TotpFresh(const std::string& secret) {
  static std::mutex mu;
  static std::map<std::string, uint64_t> last_step;
  std::lock_guard lock(mu);
  auto it = last_step.find(secret);
  while (it != last_step.end() && TotpStepNow() <= it->second) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  uint64_t step = TotpStepNow();
  last_step[secret] = step;
  return TotpAt(secret, step);
}

std::string TotpAt(const std::string& secret, uint64_t step) {
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
  uint64_t counter = step;
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
