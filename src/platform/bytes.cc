#include "platform/bytes.h"

#include <sodium.h>

#include <cstdlib>
#include <iostream>

namespace doudi::platform {
namespace {

const unsigned char* U(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

std::string ToBase64(std::string_view bytes, int variant) {
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), U(bytes), bytes.size(), variant);
  out.resize(out.size() - 1);  // the encoded length counts the terminating NUL
  return out;
}

}  // namespace

void EnsureSodium() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) {
    std::cerr << "libsodium 初始化失败（没有可用的随机数源），无法安全运行\n";
    std::abort();
  }
}

std::string RandomBytes(size_t n) {
  EnsureSodium();
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

std::string Base64(std::string_view bytes) {
  EnsureSodium();
  return ToBase64(bytes, sodium_base64_VARIANT_ORIGINAL);
}

std::string Base64Url(std::string_view bytes) {
  EnsureSodium();
  return ToBase64(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool FromBase64(std::string_view text, std::string* out) {
  EnsureSodium();
  std::string buf(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(buf.data()), buf.size(), text.data(), text.size(),
                        nullptr, &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return false;
  }
  buf.resize(len);
  *out = std::move(buf);
  return true;
}

std::string Hex(std::string_view bytes) {
  EnsureSodium();
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), U(bytes), bytes.size());
  out.pop_back();
  return out;
}

std::string Sha256Hex(std::string_view data) {
  EnsureSodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, U(data), data.size());
  return Hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

}  // namespace doudi::platform
