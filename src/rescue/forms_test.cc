// The standard forms filled from cases made through RescueService (SQLite, and PostgreSQL when configured), read
// back with poppler's pdftotext (an independent PDF reader): each form's Chinese title, the person's name and the
// dates as typed by hand below; a form that does not apply to the case's state is refused.
#include "rescue/forms.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "db/testing.h"
#include "registry/test_support.h"
#include "rescue/service.h"
#include "rescue/test_support.h"

namespace doudi::rescue {
namespace {

using registry::testing::MakePrincipal;

// pdftotext of the PDF, without whitespace (the layout may wrap anywhere).
std::string PdfText(const std::string& bytes) {
  char name[] = "/tmp/doudi-form-test-XXXXXX";
  int fd = mkstemp(name);
  EXPECT_GE(fd, 0);
  close(fd);
  std::ofstream(name, std::ios::binary) << bytes;
  std::string out;
  FILE* f = popen(fmt::format("pdftotext -enc UTF-8 '{}' -", name).c_str(), "r");
  if (f != nullptr) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    EXPECT_EQ(pclose(f), 0);
  }
  std::filesystem::remove(name);
  std::string squeezed;
  for (char c : out) {
    if (c != ' ' && c != '\n' && c != '\f') squeezed += c;
  }
  return squeezed;
}

class FormsTest : public testing::RescueTest {
 protected:
  void SetUp() override {
    RescueTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    staff_.permissions.insert({"rescue.read", "rescue.write"});
  }

  // Brought in by the police on 2025-01-23 10:00 Shanghai time, with a phone held.
  Case PoliceIntake() {
    NewIntake in;
    in.name = "李桂兰";
    in.sex = 2;
    in.estimated_age = 67;
    in.height_cm = 152;
    in.how_came = "police";
    in.police_unit = "沙市区公安分局中山派出所";
    in.police_form_ref = "JS-2025-031";
    in.found_place = "沙市区北京路";
    in.found_date = "2025-01-22";
    in.features = "右手有疤";
    in.clothing = "灰色棉袄";
    in.reason = "走失，无法说清住址";
    in.belongings.push_back({"手机", 1, ""});
    auto k = svc_->Intake(staff_, std::move(in));
    EXPECT_TRUE(k.ok()) << k.status().ToString();
    return k.ok() ? *k : Case{};
  }

  nlohmann::json Page(int64_t id) {
    auto p = svc_->CaseDetail(staff_, id);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? *p : nlohmann::json::object();
  }

  void ReturnAll(int64_t id) {
    const nlohmann::json page = Page(id);
    for (const auto& b : page["belongings"]) {
      ASSERT_TRUE(svc_->ReturnBelonging(staff_, id, b["id"].get<int64_t>(), "本人", "QS-9").ok());
    }
  }

  // The form rendered, checked to be a PDF under 200 KB, as squeezed text.
  std::string Text(const std::string& code, const nlohmann::json& page) {
    FormOptions o;
    o.printed_at = "2025-01-25T02:00:00Z";
    auto pdf = RenderForm(code, page, o);
    EXPECT_TRUE(pdf.ok()) << code << ": " << pdf.status().ToString();
    if (!pdf.ok()) return "";
    EXPECT_EQ(pdf->substr(0, 4), "%PDF") << code;
    EXPECT_LT(pdf->size(), 200u * 1024) << code;
    return PdfText(*pdf);
  }

  static void ExpectNotApplicable(const std::string& code, const nlohmann::json& page) {
    auto r = RenderForm(code, page);
    ASSERT_FALSE(r.ok()) << code;
    EXPECT_EQ(r.status().code(), Code::kConflict) << code;
    EXPECT_EQ(r.status().error_code(), "rescue.form.not_applicable") << code;
  }

  // Thursday 2025-01-23 10:00 in Shanghai.
  platform::Principal staff_ = MakePrincipal(21, platform::ScopeKind::kDivision, "421002");
};

TEST_P(FormsTest, IntakeRegistrationCarriesTheRecord) {
  Case k = PoliceIntake();
  auto page = Page(k.id);
  std::string t = Text("intake", page);
  EXPECT_NE(t.find("求助登记表"), std::string::npos) << t;
  EXPECT_NE(t.find("李桂兰"), std::string::npos);
  EXPECT_NE(t.find("2025-01-2310:00"), std::string::npos) << "intake time in Shanghai time";
  EXPECT_NE(t.find("2025-01-22"), std::string::npos) << "date found";
  EXPECT_NE(t.find("沙市区救助管理站"), std::string::npos);
  EXPECT_NE(t.find(fmt::format("编号：421002-2025-{:06d}", k.id)), std::string::npos) << t;
  EXPECT_NE(t.find("手机"), std::string::npos) << "belongings held";
  EXPECT_NE(t.find("求助人（签字或按手印）"), std::string::npos) << "signature line";
}

TEST_P(FormsTest, PoliceHandOverOnlyForPoliceIntakes) {
  Case k = PoliceIntake();
  std::string t = Text("police_handover", Page(k.id));
  EXPECT_NE(t.find("公安机关护送流浪乞讨人员交接单"), std::string::npos) << t;
  EXPECT_NE(t.find("沙市区公安分局中山派出所"), std::string::npos);
  EXPECT_NE(t.find("编号：JS-2025-031"), std::string::npos) << "the signed form's number";
  EXPECT_NE(t.find("李桂兰"), std::string::npos);
  EXPECT_NE(t.find("2025-01-2310:00"), std::string::npos);

  NewIntake self;
  self.name = "王建国";
  self.sex = 1;
  self.estimated_age = 50;
  self.how_came = "self";
  auto other = svc_->Intake(staff_, self);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  ExpectNotApplicable("police_handover", Page(other->id));
}

TEST_P(FormsTest, RefusalNoticeOnlyForARefusedIntake) {
  Case k = PoliceIntake();
  ExpectNotApplicable("refusal", Page(k.id));
  ReturnAll(k.id);  // a refusal returns the belongings first
  auto refused = svc_->Refuse(staff_, k.id, "本地有固定住所和收入来源", "BY-2025-7");
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  auto page = Page(k.id);
  std::string t = Text("refusal", page);
  EXPECT_NE(t.find("不予救助通知书"), std::string::npos) << t;
  EXPECT_NE(t.find("李桂兰："), std::string::npos);
  EXPECT_NE(t.find("本地有固定住所和收入来源"), std::string::npos);
  EXPECT_NE(t.find("编号：BY-2025-7"), std::string::npos);
  EXPECT_NE(t.find("2025-01-2310:00"), std::string::npos);
  EXPECT_NE(t.find("被通知人（签字）"), std::string::npos);
  // A refused intake was never in the station: no stay, departure or termination forms.
  ExpectNotApplicable("stay_departure", page);
  ExpectNotApplicable("self_departure", page);
  ExpectNotApplicable("termination", page);
  EXPECT_EQ(ApplicableForms(page), (std::vector<std::string>{"intake", "refusal", "police_handover"}));
}

TEST_P(FormsTest, SelfDepartureDeclarationBeforeAndAfterLeaving) {
  Case k = PoliceIntake();
  std::string before = Text("self_departure", Page(k.id));
  EXPECT_NE(before.find("自行离站声明书"), std::string::npos) << before;
  EXPECT_NE(before.find("声明人（签字或按手印）"), std::string::npos);
  ReturnAll(k.id);
  now_ += std::chrono::hours(30);  // 2025-01-24 16:00 Shanghai
  Departure d;
  d.kind = "self";
  d.declaration_ref = "ZX-2025-12";
  ASSERT_TRUE(svc_->Depart(staff_, k.id, d).ok());
  std::string after = Text("self_departure", Page(k.id));
  EXPECT_NE(after.find("李桂兰"), std::string::npos) << after;
  EXPECT_NE(after.find("2025-01-2416:00"), std::string::npos) << "departure time";
  EXPECT_NE(after.find("编号：ZX-2025-12"), std::string::npos);
  EXPECT_NE(after.find("QS-9"), std::string::npos) << "the return's signature";
  ExpectNotApplicable("termination", Page(k.id));
}

TEST_P(FormsTest, StayRegisterAndTerminationNotice) {
  Case k = PoliceIntake();
  CareRecord t;
  t.kind = "temperature";
  t.temperature_dc = 368;
  t.detail = "晨检";
  ASSERT_TRUE(svc_->AddCare(staff_, k.id, t).ok());
  ExpectNotApplicable("termination", Page(k.id));
  ReturnAll(k.id);
  now_ += std::chrono::hours(24 * 5);  // 2025-01-28 10:00 Shanghai
  Departure d;
  d.kind = "termination";
  d.termination_notice_ref = "ZZ-2025-3";
  d.reason = "无正当理由拒不离站";
  auto out = svc_->Depart(staff_, k.id, d);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  auto page = Page(k.id);

  std::string reg = Text("stay_departure", page);
  EXPECT_NE(reg.find("在站服务及离站登记表"), std::string::npos) << reg;
  EXPECT_NE(reg.find("李桂兰"), std::string::npos);
  EXPECT_NE(reg.find("36.8"), std::string::npos) << "the temperature record";
  EXPECT_NE(reg.find("2025-01-2810:00"), std::string::npos) << "departure time";
  EXPECT_NE(reg.find("终止救助"), std::string::npos) << "departure kind";

  std::string term = Text("termination", page);
  EXPECT_NE(term.find("终止救助通知书"), std::string::npos) << term;
  EXPECT_NE(term.find("无正当理由拒不离站"), std::string::npos);
  EXPECT_NE(term.find("自2025-01-28起"), std::string::npos);
  EXPECT_NE(term.find("编号：ZZ-2025-3"), std::string::npos);
  ExpectNotApplicable("self_departure", page);
  ExpectNotApplicable("refusal", page);
}

TEST_P(FormsTest, UnknownFormIsAnInvalidField) {
  Case k = PoliceIntake();
  auto r = RenderForm("birthday", Page(k.id));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalid);
  EXPECT_EQ(r.status().error_code(), "rescue.form.unknown");
}

INSTANTIATE_TEST_SUITE_P(Db, FormsTest, ::testing::ValuesIn(db::TestDialects()),
                         [](const auto& info) { return db::DialectName(info.param); });

}  // namespace
}  // namespace doudi::rescue
