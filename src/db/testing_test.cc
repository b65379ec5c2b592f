#include "db/testing.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace doudi::db {
namespace {

namespace fs = std::filesystem;

TEST(TestingTest, SqliteFileGoesAwayWithTheDatabase) {
  auto t = CreateTestDatabase(Dialect::kSqlite);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  std::string path = (*t)->location();
  EXPECT_TRUE(fs::exists(path));
  EXPECT_EQ((*t)->url(), "sqlite:" + path);
  ASSERT_TRUE((*t)->Write([](Conn& c) { return c.ExecScript("CREATE TABLE x (k INTEGER)"); }).ok());
  t->reset();
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(fs::path(path).parent_path()));
}

// Counts schemas named `name` through a connection of its own.
int64_t SchemaCount(const std::string& name) {
  auto admin = Database::Open(std::getenv("DOUDI_TEST_PG_URL"), Options{.readers = 1});
  EXPECT_TRUE(admin.ok()) << admin.status().ToString();
  if (!admin.ok()) return -1;
  int64_t n = -1;
  EXPECT_TRUE((*admin)->Read([&](Conn& c) -> Status {
                       DOUDI_ASSIGN_OR_RETURN(auto rows,
                                              c.Query("SELECT count(*) FROM pg_namespace WHERE nspname = $1", {name}));
                       n = rows[0].Int(0);
                       return Status::Ok();
                     }).ok());
  return n;
}

TEST(TestingTest, PostgresSchemasAreSeparateAndDropped) {
  if (!PostgresTestConfigured()) GTEST_SKIP() << kPostgresSkipMessage;
  auto a = CreateTestDatabase(Dialect::kPostgres);
  auto b = CreateTestDatabase(Dialect::kPostgres);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_NE((*a)->location(), (*b)->location());
  // The same table name in both, different contents.
  for (auto* t : {&*a, &*b}) {
    ASSERT_TRUE((*t)->Write([&](Conn& c) {
                       return c.ExecScript("CREATE TABLE same (who TEXT); INSERT INTO same VALUES ('" +
                                           (*t)->location() + "')");
                     }).ok());
  }
  for (auto* t : {&*a, &*b}) {
    ASSERT_TRUE((*t)->Read([&](Conn& c) -> Status {
                       DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT who FROM same"));
                       EXPECT_EQ(rows.size(), 1u);
                       EXPECT_EQ(rows[0].Text(0), (*t)->location());
                       return Status::Ok();
                     }).ok());
  }
  std::string schema = (*a)->location();
  EXPECT_EQ(SchemaCount(schema), 1);
  a->reset();
  EXPECT_EQ(SchemaCount(schema), 0);
}

TEST(TestingTest, PostgresWithoutConfigurationIsASkipNotAnError) {
  const char* saved = std::getenv("DOUDI_TEST_PG_URL");
  std::string keep = saved ? saved : "";
  unsetenv("DOUDI_TEST_PG_URL");
  auto t = OpenTestDatabase(Dialect::kPostgres);
  if (saved) setenv("DOUDI_TEST_PG_URL", keep.c_str(), 1);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*t, nullptr);
  EXPECT_FALSE(t->get());
}

}  // namespace
}  // namespace doudi::db
