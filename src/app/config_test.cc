#include "app/config.h"

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

namespace doudi::app {
namespace {

std::string WriteTemp(const std::string& text) {
  std::string path = ::testing::TempDir() + "/doudi_config_test.toml";
  std::ofstream(path) << text;
  return path;
}

TEST(Config, DefaultsThenFileThenEnvironment) {
  auto c = Config::Load("");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen, "127.0.0.1:8080");
  EXPECT_EQ(c->session_idle_minutes, 30);

  auto path = WriteTemp("[server]\nlisten = \"0.0.0.0:9000\"\nthreads = 64\n[security]\nlockout_minutes = 20\n");
  setenv("DOUDI_SECURITY_LOCKOUT_MINUTES", "25", 1);
  c = Config::Load(path);
  unsetenv("DOUDI_SECURITY_LOCKOUT_MINUTES");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->listen, "0.0.0.0:9000");
  EXPECT_EQ(c->threads, 64);
  EXPECT_EQ(c->lockout_minutes, 25);  // the environment wins over the file
}

TEST(Config, RejectsUnknownKeysWrongTypesAndBadListen) {
  auto c = Config::Load(WriteTemp("[server]\nlisen = \"x\"\n"));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("server.lisen"), std::string::npos);

  c = Config::Load(WriteTemp("[server]\nthreads = \"many\"\n"));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("server.threads"), std::string::npos);

  c = Config::Load(WriteTemp("[server]\nlisten = \"localhost\"\n"));
  ASSERT_FALSE(c.ok());

  c = Config::Load(WriteTemp("[server\n"));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().error_code(), "config.parse");

  EXPECT_FALSE(Config::Load("/nonexistent/doudi.toml").ok());
}

}  // namespace
}  // namespace doudi::app
