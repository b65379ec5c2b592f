#include "tracing/face/tensor.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace doudi::face {

namespace {

struct Geometry {
  int oh, ow, pad_top, pad_left;
};

// tfjs computeConv2DInfo for one spatial axis pair.
Geometry Plan(int h, int w, int kh, int kw, int stride, Padding padding) {
  Geometry g{};
  if (padding == Padding::kSame) {
    g.oh = (h + stride - 1) / stride;
    g.ow = (w + stride - 1) / stride;
    g.pad_top = std::max(0, (g.oh - 1) * stride + kh - h) / 2;
    g.pad_left = std::max(0, (g.ow - 1) * stride + kw - w) / 2;
  } else {
    g.oh = (h - kh + stride) / stride;  // ceil((h − kh + 1) / stride)
    g.ow = (w - kw + stride) / stride;
    g.pad_top = g.pad_left = 0;
  }
  return g;
}

}  // namespace

Tensor Conv2D(const Tensor& x, const float* filters, int kh, int kw, int cout, int stride, Padding padding) {
  const Geometry g = Plan(x.h, x.w, kh, kw, stride, padding);
  Tensor y(g.oh, g.ow, cout);
  const int m = g.oh * g.ow, k = kh * kw * x.c;
  if (kh == 1 && kw == 1 && stride == 1) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, cout, k, 1.f, x.v.data(), k, filters, cout, 0.f,
                y.v.data(), cout);
    return y;
  }
  std::vector<float> cols(static_cast<size_t>(m) * k, 0.f);
  for (int oy = 0; oy < g.oh; ++oy) {
    for (int ox = 0; ox < g.ow; ++ox) {
      float* row = cols.data() + (static_cast<size_t>(oy) * g.ow + ox) * k;
      for (int ky = 0; ky < kh; ++ky) {
        const int iy = oy * stride + ky - g.pad_top;
        if (iy < 0 || iy >= x.h) continue;
        for (int kx = 0; kx < kw; ++kx) {
          const int ix = ox * stride + kx - g.pad_left;
          if (ix < 0 || ix >= x.w) continue;
          std::copy_n(&x.v[(static_cast<size_t>(iy) * x.w + ix) * x.c], x.c, row + (ky * kw + kx) * x.c);
        }
      }
    }
  }
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, cout, k, 1.f, cols.data(), k, filters, cout, 0.f,
              y.v.data(), cout);
  return y;
}

Tensor DepthwiseConv2D(const Tensor& x, const float* filters, int kh, int kw, int stride, Padding padding) {
  const Geometry g = Plan(x.h, x.w, kh, kw, stride, padding);
  Tensor y(g.oh, g.ow, x.c);
  const int c = x.c;
  for (int oy = 0; oy < g.oh; ++oy) {
    for (int ox = 0; ox < g.ow; ++ox) {
      float* out = &y.v[(static_cast<size_t>(oy) * g.ow + ox) * c];
      for (int ky = 0; ky < kh; ++ky) {
        const int iy = oy * stride + ky - g.pad_top;
        if (iy < 0 || iy >= x.h) continue;
        for (int kx = 0; kx < kw; ++kx) {
          const int ix = ox * stride + kx - g.pad_left;
          if (ix < 0 || ix >= x.w) continue;
          const float* in = &x.v[(static_cast<size_t>(iy) * x.w + ix) * c];
          const float* f = filters + (ky * kw + kx) * c;
          for (int ch = 0; ch < c; ++ch) out[ch] += in[ch] * f[ch];
        }
      }
    }
  }
  return y;
}

Tensor SeparableConv2D(const Tensor& x, const float* depthwise, const float* pointwise, int cout, int stride,
                       Padding padding) {
  Tensor d = DepthwiseConv2D(x, depthwise, 3, 3, stride, padding);
  return Conv2D(d, pointwise, 1, 1, cout, 1, Padding::kValid);
}

std::vector<float> Dense(const std::vector<float>& x, const float* weights, int n, const float* bias) {
  std::vector<float> y(n, 0.f);
  if (bias) std::copy_n(bias, n, y.data());
  cblas_sgemv(CblasRowMajor, CblasTrans, static_cast<int>(x.size()), n, 1.f, weights, n, x.data(), 1, 1.f, y.data(), 1);
  return y;
}

void AddBias(Tensor& x, const float* bias) {
  for (size_t i = 0; i < x.v.size(); i += x.c) {
    for (int ch = 0; ch < x.c; ++ch) x.v[i + ch] += bias[ch];
  }
}

void ScaleShift(Tensor& x, const float* scale, const float* shift) {
  for (size_t i = 0; i < x.v.size(); i += x.c) {
    for (int ch = 0; ch < x.c; ++ch) x.v[i + ch] = x.v[i + ch] * scale[ch] + shift[ch];
  }
}

void Relu(Tensor& x) {
  for (float& f : x.v) f = f > 0.f ? f : 0.f;
}

void Leaky(Tensor& x) {
  const float alpha = 0.10000000149011612f;
  for (float& f : x.v) {
    const float min = f * alpha;
    const float d = f - min;
    f = (d > 0.f ? d : 0.f) + min;
  }
}

void AddInPlace(Tensor& x, const Tensor& y) {
  for (size_t i = 0; i < x.v.size(); ++i) x.v[i] += y.v[i];
}

Tensor MaxPool(const Tensor& x, int k, int stride, Padding padding) {
  const Geometry g = Plan(x.h, x.w, k, k, stride, padding);
  Tensor y(g.oh, g.ow, x.c);
  for (int oy = 0; oy < g.oh; ++oy) {
    for (int ox = 0; ox < g.ow; ++ox) {
      float* out = &y.v[(static_cast<size_t>(oy) * g.ow + ox) * x.c];
      std::fill_n(out, x.c, -std::numeric_limits<float>::infinity());
      for (int ky = 0; ky < k; ++ky) {
        const int iy = oy * stride + ky - g.pad_top;
        if (iy < 0 || iy >= x.h) continue;
        for (int kx = 0; kx < k; ++kx) {
          const int ix = ox * stride + kx - g.pad_left;
          if (ix < 0 || ix >= x.w) continue;
          const float* in = &x.v[(static_cast<size_t>(iy) * x.w + ix) * x.c];
          for (int ch = 0; ch < x.c; ++ch) out[ch] = std::max(out[ch], in[ch]);
        }
      }
    }
  }
  return y;
}

Tensor AvgPool(const Tensor& x, int k, int stride, Padding padding) {
  const Geometry g = Plan(x.h, x.w, k, k, stride, padding);
  Tensor y(g.oh, g.ow, x.c);
  for (int oy = 0; oy < g.oh; ++oy) {
    for (int ox = 0; ox < g.ow; ++ox) {
      float* out = &y.v[(static_cast<size_t>(oy) * g.ow + ox) * x.c];
      int count = 0;
      for (int ky = 0; ky < k; ++ky) {
        const int iy = oy * stride + ky - g.pad_top;
        if (iy < 0 || iy >= x.h) continue;
        for (int kx = 0; kx < k; ++kx) {
          const int ix = ox * stride + kx - g.pad_left;
          if (ix < 0 || ix >= x.w) continue;
          const float* in = &x.v[(static_cast<size_t>(iy) * x.w + ix) * x.c];
          for (int ch = 0; ch < x.c; ++ch) out[ch] += in[ch];
          ++count;
        }
      }
      for (int ch = 0; ch < x.c; ++ch) out[ch] /= static_cast<float>(count);
    }
  }
  return y;
}

Tensor ZeroPad(const Tensor& x, int top, int bottom, int left, int right) {
  Tensor y(x.h + top + bottom, x.w + left + right, x.c);
  for (int yy = 0; yy < x.h; ++yy) {
    std::copy_n(&x.v[static_cast<size_t>(yy) * x.w * x.c], static_cast<size_t>(x.w) * x.c,
                &y.v[(static_cast<size_t>(yy + top) * y.w + left) * x.c]);
  }
  return y;
}

Tensor ResizeBilinear(const Tensor& x, int oh, int ow) {
  return ResizeBilinearFrom(x.h, x.w, x.c, oh, ow, [&x](int y, int xx, int ch) { return x.at(y, xx, ch); });
}

Tensor PadToSquare(const Tensor& x, bool centre) {
  if (x.h == x.w) return x;
  const int diff = std::abs(x.h - x.w);
  const int append = static_cast<int>(std::round(diff * (centre ? 0.5 : 1.0)));
  const int prepend = diff - append;
  if (x.h > x.w) return ZeroPad(x, 0, 0, prepend, append);
  return ZeroPad(x, prepend, append, 0, 0);
}

void NormaliseRgb(Tensor& x, const float mean_rgb[3]) {
  for (size_t i = 0; i < x.v.size(); i += 3) {
    for (int ch = 0; ch < 3; ++ch) x.v[i + ch] = (x.v[i + ch] - mean_rgb[ch]) / 255.f;
  }
}

}  // namespace doudi::face
