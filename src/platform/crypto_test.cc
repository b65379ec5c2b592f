#include "platform/crypto.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "platform/bytes.h"

namespace doudi::platform {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "doudi-crypto-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

unsigned Mode(const std::string& path) {
  struct stat st;
  EXPECT_EQ(stat(path.c_str(), &st), 0);
  return st.st_mode & 07777;
}

TEST(Crypto, KeyedHashIsHmacSha256) {
  // RFC 4231 test case 2: key "Jefe". HMAC pads a short key with zero bytes to the block size, so the
  // 32-byte key "Jefe" + 28 zero bytes gives the RFC's value.
  unsigned char mac[32] = {'J', 'e', 'f', 'e'};
  unsigned char enc[32] = {};
  Crypto c(enc, mac);
  EXPECT_EQ(c.KeyedHash("what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(c.KeyedHash64("what do ya want for nothing?"), 0x5bdcc146bf60754eULL);
}

TEST(Crypto, EncryptRoundTripsAndIsRandomised) {
  auto c = Crypto::ForTesting("seed");
  std::string id = "11010519491231002X";
  std::string a = c->Encrypt(id), b = c->Encrypt(id);
  EXPECT_NE(a, b);  // a fresh nonce each time
  EXPECT_EQ(a.find(id), std::string::npos);
  std::string raw;
  ASSERT_TRUE(FromBase64(a, &raw));
  EXPECT_EQ(raw.size(), 24u + 16u + id.size());  // nonce + MAC + ciphertext
  auto back = c->Decrypt(a);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, id);
  auto empty = c->Decrypt(c->Encrypt(""));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, "");
}

TEST(Crypto, DecryptRejectsTamperingWrongKeyAndGarbage) {
  auto c = Crypto::ForTesting("seed");
  std::string ct = c->Encrypt("湖北省荆州市");
  std::string raw;
  ASSERT_TRUE(FromBase64(ct, &raw));
  raw[30] ^= 1;
  auto tampered = c->Decrypt(Base64(raw));
  ASSERT_FALSE(tampered.ok());
  EXPECT_EQ(tampered.status().error_code(), "crypto.decrypt");
  EXPECT_FALSE(Crypto::ForTesting("other")->Decrypt(ct).ok());
  EXPECT_FALSE(c->Decrypt("not base64 at all!").ok());
  EXPECT_FALSE(c->Decrypt(Base64("short")).ok());
}

TEST(Crypto, ForTestingIsDeterministicPerSeed) {
  auto a = Crypto::ForTesting("x"), b = Crypto::ForTesting("x"), c = Crypto::ForTesting("y");
  EXPECT_EQ(a->KeyedHash("420102199001011234"), b->KeyedHash("420102199001011234"));
  EXPECT_NE(a->KeyedHash("420102199001011234"), c->KeyedHash("420102199001011234"));
  EXPECT_TRUE(b->Decrypt(a->Encrypt("v")).ok());
}

TEST(Crypto, KeyFileIsCreatedPrivateAndReloaded) {
  TempDir dir;
  std::string path = dir.File("keys.toml");
  auto first = Crypto::LoadOrCreate(path);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(Mode(path), 0600u);
  std::string ct = (*first)->Encrypt("secret");
  auto second = Crypto::LoadOrCreate(path);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  auto pt = (*second)->Decrypt(ct);
  ASSERT_TRUE(pt.ok());
  EXPECT_EQ(*pt, "secret");
  EXPECT_EQ((*first)->KeyedHash("a"), (*second)->KeyedHash("a"));
  // No temporary file is left behind.
  int files = 0;
  for ([[maybe_unused]] auto& e : fs::directory_iterator(fs::path(path).parent_path())) ++files;
  EXPECT_EQ(files, 1);
}

TEST(Crypto, KeyFileReadableByOthersIsRefused) {
  TempDir dir;
  std::string path = dir.File("keys.toml");
  ASSERT_TRUE(Crypto::LoadOrCreate(path).ok());
  ASSERT_EQ(chmod(path.c_str(), 0640), 0);
  auto r = Crypto::LoadOrCreate(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_code(), "crypto.key_file.permissions");
  EXPECT_NE(r.status().message().find("chmod 600"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("0640"), std::string::npos) << r.status().message();
  ASSERT_EQ(chmod(path.c_str(), 0604), 0);
  EXPECT_FALSE(Crypto::LoadOrCreate(path).ok());
}

TEST(Crypto, MalformedKeyFileIsRefusedClearly) {
  TempDir dir;
  std::string path = dir.File("keys.toml");
  {
    std::ofstream f(path);
    f << "secretbox_key = \"c2hvcnQ=\"\nhmac_key = \"c2hvcnQ=\"\n";  // "short": not 32 bytes
  }
  ASSERT_EQ(chmod(path.c_str(), 0600), 0);
  auto r = Crypto::LoadOrCreate(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_code(), "crypto.key_file.format");
  EXPECT_NE(r.status().message().find("secretbox_key"), std::string::npos);
  {
    std::ofstream f(path);
    f << "this is = = not toml";
  }
  r = Crypto::LoadOrCreate(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_code(), "crypto.key_file.format");
}

TEST(Crypto, MissingDirectoryGivesCreateError) {
  auto r = Crypto::LoadOrCreate("/nonexistent-doudi-dir/keys.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_code(), "crypto.key_file.create");
}

}  // namespace
}  // namespace doudi::platform
