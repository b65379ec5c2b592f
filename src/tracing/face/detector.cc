#include "tracing/face/detector.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace doudi::face {

namespace {

constexpr double kAnchors[5][2] = {
    {1.603231, 2.094468}, {6.041143, 7.080126}, {2.882459, 3.518061}, {4.266906, 5.178857}, {9.041765, 10.66308}};
constexpr double kIouThreshold = 0.4;

double Sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

}  // namespace

double IoU(const Box& a, const Box& b) {
  const double w = std::max(0.0, std::min(a.right(), b.right()) - std::max(a.x, b.x));
  const double h = std::max(0.0, std::min(a.bottom(), b.bottom()) - std::max(a.y, b.y));
  const double inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

Result<FaceDetector> FaceDetector::Load(const std::string& model_dir) {
  FaceDetector d;
  DOUDI_ASSIGN_OR_RETURN(d.weights_, WeightMap::Load(model_dir, "tiny_face_detector_model"));
  const WeightMap& w = d.weights_;
  DOUDI_ASSIGN_OR_RETURN(d.conv0_filters_, w.Get("conv0/filters", {3, 3, 3, 16}));
  DOUDI_ASSIGN_OR_RETURN(d.conv0_bias_, w.Get("conv0/bias", {16}));
  const int sizes[] = {16, 32, 64, 128, 256, 512};
  for (int i = 0; i < 5; ++i) {
    const std::string p = "conv" + std::to_string(i + 1);
    Separable& s = d.conv_[i];
    s.cout = sizes[i + 1];
    DOUDI_ASSIGN_OR_RETURN(s.depthwise, w.Get(p + "/depthwise_filter", {3, 3, sizes[i], 1}));
    DOUDI_ASSIGN_OR_RETURN(s.pointwise, w.Get(p + "/pointwise_filter", {1, 1, sizes[i], sizes[i + 1]}));
    DOUDI_ASSIGN_OR_RETURN(s.bias, w.Get(p + "/bias", {sizes[i + 1]}));
  }
  DOUDI_ASSIGN_OR_RETURN(d.conv8_filters_, w.Get("conv8/filters", {1, 1, 512, 25}));
  DOUDI_ASSIGN_OR_RETURN(d.conv8_bias_, w.Get("conv8/bias", {25}));
  return d;
}

std::vector<Detection> FaceDetector::Detect(const Tensor& image, const DetectorOptions& options) const {
  const int size = options.input_size;
  Tensor x = PadToSquare(image, false);
  if (x.h != size || x.w != size) x = ResizeBilinear(x, size, size);
  return Run(std::move(x), image.h, image.w, options);
}

std::vector<Detection> FaceDetector::Detect(const RgbImage& image, const DetectorOptions& options) const {
  // toBatchTensor(size, false): zero padding right and below to a square, then the bilinear resize.
  const int side = std::max(image.width, image.height), w = image.width, h = image.height;
  const uint8_t* rgb = image.rgb.data();
  Tensor x = ResizeBilinearFrom(side, side, 3, options.input_size, options.input_size, [&](int y, int xx, int ch) {
    return y < h && xx < w ? static_cast<float>(rgb[(static_cast<size_t>(y) * w + xx) * 3 + ch]) : 0.f;
  });
  return Run(std::move(x), h, w, options);
}

std::vector<Detection> FaceDetector::Run(Tensor x, int image_h, int image_w, const DetectorOptions& options) const {
  const int size = options.input_size;
  static constexpr float kMean[3] = {117.001f, 114.697f, 97.404f};
  NormaliseRgb(x, kMean);

  Tensor out = Conv2D(x, conv0_filters_->values.data(), 3, 3, 16, 1, Padding::kValid);
  AddBias(out, conv0_bias_->values.data());
  Leaky(out);
  for (int i = 0; i < 5; ++i) {
    out = MaxPool(out, 2, 2, Padding::kSame);
    const Separable& s = conv_[i];
    Tensor padded = ZeroPad(out, 1, 1, 1, 1);
    out = SeparableConv2D(padded, s.depthwise->values.data(), s.pointwise->values.data(), s.cout, 1, Padding::kValid);
    AddBias(out, s.bias->values.data());
    Leaky(out);
  }
  // runMobilenet pools before conv1..conv5 and once more (2×2, stride 1) after conv5.
  out = MaxPool(out, 2, 1, Padding::kSame);
  out = Conv2D(out, conv8_filters_->values.data(), 1, 1, 25, 1, Padding::kValid);
  AddBias(out, conv8_bias_->values.data());

  // The part of the input square the image occupies (padding went right and below).
  const double scale = static_cast<double>(size) / std::max(image_h, image_w);
  const double blob_w = std::round(image_w * scale), blob_h = std::round(image_h * scale);
  const double blob = std::max(blob_w, blob_h);
  const double corr_x = blob / blob_w, corr_y = blob / blob_h;
  const int cells = out.h;
  std::vector<Detection> found;
  for (int row = 0; row < cells; ++row) {
    for (int col = 0; col < cells; ++col) {
      for (int a = 0; a < 5; ++a) {
        const double score = Sigmoid(out.at(row, col, a * 5 + 4));
        if (!(score > options.score_threshold)) continue;
        const double ctx = ((col + Sigmoid(out.at(row, col, a * 5 + 0))) / cells) * corr_x;
        const double cty = ((row + Sigmoid(out.at(row, col, a * 5 + 1))) / cells) * corr_y;
        const double w = ((std::exp(static_cast<double>(out.at(row, col, a * 5 + 2))) * kAnchors[a][0]) / cells) * corr_x;
        const double h = ((std::exp(static_cast<double>(out.at(row, col, a * 5 + 3))) * kAnchors[a][1]) / cells) * corr_y;
        const double bx = ctx - w / 2, by = cty - h / 2;
        Detection d;
        d.score = score;
        d.box = {bx, by, (bx + w) - bx, (by + h) - by};  // relative to the image, as BoundingBox keeps it
        found.push_back(d);
      }
    }
  }
  // Non-maximum suppression on boxes in input-square units, highest score first (stable for ties, as JS sort).
  std::vector<size_t> order(found.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t i, size_t j) { return found[i].score < found[j].score; });
  auto scaled = [&](const Box& b) { return Box{b.x * size, b.y * size, b.width * size, b.height * size}; };
  std::vector<Detection> picked;
  while (!order.empty()) {
    const size_t cur = order.back();
    order.pop_back();
    picked.push_back(found[cur]);
    std::vector<size_t> keep;
    for (size_t idx : order) {
      if (IoU(scaled(found[cur].box), scaled(found[idx].box)) <= kIouThreshold) keep.push_back(idx);
    }
    order = std::move(keep);
  }
  // To pixels: ObjectDetection rescales by the image size, FaceDetection goes back to relative and out again.
  const double iw = image_w, ih = image_h;
  for (Detection& d : picked) {
    Box abs{d.box.x * iw, d.box.y * ih, d.box.width * iw, d.box.height * ih};
    Box rel{abs.x * (1 / iw), abs.y * (1 / ih), abs.width * (1 / iw), abs.height * (1 / ih)};
    d.box = {rel.x * iw, rel.y * ih, rel.width * iw, rel.height * ih};
  }
  return picked;
}

}  // namespace doudi::face
