// The face index of family search: descriptors of the photographs of missing persons (or of unidentified persons)
// kept in a directory, searched by cosine similarity. Descriptors are L2-normalised and searched by inner product
// with FAISS: exact (IndexFlatIP) by default, HNSW (IndexHNSWFlat, M = 32) when chosen at creation (advised past
// about a million faces, where an exact scan of every query costs tens of milliseconds). Updates are incremental:
// Add appends with new ids, Save rewrites the index file atomically and appends to the metadata file.
//
// Layout of DIR: faces.faiss (the FAISS index, ids = positions in faces.jsonl), faces.jsonl (one JSON object per
// face: id, image, face number in that image, box, added_at).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "tracing/face/recognition.h"

namespace faiss {
struct Index;
}

namespace doudi::face {

enum class IndexKind { kFlat, kHnsw };

struct IndexHit {
  int64_t id = 0;
  float similarity = 0;  // cosine similarity of the descriptors, −1 … 1
  nlohmann::json meta;   // the face's metadata line
};

class FaceIndex {
 public:
  ~FaceIndex();
  FaceIndex(FaceIndex&&) noexcept;
  FaceIndex& operator=(FaceIndex&&) noexcept;

  // Opens DIR; creates an empty index of `kind` when DIR holds none (kind is ignored for an existing one).
  static Result<FaceIndex> Open(const std::string& dir, IndexKind kind = IndexKind::kFlat);

  // Adds normalised copies of the descriptors; returns their ids. Not saved until Save.
  std::vector<int64_t> Add(const std::vector<Descriptor>& descriptors, const std::vector<nlohmann::json>& meta);
  Status Save();

  // The top `k` faces by similarity for each query, best first.
  std::vector<std::vector<IndexHit>> Search(const std::vector<Descriptor>& queries, int k) const;

  int64_t size() const;
  IndexKind kind() const { return kind_; }

 private:
  FaceIndex() = default;
  std::string dir_;
  IndexKind kind_ = IndexKind::kFlat;
  std::unique_ptr<faiss::Index> index_;
  std::vector<nlohmann::json> meta_;
  size_t saved_meta_ = 0;  // lines already in faces.jsonl
};

// v / |v| (unchanged when |v| = 0).
Descriptor Normalised(const Descriptor& v);

}  // namespace doudi::face
