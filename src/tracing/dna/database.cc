#include "tracing/dna/database.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <unordered_map>

#include <fmt/format.h>

namespace doudi::dna {

uint64_t ReferenceDatabase::num_references() const {
  uint64_t n = 0;
  for (const Segment& s : segments_) n += static_cast<uint64_t>(s.rows) * HypothesisMembers(s.hypothesis);
  return n;
}

const Segment& ReferenceDatabase::SegmentOf(uint32_t family, uint32_t* row) const {
  for (const Segment& s : segments_) {
    if (family < s.first_family + s.rows) {
      *row = family - s.first_family;
      return s;
    }
  }
  *row = 0;
  return segments_.back();  // callers pass family < num_families()
}

Hypothesis ReferenceDatabase::hypothesis(uint32_t family) const {
  uint32_t row;
  return SegmentOf(family, &row).hypothesis;
}

std::vector<Genotype> ReferenceDatabase::Genotypes(uint32_t family, int member) const {
  uint32_t row;
  const Segment& s = SegmentOf(family, &row);
  std::vector<Genotype> out(loci_.size());
  if (member >= HypothesisMembers(s.hypothesis)) return out;
  for (size_t l = 0; l < loci_.size(); ++l) {
    out[l] = UnpackGenotype(column(s, static_cast<int>(l))[static_cast<size_t>(row) * s.members + member]);
  }
  return out;
}

std::string ReferenceDatabase::family_label(uint32_t family) const {
  if (label_end_.empty()) return fmt::format("#{}", family);
  uint32_t begin = family == 0 ? 0 : label_end_[family - 1];
  return labels_.substr(begin, label_end_[family] - begin);
}

void Segment::Free::operator()(uint16_t* p) const { std::free(p); }

size_t ReferenceDatabase::packed_bytes() const {
  size_t n = 0;
  for (const Segment& s : segments_) n += s.num_columns * s.stride * sizeof(uint16_t);
  return n;
}

size_t ReferenceDatabase::label_bytes() const {
  if (label_end_.empty()) return 0;
  return labels_.capacity() + label_end_.capacity() * sizeof(uint32_t);
}

DatabaseBuilder::DatabaseBuilder(std::vector<int> loci) : loci_(std::move(loci)), pending_(kNumHypotheses) {
  for (int h = 0; h < kNumHypotheses; ++h) {
    pending_[h].columns.resize(loci_.size());
  }
}

void DatabaseBuilder::Reserve(Hypothesis h, size_t rows) {
  for (auto& c : pending_[static_cast<int>(h)].columns) c.reserve(rows * HypothesisMembers(h));
}

void DatabaseBuilder::AddFamily(std::string_view label, Hypothesis h, std::span<const Genotype> first,
                                std::span<const Genotype> second) {
  Pending& p = pending_[static_cast<int>(h)];
  const size_t nl = loci_.size();
  for (size_t l = 0; l < nl; ++l) {
    p.columns[l].push_back(PackGenotype(first[l]));
    if (h == Hypothesis::kParents) p.columns[l].push_back(PackGenotype(second[l]));
  }
  if (!label.empty()) labelled_ = true;
  p.labels.append(label);
  p.label_end.push_back(static_cast<uint32_t>(p.labels.size()));
  p.rows++;
}

ReferenceDatabase DatabaseBuilder::Build() && {
  ReferenceDatabase db;
  db.loci_ = std::move(loci_);
  for (int h = 0; h < kNumHypotheses; ++h) {
    Pending& p = pending_[h];
    if (p.rows == 0) continue;
    Segment s;
    s.hypothesis = static_cast<Hypothesis>(h);
    s.first_family = db.num_families_;
    s.rows = p.rows;
    constexpr size_t kPage = 4096 / sizeof(uint16_t);
    s.members = HypothesisMembers(s.hypothesis);
    const size_t values = size_t{p.rows} * s.members;
    s.stride = (values + kPage - 1) / kPage * kPage;
    s.num_columns = p.columns.size();
    // Large segments on 2 MiB boundaries and, where the kernel allows, huge pages: 20–40 streams over
    // hundreds of megabytes otherwise spend time in TLB misses.
    const size_t bytes = s.num_columns * s.stride * sizeof(uint16_t);
    const size_t align = bytes >= (size_t{8} << 20) ? size_t{2} << 20 : 4096;
    auto* data = static_cast<uint16_t*>(std::aligned_alloc(align, (bytes + align - 1) / align * align));
    if (data == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    if (align > 4096) madvise(data, (bytes + align - 1) / align * align, MADV_HUGEPAGE);
#endif
    s.data.reset(data);
    for (size_t c = 0; c < s.num_columns; ++c) {
      std::memcpy(data + c * s.stride, p.columns[c].data(), values * sizeof(uint16_t));
      std::memset(data + c * s.stride + values, 0, (s.stride - values) * sizeof(uint16_t));
      std::vector<uint16_t>().swap(p.columns[c]);  // release as we go: the peak stays one column above the result
    }
    if (labelled_) {
      const uint32_t base = static_cast<uint32_t>(db.labels_.size());
      db.labels_.append(p.labels);
      for (uint32_t e : p.label_end) db.label_end_.push_back(base + e);
    }
    db.num_families_ += p.rows;
    db.segments_.push_back(std::move(s));
    p = Pending{};
  }
  db.labels_.shrink_to_fit();
  db.label_end_.shrink_to_fit();
  return db;
}

ReferenceDatabase BuildReferenceDatabase(const ProfileSet& refs, std::vector<RowError>* rejected,
                                         DatabaseStats* stats) {
  DatabaseStats st;
  // Families in order of first appearance, so that numbering and output are deterministic.
  std::unordered_map<std::string_view, size_t> index;
  std::vector<std::vector<const Profile*>> families;
  for (const Profile& p : refs.profiles) {
    auto [it, fresh] = index.try_emplace(p.family_id, families.size());
    if (fresh) families.emplace_back();
    families[it->second].push_back(&p);
  }
  auto typed = [&](const Profile* p) {
    int n = 0;
    for (int l : refs.loci) n += p->genotypes[l].typed();
    return n;
  };
  auto genotypes = [&](const Profile* p) {
    std::vector<Genotype> g(refs.loci.size());
    for (size_t i = 0; i < refs.loci.size(); ++i) g[i] = p->genotypes[refs.loci[i]];
    return g;
  };

  DatabaseBuilder builder(refs.loci);
  for (const auto& members : families) {
    const Profile* father = nullptr;
    const Profile* mother = nullptr;
    std::vector<const Profile*> parents, children, siblings, selves;
    size_t rejected_here = 0;
    for (const Profile* p : members) {
      const Relation r = *p->relation;
      auto reject = [&](std::string why) {
        rejected->push_back({p->line, "relation", "dna.family.parents",
                             fmt::format("第 {} 行 relation 列：家系“{}”{}，本行未使用", p->line, p->family_id, why)});
        rejected_here++;
      };
      const size_t nparents = (father != nullptr) + (mother != nullptr) + parents.size();
      if (r == Relation::kFather && father) {
        reject("已有父亲样本（第 " + std::to_string(father->line) + " 行）");
      } else if (r == Relation::kMother && mother) {
        reject("已有母亲样本（第 " + std::to_string(mother->line) + " 行）");
      } else if ((r == Relation::kFather || r == Relation::kMother || r == Relation::kParent) && nparents >= 2) {
        reject("已有两名父母样本");
      } else if (r == Relation::kFather) {
        father = p;
      } else if (r == Relation::kMother) {
        mother = p;
      } else if (r == Relation::kParent) {
        parents.push_back(p);
      } else if (r == Relation::kChild) {
        children.push_back(p);
      } else if (r == Relation::kSibling) {
        siblings.push_back(p);
      } else {
        selves.push_back(p);
      }
    }
    std::vector<const Profile*> ps;  // the parents, father and mother first
    if (father) ps.push_back(father);
    if (mother) ps.push_back(mother);
    ps.insert(ps.end(), parents.begin(), parents.end());
    auto most_typed = [&](const std::vector<const Profile*>& v) {
      return *std::max_element(v.begin(), v.end(), [&](auto* x, auto* y) { return typed(x) < typed(y); });
    };
    const std::string& label = members[0]->family_id;
    size_t used = 1;
    if (ps.size() == 2) {
      builder.AddFamily(label, Hypothesis::kParents, genotypes(ps[0]), genotypes(ps[1]));
      used = 2;
    } else if (father) {
      builder.AddFamily(label, Hypothesis::kFather, genotypes(father));
    } else if (mother) {
      builder.AddFamily(label, Hypothesis::kMother, genotypes(mother));
    } else if (!parents.empty()) {
      builder.AddFamily(label, Hypothesis::kParent, genotypes(parents[0]));
    } else if (!children.empty()) {
      builder.AddFamily(label, Hypothesis::kChild, genotypes(most_typed(children)));
    } else if (!siblings.empty()) {
      builder.AddFamily(label, Hypothesis::kSibling, genotypes(most_typed(siblings)));
    } else if (!selves.empty()) {
      builder.AddFamily(label, Hypothesis::kSelf, genotypes(selves[0]));
    } else {
      continue;  // every member was rejected
    }
    st.families++;
    st.references_used += used;
    st.references_unused += members.size() - rejected_here - used;
  }
  if (stats) *stats = st;
  return std::move(builder).Build();
}

}  // namespace doudi::dna
