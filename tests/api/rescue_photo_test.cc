// Photos of cases and missing-person reports over HTTP: upload (base64 JSON) with the faces found, the list with
// boxes and face status, the bytes, withdrawal; the public photo only for a published notice and a minor's only
// under the city's policy; another station 404, other roles 403; bad files refused with their field; the face
// evidence on a report's candidate once both sides have photos. The photographs are the face-api package's demo
// images (installed by scripts/fetch-face-models).
#include <cctype>
#include <fstream>
#include <sstream>

#include "platform/bytes.h"
#include "suite.h"

namespace doudi::testing {
namespace {

using nlohmann::json;

std::string Sample(const std::string& name) {
  std::ifstream in(std::string(DOUDI_SOURCE_DIR) + "/tracing-models/node_modules/@vladmandic/face-api/demo/" + name,
                   std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

json Upload(const std::string& file, const std::string& name = "p.jpg") {
  return {{"file_name", name}, {"content_type", ""}, {"data", platform::Base64(file)}};
}

json Unknown(int age, const std::string& features) {
  return {{"how_came", "patrol"}, {"patrol_ref", "XC-5"}, {"sex", 2}, {"estimated_age", age}, {"height_cm", 160},
          {"features", features}, {"dialect", "西南官话"}, {"found_place", "沙市区北京路"}, {"found_date", "2025-01-20"}};
}

std::string CasePath(int64_t id, const std::string& rest = "") { return "/api/v1/rescue/cases/" + std::to_string(id) + rest; }

std::string Header(const HttpResult& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    std::string lower = k;
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (lower == name) return v;
  }
  return "";
}

class RescuePhotoTest : public ApiTest<RescuePhotoTest> {
 protected:
  int64_t Intake(ApiClient& c, const json& body) {
    HttpResult r = c.Post("/api/v1/rescue/cases", body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", int64_t{0});
  }
  int64_t NoticeOf(ApiClient& c, int64_t case_id) {
    HttpResult r = c.Get(CasePath(case_id));
    EXPECT_EQ(r.status, 200) << r.body;
    auto notices = r.json()["notices"];
    return notices.empty() ? 0 : notices[0].value("id", int64_t{0});
  }
};

TEST_P(RescuePhotoTest, UploadListBytesWithdrawAndThePublicPhoto) {
  Account& staff = Shared("rescue_staff", "421002");
  ASSERT_TRUE(staff.ok);
  const std::string marker = "右耳垂有痣" + UniqueName("p");
  const int64_t adult = Intake(staff.client, Unknown(40, marker));
  ASSERT_GT(adult, 0);
  const std::string jpeg = Sample("sample2.jpg");
  ASSERT_GT(jpeg.size(), 1000u) << "demo photographs missing: run scripts/fetch-face-models";

  HttpResult up = staff.client.Post(CasePath(adult, "/photos"), Upload(jpeg, "intake.jpg"));
  ASSERT_EQ(up.status, 201) << up.body;
  json p = up.json();
  EXPECT_EQ(p.value("content_type", ""), "image/jpeg");
  EXPECT_EQ(p.value("face_status", ""), "one");
  ASSERT_EQ(p["faces"].size(), 1u);
  EXPECT_EQ(p["selected_face"], 0);
  EXPECT_TRUE(HasChinese(p.value("face_message", "")));
  EXPECT_EQ(up.body.find("descriptor"), std::string::npos) << "descriptors never leave the server";
  const int64_t photo_id = p.value("id", int64_t{0});

  HttpResult list = staff.client.Get(CasePath(adult, "/photos"));
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json()["items"].size(), 1u);
  EXPECT_GT(list.json()["items"][0]["faces"][0]["box"].value("width", 0.0), 100);
  HttpResult bytes = staff.client.Get(p.value("url", ""));
  ASSERT_EQ(bytes.status, 200);
  EXPECT_EQ(bytes.body, jpeg);
  EXPECT_EQ(Header(bytes, "content-type"), "image/jpeg");
  // The case now refers to the stored photo.
  HttpResult page = staff.client.Get(CasePath(adult));
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.json()["case"].value("photo", ""), "photo:" + std::to_string(photo_id));

  // Public: nothing while the notice is a draft; the photo once published; never the photo's own URL.
  ApiClient anonymous(server().port());
  const int64_t notice = NoticeOf(staff.client, adult);
  const std::string public_photo = "/api/v1/public/notices/" + std::to_string(notice) + "/photo";
  EXPECT_EQ(anonymous.Get(public_photo).status, 404);
  ASSERT_TRUE(IsOk(staff.client.Post("/api/v1/rescue/notices/" + std::to_string(notice) + "/publish", json::object())));
  HttpResult pub = anonymous.Get("/api/v1/public/notices/" + std::to_string(notice));
  ASSERT_EQ(pub.status, 200);
  EXPECT_EQ(pub.json().value("photo_url", ""), public_photo);
  HttpResult pub_bytes = anonymous.Get(public_photo);
  ASSERT_EQ(pub_bytes.status, 200);
  EXPECT_EQ(pub_bytes.body, jpeg);
  EXPECT_EQ(anonymous.Get(p.value("url", "")).status, 401);

  // Withdrawn: off the public page, still listed for the station with the reason.
  EXPECT_TRUE(IsError(staff.client.Post("/api/v1/rescue/photos/" + std::to_string(photo_id) + "/withdraw",
                                        {{"version", p["version"]}, {"reason", ""}}),
                      400, "rescue.photo.reason", "reason"));
  HttpResult w = staff.client.Post("/api/v1/rescue/photos/" + std::to_string(photo_id) + "/withdraw",
                                   {{"version", p["version"]}, {"reason", "家属要求撤下"}});
  ASSERT_EQ(w.status, 200) << w.body;
  EXPECT_EQ(w.json().value("status", ""), "withdrawn");
  EXPECT_EQ(anonymous.Get(public_photo).status, 404);
  EXPECT_TRUE(anonymous.Get("/api/v1/public/notices/" + std::to_string(notice)).json()["photo_url"].is_null());
  HttpResult after = staff.client.Get(CasePath(adult, "/photos"));
  ASSERT_EQ(after.json()["items"].size(), 1u);
  EXPECT_EQ(after.json()["items"][0]["withdrawn"].value("reason", ""), "家属要求撤下");
}

TEST_P(RescuePhotoTest, AMinorsPhotoIsNotPublicWithoutThePolicy) {
  Account& staff = Shared("rescue_staff", "421002");
  ASSERT_TRUE(staff.ok);
  const int64_t child = Intake(staff.client, Unknown(12, "扎马尾" + UniqueName("c")));
  ASSERT_TRUE(IsOk(staff.client.Post(CasePath(child, "/photos"), Upload(Sample("sample2.jpg")))));
  const int64_t notice = NoticeOf(staff.client, child);
  ASSERT_TRUE(IsOk(staff.client.Post("/api/v1/rescue/notices/" + std::to_string(notice) + "/publish", json::object())));
  ApiClient anonymous(server().port());
  HttpResult pub = anonymous.Get("/api/v1/public/notices/" + std::to_string(notice));
  ASSERT_EQ(pub.status, 200);
  EXPECT_TRUE(pub.json()["photo_url"].is_null());
  EXPECT_TRUE(pub.json()["photo"].is_null());
  EXPECT_EQ(anonymous.Get("/api/v1/public/notices/" + std::to_string(notice) + "/photo").status, 404);
}

TEST_P(RescuePhotoTest, OtherStationsOtherRolesAndBadFiles) {
  Account& staff = Shared("rescue_staff", "421002");
  Account& other = Shared("rescue_staff", "421003");
  Account& caseworker = Shared("caseworker", "421002");
  Account& manager = Shared("manager", "42");
  ASSERT_TRUE(staff.ok && other.ok && caseworker.ok && manager.ok);
  const int64_t k = Intake(staff.client, Unknown(40, "无" + UniqueName("o")));
  HttpResult up = staff.client.Post(CasePath(k, "/photos"), Upload(Sample("sample2.jpg")));
  ASSERT_EQ(up.status, 201) << up.body;
  const std::string url = up.json().value("url", "");

  EXPECT_TRUE(IsError(other.client.Post(CasePath(k, "/photos"), Upload(Sample("sample2.jpg"))), 404,
                      "rescue.case.not_found"));
  EXPECT_TRUE(IsError(other.client.Get(CasePath(k, "/photos")), 404, "rescue.case.not_found"));
  EXPECT_TRUE(IsError(other.client.Get(url), 404, "rescue.photo.not_found"));
  EXPECT_EQ(caseworker.client.Post(CasePath(k, "/photos"), Upload(Sample("sample2.jpg"))).status, 403);
  EXPECT_EQ(caseworker.client.Get(url).status, 403);
  EXPECT_EQ(manager.client.Get(url).status, 200) << "the centre's managers read every station";
  EXPECT_EQ(manager.client.Post(CasePath(k, "/photos"), Upload(Sample("sample2.jpg"))).status, 403);

  EXPECT_TRUE(IsError(staff.client.Post(CasePath(k, "/photos"), Upload("GIF89a")), 400, "rescue.photo.type", "data"));
  EXPECT_TRUE(IsError(staff.client.Post(CasePath(k, "/photos"), {{"data", "!!not base64!!"}}), 400,
                      "rescue.photo.base64", "data"));
  json mismatch = Upload(Sample("sample2.jpg"));
  mismatch["content_type"] = "image/png";
  EXPECT_TRUE(IsError(staff.client.Post(CasePath(k, "/photos"), mismatch), 400, "rescue.photo.type_mismatch",
                      "content_type"));
  std::string big = Sample("sample2.jpg");
  big.resize((5 << 20) + 1, '\0');
  EXPECT_EQ(staff.client.Post(CasePath(k, "/photos"), Upload(big)).status, 413);
  EXPECT_EQ(staff.client.Get(CasePath(k, "/photos")).json()["items"].size(), 1u);
}

// The report and the person share a photograph: the report's candidate carries the face part of the
// explanation (similarity 1 for the very same face) and the reminder that a face does not identify alone.
TEST_P(RescuePhotoTest, AReportPhotoGivesFaceEvidenceOnTheCandidate) {
  Account& staff = Shared("rescue_staff", "421002");
  ASSERT_TRUE(staff.ok);
  const std::string marks = "左脸有痣，" + UniqueName("f");
  const int64_t k = Intake(staff.client, Unknown(40, marks));
  HttpResult r = staff.client.Post("/api/v1/rescue/missing-reports",
                                   {{"reporter_name", "王秀英"}, {"reporter_phone", NewPhone()},
                                    {"reporter_relation", "母亲"}, {"name", "李红"}, {"sex", 2}, {"age_at_lost", 39},
                                    {"lost_date", "2024-12-10"}, {"lost_division", "421002"}, {"height_cm", 161},
                                    {"features", marks}, {"dialect", "西南官话"}});
  ASSERT_EQ(r.status, 201) << r.body;
  const int64_t report = r.json().value("id", int64_t{0});
  HttpResult rp = staff.client.Post("/api/v1/rescue/missing-reports/" + std::to_string(report) + "/photos",
                                    Upload(Sample("sample2.jpg")));
  ASSERT_EQ(rp.status, 201) << rp.body;
  HttpResult listed = staff.client.Get("/api/v1/rescue/missing-reports/" + std::to_string(report) + "/photos");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json()["items"].size(), 1u);
  ASSERT_TRUE(IsOk(staff.client.Post(CasePath(k, "/photos"), Upload(Sample("sample2.jpg")))));
  HttpResult cands = staff.client.Get(CasePath(k, "/candidates"));
  ASSERT_EQ(cands.status, 200);
  const json all = cands.json();
  json mine;
  for (const auto& c : all["items"]) {
    if (c.value("candidate_ref", "") == "missing_report:" + std::to_string(report)) mine = c;
  }
  ASSERT_TRUE(mine.is_object()) << cands.body;
  const json face = mine["explanation"]["face"];
  ASSERT_TRUE(face.is_object()) << mine.dump();
  EXPECT_NEAR(face.value("similarity", 0.0), 1.0, 1e-5);
  EXPECT_NEAR(face.value("weight", 0.0), 25 * (1 - 0.914), 1e-3);
  EXPECT_EQ(face["photos_compared"].value("pairs", 0), 1);
  EXPECT_NE(face.value("notice", "").find("不能单独认定身份"), std::string::npos);
}

DOUDI_API_SUITE(RescuePhotoTest);

// The city allows minors' photos on the public page (DOUDI_RESCUE_PUBLIC_MINOR_PHOTOS=1).
class RescueMinorPhotoPolicyTest : public ApiTest<RescueMinorPhotoPolicyTest> {
 public:
  static std::map<std::string, std::string> ServerEnv() { return {{"DOUDI_RESCUE_PUBLIC_MINOR_PHOTOS", "1"}}; }
};

TEST_P(RescueMinorPhotoPolicyTest, AMinorsPhotoIsPublicUnderThePolicy) {
  Account& staff = Shared("rescue_staff", "421002");
  ASSERT_TRUE(staff.ok);
  HttpResult k = staff.client.Post("/api/v1/rescue/cases", Unknown(12, "扎马尾" + UniqueName("m")));
  ASSERT_EQ(k.status, 201) << k.body;
  const int64_t id = k.json().value("id", int64_t{0});
  ASSERT_TRUE(IsOk(staff.client.Post(CasePath(id, "/photos"), Upload(Sample("sample2.jpg")))));
  const int64_t notice = staff.client.Get(CasePath(id)).json()["notices"][0].value("id", int64_t{0});
  ASSERT_TRUE(IsOk(staff.client.Post("/api/v1/rescue/notices/" + std::to_string(notice) + "/publish", json::object())));
  ApiClient anonymous(server().port());
  HttpResult photo = anonymous.Get("/api/v1/public/notices/" + std::to_string(notice) + "/photo");
  EXPECT_EQ(photo.status, 200);
  EXPECT_EQ(photo.body, Sample("sample2.jpg"));
}

DOUDI_API_SUITE(RescueMinorPhotoPolicyTest);

}  // namespace
}  // namespace doudi::testing
