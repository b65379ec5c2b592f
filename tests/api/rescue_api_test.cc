// The rescue station's workflow over HTTP: intake to departure, the public family-search page (no login, nothing
// sensitive), another station's records (404) and other roles (403), the refusals of bad input, deadlines and
// numbers, and the audit rows of views.
#include "suite.h"

namespace doudi::testing {
namespace {

using nlohmann::json;

class RescueApiTest : public ApiTest<RescueApiTest> {
 protected:
  static std::string CasePath(int64_t id, const std::string& rest = "") {
    return "/api/v1/rescue/cases/" + std::to_string(id) + rest;
  }
  static json Unknown(int age, const std::string& features) {
    return {{"how_came", "patrol"}, {"patrol_ref", "XC-9"}, {"sex", 1}, {"estimated_age", age},
            {"height_cm", 150}, {"features", features}, {"clothing", "红色上衣"}, {"health_state", "乙型肝炎携带"},
            {"mental_disability", false}, {"photo", "photos/abc.jpg"}, {"found_place", "沙市区中山路"}};
  }
  int64_t Intake(ApiClient& c, const json& body) {
    HttpResult r = c.Post("/api/v1/rescue/cases", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", int64_t{0});
  }
  // The case's notice (the first), from the case page.
  json NoticeOf(ApiClient& c, int64_t case_id) {
    HttpResult r = c.Get(CasePath(case_id));
    EXPECT_EQ(r.status, 200) << r.body;
    auto notices = r.json()["notices"];
    return notices.empty() ? json() : notices[0];
  }
};

TEST_P(RescueApiTest, PublicNoticePageShowsNothingSensitive) {
  Account& staff = Shared("rescue_staff", "421002");
  ASSERT_TRUE(staff.ok);
  const std::string marker = "左耳缺损" + UniqueName("m");
  int64_t child = Intake(staff.client, Unknown(12, marker));
  int64_t adult = Intake(staff.client, Unknown(40, marker + "成年"));
  ASSERT_GT(child, 0);
  ASSERT_GT(adult, 0);
  json n_child = NoticeOf(staff.client, child);
  json n_adult = NoticeOf(staff.client, adult);
  ASSERT_TRUE(n_child.is_object());
  EXPECT_EQ(n_child.value("status", ""), "draft");
  int64_t child_notice = n_child.value("id", int64_t{0});
  int64_t adult_notice = n_adult.value("id", int64_t{0});

  ApiClient anonymous(server().port());
  EXPECT_EQ(anonymous.Get("/api/v1/public/notices/" + std::to_string(child_notice)).status, 404)
      << "a draft is not public";
  ASSERT_TRUE(IsOk(staff.client.Post("/api/v1/rescue/notices/" + std::to_string(child_notice) + "/publish", json::object())));
  ASSERT_TRUE(IsOk(staff.client.Post("/api/v1/rescue/notices/" + std::to_string(adult_notice) + "/publish", json::object())));

  HttpResult list = anonymous.Get("/api/v1/public/notices?size=100");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_NE(list.body.find(marker), std::string::npos);
  EXPECT_EQ(list.body.find("乙型肝炎"), std::string::npos) << "health detail on the public page";
  EXPECT_EQ(list.body.find("health_state"), std::string::npos);
  EXPECT_EQ(list.body.find("person_id"), std::string::npos);
  EXPECT_EQ(list.body.find("id_number"), std::string::npos);
  HttpResult one = anonymous.Get("/api/v1/public/notices/" + std::to_string(child_notice));
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_TRUE(one.json()["photo"].is_null()) << "a minor's photo without the policy";
  EXPECT_EQ(one.json().value("estimated_age", 0), 12);
  HttpResult grown = anonymous.Get("/api/v1/public/notices/" + std::to_string(adult_notice));
  ASSERT_EQ(grown.status, 200);
  EXPECT_EQ(grown.json().value("photo", ""), "photos/abc.jpg");
  // The staff API needs a login.
  EXPECT_EQ(anonymous.Get("/api/v1/rescue/notices").status, 401);
  // Export for the national site: the same public fields.
  HttpResult csv = staff.client.Get("/api/v1/rescue/notices/export?format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find(marker), std::string::npos);
  EXPECT_EQ(csv.body.find("乙型肝炎"), std::string::npos);
}

TEST_P(RescueApiTest, AnotherStationsRecordsAreNotFoundAndOtherRolesForbidden) {
  Account& shashi = Shared("rescue_staff", "421002");
  Account& jingzhou = Shared("rescue_staff", "421003");
  Account& manager = Shared("manager");
  Account& caseworker = Shared("caseworker", "421002");
  ASSERT_TRUE(shashi.ok && jingzhou.ok && manager.ok && caseworker.ok);
  int64_t id = Intake(shashi.client, Unknown(40, "外站测试"));
  ASSERT_GT(id, 0);
  EXPECT_TRUE(IsError(jingzhou.client.Get(CasePath(id)), 404, "rescue.case.not_found"));
  EXPECT_TRUE(IsError(jingzhou.client.Post(CasePath(id, "/care"), {{"kind", "meal"}, {"detail", "午餐"}}), 404,
                      "rescue.case.not_found"));
  EXPECT_TRUE(IsError(jingzhou.client.Put(CasePath(id), {{"version", 1}, {"reason", "改一改"}, {"clothing", "x"}}),
                      404, "rescue.case.not_found"));
  json body = Unknown(40, "越权登记");
  body["station_division"] = "421002";
  EXPECT_TRUE(IsError(jingzhou.client.Post("/api/v1/rescue/cases", body), 403, "rescue.scope.outside"));
  // The city manager reads every station but cannot change records; a caseworker has no rescue permission.
  EXPECT_TRUE(IsOk(manager.client.Get(CasePath(id))));
  EXPECT_TRUE(IsError(manager.client.Post(CasePath(id, "/care"), {{"kind", "meal"}, {"detail", "午餐"}}), 403,
                      "auth.forbidden"));
  EXPECT_TRUE(IsError(caseworker.client.Get(CasePath(id)), 403, "auth.forbidden"));
  // The station's own staff: the view is audited.
  ASSERT_TRUE(IsOk(shashi.client.Get(CasePath(id))));
  Account& auditor = Shared("auditadmin");
  HttpResult audit = auditor.client.Get("/api/v1/audit?action=rescue.case.view&object_id=" + std::to_string(id));
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_GE(audit.json().value("total", 0), 2);
}

TEST_P(RescueApiTest, BadInputIsRefusedWithClearMessages) {
  Account& staff = Shared("rescue_staff", "421002");
  ASSERT_TRUE(staff.ok);
  json body = Unknown(12, "坏输入测试");
  body["belongings"] = json::array({{{"description", "书包"}, {"quantity", 1}}});
  int64_t id = Intake(staff.client, body);
  ASSERT_GT(id, 0);
  EXPECT_TRUE(IsError(staff.client.Post(CasePath(id, "/departure"),
                                        {{"kind", "relatives"}, {"departed_at", "2001-01-01T00:00:00Z"}}),
                      400, "rescue.departure.relative_name", "relative_name"));
  EXPECT_TRUE(IsError(staff.client.Post(CasePath(id, "/departure"),
                                        {{"kind", "self"}, {"declaration_ref", "ZX-1"}, {"departed_at", "2001-01-01T00:00:00Z"}}),
                      400, "rescue.departure.before_intake", "departed_at"));
  EXPECT_TRUE(IsError(staff.client.Post(CasePath(id, "/departure"), {{"kind", "self"}, {"declaration_ref", "ZX-1"}}),
                      400, "rescue.departure.belongings_held", "belongings"));
  HttpResult page = staff.client.Get(CasePath(id));
  ASSERT_EQ(page.status, 200);
  int64_t bid = page.json()["belongings"][0].value("id", int64_t{0});
  ASSERT_TRUE(IsOk(staff.client.Post(CasePath(id, "/belongings/" + std::to_string(bid) + "/return"),
                                     {{"returned_to", "王父"}, {"signature_ref", "QS-7"}})));
  EXPECT_TRUE(IsError(staff.client.Post(CasePath(id, "/departure"), {{"kind", "self"}, {"declaration_ref", "ZX-1"}}),
                      400, "rescue.departure.minor_alone", "kind"));
  json rel = {{"kind", "relatives"}, {"relative_name", "王父"}, {"relative_id_number", NewIdNumber("421002")},
              {"found_by", "conversation"}};
  EXPECT_TRUE(IsError(staff.client.Post(CasePath(id, "/departure"), rel), 400, "rescue.departure.relative_unverified",
                      "relative_id_checked"));
  // A confirm without a reason.
  HttpResult cand = staff.client.Post(CasePath(id, "/candidates"),
                                      {{"source", "face"}, {"score", 0.91}, {"candidate_ref", "寻亲登记 8"},
                                       {"explanation", {{"similarity", 0.91}}}});
  ASSERT_EQ(cand.status, 200) << cand.body;
  std::string confirm = "/api/v1/rescue/candidates/" + std::to_string(cand.json().value("id", int64_t{0})) + "/confirm";
  EXPECT_TRUE(IsError(staff.client.Post(confirm, json::object()), 400, "rescue.candidate.reason_required", "reason"));
  ASSERT_TRUE(IsOk(staff.client.Post(confirm, {{"reason", "家属辨认照片无误"}})));
  // A correction needs a reason, and the version read.
  EXPECT_TRUE(IsError(staff.client.Put(CasePath(id), {{"version", 1}, {"clothing", "黑色"}}), 400,
                      "rescue.correct.reason_required", "reason"));
  int64_t version = staff.client.Get(CasePath(id)).json()["case"].value("version", int64_t{0});
  EXPECT_TRUE(IsError(staff.client.Put(CasePath(id), {{"version", version - 1}, {"reason", "登记错误"}, {"clothing", "黑色"}}),
                      409, kAnyCode));
  HttpResult fixed = staff.client.Put(CasePath(id), {{"version", version}, {"reason", "登记错误"}, {"clothing", "黑色"}});
  ASSERT_TRUE(IsOk(fixed));
  EXPECT_EQ(fixed.json().value("clothing", ""), "黑色");
  // With the relative's ID checked the child goes home; the reunion came from the face match.
  rel["relative_id_checked"] = true;
  rel.erase("found_by");
  HttpResult gone = staff.client.Post(CasePath(id, "/departure"), rel);
  ASSERT_TRUE(IsOk(gone));
  EXPECT_EQ(gone.json().value("status", ""), "departed");
  EXPECT_EQ(gone.json().value("found_by", ""), "face");
  EXPECT_EQ(gone.body.find(rel["relative_id_number"].get<std::string>()), std::string::npos);
  EXPECT_TRUE(IsError(staff.client.Post(CasePath(id, "/departure"), rel), 409, "rescue.case.closed"));
  HttpResult versions = staff.client.Get(CasePath(id, "/versions"));
  ASSERT_EQ(versions.status, 200);
  ASSERT_EQ(versions.json()["items"].size(), 1u);
  EXPECT_EQ(versions.json()["items"][0].value("reason", ""), "登记错误");
}

TEST_P(RescueApiTest, DeadlinesAndNumbers) {
  Account& staff = Shared("rescue_staff", "421081");  // 石首市: a station of its own for countable numbers
  ASSERT_TRUE(staff.ok);
  int64_t a = Intake(staff.client, Unknown(40, "期限测试"));
  json known = {{"how_came", "self"}, {"id_number", NewIdNumber("421081")}, {"name", "赵六"}};
  int64_t b = Intake(staff.client, known);
  ASSERT_GT(a, 0);
  ASSERT_GT(b, 0);
  HttpResult q = staff.client.Get("/api/v1/rescue/deadlines?scope=mine");
  ASSERT_EQ(q.status, 200) << q.body;
  std::map<std::string, int> kinds;
  json queue = q.json();
  for (const auto& i : queue["items"]) kinds[i.value("kind", "")]++;
  // Unidentified adult: notice, DNA, stay, settlement; identified adult: stay only.
  EXPECT_EQ(kinds["notice"], 1);
  EXPECT_EQ(kinds["dna_request"], 1);
  EXPECT_EQ(kinds["stay_limit"], 2);
  EXPECT_EQ(kinds["settlement"], 1);
  EXPECT_TRUE(IsError(staff.client.Get("/api/v1/rescue/deadlines?scope=everyone"), 400, "rescue.queue.scope", "scope"));
  ASSERT_EQ(staff.client.Post(CasePath(a, "/dna-requests"), {{"police_unit", "石首市公安局"}}).status, 200);
  HttpResult w = staff.client.Get("/api/v1/rescue/whereabouts");
  ASSERT_EQ(w.status, 200);
  EXPECT_EQ(w.json().value("total", 0), 2);
  // A placement names a registered designated hospital: an unknown one is refused.
  EXPECT_TRUE(IsError(staff.client.Post(CasePath(a, "/placements"), {{"kind", "hospital"}, {"institution_id", 987654}}),
                      400, "rescue.institution.not_found", "institution_id"));
  Account& supervisor = Shared("institution_supervisor", "421081");
  ASSERT_TRUE(supervisor.ok);
  HttpResult hospital = supervisor.client.Post(
      "/api/v1/rescue/institutions",
      {{"name", "石首市人民医院"}, {"kind", "hospital"}, {"division_code", "421081"}, {"address", "石首市某路 1 号"},
       {"contact_person", "刘医生"}, {"contact_phone", "0716-7123456"}, {"capacity", 10},
       {"licence_number", "鄂卫 2024-001"}, {"licence_expiry", "2030-12-31"}, {"contract_start", "2025-01-01"},
       {"contract_end", "2030-12-31"}});
  ASSERT_EQ(hospital.status, 201) << hospital.body;
  int64_t hospital_id = hospital.json().value("id", int64_t{0});
  ASSERT_TRUE(IsOk(staff.client.Post(CasePath(a, "/placements"), {{"kind", "hospital"}, {"institution_id", hospital_id}})));
  std::string today = UtcText(std::chrono::hours(8)).substr(0, 10);
  HttpResult s = staff.client.Get("/api/v1/rescue/stats?from=" + today + "&to=" + today);
  ASSERT_EQ(s.status, 200) << s.body;
  json j = s.json();
  EXPECT_EQ(j.value("rescues", -1), 2);
  EXPECT_EQ(j.value("persons", -1), 2);
  EXPECT_EQ(j["stranded_now"].value("center", -1), 1);
  EXPECT_EQ(j["stranded_now"].value("hospital", -1), 1);
  EXPECT_EQ(j.value("dna_requests", -1), 1);
  EXPECT_EQ(j.value("notices_published", -1), 0);
  EXPECT_TRUE(IsError(staff.client.Get("/api/v1/rescue/stats?from=2025-02-01&to=2025-01-01"), 400,
                      "rescue.stats.range", "to"));
}

DOUDI_API_SUITE(RescueApiTest);

}  // namespace
}  // namespace doudi::testing
