#include "tracing/face/pipeline.h"

#include <algorithm>
#include <cmath>

namespace doudi::face {

Result<FaceEngine> FaceEngine::Load(const std::string& model_dir) {
  DOUDI_ASSIGN_OR_RETURN(FaceDetector d, FaceDetector::Load(model_dir));
  DOUDI_ASSIGN_OR_RETURN(LandmarkNet l, LandmarkNet::Load(model_dir));
  DOUDI_ASSIGN_OR_RETURN(RecognitionNet r, RecognitionNet::Load(model_dir));
  return FaceEngine(std::move(d), std::move(l), std::move(r));
}

Tensor ToTensor(const RgbImage& image) {
  Tensor t(image.height, image.width, 3);
  for (size_t i = 0; i < image.rgb.size(); ++i) t.v[i] = image.rgb[i];
  return t;
}

namespace {

// Box.clipAtImageBorders, then floor of x, y, width, height: the region [x, x + w) × [y, y + h), or w = 0.
struct Region {
  int x = 0, y = 0, w = 0, h = 0;
};
Region Clip(const Box& box, int image_w, int image_h) {
  const double cx = std::max(box.x, 0.0), cy = std::max(box.y, 0.0);
  const double cw = std::min(box.right() - cx, image_w - cx), ch = std::min(box.bottom() - cy, image_h - cy);
  Region r{static_cast<int>(std::floor(cx)), static_cast<int>(std::floor(cy)), static_cast<int>(std::floor(cw)),
           static_cast<int>(std::floor(ch))};
  if (r.w <= 0 || r.h <= 0 || r.x >= image_w || r.y >= image_h) return Region{};
  r.w = std::min(r.w, image_w - r.x);
  r.h = std::min(r.h, image_h - r.y);
  return r;
}

}  // namespace

Tensor CutOut(const Tensor& image, const Box& box) {
  const Region r = Clip(box, image.w, image.h);
  if (r.w == 0) return Tensor();
  Tensor out(r.h, r.w, image.c);
  for (int row = 0; row < r.h; ++row) {
    std::copy_n(&image.v[(static_cast<size_t>(r.y + row) * image.w + r.x) * image.c], static_cast<size_t>(r.w) * image.c,
                &out.v[static_cast<size_t>(row) * r.w * image.c]);
  }
  return out;
}

Tensor CutOut(const RgbImage& image, const Box& box) {
  const Region r = Clip(box, image.width, image.height);
  if (r.w == 0) return Tensor();
  Tensor out(r.h, r.w, 3);
  for (int row = 0; row < r.h; ++row) {
    const uint8_t* src = &image.rgb[(static_cast<size_t>(r.y + row) * image.width + r.x) * 3];
    std::copy_n(src, static_cast<size_t>(r.w) * 3, &out.v[static_cast<size_t>(row) * r.w * 3]);
  }
  return out;
}

Box AlignDlib(const Landmarks& p, int face_w, int face_h) {
  auto centre = [&](int from, int to) {
    Point c{0, 0};
    for (int i = from; i < to; ++i) {
      c.x += p[i].x;
      c.y += p[i].y;
    }
    return Point{c.x / (to - from), c.y / (to - from)};
  };
  const Point left_eye = centre(36, 42), right_eye = centre(42, 48), mouth = centre(48, 68);
  auto dist = [&](const Point& a) { return std::sqrt(std::pow(mouth.x - a.x, 2) + std::pow(mouth.y - a.y, 2)); };
  const double eye_to_mouth = (dist(left_eye) + dist(right_eye)) / 2;
  const double size = std::floor(eye_to_mouth / 0.45);
  const Point ref{((0 + left_eye.x) + right_eye.x + mouth.x) / 3, ((0 + left_eye.y) + right_eye.y + mouth.y) / 3};
  const double x = std::floor(std::max(0.0, ref.x - 0.5 * size));
  const double y = std::floor(std::max(0.0, ref.y - 0.43 * size));
  // face-api bounds the side by the cut-out's size plus the offset, which in practice never binds.
  return Box{x, y, std::min(size, face_w + x), std::min(size, face_h + y)};
}

std::vector<FaceResult> FaceEngine::Analyse(const RgbImage& image, const DetectorOptions& options) const {
  std::vector<FaceResult> results;
  for (const Detection& det : detector_.Detect(image, options)) {
    const Tensor face = CutOut(image, det.box);
    if (face.h == 0) continue;
    const Landmarks local = landmarks_.Detect(face);
    FaceResult r;
    r.score = det.score;
    r.box = det.box;
    for (int i = 0; i < 68; ++i) {
      // FaceLandmarks.shiftBy: back to relative positions in the cut-out, out again, plus the detection's corner.
      const double rx = local[i].x / face.w, ry = local[i].y / face.h;
      r.landmarks[i] = {rx * face.w + det.box.x, ry * face.h + det.box.y};
    }
    r.aligned_box = AlignDlib(r.landmarks, face.w, face.h);
    const Tensor chip = CutOut(image, r.aligned_box);
    if (chip.h == 0) continue;
    r.descriptor = recognition_.Compute(chip);
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace doudi::face
