// The verification API over HTTP (docs/api/openapi.yaml, tag verify), on SQLite and PostgreSQL: feed upload as a
// job with rejects, duplicate content refused and forced, authorisation before any query and its lapse when the
// household's members change, a household verified against figures worked out by hand, the result's view
// audited, division scope (404) and permissions (403), and a batch recheck as a job.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "suite.h"

namespace doudi::testing {
namespace {

using nlohmann::json;

class VerifyApiTest : public ApiTest<VerifyApiTest> {
 protected:
  // Uploads a feed file as the raw body; returns the 202 answer (or whatever came back).
  static HttpResult Upload(ApiClient& c, const std::string& source, const std::string& csv,
                           const std::string& extra = "", const std::string& period = "2026-10") {
    return c.Raw("POST",
                 "/api/v1/verify/feeds?source=" + source + "&period=" + period + "&filename=" + source + ".csv" + extra,
                 csv, "text/csv");
  }

  // Polls the job until it has finished; returns the finished job (or the last answer).
  static json WaitJob(ApiClient& c, int64_t job_id) {
    json job;
    for (int i = 0; i < 300; ++i) {
      HttpResult r = c.Get("/api/v1/jobs/" + std::to_string(job_id));
      EXPECT_EQ(r.status, 200) << r.body;
      job = r.json();
      std::string s = job.value("status", "");
      if (s == "succeeded" || s == "failed" || s == "cancelled") return job;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "job " << job_id << " did not finish: " << job.dump();
    return job;
  }

  // Uploads and waits for the import; returns the batch as GET /verify/feeds/{id} shows it afterwards.
  json Import(ApiClient& c, const std::string& source, const std::string& csv, const std::string& extra = "") {
    HttpResult r = Upload(c, source, csv, extra);
    EXPECT_EQ(r.status, 202) << r.body;
    if (r.status != 202) return json::object();
    json j = r.json();
    EXPECT_EQ(j["batch"]["status"], "importing");
    json job = WaitJob(c, j.value("job_id", int64_t{0}));
    EXPECT_EQ(job["status"], "succeeded") << job.dump();
    HttpResult b = c.Get("/api/v1/verify/feeds/" + std::to_string(j["batch"].value("id", int64_t{0})));
    EXPECT_EQ(b.status, 200) << b.body;
    return b.json();
  }

  int64_t Household(ApiClient& cw, const std::vector<std::pair<int64_t, std::string>>& members,
                    const std::string& division = "421003") {
    json m = json::array();
    for (const auto& [id, rel] : members) m.push_back({{"person_id", id}, {"relation", rel}});
    HttpResult r = cw.Post("/api/v1/registry/households", {{"head_person_id", members[0].first},
                                                           {"urban_rural", "urban"},
                                                           {"division_code", division},
                                                           {"address", "荆州区某路 8 号"},
                                                           {"members", m}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", int64_t{0});
  }

  static std::string AuthPath(int64_t household) {
    return "/api/v1/verify/households/" + std::to_string(household) + "/authorisations";
  }

  static void Authorise(ApiClient& v, int64_t household, int64_t person) {
    HttpResult r = v.Post(AuthPath(household), {{"person_id", person},
                                                {"signed_on", "2026-11-01"},
                                                {"signer_name", "本人"},
                                                {"form_file", "forms/" + std::to_string(person) + ".pdf"}});
    EXPECT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json().value("status", ""), "valid") << r.body;
  }

  // Every other feed as a file without rows (forced: other tests upload the same bytes), so that no feed is
  // missing; the dated ones of period 2026-10 are fresh on 2026-11-15.
  void FillOtherFeeds(ApiClient& c, const std::set<std::string>& except) {
    const std::vector<std::pair<std::string, std::string>> headers = {
        {"hukou", "id_number,name,status,death_date\n"},
        {"vehicle", "id_number,plate,vehicle_type,registered_on\n"},
        {"social_insurance", "id_number,kind,month,amount_yuan\n"},
        {"provident_fund", "id_number,month,deposit_yuan,balance_yuan\n"},
        {"real_estate", "id_number,property_type,area_m2,registered_on\n"},
        {"business", "id_number,company,role,registered_capital_yuan,status\n"},
        {"tax", "id_number,income_type,month,amount_yuan\n"},
        {"bank", "id_number,bank,balance_yuan,as_of\n"},
        {"securities", "id_number,market_value_yuan,as_of\n"},
        {"insurance", "id_number,product,cash_value_yuan,as_of\n"},
        {"civil", "id_number,record,date,detail\n"},
    };
    for (const auto& [source, csv] : headers) {
      if (except.count(source)) continue;
      json b = Import(c, source, csv, "&force=true");
      EXPECT_EQ(b.value("status", ""), "imported") << source << " " << b.dump();
    }
  }
};

TEST_P(VerifyApiTest, UploadKeepsGoodRowsListsRejectsAndRefusesTheSameContentUnlessForced) {
  Account& v = Shared("verifier", "421003");
  ASSERT_TRUE(v.ok);
  const std::string a = NewIdNumber("421003"), b = NewIdNumber("421003");
  std::string bad = NewIdNumber("421003");
  bad[17] = bad[17] == '1' ? '2' : '1';
  const std::string csv = "id_number,name,status,death_date\n" + a + ",甲,alive,\n" + bad + ",乙,alive,\n" + b +
                          ",丙,dead,2026-02-30\n";
  json batch = Import(v.client, "hukou", csv, "&on_reject=keep_good");
  EXPECT_EQ(batch["status"], "imported") << batch.dump();
  EXPECT_EQ(batch["rows_total"], 3);
  EXPECT_EQ(batch["rows_imported"], 1);
  EXPECT_EQ(batch["rows_rejected"], 2);
  EXPECT_EQ(batch["source_name"].get<std::string>().empty(), false);
  const int64_t id = batch.value("id", int64_t{0});
  HttpResult rejects = v.client.Get("/api/v1/verify/feeds/" + std::to_string(id) + "/rejects");
  ASSERT_TRUE(IsOk(rejects)) << rejects.body;
  json rj = rejects.json();
  ASSERT_EQ(rj["total"], 2) << rejects.body;
  EXPECT_EQ(rj["items"][0]["row"], 3);
  EXPECT_EQ(rj["items"][0]["column"], "id_number");
  EXPECT_EQ(rj["items"][1]["row"], 4);
  EXPECT_EQ(rj["items"][1]["column"], "death_date");
  EXPECT_TRUE(HasChinese(rj["items"][1]["reason"].get<std::string>()));
  EXPECT_EQ(rejects.body.find(bad), std::string::npos) << "a rejected ID number was sent back";

  HttpResult dup = Upload(v.client, "hukou", csv, "&on_reject=keep_good");
  EXPECT_TRUE(IsError(dup, 409, "verify.feed.duplicate"));
  EXPECT_NE(dup.body.find(std::to_string(id)), std::string::npos) << dup.body;
  json forced = Import(v.client, "hukou", csv, "&on_reject=keep_good&force=true");
  EXPECT_EQ(forced["status"], "imported");
  EXPECT_EQ(forced["forced"], true);
  EXPECT_NE(forced["id"], batch["id"]);

  // All-or-nothing (the default): the same bad rows and nothing lands.
  const std::string csv2 = "id_number,name,status,death_date\n" + NewIdNumber("421003") + ",丁,alive,\n" + bad +
                           ",戊,alive,\n";
  json refused = Import(v.client, "hukou", csv2);
  EXPECT_EQ(refused["status"], "rejected");
  EXPECT_EQ(refused["rows_imported"], 0);
  EXPECT_EQ(refused["rows_rejected"], 1);
  auto rows = QueryInt(server(), "SELECT COUNT(*) FROM verify_feed_rows WHERE batch_id = " + refused["id"].dump());
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, 0);

  EXPECT_TRUE(IsError(Upload(v.client, "weather", csv), 400, "verify.feed.source", "source"));
  EXPECT_TRUE(IsError(Upload(v.client, "hukou", csv, "", "2026-13"), 400, "verify.feed.period", "period"));
  EXPECT_TRUE(IsError(Upload(v.client, "hukou", csv, "&on_reject=some"), 400, "verify.feed.on_reject", "on_reject"));
  EXPECT_TRUE(IsError(v.client.Raw("POST", "/api/v1/verify/feeds?source=hukou&period=2026-10&filename=h.csv",
                                   "--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"h.csv\"\r\n"
                                   "Content-Type: text/csv\r\n\r\n" + csv + "\r\n--x--\r\n",
                                   "multipart/form-data; boundary=x"),
                      400, "verify.feed.content_type", "file"));
  HttpResult list = v.client.Get("/api/v1/verify/feeds?source=hukou&size=200");
  ASSERT_TRUE(IsOk(list));
  EXPECT_GE(list.json()["total"].get<int64_t>(), 3);
  HttpResult sources = v.client.Get("/api/v1/verify/sources");
  ASSERT_TRUE(IsOk(sources));
  EXPECT_EQ(sources.json()["items"].size(), 11u);
}

TEST_P(VerifyApiTest, NoAuthorisationNoQueryAndAMemberAddedLapsesThem) {
  Account& cw = Shared("caseworker", "421003");
  Account& v = Shared("verifier", "421003");
  ASSERT_TRUE(cw.ok && v.ok);
  int64_t p1 = CreatePerson(cw.client, PersonBody("赵国强", "421003", NewIdNumber("421003")));
  int64_t p2 = CreatePerson(cw.client, PersonBody("钱慧", "421003", NewIdNumber("421003", 2)));
  int64_t h = Household(cw.client, {{p1, "02"}, {p2, "10"}});
  ASSERT_GT(h, 0);
  HttpResult refused = v.client.Post("/api/v1/verify/requests", {{"household_id", h}, {"as_of", "2026-11-15"}});
  EXPECT_TRUE(IsError(refused, 409, "verify.authorisation.missing", "person_id:" + std::to_string(p1)));
  HttpResult listed = v.client.Get("/api/v1/verify/requests?household_id=" + std::to_string(h));
  ASSERT_TRUE(IsOk(listed));
  EXPECT_EQ(listed.json()["total"], 0) << "a refused request was stored";

  Authorise(v.client, h, p1);
  Authorise(v.client, h, p2);
  HttpResult state = v.client.Get(AuthPath(h));
  ASSERT_TRUE(IsOk(state)) << state.body;
  EXPECT_EQ(state.json()["all_valid"], true) << state.body;

  int64_t p3 = CreatePerson(cw.client, PersonBody("赵小东", "421003", NewIdNumber("421003")));
  HttpResult added = cw.client.Post("/api/v1/registry/households/" + std::to_string(h) + "/members",
                                    {{"person_id", p3}, {"relation", "20"}});
  ASSERT_TRUE(IsOk(added)) << added.body;
  state = v.client.Get(AuthPath(h));
  ASSERT_TRUE(IsOk(state));
  json s = state.json();
  EXPECT_EQ(s["all_valid"], false);
  ASSERT_EQ(s["members"].size(), 3u);
  for (const auto& m : s["members"]) {
    EXPECT_EQ(m["status"], m["person_id"] == p3 ? "missing" : "lapsed") << m.dump();
  }
  EXPECT_TRUE(IsError(v.client.Post("/api/v1/verify/requests", {{"household_id", h}}), 409,
                      "verify.authorisation.missing"));
  // Revoke: version checked, then the member is "revoked".
  int64_t auth_id = s["members"][0]["authorisation"]["id"];
  int64_t version = s["members"][0]["authorisation"]["version"];
  std::string revoke = "/api/v1/verify/authorisations/" + std::to_string(auth_id) + "/revoke";
  EXPECT_TRUE(IsError(v.client.Post(revoke, {{"version", version + 5}, {"reason", "本人要求撤回"}}), 409,
                      "version_conflict"));
  HttpResult revoked = v.client.Post(revoke, {{"version", version}, {"reason", "本人要求撤回"}});
  ASSERT_TRUE(IsOk(revoked)) << revoked.body;
  EXPECT_EQ(revoked.json()["status"], "revoked");
  EXPECT_TRUE(IsError(v.client.Post(revoke, {{"version", version + 1}, {"reason", "再次撤回"}}), 409,
                      "verify.authorisation.revoked"));
  // Field errors.
  EXPECT_TRUE(IsError(v.client.Post(AuthPath(h), {{"person_id", p1}, {"signed_on", "2026-02-30"}, {"signer_name", "本人"},
                                                  {"form_file", "f.pdf"}}),
                      400, "verify.authorisation.signed_on", "signed_on"));
}

TEST_P(VerifyApiTest, VerifiesAHouseholdAsWorkedOutByHandAndAuditsEachViewOfTheResult) {
  Account& cw = Shared("caseworker", "421003");
  Account& v = Shared("verifier", "421003");
  ASSERT_TRUE(cw.ok && v.ok);
  const std::string id1 = NewIdNumber("421003"), id2 = NewIdNumber("421003", 2);
  int64_t p1 = CreatePerson(cw.client, PersonBody("孙志刚", "421003", id1));
  int64_t p2 = CreatePerson(cw.client, PersonBody("周玉梅", "421003", id2));
  int64_t h = Household(cw.client, {{p1, "02"}, {p2, "10"}});
  ASSERT_GT(h, 0);
  Authorise(v.client, h, p1);
  Authorise(v.client, h, p2);
  // Income period for 2026-11-15 under the example policy (12 months): 2025-11 .. 2026-10.
  std::string si = "id_number,kind,month,amount_yuan\n";
  for (int i = 0; i < 12; ++i) {
    int y = i < 2 ? 2025 : 2026, m = i < 2 ? 11 + i : i - 1;
    char month[8];
    std::snprintf(month, sizeof month, "%04d-%02d", y, m);
    si += id1 + ",wage," + month + ",1000\n";
    si += id2 + ",pension," + month + ",500\n";
  }
  EXPECT_EQ(Import(v.client, "social_insurance", si)["status"], "imported");
  EXPECT_EQ(Import(v.client, "hukou", "id_number,name,status,death_date\n" + id1 + ",孙志刚,alive,\n" + id2 +
                                          ",周玉梅,alive,\n")["status"],
            "imported");
  EXPECT_EQ(Import(v.client, "bank", "id_number,bank,balance_yuan,as_of\n" + id1 + ",建设银行,10000,2026-10-31\n")["status"],
            "imported");
  FillOtherFeeds(v.client, {"social_insurance", "hukou", "bank"});

  HttpResult r = v.client.Post("/api/v1/verify/requests", {{"household_id", h}, {"as_of", "2026-11-15"}});
  ASSERT_EQ(r.status, 201) << r.body;
  json j = r.json();
  // 1000 × 12 + 500 × 12 = 18000 yuan = 1800000 fen; ÷ 12 = 150000 a month; ÷ 2 = 75000 < 80000 (荆州区 urban, example).
  EXPECT_EQ(j["income_month_fen"], 150000);
  EXPECT_EQ(j["income_per_capita_fen"], 75000);
  EXPECT_EQ(j["standard_fen"], 80000);
  EXPECT_EQ(j["financial_assets_fen"], 1000000);
  EXPECT_EQ(j["members_counted"], 2);
  EXPECT_EQ(j["decision"], "eligible") << j["result"]["rules"].dump();
  EXPECT_EQ(j["flags"], json::array());
  EXPECT_TRUE(HasChinese(j["decision_name"].get<std::string>()));
  EXPECT_EQ(j["result"]["policy"]["example"], true);
  EXPECT_EQ(r.body.find(id1), std::string::npos) << "a plain ID number in the result";
  for (const auto& rule : j["result"]["rules"]) EXPECT_TRUE(HasChinese(rule["reason"].get<std::string>())) << rule.dump();
  const int64_t id = j["id"];

  HttpResult got = v.client.Get("/api/v1/verify/requests/" + std::to_string(id));
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(got.json()["result"], j["result"]);
  Account& auditor = Shared("auditadmin");
  HttpResult audit = auditor.client.Get("/api/v1/audit?action=verify.result.view&object_type=verify_request&object_id=" + std::to_string(id));
  ASSERT_TRUE(IsOk(audit));
  EXPECT_EQ(audit.json()["total"], 1) << audit.body;
  audit = auditor.client.Get("/api/v1/audit?action=verify.request.create&object_type=verify_request&object_id=" + std::to_string(id));
  ASSERT_TRUE(IsOk(audit));
  EXPECT_EQ(audit.json()["total"], 1) << audit.body;

  HttpResult filtered = v.client.Get("/api/v1/verify/requests?decision=eligible&township=421003&household_id=" +
                                     std::to_string(h));
  ASSERT_TRUE(IsOk(filtered));
  EXPECT_EQ(filtered.json()["total"], 1);
  EXPECT_FALSE(filtered.json()["items"][0].contains("result"));
  EXPECT_TRUE(IsError(v.client.Get("/api/v1/verify/requests?decision=maybe"), 400, "verify.decision", "decision"));
  EXPECT_TRUE(IsError(v.client.Get("/api/v1/verify/requests?flag=rich"), 400, "verify.flag", "flag"));

  // Scope: 沙市区's verifier sees neither the household nor its result.
  Account& other = Shared("verifier", "421002");
  ASSERT_TRUE(other.ok);
  EXPECT_TRUE(IsError(other.client.Get("/api/v1/verify/requests/" + std::to_string(id)), 404, "verify.request.not_found"));
  EXPECT_TRUE(IsError(other.client.Post("/api/v1/verify/requests", {{"household_id", h}}), 404,
                      "verify.household.not_found"));
  EXPECT_TRUE(IsError(other.client.Get(AuthPath(h)), 404, "verify.household.not_found"));
  // Permissions: the caseworker reads but may not verify; the audit administrator may not read.
  EXPECT_TRUE(IsError(cw.client.Post("/api/v1/verify/requests", {{"household_id", h}}), 403, "auth.forbidden"));
  EXPECT_TRUE(IsOk(cw.client.Get("/api/v1/verify/requests/" + std::to_string(id))));
  EXPECT_TRUE(IsError(auditor.client.Get("/api/v1/verify/requests"), 403, "auth.forbidden"));
  EXPECT_TRUE(IsError(cw.client.Raw("POST", "/api/v1/verify/feeds?source=hukou&period=2026-10&filename=h.csv", "x",
                                    "text/csv"),
                      403, "auth.forbidden"));
  // CSRF on mutations.
  EXPECT_TRUE(IsError(v.client.Raw("POST", "/api/v1/verify/requests", json{{"household_id", h}}.dump(),
                                   "application/json", /*send_csrf=*/false),
                      403, "auth.csrf"));
}

TEST_P(VerifyApiTest, BatchRecheckRunsAsAJobAndSkipsUnauthorisedHouseholds) {
  Account& cw = Shared("caseworker", "421003");
  Account& v = Shared("verifier", "421003");
  ASSERT_TRUE(cw.ok && v.ok);
  const std::string id1 = NewIdNumber("421003");
  int64_t p1 = CreatePerson(cw.client, PersonBody("吴德明", "421003", id1));
  int64_t h1 = Household(cw.client, {{p1, "02"}});
  int64_t p2 = CreatePerson(cw.client, PersonBody("郑未签", "421003", NewIdNumber("421003")));
  int64_t h2 = Household(cw.client, {{p2, "02"}});
  Authorise(v.client, h1, p1);
  // A car: ineligible, flag vehicle.
  EXPECT_EQ(Import(v.client, "vehicle", "id_number,plate,vehicle_type,registered_on\n" + id1 + ",鄂D88888,car,2021-05-01\n")["status"],
            "imported");

  HttpResult started = v.client.Post("/api/v1/verify/batches", {{"household_ids", {h1, h2}}, {"as_of", "2026-11-15"}});
  ASSERT_EQ(started.status, 202) << started.body;
  json job = WaitJob(v.client, started.json()["job_id"]);
  EXPECT_EQ(job["status"], "succeeded") << job.dump();
  const int64_t batch = started.json()["batch"]["id"];
  HttpResult got = v.client.Get("/api/v1/verify/batches/" + std::to_string(batch));
  ASSERT_TRUE(IsOk(got)) << got.body;
  json b = got.json();
  EXPECT_EQ(b["status"], "succeeded");
  EXPECT_EQ(b["households_total"], 2);
  EXPECT_EQ(b["verified"], 1);
  EXPECT_EQ(b["skipped_unauthorised"], 1);
  EXPECT_EQ(b["by_decision"]["ineligible"], 1) << b.dump();
  EXPECT_EQ(b["by_flag"]["vehicle"], 1) << b.dump();
  HttpResult suspicious = v.client.Get("/api/v1/verify/batches/" + std::to_string(batch) + "/suspicious");
  ASSERT_TRUE(IsOk(suspicious));
  bool found = false;
  const json list = suspicious.json();
  for (const auto& g : list["groups"]) {
    if (g["flag"] != "vehicle") continue;
    for (const auto& t : g["townships"]) {
      for (const auto& item : t["items"]) found = found || item["household_id"] == h1;
    }
  }
  EXPECT_TRUE(found) << suspicious.body;
  HttpResult results = v.client.Get("/api/v1/verify/requests?batch_id=" + std::to_string(batch) + "&flag=vehicle");
  ASSERT_TRUE(IsOk(results));
  EXPECT_EQ(results.json()["total"], 1);
  // Another county's verifier cannot see the batch, nor start one over this county's households.
  Account& other = Shared("verifier", "421002");
  EXPECT_TRUE(IsError(other.client.Get("/api/v1/verify/batches/" + std::to_string(batch)), 404, "verify.batch.not_found"));
  EXPECT_TRUE(IsError(other.client.Post("/api/v1/verify/batches", {{"household_ids", {h1}}}), 404,
                      "verify.household.not_found"));
}

DOUDI_API_SUITE(VerifyApiTest);

}  // namespace
}  // namespace doudi::testing
