// Photos of cases and missing-person reports through PhotoService on a real database (SQLite, and PostgreSQL
// when configured), with the real face engine on the face-api package's demo photographs: the file checks, the
// faces found (against the package's own JavaScript descriptors in golden.json), no face, several faces, the
// links to the case and its notice, withdrawal, scope and audit; then face evidence in matching.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <fstream>
#include <sstream>
#include <thread>

#include "db/testing.h"
#include "registry/test_support.h"
#include "rescue/face_evidence.h"
#include "rescue/missing_reports.h"
#include "rescue/photos.h"
#include "rescue/service.h"
#include "rescue/store.h"
#include "rescue/test_support.h"
#include "tracing/face/golden_test_util.h"
#include "tracing/face/pipeline.h"

namespace doudi::rescue {
namespace {

using registry::testing::MakePrincipal;
using nlohmann::json;

std::string ReadSample(const std::string& name) {
  std::ifstream in(face::testing::SampleDir() + "/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The descriptor the package's JavaScript computed for face `i` of a demo photograph, in its own order.
FaceEmbedding GoldenDescriptor(const std::string& image, int i) {
  static const json golden = face::testing::Golden();
  for (const auto& g : golden["images"]) {
    if (g["name"] != image) continue;
    FaceEmbedding e{};
    for (size_t k = 0; k < e.size(); ++k) e[k] = g["faces"][i]["descriptor"][k].get<float>();
    return e;
  }
  ADD_FAILURE() << "no golden image " << image;
  return {};
}

json GoldenFaces(const std::string& image) {
  static const json golden = face::testing::Golden();
  for (const auto& g : golden["images"]) {
    if (g["name"] == image) return g["faces"];
  }
  return json::array();
}

// A w×h grey PNG written by hand (stored deflate blocks): an image without a face.
std::string GreyPng(int w, int h) {
  auto crc = [](const std::string& s) {
    uint32_t c = 0xFFFFFFFFu;
    for (unsigned char ch : s) {
      c ^= ch;
      for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return c ^ 0xFFFFFFFFu;
  };
  auto be32 = [](uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                       static_cast<char>(v)};
  };
  auto chunk = [&](const std::string& type, const std::string& data) {
    return be32(static_cast<uint32_t>(data.size())) + type + data + be32(crc(type + data));
  };
  std::string raw;
  for (int y = 0; y < h; ++y) raw += '\0' + std::string(static_cast<size_t>(w) * 3, '\x80');
  std::string z = "\x78\x01";
  for (size_t at = 0; at < raw.size(); at += 65535) {
    const size_t n = std::min<size_t>(65535, raw.size() - at);
    z += static_cast<char>(at + n == raw.size() ? 1 : 0);
    z += static_cast<char>(n & 0xFF);
    z += static_cast<char>(n >> 8);
    z += static_cast<char>(~n & 0xFF);
    z += static_cast<char>((~n >> 8) & 0xFF);
    z += raw.substr(at, n);
  }
  uint32_t a = 1, b = 0;
  for (unsigned char ch : raw) {
    a = (a + ch) % 65521;
    b = (b + a) % 65521;
  }
  z += be32((b << 16) | a);
  std::string ihdr = be32(static_cast<uint32_t>(w)) + be32(static_cast<uint32_t>(h)) + std::string("\x08\x02\x00\x00\x00", 5);
  return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) + chunk("IDAT", z) + chunk("IEND", "");
}

const face::FaceEngine* TestEngine() {
  static const face::FaceEngine* engine = [] {
    auto e = face::FaceEngine::Load(face::testing::ModelDir());
    return e.ok() ? new face::FaceEngine(std::move(*e)) : nullptr;
  }();
  return engine;
}

class PhotosTest : public testing::RescueTest {
 protected:
  void SetUp() override {
    ASSERT_NE(TestEngine(), nullptr) << "face models missing: run scripts/fetch-face-models";
    RescueTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto clock = Clock();
    reports_ = std::make_unique<MissingReportService>(*db_, *audit_, *crypto_, Divisions::Default(), clock);
    photos_ = std::make_unique<PhotoService>(*db_, *audit_, false, TestEngine, clock);
    photos_->SetRematch([this](const Actor& a, const std::string& type, int64_t id) {
      return reports_->AfterPhotoChange(a, type, id);
    });
    reader_.permissions.insert({"tracing.read"});
  }

  Case Unknown(int age = 45) {
    NewIntake in;
    in.how_came = "patrol";
    in.patrol_ref = "XC-1";
    in.sex = 2;
    in.estimated_age = age;
    in.height_cm = 160;
    in.features = "短发，左脸有痣";
    in.dialect = "西南官话";
    in.found_place = "沙市区北京路";
    in.found_date = "2025-01-20";
    auto k = svc_->Intake(shashi_, std::move(in));
    EXPECT_TRUE(k.ok()) << k.status().ToString();
    return k.ok() ? *k : Case{};
  }

  ReportFields Report(const std::string& name) {
    ReportFields f;
    f.reporter_name = "王秀英";
    f.reporter_phone = "13912345678";
    f.reporter_relation = "母亲";
    f.name = name;
    f.sex = 2;
    f.age_at_lost = 44;
    f.lost_date = "2024-12-10";
    f.lost_division = "421002";
    f.height_cm = 161;
    f.features = "短发";
    f.dialect = "西南官话";
    return f;
  }

  Result<Photo> Upload(const platform::Principal& who, const std::string& type, int64_t id, std::string bytes,
                       const std::string& name = "p.jpg", const std::string& content_type = "") {
    PhotoUpload u;
    u.file_name = name;
    u.content_type = content_type;
    u.bytes = std::move(bytes);
    return photos_->Add(who, type, id, u);
  }

  int64_t CountAudit(const std::string& action) {
    int64_t n = -1;
    EXPECT_TRUE(db_->Read([&](db::Conn& c) -> Status {
                     DOUDI_ASSIGN_OR_RETURN(auto rows,
                                            c.Query("SELECT COUNT(*) FROM audit_log WHERE action = $1", {action}));
                     n = rows[0].Int(0);
                     return Status::Ok();
                   }).ok());
    return n;
  }

  Case Reload(int64_t id) {
    auto k = svc_->GetCase(shashi_, id);
    EXPECT_TRUE(k.ok());
    return k.ok() ? *k : Case{};
  }

  platform::Principal reader_ = MakePrincipal(14, platform::ScopeKind::kDivision, "421002");
  std::unique_ptr<MissingReportService> reports_;
  std::unique_ptr<PhotoService> photos_;
};

TEST_P(PhotosTest, OneFaceIsStoredWithTheJavaScriptDescriptorAndBecomesTheCaseAndNoticePhoto) {
  Case k = Unknown();
  auto p = Upload(shashi_, "case", k.id, ReadSample("sample2.jpg"), "intake.jpg", "image/jpeg");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->content_type, "image/jpeg");
  EXPECT_EQ(p->width, 1920);
  EXPECT_EQ(p->height, 1367);
  EXPECT_EQ(p->face_status, "one");
  ASSERT_EQ(p->faces.size(), 1u);
  ASSERT_EQ(p->selected_face, 0);
  const auto golden = GoldenFaces("sample2.jpg");
  EXPECT_NEAR(p->faces[0].x, golden[0]["box"]["x"].get<double>(), 0.01);
  EXPECT_NEAR(p->faces[0].width, golden[0]["box"]["width"].get<double>(), 0.01);
  const FaceEmbedding want = GoldenDescriptor("sample2.jpg", 0);
  auto stored = CaseFaceEmbeddings(*db_, {k.id});
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ((*stored)[k.id].size(), 1u);
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR((*stored)[k.id][0][i], want[i], 1e-4) << i;

  // The case's and the draft notice's photo key now name the stored photo.
  EXPECT_EQ(Reload(k.id).photo, "photo:" + std::to_string(p->id));
  auto notices = svc_->ListNotices(shashi_, "");
  ASSERT_TRUE(notices.ok() && notices->size() == 1);
  EXPECT_EQ((*notices)[0].photo, "photo:" + std::to_string(p->id));

  auto j = PhotoService::ToJson(*p);
  EXPECT_FALSE(j.contains("descriptors")) << "descriptors never leave the server";
  EXPECT_EQ(j.dump().find(std::to_string(want[0]).substr(0, 6)), std::string::npos);
  EXPECT_NE(j["face_message"].get<std::string>().find("1 张人脸"), std::string::npos);

  auto bytes = photos_->Get(shashi_, p->id);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(bytes->second, ReadSample("sample2.jpg"));
  EXPECT_EQ(CountAudit("rescue.photo.upload"), 1);
  EXPECT_EQ(CountAudit("rescue.photo.view"), 1);
}

TEST_P(PhotosTest, SeveralFacesAreKeptLargestFirstAndTheCaseworkerPicksThePerson) {
  Case k = Unknown();
  auto p = Upload(shashi_, "case", k.id, ReadSample("sample1.jpg"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->face_status, "several");
  ASSERT_EQ(p->faces.size(), 3u);
  // golden.json (JavaScript, detector order): 313×256, 307×283, 305×251 → by area the second one first.
  const auto golden = GoldenFaces("sample1.jpg");
  EXPECT_NEAR(p->faces[0].width, golden[1]["box"]["width"].get<double>(), 0.01);
  EXPECT_NEAR(p->faces[1].width, golden[0]["box"]["width"].get<double>(), 0.01);
  EXPECT_NEAR(p->faces[2].width, golden[2]["box"]["width"].get<double>(), 0.01);
  EXPECT_EQ(p->selected_face, 0);
  EXPECT_NE(PhotoService::ToJson(*p)["face_message"].get<std::string>().find("最大"), std::string::npos);

  EXPECT_EQ(photos_->SelectFace(shashi_, p->id, p->version, 3).status().error_code(), "rescue.photo.face");
  EXPECT_EQ(photos_->SelectFace(shashi_, p->id, p->version + 5, 1).status().error_code(), "rescue.photo.version");
  auto picked = photos_->SelectFace(shashi_, p->id, p->version, 1);
  ASSERT_TRUE(picked.ok()) << picked.status().ToString();
  EXPECT_EQ(picked->selected_face, 1);
  auto stored = CaseFaceEmbeddings(*db_, {k.id});
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ((*stored)[k.id].size(), 1u);
  const FaceEmbedding want = GoldenDescriptor("sample1.jpg", 0);
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR((*stored)[k.id][0][i], want[i], 1e-4) << i;
  EXPECT_EQ(CountAudit("rescue.photo.select_face"), 1);
}

TEST_P(PhotosTest, APhotoWithoutAFaceIsKeptWithoutADescriptor) {
  Case k = Unknown();
  auto p = Upload(shashi_, "case", k.id, GreyPng(320, 240), "wall.png");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->content_type, "image/png");
  EXPECT_EQ(p->width, 320);
  EXPECT_EQ(p->face_status, "none");
  EXPECT_TRUE(p->faces.empty());
  EXPECT_FALSE(p->selected_face);
  EXPECT_NE(PhotoService::ToJson(*p)["face_message"].get<std::string>().find("未检测到人脸"), std::string::npos);
  auto stored = CaseFaceEmbeddings(*db_, {k.id});
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->empty());
  EXPECT_EQ(Reload(k.id).photo, "photo:" + std::to_string(p->id)) << "still the person's photo";

  // WebP passes the type check but the engine cannot read it: kept, and said so.
  std::string webp = std::string("RIFF\x10\x00\x00\x00WEBPVP8 ", 16) + std::string(40, '\0');
  auto w = Upload(shashi_, "case", k.id, webp, "a.webp");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->face_status, "unsupported");

  // Without the models the photo is still kept.
  PhotoService no_models(*db_, *audit_, false, [] { return static_cast<const face::FaceEngine*>(nullptr); });
  PhotoUpload u;
  u.bytes = ReadSample("sample2.jpg");
  auto n = no_models.Add(shashi_, "case", k.id, u);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->face_status, "unavailable");
}

TEST_P(PhotosTest, BadFilesAreRefusedWithTheirField) {
  Case k = Unknown();
  auto code = [&](std::string bytes, const std::string& type = "", const std::string& name = "p.jpg") {
    return Upload(shashi_, "case", k.id, std::move(bytes), name, type).status().error_code();
  };
  EXPECT_EQ(code(""), "rescue.photo.empty");
  EXPECT_EQ(code("GIF89a not accepted"), "rescue.photo.type");
  EXPECT_EQ(code("%PDF-1.4 a document"), "rescue.photo.type");
  EXPECT_EQ(code(ReadSample("sample2.jpg"), "image/png"), "rescue.photo.type_mismatch");
  EXPECT_EQ(code(ReadSample("sample2.jpg"), "", "../etc/passwd"), "rescue.photo.file_name");
  std::string big = ReadSample("sample2.jpg");
  big.resize(kMaxPhotoBytes + 1, '\0');
  auto too_big = Upload(shashi_, "case", k.id, big);
  EXPECT_EQ(too_big.status().code(), Code::kTooLarge);
  EXPECT_EQ(too_big.status().error_code(), "rescue.photo.too_large");
  // JPEG by its magic bytes, but nothing decodable after them.
  EXPECT_EQ(code(std::string("\xFF\xD8\xFF\xE0", 4) + std::string(200, 'x')), "rescue.photo.corrupt");
  EXPECT_EQ(CountAudit("rescue.photo.upload"), 0);
  auto list = photos_->List(shashi_, "case", k.id);
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
}

TEST_P(PhotosTest, OtherStationsSeeNothingAndReportPhotosNeedTracingPermissions) {
  Case k = Unknown();
  auto p = Upload(shashi_, "case", k.id, ReadSample("sample2.jpg"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(Upload(jingzhou_, "case", k.id, ReadSample("sample2.jpg")).status().error_code(), "rescue.case.not_found");
  EXPECT_EQ(photos_->List(jingzhou_, "case", k.id).status().error_code(), "rescue.case.not_found");
  EXPECT_EQ(photos_->Get(jingzhou_, p->id).status().error_code(), "rescue.photo.not_found");
  EXPECT_EQ(photos_->Withdraw(jingzhou_, p->id, p->version, "不是本人").status().error_code(), "rescue.photo.not_found");
  // A tracing-only reader may not see a case's photo.
  EXPECT_EQ(photos_->Get(reader_, p->id).status().code(), Code::kForbidden);

  auto r = reports_->Create(shashi_, Report("李红"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto rp = Upload(shashi_, "report", r->id, ReadSample("sample2.jpg"));
  ASSERT_TRUE(rp.ok()) << rp.status().ToString();
  EXPECT_TRUE(photos_->Get(reader_, rp->id).ok()) << "tracing.read reads report photos";
  EXPECT_EQ(Upload(reader_, "report", r->id, ReadSample("sample2.jpg")).status().code(), Code::kForbidden);
  EXPECT_EQ(Upload(jingzhou_, "report", r->id, ReadSample("sample2.jpg")).status().error_code(),
            "rescue.report.not_found");
  auto report = reports_->Get(shashi_, r->id);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->photos, std::vector<std::string>{"photo:" + std::to_string(rp->id)});
}

TEST_P(PhotosTest, WithdrawnPhotosLeaveMatchingAndTheirKeysMoveToTheNextPhoto) {
  Case k = Unknown();
  auto first = Upload(shashi_, "case", k.id, ReadSample("sample2.jpg"));
  auto second = Upload(shashi_, "case", k.id, ReadSample("sample1.jpg"));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(Reload(k.id).photo, first->Key());
  EXPECT_EQ(photos_->Withdraw(shashi_, first->id, first->version, " ").status().error_code(), "rescue.photo.reason");
  auto w = photos_->Withdraw(shashi_, first->id, first->version, "不是本人，拍错了");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->status, "withdrawn");
  EXPECT_EQ(w->withdrawn_reason, "不是本人，拍错了");
  EXPECT_EQ(photos_->Withdraw(shashi_, first->id, w->version, "再次撤回").status().error_code(),
            "rescue.photo.withdrawn");
  EXPECT_EQ(Reload(k.id).photo, second->Key());
  auto stored = CaseFaceEmbeddings(*db_, {k.id});
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ((*stored)[k.id].size(), 1u) << "only the active photo's face";
  // Nothing is deleted: the withdrawn photo is listed and its bytes can still be read by the station.
  auto list = photos_->List(shashi_, "case", k.id);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].status, "withdrawn");
  EXPECT_TRUE(photos_->Get(shashi_, first->id).ok());
  auto w2 = photos_->Withdraw(shashi_, second->id, second->version, "照片模糊");
  ASSERT_TRUE(w2.ok());
  EXPECT_EQ(Reload(k.id).photo, "");
  EXPECT_EQ(CountAudit("rescue.photo.withdraw"), 2);
}

TEST_P(PhotosTest, ThePublicPhotoOnlyForAPublishedNoticeAndAMinorsOnlyUnderThePolicy) {
  Case adult = Unknown(45);
  Case child = Unknown(12);
  auto pa = Upload(shashi_, "case", adult.id, ReadSample("sample2.jpg"));
  auto pc = Upload(shashi_, "case", child.id, ReadSample("sample2.jpg"));
  ASSERT_TRUE(pa.ok() && pc.ok());
  auto notices = svc_->ListNotices(shashi_, "");
  ASSERT_TRUE(notices.ok() && notices->size() == 2);
  Notice na = (*notices)[0].case_id == adult.id ? (*notices)[0] : (*notices)[1];
  Notice nc = (*notices)[0].case_id == child.id ? (*notices)[0] : (*notices)[1];
  EXPECT_FALSE(svc_->PublicNotice(na.id).ok()) << "a draft is not public";
  ASSERT_TRUE(svc_->PublishNotice(shashi_, na.id).ok());
  ASSERT_TRUE(svc_->PublishNotice(shashi_, nc.id).ok());
  auto pub_a = svc_->PublicNotice(na.id);
  auto pub_c = svc_->PublicNotice(nc.id);
  ASSERT_TRUE(pub_a.ok() && pub_c.ok());
  auto bytes = photos_->PublicNoticePhoto(*pub_a);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(bytes->second, ReadSample("sample2.jpg"));
  EXPECT_EQ(svc_->PublicNoticeJson(*pub_a)["photo_url"], "/api/v1/public/notices/" + std::to_string(na.id) + "/photo");
  EXPECT_TRUE(pub_c->minor);
  EXPECT_EQ(photos_->PublicNoticePhoto(*pub_c).status().code(), Code::kNotFound);
  EXPECT_TRUE(svc_->PublicNoticeJson(*pub_c)["photo_url"].is_null());
  PhotoService allowed(*db_, *audit_, true, TestEngine);
  EXPECT_TRUE(allowed.PublicNoticePhoto(*pub_c).ok());
  // A withdrawn photo is gone from the page.
  ASSERT_TRUE(photos_->Withdraw(shashi_, pa->id, pa->version, "家属要求撤下").ok());
  auto again = svc_->PublicNotice(na.id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(photos_->PublicNoticePhoto(*again).status().code(), Code::kNotFound);
}

// Four uploads to one case at once (PostgreSQL runs them concurrently): all are stored, the case's key names one
// of them, and nobody gets a version conflict.
TEST_P(PhotosTest, ConcurrentUploadsToOneCaseAllSucceed) {
  Case k = Unknown();
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  std::vector<std::string> errors(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      auto p = Upload(shashi_, "case", k.id, GreyPng(64 + i, 48), "p" + std::to_string(i) + ".png");
      if (p.ok()) ++ok;
      else errors[i] = p.status().ToString();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 4) << errors[0] << errors[1] << errors[2] << errors[3];
  auto list = photos_->List(shashi_, "case", k.id);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 4u);
  EXPECT_EQ(Reload(k.id).photo, (*list)[0].Key()) << "the first stored photo is the case's";
}

// Two reports alike in every attribute: by attributes alone they tie, and the tie goes to the lower id (the
// wrong one here). The case's photo is sample1.jpg (its largest face); the right report has that photograph
// too, the wrong one sample2.jpg (another woman). The face moves the right report to the top.
TEST_P(PhotosTest, FaceEvidenceMovesTheRightReportUp) {
  Case k = Unknown();
  auto wrong = reports_->Create(shashi_, Report("张丽"));
  auto right = reports_->Create(shashi_, Report("张丽"));
  ASSERT_TRUE(wrong.ok() && right.ok());
  auto before = svc_->Candidates(shashi_, k.id);
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(before->size(), 2u);
  EXPECT_EQ((*before)[0].candidate_ref, "missing_report:" + std::to_string(wrong->id)) << "a tie by attributes";
  EXPECT_DOUBLE_EQ((*before)[0].score, (*before)[1].score);

  ASSERT_TRUE(Upload(shashi_, "report", wrong->id, ReadSample("sample2.jpg")).ok());
  ASSERT_TRUE(Upload(shashi_, "report", right->id, ReadSample("sample2.jpg")).ok());
  ASSERT_TRUE(Upload(shashi_, "report", right->id, ReadSample("sample1.jpg")).ok());
  // No face of the person yet: no face evidence.
  auto still = svc_->Candidates(shashi_, k.id);
  ASSERT_TRUE(still.ok() && still->size() == 2u);
  EXPECT_FALSE(json::parse((*still)[0].explanation).contains("face"));

  ASSERT_TRUE(Upload(shashi_, "case", k.id, ReadSample("sample1.jpg")).ok());  // re-matches
  auto after = svc_->Candidates(shashi_, k.id);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 2u);
  EXPECT_EQ((*after)[0].candidate_ref, "missing_report:" + std::to_string(right->id));
  auto top = json::parse((*after)[0].explanation);
  auto low = json::parse((*after)[1].explanation);
  // Cosines worked out here from the JavaScript descriptors: the person's face is sample1's largest (golden
  // face 1); the right report's best pair is that very face, the wrong report's is sample2's only face.
  auto cosine = [](const FaceEmbedding& a, const FaceEmbedding& b) {
    double d = 0, na = 0, nb = 0;
    for (size_t i = 0; i < a.size(); ++i) d += a[i] * b[i], na += a[i] * a[i], nb += b[i] * b[i];
    return d / std::sqrt(na) / std::sqrt(nb);
  };
  const double other = cosine(GoldenDescriptor("sample1.jpg", 1), GoldenDescriptor("sample2.jpg", 0));
  EXPECT_NEAR(other, 0.8776, 5e-4) << "the pair's cosine as computed by hand from golden.json";
  EXPECT_NEAR(top["face"]["similarity"].get<double>(), 1.0, 1e-5);
  EXPECT_NEAR(low["face"]["similarity"].get<double>(), other, 1e-4);
  EXPECT_EQ(top["face"]["photos_compared"]["report"], 2);
  EXPECT_EQ(top["face"]["photos_compared"]["pairs"], 2);
  // Weights: 25 bits per unit of cosine above 0.914, capped at ±4.
  EXPECT_NEAR(top["face"]["weight"].get<double>(), 25 * (1.0 - 0.914), 1e-3);
  EXPECT_NEAR(low["face"]["weight"].get<double>(), 25 * (other - 0.914), 1e-2);
  EXPECT_NEAR((*after)[0].score - (*after)[1].score, 25 * (1.0 - other), 1e-2);
  bool says_ranks_only = false;
  for (const auto& r : top["reasons"]) says_ranks_only |= r.get<std::string>().find("不能单独认定身份") != std::string::npos;
  EXPECT_TRUE(says_ranks_only) << top.dump();
  EXPECT_EQ((*after)[0].source, "attribute") << "a face of +2 bits does not outweigh the attributes";

  // Picking another face of the person (not on the right report's photos) re-matches: the lead shrinks.
  auto list = photos_->List(shashi_, "case", k.id);
  ASSERT_TRUE(list.ok() && list->size() == 1u);
  ASSERT_TRUE(photos_->SelectFace(shashi_, (*list)[0].id, (*list)[0].version, 1).ok());
  auto picked = svc_->Candidates(shashi_, k.id);
  ASSERT_TRUE(picked.ok() && picked->size() == 2u);
  for (const auto& c : *picked) {
    auto e = json::parse(c.explanation);
    EXPECT_LT(e["face"]["similarity"].get<double>(), 0.9999) << "golden face 0 is on no report's photo as is";
  }
}

INSTANTIATE_TEST_SUITE_P(Db, PhotosTest, ::testing::ValuesIn(db::TestDialects()),
                         [](const auto& info) { return db::DialectName(info.param); });

}  // namespace
}  // namespace doudi::rescue
