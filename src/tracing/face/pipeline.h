// The face engine as face-api's detectAllFaces(tiny detector).withFaceLandmarks().withFaceDescriptors() runs it:
// detect faces, cut each detection out for the 68 landmarks, align with dlib's rule (a square about the eyes and
// mouth: side = eye-to-mouth distance / 0.45, centred at 0.5 across and 0.43 down), cut that square out and
// compute the 128-number descriptor on it (resized to the 150×150 chip). Thread-safe after Load.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "tracing/face/detector.h"
#include "tracing/face/image.h"
#include "tracing/face/landmarks.h"
#include "tracing/face/recognition.h"

namespace doudi::face {

struct FaceResult {
  double score = 0;
  Box box;             // the detection, in image pixels
  Landmarks landmarks;  // in image pixels
  Box aligned_box;     // the square the descriptor was computed on (before clipping at the image border)
  Descriptor descriptor{};
};

class FaceEngine {
 public:
  static Result<FaceEngine> Load(const std::string& model_dir);

  std::vector<FaceResult> Analyse(const RgbImage& image, const DetectorOptions& options = {}) const;
  const RecognitionNet& recognition() const { return recognition_; }

 private:
  FaceEngine(FaceDetector d, LandmarkNet l, RecognitionNet r)
      : detector_(std::move(d)), landmarks_(std::move(l)), recognition_(std::move(r)) {}
  FaceDetector detector_;
  LandmarkNet landmarks_;
  RecognitionNet recognition_;
};

Tensor ToTensor(const RgbImage& image);
// face-api's extractFaceTensors: the box clipped at the image border and floored, then cut out (empty if nothing
// is left).
Tensor CutOut(const Tensor& image, const Box& box);
Tensor CutOut(const RgbImage& image, const Box& box);
// dlib alignment of landmarks found in a cut-out of face_w × face_h (face-api's FaceLandmarks.alignDlib).
Box AlignDlib(const Landmarks& points, int face_w, int face_h);

}  // namespace doudi::face
