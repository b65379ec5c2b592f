#include "tracing/face/recognition.h"

#include <cmath>

#include <gtest/gtest.h>

#include "tracing/face/golden_test_util.h"
#include "tracing/face/weights.h"

namespace doudi::face {
namespace {

// The same formulas as golden/make-golden.mjs.
float ChipValue(const std::string& name, int y, int x, int c) {
  if (name == "modular") return static_cast<float>(((y * 150 + x) * 3 + c) * 37 % 251);
  if (name == "quadratic") return static_cast<float>((x * x + 3 * y * y + 17 * c * x) % 256);
  return static_cast<float>((5 * x + 7 * y + 60 * c + ((x * y) % 13)) % 256);  // oblong
}

TEST(FaceWeights, DequantisesAsTfjs) {
  auto map = WeightMap::Load(testing::ModelDir(), "face_recognition_model");
  ASSERT_TRUE(map.ok()) << map.status().message();
  EXPECT_EQ(map->count(), 117u);
  // conv32_down/conv/filters: uint8 with scale 0.0005260649557207145 and min −0.07101876902229645, so every
  // value is min + q·scale for an integer q in 0..255.
  auto f = map->Get("conv32_down/conv/filters", {7, 7, 3, 32});
  ASSERT_TRUE(f.ok());
  for (float v : (*f)->values) {
    const double q = (v + 0.07101876902229645) / 0.0005260649557207145;
    ASSERT_NEAR(q, std::round(q), 1e-3);
    ASSERT_GE(std::round(q), 0);
    ASSERT_LE(std::round(q), 255);
  }
  EXPECT_FALSE(map->Get("conv32_down/conv/filters", {3, 3, 3, 32}).ok());
  EXPECT_FALSE(map->Get("no/such/tensor", {1}).ok());
  EXPECT_FALSE(WeightMap::Load("/nonexistent", "face_recognition_model").ok());
}

TEST(FaceRecognition, MatchesJavaScriptOnIdenticalChips) {
  auto net = RecognitionNet::Load(testing::ModelDir());
  ASSERT_TRUE(net.ok()) << net.status().message();
  const auto golden = testing::Golden();
  ASSERT_EQ(golden["recognition"].size(), 3u);
  for (const auto& g : golden["recognition"]) {
    const std::string name = g["name"];
    Tensor chip(g["height"], g["width"], 3);
    for (int y = 0; y < chip.h; ++y) {
      for (int x = 0; x < chip.w; ++x) {
        for (int c = 0; c < 3; ++c) chip.at(y, x, c) = ChipValue(name, y, x, c);
      }
    }
    const Descriptor d = net->Compute(chip);
    double max_diff = 0;
    for (int i = 0; i < 128; ++i) {
      const double want = g["descriptor"][i].get<double>();
      EXPECT_NEAR(d[i], want, 1e-4) << name << " [" << i << "]";
      max_diff = std::max(max_diff, std::abs(d[i] - want));
    }
    RecordProperty(name + "_max_diff", std::to_string(max_diff));
    std::printf("%s: max |C++ − JS| = %.3g\n", name.c_str(), max_diff);
  }
}

}  // namespace
}  // namespace doudi::face
