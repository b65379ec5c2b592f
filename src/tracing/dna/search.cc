#include "tracing/dna/search.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>

#include "tracing/dna/vector_scan.h"

namespace doudi::dna {

namespace {

constexpr uint32_t kBlock = scan::kMaxBlock;  // rows per block: the per-row products stay in L1
constexpr double kMaxLog = 290;   // a group's product stays within 10^±290 (doubles reach 10^±308)
constexpr double kNegInf = -std::numeric_limits<double>::infinity();

// Hit order: higher LR first, then lower family number.
bool Better(const Hit& x, const Hit& y) {
  return x.log10_lr != y.log10_lr ? x.log10_lr > y.log10_lr : x.family < y.family;
}

struct Pair {
  double x, y;
};

// One locus of a query's plan for one hypothesis.
struct LocusTable {
  int position = 0;            // locus position in the database
  std::vector<double> u, v;    // the pair form (QueryLocus::PairForm)
  double hi = 0, lo = 0;       // largest and smallest positive LR
  // The scalar scan's tables, indexed by the packed genotype itself (a | b << 8, a ≤ b) so that the scan does no
  // index arithmetic: 64K entries of which only a ≤ b ≤ n are written and ever read; with alleles numbered by
  // descending frequency the common genotypes share a few cache lines. Built only when the vector scan is not
  // used.
  std::unique_ptr<double[]> lr;  // one reference: the LR
  std::unique_ptr<Pair[]> terms;  // parents: (u[a] + u[b], v[a] + v[b]); LR = x(f)·y(m) + y(f)·x(m)
};

// A query's tables for one hypothesis (one database segment).
struct HypothesisPlan {
  bool present = false;
  bool parents = false;
  std::vector<LocusTable> loci;
  std::vector<size_t> group_end;  // loci[group_end[g-1] .. group_end[g]) form group g (double range)
  bool vector = false;            // scanned by the AVX-512 kernel
  scan::VectorPlan vplan;
};

// The best k hits seen so far, with a linear-space threshold for the scan's fast rejection.
class TopK {
 public:
  explicit TopK(int k) : k_(static_cast<size_t>(k)) { heap_.reserve(k_ + 1); }

  // Rows whose LR product is not above this cannot enter (−1 while not full: everything can).
  double linear_threshold() const { return threshold_; }
  double log_threshold() const { return full() ? heap_.front().log10_lr : kNegInf; }

  void Offer(double log10_lr, uint32_t family) {
    Hit h{log10_lr, family};
    if (full()) {
      if (!Better(h, heap_.front())) return;
      std::pop_heap(heap_.begin(), heap_.end(), Better);
      heap_.back() = h;
    } else {
      heap_.push_back(h);
    }
    std::push_heap(heap_.begin(), heap_.end(), Better);  // the worst hit on top
    if (full()) {
      double w = heap_.front().log10_lr;
      // Slightly below the worst so that rounding between log and linear space never drops an equal row.
      threshold_ = w == kNegInf ? 0 : std::pow(10.0, w) * (1 - 1e-9);
    }
  }
  std::vector<Hit>& hits() { return heap_; }

 private:
  bool full() const { return heap_.size() >= k_; }
  size_t k_;
  std::vector<Hit> heap_;
  double threshold_ = -1;
};

constexpr size_t kTableSize = 1 << 16;
inline unsigned Packed(int a, int b) { return static_cast<unsigned>(a | (b << 8)); }

// Range limits of the vector scan's float arithmetic (floats reach 10^±38).
constexpr double kFloatMax = 1e30, kFloatMin = 1e-30, kFloatGroupLog = 30;

// Whether the vector kernel can run this plan exactly enough: few alleles, values and products in float range.
bool FitsVector(const HypothesisPlan& plan, const std::vector<int>& allele_counts) {
  if (plan.group_end.size() != 1) return false;
  for (size_t i = 0; i < plan.loci.size(); ++i) {
    const LocusTable& t = plan.loci[i];
    if (allele_counts[i] > 63 || t.hi > kFloatMax || t.lo < kFloatMin) return false;
    for (const auto* vec : {&t.u, &t.v}) {
      for (double x : *vec) {
        if (x != 0 && (std::abs(x) > kFloatMax || std::abs(x) < kFloatMin)) return false;
      }
    }
  }
  return true;
}

HypothesisPlan MakePlan(const ReferenceDatabase& db, const Segment& segment, const KinshipModel& model,
                        std::span<const Genotype> query, bool allow_vector) {
  HypothesisPlan plan;
  plan.present = true;
  plan.parents = segment.hypothesis == Hypothesis::kParents;
  std::vector<int> allele_counts;
  double hi_sum = 0, lo_sum = 0;
  for (size_t pos = 0; pos < db.loci().size(); ++pos) {
    const int locus = db.loci()[pos];
    const Genotype q = query[locus];
    if (!q.typed()) continue;
    const LocusModel& m = model.locus(locus);
    const int n = m.n();
    LocusTable t;
    t.position = static_cast<int>(pos);
    QueryLocus(m, segment.hypothesis, q).PairForm(&t.u, &t.v);
    const std::vector<double>&u = t.u, &v = t.v;
    // Bounds of the LR over every genotype (and "not typed").
    t.hi = plan.parents ? 0 : 1;
    t.lo = plan.parents ? std::numeric_limits<double>::infinity() : 1;
    if (plan.parents) {
      // LR = F.u·M.v + F.v·M.u with F, M sums of two entries each.
      double max_u = 0, max_v = 0, min_u = t.lo, min_v = t.lo;
      auto see = [&](double fu, double fv) {
        max_u = std::max(max_u, fu);
        max_v = std::max(max_v, fv);
        if (fu > 0) min_u = std::min(min_u, fu);
        if (fv > 0) min_v = std::min(min_v, fv);
      };
      see(2 * u[0], 2 * v[0]);
      for (int b = 1; b <= n; ++b) {
        for (int a = 1; a <= b; ++a) see(u[a] + u[b], v[a] + v[b]);
      }
      t.hi = 2 * max_u * max_v;
      t.lo = min_u * min_v;
    } else {
      for (int b = 1; b <= n; ++b) {
        for (int a = 1; a <= b; ++a) {
          const double lr = u[a] * v[b] + u[b] * v[a];
          t.hi = std::max(t.hi, lr);
          if (lr > 0) t.lo = std::min(t.lo, lr);
        }
      }
    }
    const double lhi = t.hi > 1 ? std::log10(t.hi) : 0, llo = t.lo < 1 ? std::log10(t.lo) : 0;
    if (!plan.loci.empty() && (hi_sum + lhi > kMaxLog || lo_sum + llo < -kMaxLog)) {
      plan.group_end.push_back(plan.loci.size());
      hi_sum = lo_sum = 0;
    }
    hi_sum += lhi;
    lo_sum += llo;
    plan.loci.push_back(std::move(t));
    allele_counts.push_back(n);
  }
  plan.group_end.push_back(plan.loci.size());

  plan.vector = allow_vector && !plan.loci.empty() && scan::CpuHasAvx512() && FitsVector(plan, allele_counts);
  if (plan.vector) {
    plan.vplan.parents = plan.parents;
    plan.vplan.additive = !plan.parents;
    for (const LocusTable& t : plan.loci) {
      plan.vplan.additive &= std::all_of(t.v.begin(), t.v.end(), [](double x) { return x == 1; });
    }
    plan.vplan.loci.resize(plan.loci.size());
    double fhi = 0, flo = 0;
    for (size_t i = 0; i < plan.loci.size(); ++i) {
      const LocusTable& t = plan.loci[i];
      scan::VectorLocus& vl = plan.vplan.loci[i];
      std::fill(std::begin(vl.u), std::end(vl.u), 0.0f);
      std::fill(std::begin(vl.v), std::end(vl.v), 0.0f);
      for (size_t x = 0; x < t.u.size(); ++x) {
        vl.u[x] = static_cast<float>(t.u[x]);
        vl.v[x] = static_cast<float>(t.v[x]);
      }
      vl.column = db.column(segment, t.position);
      vl.wide = allele_counts[i] > 31;
      // Close the float group before a locus that could take the product out of float range.
      const double lhi = t.hi > 1 ? std::log10(t.hi) : 0, llo = t.lo < 1 ? std::log10(t.lo) : 0;
      if (i > 0 && (fhi + lhi > kFloatGroupLog || flo + llo < -kFloatGroupLog)) {
        plan.vplan.loci[i - 1].flush = true;
        fhi = flo = 0;
      }
      fhi += lhi;
      flo += llo;
      vl.flush = false;
    }
    plan.vplan.loci.back().flush = true;
    return plan;
  }

  for (size_t i = 0; i < plan.loci.size(); ++i) {
    LocusTable& t = plan.loci[i];
    const int n = allele_counts[i];
    const std::vector<double>&u = t.u, &v = t.v;
    if (plan.parents) {
      t.terms = std::make_unique_for_overwrite<Pair[]>(kTableSize);  // only a ≤ b ≤ n are read
      t.terms[0] = {2 * u[0], 2 * v[0]};
      for (int b = 1; b <= n; ++b) {
        for (int a = 1; a <= b; ++a) t.terms[Packed(a, b)] = {u[a] + u[b], v[a] + v[b]};
      }
    } else {
      t.lr = std::make_unique_for_overwrite<double[]>(kTableSize);
      t.lr[0] = 1;
      for (int b = 1; b <= n; ++b) {
        for (int a = 1; a <= b; ++a) t.lr[Packed(a, b)] = u[a] * v[b] + u[b] * v[a];
      }
    }
  }
  return plan;
}

// prod[i] = LR of rows [row, row+len) over loci [begin, end) of a single-reference plan.
void MultiplySingle(const ReferenceDatabase& db, const Segment& s, const HypothesisPlan& plan, size_t begin,
                    size_t end, uint32_t row, uint32_t len, double* prod) {
  for (uint32_t i = 0; i < len; ++i) prod[i] = 1;
  size_t l = begin;
  auto col = [&](size_t j) { return db.column(s, plan.loci[j].position) + row; };
  // Four loci per pass over the block: a quarter of the loads and stores of the product array.
  for (; l + 4 <= end; l += 4) {
    const uint16_t *c0 = col(l), *c1 = col(l + 1), *c2 = col(l + 2), *c3 = col(l + 3);
    const double *t0 = plan.loci[l].lr.get(), *t1 = plan.loci[l + 1].lr.get(), *t2 = plan.loci[l + 2].lr.get(),
                 *t3 = plan.loci[l + 3].lr.get();
    for (uint32_t i = 0; i < len; ++i) prod[i] *= (t0[c0[i]] * t1[c1[i]]) * (t2[c2[i]] * t3[c3[i]]);
  }
  for (; l < end; ++l) {
    const uint16_t* c = col(l);
    const double* t = plan.loci[l].lr.get();
    for (uint32_t i = 0; i < len; ++i) prod[i] *= t[c[i]];
  }
}

void MultiplyParents(const ReferenceDatabase& db, const Segment& s, const HypothesisPlan& plan, size_t begin,
                     size_t end, uint32_t row, uint32_t len, double* prod) {
  for (uint32_t i = 0; i < len; ++i) prod[i] = 1;
  size_t l = begin;
  for (; l + 2 <= end; l += 2) {
    const LocusTable &t0 = plan.loci[l], &t1 = plan.loci[l + 1];
    // Father and mother side by side: [2i] and [2i + 1].
    const uint16_t* c0 = db.column(s, t0.position) + 2 * size_t{row};
    const uint16_t* c1 = db.column(s, t1.position) + 2 * size_t{row};
    const Pair *e0 = t0.terms.get(), *e1 = t1.terms.get();
    for (uint32_t i = 0; i < len; ++i) {
      const Pair &a = e0[c0[2 * i]], &b = e0[c0[2 * i + 1]], &c = e1[c1[2 * i]], &d = e1[c1[2 * i + 1]];
      prod[i] *= (a.x * b.y + a.y * b.x) * (c.x * d.y + c.y * d.x);
    }
  }
  for (; l < end; ++l) {
    const LocusTable& t = plan.loci[l];
    const uint16_t* c = db.column(s, t.position) + 2 * size_t{row};
    const Pair* e = t.terms.get();
    for (uint32_t i = 0; i < len; ++i) {
      const Pair &a = e[c[2 * i]], &b = e[c[2 * i + 1]];
      prod[i] *= a.x * b.y + a.y * b.x;
    }
  }
}

// Scans rows [r0, r1) of one segment into top.
void ScanRows(const ReferenceDatabase& db, const Segment& s, const HypothesisPlan& plan, uint32_t r0, uint32_t r1,
              TopK* top) {
  alignas(64) double prod[kBlock];
  alignas(64) double acc[kBlock];
  const bool parents = plan.parents;
  const size_t groups = plan.group_end.size();
  for (uint32_t row = r0; row < r1; row += kBlock) {
    const uint32_t len = std::min(kBlock, r1 - row);
    const uint32_t family = s.first_family + row;
    size_t begin = 0;
    if (plan.vector) {
      const uint32_t full = len & ~15u;
      if (full) scan::MultiplyAvx512(plan.vplan, row, full, prod);
      if (full < len) scan::MultiplyRows(plan.vplan, row + full, len - full, prod + full);
    }
    for (size_t g = 0; g < groups && !plan.vector; ++g) {
      const size_t end = plan.group_end[g];
      if (parents) {
        MultiplyParents(db, s, plan, begin, end, row, len, prod);
      } else {
        MultiplySingle(db, s, plan, begin, end, row, len, prod);
      }
      begin = end;
      if (groups > 1) {
        for (uint32_t i = 0; i < len; ++i) acc[i] = (g == 0 ? 0 : acc[i]) + std::log10(prod[i]);
      }
    }
    if (groups == 1) {
      double threshold = top->linear_threshold();
      for (uint32_t i = 0; i < len; ++i) {
        if (prod[i] > threshold) [[unlikely]] {
          top->Offer(std::log10(prod[i]), family + i);
          threshold = top->linear_threshold();
        }
      }
    } else {
      for (uint32_t i = 0; i < len; ++i) {
        if (acc[i] >= top->log_threshold()) top->Offer(acc[i], family + i);
      }
    }
  }
}

}  // namespace

Searcher::Searcher(const ReferenceDatabase& db, const KinshipModel& model, SearchOptions options)
    : db_(&db), model_(&model), options_(options) {
  threads_ = options_.threads > 0 ? options_.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads_ = std::max(threads_, 1);
  options_.top_k = std::max(options_.top_k, 1);
}

double Searcher::prior() const {
  if (options_.prior > 0) return options_.prior;
  return db_->num_families() > 0 ? 1.0 / db_->num_families() : 0;
}

std::vector<Hit> Searcher::Scan(std::span<const Genotype> query, int threads) const {
  std::vector<HypothesisPlan> plans;
  plans.reserve(db_->segments().size());
  for (const Segment& s : db_->segments()) plans.push_back(MakePlan(*db_, s, *model_, query, options_.vector));
  threads = std::max(threads, 1);
  std::vector<TopK> tops(threads, TopK(options_.top_k));
  auto work = [&](int t) {
    for (const Segment& s : db_->segments()) {
      // Equal shares of each segment, in whole blocks.
      uint32_t per = (s.rows + threads - 1) / threads;
      per = (per + kBlock - 1) / kBlock * kBlock;
      const uint32_t r0 = std::min<uint64_t>(uint64_t{per} * t, s.rows);
      const uint32_t r1 = std::min<uint64_t>(uint64_t{per} * (t + 1), s.rows);
      if (r0 < r1) ScanRows(*db_, s, plans[&s - db_->segments().data()], r0, r1, &tops[t]);
    }
  };
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool) th.join();
  }
  std::vector<Hit> all;
  for (TopK& t : tops) all.insert(all.end(), t.hits().begin(), t.hits().end());
  std::sort(all.begin(), all.end(), Better);
  if (all.size() > static_cast<size_t>(options_.top_k)) all.resize(options_.top_k);
  return all;
}

std::vector<Candidate> Searcher::Explain(std::span<const Genotype> query, const std::vector<Hit>& hits) const {
  const std::vector<int>& loci = db_->loci();
  std::vector<Genotype> q(loci.size());
  for (size_t i = 0; i < loci.size(); ++i) q[i] = query[loci[i]];
  std::vector<Candidate> out;
  out.reserve(hits.size());
  for (const Hit& h : hits) {
    Candidate c;
    c.family = h.family;
    c.hypothesis = db_->hypothesis(h.family);
    std::vector<Genotype> first = db_->Genotypes(h.family, 0);
    std::vector<Genotype> second;
    if (c.hypothesis == Hypothesis::kParents) second = db_->Genotypes(h.family, 1);
    KinshipResult r = Compare(*model_, c.hypothesis, loci, first, second, q);
    c.log10_lr = r.log10_lr;
    c.posterior = Posterior(r.log10_lr, prior());
    c.conclusion = Conclude(r, options_.thresholds);
    c.loci_compared = r.loci_compared;
    c.inconsistent_loci = r.inconsistent_loci;
    c.per_locus = std::move(r.per_locus);
    out.push_back(std::move(c));
  }
  // The explanation's direct formulas decide the final order (they agree with the scan to rounding).
  std::stable_sort(out.begin(), out.end(), [](const Candidate& x, const Candidate& y) {
    return Better({x.log10_lr, x.family}, {y.log10_lr, y.family});
  });
  return out;
}

std::vector<Candidate> Searcher::Search(std::span<const Genotype> query) const {
  return Explain(query, Scan(query, threads_));
}

std::vector<std::vector<Candidate>> Searcher::SearchAll(std::span<const std::vector<Genotype>> queries,
                                                        const std::function<void(size_t, size_t)>& progress) const {
  std::vector<std::vector<Candidate>> out(queries.size());
  std::mutex mu;
  size_t done = 0;
  auto report = [&] {
    std::lock_guard lock(mu);
    ++done;
    if (progress) progress(done, queries.size());
  };
  if (queries.size() < static_cast<size_t>(threads_) * 2) {
    // Few queries: each uses every thread.
    for (size_t i = 0; i < queries.size(); ++i) {
      out[i] = Search(queries[i]);
      report();
    }
    return out;
  }
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < queries.size();) {
      out[i] = Explain(queries[i], Scan(queries[i], 1));
      report();
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads_; ++t) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();
  return out;
}

}  // namespace doudi::dna
