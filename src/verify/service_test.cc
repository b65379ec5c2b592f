// VerifyService over SQLite and PostgreSQL: feed batches (keep-good vs all-or-nothing, rejects, duplicate content
// refused unless forced, rows stored keyed and encrypted), authorisations (required before any query, guardian
// for minors, lapsing on a membership change), one household verified against figures worked out by hand, and a
// batch recheck as a job with its suspicious list.
#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>

#include "platform/jobs.h"
#include "registry/test_support.h"
#include "verify/demo.h"
#include "verify/service.h"

namespace doudi::verify {
namespace {

using registry::testing::MakeId;
using registry::testing::RegistryTest;

// Standard 600 yuan, 6 months of income, assets up to 24 months of the standard per capita; the rest as the
// engine's defaults (cars fail, one home, no business, feeds older than 62 days make a review).
constexpr char kTestPolicy[] = R"(
version = "test-policy-1"
[[entry]]
county = "4210"
area = "urban"
effective_from = "2024-01-01"
standard_yuan = "600"
income_months = 6
near_band = 1.5
asset_limit_months = 24
)";

class VerifyServiceTest : public RegistryTest {
 protected:
  void SetUp() override {
    RegistryTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    jobs_ = std::make_unique<platform::JobsService>(*db_, *audit_);
    auto policy = Policy::Parse(kTestPolicy);
    ASSERT_TRUE(policy.ok()) << policy.status().ToString();
    verify_ = std::make_unique<VerifyService>(*db_, *audit_, *crypto_, *svc_, *jobs_, std::move(*policy),
                                              [] { return registry::testing::FixedNow(); });
    verifier_.permissions.insert({"verify.read", "verify.write", "job.read"});
  }
  void TearDown() override {
    jobs_.reset();
    verify_.reset();
    RegistryTest::TearDown();
  }

  FeedUpload Upload(const std::string& source, const std::string& csv, OnReject on_reject = OnReject::kKeepGood,
                    bool force = false) {
    FeedUpload u;
    u.source = source;
    u.period = "2025-05";
    u.filename = source + ".csv";
    u.on_reject = on_reject;
    u.force = force;
    u.bytes = csv;
    return u;
  }

  FeedBatch MustImport(const std::string& source, const std::string& csv) {
    auto b = verify_->ImportFeed(verifier_, Upload(source, csv));
    EXPECT_TRUE(b.ok()) << b.status().ToString();
    if (!b.ok()) return {};
    EXPECT_EQ(b->status, "imported") << source << " " << b->error;
    EXPECT_EQ(b->rows_rejected, 0) << source;
    return *b;
  }

  int64_t Person(const std::string& name, const std::string& id) {
    auto p = svc_->CreatePerson(city_, Sample(name, "421003001", id));
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? p->id : 0;
  }

  int64_t Household(const std::vector<std::pair<int64_t, std::string>>& members, const std::string& division = "421003001") {
    registry::NewHousehold h;
    h.head_person_id = members[0].first;
    h.urban_rural = "urban";
    h.division_code = division;
    h.address = "荆州区某路 1 号";
    for (const auto& [id, rel] : members) h.members.push_back({id, rel});
    auto out = svc_->CreateHousehold(city_, h);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? out->id : 0;
  }

  void Authorise(int64_t household, int64_t person, bool guardian = false) {
    NewAuthorisation a;
    a.person_id = person;
    a.signed_on = "2025-05-20";
    a.signer_name = guardian ? "监护人" : "本人";
    a.signed_by_guardian = guardian;
    a.guardian_name = guardian ? "王建国" : "";
    a.form_file = "forms/auth-" + std::to_string(person) + ".pdf";
    auto r = verify_->RecordAuthorisation(verifier_, household, a);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->status, "valid");
  }

  // Every feed for the hand-worked household of VerifiesAHouseholdAsWorkedOutByHand, all of period 2025-05.
  void ImportHandWorkedFeeds(const std::string& head, const std::string& spouse, const std::string& child) {
    std::string si = "id_number,kind,month,amount_yuan\n";
    for (const char* m : {"2024-12", "2025-01", "2025-02", "2025-03", "2025-04", "2025-05"}) {
      si += head + ",wage," + m + ",1200\n";
      si += spouse + ",pension," + m + ",300.00\n";
    }
    si += head + ",wage,2024-11,9999\n";  // before the income period: not counted
    const std::vector<std::pair<std::string, std::string>> files = {
        {"hukou", "id_number,name,status,death_date\n" + head + ",王建国,alive,\n" + spouse + ",李秀兰,alive,\n" +
                      child + ",王小明,alive,\n"},
        {"vehicle", "id_number,plate,vehicle_type,registered_on\n" + head + ",无,ebike,2023-04-01\n"},
        {"social_insurance", si},
        {"provident_fund", "id_number,month,deposit_yuan,balance_yuan\n"},
        {"real_estate", "id_number,property_type,area_m2,registered_on\n" + head + ",residential,68.5,2005-09-01\n"},
        {"business", "id_number,company,role,registered_capital_yuan,status\n"},
        {"tax", "id_number,income_type,month,amount_yuan\n" + head + ",wage,2025-05,1500\n"},
        {"bank", "id_number,bank,balance_yuan,as_of\n" + head + ",工商银行,20000.00,2025-05-31\n" + spouse +
                     ",农业银行,500.50,2025-05-31\n"},
        {"securities", "id_number,market_value_yuan,as_of\n"},
        {"insurance", "id_number,product,cash_value_yuan,as_of\n" + spouse + ",平安福,1000,2025-05-31\n"},
        {"civil", "id_number,record,date,detail\n" + head + ",marriage,1995-10-01,结婚登记\n"},
    };
    for (const auto& [source, csv] : files) {
      auto b = verify_->ImportFeed(verifier_, Upload(source, csv, OnReject::kAllOrNothing));
      ASSERT_TRUE(b.ok()) << source << ": " << b.status().ToString();
      EXPECT_EQ(b->status, "imported") << source << ": " << b->error;
    }
  }

  platform::Principal verifier_ = registry::testing::MakePrincipal(10, platform::ScopeKind::kDivision, "421003");
  std::unique_ptr<platform::JobsService> jobs_;
  std::unique_ptr<VerifyService> verify_;
};

// --- feeds ---

TEST_P(VerifyServiceTest, KeepGoodStoresTheGoodRowsEncryptedAndListsTheRejects) {
  const std::string a = MakeId("421003", "19700101", 11), b = MakeId("421003", "19750202", 22);
  std::string bad = a;
  bad[17] = bad[17] == '1' ? '2' : '1';  // wrong check character
  const std::string csv = "id_number,name,status,death_date\n" + a + ",甲,alive,\n" + b + ",乙,dead,2025-03-01\n" +
                          bad + ",丙,alive,\n";
  auto batch = verify_->ImportFeed(verifier_, Upload("hukou", csv));
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_EQ(batch->status, "imported");
  EXPECT_EQ(batch->rows_total, 3);
  EXPECT_EQ(batch->rows_imported, 2);
  EXPECT_EQ(batch->rows_rejected, 1);
  EXPECT_EQ(batch->data_date, "2025-05-31");  // the period's end: no later date in the rows
  auto rejects = verify_->ListRejects(verifier_, batch->id, 1, 20);
  ASSERT_TRUE(rejects.ok());
  ASSERT_EQ(rejects->total, 1);
  EXPECT_EQ(rejects->items[0].row, 4);  // the header is row 1
  EXPECT_EQ(rejects->items[0].column, "id_number");
  EXPECT_FALSE(rejects->items[0].reason.empty());
  EXPECT_EQ(rejects->items[0].reason.find(bad), std::string::npos) << "the rejected ID number is kept plain";
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM verify_feed_rows WHERE batch_id = " + std::to_string(batch->id)), 2);
  // Stored only encrypted, found by the keyed hash.
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM verify_feed_rows WHERE id_cipher LIKE '%" + a.substr(6) + "%'"), 0);
  const int64_t key = static_cast<int64_t>(crypto_->KeyedHash64(b));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM verify_feed_rows WHERE person_key = " + std::to_string(key)), 1);
  EXPECT_EQ(AuditRows("verify.feed.import", std::to_string(batch->id)).size(), 1u);
}

TEST_P(VerifyServiceTest, AllOrNothingStoresNoRowOfAFileWithABadRow) {
  const std::string a = MakeId("421003", "19700101", 11);
  const std::string csv = "id_number,kind,month,amount_yuan\n" + a + ",wage,2025-04,1500\n" + a +
                          ",wage,2025-02-30,1500\n" + a + ",wage,2025-05,-3\n";
  auto batch = verify_->ImportFeed(verifier_, Upload("social_insurance", csv, OnReject::kAllOrNothing));
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_EQ(batch->status, "rejected");
  EXPECT_EQ(batch->rows_imported, 0);
  EXPECT_EQ(batch->rows_rejected, 2);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM verify_feed_rows"), 0);
  auto rejects = verify_->ListRejects(verifier_, batch->id, 1, 20);
  ASSERT_TRUE(rejects.ok());
  ASSERT_EQ(rejects->total, 2);
  EXPECT_EQ(rejects->items[0].row, 3);
  EXPECT_EQ(rejects->items[0].column, "month");
  EXPECT_EQ(rejects->items[1].row, 4);
  EXPECT_EQ(rejects->items[1].column, "amount_yuan");
  // A rejected batch does not block a corrected upload of the same content.
  auto again = verify_->ImportFeed(verifier_, Upload("social_insurance", csv, OnReject::kKeepGood));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->status, "imported");
  EXPECT_EQ(again->rows_imported, 1);
}

TEST_P(VerifyServiceTest, SameContentIsRefusedUnlessForced) {
  const std::string csv = "id_number,bank,balance_yuan,as_of\n" + MakeId("421003", "19700101", 11) +
                          ",工商银行,\"1,000.00元\",2025-05-31\n";
  FeedBatch first = MustImport("bank", csv);
  auto dup = verify_->ImportFeed(verifier_, Upload("bank", csv));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().code(), Code::kConflict);
  EXPECT_EQ(dup.status().error_code(), "verify.feed.duplicate");
  ASSERT_FALSE(dup.status().details().empty());
  EXPECT_EQ(dup.status().details()[0].message, std::to_string(first.id));
  auto forced = verify_->ImportFeed(verifier_, Upload("bank", csv, OnReject::kKeepGood, true));
  ASSERT_TRUE(forced.ok()) << forced.status().ToString();
  EXPECT_TRUE(forced->forced);
  EXPECT_EQ(forced->status, "imported");
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM verify_feed_batches WHERE content_hash = '" + first.content_hash + "'"), 2);
}

TEST_P(VerifyServiceTest, AnImportInterruptedLongAgoNoLongerBlocksItsContent) {
  const std::string csv = "id_number,market_value_yuan,as_of\n" + MakeId("421003", "19700101", 11) + ",100,2025-05-31\n";
  FeedBatch first = MustImport("securities", csv);
  auto exec = [&](const std::string& sql) {
    ASSERT_TRUE(db_->Write([&](db::Conn& c) { return c.Exec(sql).status(); }).ok()) << sql;
  };
  // Still importing, started just now (the fixed clock): it blocks the same content.
  exec("UPDATE verify_feed_batches SET status = 'importing', created_at = '2025-06-01T03:59:00.000Z' WHERE id = " +
       std::to_string(first.id));
  EXPECT_EQ(verify_->ImportFeed(verifier_, Upload("securities", csv)).status().error_code(), "verify.feed.duplicate");
  // Started three hours ago and never finished (the server restarted): failed, and the file may come again.
  exec("UPDATE verify_feed_batches SET created_at = '2025-06-01T01:00:00.000Z' WHERE id = " + std::to_string(first.id));
  auto again = verify_->ImportFeed(verifier_, Upload("securities", csv));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->status, "imported");
  auto old = verify_->GetFeedBatch(verifier_, first.id);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->status, "failed");
  EXPECT_FALSE(old->error.empty());
}

TEST_P(VerifyServiceTest, BadUploadParametersAreFieldErrors) {
  auto u = Upload("weather", "x");
  EXPECT_EQ(verify_->ImportFeed(verifier_, u).status().error_code(), "verify.feed.source");
  u = Upload("hukou", "id_number,name,status,death_date\n");
  u.period = "2025-13";
  EXPECT_EQ(verify_->ImportFeed(verifier_, u).status().error_code(), "verify.feed.period");
  u.period = "2025-07";  // after the current month (the clock says 2025-06-01)
  EXPECT_EQ(verify_->ImportFeed(verifier_, u).status().error_code(), "verify.feed.period");
  u.period = "2025-05";
  u.filename = "hukou.txt";
  EXPECT_EQ(verify_->ImportFeed(verifier_, u).status().error_code(), "verify.feed.filename");
  u = Upload("hukou", "");
  EXPECT_EQ(verify_->ImportFeed(verifier_, u).status().error_code(), "verify.feed.empty");
  // A file without a required column fails as a whole, with the reason.
  auto failed = verify_->ImportFeed(verifier_, Upload("hukou", "id_number,name\n"));
  ASSERT_TRUE(failed.ok()) << failed.status().ToString();
  EXPECT_EQ(failed->status, "failed");
  EXPECT_FALSE(failed->error.empty());
}

// --- authorisations and requests ---

TEST_P(VerifyServiceTest, NoAuthorisationNoQueryAndAMembershipChangeLapsesThem) {
  const std::string head = MakeId("421003", "19700101", 11), spouse = MakeId("421003", "19720303", 22);
  int64_t p1 = Person("王建国", head), p2 = Person("李秀兰", spouse);
  int64_t h = Household({{p1, "02"}, {p2, "10"}});
  auto refused = verify_->VerifyHousehold(verifier_, h, "");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kConflict);
  EXPECT_EQ(refused.status().error_code(), "verify.authorisation.missing");
  EXPECT_EQ(refused.status().details().size(), 2u);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM verify_requests"), 0);

  Authorise(h, p1);
  refused = verify_->VerifyHousehold(verifier_, h, "");
  ASSERT_FALSE(refused.ok());
  ASSERT_EQ(refused.status().details().size(), 1u);
  EXPECT_EQ(refused.status().details()[0].field, "person_id:" + std::to_string(p2));
  EXPECT_EQ(refused.status().details()[0].code, "missing");
  Authorise(h, p2);
  auto state = verify_->GetAuthorisations(verifier_, h);
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->all_valid);

  // A new member (a child, signed for by a guardian): the earlier two lapse; the household needs them again.
  int64_t p3 = Person("王小明", MakeId("421003", "20150606", 33));
  ASSERT_TRUE(svc_->AddMember(city_, h, {p3, "20"}).ok());
  state = verify_->GetAuthorisations(verifier_, h);
  ASSERT_TRUE(state.ok());
  EXPECT_FALSE(state->all_valid);
  ASSERT_EQ(state->members.size(), 3u);
  for (const auto& m : state->members) {
    EXPECT_EQ(m.status, m.person_id == p3 ? "missing" : "lapsed") << m.person_id;
    EXPECT_EQ(m.minor, m.person_id == p3);
  }
  refused = verify_->VerifyHousehold(verifier_, h, "");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().details().size(), 3u);
  // The minor's own signature is refused; a guardian's is taken.
  NewAuthorisation own;
  own.person_id = p3;
  own.signed_on = "2025-05-20";
  own.signer_name = "王小明";
  own.form_file = "forms/x.pdf";
  EXPECT_EQ(verify_->RecordAuthorisation(verifier_, h, own).status().error_code(),
            "verify.authorisation.guardian_required");
  Authorise(h, p3, /*guardian=*/true);
  Authorise(h, p1);
  Authorise(h, p2);
  state = verify_->GetAuthorisations(verifier_, h);
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->all_valid);
  // A person outside the household, a future date: field errors.
  NewAuthorisation other = own;
  other.person_id = Person("路人", MakeId("421003", "19800101", 55));
  EXPECT_EQ(verify_->RecordAuthorisation(verifier_, h, other).status().error_code(), "verify.authorisation.not_member");
  other.person_id = p1;
  other.signed_on = "2025-06-02";
  EXPECT_EQ(verify_->RecordAuthorisation(verifier_, h, other).status().error_code(), "verify.authorisation.signed_on");
}

TEST_P(VerifyServiceTest, VerifiesAHouseholdAsWorkedOutByHand) {
  const std::string head = MakeId("421003", "19700101", 11), spouse = MakeId("421003", "19720303", 22),
                    child = MakeId("421003", "20150606", 33);
  int64_t p1 = Person("王建国", head), p2 = Person("李秀兰", spouse), p3 = Person("王小明", child);
  int64_t h = Household({{p1, "02"}, {p2, "10"}, {p3, "20"}});
  Authorise(h, p1);
  Authorise(h, p2);
  Authorise(h, p3, true);
  ImportHandWorkedFeeds(head, spouse, child);

  auto v = verify_->VerifyHousehold(verifier_, h, "2025-06-01");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  // Income months 2024-12 .. 2025-05. Wage: social insurance 1200 × 6 months, but May also reported by tax as 1500:
  // the larger counts once → 1200 × 5 + 1500 = 7500. Pension 300 × 6 = 1800. Total 9300 yuan = 930000 fen;
  // ÷ 6 months = 155000 fen a month; ÷ 3 members = 51666 fen (floor) < 60000 standard.
  EXPECT_EQ(v->income_month_fen, 155000);
  EXPECT_EQ(v->income_per_capita_fen, 51666);
  EXPECT_EQ(v->members_counted, 3);
  EXPECT_EQ(v->standard_fen, 60000);
  // Assets: bank 20000.00 + 500.50, insurance 1000 → 2150050 fen; per capita 716683 ≤ 24 × 60000 = 1440000.
  EXPECT_EQ(v->financial_assets_fen, 2150050);
  EXPECT_EQ(v->decision, "eligible") << v->result;
  EXPECT_TRUE(v->flags.empty()) << v->result;
  EXPECT_EQ(v->policy_version.rfind("test-policy-1", 0), 0u) << v->policy_version;
  auto result = nlohmann::json::parse(v->result);
  EXPECT_EQ(result["decision"], "eligible");
  EXPECT_EQ(result["income_from"], "2024-12");
  EXPECT_EQ(result["income_to"], "2025-05");
  EXPECT_EQ(result["members"].size(), 3u);
  EXPECT_EQ(result.dump().find(head), std::string::npos) << "a plain ID number in the result";
  EXPECT_FALSE(result["rules"].empty());
  // The wage records name both reports of May, the smaller one not counted.
  int wage_records = 0, uncounted = 0;
  for (const auto& line : result["income"]["by_member"]) {
    if (line["category"] != "wage") continue;
    for (const auto& r : line["records"]) {
      ++wage_records;
      if (!r["counted"].get<bool>()) ++uncounted;
    }
  }
  EXPECT_EQ(wage_records, 7);
  EXPECT_EQ(uncounted, 1);

  // Stored, listed, and each view of it audited.
  auto got = verify_->GetVerification(verifier_, v->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->result, v->result);
  EXPECT_EQ(AuditRows("verify.result.view", std::to_string(v->id)).size(), 1u);
  VerificationQuery q;
  q.decision = "eligible";
  auto list = verify_->ListVerifications(verifier_, q);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->total, 1);
  // Another county's verifier sees nothing of it.
  platform::Principal shashi = registry::testing::MakePrincipal(11, platform::ScopeKind::kDivision, "421002");
  EXPECT_EQ(verify_->GetVerification(shashi, v->id).status().code(), Code::kNotFound);
  EXPECT_EQ(verify_->VerifyHousehold(shashi, h, "").status().error_code(), "verify.household.not_found");
  auto none = verify_->ListVerifications(shashi, {});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->total, 0);

  // A car registered to the spouse: ineligible with the vehicle flag.
  MustImport("vehicle", "id_number,plate,vehicle_type,registered_on\n" + spouse + ",鄂D12345,car,2020-01-01\n");
  auto v2 = verify_->VerifyHousehold(verifier_, h, "2025-06-01");
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(v2->decision, "ineligible");
  EXPECT_EQ(v2->flags, std::vector<std::string>{"vehicle"});
}

TEST_P(VerifyServiceTest, BatchRecheckSkipsUnauthorisedHouseholdsAndGroupsTheSuspicious) {
  const std::string head = MakeId("421003", "19700101", 11), spouse = MakeId("421003", "19720303", 22),
                    child = MakeId("421003", "20150606", 33);
  int64_t p1 = Person("王建国", head), p2 = Person("李秀兰", spouse), p3 = Person("王小明", child);
  int64_t h1 = Household({{p1, "02"}, {p2, "10"}, {p3, "20"}});
  Authorise(h1, p1);
  Authorise(h1, p2);
  Authorise(h1, p3, true);
  const std::string lone = MakeId("421003", "19500505", 45);
  int64_t p4 = Person("张大爷", lone);
  int64_t h2 = Household({{p4, "02"}}, "421003002");
  Authorise(h2, p4);
  int64_t p5 = Person("未授权", MakeId("421003", "19600101", 57));
  int64_t h3 = Household({{p5, "02"}});
  ImportHandWorkedFeeds(head, spouse, child);
  // A second hukou batch: every imported batch of a source counts.
  MustImport("hukou", "id_number,name,status,death_date\n" + lone + ",张大爷,alive,\n");
  // 张大爷 is a legal representative of an active business: ineligible, flag business.
  MustImport("business", "id_number,company,role,registered_capital_yuan,status\n" + lone +
                             ",荆州某商贸有限公司,legal_rep,500000,active\n");

  RecheckSpec spec;
  spec.household_ids = {h1, h2, h3};
  spec.as_of = "2025-06-01";
  auto started = verify_->StartRecheck(verifier_, spec);
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  auto job = jobs_->Wait(verifier_, started->job_id);
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->status, platform::JobStatus::kSucceeded) << job->message << " " << job->error.value_or("");
  auto b = verify_->GetRecheck(verifier_, started->record.id);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->status, "succeeded");
  EXPECT_EQ(b->households_total, 3);
  EXPECT_EQ(b->verified, 2);
  EXPECT_EQ(b->skipped_unauthorised, 1);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM verify_requests WHERE household_id = " + std::to_string(h3)), 0);
  auto suspicious = verify_->Suspicious(verifier_, b->id);
  ASSERT_TRUE(suspicious.ok());
  const auto& groups = (*suspicious)["groups"];
  ASSERT_EQ(groups.size(), 1u) << suspicious->dump();
  EXPECT_EQ(groups[0]["flag"], "business");
  ASSERT_EQ(groups[0]["townships"].size(), 1u);
  EXPECT_EQ(groups[0]["townships"][0]["township"], "421003002");
  EXPECT_EQ(groups[0]["townships"][0]["items"][0]["household_id"], h2);
  // A recheck outside the caller's scope is not found.
  platform::Principal shashi = registry::testing::MakePrincipal(11, platform::ScopeKind::kDivision, "421002");
  EXPECT_EQ(verify_->GetRecheck(shashi, b->id).status().code(), Code::kNotFound);
}

TEST_P(VerifyServiceTest, DemoFeedsLetTheDemoHouseholdsBeVerified) {
  int64_t p1 = Person("王建国", MakeId("421003", "19700101", 11)), p2 = Person("李秀兰", MakeId("421003", "19720303", 22));
  int64_t p3 = Person("王小明", MakeId("421003", "20150606", 33));
  int64_t h = Household({{p1, "02"}, {p2, "10"}, {p3, "20"}});
  std::ostringstream out;
  DemoFeedsOptions o;
  o.households = 5;
  ASSERT_TRUE(LoadDemoFeeds(*verify_, *svc_, city_, o, out).ok());
  EXPECT_NE(out.str().find("1 户"), std::string::npos) << out.str();
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM verify_feed_batches WHERE status = 'imported' AND period = '2025-05'"), 11);
  auto state = verify_->GetAuthorisations(city_, h);
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->all_valid);
  // Household 0: the two adults earn 700 a month each for 12 months; the example figures are the test policy's:
  // 6 months × 2 × 700 = 8400 yuan ÷ 6 = 1400 a month ÷ 3 = 466.66 < 600: eligible.
  auto v = verify_->VerifyHousehold(city_, h, "2025-06-01");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->income_month_fen, 140000);
  EXPECT_EQ(v->income_per_capita_fen, 46666);
  EXPECT_EQ(v->decision, "eligible") << v->result;
}

INSTANTIATE_TEST_SUITE_P(Db, VerifyServiceTest, ::testing::ValuesIn(db::TestDialects()),
                         [](const auto& info) { return db::DialectName(info.param); });

}  // namespace
}  // namespace doudi::verify
