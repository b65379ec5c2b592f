#include "tracing/face/cli.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tracing/face/image.h"
#include "tracing/face/index.h"
#include "tracing/face/pipeline.h"
#include "tracing/face/weights.h"

namespace doudi::face {

const char kFaceSimilarityNotice[] =
    "人脸相似度只用于排列候选人的先后，不能单独认定身份：儿童的面貌会随年龄明显变化，照片质量和角度也会影响结果。"
    "任何候选都须经 DNA 比对或其他核实手段确认。";

namespace {

using nlohmann::json;

int Fail(const Status& s) {
  fmt::print(stderr, "错误：{}\n", s.message());
  return 1;
}

// v to `digits` decimals, as the double nearest that decimal (so JSON shows 228.98, not 228.98000000000002).
double Round(double v, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::round(v * scale) / scale;
}

json BoxJson(const Box& b) {
  return {{"x", Round(b.x, 3)}, {"y", Round(b.y, 3)}, {"width", Round(b.width, 3)}, {"height", Round(b.height, 3)}};
}

json FaceJson(const FaceResult& f) {
  json landmarks = json::array();
  for (const Point& p : f.landmarks) landmarks.push_back({Round(p.x, 3), Round(p.y, 3)});
  json descriptor = json::array();
  for (float v : f.descriptor) descriptor.push_back(v);
  return {{"score", Round(f.score, 4)}, {"box", BoxJson(f.box)}, {"landmarks", landmarks},
          {"aligned_box", BoxJson(f.aligned_box)}, {"descriptor", descriptor}};
}

std::string FacesMessage(size_t n) {
  if (n == 0) return "图片中没有检测到人脸（请换一张正面、清晰、脸部在照片中足够大的照片）";
  if (n == 1) return "检测到 1 张人脸";
  return fmt::format("检测到 {} 张人脸，已全部列出（按检测分数从高到低），请根据位置框确认要用的是哪一张", n);
}

Result<FaceEngine> LoadEngine(const FaceCliOptions& o) {
  return FaceEngine::Load(o.model_dir.empty() ? DefaultModelDir() : o.model_dir);
}

bool WriteOut(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text;
    return static_cast<bool>(std::cout);
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

}  // namespace

int RunFaceEmbed(const FaceCliOptions& o) {
  auto engine = LoadEngine(o);
  if (!engine.ok()) return Fail(engine.status());
  json out = json::array();
  bool incomplete = false;
  for (const std::string& path : o.images) {
    json item = {{"image", path}};
    auto image = ReadImageFile(path);
    if (!image.ok()) {
      item["error"] = {{"code", image.status().error_code()}, {"message", image.status().message()}};
      fmt::print(stderr, "{}：{}\n", path, image.status().message());
      incomplete = true;
      out.push_back(std::move(item));
      continue;
    }
    const auto faces = engine->Analyse(*image);
    item["width"] = image->width;
    item["height"] = image->height;
    item["exif_orientation"] = image->exif_orientation;
    item["faces"] = json::array();
    for (const auto& f : faces) item["faces"].push_back(FaceJson(f));
    item["message"] = FacesMessage(faces.size());
    if (faces.empty()) {
      item["error"] = {{"code", "no_face"}, {"message", FacesMessage(0)}};
      fmt::print(stderr, "{}：{}\n", path, FacesMessage(0));
      incomplete = true;
    } else if (faces.size() > 1) {
      fmt::print(stderr, "{}：{}\n", path, FacesMessage(faces.size()));
    }
    out.push_back(std::move(item));
  }
  if (!WriteOut(o.out_path, out.dump(2) + "\n")) return Fail(Status::Invalid("write_failed", "无法写出结果 " + o.out_path));
  return incomplete ? 2 : 0;
}

int RunFaceIndex(const FaceCliOptions& o) {
  auto engine = LoadEngine(o);
  if (!engine.ok()) return Fail(engine.status());
  auto index = FaceIndex::Open(o.index_dir, o.kind == "hnsw" ? IndexKind::kHnsw : IndexKind::kFlat);
  if (!index.ok()) return Fail(index.status());
  bool incomplete = false;
  size_t added = 0;
  for (const std::string& path : o.images) {
    auto image = ReadImageFile(path);
    if (!image.ok()) {
      fmt::print(stderr, "{}：{}（未加入索引）\n", path, image.status().message());
      incomplete = true;
      continue;
    }
    const auto faces = engine->Analyse(*image);
    if (faces.empty()) {
      fmt::print(stderr, "{}：{}（未加入索引）\n", path, FacesMessage(0));
      incomplete = true;
      continue;
    }
    if (faces.size() > 1) fmt::print(stderr, "{}：{}，每张人脸分别加入索引\n", path, FacesMessage(faces.size()));
    std::vector<Descriptor> descriptors;
    std::vector<json> meta;
    for (size_t i = 0; i < faces.size(); ++i) {
      descriptors.push_back(faces[i].descriptor);
      meta.push_back({{"image", path}, {"face", i}, {"box", BoxJson(faces[i].box)}});
    }
    const auto ids = index->Add(descriptors, meta);
    for (size_t i = 0; i < ids.size(); ++i) std::cout << json{{"id", ids[i]}, {"image", path}, {"face", i}}.dump() << "\n";
    added += ids.size();
  }
  if (Status s = index->Save(); !s.ok()) return Fail(s);
  fmt::print(stderr, "已加入 {} 张人脸，索引 {} 现有 {} 张人脸\n", added, o.index_dir, index->size());
  if (index->kind() == IndexKind::kFlat && index->size() > 1'000'000) {
    fmt::print(stderr, "提示：索引已超过 100 万张人脸，精确检索每次要扫描全部人脸；可用 --kind hnsw 新建近似索引以加快检索\n");
  }
  return incomplete ? 2 : 0;
}

int RunFaceSearch(const FaceCliOptions& o) {
  auto engine = LoadEngine(o);
  if (!engine.ok()) return Fail(engine.status());
  auto index = FaceIndex::Open(o.index_dir);
  if (!index.ok()) return Fail(index.status());
  auto image = ReadImageFile(o.image);
  if (!image.ok()) return Fail(image.status());
  const auto faces = engine->Analyse(*image);
  if (faces.empty()) return Fail(Status::InvalidField("image", "no_face", FacesMessage(0)));
  if (faces.size() > 1) fmt::print(stderr, "{}：{}，分别检索\n", o.image, FacesMessage(faces.size()));
  std::vector<Descriptor> queries;
  for (const auto& f : faces) queries.push_back(f.descriptor);
  const auto hits = index->Search(queries, o.top);
  json out = {{"image", o.image}, {"notice", kFaceSimilarityNotice}, {"index_size", index->size()},
              {"message", FacesMessage(faces.size())}, {"faces", json::array()}};
  for (size_t i = 0; i < faces.size(); ++i) {
    json candidates = json::array();
    int rank = 0;
    for (const auto& h : hits[i]) {
      json c = h.meta;
      c["rank"] = ++rank;
      c["similarity"] = Round(h.similarity, 4);
      candidates.push_back(std::move(c));
    }
    out["faces"].push_back({{"face", i}, {"box", BoxJson(faces[i].box)}, {"candidates", candidates}});
  }
  std::cout << out.dump(2) << "\n";
  fmt::print(stderr, "注意：{}\n", kFaceSimilarityNotice);
  return 0;
}

int RunFaceDecode(const FaceCliOptions& o) {
  if (o.images.size() != 1) return Fail(Status::Invalid("bad_arguments", "decode 需要且只需要一张图片"));
  auto image = ReadImageFile(o.images[0]);
  if (!image.ok()) return Fail(image.status());
  if (!WriteOut(o.out_path, EncodePpm(*image))) return Fail(Status::Invalid("write_failed", "无法写出 " + o.out_path));
  fmt::print(stderr, "{}×{}，EXIF 方向 {}，像素校验和 {:016x}\n", image->width, image->height, image->exif_orientation,
             PixelChecksum(*image));
  return 0;
}

}  // namespace doudi::face
