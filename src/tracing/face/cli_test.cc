#include "tracing/face/cli.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tracing/cli_test_dir.h"
#include "tracing/face/golden_test_util.h"

namespace doudi::face {
namespace {

namespace fs = std::filesystem;

class FaceCli : public doudi::testing::CliTestDir {
 protected:
  static std::string Sample(int i) { return testing::SampleDir() + "/sample" + std::to_string(i) + ".jpg"; }
  static nlohmann::json ReadJson(const fs::path& p) { return nlohmann::json::parse(ReadAll(p)); }
};

TEST_F(FaceCli, EmbedWritesFacesAndNamesTheBadFiles) {
  std::ofstream(dir_ / "notes.txt") << "这不是图片";
  FaceCliOptions o;
  o.images = {Sample(2), (dir_ / "notes.txt").string()};
  o.out_path = (dir_ / "out.json").string();
  EXPECT_EQ(RunFaceEmbed(o), 2);  // done, but one file rejected
  const auto out = ReadJson(dir_ / "out.json");
  ASSERT_EQ(out.size(), 2u);
  const auto golden = testing::Golden();
  const auto& want = golden["images"][1];  // sample2.jpg: one face
  ASSERT_EQ(out[0]["faces"].size(), 1u);
  EXPECT_EQ(out[0]["message"], "检测到 1 张人脸");
  EXPECT_EQ(out[0]["faces"][0]["landmarks"].size(), 68u);
  ASSERT_EQ(out[0]["faces"][0]["descriptor"].size(), 128u);
  for (int k = 0; k < 128; ++k) {
    EXPECT_NEAR(out[0]["faces"][0]["descriptor"][k].get<double>(), want["faces"][0]["descriptor"][k].get<double>(), 1e-4);
  }
  EXPECT_NEAR(out[0]["faces"][0]["box"]["x"].get<double>(), want["faces"][0]["box"]["x"].get<double>(), 1e-2);
  EXPECT_EQ(out[1]["error"]["code"], "image_not_supported");
}

TEST_F(FaceCli, EmbedListsEveryFaceOfAGroupPhoto) {
  FaceCliOptions o;
  o.images = {Sample(5)};
  o.out_path = (dir_ / "out.json").string();
  EXPECT_EQ(RunFaceEmbed(o), 0);
  const auto out = ReadJson(dir_ / "out.json");
  EXPECT_EQ(out[0]["faces"].size(), 5u);
  EXPECT_NE(out[0]["message"].get<std::string>().find("检测到 5 张人脸"), std::string::npos);
}

TEST_F(FaceCli, IndexThenSearchRanksTheSamePhotographFirst) {
  FaceCliOptions o;
  o.index_dir = (dir_ / "index").string();
  o.images = {Sample(1), Sample(2)};  // 3 + 1 faces
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(RunFaceIndex(o), 0);
  ::testing::internal::GetCapturedStdout();

  FaceCliOptions s;
  s.index_dir = o.index_dir;
  s.image = Sample(2);
  s.top = 3;
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(RunFaceSearch(s), 0);
  const auto out = nlohmann::json::parse(::testing::internal::GetCapturedStdout());
  EXPECT_EQ(out["index_size"], 4);
  EXPECT_NE(out["notice"].get<std::string>().find("不能单独认定身份"), std::string::npos);
  ASSERT_EQ(out["faces"].size(), 1u);
  const auto& c = out["faces"][0]["candidates"];
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0]["image"], Sample(2));
  EXPECT_EQ(c[0]["id"], 3);
  EXPECT_NEAR(c[0]["similarity"].get<double>(), 1.0, 1e-3);
  EXPECT_LT(c[1]["similarity"].get<double>(), c[0]["similarity"].get<double>());
}

TEST_F(FaceCli, DecodeWritesThePixelsAsPpm) {
  FaceCliOptions o;
  o.images = {Sample(2)};
  o.out_path = (dir_ / "s.ppm").string();
  EXPECT_EQ(RunFaceDecode(o), 0);
  std::ifstream in(o.out_path, std::ios::binary);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, "P6");
  std::getline(in, header);
  EXPECT_EQ(header, "1920 1367");  // sample2.jpg, as golden.json records it
  EXPECT_EQ(fs::file_size(o.out_path), std::string("P6\n1920 1367\n255\n").size() + 1920u * 1367 * 3);
  o.images = {(dir_ / "missing.jpg").string()};
  EXPECT_EQ(RunFaceDecode(o), 1);
}

TEST_F(FaceCli, SearchWithoutAFaceSaysSo) {
  FaceCliOptions o;
  o.index_dir = (dir_ / "index").string();
  fs::create_directories(o.index_dir);
  std::ofstream(dir_ / "notes.txt") << "不是图片";
  o.image = (dir_ / "notes.txt").string();
  EXPECT_EQ(RunFaceSearch(o), 1);
}

}  // namespace
}  // namespace doudi::face
