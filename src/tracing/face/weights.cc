#include "tracing/face/weights.h"

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace doudi::face {

namespace {

Result<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("face_model_missing", fmt::format("找不到人脸模型文件 {}（请运行 scripts/fetch-face-models）", path));
  std::ostringstream s;
  s << in.rdbuf();
  return std::move(s).str();
}

std::string ShapeText(const std::vector<int>& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) out += (i ? "," : "") + std::to_string(shape[i]);
  return out + "]";
}

}  // namespace

Result<WeightMap> WeightMap::Load(const std::string& dir, const std::string& model) {
  const std::string manifest_path = dir + "/" + model + "-weights_manifest.json";
  DOUDI_ASSIGN_OR_RETURN(std::string manifest_text, ReadAll(manifest_path));
  nlohmann::json manifest = nlohmann::json::parse(manifest_text, nullptr, false);
  if (manifest.is_discarded() || !manifest.is_array()) {
    return Status::Invalid("face_model_invalid", fmt::format("人脸模型清单 {} 不是有效的 JSON 数组", manifest_path));
  }
  WeightMap map;
  try {
    for (const auto& group : manifest) {
      std::string data;
      for (const auto& p : group.at("paths")) {
        DOUDI_ASSIGN_OR_RETURN(std::string shard, ReadAll(dir + "/" + p.get<std::string>()));
        data += shard;
      }
      size_t offset = 0;
      for (const auto& w : group.at("weights")) {
        WeightTensor t;
        t.shape = w.at("shape").get<std::vector<int>>();
        size_t n = 1;
        for (int d : t.shape) n *= static_cast<size_t>(d);
        t.values.resize(n);
        if (w.at("dtype").get<std::string>() != "float32") {
          return Status::Invalid("face_model_invalid", fmt::format("人脸模型 {} 的张量 {} 类型不受支持", model,
                                                                    w.at("name").get<std::string>()));
        }
        if (w.contains("quantization")) {
          const auto& q = w.at("quantization");
          if (q.at("dtype").get<std::string>() != "uint8") {
            return Status::Invalid("face_model_invalid", fmt::format("人脸模型 {} 的量化类型不受支持", model));
          }
          if (offset + n > data.size()) return Status::Invalid("face_model_invalid", fmt::format("人脸模型 {} 的权重文件过短", model));
          const double scale = q.at("scale").get<double>(), min = q.at("min").get<double>();
          // tfjs: Float32Array.from(quantized, v => v * scale + min), the product in double, rounded once.
          for (size_t i = 0; i < n; ++i) {
            t.values[i] = static_cast<float>(static_cast<unsigned char>(data[offset + i]) * scale + min);
          }
          offset += n;
        } else {
          if (offset + 4 * n > data.size()) return Status::Invalid("face_model_invalid", fmt::format("人脸模型 {} 的权重文件过短", model));
          std::memcpy(t.values.data(), data.data() + offset, 4 * n);  // little-endian float32, as on x86/ARM
          offset += 4 * n;
        }
        map.tensors_.emplace(w.at("name").get<std::string>(), std::move(t));
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return Status::Invalid("face_model_invalid", fmt::format("人脸模型清单 {} 格式错误：{}", manifest_path, e.what()));
  }
  return map;
}

Result<const WeightTensor*> WeightMap::Get(const std::string& name, const std::vector<int>& shape) const {
  auto it = tensors_.find(name);
  if (it == tensors_.end()) return Status::Invalid("face_model_invalid", fmt::format("人脸模型缺少张量 {}", name));
  if (it->second.shape != shape) {
    return Status::Invalid("face_model_invalid", fmt::format("人脸模型张量 {} 的形状为 {}，应为 {}", name,
                                                              ShapeText(it->second.shape), ShapeText(shape)));
  }
  return &it->second;
}

std::string DefaultModelDir() {
  if (const char* env = std::getenv("DOUDI_FACE_MODELS"); env && *env) return env;
  const std::string rel = "tracing-models/node_modules/@vladmandic/face-api/model";
  if (std::filesystem::exists(rel)) return rel;
#ifdef DOUDI_SOURCE_DIR
  return std::string(DOUDI_SOURCE_DIR) + "/" + rel;
#else
  return rel;
#endif
}

}  // namespace doudi::face
