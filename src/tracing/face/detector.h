// The tiny face detector of face-api (a Tiny-YOLOv2 with depthwise-separable convolutions, 5 anchors, 13×13
// cells at input size 416): boxes in image pixels with a score, after non-maximum suppression at IoU 0.4.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "tracing/face/image.h"
#include "tracing/face/tensor.h"
#include "tracing/face/weights.h"

namespace doudi::face {

struct Box {
  double x = 0, y = 0, width = 0, height = 0;
  double right() const { return x + width; }
  double bottom() const { return y + height; }
};

struct Detection {
  double score = 0;
  Box box;  // in pixels of the image given
};

struct DetectorOptions {
  int input_size = 416;         // a multiple of 32
  double score_threshold = 0.5;
};

class FaceDetector {
 public:
  static Result<FaceDetector> Load(const std::string& model_dir);
  FaceDetector(FaceDetector&&) = default;
  FaceDetector& operator=(FaceDetector&&) = default;
  FaceDetector(const FaceDetector&) = delete;

  // image: h × w × 3, values 0–255. Best score first.
  std::vector<Detection> Detect(const Tensor& image, const DetectorOptions& options = {}) const;
  // The same on 8-bit pixels, resized straight to the input square (no padded full-size copy).
  std::vector<Detection> Detect(const RgbImage& image, const DetectorOptions& options = {}) const;

 private:
  FaceDetector() = default;
  // input: the size × size square, still 0–255; the image it came from is h × w.
  std::vector<Detection> Run(Tensor input, int h, int w, const DetectorOptions& options) const;
  struct Separable {
    const WeightTensor *depthwise, *pointwise, *bias;
    int cout;
  };
  WeightMap weights_;
  const WeightTensor *conv0_filters_ = nullptr, *conv0_bias_ = nullptr, *conv8_filters_ = nullptr,
                     *conv8_bias_ = nullptr;
  Separable conv_[5]{};
};

// Box overlap as face-api computes it (intersection over union).
double IoU(const Box& a, const Box& b);

}  // namespace doudi::face
