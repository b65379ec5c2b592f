#include "tracing/face/recognition.h"

#include <memory>

namespace doudi::face {

Result<RecognitionNet> RecognitionNet::Load(const std::string& model_dir) {
  RecognitionNet net;
  DOUDI_ASSIGN_OR_RETURN(net.weights_, WeightMap::Load(model_dir, "face_recognition_model"));
  const WeightMap& w = net.weights_;
  auto conv = [&](const std::string& prefix, int k, int cin, int cout) -> Result<Conv> {
    Conv c{};
    c.k = k;
    c.cout = cout;
    DOUDI_ASSIGN_OR_RETURN(c.filters, w.Get(prefix + "/conv/filters", {k, k, cin, cout}));
    DOUDI_ASSIGN_OR_RETURN(c.bias, w.Get(prefix + "/conv/bias", {cout}));
    DOUDI_ASSIGN_OR_RETURN(c.scale, w.Get(prefix + "/scale/weights", {cout}));
    DOUDI_ASSIGN_OR_RETURN(c.shift, w.Get(prefix + "/scale/biases", {cout}));
    return c;
  };
  auto residual = [&](const std::string& prefix, int cin, int cout) -> Result<Residual> {
    Residual r{};
    DOUDI_ASSIGN_OR_RETURN(r.conv1, conv(prefix + "/conv1", 3, cin, cout));
    DOUDI_ASSIGN_OR_RETURN(r.conv2, conv(prefix + "/conv2", 3, cout, cout));
    return r;
  };
  DOUDI_ASSIGN_OR_RETURN(net.conv32_down_, conv("conv32_down", 7, 3, 32));
  for (int i = 0; i < 3; ++i) {
    DOUDI_ASSIGN_OR_RETURN(net.conv32_[i], residual("conv32_" + std::to_string(i + 1), 32, 32));
  }
  DOUDI_ASSIGN_OR_RETURN(net.conv64_down_, residual("conv64_down", 32, 64));
  for (int i = 0; i < 3; ++i) {
    DOUDI_ASSIGN_OR_RETURN(net.conv64_[i], residual("conv64_" + std::to_string(i + 1), 64, 64));
  }
  DOUDI_ASSIGN_OR_RETURN(net.conv128_down_, residual("conv128_down", 64, 128));
  for (int i = 0; i < 2; ++i) {
    DOUDI_ASSIGN_OR_RETURN(net.conv128_[i], residual("conv128_" + std::to_string(i + 1), 128, 128));
  }
  DOUDI_ASSIGN_OR_RETURN(net.conv256_down_, residual("conv256_down", 128, 256));
  for (int i = 0; i < 2; ++i) {
    DOUDI_ASSIGN_OR_RETURN(net.conv256_[i], residual("conv256_" + std::to_string(i + 1), 256, 256));
  }
  DOUDI_ASSIGN_OR_RETURN(net.conv256_down_out_, residual("conv256_down_out", 256, 256));
  DOUDI_ASSIGN_OR_RETURN(net.fc_, w.Get("fc", {256, 128}));
  return net;
}

Tensor RecognitionNet::ConvLayer(const Tensor& x, const Conv& c, int stride, bool relu, Padding padding) const {
  Tensor y = Conv2D(x, c.filters->values.data(), c.k, c.k, c.cout, stride, padding);
  AddBias(y, c.bias->values.data());
  ScaleShift(y, c.scale->values.data(), c.shift->values.data());
  if (relu) Relu(y);
  return y;
}

Tensor RecognitionNet::ResidualBlock(const Tensor& x, const Residual& r) const {
  Tensor out = ConvLayer(x, r.conv1, 1, true, Padding::kSame);
  out = ConvLayer(out, r.conv2, 1, false, Padding::kSame);
  AddInPlace(out, x);
  Relu(out);
  return out;
}

Tensor RecognitionNet::ResidualDown(const Tensor& x, const Residual& r) const {
  Tensor out = ConvLayer(x, r.conv1, 2, true, Padding::kValid);
  out = ConvLayer(out, r.conv2, 1, false, Padding::kSame);
  Tensor pooled = AvgPool(x, 2, 2, Padding::kValid);
  // dlib's shortcut: the pooled input, widened with zero channels; the branch padded by a zero row and column
  // when the strided convolution came out one smaller.
  if (pooled.h != out.h || pooled.w != out.w) out = ZeroPad(out, 0, pooled.h - out.h, 0, pooled.w - out.w);
  for (int y = 0; y < out.h; ++y) {
    for (int xx = 0; xx < out.w; ++xx) {
      for (int ch = 0; ch < pooled.c; ++ch) out.at(y, xx, ch) += pooled.at(y, xx, ch);
    }
  }
  Relu(out);
  return out;
}

Descriptor RecognitionNet::Compute(const Tensor& chip) const {
  Tensor x = PadToSquare(chip, true);
  if (x.h != 150 || x.w != 150) x = ResizeBilinear(x, 150, 150);
  static constexpr float kMean[3] = {122.782f, 117.001f, 104.298f};
  NormaliseRgb(x, kMean);
  Tensor out = ConvLayer(x, conv32_down_, 2, true, Padding::kValid);
  out = MaxPool(out, 3, 2, Padding::kValid);
  for (const auto& r : conv32_) out = ResidualBlock(out, r);
  out = ResidualDown(out, conv64_down_);
  for (const auto& r : conv64_) out = ResidualBlock(out, r);
  out = ResidualDown(out, conv128_down_);
  for (const auto& r : conv128_) out = ResidualBlock(out, r);
  out = ResidualDown(out, conv256_down_);
  for (const auto& r : conv256_) out = ResidualBlock(out, r);
  out = ResidualDown(out, conv256_down_out_);
  std::vector<float> avg(out.c, 0.f);
  for (int y = 0; y < out.h; ++y) {
    for (int xx = 0; xx < out.w; ++xx) {
      for (int ch = 0; ch < out.c; ++ch) avg[ch] += out.at(y, xx, ch);
    }
  }
  for (float& a : avg) a /= static_cast<float>(out.h * out.w);
  std::vector<float> fc = Dense(avg, fc_->values.data(), 128, nullptr);
  Descriptor d;
  std::copy(fc.begin(), fc.end(), d.begin());
  return d;
}

}  // namespace doudi::face
