#include "tracing/dna/search.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <limits>
#include <mutex>
#include <thread>

namespace doudi::dna {

namespace {

constexpr uint32_t kBlock = 512;  // rows per block: the per-row products stay in L1
constexpr double kMaxLog = 290;   // a group's product stays within 10^±290 (doubles reach 10^±308)
constexpr double kNegInf = -std::numeric_limits<double>::infinity();

// Hit order: higher LR first, then lower family number.
bool Better(const Hit& x, const Hit& y) {
  return x.log10_lr != y.log10_lr ? x.log10_lr > y.log10_lr : x.family < y.family;
}

struct Pair {
  double e1, e2;
};

// One locus of a query's plan for one hypothesis.
struct LocusTable {
  int position = 0;               // locus position in the database
  int shift = 0;                  // single reference: index = a << shift | b
  std::vector<double> lr;         // single reference: LR by packed genotype index
  std::vector<Pair> terms;        // parents: per-allele transmission terms, e1 pre-scaled
};

// A query's tables for one hypothesis, loci split into groups whose products stay in range.
struct HypothesisPlan {
  bool present = false;
  std::vector<LocusTable> loci;
  std::vector<size_t> group_end;  // loci[group_end[g-1] .. group_end[g]) form group g
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

// Per-locus bounds of the LR (largest, smallest positive), for grouping.
void Bounds(const LocusTable& t, bool parents, double* hi, double* lo) {
  *hi = 0;
  *lo = std::numeric_limits<double>::infinity();
  if (!parents) {
    for (double v : t.lr) {
      *hi = std::max(*hi, v);
      if (v > 0) *lo = std::min(*lo, v);
    }
    return;
  }
  // LR = A1·B2 + A2·B1 with A_i, B_i sums of two terms: bounded by the terms' extremes.
  double max1 = 0, max2 = 0, min1 = std::numeric_limits<double>::infinity(), min2 = min1;
  for (const Pair& p : t.terms) {
    max1 = std::max(max1, p.e1);
    max2 = std::max(max2, p.e2);
    if (p.e1 > 0) min1 = std::min(min1, p.e1);
    if (p.e2 > 0) min2 = std::min(min2, p.e2);
  }
  *hi = 8 * max1 * max2;
  *lo = min1 * min2;
}

HypothesisPlan MakePlan(const ReferenceDatabase& db, const KinshipModel& model, Hypothesis h,
                        std::span<const Genotype> query) {
  HypothesisPlan plan;
  plan.present = true;
  const bool parents = h == Hypothesis::kParents;
  double hi_sum = 0, lo_sum = 0;
  for (size_t pos = 0; pos < db.loci().size(); ++pos) {
    const int locus = db.loci()[pos];
    const Genotype q = query[locus];
    if (!q.typed()) continue;
    const LocusModel& m = model.locus(locus);
    QueryLocus ql(m, h, q);
    LocusTable t;
    t.position = static_cast<int>(pos);
    const int n = m.n();
    if (parents) {
      t.terms.resize(n + 1);
      for (int x = 0; x <= n; ++x) t.terms[x] = {ql.parents_scale() * ql.e1(x), ql.e2(x)};
    } else {
      t.shift = std::bit_width(static_cast<unsigned>(n));
      t.lr.assign(size_t{1} << (2 * t.shift), 0.0);
      t.lr[0] = 1;  // reference not typed here
      for (int a = 1; a <= n; ++a) {
        for (int b = a; b <= n; ++b) t.lr[(a << t.shift) | b] = ql.Lr(Genotype::Of(a, b));
      }
    }
    double hi, lo;
    Bounds(t, parents, &hi, &lo);
    const double lhi = hi > 1 ? std::log10(hi) : 0, llo = lo < 1 ? std::log10(lo) : 0;
    if (!plan.loci.empty() && (hi_sum + lhi > kMaxLog || lo_sum + llo < -kMaxLog)) {
      plan.group_end.push_back(plan.loci.size());
      hi_sum = lo_sum = 0;
    }
    hi_sum += lhi;
    lo_sum += llo;
    plan.loci.push_back(std::move(t));
  }
  plan.group_end.push_back(plan.loci.size());
  return plan;
}

// prod[i] (*)= LR of rows [row, row+len) at loci [begin, end) of a single-reference plan.
void MultiplySingle(const ReferenceDatabase& db, const Segment& s, const HypothesisPlan& plan, size_t begin,
                    size_t end, uint32_t row, uint32_t len, double* prod) {
  for (uint32_t i = 0; i < len; ++i) prod[i] = 1;
  size_t l = begin;
  // Two loci per pass: half the loads and stores of the product array.
  for (; l + 1 < end; l += 2) {
    const LocusTable& t1 = plan.loci[l];
    const LocusTable& t2 = plan.loci[l + 1];
    const uint16_t* c1 = db.column(s, 0, t1.position).data() + row;
    const uint16_t* c2 = db.column(s, 0, t2.position).data() + row;
    const double* lr1 = t1.lr.data();
    const double* lr2 = t2.lr.data();
    const int s1 = t1.shift, s2 = t2.shift;
    for (uint32_t i = 0; i < len; ++i) {
      const unsigned g1 = c1[i], g2 = c2[i];
      prod[i] *= lr1[((g1 & 0xff) << s1) | (g1 >> 8)] * lr2[((g2 & 0xff) << s2) | (g2 >> 8)];
    }
  }
  if (l < end) {
    const LocusTable& t = plan.loci[l];
    const uint16_t* c = db.column(s, 0, t.position).data() + row;
    const double* lr = t.lr.data();
    const int sh = t.shift;
    for (uint32_t i = 0; i < len; ++i) {
      const unsigned g = c[i];
      prod[i] *= lr[((g & 0xff) << sh) | (g >> 8)];
    }
  }
}

void MultiplyParents(const ReferenceDatabase& db, const Segment& s, const HypothesisPlan& plan, size_t begin,
                     size_t end, uint32_t row, uint32_t len, double* prod) {
  for (uint32_t i = 0; i < len; ++i) prod[i] = 1;
  for (size_t l = begin; l < end; ++l) {
    const LocusTable& t = plan.loci[l];
    const uint16_t* f = db.column(s, 0, t.position).data() + row;
    const uint16_t* m = db.column(s, 1, t.position).data() + row;
    const Pair* e = t.terms.data();
    for (uint32_t i = 0; i < len; ++i) {
      const unsigned gf = f[i], gm = m[i];
      const Pair& fa = e[gf & 0xff];
      const Pair& fb = e[gf >> 8];
      const Pair& ma = e[gm & 0xff];
      const Pair& mb = e[gm >> 8];
      const double a1 = fa.e1 + fb.e1, a2 = fa.e2 + fb.e2, b1 = ma.e1 + mb.e1, b2 = ma.e2 + mb.e2;
      prod[i] *= a1 * b2 + a2 * b1;
    }
  }
}

// Scans rows [r0, r1) of one segment into top.
void ScanRows(const ReferenceDatabase& db, const Segment& s, const HypothesisPlan& plan, uint32_t r0, uint32_t r1,
              TopK* top) {
  alignas(64) double prod[kBlock];
  alignas(64) double acc[kBlock];
  const bool parents = s.hypothesis == Hypothesis::kParents;
  const size_t groups = plan.group_end.size();
  for (uint32_t row = r0; row < r1; row += kBlock) {
    const uint32_t len = std::min(kBlock, r1 - row);
    const uint32_t family = s.first_family + row;
    size_t begin = 0;
    for (size_t g = 0; g < groups; ++g) {
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
      for (uint32_t i = 0; i < len; ++i) {
        if (prod[i] > top->linear_threshold()) top->Offer(std::log10(prod[i]), family + i);
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
  std::vector<HypothesisPlan> plans(kNumHypotheses);
  for (const Segment& s : db_->segments()) {
    HypothesisPlan& p = plans[static_cast<int>(s.hypothesis)];
    if (!p.present) p = MakePlan(*db_, *model_, s.hypothesis, query);
  }
  threads = std::max(threads, 1);
  std::vector<TopK> tops(threads, TopK(options_.top_k));
  auto work = [&](int t) {
    for (const Segment& s : db_->segments()) {
      // Equal shares of each segment, in whole blocks.
      uint32_t per = (s.rows + threads - 1) / threads;
      per = (per + kBlock - 1) / kBlock * kBlock;
      const uint32_t r0 = std::min<uint64_t>(uint64_t{per} * t, s.rows);
      const uint32_t r1 = std::min<uint64_t>(uint64_t{per} * (t + 1), s.rows);
      if (r0 < r1) ScanRows(*db_, s, plans[static_cast<int>(s.hypothesis)], r0, r1, &tops[t]);
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
