// Street patrol logs over HTTP: a rescue staff member logs a patrol (team, times, places with coordinates,
// persons met and what was done) and gets the counts by action; lists filter by day, member and action;
// permissions (403), division scope (404), bad input (400 naming the field), corrections with a reason and
// history (409 on a stale version), and an audit row per mutation.
#include "suite.h"

namespace doudi::testing {
namespace {

using nlohmann::json;

class RescuePatrolApiTest : public ApiTest<RescuePatrolApiTest> {
 protected:
  static json PatrolBody(const std::string& division, const std::string& member) {
    return {{"division_code", division},
            {"started_at", "2026-11-01T20:00:00+08:00"},
            {"ended_at", "2026-11-01T23:30:00+08:00"},
            {"team", {member, "刘二"}},
            {"route", "中山路—沙市火车站—长港路"},
            {"places",
             {{{"division_code", "421002001"}, {"place", "中山路天桥下"}, {"lat", 30.3125}, {"lng", 112.2551}},
              {{"division_code", "421002002"}, {"place", "沙市火车站广场"}}}},
            {"encounters",
             {{{"persons", 2}, {"action", "advised"}, {"description", "两名中年男子，劝离"}, {"place_index", 0}},
              {{"persons", 1}, {"action", "brought_in"}, {"description", "老年女性，意识模糊"}, {"place_index", 1}},
              {{"persons", 1}, {"action", "refused"}, {"description", "拒绝入站，已发放棉被"}},
              {{"persons", 3}, {"action", "advised"}, {"description", "三名青年"}}}},
            {"notes", "气温 3℃"}};
  }
};

TEST_P(RescuePatrolApiTest, LogAPatrolAndFindItByDayMemberAndAction) {
  Account& staff = Shared("rescue_staff", "421002");
  ASSERT_TRUE(staff.ok);
  const std::string member = UniqueName("巡查员");
  HttpResult r = staff.client.Post("/api/v1/rescue/patrols", PatrolBody("421002", member));
  ASSERT_EQ(r.status, 201) << r.body;
  json p = r.json();
  int64_t id = p.value("id", int64_t{0});
  // 2 + 1 + 1 + 3 persons met; advised 2 + 3.
  EXPECT_EQ(p["counts"].value("persons_met", -1), 7);
  EXPECT_EQ(p["counts"].value("advised", -1), 5);
  EXPECT_EQ(p["counts"].value("brought_in", -1), 1);
  EXPECT_EQ(p["counts"].value("refused", -1), 1);
  EXPECT_EQ(p["counts"].value("referred_police", -1), 0);
  EXPECT_EQ(p.value("started_at", ""), "2026-11-01T12:00:00.000Z") << "stored as UTC";
  EXPECT_EQ(p["places"][1]["lat"], nullptr);

  auto total = [&](const std::string& query) {
    HttpResult l = staff.client.Get("/api/v1/rescue/patrols?member=" + Url(member) + query);
    EXPECT_EQ(l.status, 200) << l.body;
    return l.json().value("total", -1);
  };
  EXPECT_EQ(total(""), 1);
  EXPECT_EQ(total("&from=2026-11-01&to=2026-11-01"), 1);
  EXPECT_EQ(total("&from=2026-11-02"), 0);
  EXPECT_EQ(total("&action=brought_in"), 1);
  EXPECT_EQ(total("&action=referred_police"), 0);
  EXPECT_TRUE(IsError(staff.client.Get("/api/v1/rescue/patrols?action=arrested"), 400, "rescue.patrol.action", "action"));

  auto audit = Shared("auditadmin").client.Get("/api/v1/audit?action=rescue.patrol.create&object_id=" + std::to_string(id));
  ASSERT_EQ(audit.status, 200);
  EXPECT_EQ(audit.json().value("total", 0), 1);
}

TEST_P(RescuePatrolApiTest, ScopePermissionsAndCorrections) {
  Account& staff = Shared("rescue_staff", "421002");
  Account& other = Shared("rescue_staff", "421003");
  Account& sup = Shared("institution_supervisor", "421002");
  ASSERT_TRUE(staff.ok && other.ok && sup.ok);
  HttpResult r = staff.client.Post("/api/v1/rescue/patrols", PatrolBody("421002", UniqueName("巡查员")));
  ASSERT_EQ(r.status, 201) << r.body;
  int64_t id = r.json().value("id", int64_t{0});
  const std::string path = "/api/v1/rescue/patrols/" + std::to_string(id);
  EXPECT_TRUE(IsError(other.client.Get(path), 404, "rescue.patrol.not_found"));
  EXPECT_TRUE(IsError(other.client.Post("/api/v1/rescue/patrols", PatrolBody("421002", "越界")), 400,
                      "rescue.scope.outside", "division_code"));
  EXPECT_TRUE(IsOk(sup.client.Get(path))) << "rescue.read";
  EXPECT_TRUE(IsError(sup.client.Post("/api/v1/rescue/patrols", PatrolBody("421002", "x")), 403, kAnyCode));

  json fix = r.json();
  fix["encounters"][1]["action"] = "referred_hospital";
  EXPECT_TRUE(IsError(staff.client.Put(path, fix), 400, "rescue.correction.reason", "reason"));
  fix["reason"] = "该老人实为送医";
  HttpResult fixed = staff.client.Put(path, fix);
  ASSERT_TRUE(IsOk(fixed));
  EXPECT_EQ(fixed.json()["counts"].value("referred_hospital", -1), 1);
  EXPECT_EQ(fixed.json()["counts"].value("brought_in", -1), 0);
  EXPECT_EQ(fixed.json().value("version", 0), 2);
  EXPECT_TRUE(IsError(staff.client.Put(path, fix), 409, kAnyCode));
  HttpResult history = staff.client.Get(path + "/history");
  ASSERT_TRUE(IsOk(history));
  ASSERT_EQ(history.json()["items"].size(), 1u);
  EXPECT_EQ(history.json()["items"][0]["snapshot"]["counts"].value("brought_in", -1), 1);
}

TEST_P(RescuePatrolApiTest, BadInputNamesTheField) {
  Account& staff = Shared("rescue_staff", "421002");
  ASSERT_TRUE(staff.ok);
  auto post = [&](const json& b) { return staff.client.Post("/api/v1/rescue/patrols", b); };
  json b = PatrolBody("421002", "甲");
  b["ended_at"] = "2026-11-01T19:00:00+08:00";
  EXPECT_TRUE(IsError(post(b), 400, "rescue.patrol.time_order", "ended_at"));
  b = PatrolBody("421002", "甲");
  b["started_at"] = "昨晚八点";
  EXPECT_TRUE(IsError(post(b), 400, "rescue.patrol.time", "started_at"));
  b = PatrolBody("421002", "甲");
  b["ended_at"] = "2099-01-01T00:00:00Z";
  b["started_at"] = "2098-12-31T20:00:00Z";
  EXPECT_TRUE(IsError(post(b), 400, "rescue.patrol.future", "ended_at"));
  b["ended_at"] = "2999-01-01T00:00:00Z";  // beyond what the server's clock type holds: refused, not a crash
  b["started_at"] = "2998-12-31T20:00:00Z";
  EXPECT_TRUE(IsError(post(b), 400, "rescue.patrol.time", "started_at"));
  b = PatrolBody("421002", "甲");
  b["team"] = json::array();
  EXPECT_TRUE(IsError(post(b), 400, "rescue.patrol.team_required", "team"));
  b = PatrolBody("421002", "甲");
  b["places"][0]["lat"] = 112.2551;  // swapped with the longitude
  b["places"][0]["lng"] = 30.3125;
  EXPECT_TRUE(IsError(post(b), 400, "rescue.patrol.coordinates_range", "places[0].lat"));
  b = PatrolBody("421002", "甲");
  b["places"][1]["lat"] = 30.3;
  EXPECT_TRUE(IsError(post(b), 400, "rescue.patrol.coordinates_pair", "places[1].lat"));
  b = PatrolBody("421002", "甲");
  b["places"][1]["division_code"] = "421099001";
  EXPECT_TRUE(IsError(post(b), 400, kAnyCode, "places[1].division_code"));
  b = PatrolBody("421002", "甲");
  b["encounters"][0]["persons"] = 0;
  EXPECT_TRUE(IsError(post(b), 400, "rescue.patrol.persons", "encounters[0].persons"));
  b = PatrolBody("421002", "甲");
  b["encounters"][2]["action"] = "ignored";
  EXPECT_TRUE(IsError(post(b), 400, "rescue.patrol.action", "encounters[2].action"));
  b = PatrolBody("421002", "甲");
  b["encounters"][0]["place_index"] = 5;
  EXPECT_TRUE(IsError(post(b), 400, "rescue.patrol.place_index", "encounters[0].place_index"));
}

DOUDI_API_SUITE(RescuePatrolApiTest);

}  // namespace
}  // namespace doudi::testing
