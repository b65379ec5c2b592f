// SqlBuilder and the select helpers on both drivers: parameters numbered in order, the division prefix range
// picks exactly the codes under the prefix, and SelectOne/SelectAll/SelectCount read what was stored.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "db/select.h"
#include "db/sql_builder.h"
#include "db/testing.h"

namespace doudi::db {
namespace {

TEST(SqlBuilderTest, NumbersParametersInOrder) {
  SqlBuilder b("SELECT id FROM t WHERE 1 = 1");
  b += " AND a = " + b.Param(7);
  AddPrefix(b, "division_code", "4210");
  EXPECT_EQ(b.sql(), "SELECT id FROM t WHERE 1 = 1 AND a = $1 AND division_code BETWEEN $2 AND $3");
  ASSERT_EQ(b.span().size(), 3u);
  EXPECT_EQ(b.span()[0].as_int(), 7);
  EXPECT_EQ(b.span()[1].as_text(), "4210");
  EXPECT_EQ(b.span()[2].as_text(), "421099999999");  // 4 digits + 8 nines = 12
}

TEST(SqlBuilderTest, FullCodeIsItsOwnRange) {
  SqlBuilder b("");
  AddPrefix(b, "c", "421002001001");
  EXPECT_EQ(b.span()[1].as_text(), "421002001001");
}

struct Item {
  int64_t id = 0;
  std::string code;
};
Item ItemFromRow(const Row& r) { return {r.Int(0), r.Text(1)}; }

class SelectTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    auto r = CreateTestDatabase(GetParam());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    db_ = std::move(*r);
    if (!db_) GTEST_SKIP() << kPostgresSkipMessage;
    Status s = db_->Write([](Conn& c) -> Status {
      DOUDI_RETURN_IF_ERROR(c.ExecScript("CREATE TABLE items (id BIGINT PRIMARY KEY, code TEXT NOT NULL)"));
      // Under 4210: the first three (its lowest and highest codes included); 4211... and 4209... are outside.
      const char* codes[] = {"421000000000", "421002001001", "421099999999", "421100000000", "420999999999"};
      int64_t id = 1;
      for (const char* code : codes) {
        DOUDI_RETURN_IF_ERROR(c.Exec("INSERT INTO items (id, code) VALUES ($1, $2)", {id++, code}).status());
      }
      return Status::Ok();
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  std::unique_ptr<TestDatabase> db_;
};

TEST_P(SelectTest, PrefixRangeSelectsTheCodesUnderIt) {
  Status s = db_->Read([](Conn& c) -> Status {
    SqlBuilder b("SELECT id, code FROM items WHERE 1 = 1");
    AddPrefix(b, "code", "4210");
    b += " ORDER BY id";
    DOUDI_ASSIGN_OR_RETURN(auto items, SelectAll(c, b.sql(), b.span(), ItemFromRow));
    std::vector<int64_t> ids;
    for (const auto& i : items) ids.push_back(i.id);
    EXPECT_EQ(ids, (std::vector<int64_t>{1, 2, 3}));
    SqlBuilder n("SELECT COUNT(*) FROM items WHERE 1 = 1");
    AddPrefix(n, "code", "42");
    DOUDI_ASSIGN_OR_RETURN(int64_t count, SelectCount(c, n.sql(), n.span()));
    EXPECT_EQ(count, 5);
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
}

TEST_P(SelectTest, SelectOneAndCount) {
  Status s = db_->Read([](Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto two, SelectOne(c, "SELECT id, code FROM items WHERE id = $1", {2}, ItemFromRow));
    EXPECT_TRUE(two.has_value());
    if (two) {
      EXPECT_EQ(two->code, "421002001001");
    }
    DOUDI_ASSIGN_OR_RETURN(auto none, SelectOne(c, "SELECT id, code FROM items WHERE id = $1", {99}, ItemFromRow));
    EXPECT_FALSE(none.has_value());
    DOUDI_ASSIGN_OR_RETURN(int64_t n, SelectCount(c, "SELECT COUNT(*) FROM items WHERE id > $1", {3}));
    EXPECT_EQ(n, 2);
    DOUDI_ASSIGN_OR_RETURN(int64_t empty_sum, SelectCount(c, "SELECT SUM(id) FROM items WHERE id > 99"));
    EXPECT_EQ(empty_sum, 0);
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
}

INSTANTIATE_TEST_SUITE_P(Db, SelectTest, ::testing::ValuesIn(TestDialects()),
                         [](const auto& info) { return DialectName(info.param); });

}  // namespace
}  // namespace doudi::db
