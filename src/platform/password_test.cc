#include "platform/password.h"

#include <gtest/gtest.h>

namespace doudi::platform {
namespace {

TEST(Password, HashIsArgon2idAndVerifies) {
  auto h = HashPassword("Correct-Horse-9", PasswordCost::Minimum());
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_TRUE(h->starts_with("$argon2id$")) << *h;
  EXPECT_TRUE(VerifyPassword(*h, "Correct-Horse-9"));
  EXPECT_FALSE(VerifyPassword(*h, "correct-Horse-9"));
  EXPECT_FALSE(VerifyPassword("garbage", "Correct-Horse-9"));
  auto h2 = HashPassword("Correct-Horse-9", PasswordCost::Minimum());
  ASSERT_TRUE(h2.ok());
  EXPECT_NE(*h, *h2);  // random salt
}

TEST(Password, NeedsRehashWhenCostChanges) {
  auto h = HashPassword("Correct-Horse-9", PasswordCost::Minimum());
  ASSERT_TRUE(h.ok());
  EXPECT_FALSE(PasswordNeedsRehash(*h, PasswordCost::Minimum()));
  PasswordCost higher = PasswordCost::Minimum();
  higher.opslimit += 1;
  EXPECT_TRUE(PasswordNeedsRehash(*h, higher));
  EXPECT_TRUE(PasswordNeedsRehash("garbage", PasswordCost::Minimum()));
}

TEST(Password, DefaultCostIsInteractive) {
  PasswordCost c;
  EXPECT_EQ(c.opslimit, 2u);
  EXPECT_EQ(c.memlimit, 64u << 20);
  EXPECT_EQ(PasswordCost::Moderate().opslimit, 3u);
  EXPECT_EQ(PasswordCost::Moderate().memlimit, 256u << 20);
}

bool Accepted(const char* pw, const char* user = "zhangsan") { return CheckPasswordPolicy(pw, user).ok(); }

TEST(PasswordPolicy, Cases) {
  EXPECT_TRUE(Accepted("Abcdefgh12"));    // 10 chars, upper+lower+digit
  EXPECT_TRUE(Accepted("abcdefgh1!"));    // lower+digit+symbol
  EXPECT_TRUE(Accepted("ABCDEFGH1!"));    // upper+digit+symbol
  EXPECT_TRUE(Accepted("Abcdefghij!"));   // upper+lower+symbol
  EXPECT_TRUE(Accepted("救助中心abcD1234"));  // Chinese characters count as symbols
  EXPECT_FALSE(Accepted("Abcdefg12"));    // 9 chars
  EXPECT_FALSE(Accepted("abcdefghij12"));  // two classes
  EXPECT_FALSE(Accepted("ABCDEFGHIJ"));   // one class
  EXPECT_FALSE(Accepted("救助中心救助中心12"));  // 10 characters, symbol+digit only
}

TEST(PasswordPolicy, LengthCountsCharactersNotBytes) {
  // 9 characters, 17 bytes: too short although longer than 10 bytes.
  EXPECT_FALSE(Accepted("荆州Ab12345"));
  EXPECT_TRUE(Accepted("荆州Ab123456"));
}

TEST(PasswordPolicy, NotTheUsername) {
  EXPECT_FALSE(Accepted("Admin_2024x", "admin_2024X"));
  EXPECT_TRUE(Accepted("Admin_2024x", "admin"));
}

TEST(PasswordPolicy, ReportsEveryBrokenRuleWithCode) {
  Status s = CheckPasswordPolicy("abc", "abc");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kInvalid);
  EXPECT_EQ(s.error_code(), "auth.password_policy");
  ASSERT_EQ(s.details().size(), 3u);
  for (const auto& d : s.details()) EXPECT_EQ(d.field, "password");
  EXPECT_NE(s.message().find("10 个字符"), std::string::npos);
  EXPECT_NE(s.message().find("至少三类"), std::string::npos);
  EXPECT_NE(s.message().find("用户名"), std::string::npos);
}

}  // namespace
}  // namespace doudi::platform
