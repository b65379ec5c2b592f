#include "platform/crypto.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "platform/bytes.h"

namespace doudi::platform {
namespace {

static_assert(crypto_secretbox_KEYBYTES == 32 && crypto_auth_hmacsha256_KEYBYTES == 32);

constexpr char kEncKeyName[] = "secretbox_key";
constexpr char kMacKeyName[] = "hmac_key";

std::string Errno() { return std::strerror(errno); }

std::string DirOf(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Writes new keys to a private temporary file (O_CREAT|O_EXCL, 0600, fsync) and links it into place, so the
// key file appears complete or not at all; if another process won the race, its file is kept and loaded.
// Returns false in *created when the file already existed.
Status CreateKeyFile(const std::string& path, const std::string& enc, const std::string& mac, bool* created) {
  std::string content =
      "# 兜底 Doudi 字段加密密钥。请妥善保管（权限 0600），并与数据库分开备份：丢失后已加密的数据无法恢复。\n"
      "# Doudi field-encryption keys (base64, 32 bytes each). Keep secret; back up apart from the database.\n"
      "version = 1\n" +
      std::string(kEncKeyName) + " = \"" + Base64(enc) + "\"\n" + std::string(kMacKeyName) + " = \"" + Base64(mac) +
      "\"\n";
  std::string tmp = path + ".tmp." + Hex(RandomBytes(6));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status(Code::kUnavailable, "crypto.key_file.create",
                  "无法创建密钥文件 " + path + "（" + Errno() + "），请检查目录是否存在且可写");
  }
  bool ok = WriteAll(fd, content) && ::fsync(fd) == 0;
  std::string err = ok ? "" : Errno();
  ::close(fd);
  if (ok && ::link(tmp.c_str(), path.c_str()) != 0) {
    ok = false;
    err = Errno();
    if (errno == EEXIST) {
      ::unlink(tmp.c_str());
      *created = false;
      return Status::Ok();
    }
  }
  ::unlink(tmp.c_str());
  if (!ok) {
    return Status(Code::kUnavailable, "crypto.key_file.create", "无法写入密钥文件 " + path + "（" + err + "）");
  }
  int dir = ::open(DirOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);  // make the new directory entry durable too
    ::close(dir);
  }
  *created = true;
  return Status::Ok();
}

Status ReadKey(const toml::table& t, const char* name, const std::string& path, std::string* out) {
  auto text = t[name].value<std::string>();
  std::string key;
  if (!text || !FromBase64(*text, &key) || key.size() != 32) {
    sodium_memzero(key.data(), key.size());
    return Status(Code::kInvalid, "crypto.key_file.format",
                  "密钥文件 " + path + " 中缺少 " + name + "，或它不是 base64 编码的 32 字节密钥");
  }
  *out = std::move(key);
  return Status::Ok();
}

Result<std::unique_ptr<Crypto>> LoadKeyFile(int fd, const std::string& path) {
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    return Status(Code::kUnavailable, "crypto.key_file.read", "无法读取密钥文件 " + path + "（" + Errno() + "）");
  }
  if (!S_ISREG(st.st_mode)) {
    return Status(Code::kInvalid, "crypto.key_file.format", "密钥文件 " + path + " 不是普通文件");
  }
  if (st.st_mode & (S_IRWXG | S_IRWXO)) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Status(Code::kForbidden, "crypto.key_file.permissions",
                  "密钥文件 " + path + " 的权限为 " + mode + "，同组或其他用户可以访问，拒绝使用。请执行 chmod 600 " +
                      path + " 后重新启动");
  }
  std::string content;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return Status(Code::kUnavailable, "crypto.key_file.read", "无法读取密钥文件 " + path + "（" + Errno() + "）");
    }
    if (n == 0) break;
    content.append(buf, static_cast<size_t>(n));
  }
  sodium_memzero(buf, sizeof buf);
  toml::table parsed;
  std::string parse_error;
  try {
    parsed = toml::parse(content, path);
  } catch (const toml::parse_error& e) {
    parse_error = std::string(e.description());
  }
  sodium_memzero(content.data(), content.size());
  if (!parse_error.empty()) {
    return Status(Code::kInvalid, "crypto.key_file.format", "密钥文件 " + path + " 不是有效的 TOML：" + parse_error);
  }
  std::string enc, mac;
  DOUDI_RETURN_IF_ERROR(ReadKey(parsed, kEncKeyName, path, &enc));
  DOUDI_RETURN_IF_ERROR(ReadKey(parsed, kMacKeyName, path, &mac));
  auto crypto = std::make_unique<Crypto>(reinterpret_cast<const unsigned char*>(enc.data()),
                                         reinterpret_cast<const unsigned char*>(mac.data()));
  sodium_memzero(enc.data(), enc.size());
  sodium_memzero(mac.data(), mac.size());
  return crypto;
}

}  // namespace

Result<std::unique_ptr<Crypto>> Crypto::LoadOrCreate(const std::string& key_file) {
  EnsureSodium();
  for (int attempt = 0; attempt < 2; ++attempt) {
    int fd = ::open(key_file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      auto loaded = LoadKeyFile(fd, key_file);
      ::close(fd);
      return loaded;
    }
    if (errno != ENOENT) {
      return Status(Code::kUnavailable, "crypto.key_file.read", "无法打开密钥文件 " + key_file + "（" + Errno() + "）");
    }
    std::string enc = RandomBytes(32), mac = RandomBytes(32);
    bool created = false;
    Status s = CreateKeyFile(key_file, enc, mac, &created);
    std::unique_ptr<Crypto> crypto;
    if (s.ok() && created) {
      crypto = std::make_unique<Crypto>(reinterpret_cast<const unsigned char*>(enc.data()),
                                        reinterpret_cast<const unsigned char*>(mac.data()));
    }
    sodium_memzero(enc.data(), enc.size());
    sodium_memzero(mac.data(), mac.size());
    if (!s.ok()) return s;
    if (crypto) return crypto;
    // Another process created the file between our open and link: load theirs.
  }
  return Status(Code::kUnavailable, "crypto.key_file.read", "无法打开密钥文件 " + key_file);
}

std::unique_ptr<Crypto> Crypto::ForTesting(std::string_view seed) {
  EnsureSodium();
  unsigned char enc[32], mac[32];
  std::string e = "doudi-test-enc:" + std::string(seed), m = "doudi-test-mac:" + std::string(seed);
  crypto_generichash(enc, sizeof enc, reinterpret_cast<const unsigned char*>(e.data()), e.size(), nullptr, 0);
  crypto_generichash(mac, sizeof mac, reinterpret_cast<const unsigned char*>(m.data()), m.size(), nullptr, 0);
  return std::make_unique<Crypto>(enc, mac);
}

Crypto::Crypto(const unsigned char* enc_key, const unsigned char* mac_key) {
  EnsureSodium();
  std::memcpy(enc_key_, enc_key, sizeof enc_key_);
  std::memcpy(mac_key_, mac_key, sizeof mac_key_);
}

Crypto::~Crypto() {
  sodium_memzero(enc_key_, sizeof enc_key_);
  sodium_memzero(mac_key_, sizeof mac_key_);
}

std::string Crypto::Encrypt(std::string_view plaintext) const {
  std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(box.data());
  randombytes_buf(out, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        plaintext.size(), out, enc_key_);
  return Base64(box);
}

Result<std::string> Crypto::Decrypt(std::string_view ciphertext_b64) const {
  std::string box;
  if (!FromBase64(ciphertext_b64, &box) || box.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return Status::Invalid("crypto.decrypt", "密文格式错误，无法解密");
  }
  const auto* in = reinterpret_cast<const unsigned char*>(box.data());
  size_t clen = box.size() - crypto_secretbox_NONCEBYTES;
  std::string plain(clen - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), in + crypto_secretbox_NONCEBYTES, clen,
                                 in, enc_key_) != 0) {
    return Status::Invalid("crypto.decrypt", "解密失败：数据已损坏，或加密密钥与加密时不同");
  }
  return plain;
}

std::string Crypto::KeyedHash(std::string_view value) const {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(value.data()), value.size(), mac_key_);
  return Hex(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

uint64_t Crypto::KeyedHash64(std::string_view value) const {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(value.data()), value.size(), mac_key_);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | mac[i];  // big-endian: the first 16 hex digits of KeyedHash
  return v;
}

}  // namespace doudi::platform
