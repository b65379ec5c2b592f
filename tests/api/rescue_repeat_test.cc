// Repeat visits over HTTP: two unidentified intakes of the same person at one station → the earlier one is
// suggested on the later case's page at intake → confirmed with a reason and version → the visit history shows
// it → undone with a reason. Another station gets 404, a read-only role 403, bad input field errors.
#include <ctime>

#include "suite.h"

namespace doudi::testing {
namespace {

using nlohmann::json;

class RescueRepeatTest : public ApiTest<RescueRepeatTest> {};

// An intake time `days` ago (UTC, ISO): the 12-month window counts back from today.
std::string DaysAgo(int days) {
  std::time_t t = std::time(nullptr) - static_cast<std::time_t>(days) * 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

json Intake(const std::string& name, const std::string& intake_at, int sex, int age, int height,
            const std::string& dialect, const std::string& features) {
  json in = {{"how_came", "patrol"}, {"patrol_ref", "XC-9"}, {"sex", sex}, {"estimated_age", age},
             {"height_cm", height}, {"dialect", dialect}, {"features", features}, {"health_state", "高血压"},
             {"found_place", "沙市区江津路"}};
  if (!name.empty()) in["name"] = name;  // a name the person gave, unverified
  if (!intake_at.empty()) in["intake_at"] = intake_at;
  return in;
}

TEST_P(RescueRepeatTest, EarlierVisitSuggestedConfirmedShownInTheHistoryAndUndone) {
  Account& staff = Shared("rescue_staff", "421002");
  Account& other = Shared("rescue_staff", "421003");
  Account& manager = Shared("manager");
  ASSERT_TRUE(staff.ok && other.ok && manager.ok);
  const std::string name = UniqueName("自称阿");
  const std::string marks = "左手缺无名指，右耳有耳洞";

  HttpResult a = staff.client.Post("/api/v1/rescue/cases",
                                   Intake(name, DaysAgo(120), 2, 70, 150, "闽南语", marks));
  ASSERT_EQ(a.status, 201) << a.body;
  const int64_t a_id = a.json().value("id", int64_t{0});
  HttpResult decoy = staff.client.Post("/api/v1/rescue/cases",
                                       Intake("", DaysAgo(90), 1, 25, 185, "吴语", "光头"));
  ASSERT_EQ(decoy.status, 201) << decoy.body;
  const int64_t decoy_id = decoy.json().value("id", int64_t{0});
  HttpResult b = staff.client.Post("/api/v1/rescue/cases", Intake(name, "", 2, 71, 150, "闽南语", marks));
  ASSERT_EQ(b.status, 201) << b.body;
  const int64_t b_id = b.json().value("id", int64_t{0});
  const std::string base = "/api/v1/rescue/cases/" + std::to_string(b_id) + "/repeat-visits";

  // Searched at intake: the earlier visit first, explained field by field; no health detail.
  HttpResult list = staff.client.Get(base);
  ASSERT_EQ(list.status, 200) << list.body;
  const json items = list.json()["items"];
  ASSERT_FALSE(items.empty()) << list.body;
  const json first = items[0];
  EXPECT_EQ(first.value("earlier_case_id", int64_t{0}), a_id) << list.body;
  EXPECT_EQ(first.value("status", ""), "open");
  EXPECT_GT(first.value("score", 0.0), 0);
  EXPECT_EQ(first["earlier"].value("in_scope", false), true);
  EXPECT_EQ(first["earlier"].value("features", ""), marks);
  EXPECT_NE(first["explanation"].dump().find("姓名"), std::string::npos);
  EXPECT_FALSE(first["explanation"]["aging"].value("text", "").empty());
  for (const auto& s : items) EXPECT_NE(s.value("earlier_case_id", int64_t{0}), decoy_id) << "no positive evidence";
  EXPECT_EQ(list.body.find("高血压"), std::string::npos) << "the health detail never shows here";

  // Another station: 404; a read-only role: 403 on the decisions.
  EXPECT_TRUE(IsError(other.client.Get(base), 404, "rescue.case.not_found"));
  EXPECT_TRUE(IsError(other.client.Post(base + "/search", json::object()), 404, "rescue.case.not_found"));
  EXPECT_EQ(manager.client.Get(base).status, 200);
  const std::string confirm = base + "/" + std::to_string(first.value("id", int64_t{0})) + "/confirm";
  EXPECT_EQ(manager.client.Post(confirm, {{"reason", "同一人"}, {"version", 1}}).status, 403);

  // Bad input: the reason and the version are required.
  EXPECT_TRUE(IsError(staff.client.Post(confirm, {{"version", first.value("version", int64_t{0})}}), 400,
                      "rescue.repeat.reason_required", "reason"));
  EXPECT_TRUE(IsError(staff.client.Post(confirm, {{"reason", "同一人"}}), 400, "http.bad_type", "version"));
  EXPECT_EQ(staff.client.Post(confirm, {{"reason", "同一人"}, {"version", 99}}).status, 409);
  EXPECT_TRUE(IsError(staff.client.Post(base + "/999999999/confirm", {{"reason", "同一人"}, {"version", 1}}), 404,
                      "rescue.repeat.not_found"));

  HttpResult ok = staff.client.Post(confirm, {{"reason", "本人承认四个月前来过"}, {"version", first.value("version", int64_t{0})}});
  ASSERT_TRUE(IsOk(ok)) << ok.body;
  EXPECT_EQ(ok.json().value("status", ""), "confirmed");
  EXPECT_EQ(ok.json().value("reason", ""), "本人承认四个月前来过");

  // The case page's visit history now has the earlier visit.
  HttpResult page = staff.client.Get("/api/v1/rescue/cases/" + std::to_string(b_id));
  ASSERT_EQ(page.status, 200) << page.body;
  bool seen = false;
  const json history = page.json()["history"];
  for (const auto& h : history) seen = seen || h.value("id", int64_t{0}) == a_id;
  EXPECT_TRUE(seen) << history.dump();
  EXPECT_EQ(page.json()["repeat_vagrancy"].value("intakes_12_months", 0), 2);

  // A new search keeps the decision and does not propose the linked visit again.
  HttpResult again = staff.client.Post(base + "/search", json::object());
  ASSERT_EQ(again.status, 200) << again.body;
  int with_a = 0;
  const json again_items = again.json()["items"];
  for (const auto& s : again_items) {
    if (s.value("earlier_case_id", int64_t{0}) == a_id) {
      ++with_a;
      EXPECT_EQ(s.value("status", ""), "confirmed");
    }
  }
  EXPECT_EQ(with_a, 1) << again.body;

  // Undone with a reason: the history is empty again.
  const std::string undo = base + "/" + std::to_string(first.value("id", int64_t{0})) + "/undo";
  EXPECT_TRUE(IsError(staff.client.Post(undo, {{"version", 2}}), 400, "rescue.repeat.reason_required", "reason"));
  HttpResult undone = staff.client.Post(undo, {{"reason", "家属核实不是同一人"}, {"version", 2}});
  ASSERT_TRUE(IsOk(undone)) << undone.body;
  EXPECT_EQ(undone.json().value("status", ""), "undone");
  page = staff.client.Get("/api/v1/rescue/cases/" + std::to_string(b_id));
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(page.json()["history"].empty()) << page.json()["history"].dump();
}

TEST_P(RescueRepeatTest, RejectedSuggestionIsHidden) {
  Account& staff = Shared("rescue_staff", "421002");
  ASSERT_TRUE(staff.ok);
  const std::string name = UniqueName("自称老");
  HttpResult a = staff.client.Post("/api/v1/rescue/cases",
                                   Intake(name, DaysAgo(200), 1, 66, 158, "赣语", "右腿跛行，左眼失明"));
  ASSERT_EQ(a.status, 201) << a.body;
  HttpResult b = staff.client.Post("/api/v1/rescue/cases", Intake(name, "", 1, 66, 158, "赣语", "右腿跛行，左眼失明"));
  ASSERT_EQ(b.status, 201) << b.body;
  const std::string base = "/api/v1/rescue/cases/" + std::to_string(b.json().value("id", int64_t{0})) + "/repeat-visits";
  HttpResult list = staff.client.Get(base);
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_FALSE(list.json()["items"].empty()) << list.body;
  const json first = list.json()["items"][0];
  ASSERT_EQ(first.value("earlier_case_id", int64_t{0}), a.json().value("id", int64_t{0}));
  HttpResult rejected = staff.client.Post(base + "/" + std::to_string(first.value("id", int64_t{0})) + "/reject",
                                          {{"reason", "同名不同人，籍贯不同"}, {"version", first.value("version", int64_t{0})}});
  ASSERT_TRUE(IsOk(rejected)) << rejected.body;
  EXPECT_EQ(rejected.json().value("status", ""), "rejected");
  const json open_items = staff.client.Get(base).json()["items"];
  for (const auto& s : open_items) {
    EXPECT_NE(s.value("id", int64_t{0}), first.value("id", int64_t{0})) << "a rejected suggestion is hidden";
  }
  bool listed = false;
  const json all_items = staff.client.Get(base + "?all=1").json()["items"];
  for (const auto& s : all_items) {
    listed = listed || (s.value("id", int64_t{0}) == first.value("id", int64_t{0}) && s.value("status", "") == "rejected");
  }
  EXPECT_TRUE(listed) << "all=1 lists the decided ones too";
}

DOUDI_API_SUITE(RescueRepeatTest);

}  // namespace
}  // namespace doudi::testing
