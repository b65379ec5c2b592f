// The rescue lists' Excel downloads and the report screens' helpers over HTTP (docs/rescue.md "Screens and
// exports"), on SQLite and PostgreSQL: the cases and missing-person reports exported with their list filters, in
// scope only, the reporter's phone masked in the file, each download audited with its row count; the STR loci of
// the embedded allele table (checked against data/str/str_allele_freq_chinese.csv by hand); the reporter's phone
// revealed only with a purpose, audited, and refused to roles without pii.reveal.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "suite.h"

namespace doudi::testing {
namespace {

using nlohmann::json;

// The text of every part of an .xlsx (unzip -p): libxlsxwriter writes the cells as inline strings <t>…</t>.
std::string XlsxText(const std::string& bytes) {
  char name[] = "/tmp/doudi-rescue-export-XXXXXX";
  int fd = mkstemp(name);
  close(fd);
  std::ofstream(name, std::ios::binary) << bytes;
  std::string out;
  FILE* f = popen((std::string("unzip -p '") + name + "'").c_str(), "r");
  char buf[4096];
  size_t n;
  while (f && (n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  if (f) pclose(f);
  std::filesystem::remove(name);
  return out;
}

std::string Header(const HttpResult& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

bool Has(const std::string& text, const std::string& cell) { return text.find("<t>" + cell + "</t>") != std::string::npos; }

class RescueExportTest : public ApiTest<RescueExportTest> {
 protected:
  // The audit rows of `action` (and, when given, about object `id`), newest first.
  json Audit(const std::string& action, const std::string& object_id = "") {
    Account& auditor = Shared("auditadmin");
    EXPECT_TRUE(auditor.ok);
    std::string q = "/api/v1/audit?size=100&action=" + action;
    if (!object_id.empty()) q += "&object_id=" + object_id;
    HttpResult a = auditor.client.Get(q);
    EXPECT_TRUE(IsOk(a)) << a.body;
    return a.json();
  }

  json Report(const std::string& name, const std::string& phone) {
    return {{"reporter_name", "张桂兰"}, {"reporter_phone", phone}, {"reporter_relation", "母亲"},
            {"name", name}, {"sex", 2}, {"age_at_lost", 15}, {"lost_date", "2025-03-02"},
            {"lost_division", "421002"}, {"lost_place", "沙市区江津路"}, {"height_cm", 158},
            {"samples", {{{"relation", "mother"}, {"name", "张桂兰"}, {"profile", {{"D3S1358", "15/16"}, {"TH01", "9/9.3"}}}},
                         {{"relation", "father"}, {"name", "刘国平"}, {"profile", {{"D3S1358", "16/17"}, {"vWA", "14/17"}}}}}}};
  }
};

TEST_P(RescueExportTest, StrLociListTheEmbeddedTable) {
  Account& staff = Shared("rescue_staff", "421002");
  ASSERT_TRUE(staff.ok);
  HttpResult r = staff.client.Get("/api/v1/tracing/str-loci");
  ASSERT_EQ(r.status, 200) << r.body;
  const json body = r.json();
  // 59 loci in the table's order, D3S1358 among them.
  ASSERT_EQ(body["items"].size(), 59u);
  EXPECT_EQ(body.value("total", 0), 59);
  const json* th01 = nullptr;
  const json* d3 = nullptr;
  for (const auto& l : body["items"]) {
    if (l.value("name", "") == "TH01") th01 = &l;
    if (l.value("name", "") == "D3S1358") d3 = &l;
  }
  ASSERT_TRUE(th01 && d3) << r.body;
  // The table's rows for these loci (data/str/str_allele_freq_chinese.csv), in numeric order.
  EXPECT_EQ((*d3)["alleles"], json({"12", "13", "14", "15", "16", "17", "18", "19", "20", "21"}));
  EXPECT_EQ((*th01)["alleles"],
            json({"4", "5", "6", "6.2", "6.3", "7", "8", "8.3", "9", "9.3", "10", "10.3", "11", "12"}));
  // Other roles: permission (caseworkers of social assistance have no tracing.read).
  Account& cw = Shared("caseworker", "421002");
  ASSERT_TRUE(cw.ok);
  EXPECT_EQ(cw.client.Get("/api/v1/tracing/str-loci").status, 403);
}

TEST_P(RescueExportTest, ReportsExportFollowsTheFiltersAndScopeMasksPhonesAndIsAudited) {
  Account& staff = Shared("rescue_staff", "421002");
  Account& other = Shared("rescue_staff", "421003");
  ASSERT_TRUE(staff.ok && other.ok);
  const std::string tag = UniqueName("导");
  const std::string open_name = tag + "甲", closed_name = tag + "乙";
  const std::string phone = NewPhone();
  HttpResult a = staff.client.Post("/api/v1/rescue/missing-reports", Report(open_name, phone));
  ASSERT_EQ(a.status, 201) << a.body;
  HttpResult b = staff.client.Post("/api/v1/rescue/missing-reports", Report(closed_name, NewPhone()));
  ASSERT_EQ(b.status, 201) << b.body;
  ASSERT_TRUE(IsOk(staff.client.Post("/api/v1/rescue/missing-reports/" + std::to_string(b.json().value("id", 0)) + "/status",
                                     {{"version", 1}, {"status", "closed"}, {"reason", "家属撤回登记"}})));
  const size_t audits_before = Audit("rescue.report.export")["items"].size();

  HttpResult all = staff.client.Get("/api/v1/rescue/missing-reports/export.xlsx?name=" + Url(tag));
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(Header(all, "content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_NE(Header(all, "content-disposition").find("attachment; filename=\"missing-reports-"), std::string::npos);
  EXPECT_EQ(Header(all, "cache-control"), "no-store");
  ASSERT_EQ(all.body.substr(0, 2), "PK");
  std::string text = XlsxText(all.body);
  EXPECT_TRUE(Has(text, open_name)) << text.substr(0, 2000);
  EXPECT_TRUE(Has(text, closed_name));
  EXPECT_TRUE(Has(text, "寻找中"));
  EXPECT_TRUE(Has(text, "已关闭"));
  EXPECT_TRUE(Has(text, "母亲、父亲")) << "the samples' relations";
  // 11 digits: the first 3, four stars, the last 4 (as the list shows it to a user without pii.reveal).
  EXPECT_EQ(text.find(phone), std::string::npos) << "a plain phone in the file";
  EXPECT_TRUE(Has(text, phone.substr(0, 3) + "****" + phone.substr(7)));

  HttpResult open = staff.client.Get("/api/v1/rescue/missing-reports/export.xlsx?status=open&name=" + Url(tag));
  ASSERT_EQ(open.status, 200);
  text = XlsxText(open.body);
  EXPECT_TRUE(Has(text, open_name));
  EXPECT_FALSE(Has(text, closed_name));

  // Another station's export holds neither; a bad status is the list's field error; a role without tracing.read 403.
  HttpResult theirs = other.client.Get("/api/v1/rescue/missing-reports/export.xlsx?name=" + Url(tag));
  ASSERT_EQ(theirs.status, 200);
  EXPECT_FALSE(Has(XlsxText(theirs.body), open_name));
  EXPECT_TRUE(IsError(staff.client.Get("/api/v1/rescue/missing-reports/export.xlsx?status=lost"), 400,
                      "rescue.report.status", "status"));
  Account& supervisor = Shared("institution_supervisor", "421002");
  ASSERT_TRUE(supervisor.ok);
  EXPECT_EQ(supervisor.client.Get("/api/v1/rescue/missing-reports/export.xlsx").status, 403);

  // Three downloads audited (the refused ones are not exports), the rows counted: 2, 1 and 0.
  const json audit = Audit("rescue.report.export");
  ASSERT_EQ(audit["items"].size(), audits_before + 3) << audit.dump();
  std::vector<int64_t> rows;
  for (size_t i = 0; i < 3; ++i) rows.push_back(json::parse(audit["items"][i].value("detail", "{}")).value("rows", int64_t{-1}));
  std::sort(rows.begin(), rows.end());
  EXPECT_EQ(rows, (std::vector<int64_t>{0, 1, 2})) << audit.dump();
}

TEST_P(RescueExportTest, NoticesExportIsSavedUnderItsChineseNameAndNotCached) {
  Account& staff = Shared("rescue_staff", "421002");
  ASSERT_TRUE(staff.ok);
  HttpResult csv = staff.client.Get("/api/v1/rescue/notices/export?format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  const std::string disposition = Header(csv, "content-disposition");
  EXPECT_EQ(disposition.rfind("attachment; filename=\"notices-", 0), 0u) << disposition;
  // The Chinese name (the client library decodes the %XX of header values; http/download_test checks the encoding).
  EXPECT_NE(disposition.find("filename*=UTF-8''寻亲公告-"), std::string::npos) << disposition;
  EXPECT_NE(disposition.find(".csv"), std::string::npos);
  EXPECT_EQ(Header(csv, "cache-control"), "no-store");
  HttpResult js = staff.client.Get("/api/v1/rescue/notices/export?format=json");
  ASSERT_EQ(js.status, 200) << js.body;
  EXPECT_NE(Header(js, "content-disposition").find(".json"), std::string::npos);
  EXPECT_NE(Header(js, "content-type").find("application/json"), std::string::npos);
}

TEST_P(RescueExportTest, CasesExportFollowsTheFiltersAndScopeAndIsAudited) {
  Account& staff = Shared("rescue_staff", "421002");
  Account& other = Shared("rescue_staff", "421003");
  ASSERT_TRUE(staff.ok && other.ok);
  const std::string name = UniqueName("案");
  HttpResult k = staff.client.Post("/api/v1/rescue/cases",
                                   {{"how_came", "police"}, {"police_unit", "沙市公安分局"}, {"police_form_ref", "JS-77"},
                                    {"name", name}, {"sex", 1}, {"estimated_age", 52}, {"found_place", "荆州火车站"},
                                    {"found_date", "2025-02-01"}, {"health_state", "高血压，需每日服药"}});
  ASSERT_EQ(k.status, 201) << k.body;
  const size_t audits_before = Audit("rescue.case.export")["items"].size();

  HttpResult x = staff.client.Get("/api/v1/rescue/cases/export.xlsx?status=in_station&name=" + Url(name));
  ASSERT_EQ(x.status, 200) << x.body;
  EXPECT_NE(Header(x, "content-disposition").find("filename=\"rescue-cases-"), std::string::npos);
  const std::string text = XlsxText(x.body);
  EXPECT_TRUE(Has(text, name)) << text.substr(0, 2000);
  EXPECT_TRUE(Has(text, "公安护送"));
  EXPECT_TRUE(Has(text, "在站"));
  EXPECT_TRUE(Has(text, "荆州火车站"));
  EXPECT_EQ(text.find("高血压"), std::string::npos) << "health details are never exported";

  HttpResult departed = staff.client.Get("/api/v1/rescue/cases/export.xlsx?status=departed&name=" + Url(name));
  ASSERT_EQ(departed.status, 200);
  EXPECT_FALSE(Has(XlsxText(departed.body), name));
  HttpResult theirs = other.client.Get("/api/v1/rescue/cases/export.xlsx?name=" + Url(name));
  ASSERT_EQ(theirs.status, 200);
  EXPECT_FALSE(Has(XlsxText(theirs.body), name));
  EXPECT_TRUE(IsError(staff.client.Get("/api/v1/rescue/cases/export.xlsx?status=gone"), 400, "rescue.status.invalid",
                      "status"));
  Account& cw = Shared("caseworker", "421002");
  ASSERT_TRUE(cw.ok);
  EXPECT_EQ(cw.client.Get("/api/v1/rescue/cases/export.xlsx").status, 403);

  const json audit = Audit("rescue.case.export");
  ASSERT_EQ(audit["items"].size(), audits_before + 3) << audit.dump();
  const json latest = json::parse(audit["items"][0].value("detail", "{}"));
  EXPECT_EQ(latest["filters"].value("name", ""), name);
  EXPECT_EQ(latest.value("format", ""), "xlsx");
}

TEST_P(RescueExportTest, ReporterPhoneIsRevealedOnlyWithAPurposeAndAudited) {
  Account& staff = Shared("rescue_staff", "421002");
  Account& other = Shared("rescue_staff", "421003");
  Account& manager = Shared("manager", "4210");
  ASSERT_TRUE(staff.ok && other.ok && manager.ok);
  const std::string phone = NewPhone();
  HttpResult r = staff.client.Post("/api/v1/rescue/missing-reports", Report(UniqueName("显"), phone));
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = std::to_string(r.json().value("id", 0));
  const std::string url = "/api/v1/rescue/missing-reports/" + id + "/reveal";

  EXPECT_TRUE(IsError(staff.client.Post(url, {{"purpose", "核实"}}), 400, "rescue.report.reveal_purpose", "purpose"));
  EXPECT_TRUE(IsError(staff.client.Post(url, json::object()), 400, "rescue.report.reveal_purpose", "purpose"));
  EXPECT_EQ(other.client.Post(url, {{"purpose", "联系家属核实走失情况"}}).status, 404);
  EXPECT_TRUE(IsError(manager.client.Post(url, {{"purpose", "联系家属核实走失情况"}}), 403,
                      "rescue.report.reveal_forbidden"));
  // The manager sees the report, with the phone masked.
  HttpResult seen = manager.client.Get("/api/v1/rescue/missing-reports/" + id);
  ASSERT_EQ(seen.status, 200) << seen.body;
  EXPECT_EQ(seen.json().value("reporter_phone", ""), phone.substr(0, 3) + "****" + phone.substr(7));

  HttpResult ok = staff.client.Post(url, {{"purpose", "联系家属核实走失情况"}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json().value("reporter_phone", ""), phone);

  const json audit = Audit("pii.reveal", id);
  int success = 0, denied = 0;
  for (const auto& e : audit["items"]) {
    if (e.value("object_type", "") != "rescue_missing_report") continue;
    if (e.value("outcome", "") == "success") {
      ++success;
      EXPECT_EQ(json::parse(e.value("detail", "{}")).value("purpose", ""), "联系家属核实走失情况");
    }
    if (e.value("outcome", "") == "denied") ++denied;
  }
  EXPECT_EQ(success, 1) << audit.dump();
  EXPECT_EQ(denied, 1) << audit.dump();
}

TEST_P(RescueExportTest, ReportCandidatesShowOwnCasesAndOnlyTheStationOfOthers) {
  Account& staff = Shared("rescue_staff", "421002");
  Account& other = Shared("rescue_staff", "421003");
  ASSERT_TRUE(staff.ok && other.ok);
  const std::string marks = "左耳缺损，颈后有烫伤疤痕，" + UniqueName("候");
  json intake = {{"how_came", "patrol"}, {"patrol_ref", "XC-9"}, {"sex", 1}, {"estimated_age", 45}, {"height_cm", 170},
                 {"features", marks}, {"dialect", "西南官话"}, {"found_place", "沙市区北京路"}, {"found_date", "2025-01-20"}};
  HttpResult own = staff.client.Post("/api/v1/rescue/cases", intake);
  ASSERT_EQ(own.status, 201) << own.body;
  HttpResult theirs = other.client.Post("/api/v1/rescue/cases", intake);
  ASSERT_EQ(theirs.status, 201) << theirs.body;
  const int64_t own_id = own.json().value("id", int64_t{0});

  json report = {{"reporter_name", "王秀英"}, {"reporter_phone", NewPhone()}, {"reporter_relation", "妻子"},
                 {"name", UniqueName("李")}, {"sex", 1}, {"age_at_lost", 44}, {"lost_date", "2024-12-10"},
                 {"lost_division", "421002"}, {"height_cm", 171}, {"features", marks}, {"dialect", "西南官话"}};
  HttpResult r = staff.client.Post("/api/v1/rescue/missing-reports", report);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = std::to_string(r.json().value("id", 0));

  HttpResult list = staff.client.Get("/api/v1/rescue/missing-reports/" + id + "/candidates");
  ASSERT_EQ(list.status, 200) << list.body;
  const json items = list.json()["items"];
  const json* mine = nullptr;
  const json* far = nullptr;
  for (const auto& c : items) {
    if (c.value("station_division", "") == "421002" && c.contains("case") && c["case"].value("id", int64_t{0}) == own_id) mine = &c;
    if (c.value("station_division", "") == "421003") far = &c;
  }
  ASSERT_TRUE(mine && far) << list.body;
  EXPECT_TRUE(mine->value("in_scope", false));
  EXPECT_EQ(mine->value("status", ""), "open");
  EXPECT_EQ(mine->value("source", ""), "attribute");
  EXPECT_FALSE(far->value("in_scope", true));
  EXPECT_FALSE(far->contains("case")) << "another station's case is shown by its station only";
  EXPECT_EQ(far->dump().find("case"), std::string::npos) << far->dump();
  EXPECT_NE(far->value("station_division_name", "").find("荆州区"), std::string::npos) << far->dump();

  // The other station cannot read the report's candidates (the report is not theirs).
  EXPECT_TRUE(IsError(other.client.Get("/api/v1/rescue/missing-reports/" + id + "/candidates"), 404,
                      "rescue.report.not_found"));
  // A decision on the case shows on the report.
  HttpResult ok = staff.client.Post("/api/v1/rescue/candidates/" + std::to_string(mine->value("id", int64_t{0})) + "/reject",
                                    {{"reason", "身高与口音相符但家属辨认照片不符"}});
  ASSERT_TRUE(IsOk(ok)) << ok.body;
  HttpResult after = staff.client.Get("/api/v1/rescue/missing-reports/" + id + "/candidates");
  const json after_items = after.json()["items"];
  bool rejected = false;
  for (const auto& c : after_items) {
    if (c.value("id", int64_t{0}) == mine->value("id", int64_t{0})) rejected = c.value("status", "") == "rejected";
  }
  EXPECT_TRUE(rejected) << after.body;
}

DOUDI_API_SUITE(RescueExportTest);

}  // namespace
}  // namespace doudi::testing
