// The face recognition network: face-api's port of dlib's ResNet-29 (dlib_face_recognition_resnet_model_v1).
// Input a 150×150 RGB chip (0–255); output 128 numbers whose Euclidean distance below about 0.6 suggests the same
// person (dlib's threshold). The descriptor is returned as the network gives it, not normalised.
#pragma once

#include <array>
#include <string>

#include "common/status.h"
#include "tracing/face/tensor.h"
#include "tracing/face/weights.h"

namespace doudi::face {

using Descriptor = std::array<float, 128>;

class RecognitionNet {
 public:
  static Result<RecognitionNet> Load(const std::string& model_dir);
  RecognitionNet(RecognitionNet&&) = default;
  RecognitionNet& operator=(RecognitionNet&&) = default;
  RecognitionNet(const RecognitionNet&) = delete;  // the layers point into weights_

  // chip: any size; padded to a square (centred) and resized to 150×150 bilinearly, as toBatchTensor does.
  Descriptor Compute(const Tensor& chip) const;

 private:
  RecognitionNet() = default;
  struct Conv {
    const WeightTensor *filters, *bias, *scale, *shift;
    int k, cout;
  };
  struct Residual {
    Conv conv1, conv2;
  };
  Tensor ConvLayer(const Tensor& x, const Conv& c, int stride, bool relu, Padding padding) const;
  Tensor ResidualBlock(const Tensor& x, const Residual& r) const;
  Tensor ResidualDown(const Tensor& x, const Residual& r) const;

  WeightMap weights_;
  Conv conv32_down_;
  Residual conv32_[3], conv64_down_, conv64_[3], conv128_down_, conv128_[2], conv256_down_, conv256_[2],
      conv256_down_out_;
  const WeightTensor* fc_ = nullptr;
};

}  // namespace doudi::face
