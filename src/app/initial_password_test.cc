#include "app/initial_password.h"

#include <gtest/gtest.h>

#include <set>

#include "platform/password.h"

namespace doudi::app {
namespace {

TEST(RandomPassword, SatisfiesThePolicyAndDiffers) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string p = RandomPassword();
    EXPECT_EQ(p.size(), 14u);
    EXPECT_TRUE(platform::CheckPasswordPolicy(p, "someone").ok()) << p;
    EXPECT_EQ(p.find_first_of("0O1lI"), std::string::npos) << p;
    seen.insert(p);
  }
  EXPECT_EQ(seen.size(), 200u);
}

}  // namespace
}  // namespace doudi::app
