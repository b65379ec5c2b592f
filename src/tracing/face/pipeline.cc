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

Tensor CutOut(const Tensor& image, const Box& box) {
  // Box.clipAtImageBorders, then floor of x, y, width, height.
  const double cx = std::max(box.x, 0.0), cy = std::max(box.y, 0.0);
  const double cw = std::min(box.right() - cx, image.w - cx), ch = std::min(box.bottom() - cy, image.h - cy);
  const int x = static_cast<int>(std::floor(cx)), y = static_cast<int>(std::floor(cy));
  const int w = static_cast<int>(std::floor(cw)), h = static_cast<int>(std::floor(ch));
  if (w <= 0 || h <= 0 || x >= image.w || y >= image.h) return Tensor();
  const int ww = std::min(w, image.w - x), hh = std::min(h, image.h - y);
  Tensor out(hh, ww, image.c);
  for (int r = 0; r < hh; ++r) {
    std::copy_n(&image.v[(static_cast<size_t>(y + r) * image.w + x) * image.c], static_cast<size_t>(ww) * image.c,
                &out.v[static_cast<size_t>(r) * ww * image.c]);
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
  const Tensor pixels = ToTensor(image);
  std::vector<FaceResult> results;
  for (const Detection& det : detector_.Detect(pixels, options)) {
    const Tensor face = CutOut(pixels, det.box);
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
    const Tensor chip = CutOut(pixels, r.aligned_box);
    if (chip.h == 0) continue;
    r.descriptor = recognition_.Compute(chip);
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace doudi::face
