#include "tracing/face/landmarks.h"

#include <algorithm>
#include <cmath>

namespace doudi::face {

Result<LandmarkNet> LandmarkNet::Load(const std::string& model_dir) {
  LandmarkNet net;
  DOUDI_ASSIGN_OR_RETURN(net.weights_, WeightMap::Load(model_dir, "face_landmark_68_model"));
  const WeightMap& w = net.weights_;
  const int channels[] = {3, 32, 64, 128, 256};
  for (int b = 0; b < 4; ++b) {
    const std::string p = "dense" + std::to_string(b);
    const int cin = channels[b], cout = channels[b + 1];
    Dense4& d = net.dense_[b];
    for (int i = 0; i < 4; ++i) {
      const std::string c = p + "/conv" + std::to_string(i);
      if (b == 0 && i == 0) {
        DOUDI_ASSIGN_OR_RETURN(d.conv0_filters, w.Get(c + "/filters", {3, 3, cin, cout}));
        DOUDI_ASSIGN_OR_RETURN(d.conv0_bias, w.Get(c + "/bias", {cout}));
        continue;
      }
      const int in = i == 0 ? cin : cout;
      d.sep[i].cout = cout;
      DOUDI_ASSIGN_OR_RETURN(d.sep[i].depthwise, w.Get(c + "/depthwise_filter", {3, 3, in, 1}));
      DOUDI_ASSIGN_OR_RETURN(d.sep[i].pointwise, w.Get(c + "/pointwise_filter", {1, 1, in, cout}));
      DOUDI_ASSIGN_OR_RETURN(d.sep[i].bias, w.Get(c + "/bias", {cout}));
    }
  }
  DOUDI_ASSIGN_OR_RETURN(net.fc_weights_, w.Get("fc/weights", {256, 136}));
  DOUDI_ASSIGN_OR_RETURN(net.fc_bias_, w.Get("fc/bias", {136}));
  return net;
}

Tensor LandmarkNet::Block(const Tensor& x, const Dense4& block, bool first) const {
  auto sep = [](const Tensor& in, const Separable& s, int stride) {
    Tensor out = SeparableConv2D(in, s.depthwise->values.data(), s.pointwise->values.data(), s.cout, stride, Padding::kSame);
    AddBias(out, s.bias->values.data());
    return out;
  };
  Tensor out1;
  if (first) {
    out1 = Conv2D(x, block.conv0_filters->values.data(), 3, 3, static_cast<int>(block.conv0_bias->size()), 2, Padding::kSame);
    AddBias(out1, block.conv0_bias->values.data());
  } else {
    out1 = sep(x, block.sep[0], 2);
  }
  Relu(out1);
  Tensor out2 = sep(out1, block.sep[1], 1);
  Tensor in3 = out1;
  AddInPlace(in3, out2);
  Relu(in3);
  Tensor out3 = sep(in3, block.sep[2], 1);
  // in4 = relu(out1 + (out2 + out3)); result = relu(out1 + (out2 + (out3 + out4))), in tfjs's order of sums.
  Tensor s23 = out2;
  AddInPlace(s23, out3);
  Tensor in4 = out1;
  AddInPlace(in4, s23);
  Relu(in4);
  Tensor out4 = sep(in4, block.sep[3], 1);
  AddInPlace(out3, out4);
  AddInPlace(out2, out3);
  AddInPlace(out1, out2);
  Relu(out1);
  return out1;
}

Landmarks LandmarkNet::Detect(const Tensor& face) const {
  Tensor x = PadToSquare(face, true);
  if (x.h != 112 || x.w != 112) x = ResizeBilinear(x, 112, 112);
  static constexpr float kMean[3] = {122.782f, 117.001f, 104.298f};
  NormaliseRgb(x, kMean);
  Tensor out = Block(x, dense_[0], true);
  for (int b = 1; b < 4; ++b) out = Block(out, dense_[b], false);
  out = AvgPool(out, 7, 2, Padding::kValid);  // 7×7 → 1×1×256
  std::vector<float> fc = Dense(out.v, fc_weights_->values.data(), 136, fc_bias_->values.data());

  // postProcess: undo the centred padding of the square input, relative to the cut-out; then to its pixels.
  const double scale = 112.0 / std::max(face.h, face.w);
  const double in_w = face.w * scale, in_h = face.h * scale;
  const float pad_x = static_cast<float>(in_w < in_h ? std::abs(in_w - in_h) / 2 : 0);
  const float pad_y = static_cast<float>(in_h < in_w ? std::abs(in_w - in_h) / 2 : 0);
  Landmarks points;
  for (int i = 0; i < 68; ++i) {
    const float rx = (fc[2 * i] * 112.f - pad_x) / static_cast<float>(in_w);
    const float ry = (fc[2 * i + 1] * 112.f - pad_y) / static_cast<float>(in_h);
    points[i] = {static_cast<double>(rx) * face.w, static_cast<double>(ry) * face.h};
  }
  return points;
}

}  // namespace doudi::face
