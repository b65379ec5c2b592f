#include "platform/totp.h"

#include <gtest/gtest.h>

namespace doudi::platform {
namespace {

TEST(Base32, Rfc4648Vectors) {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""},           {"f", "MY======"},       {"fo", "MZXQ===="},       {"foo", "MZXW6==="},
      {"foob", "MZXW6YQ="}, {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI======"},
  };
  for (auto [plain, encoded] : cases) {
    EXPECT_EQ(Base32Encode(plain), encoded) << plain;
    auto back = Base32Decode(encoded);
    ASSERT_TRUE(back.ok()) << encoded;
    EXPECT_EQ(*back, plain);
  }
  EXPECT_EQ(Base32Encode("foobar", false), "MZXW6YTBOI");
}

TEST(Base32, DecodeIsLenientAboutCaseAndSpacingButNotAlphabet) {
  auto v = Base32Decode("mzxw 6ytb-oi");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, "foobar");
  auto bad = Base32Decode("MZXW1");  // '1' is not in the alphabet
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().error_code(), "auth.totp.base32");
  EXPECT_FALSE(Base32Decode("MY==MY").ok());  // data after padding
}

// RFC 6238 appendix B, SHA1 column: key "12345678901234567890", 8 digits.
TEST(Totp, Rfc6238Sha1Vectors) {
  const std::string key = "12345678901234567890";
  const std::pair<int64_t, const char*> cases[] = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
  };
  for (auto [t, code] : cases) EXPECT_EQ(TotpCode(key, t, 8), code) << t;
  // 6 digits are the last 6 of the same truncated value (mod 10^6).
  EXPECT_EQ(TotpCode(key, 59), "287082");
  EXPECT_EQ(TotpCode(key, 1111111109), "081804");
}

TEST(Totp, Rfc4226HotpVectors) {
  // RFC 4226 appendix D: counters 0..9.
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (int i = 0; i < 10; ++i) EXPECT_EQ(HotpCode("12345678901234567890", i), expected[i]) << i;
}

TEST(Totp, MatchAcceptsOneStepEitherSide) {
  const std::string key = "12345678901234567890";
  int64_t t = 1111111111;  // step 37037037
  ASSERT_EQ(TotpStep(t), 37037037);
  EXPECT_EQ(MatchTotp(key, TotpCode(key, t), t), 37037037);
  EXPECT_EQ(MatchTotp(key, TotpCode(key, t - 30), t), 37037036);
  EXPECT_EQ(MatchTotp(key, TotpCode(key, t + 30), t), 37037038);
  EXPECT_FALSE(MatchTotp(key, TotpCode(key, t - 60), t).has_value());
  EXPECT_FALSE(MatchTotp(key, TotpCode(key, t + 60), t).has_value());
  EXPECT_FALSE(MatchTotp(key, "12345", t).has_value());
  EXPECT_FALSE(MatchTotp(key, TotpCode(key, t, 8), t).has_value());
}

TEST(Totp, GeneratedSecretIs160BitsOfBase32) {
  std::string a = GenerateTotpSecret(), b = GenerateTotpSecret();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  auto bytes = Base32Decode(a);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(bytes->size(), 20u);
}

TEST(Totp, OtpauthUriEncodesIssuerAndAccount) {
  EXPECT_EQ(OtpauthUri("兜底", "zhang san", "JBSWY3DPEHPK3PXP"),
            "otpauth://totp/%E5%85%9C%E5%BA%95:zhang%20san?secret=JBSWY3DPEHPK3PXP&issuer=%E5%85%9C%E5%BA%95"
            "&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace doudi::platform
