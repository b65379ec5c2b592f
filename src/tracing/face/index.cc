#include "tracing/face/index.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/IndexIDMap.h>
#include <faiss/impl/FaissException.h>
#include <faiss/index_io.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

namespace doudi::face {

namespace fs = std::filesystem;

Descriptor Normalised(const Descriptor& v) {
  double n = 0;
  for (float f : v) n += static_cast<double>(f) * f;
  if (n <= 0) return v;
  Descriptor out;
  const double inv = 1 / std::sqrt(n);
  for (size_t i = 0; i < v.size(); ++i) out[i] = static_cast<float>(v[i] * inv);
  return out;
}

FaceIndex::~FaceIndex() = default;
FaceIndex::FaceIndex(FaceIndex&&) noexcept = default;
FaceIndex& FaceIndex::operator=(FaceIndex&&) noexcept = default;

Result<FaceIndex> FaceIndex::Open(const std::string& dir, IndexKind kind) {
  FaceIndex idx;
  idx.dir_ = dir;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::InvalidField("index", "face_index_unwritable", fmt::format("无法创建人脸索引目录 {}：{}", dir, ec.message()));
  const std::string index_path = dir + "/faces.faiss", meta_path = dir + "/faces.jsonl";
  if (fs::exists(index_path)) {
    try {
      idx.index_.reset(faiss::read_index(index_path.c_str()));
    } catch (const faiss::FaissException& e) {
      return Status::InvalidField("index", "face_index_corrupt", fmt::format("人脸索引文件 {} 无法读取：{}", index_path, e.what()));
    }
    auto* map = dynamic_cast<faiss::IndexIDMap2*>(idx.index_.get());
    if (!map || idx.index_->d != 128) {
      return Status::InvalidField("index", "face_index_corrupt", fmt::format("{} 不是人脸索引", index_path));
    }
    idx.kind_ = dynamic_cast<faiss::IndexHNSW*>(map->index) ? IndexKind::kHnsw : IndexKind::kFlat;
    std::ifstream in(meta_path);
    std::string line;
    int64_t line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      if (line.empty()) continue;
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded()) {
        return Status::InvalidField("index", "face_index_corrupt", fmt::format("{} 第 {} 行不是有效的 JSON", meta_path, line_no));
      }
      idx.meta_.push_back(std::move(j));
    }
    if (static_cast<int64_t>(idx.meta_.size()) != idx.index_->ntotal) {
      return Status::InvalidField("index", "face_index_corrupt",
                                  fmt::format("人脸索引 {} 有 {} 个人脸，但 {} 有 {} 行", index_path, idx.index_->ntotal,
                                              meta_path, idx.meta_.size()));
    }
    idx.saved_meta_ = idx.meta_.size();
  } else {
    faiss::Index* inner = kind == IndexKind::kHnsw
                              ? static_cast<faiss::Index*>(new faiss::IndexHNSWFlat(128, 32, faiss::METRIC_INNER_PRODUCT))
                              : static_cast<faiss::Index*>(new faiss::IndexFlatIP(128));
    auto* map = new faiss::IndexIDMap2(inner);
    map->own_fields = true;
    idx.index_.reset(map);
    idx.kind_ = kind;
  }
  return idx;
}

std::vector<int64_t> FaceIndex::Add(const std::vector<Descriptor>& descriptors, const std::vector<nlohmann::json>& meta) {
  std::vector<float> data;
  data.reserve(descriptors.size() * 128);
  std::vector<int64_t> ids;
  for (size_t i = 0; i < descriptors.size(); ++i) {
    const Descriptor n = Normalised(descriptors[i]);
    data.insert(data.end(), n.begin(), n.end());
    const auto id = static_cast<int64_t>(meta_.size());
    ids.push_back(id);
    nlohmann::json m = i < meta.size() ? meta[i] : nlohmann::json::object();
    m["id"] = id;
    meta_.push_back(std::move(m));
  }
  if (!ids.empty()) index_->add_with_ids(static_cast<faiss::Index::idx_t>(ids.size()), data.data(), ids.data());
  return ids;
}

Status FaceIndex::Save() {
  const std::string index_path = dir_ + "/faces.faiss", tmp = index_path + ".tmp", meta_path = dir_ + "/faces.jsonl";
  // Metadata first (appended), then the index renamed over the old one: a crash in between leaves extra metadata
  // lines, which Open reports rather than silently misnumbering faces.
  {
    std::ofstream out(meta_path, std::ios::app);
    for (size_t i = saved_meta_; i < meta_.size(); ++i) out << meta_[i].dump() << '\n';
    if (!out) return Status::InvalidField("index", "face_index_unwritable", fmt::format("无法写入 {}", meta_path));
  }
  try {
    faiss::write_index(index_.get(), tmp.c_str());
  } catch (const faiss::FaissException& e) {
    return Status::InvalidField("index", "face_index_unwritable", fmt::format("无法写入人脸索引 {}：{}", tmp, e.what()));
  }
  std::error_code ec;
  fs::rename(tmp, index_path, ec);
  if (ec) return Status::InvalidField("index", "face_index_unwritable", fmt::format("无法写入人脸索引 {}：{}", index_path, ec.message()));
  saved_meta_ = meta_.size();
  return Status::Ok();
}

std::vector<std::vector<IndexHit>> FaceIndex::Search(const std::vector<Descriptor>& queries, int k) const {
  std::vector<std::vector<IndexHit>> out(queries.size());
  if (queries.empty() || index_->ntotal == 0) return out;
  k = static_cast<int>(std::min<int64_t>(k, index_->ntotal));
  std::vector<float> q;
  for (const auto& d : queries) {
    const Descriptor n = Normalised(d);
    q.insert(q.end(), n.begin(), n.end());
  }
  std::vector<float> sims(queries.size() * k);
  std::vector<faiss::Index::idx_t> ids(queries.size() * k);
  index_->search(static_cast<faiss::Index::idx_t>(queries.size()), q.data(), k, sims.data(), ids.data());
  for (size_t i = 0; i < queries.size(); ++i) {
    for (int j = 0; j < k; ++j) {
      const faiss::Index::idx_t id = ids[i * k + j];
      if (id < 0) continue;
      out[i].push_back({id, sims[i * k + j], meta_[static_cast<size_t>(id)]});
    }
  }
  return out;
}

int64_t FaceIndex::size() const { return index_->ntotal; }

}  // namespace doudi::face
