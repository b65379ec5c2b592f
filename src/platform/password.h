// Passwords: argon2id hashing (libsodium crypto_pwhash_str) and the password policy of 等保 level 3.
//
// The stored form is libsodium's self-describing "$argon2id$v=19$m=...,t=...,p=1$salt$hash" string, so a
// change of cost only needs PasswordNeedsRehash() at the next successful login.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace doudi::platform {

// argon2id cost. The defaults are libsodium's INTERACTIVE limits (about 50–100 ms and 64 MiB per hash);
// tests use Minimum() so that they stay fast.
struct PasswordCost {
  unsigned long long opslimit = 2;  // crypto_pwhash_OPSLIMIT_INTERACTIVE
  size_t memlimit = 67108864;       // crypto_pwhash_MEMLIMIT_INTERACTIVE
  static PasswordCost Interactive() { return {}; }
  static PasswordCost Moderate();  // libsodium MODERATE: about 0.7 s and 256 MiB
  static PasswordCost Minimum();
};

Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost);
// Constant-time with respect to the password; false for a wrong password or a malformed hash.
bool VerifyPassword(std::string_view stored_hash, std::string_view password);
// Whether the stored hash was made with a different cost or algorithm and should be replaced.
bool PasswordNeedsRehash(std::string_view stored_hash, const PasswordCost& cost);

// Checks the password policy: at least 10 characters, at least three of the four classes upper-case letter,
// lower-case letter, digit, symbol (anything else, including Chinese characters), and not the username
// (ignoring case). Failure: Invalid "auth.password_policy" on field "password", each broken rule a detail.
Status CheckPasswordPolicy(std::string_view password, std::string_view username);

}  // namespace doudi::platform
