// The rescue station's printable forms over HTTP: a download from the station's own case (a PDF, audited as a
// view), the list of the forms that apply, another station's case 404 whatever the form, a role without
// rescue.read 403, a form that does not apply 409 and an unknown one 400 — each with a Chinese message.
#include "suite.h"

namespace doudi::testing {
namespace {

using nlohmann::json;

class RescueFormsApiTest : public ApiTest<RescueFormsApiTest> {
 protected:
  static std::string FormPath(int64_t id, const std::string& rest = "") {
    return "/api/v1/rescue/cases/" + std::to_string(id) + "/forms" + rest;
  }
  static std::string Header(const HttpResult& r, const std::string& name) {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? "" : it->second;
  }
  int64_t Intake(ApiClient& c, const std::string& features) {
    json body = {{"how_came", "police"}, {"police_unit", "沙市区公安分局中山派出所"}, {"police_form_ref", "JS-77"},
                 {"sex", 1}, {"estimated_age", 40}, {"features", features}, {"found_place", "沙市区中山路"}};
    HttpResult r = c.Post("/api/v1/rescue/cases", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", int64_t{0});
  }
};

TEST_P(RescueFormsApiTest, StationStaffDownloadTheFormsThatApply) {
  Account& staff = Shared("rescue_staff", "421002");
  ASSERT_TRUE(staff.ok);
  int64_t id = Intake(staff.client, "表单下载测试");
  ASSERT_GT(id, 0);

  HttpResult list = staff.client.Get(FormPath(id));
  ASSERT_EQ(list.status, 200) << list.body;
  std::vector<std::string> codes;
  const json items = list.json()["items"];
  for (const auto& f : items) codes.push_back(f.value("code", ""));
  // In the station, brought by the police, not refused, not departed.
  EXPECT_EQ(codes, (std::vector<std::string>{"intake", "self_departure", "stay_departure", "police_handover"}));

  HttpResult pdf = staff.client.Get(FormPath(id, "/intake.pdf"));
  ASSERT_EQ(pdf.status, 200) << pdf.body.substr(0, 300);
  EXPECT_EQ(Header(pdf, "content-type"), "application/pdf");
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  EXPECT_LT(pdf.body.size(), 200u * 1024);
  EXPECT_NE(Header(pdf, "content-disposition").find("rescue-" + std::to_string(id) + "-intake.pdf"), std::string::npos);
  EXPECT_EQ(Header(pdf, "cache-control"), "no-store");

  // Audited as a view: the form's own row and the case page's.
  Account& auditor = Shared("auditadmin");
  ASSERT_TRUE(auditor.ok);
  HttpResult audit =
      auditor.client.Get("/api/v1/audit?action=rescue.form.download&object_id=" + std::to_string(id));
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_EQ(audit.json().value("total", 0), 1);
  EXPECT_NE(audit.body.find("intake"), std::string::npos);

  // Not refused: no refusal notice (409); no such form (400); not a PDF address (400).
  EXPECT_TRUE(IsError(staff.client.Get(FormPath(id, "/refusal.pdf")), 409, "rescue.form.not_applicable"));
  EXPECT_TRUE(IsError(staff.client.Get(FormPath(id, "/birthday.pdf")), 400, "rescue.form.unknown", "form"));
  EXPECT_TRUE(IsError(staff.client.Get(FormPath(id, "/intake")), 400, "rescue.form.unknown", "form"));
}

TEST_P(RescueFormsApiTest, AnotherStationGets404AndOtherRoles403) {
  Account& shashi = Shared("rescue_staff", "421002");
  Account& jingzhou = Shared("rescue_staff", "421003");
  Account& caseworker = Shared("caseworker", "421002");
  Account& manager = Shared("manager");
  ASSERT_TRUE(shashi.ok && jingzhou.ok && caseworker.ok && manager.ok);
  int64_t id = Intake(shashi.client, "外站表单测试");
  ASSERT_GT(id, 0);
  // Another station: not found, whatever the form, even one that would not apply.
  EXPECT_TRUE(IsError(jingzhou.client.Get(FormPath(id, "/intake.pdf")), 404, "rescue.case.not_found"));
  EXPECT_TRUE(IsError(jingzhou.client.Get(FormPath(id, "/refusal.pdf")), 404, "rescue.case.not_found"));
  EXPECT_TRUE(IsError(jingzhou.client.Get(FormPath(id)), 404, "rescue.case.not_found"));
  EXPECT_TRUE(IsError(shashi.client.Get(FormPath(999999999, "/intake.pdf")), 404, "rescue.case.not_found"));
  // No rescue.read.
  EXPECT_TRUE(IsError(caseworker.client.Get(FormPath(id, "/intake.pdf")), 403, "auth.forbidden"));
  // The city manager reads every station.
  HttpResult pdf = manager.client.Get(FormPath(id, "/police_handover.pdf"));
  ASSERT_EQ(pdf.status, 200) << pdf.body.substr(0, 300);
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  // No download happened for the refused requests.
  Account& auditor = Shared("auditadmin");
  HttpResult audit =
      auditor.client.Get("/api/v1/audit?action=rescue.form.download&object_id=" + std::to_string(id));
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_EQ(audit.json().value("total", 0), 1);
}

DOUDI_API_SUITE(RescueFormsApiTest);

}  // namespace
}  // namespace doudi::testing
