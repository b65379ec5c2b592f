// The jobs API over HTTP: listing in scope, a missing job, and who may not read jobs at all.
#include <gtest/gtest.h>

#include "suite.h"

namespace doudi::testing {
namespace {

class JobsTest : public ApiTest<JobsTest> {};

TEST_P(JobsTest, ListsAPageAndAnswersAMissingJobWith404) {
  Account manager = SignIn(server(), "manager", "4210");
  ASSERT_TRUE(manager.ok);
  HttpResult list = manager.client.Get("/api/v1/jobs?page=1&size=10");
  ASSERT_TRUE(IsOk(list)) << list.body;
  auto j = list.json();
  ASSERT_TRUE(j["items"].is_array());
  EXPECT_EQ(j["total"], static_cast<int64_t>(j["items"].size()));  // one page holds them all here
  EXPECT_EQ(j["page"], 1);
  EXPECT_EQ(j["size"], 10);

  EXPECT_TRUE(IsError(manager.client.Get("/api/v1/jobs/987654"), 404, "job.not_found"));
  EXPECT_TRUE(IsError(manager.client.Get("/api/v1/jobs?status=finished"), 400, "job.status", "status"));
  EXPECT_TRUE(IsError(manager.client.Post("/api/v1/jobs/987654/cancel", nlohmann::json::object()), 404,
                      "job.not_found"));
}

TEST_P(JobsTest, TheAuditAdministratorHasNoJobs) {
  Account auditor = SignIn(server(), "auditadmin", "4210");
  ASSERT_TRUE(auditor.ok);
  EXPECT_TRUE(IsError(auditor.client.Get("/api/v1/jobs"), 403, "auth.forbidden"));
}

DOUDI_API_SUITE(JobsTest);

}  // namespace
}  // namespace doudi::testing
