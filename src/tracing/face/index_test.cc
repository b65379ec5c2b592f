#include "tracing/face/index.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include <unistd.h>

#include <gtest/gtest.h>

namespace doudi::face {
namespace {

namespace fs = std::filesystem;

class FaceIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("doudi-face-index-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

std::vector<Descriptor> RandomDescriptors(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0, 1);
  std::vector<Descriptor> out(n);
  for (auto& d : out) {
    for (float& f : d) f = g(rng) * 0.1f;
  }
  return out;
}

double Cosine(const Descriptor& a, const Descriptor& b) {
  double ab = 0, aa = 0, bb = 0;
  for (int i = 0; i < 128; ++i) {
    ab += static_cast<double>(a[i]) * b[i];
    aa += static_cast<double>(a[i]) * a[i];
    bb += static_cast<double>(b[i]) * b[i];
  }
  return ab / std::sqrt(aa * bb);
}

TEST(FaceNormalised, UnitLength) {
  Descriptor d{};
  d[0] = 3;
  d[1] = 4;
  const Descriptor n = Normalised(d);
  EXPECT_FLOAT_EQ(n[0], 0.6f);
  EXPECT_FLOAT_EQ(n[1], 0.8f);
  const Descriptor zero{};
  EXPECT_EQ(Normalised(zero), zero);
}

TEST_F(FaceIndexTest, ExactSearchAgreesWithBruteForceCosine) {
  auto index = FaceIndex::Open(dir_.string());
  ASSERT_TRUE(index.ok()) << index.status().message();
  const auto base = RandomDescriptors(500, 1);
  std::vector<nlohmann::json> meta;
  for (size_t i = 0; i < base.size(); ++i) meta.push_back({{"image", "p" + std::to_string(i) + ".jpg"}});
  const auto ids = index->Add(base, meta);
  ASSERT_EQ(ids.size(), 500u);
  EXPECT_EQ(ids.front(), 0);
  EXPECT_EQ(ids.back(), 499);

  const auto queries = RandomDescriptors(5, 2);
  const auto hits = index->Search(queries, 10);
  ASSERT_EQ(hits.size(), 5u);
  for (size_t q = 0; q < queries.size(); ++q) {
    std::vector<std::pair<double, int64_t>> brute;
    for (size_t i = 0; i < base.size(); ++i) brute.push_back({Cosine(queries[q], base[i]), static_cast<int64_t>(i)});
    std::sort(brute.rbegin(), brute.rend());
    ASSERT_EQ(hits[q].size(), 10u);
    for (int r = 0; r < 10; ++r) {
      EXPECT_EQ(hits[q][r].id, brute[r].second) << "query " << q << " rank " << r;
      EXPECT_NEAR(hits[q][r].similarity, brute[r].first, 1e-5);
      EXPECT_EQ(hits[q][r].meta["image"], "p" + std::to_string(brute[r].second) + ".jpg");
    }
  }
  // A stored face finds itself first with similarity 1 (scale does not matter: normalised).
  Descriptor scaled = base[123];
  for (float& f : scaled) f *= 7;
  const auto self = index->Search({scaled}, 1);
  EXPECT_EQ(self[0][0].id, 123);
  EXPECT_NEAR(self[0][0].similarity, 1.0, 1e-5);
}

TEST_F(FaceIndexTest, PersistsAndGrowsIncrementally) {
  const auto first = RandomDescriptors(30, 3), second = RandomDescriptors(20, 4);
  {
    auto index = FaceIndex::Open(dir_.string());
    ASSERT_TRUE(index.ok());
    index->Add(first, {});
    ASSERT_TRUE(index->Save().ok());
  }
  {
    auto index = FaceIndex::Open(dir_.string());
    ASSERT_TRUE(index.ok()) << index.status().message();
    EXPECT_EQ(index->size(), 30);
    const auto ids = index->Add(second, {{{"image", "new.jpg"}}});
    EXPECT_EQ(ids.front(), 30);
    ASSERT_TRUE(index->Save().ok());
  }
  auto index = FaceIndex::Open(dir_.string());
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->size(), 50);
  const auto hit = index->Search({second[0]}, 1);
  EXPECT_EQ(hit[0][0].id, 30);
  EXPECT_EQ(hit[0][0].meta["image"], "new.jpg");
  EXPECT_EQ(index->Search({first[7]}, 1)[0][0].id, 7);
  // One metadata line per face.
  std::ifstream meta(dir_ / "faces.jsonl");
  EXPECT_EQ(std::count(std::istreambuf_iterator<char>(meta), {}, '\n'), 50);
}

TEST_F(FaceIndexTest, HnswFindsTheSameNearestFaces) {
  auto index = FaceIndex::Open(dir_.string(), IndexKind::kHnsw);
  ASSERT_TRUE(index.ok());
  const auto base = RandomDescriptors(2000, 5);
  index->Add(base, {});
  ASSERT_TRUE(index->Save().ok());
  auto reopened = FaceIndex::Open(dir_.string());  // the kind is the stored one
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->kind(), IndexKind::kHnsw);
  int found = 0;
  for (int i = 0; i < 50; ++i) found += reopened->Search({base[i * 40]}, 1)[0][0].id == i * 40;
  EXPECT_GE(found, 49);  // each stored face is its own nearest neighbour
}

TEST_F(FaceIndexTest, ReportsADamagedIndex) {
  fs::create_directories(dir_);
  std::ofstream(dir_ / "faces.faiss") << "not a faiss index";
  auto index = FaceIndex::Open(dir_.string());
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().error_code(), "face_index_corrupt");
}

TEST_F(FaceIndexTest, ReportsMetadataOutOfStepWithTheIndex) {
  {
    auto index = FaceIndex::Open(dir_.string());
    ASSERT_TRUE(index.ok());
    index->Add(RandomDescriptors(3, 6), {});
    ASSERT_TRUE(index->Save().ok());
  }
  std::ofstream(dir_ / "faces.jsonl", std::ios::app) << "{\"id\":3}\n";
  auto index = FaceIndex::Open(dir_.string());
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().error_code(), "face_index_corrupt");
}

TEST_F(FaceIndexTest, EmptyIndexFindsNothing) {
  auto index = FaceIndex::Open(dir_.string());
  ASSERT_TRUE(index.ok());
  const auto hits = index->Search(RandomDescriptors(2, 7), 10);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_TRUE(hits[0].empty());
}

}  // namespace
}  // namespace doudi::face
