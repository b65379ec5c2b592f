// SessionCache: entries serve for max_age only, Invalidate() drops them and refuses rows read before it, and
// the session check through AuthService sees an outside change within max_age and its own changes at once.
#include "platform/session_cache.h"

#include <thread>

#include <gtest/gtest.h>

#include "platform/testing.h"

namespace doudi::platform {
namespace {

using std::chrono::milliseconds;

const std::string kPassword = "Initial#Pass1";

CachedSession Session(int64_t id, std::string division = "421002") {
  CachedSession s;
  s.session_id = id;
  s.division_code = std::move(division);
  return s;
}

TEST(SessionCacheTest, AnEntryServesForMaxAgeOnly) {
  SessionCache cache(milliseconds(80));
  EXPECT_FALSE(cache.Find("h"));
  cache.Put("h", Session(1), cache.generation());
  ASSERT_TRUE(cache.Find("h"));
  EXPECT_EQ(cache.Find("h")->session_id, 1);
  EXPECT_FALSE(cache.Find("other"));
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_FALSE(cache.Find("h")) << "an entry older than max_age is not used";
}

TEST(SessionCacheTest, InvalidateDropsEntriesAndRefusesRowsReadBeforeIt) {
  SessionCache cache(milliseconds(60000));
  cache.Put("a", Session(1), cache.generation());
  uint64_t before = cache.generation();  // a reader starts reading the database ...
  cache.Invalidate();                    // ... a change is committed meanwhile ...
  cache.Put("b", Session(2), before);    // ... and the row it read may be the old one: not kept
  EXPECT_FALSE(cache.Find("a"));
  EXPECT_FALSE(cache.Find("b"));
  cache.Put("b", Session(3), cache.generation());
  ASSERT_TRUE(cache.Find("b"));
  EXPECT_EQ(cache.Find("b")->session_id, 3);
}

TEST(SessionCacheTest, TouchedMovesLastSeen) {
  SessionCache cache;
  cache.Put("h", Session(1), cache.generation());
  TimePoint at = TimePoint(std::chrono::seconds(1700000000));
  cache.Touched("h", at);
  cache.Touched("absent", at);  // nothing to do
  EXPECT_EQ(cache.Find("h")->last_seen, at);
  EXPECT_FALSE(cache.Find("absent"));
}

TEST(SessionCacheTest, StaysBoundedWhenFull) {
  SessionCache cache;
  for (size_t i = 0; i <= SessionCache::kMaxEntries; ++i) {
    cache.Put("h" + std::to_string(i), Session(static_cast<int64_t>(i)), cache.generation());
  }
  // The store that found it full started over: only the newest entry is left.
  EXPECT_TRUE(cache.Find("h" + std::to_string(SessionCache::kMaxEntries)));
  EXPECT_FALSE(cache.Find("h0"));
}

class SessionCacheAuthTest : public ::testing::TestWithParam<db::Dialect> {
 protected:
  void SetUp() override {
    p_ = testing::OpenPlatform(GetParam());
    if (!p_) GTEST_SKIP() << "no database for this dialect (DOUDI_TEST_PG_URL)";
  }
  std::unique_ptr<testing::TestPlatform> p_;
};

// A change from outside this process (here: SQL by hand) holds once the entry is older than max_age.
TEST_P(SessionCacheAuthTest, AnOutsideChangeHoldsWithinMaxAge) {
  const milliseconds max_age(1500);
  SessionCache cache(max_age);
  AuthService auth(p_->db(), *p_->audit, *p_->crypto, p_->roles, cache, p_->config, p_->clock);
  p_->AddUser("wen", "caseworker", kPassword);
  auto login = auth.Login("wen", kPassword, "", "", "");
  ASSERT_TRUE(login.ok()) << login.status().message();
  ASSERT_TRUE(auth.Authenticate(login->token).ok());
  auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(p_->db()
                  .Write([&](db::Conn& c) { return c.Exec("UPDATE sessions SET revoked = 1").status(); })
                  .ok());
  // The entry read just before still serves (the request does not go to the database) ...
  EXPECT_TRUE(auth.Authenticate(login->token).ok());
  // ... and the change holds at the latest max_age after it was read (polled: the machine may be slow).
  while (auth.Authenticate(login->token).ok()) {
    ASSERT_LT(std::chrono::steady_clock::now() - started, max_age + milliseconds(2000));
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(auth.Authenticate(login->token).status().error_code(), "auth.session_expired");
}

// A change made through the services holds on the very next request, however long the entries may live.
TEST_P(SessionCacheAuthTest, OwnChangesHoldAtOnce) {
  int64_t id = p_->AddUser("lu", "caseworker", kPassword);
  auto login = p_->auth.Login("lu", kPassword, "", "", "");
  ASSERT_TRUE(login.ok());
  ASSERT_TRUE(p_->auth.Authenticate(login->token).ok());
  auto u = p_->users.Get(SystemActor(), id);
  ASSERT_TRUE(u.ok());
  ASSERT_TRUE(p_->users.Disable(SystemActor(), id, u->version).ok());
  EXPECT_EQ(p_->auth.Authenticate(login->token).status().error_code(), "auth.session_expired");
}

INSTANTIATE_TEST_SUITE_P(Db, SessionCacheAuthTest, ::testing::Values(db::Dialect::kSqlite, db::Dialect::kPostgres),
                         [](const auto& info) { return info.param == db::Dialect::kSqlite ? "sqlite" : "postgres"; });

}  // namespace
}  // namespace doudi::platform
