#include "tracing/face/pipeline.h"

#include <cmath>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "tracing/face/golden_test_util.h"

namespace doudi::face {
namespace {

class FacePipeline : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto e = FaceEngine::Load(testing::ModelDir());
    ASSERT_TRUE(e.ok()) << e.status().message();
    engine_ = new FaceEngine(std::move(*e));
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
  static FaceEngine* engine_;
};
FaceEngine* FacePipeline::engine_ = nullptr;

// The package's demo photographs (taken by its author, shipped in the MIT package, not copied into this
// repository) through the whole pipeline, against golden.json from the package's own JavaScript on the same pixels.
TEST_F(FacePipeline, MatchesJavaScriptOnTheDemoPhotographs) {
  const auto golden = testing::Golden();
  ASSERT_EQ(golden["images"].size(), 6u);
  size_t faces_checked = 0;
  double worst_descriptor = 0, worst_landmark = 0;
  for (const auto& g : golden["images"]) {
    const std::string name = g["name"];
    auto image = ReadImageFile(testing::SampleDir() + "/" + name);
    ASSERT_TRUE(image.ok()) << image.status().message();
    ASSERT_EQ(fmt::format("{:016x}", PixelChecksum(*image)), g["fnv64"].get<std::string>())
        << name << ": libjpeg decoded other pixels than those the golden vectors were made from; "
        << "regenerate them (src/tracing/face/golden/make-golden.mjs)";
    const auto faces = engine_->Analyse(*image);
    ASSERT_EQ(faces.size(), g["faces"].size()) << name;
    for (size_t i = 0; i < faces.size(); ++i) {
      const auto& want = g["faces"][i];
      const FaceResult& got = faces[i];
      const std::string where = fmt::format("{} face {}", name, i);
      EXPECT_NEAR(got.score, want["score"].get<double>(), 1e-5) << where;
      EXPECT_NEAR(got.box.x, want["box"]["x"].get<double>(), 1e-2) << where;
      EXPECT_NEAR(got.box.y, want["box"]["y"].get<double>(), 1e-2) << where;
      EXPECT_NEAR(got.box.width, want["box"]["width"].get<double>(), 1e-2) << where;
      EXPECT_NEAR(got.box.height, want["box"]["height"].get<double>(), 1e-2) << where;
      for (int p = 0; p < 68; ++p) {
        const double dx = std::abs(got.landmarks[p].x - want["landmarks"][p][0].get<double>());
        const double dy = std::abs(got.landmarks[p].y - want["landmarks"][p][1].get<double>());
        worst_landmark = std::max({worst_landmark, dx, dy});
        EXPECT_LT(std::max(dx, dy), 1e-2) << where << " landmark " << p;
      }
      // The aligned square is whole pixels: it must be the very same square.
      EXPECT_EQ(got.aligned_box.x, want["aligned_box"]["x"].get<double>()) << where;
      EXPECT_EQ(got.aligned_box.y, want["aligned_box"]["y"].get<double>()) << where;
      EXPECT_EQ(got.aligned_box.width, want["aligned_box"]["width"].get<double>()) << where;
      EXPECT_EQ(got.aligned_box.height, want["aligned_box"]["height"].get<double>()) << where;
      for (int k = 0; k < 128; ++k) {
        const double d = std::abs(got.descriptor[k] - want["descriptor"][k].get<double>());
        worst_descriptor = std::max(worst_descriptor, d);
        EXPECT_LT(d, 1e-4) << where << " descriptor " << k;
      }
      ++faces_checked;
    }
  }
  EXPECT_EQ(faces_checked, 20u);
  std::printf("20 faces: max |C++ − JS| descriptor %.3g, landmark %.3g px\n", worst_descriptor, worst_landmark);
}

TEST_F(FacePipeline, NoFaceInAPlainImage) {
  RgbImage grey;
  grey.width = 320;
  grey.height = 240;
  grey.rgb.assign(320 * 240 * 3, 128);
  EXPECT_TRUE(engine_->Analyse(grey).empty());
}

TEST(FaceAlignment, DlibSquareWorkedByHand) {
  Landmarks p{};
  // Left eye (36–41) centred at (100, 100), right eye (42–47) at (160, 100), mouth (48–67) at (130, 190).
  for (int i = 36; i < 42; ++i) p[i] = {100, 100};
  for (int i = 42; i < 48; ++i) p[i] = {160, 100};
  for (int i = 48; i < 68; ++i) p[i] = {130, 190};
  // Eye-to-mouth: √(30² + 90²) = 94.868 for both eyes; side ⌊94.868 / 0.45⌋ = ⌊210.82⌋ = 210.
  // Centre of the three: (130, 130); corner (130 − 105, 130 − 0.43·210) = (25, 39.7) → (25, 39).
  const Box b = AlignDlib(p, 400, 400);
  EXPECT_EQ(b.x, 25);
  EXPECT_EQ(b.y, 39);
  EXPECT_EQ(b.width, 210);
  EXPECT_EQ(b.height, 210);
}

TEST(FaceCutOut, ClipsAtTheBorderAndFloors) {
  Tensor image(10, 20, 3);
  for (size_t i = 0; i < image.v.size(); ++i) image.v[i] = static_cast<float>(i);
  // x −3.5 → 0, right 5.2 → width ⌊5.2⌋ = 5; y 7.9 → 7, bottom min(12, 10) → height ⌊10 − 7.9⌋ = 2.
  const Tensor t = CutOut(image, Box{-3.5, 7.9, 8.7, 4.1});
  EXPECT_EQ(t.w, 5);
  EXPECT_EQ(t.h, 2);
  EXPECT_EQ(t.at(0, 0, 0), image.at(7, 0, 0));
  EXPECT_EQ(t.at(1, 4, 2), image.at(8, 4, 2));
  EXPECT_EQ(CutOut(image, Box{30, 0, 5, 5}).h, 0);
}

}  // namespace
}  // namespace doudi::face
