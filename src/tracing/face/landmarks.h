// The 68-point face landmark network of face-api (face_landmark_68_model: four dense blocks of separable
// convolutions on a 112×112 input, then a fully connected layer), the one face-api's withFaceLandmarks() uses by
// default with the tiny face detector. Points in iBUG 300-W order: jaw 0–16, brows 17–26, nose 27–35, eyes 36–47,
// mouth 48–67.
#pragma once

#include <array>
#include <string>

#include "common/status.h"
#include "tracing/face/tensor.h"
#include "tracing/face/weights.h"

namespace doudi::face {

struct Point {
  double x = 0, y = 0;
};
using Landmarks = std::array<Point, 68>;

class LandmarkNet {
 public:
  static Result<LandmarkNet> Load(const std::string& model_dir);
  LandmarkNet(LandmarkNet&&) = default;
  LandmarkNet& operator=(LandmarkNet&&) = default;
  LandmarkNet(const LandmarkNet&) = delete;

  // face: the cut-out face (any size, 0–255). Points in the cut-out's pixels.
  Landmarks Detect(const Tensor& face) const;

 private:
  LandmarkNet() = default;
  struct Separable {
    const WeightTensor *depthwise, *pointwise, *bias;
    int cout;
  };
  struct Dense4 {
    const WeightTensor *conv0_filters = nullptr, *conv0_bias = nullptr;  // dense0 only: a plain convolution
    Separable sep[4]{};  // sep[0] unused in dense0
  };
  Tensor Block(const Tensor& x, const Dense4& block, bool first) const;
  WeightMap weights_;
  Dense4 dense_[4];
  const WeightTensor *fc_weights_ = nullptr, *fc_bias_ = nullptr;
};

}  // namespace doudi::face
