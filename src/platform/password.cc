#include "platform/password.h"

#include <sodium.h>

#include <cctype>
#include <vector>

#include "common/text.h"
#include "platform/bytes.h"

namespace doudi::platform {
namespace {

static_assert(crypto_pwhash_OPSLIMIT_INTERACTIVE == 2 && crypto_pwhash_MEMLIMIT_INTERACTIVE == 67108864,
              "PasswordCost's defaults must stay libsodium's INTERACTIVE limits");

constexpr size_t kMinChars = 10;
constexpr size_t kMaxBytes = 256;  // far beyond any real password; keeps hashing input bounded
constexpr char kPolicyCode[] = "auth.password_policy";

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

PasswordCost PasswordCost::Moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}

PasswordCost PasswordCost::Minimum() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost) {
  EnsureSodium();
  if (password.size() > kMaxBytes) {
    return Status::InvalidField("password", kPolicyCode, "密码过长（最多 256 个字节）");
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.opslimit, cost.memlimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Internal("密码哈希计算失败（内存不足或参数无效）");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view stored_hash, std::string_view password) {
  EnsureSodium();
  if (password.size() > kMaxBytes) return false;
  std::string hash(stored_hash);  // libsodium needs a NUL-terminated string
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool PasswordNeedsRehash(std::string_view stored_hash, const PasswordCost& cost) {
  EnsureSodium();
  std::string hash(stored_hash);
  // crypto_pwhash_str_needs_rehash checks the parameters but accepts an argon2i hash of the same cost.
  return !hash.starts_with("$argon2id$") ||
         crypto_pwhash_str_needs_rehash(hash.c_str(), cost.opslimit, cost.memlimit) != 0;
}

Status CheckPasswordPolicy(std::string_view password, std::string_view username) {
  std::vector<std::string> broken;
  if (Utf8Length(password) < kMinChars) broken.push_back("密码至少需要 10 个字符");
  bool upper = false, lower = false, digit = false, symbol = false;
  for (unsigned char c : password) {
    if (std::isupper(c)) {
      upper = true;
    } else if (std::islower(c)) {
      lower = true;
    } else if (std::isdigit(c)) {
      digit = true;
    } else {
      symbol = true;
    }
  }
  if (upper + lower + digit + symbol < 3) {
    broken.push_back("密码需包含大写字母、小写字母、数字、符号中的至少三类");
  }
  if (!username.empty() && EqualsIgnoreCase(password, username)) broken.push_back("密码不能与用户名相同");
  if (password.size() > kMaxBytes) broken.push_back("密码过长（最多 256 个字节）");
  if (broken.empty()) return Status::Ok();
  std::string message = "密码不符合安全要求：";
  for (size_t i = 0; i < broken.size(); ++i) message += (i ? "；" : "") + broken[i];
  Status s = Status::Invalid(kPolicyCode, message);
  for (auto& b : broken) s.add_detail({"password", kPolicyCode, std::move(b)});
  return s;
}

}  // namespace doudi::platform
