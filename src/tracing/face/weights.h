// Model weights of @vladmandic/face-api (1.7.15): a manifest (`<model>-weights_manifest.json`) naming each tensor
// with its shape and, for most, a uint8 quantisation (value = q·scale + min), followed by the raw shards. Loaded
// once, dequantised to float32 exactly as tfjs's io.decodeWeights does, and looked up by name by the networks.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace doudi::face {

struct WeightTensor {
  std::vector<int> shape;
  std::vector<float> values;
  size_t size() const { return values.size(); }
};

class WeightMap {
 public:
  // Reads `<dir>/<model>-weights_manifest.json` and its shards.
  static Result<WeightMap> Load(const std::string& dir, const std::string& model);

  // The tensor of that name with that shape, or an error naming both (a manifest of another version).
  Result<const WeightTensor*> Get(const std::string& name, const std::vector<int>& shape) const;
  size_t count() const { return tensors_.size(); }

 private:
  std::map<std::string, WeightTensor> tensors_;
};

// The directory of the model files: $DOUDI_FACE_MODELS, else the npm install in the source tree
// (tracing-models/node_modules/@vladmandic/face-api/model, installed by scripts/fetch-face-models).
std::string DefaultModelDir();

}  // namespace doudi::face
