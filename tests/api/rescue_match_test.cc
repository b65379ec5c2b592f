// Missing-person reports and matching over HTTP: a family's report becomes a candidate on the unidentified
// person's page, the caseworker confirms it with a reason, a re-match keeps the decision; another station sees
// neither the report nor the case; bad input is refused with field errors.
#include "suite.h"

namespace doudi::testing {
namespace {

using nlohmann::json;

class RescueMatchTest : public ApiTest<RescueMatchTest> {};

TEST_P(RescueMatchTest, ReportBecomesACandidateThatIsConfirmedWithAReason) {
  Account& staff = Shared("rescue_staff", "421002");
  Account& other = Shared("rescue_staff", "421003");
  ASSERT_TRUE(staff.ok && other.ok);
  const std::string marks = "左眉有痣，右手缺小指，" + UniqueName("记");
  HttpResult k = staff.client.Post("/api/v1/rescue/cases",
                                   {{"how_came", "patrol"}, {"patrol_ref", "XC-7"}, {"sex", 1}, {"estimated_age", 45},
                                    {"height_cm", 170}, {"features", marks}, {"dialect", "西南官话"},
                                    {"found_place", "沙市区北京路"}, {"found_date", "2025-01-20"}});
  ASSERT_EQ(k.status, 201) << k.body;
  const int64_t case_id = k.json().value("id", int64_t{0});
  const std::string phone = NewPhone();
  json report = {{"reporter_name", "王秀英"}, {"reporter_phone", phone}, {"reporter_relation", "妻子"},
                 {"name", "李建国"}, {"sex", 1}, {"age_at_lost", 44}, {"lost_date", "2024-12-10"},
                 {"lost_division", "421002"}, {"lost_place", "沙市区中山路"}, {"height_cm", 171},
                 {"features", marks}, {"dialect", "西南官话"}, {"photos", {"photos/family-1.jpg"}}};

  // Bad input: field errors in Chinese.
  json bad = report;
  bad.erase("age_at_lost");
  EXPECT_TRUE(IsError(staff.client.Post("/api/v1/rescue/missing-reports", bad), 400, "rescue.report.age_required",
                      "age_at_lost"));
  bad = report;
  bad["samples"] = {{{"relation", "father"}, {"profile", {{"D3S1358", "15/x"}}}}};
  EXPECT_TRUE(IsError(staff.client.Post("/api/v1/rescue/missing-reports", bad), 400, "rescue.str.invalid",
                      "samples[0].profile"));

  HttpResult created = staff.client.Post("/api/v1/rescue/missing-reports", report);
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t report_id = created.json().value("id", int64_t{0});
  EXPECT_EQ(created.json().value("status", ""), "open");
  EXPECT_EQ(created.json().value("reporter_phone", ""), phone) << "rescue staff hold pii.reveal";
  const std::string ref = "missing_report:" + std::to_string(report_id);

  // The candidate is on the case, best first, with the fusion's reasons.
  HttpResult cands = staff.client.Get("/api/v1/rescue/cases/" + std::to_string(case_id) + "/candidates");
  ASSERT_EQ(cands.status, 200) << cands.body;
  ASSERT_FALSE(cands.json()["items"].empty()) << cands.body;
  json first = cands.json()["items"][0];
  EXPECT_EQ(first.value("candidate_ref", ""), ref);
  EXPECT_EQ(first.value("source", ""), "attribute");
  EXPECT_EQ(first.value("status", ""), "open");
  EXPECT_NE(first.dump().find("体貌特征"), std::string::npos) << first.dump();

  // Another station sees neither.
  EXPECT_TRUE(IsError(other.client.Get("/api/v1/rescue/missing-reports/" + std::to_string(report_id)), 404,
                      "rescue.report.not_found"));
  EXPECT_EQ(other.client.Post("/api/v1/rescue/cases/" + std::to_string(case_id) + "/match", json::object()).status, 404);

  // Confirm: a reason is required.
  const std::string confirm = "/api/v1/rescue/candidates/" + std::to_string(first.value("id", int64_t{0})) + "/confirm";
  EXPECT_TRUE(IsError(staff.client.Post(confirm, json::object()), 400, "rescue.candidate.reason_required", "reason"));
  HttpResult ok = staff.client.Post(confirm, {{"reason", "家属辨认照片无误"}});
  ASSERT_TRUE(IsOk(ok)) << ok.body;
  EXPECT_EQ(ok.json().value("status", ""), "confirmed");

  // A re-match keeps the decision and does not propose the report again.
  HttpResult m = staff.client.Post("/api/v1/rescue/cases/" + std::to_string(case_id) + "/match", json::object());
  ASSERT_EQ(m.status, 200) << m.body;
  int with_ref = 0;
  const json matched = m.json();
  for (const auto& c : matched["items"]) {
    if (c.value("candidate_ref", "") == ref) {
      ++with_ref;
      EXPECT_EQ(c.value("status", ""), "confirmed");
      EXPECT_EQ(c.value("reason", ""), "家属辨认照片无误");
    }
  }
  EXPECT_EQ(with_ref, 1) << m.body;

  // The STR import: refused before the sample, a bad profile is a field error, a good one re-matches the case.
  HttpResult dna = staff.client.Post("/api/v1/rescue/cases/" + std::to_string(case_id) + "/dna-requests",
                                     {{"police_unit", "沙市公安分局"}});
  ASSERT_TRUE(IsOk(dna)) << dna.body;
  const std::string str = "/api/v1/rescue/dna-requests/" + std::to_string(dna.json().value("id", int64_t{0})) + "/str";
  const json profile = {{"D3S1358", "15/16"}, {"vWA", "17/18"}, {"FGA", "22/24"}};
  EXPECT_TRUE(IsError(staff.client.Post(str, {{"profile", profile}}), 409, "rescue.dna.not_sampled"));
  ASSERT_TRUE(IsOk(staff.client.Post("/api/v1/rescue/dna-requests/" + std::to_string(dna.json().value("id", int64_t{0})) +
                                         "/sample",
                                     {{"sample_ref", "S-9"}})));
  EXPECT_TRUE(IsError(staff.client.Post(str, {{"profile", {{"NOSUCH", "1/2"}}}}), 400, "rescue.str.locus", "profile"));
  HttpResult imported = staff.client.Post(str, {{"profile", profile}});
  ASSERT_TRUE(IsOk(imported)) << imported.body;
  EXPECT_EQ(imported.json()["str_profile"], profile);

  // The report is listed for its station only, and closed with a reason.
  HttpResult list = staff.client.Get("/api/v1/rescue/missing-reports?status=open&name=%E6%9D%8E%E5%BB%BA%E5%9B%BD");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_GE(list.json().value("total", int64_t{0}), 1);
  HttpResult theirs = other.client.Get("/api/v1/rescue/missing-reports");
  ASSERT_EQ(theirs.status, 200);
  EXPECT_EQ(theirs.body.find(phone), std::string::npos);
  HttpResult closed = staff.client.Post("/api/v1/rescue/missing-reports/" + std::to_string(report_id) + "/status",
                                        {{"version", 1}, {"status", "found"}, {"reason", "已由救助站找到"}});
  ASSERT_TRUE(IsOk(closed)) << closed.body;
  EXPECT_EQ(closed.json().value("status", ""), "found");
}

DOUDI_API_SUITE(RescueMatchTest);

}  // namespace
}  // namespace doudi::testing
