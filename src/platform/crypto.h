// Field encryption and keyed lookup hashes for personal data (ID and phone numbers).
//
// Keys live in a key file (never in the database), created with mode 0600 on first start: a 32-byte
// secretbox key for encryption at rest and a 32-byte HMAC key for lookup hashes. Encrypt() returns base64 of
// nonce‖ciphertext (XSalsa20-Poly1305, libsodium); KeyedHash() returns hex HMAC-SHA256, so equal ID numbers
// can be found without decrypting anything.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace doudi::platform {

class Crypto {
 public:
  // Loads the key file, creating it (0600) if it does not exist. Refuses a file readable by others.
  static Result<std::unique_ptr<Crypto>> LoadOrCreate(const std::string& key_file);
  // For tests: fixed keys derived from a seed.
  static std::unique_ptr<Crypto> ForTesting(std::string_view seed);

  std::string Encrypt(std::string_view plaintext) const;
  Result<std::string> Decrypt(std::string_view ciphertext_b64) const;
  std::string KeyedHash(std::string_view value) const;
  // The first 8 bytes of KeyedHash as an integer: the person key engines join on.
  uint64_t KeyedHash64(std::string_view value) const;

  Crypto(const unsigned char* enc_key, const unsigned char* mac_key);
  ~Crypto();

 private:
  unsigned char enc_key_[32];
  unsigned char mac_key_[32];
};

}  // namespace doudi::platform
