// A single image's activations (height × width × channels, channels fastest, float32) and the few operations the
// face networks need, each defined as tfjs defines it (padding "same"/"valid", pooling windows, bilinear resize
// without corner alignment) so that the C++ networks reproduce the package's JavaScript within float rounding.
// Convolutions are im2col + OpenBLAS sgemm; the caller owns threading (OpenBLAS uses its own threads).
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace doudi::face {

struct Tensor {
  int h = 0, w = 0, c = 0;
  std::vector<float> v;
  Tensor() = default;
  Tensor(int hh, int ww, int cc) : h(hh), w(ww), c(cc), v(static_cast<size_t>(hh) * ww * cc, 0.f) {}
  float& at(int y, int x, int ch) { return v[(static_cast<size_t>(y) * w + x) * c + ch]; }
  float at(int y, int x, int ch) const { return v[(static_cast<size_t>(y) * w + x) * c + ch]; }
};

enum class Padding { kSame, kValid };

// filters: [kh, kw, cin, cout] as tfjs stores them.
Tensor Conv2D(const Tensor& x, const float* filters, int kh, int kw, int cout, int stride, Padding padding);
// filters: [kh, kw, c, 1].
Tensor DepthwiseConv2D(const Tensor& x, const float* filters, int kh, int kw, int stride, Padding padding);
// tf.separableConv2d: depthwise then a 1×1 pointwise [1, 1, cin, cout].
Tensor SeparableConv2D(const Tensor& x, const float* depthwise, const float* pointwise, int cout, int stride,
                       Padding padding);
// x · weights [c, n] for a 1 × 1 × c tensor or a flattened vector; returns n values (+ bias when given).
std::vector<float> Dense(const std::vector<float>& x, const float* weights, int n, const float* bias);

void AddBias(Tensor& x, const float* bias);                       // per channel
void ScaleShift(Tensor& x, const float* scale, const float* shift);  // x·scale + shift per channel
void Relu(Tensor& x);
void Leaky(Tensor& x);  // the tiny detector's leaky ReLU, alpha 0.1, written as tfjs writes it
void AddInPlace(Tensor& x, const Tensor& y);

Tensor MaxPool(const Tensor& x, int k, int stride, Padding padding);
Tensor AvgPool(const Tensor& x, int k, int stride, Padding padding);
Tensor ZeroPad(const Tensor& x, int top, int bottom, int left, int right);

// tf.image.resizeBilinear(x, [oh, ow], alignCorners=false, halfPixelCenters=false).
Tensor ResizeBilinear(const Tensor& x, int oh, int ow);
// The same of an ih × iw × c input read through fetch(y, x, ch) — e.g. an 8-bit image seen as if padded to a
// square, without building the padded copy. Arithmetic in double, the result stored as float32 (tfjs CPU).
template <typename Fetch>
Tensor ResizeBilinearFrom(int ih, int iw, int c, int oh, int ow, Fetch fetch) {
  Tensor y(oh, ow, c);
  const double hs = static_cast<double>(ih) / oh, ws = static_cast<double>(iw) / ow;
  for (int r = 0; r < oh; ++r) {
    const double fr = hs * r;
    const int r0 = static_cast<int>(fr);
    const double rf = fr - r0;
    const int r1 = std::min(ih - 1, rf > 0 ? r0 + 1 : r0);
    for (int col = 0; col < ow; ++col) {
      const double fc = ws * col;
      const int c0 = static_cast<int>(fc);
      const double cf = fc - c0;
      const int c1 = std::min(iw - 1, cf > 0 ? c0 + 1 : c0);
      for (int ch = 0; ch < c; ++ch) {
        const double tl = fetch(r0, c0, ch), tr = fetch(r0, c1, ch), bl = fetch(r1, c0, ch), br = fetch(r1, c1, ch);
        const double top = tl + (tr - tl) * cf, bottom = bl + (br - bl) * cf;
        y.at(r, col, ch) = static_cast<float>(top + (bottom - top) * rf);
      }
    }
  }
  return y;
}
// padToSquare: zero rows or columns on the short side, split evenly when centred (the extra one after).
Tensor PadToSquare(const Tensor& x, bool centre);
// (x − mean_rgb) / 255 per channel.
void NormaliseRgb(Tensor& x, const float mean_rgb[3]);

}  // namespace doudi::face
