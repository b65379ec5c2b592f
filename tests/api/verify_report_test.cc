// The verification downloads over HTTP (docs/api/openapi.yaml, "verify: downloads"), on SQLite and PostgreSQL:
// the household report PDF read back with poppler's pdftotext (figures worked out by hand, ID numbers masked),
// the results export as CSV with the CLI's OUT.csv columns first and as Excel, the suspicious list as Excel,
// a feed's rejects as CSV; each download audited, scope (404), permissions (403) and bad parameters (400).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "common/csv.h"
#include "suite.h"

namespace doudi::testing {
namespace {

using nlohmann::json;

// Writes bytes to a temporary file and returns what `command '<file>'` prints (pdftotext, unzip).
std::string ReadWith(const std::string& bytes, const std::string& command) {
  char name[] = "/tmp/doudi-verify-report-XXXXXX";
  int fd = mkstemp(name);
  close(fd);
  std::ofstream(name, std::ios::binary) << bytes;
  std::string out;
  FILE* f = popen((command + " '" + name + "' " + (command.starts_with("unzip") ? "" : "-")).c_str(), "r");
  char buf[4096];
  size_t n;
  while (f && (n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  if (f) pclose(f);
  std::filesystem::remove(name);
  return out;
}

std::string Squeeze(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\n' && c != '\f') out += c;
  }
  return out;
}

std::string Header(const HttpResult& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

class VerifyReportApiTest : public ApiTest<VerifyReportApiTest> {
 protected:
  static json WaitJob(ApiClient& c, int64_t job_id) {
    json job;
    for (int i = 0; i < 300; ++i) {
      job = c.Get("/api/v1/jobs/" + std::to_string(job_id)).json();
      std::string s = job.value("status", "");
      if (s == "succeeded" || s == "failed" || s == "cancelled") return job;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "job " << job_id << " did not finish: " << job.dump();
    return job;
  }

  // Uploads a feed (forced, so that tests may repeat content) and waits for its import; returns the batch.
  static json Import(ApiClient& c, const std::string& source, const std::string& csv, const std::string& extra = "") {
    HttpResult r = c.Raw("POST", "/api/v1/verify/feeds?source=" + source + "&period=2026-10&force=true&filename=" +
                                     source + ".csv" + extra,
                         csv, "text/csv");
    EXPECT_EQ(r.status, 202) << r.body;
    if (r.status != 202) return json::object();
    WaitJob(c, r.json().value("job_id", int64_t{0}));
    return c.Get("/api/v1/verify/feeds/" + std::to_string(r.json()["batch"].value("id", int64_t{0}))).json();
  }

  static int64_t Household(ApiClient& cw, const std::vector<std::pair<int64_t, std::string>>& members) {
    json m = json::array();
    for (const auto& [id, rel] : members) m.push_back({{"person_id", id}, {"relation", rel}});
    HttpResult r = cw.Post("/api/v1/registry/households", {{"head_person_id", members[0].first},
                                                           {"urban_rural", "urban"},
                                                           {"division_code", "421003"},
                                                           {"address", "荆州区某路 9 号"},
                                                           {"members", m}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", int64_t{0});
  }

  static void Authorise(ApiClient& v, int64_t household, int64_t person) {
    HttpResult r = v.Post("/api/v1/verify/households/" + std::to_string(household) + "/authorisations",
                          {{"person_id", person}, {"signed_on", "2026-11-01"}, {"signer_name", "本人"},
                           {"form_file", "forms/" + std::to_string(person) + ".pdf"}});
    EXPECT_EQ(r.status, 201) << r.body;
  }

  static int64_t AuditCount(Account& auditor, const std::string& object_type, int64_t id) {
    HttpResult a = auditor.client.Get("/api/v1/audit?action=verify.report.download&object_type=" + object_type +
                                      "&object_id=" + std::to_string(id));
    EXPECT_TRUE(IsOk(a)) << a.body;
    return a.json().value("total", int64_t{-1});
  }
};

TEST_P(VerifyReportApiTest, HouseholdReportPdfShowsTheStoredResultMaskedAndIsAudited) {
  Account& cw = Shared("caseworker", "421003");
  Account& v = Shared("verifier", "421003");
  ASSERT_TRUE(cw.ok && v.ok);
  const std::string id1 = NewIdNumber("421003"), id2 = NewIdNumber("421003", 2);
  int64_t p1 = CreatePerson(cw.client, PersonBody("钱报告", "421003", id1));
  int64_t p2 = CreatePerson(cw.client, PersonBody("孔配偶", "421003", id2));
  int64_t h = Household(cw.client, {{p1, "02"}, {p2, "10"}});
  ASSERT_GT(h, 0);
  Authorise(v.client, h, p1);
  Authorise(v.client, h, p2);
  // 2025-11 .. 2026-10: wage 1,000.00 a month for one member, pension 500.00 for the other.
  std::string si = "id_number,kind,month,amount_yuan\n";
  for (int i = 0; i < 12; ++i) {
    char month[8];
    std::snprintf(month, sizeof month, "%04d-%02d", i < 2 ? 2025 : 2026, i < 2 ? 11 + i : i - 1);
    si += id1 + ",wage," + month + ",1000\n" + id2 + ",pension," + month + ",500\n";
  }
  EXPECT_EQ(Import(v.client, "social_insurance", si)["status"], "imported");
  EXPECT_EQ(Import(v.client, "hukou", "id_number,name,status,death_date\n" + id1 + ",钱报告,alive,\n" + id2 +
                                          ",孔配偶,alive,\n")["status"],
            "imported");
  HttpResult created = v.client.Post("/api/v1/verify/requests", {{"household_id", h}, {"as_of", "2026-11-15"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const int64_t id = created.json()["id"];
  const std::string path = "/api/v1/verify/requests/" + std::to_string(id) + "/report.pdf";

  HttpResult pdf = v.client.Get(path);
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(Header(pdf, "content-type"), "application/pdf");
  EXPECT_NE(Header(pdf, "content-disposition").find("attachment; filename=\"verify-report-" + std::to_string(id) + ".pdf\""),
            std::string::npos);
  EXPECT_NE(Header(pdf, "content-disposition").find("filename*=UTF-8''"), std::string::npos);
  EXPECT_EQ(Header(pdf, "cache-control"), "no-store");
  ASSERT_EQ(pdf.body.substr(0, 5), "%PDF-");
  EXPECT_LT(pdf.body.size(), 400u * 1024);
  const std::string text = Squeeze(ReadWith(pdf.body, "pdftotext -enc UTF-8"));
  // (1000 + 500) × 12 = 18,000.00 a year; ÷ 12 = 1,500.00 a month; ÷ 2 members = 750.00 per capita.
  for (const std::string& s : std::vector<std::string>{"居民家庭经济状况核对报告", "钱报告", "孔配偶", "18,000.00", "1,500.00", "750.00",
                              "工资性收入", "养老金", "2025-11至2026-10", "核对结论：", "核对人签字：",
                              std::string("核对编号") + std::to_string(id)}) {
    EXPECT_NE(text.find(s), std::string::npos) << s << "\n" << text;
  }
  EXPECT_EQ(text.find(id1), std::string::npos) << "a plain ID number in the report";
  EXPECT_NE(text.find(MaskedId(id1)), std::string::npos) << MaskedId(id1) << "\n" << text;

  Account& auditor = Shared("auditadmin");
  EXPECT_EQ(AuditCount(auditor, "verify_request", id), 1);
  HttpResult view = auditor.client.Get("/api/v1/audit?action=verify.result.view&object_type=verify_request&object_id=" +
                                       std::to_string(id));
  EXPECT_EQ(view.json()["total"], 1) << "the PDF is a view of the result too";

  // Scope, permission, a path id that names nothing.
  Account& other = Shared("verifier", "421002");
  ASSERT_TRUE(other.ok);
  EXPECT_TRUE(IsError(other.client.Get(path), 404, "verify.request.not_found"));
  EXPECT_TRUE(IsError(auditor.client.Get(path), 403, "auth.forbidden"));
  EXPECT_TRUE(IsError(v.client.Get("/api/v1/verify/requests/abc/report.pdf"), 404, kAnyCode));
  EXPECT_TRUE(IsError(v.client.Get("/api/v1/verify/requests/999999/report.pdf"), 404, "verify.request.not_found"));
  EXPECT_EQ(AuditCount(auditor, "verify_request", id), 1) << "refused downloads are not recorded as downloads";
}

TEST_P(VerifyReportApiTest, BatchResultsExportAsCsvAndExcelAndTheSuspiciousList) {
  Account& cw = Shared("caseworker", "421003");
  Account& v = Shared("verifier", "421003");
  ASSERT_TRUE(cw.ok && v.ok);
  const std::string id1 = NewIdNumber("421003");
  int64_t p1 = CreatePerson(cw.client, PersonBody("车有为", "421003", id1));
  int64_t h1 = Household(cw.client, {{p1, "02"}});
  ASSERT_GT(h1, 0);
  Authorise(v.client, h1, p1);
  EXPECT_EQ(Import(v.client, "vehicle", "id_number,plate,vehicle_type,registered_on\n" + id1 +
                                            ",鄂D66666,car,2021-05-01\n")["status"],
            "imported");
  HttpResult started = v.client.Post("/api/v1/verify/batches", {{"household_ids", {h1}}, {"as_of", "2026-11-15"}});
  ASSERT_EQ(started.status, 202) << started.body;
  EXPECT_EQ(WaitJob(v.client, started.json()["job_id"])["status"], "succeeded");
  const int64_t batch = started.json()["batch"]["id"];
  const std::string b = std::to_string(batch);

  HttpResult csv = v.client.Get("/api/v1/verify/requests/export?format=csv&batch_id=" + b);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(Header(csv, "content-type").rfind("text/csv", 0), 0u);
  auto table = ParseCsv(csv.body);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  const std::vector<std::string> out_csv = {"household_id", "decision", "members_counted", "income_month_fen",
                                            "income_per_capita_fen", "financial_assets_fen", "standard_fen",
                                            "flags", "policy_version"};
  ASSERT_GE(table->header.size(), out_csv.size());
  for (size_t i = 0; i < out_csv.size(); ++i) EXPECT_EQ(table->header[i], out_csv[i]);
  ASSERT_EQ(table->rows.size(), 1u) << csv.body;
  EXPECT_EQ(table->rows[0][0], std::to_string(h1));
  EXPECT_EQ(table->rows[0][1], "ineligible");
  EXPECT_NE(table->rows[0][7].find("vehicle"), std::string::npos);
  EXPECT_EQ(table->rows[0][table->Column("head_name")], "车有为");
  EXPECT_EQ(table->rows[0][table->Column("township")], "421003");
  // Filters narrow the export like the list.
  HttpResult none = v.client.Get("/api/v1/verify/requests/export?format=csv&decision=eligible&batch_id=" + b);
  ASSERT_EQ(none.status, 200);
  EXPECT_EQ(ParseCsv(none.body)->rows.size(), 0u);

  HttpResult xlsx = v.client.Get("/api/v1/verify/requests/export?batch_id=" + b);
  ASSERT_EQ(xlsx.status, 200) << xlsx.body;
  EXPECT_EQ(Header(xlsx, "content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
  std::string sheet = ReadWith(xlsx.body, "unzip -p");  // every part; the sheet's cells are inline strings
  EXPECT_NE(sheet.find("<t>车有为</t>"), std::string::npos);
  EXPECT_NE(sheet.find("<t>不符合</t>"), std::string::npos);

  HttpResult sus = v.client.Get("/api/v1/verify/batches/" + b + "/suspicious.xlsx");
  ASSERT_EQ(sus.status, 200) << sus.body;
  std::string parts = ReadWith(sus.body, "unzip -p");
  EXPECT_NE(parts.find("有机动车"), std::string::npos);
  EXPECT_NE(parts.find("<t>车有为</t>"), std::string::npos);

  Account& auditor = Shared("auditadmin");
  EXPECT_EQ(AuditCount(auditor, "verify_batch", batch), 4) << "csv, the empty csv, xlsx and the suspicious list";

  EXPECT_TRUE(IsError(v.client.Get("/api/v1/verify/requests/export?format=pdf"), 400, "verify.export.format", "format"));
  EXPECT_TRUE(IsError(v.client.Get("/api/v1/verify/requests/export?batch_id=x"), 400, "verify.batch_id", "batch_id"));
  EXPECT_TRUE(IsError(v.client.Get("/api/v1/verify/requests/export?decision=maybe"), 400, "verify.decision"));
  Account& other = Shared("verifier", "421002");
  EXPECT_TRUE(IsError(other.client.Get("/api/v1/verify/requests/export?batch_id=" + b), 404, "verify.batch.not_found"));
  EXPECT_TRUE(IsError(other.client.Get("/api/v1/verify/batches/" + b + "/suspicious.xlsx"), 404,
                      "verify.batch.not_found"));
  // Without a batch, another county's verifier exports only its own county's results: not this household.
  HttpResult theirs = other.client.Get("/api/v1/verify/requests/export?format=csv");
  ASSERT_EQ(theirs.status, 200);
  EXPECT_EQ(theirs.body.find("车有为"), std::string::npos);
}

TEST_P(VerifyReportApiTest, FeedRejectsDownloadAsCsv) {
  Account& v = Shared("verifier", "421003");
  ASSERT_TRUE(v.ok);
  std::string bad = NewIdNumber("421003");
  bad[17] = bad[17] == '1' ? '2' : '1';
  json batch = Import(v.client, "hukou",
                      "id_number,name,status,death_date\n" + NewIdNumber("421003") + ",甲,alive,\n" + bad + ",乙,alive,\n",
                      "&on_reject=keep_good");
  ASSERT_EQ(batch["rows_rejected"], 1) << batch.dump();
  const int64_t id = batch["id"];
  HttpResult r = v.client.Get("/api/v1/verify/feeds/" + std::to_string(id) + "/rejects.csv");
  ASSERT_EQ(r.status, 200) << r.body;
  auto t = ParseCsv(r.body);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->header, (std::vector<std::string>{"row", "column", "code", "reason"}));
  ASSERT_EQ(t->rows.size(), 1u);
  EXPECT_EQ(t->rows[0][0], "3");  // the header is line 1, the bad row line 3
  EXPECT_EQ(t->rows[0][1], "id_number");
  EXPECT_TRUE(HasChinese(t->rows[0][3]));
  EXPECT_EQ(r.body.find(bad), std::string::npos) << "no cell values";
  EXPECT_EQ(AuditCount(Shared("auditadmin"), "verify_feed", id), 1);
  EXPECT_TRUE(IsError(v.client.Get("/api/v1/verify/feeds/999999/rejects.csv"), 404, "verify.feed.not_found"));
}

DOUDI_API_SUITE(VerifyReportApiTest);

}  // namespace
}  // namespace doudi::testing
