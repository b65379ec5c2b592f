// Institution supervision over HTTP: an institution supervisor registers an institution, inspects it with the
// scored checklist, attaches photos (type and size limits), orders a rectification with a deadline in working
// days across the National Day holidays, and follows it up until closed; permissions (403), division scope
// (404), bad input (400 naming the field), optimistic locking (409), corrections with history, audit rows.
#include <chrono>
#include <cstdio>
#include <set>

#include "platform/bytes.h"
#include "suite.h"

namespace doudi::testing {
namespace {

using nlohmann::json;

class RescueInstitutionApiTest : public ApiTest<RescueInstitutionApiTest> {
 protected:
  static json InstitutionBody(const std::string& name, const std::string& division) {
    return {{"name", name},          {"kind", "foster_care"},       {"division_code", division},
            {"address", "沙市区某路 8 号"}, {"contact_person", "张院长"},   {"contact_phone", "0716-8123456"},
            {"capacity", 40},        {"licence_number", "鄂民养 2024-017"}, {"licence_expiry", "2030-12-31"},
            {"contract_start", "2025-01-01"}, {"contract_end", "2030-12-31"}};
  }
  static json Items(int q, int f, int c, int s, int r) {
    return json::array({{{"code", "qualifications"}, {"score", q}},
                        {{"code", "facilities"}, {"score", f}},
                        {{"code", "care_quality"}, {"score", c}, {"note", "夜间看护记录不全"}},
                        {{"code", "safety"}, {"score", s}},
                        {{"code", "records"}, {"score", r}}});
  }
  int64_t CreateInstitution(Account& a, const std::string& name, const std::string& division) {
    HttpResult r = a.client.Post("/api/v1/rescue/institutions", InstitutionBody(name, division));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? r.json().value("id", int64_t{0}) : 0;
  }
  json Audit(const std::string& query) {
    Account& auditor = Shared("auditadmin");
    HttpResult r = auditor.client.Get("/api/v1/audit?" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
};

TEST_P(RescueInstitutionApiTest, RegisterInspectOrderAndCloseARectification) {
  Account& sup = Shared("institution_supervisor", "421002");
  ASSERT_TRUE(sup.ok);
  int64_t id = CreateInstitution(sup, "沙市区福康托养中心", "421002001");
  ASSERT_GT(id, 0);
  HttpResult got = sup.client.Get("/api/v1/rescue/institutions/" + std::to_string(id));
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(got.json().value("kind_name", ""), "托养机构");
  EXPECT_EQ(got.json().value("placed_persons", -1), 0);
  EXPECT_EQ(got.json().value("version", 0), 1);

  // 18 + 16 + 11 + 17 + 15 = 77: good (75..89); care quality 11 < 60 % of 20 is weak.
  HttpResult insp = sup.client.Post("/api/v1/rescue/institutions/" + std::to_string(id) + "/inspections",
                                    {{"inspected_on", "2025-09-25"},
                                     {"inspectors", {"李监管", "王科长"}},
                                     {"items", Items(18, 16, 11, 17, 15)},
                                     {"findings", "夜间看护人员不足"}});
  ASSERT_EQ(insp.status, 201) << insp.body;
  int64_t inspection = insp.json().value("id", int64_t{0});
  EXPECT_EQ(insp.json().value("total", 0), 77);
  EXPECT_EQ(insp.json().value("rating", ""), "good");
  const json insp_items = insp.json()["items"];
  for (const auto& item : insp_items) {
    EXPECT_EQ(item.value("weak", false), item.value("code", "") == "care_quality") << item.dump();
  }

  // A 1x1 PNG is accepted; text dressed as a JPEG is not.
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x06\0\0\0\x1f\x15\xc4\x89", 33);
  std::string photos = "/api/v1/rescue/institutions/inspections/" + std::to_string(inspection) + "/photos";
  HttpResult photo = sup.client.Post(photos, {{"file_name", "kitchen.png"}, {"content_type", "image/png"},
                                              {"data", platform::Base64(png)}, {"caption", "厨房"}});
  ASSERT_EQ(photo.status, 201) << photo.body;
  HttpResult bytes = sup.client.Get(photo.json().value("url", ""));
  ASSERT_EQ(bytes.status, 200);
  EXPECT_EQ(bytes.body, png);
  EXPECT_TRUE(IsError(sup.client.Post(photos, {{"file_name", "a.jpg"}, {"content_type", "image/jpeg"},
                                               {"data", platform::Base64("not an image at all")}}),
                      400, "rescue.photo.type", "data"));
  std::string big(6 << 20, 'x');
  big.replace(0, 3, "\xFF\xD8\xFF");
  HttpResult too_big = sup.client.Post(photos, {{"file_name", "big.jpg"}, {"data", platform::Base64(big)}});
  EXPECT_TRUE(too_big.status == 413) << too_big.status << " " << too_big.body.substr(0, 200);

  // 5 working days from Friday 2025-09-26: Sun 28 (调休 working), Mon 29, Tue 30, (Oct 1–8 holiday), Thu 9,
  // Fri 10 -> 2025-10-10, long past: overdue while open.
  HttpResult order = sup.client.Post(
      "/api/v1/rescue/institutions/inspections/" + std::to_string(inspection) + "/rectifications",
      {{"requirement", "增配夜间看护人员并完善交接班记录"}, {"issued_on", "2025-09-26"}, {"working_days", 5}});
  ASSERT_EQ(order.status, 201) << order.body;
  int64_t rect = order.json().value("id", int64_t{0});
  EXPECT_EQ(order.json().value("deadline", ""), "2025-10-10");
  EXPECT_EQ(order.json().value("state", ""), "open");
  EXPECT_TRUE(order.json().value("overdue", false));
  HttpResult overdue = sup.client.Get("/api/v1/rescue/institutions/rectifications?overdue=1&institution_id=" +
                                      std::to_string(id));
  ASSERT_TRUE(IsOk(overdue));
  EXPECT_EQ(overdue.json().value("total", -1), 1);
  HttpResult due = sup.client.Get("/api/v1/rescue/institutions/rectifications?due_before=2025-10-09&institution_id=" +
                                  std::to_string(id));
  ASSERT_TRUE(IsOk(due));
  EXPECT_EQ(due.json().value("total", -1), 0) << "due on the 10th, not by the 9th";

  std::string follow = "/api/v1/rescue/institutions/rectifications/" + std::to_string(rect) + "/follow-ups";
  // Verifying before anything was submitted is refused; so is a stale version.
  EXPECT_TRUE(IsError(sup.client.Post(follow, {{"version", 1}, {"action", "verify"}}), 400,
                      "rescue.rectification.transition", "action"));
  HttpResult submitted = sup.client.Post(follow, {{"version", 1}, {"action", "submit"}, {"note", "已增配 2 名护理员"}});
  ASSERT_EQ(submitted.status, 201) << submitted.body;
  EXPECT_EQ(submitted.json().value("state", ""), "submitted");
  EXPECT_FALSE(submitted.json().value("overdue", true));
  EXPECT_TRUE(IsError(sup.client.Post(follow, {{"version", 1}, {"action", "verify"}}), 409, kAnyCode));
  HttpResult reopened = sup.client.Post(follow, {{"version", 2}, {"action", "reopen"}});
  EXPECT_TRUE(IsError(reopened, 400, "rescue.rectification.note_required", "note"));
  reopened = sup.client.Post(follow, {{"version", 2}, {"action", "reopen"}, {"note", "交接班记录仍缺失"}});
  ASSERT_EQ(reopened.status, 201) << reopened.body;
  EXPECT_EQ(reopened.json().value("state", ""), "reopened");
  ASSERT_EQ(sup.client.Post(follow, {{"version", 3}, {"action", "submit"}, {"note", "已补齐"}}).status, 201);
  HttpResult closed = sup.client.Post(follow, {{"version", 4}, {"action", "verify"}, {"note", "现场复查合格"}});
  ASSERT_EQ(closed.status, 201) << closed.body;
  EXPECT_EQ(closed.json().value("state", ""), "closed");
  EXPECT_FALSE(closed.json()["closed_on"].is_null());
  std::vector<std::string> actions;
  const json events = closed.json()["events"];
  for (const auto& e : events) actions.push_back(e.value("action", ""));
  EXPECT_EQ(actions, (std::vector<std::string>{"order", "submit", "reopen", "submit", "verify"}));

  // The inspection page shows its rectification and photo.
  HttpResult page = sup.client.Get("/api/v1/rescue/institutions/inspections/" + std::to_string(inspection));
  ASSERT_TRUE(IsOk(page));
  EXPECT_EQ(page.json()["rectifications"].size(), 1u);
  EXPECT_EQ(page.json()["photos"].size(), 1u);

  // Every mutation left an audit row under the supervisor's name.
  auto rows = Audit("object_type=rescue_rectification&object_id=" + std::to_string(rect) + "&size=50");
  EXPECT_GE(rows.value("total", 0), 5) << rows.dump();
  auto created = Audit("action=rescue.institution.create&object_id=" + std::to_string(id));
  ASSERT_EQ(created.value("total", 0), 1) << created.dump();
  EXPECT_EQ(created["items"][0].value("username", ""), sup.username);
}

TEST_P(RescueInstitutionApiTest, PermissionsAndScope) {
  Account& sup = Shared("institution_supervisor", "421002");
  Account& other = Shared("institution_supervisor", "421003");
  Account& staff = Shared("rescue_staff", "421002");
  Account& cw = Shared("caseworker", "421002");
  ASSERT_TRUE(sup.ok && other.ok && staff.ok && cw.ok);
  int64_t id = CreateInstitution(sup, "沙市区定点医院", "421002");
  ASSERT_GT(id, 0);
  const std::string path = "/api/v1/rescue/institutions/" + std::to_string(id);
  // Another county's supervisor: not found, for reading and writing alike, and not in the list.
  EXPECT_TRUE(IsError(other.client.Get(path), 404, "rescue.institution.not_found"));
  json rename = InstitutionBody("改名", "421002");
  rename["version"] = 1;
  rename["reason"] = "测试越权";
  EXPECT_TRUE(IsError(other.client.Put(path, rename), 404, "rescue.institution.not_found"));
  HttpResult list = other.client.Get("/api/v1/rescue/institutions?name=" + Url("沙市区定点医院"));
  ASSERT_TRUE(IsOk(list));
  EXPECT_EQ(list.json().value("total", -1), 0);
  // Registering in another county is refused.
  EXPECT_TRUE(IsError(other.client.Post("/api/v1/rescue/institutions", InstitutionBody("越界机构", "421002")), 400,
                      "rescue.scope.outside", "division_code"));
  // Rescue staff read institutions (placements) but do not supervise them; a caseworker does neither.
  EXPECT_TRUE(IsOk(staff.client.Get(path)));
  EXPECT_TRUE(IsError(staff.client.Post("/api/v1/rescue/institutions", InstitutionBody("x", "421002")), 403, kAnyCode));
  EXPECT_TRUE(IsError(staff.client.Post(path + "/inspections", {{"inspected_on", "2025-09-25"}}), 403, kAnyCode));
  EXPECT_TRUE(IsError(cw.client.Get(path), 403, kAnyCode));
  EXPECT_TRUE(IsError(sup.client.Get("/api/v1/rescue/institutions/abc"), 404, kAnyCode));
}

TEST_P(RescueInstitutionApiTest, BadInputIsRefusedWithTheField) {
  Account& sup = Shared("institution_supervisor", "421002");
  ASSERT_TRUE(sup.ok);
  json bad = InstitutionBody("", "421002");
  EXPECT_TRUE(IsError(sup.client.Post("/api/v1/rescue/institutions", bad), 400, "rescue.institution.name_required", "name"));
  bad = InstitutionBody("某机构", "421002");
  bad["contract_start"] = "2026-05-01";
  bad["contract_end"] = "2026-04-30";
  EXPECT_TRUE(IsError(sup.client.Post("/api/v1/rescue/institutions", bad), 400, "rescue.institution.contract_order",
                      "contract_end"));
  bad["contract_end"] = "2026-02-30";
  EXPECT_TRUE(IsError(sup.client.Post("/api/v1/rescue/institutions", bad), 400, "rescue.date.invalid", "contract_end"));
  bad = InstitutionBody("某机构", "421002");
  bad["kind"] = "hotel";
  EXPECT_TRUE(IsError(sup.client.Post("/api/v1/rescue/institutions", bad), 400, "rescue.institution.kind", "kind"));
  bad = InstitutionBody("某机构", "421002");
  bad["capacity"] = "四十";
  EXPECT_TRUE(IsError(sup.client.Post("/api/v1/rescue/institutions", bad), 400, "rescue.field.type", "capacity"));

  int64_t id = CreateInstitution(sup, "校验用托养点", "421002");
  ASSERT_GT(id, 0);
  const std::string insp = "/api/v1/rescue/institutions/" + std::to_string(id) + "/inspections";
  EXPECT_TRUE(IsError(sup.client.Post(insp, {{"inspected_on", "2025-09-25"}, {"inspectors", {"李"}},
                                             {"items", Items(21, 16, 11, 17, 15)}}),
                      400, "rescue.inspection.score_range", "items[0].score"));
  json four = Items(18, 16, 11, 17, 15);
  four.erase(4);
  EXPECT_TRUE(IsError(sup.client.Post(insp, {{"inspected_on", "2025-09-25"}, {"inspectors", {"李"}}, {"items", four}}),
                      400, "rescue.inspection.item_missing", "items"));
  EXPECT_TRUE(IsError(sup.client.Post(insp, {{"inspected_on", "2999-01-01"}, {"inspectors", {"李"}},
                                             {"items", Items(1, 1, 1, 1, 1)}}),
                      400, "rescue.inspection.date_future", "inspected_on"));
  HttpResult ok = sup.client.Post(insp, {{"inspected_on", "2025-09-25"}, {"inspectors", {"李"}},
                                         {"items", Items(10, 10, 10, 10, 10)}});
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(ok.json().value("rating", ""), "fail");  // 50 < 60
  const std::string rects = "/api/v1/rescue/institutions/inspections/" + std::to_string(ok.json().value("id", 0)) +
                            "/rectifications";
  EXPECT_TRUE(IsError(sup.client.Post(rects, {{"requirement", "整改消防通道"}}), 400,
                      "rescue.rectification.deadline_required", "deadline"));
  EXPECT_TRUE(IsError(sup.client.Post(rects, {{"requirement", "整改消防通道"}, {"issued_on", "2025-09-26"},
                                              {"deadline", "2025-09-20"}}),
                      400, "rescue.rectification.deadline_past", "deadline"));
  EXPECT_TRUE(IsError(sup.client.Post(rects, {{"requirement", "整改消防通道"}, {"working_days", 0}}), 400,
                      "rescue.rectification.working_days", "working_days"));
  EXPECT_TRUE(IsError(sup.client.Post(rects, {{"requirement", "整改消防通道"}, {"issued_on", "2025-09-01"},
                                              {"working_days", 3}}),
                      400, "rescue.rectification.issued_before_inspection", "issued_on"));
}

TEST_P(RescueInstitutionApiTest, CorrectionsNeedAReasonKeepHistoryAndLockOnVersion) {
  Account& sup = Shared("institution_supervisor", "421002");
  ASSERT_TRUE(sup.ok);
  int64_t id = CreateInstitution(sup, "更正前名称", "421002");
  ASSERT_GT(id, 0);
  const std::string path = "/api/v1/rescue/institutions/" + std::to_string(id);
  json body = InstitutionBody("更正后名称", "421002");
  body["version"] = 1;
  EXPECT_TRUE(IsError(sup.client.Put(path, body), 400, "rescue.correction.reason", "reason"));
  body["reason"] = "营业执照名称变更";
  HttpResult fixed = sup.client.Put(path, body);
  ASSERT_TRUE(IsOk(fixed));
  EXPECT_EQ(fixed.json().value("name", ""), "更正后名称");
  EXPECT_EQ(fixed.json().value("version", 0), 2);
  EXPECT_TRUE(IsError(sup.client.Put(path, body), 409, kAnyCode)) << "version 1 is stale";
  HttpResult history = sup.client.Get(path + "/history");
  ASSERT_TRUE(IsOk(history));
  ASSERT_EQ(history.json()["items"].size(), 1u);
  EXPECT_EQ(history.json()["items"][0].value("reason", ""), "营业执照名称变更");
  EXPECT_EQ(history.json()["items"][0]["snapshot"].value("name", ""), "更正前名称");
}

// Today in Shanghai plus n days, as YYYY-MM-DD (worked out here from the system clock, not by the server).
std::string ShanghaiDay(int n) {
  using namespace std::chrono;
  year_month_day d{floor<days>(system_clock::now() + hours(8)) + days(n)};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return buf;
}

TEST_P(RescueInstitutionApiTest, ContractsEndingWithinThirtyDaysAreFlagged) {
  Account& sup = Shared("institution_supervisor", "421002");
  ASSERT_TRUE(sup.ok);
  json soon = InstitutionBody("协议将到期托养点", "421002");
  soon["contract_start"] = ShanghaiDay(-300);
  soon["contract_end"] = ShanghaiDay(10);
  HttpResult a = sup.client.Post("/api/v1/rescue/institutions", soon);
  ASSERT_EQ(a.status, 201) << a.body;
  EXPECT_EQ(a.json().value("contract_state", ""), "expiring");
  EXPECT_TRUE(a.json().value("contract_expiring", false));
  json later = InstitutionBody("协议长期有效托养点", "421002");
  later["contract_end"] = ShanghaiDay(31);
  HttpResult b = sup.client.Post("/api/v1/rescue/institutions", later);
  ASSERT_EQ(b.status, 201) << b.body;
  EXPECT_EQ(b.json().value("contract_state", ""), "valid");
  json ended = InstitutionBody("协议已过期托养点", "421002");
  ended["contract_start"] = "2020-01-01";
  ended["contract_end"] = ShanghaiDay(-1);
  HttpResult c = sup.client.Post("/api/v1/rescue/institutions", ended);
  ASSERT_EQ(c.status, 201) << c.body;
  EXPECT_EQ(c.json().value("contract_state", ""), "expired");
  HttpResult list = sup.client.Get("/api/v1/rescue/institutions?contract_expiring=1&name=" + Url("托养点") + "&size=100");
  ASSERT_TRUE(IsOk(list));
  std::set<std::string> names;
  const json listed = list.json()["items"];
  for (const auto& i : listed) names.insert(i.value("name", ""));
  EXPECT_TRUE(names.count("协议将到期托养点"));
  EXPECT_TRUE(names.count("协议已过期托养点"));
  EXPECT_FALSE(names.count("协议长期有效托养点"));
}

// The station workflow and supervision meet: a person placed in the institution counts as placed there, and an
// open rectification is in the issuing supervisor's work queue until it is submitted.
TEST_P(RescueInstitutionApiTest, PlacementsCountAndRectificationsJoinTheWorkQueue) {
  Account& sup = Shared("institution_supervisor", "421002");
  Account& staff = Shared("rescue_staff", "421002");
  ASSERT_TRUE(sup.ok && staff.ok);
  int64_t id = CreateInstitution(sup, "安置计数托养中心", "421002");
  ASSERT_GT(id, 0);
  json intake = {{"how_came", "patrol"}, {"sex", 1}, {"estimated_age", 60}, {"features", "左眉有痣"},
                 {"clothing", "蓝色棉袄"}, {"found_place", "沙市区中山路"}};
  HttpResult c = staff.client.Post("/api/v1/rescue/cases", intake);
  ASSERT_EQ(c.status, 201) << c.body;
  int64_t case_id = c.json().value("id", int64_t{0});
  HttpResult placed = staff.client.Post("/api/v1/rescue/cases/" + std::to_string(case_id) + "/placements",
                                        {{"kind", "institution"}, {"institution_id", id}});
  ASSERT_TRUE(IsOk(placed)) << placed.body;
  HttpResult got = sup.client.Get("/api/v1/rescue/institutions/" + std::to_string(id));
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(got.json().value("placed_persons", -1), 1);

  HttpResult insp = sup.client.Post("/api/v1/rescue/institutions/" + std::to_string(id) + "/inspections",
                                    {{"inspected_on", "2025-09-25"}, {"inspectors", {"李监管"}},
                                     {"items", Items(20, 20, 20, 20, 5)}});
  ASSERT_EQ(insp.status, 201) << insp.body;
  HttpResult order = sup.client.Post(
      "/api/v1/rescue/institutions/inspections/" + std::to_string(insp.json().value("id", 0)) + "/rectifications",
      {{"requirement", "建立受助人员档案"}, {"issued_on", "2025-09-26"}, {"deadline", "2025-10-31"}});
  ASSERT_EQ(order.status, 201) << order.body;
  int64_t rect = order.json().value("id", int64_t{0});
  auto queued = [&]() {
    HttpResult q = sup.client.Get("/api/v1/rescue/deadlines?scope=mine");
    EXPECT_EQ(q.status, 200) << q.body;
    json items = q.json()["items"];
    for (const auto& i : items) {
      if (i.value("kind", "") == "rectification" && i.value("object_id", int64_t{0}) == rect) return i;
    }
    return json();
  };
  json item = queued();
  ASSERT_FALSE(item.is_null()) << "the open rectification is not in the supervisor's queue";
  EXPECT_EQ(item.value("due_date", ""), "2025-10-31");
  EXPECT_EQ(item.value("state", ""), "overdue");
  ASSERT_EQ(sup.client.Post("/api/v1/rescue/institutions/rectifications/" + std::to_string(rect) + "/follow-ups",
                            {{"version", 1}, {"action", "submit"}, {"note", "已建档"}})
                .status,
            201);
  EXPECT_TRUE(queued().is_null()) << "a submitted rectification waits for verification, not for the institution";
}

DOUDI_API_SUITE(RescueInstitutionApiTest);

}  // namespace
}  // namespace doudi::testing
