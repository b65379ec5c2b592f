#include "tracing/linkage/linker.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <mutex>
#include <numeric>
#include <random>
#include <thread>
#include <unordered_map>

#include "tracing/linkage/jaro_winkler.h"
#include "tracing/linkage/pinyin.h"

namespace doudi::linkage {

namespace {

// Distinguishing marks: words for the mark itself (bits 0–31) and for where it is (bits 32–63). Longer words
// first where one contains another, because the scan takes the longest match.
constexpr std::u32string_view kMarkWords[] = {
    U"胎记", U"纹身", U"刺青", U"断指", U"六指", U"兔唇", U"唇裂", U"斜视", U"口吃", U"结巴", U"龅牙",
    U"虎牙", U"酒窝", U"白发", U"近视", U"驼背", U"烫伤", U"烧伤", U"伤疤", U"疤痕", U"耳洞", U"跛",
    U"瘸",   U"聋",   U"哑",   U"痣",   U"疤",   U"秃",   U"缺",   U"胎",   U"瞎",   U"瘤"};
constexpr std::u32string_view kPartWords[] = {
    U"左", U"右", U"额", U"头", U"眉", U"眼", U"耳", U"鼻", U"嘴", U"唇", U"脸", U"颈", U"肩", U"手", U"臂", U"腕",
    U"指", U"腿", U"膝", U"脚", U"背", U"胸", U"腹", U"腰", U"臀", U"牙", U"下巴", U"脖"};
static_assert(std::size(kMarkWords) <= 32 && std::size(kPartWords) <= 32);
constexpr uint64_t kMarkMask = 0xffffffffull;

// Median heights (cm) by age 0..18 of Chinese boys and girls, rounded from the national growth standards
// (2009 / WS/T 423-2022 tables; accurate to a couple of centimetres, enough for a tolerance of 5 or more).
constexpr float kBoys[19] = {50, 76, 88, 97, 104, 111, 118, 124, 130, 135, 141, 147, 154, 161, 166, 169, 171, 171, 172};
constexpr float kGirls[19] = {49, 75, 87, 96, 103, 110, 116, 123, 129, 135, 141, 148, 153, 156, 158, 159, 160, 160, 160};

struct Arrays {
  std::vector<uint32_t> raw, simple, pinyin, fuzzy, block;
  std::vector<uint32_t> joined_begin;
  std::vector<uint8_t> joined_len;
  std::string arena;
  std::vector<uint8_t> sex, has_birth;
  std::vector<float> birth, unc, age, height;
  std::vector<int32_t> day;
  std::vector<uint32_t> dialect;
  std::vector<Place> home, place;
  std::vector<uint64_t> marks;
  size_t size() const { return sex.size(); }
  std::string_view joined(uint32_t i) const { return {arena.data() + joined_begin[i], joined_len[i]}; }
};

class Interner {
 public:
  uint32_t Id(const std::string& s) {
    if (s.empty()) return 0;
    auto [it, inserted] = ids_.emplace(s, static_cast<uint32_t>(ids_.size() + 1));
    return it->second;
  }
  size_t size() const { return ids_.size() + 1; }

 private:
  std::unordered_map<std::string, uint32_t> ids_;
};

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

std::string_view RuleName(Rule r) {
  switch (r) {
    case Rule::kSexBirthYear: return "sex_birth_year";
    case Rule::kPinyinSurname: return "pinyin_surname";
    case Rule::kCounty: return "county";
  }
  return "";
}

int AgeLevel(float a, float b, float tol) {
  const float d = std::abs(a - b);
  return d <= tol / 2 ? 0 : d <= tol ? 1 : d <= 2 * tol ? 2 : 3;
}

float MedianHeight(Sex sex, float age) {
  age = std::clamp(age, 0.0f, 18.0f);
  const int lo = static_cast<int>(age);
  const int hi = std::min(lo + 1, 18);
  const float t = age - lo;
  auto at = [&](int y) {
    return sex == Sex::kMale ? kBoys[y] : sex == Sex::kFemale ? kGirls[y] : (kBoys[y] + kGirls[y]) / 2;
  };
  return at(lo) * (1 - t) + at(hi) * t;
}

int HeightLevel(Sex sex, float ha, float aa, float hb, float ab) {
  if (aa > ab) {
    std::swap(ha, hb);
    std::swap(aa, ab);
  }
  // Project the younger measurement to the older age along the median growth curve.
  const float projected = ha * MedianHeight(sex, ab) / MedianHeight(sex, aa);
  const float growth_years = std::min(ab, 18.0f) - std::min(aa, 18.0f);
  const float tol = std::min(5.0f + 1.0f * growth_years, 15.0f);
  const float d = std::abs(projected - hb);
  return d <= tol ? 0 : d <= 2 * tol ? 1 : 2;
}

uint64_t MarkKeywords(std::string_view text) {
  const std::u32string s = DecodeUtf8(text);
  uint64_t bits = 0;
  for (size_t i = 0; i < s.size();) {
    size_t best = 0;
    int bit = -1;
    auto scan = [&](const std::u32string_view* words, size_t n, int offset) {
      for (size_t w = 0; w < n; ++w) {
        if (words[w].size() > best && std::u32string_view(s).substr(i).starts_with(words[w])) {
          best = words[w].size();
          bit = offset + static_cast<int>(w);
        }
      }
    };
    scan(kMarkWords, std::size(kMarkWords), 0);
    scan(kPartWords, std::size(kPartWords), 32);
    if (bit >= 0) {
      bits |= uint64_t{1} << bit;
      i += best;
    } else {
      ++i;
    }
  }
  return bits;
}

int MarksLevel(uint64_t a, uint64_t b) {
  const uint64_t common = a & b;
  const int n = std::popcount(common);
  if (n >= 2 && (common & kMarkMask)) return 0;
  return n >= 1 ? 1 : 2;
}

Place ParsePlace(std::string_view d) {
  Place p;
  if (d.size() < 2) return p;
  const size_t n = std::min<size_t>(d.size(), 6);
  int32_t code = 0;
  for (size_t i = 0; i < 6; ++i) code = code * 10 + (i < n ? d[i] - '0' : 0);
  p.code = code;
  p.precision = n >= 6 ? 3 : n >= 4 ? 2 : 1;
  // "4210" + "00" style codes (市辖区 placeholders aside) are still a city; a code ending in 00 is not a county.
  if (p.precision == 3 && code % 100 == 0) p.precision = 2;
  if (p.precision >= 2 && (code / 100) % 100 == 0) p.precision = 1;
  return p;
}

int PlaceLevel(Place a, Place b) {
  const int p = std::min(a.precision, b.precision);
  if (p >= 3 && a.code == b.code) return 0;
  if (p >= 2 && a.code / 100 == b.code / 100) return 1;
  if (a.code / 10000 == b.code / 10000) return 2;
  return 3;
}

struct Linker::Data {
  bool self = false;
  bool chronology = false;  // a is missing reports and b unidentified persons
  Arrays a_store, b_store;
  const Arrays* A = nullptr;
  const Arrays* B = nullptr;
  std::vector<float> name_tf;                       // by simplified-name id: share of named records
  std::unordered_map<int32_t, float> home_tf, place_tf;  // by county code: share of records with a county
  // Rule 1: per sex, record indices of A sorted by birth estimate.
  std::vector<uint32_t> r1_index[3];
  std::vector<float> r1_birth[3];
  float max_unc_a = 0;
  // Rule 2: block key id → A indices.
  std::vector<std::vector<uint32_t>> r2;
  // Rule 3: county → A indices (each once).
  std::unordered_map<int32_t, std::vector<uint32_t>> r3;

  bool R1(uint32_t a, uint32_t b) const {
    return A->sex[a] != 0 && A->sex[a] == B->sex[b] && A->has_birth[a] && B->has_birth[b] &&
           std::abs(A->birth[a] - B->birth[b]) <= AgeTolerance(A->unc[a], B->unc[b]);
  }
  bool R2(uint32_t a, uint32_t b) const { return A->block[a] != 0 && A->block[a] == B->block[b]; }
  static bool HasCounty(const Arrays& s, uint32_t i, int32_t c) {
    return (s.home[i].precision == 3 && s.home[i].code == c) || (s.place[i].precision == 3 && s.place[i].code == c);
  }

  template <class Visit>
  void Candidates(uint32_t b, Visit&& visit) const {
    const Arrays& S = *B;
    auto ok = [&](uint32_t a) { return !self || a < b; };
    const int sex = S.sex[b];
    if (sex != 0 && S.has_birth[b]) {
      const float w = S.unc[b] + max_unc_a;
      const auto& births = r1_birth[sex];
      const auto& idx = r1_index[sex];
      auto lo = std::lower_bound(births.begin(), births.end(), S.birth[b] - w);
      for (auto it = lo; it != births.end() && *it <= S.birth[b] + w; ++it) {
        const uint32_t a = idx[it - births.begin()];
        if (ok(a) && R1(a, b)) visit(a, Rule::kSexBirthYear);
      }
    }
    if (S.block[b] != 0 && S.block[b] < r2.size()) {
      for (uint32_t a : r2[S.block[b]]) {
        if (ok(a) && !R1(a, b)) visit(a, Rule::kPinyinSurname);
      }
    }
    int32_t counties[2];
    int n = 0;
    if (S.home[b].precision == 3) counties[n++] = S.home[b].code;
    if (S.place[b].precision == 3 && (n == 0 || counties[0] != S.place[b].code)) counties[n++] = S.place[b].code;
    for (int k = 0; k < n; ++k) {
      auto it = r3.find(counties[k]);
      if (it == r3.end()) continue;
      for (uint32_t a : it->second) {
        if (!ok(a) || R1(a, b) || R2(a, b)) continue;
        if (k == 1 && HasCounty(*A, a, counties[0])) continue;  // produced under the first county
        visit(a, Rule::kCounty);
      }
    }
  }

  // Levels of every field but the name (cheap), and the name's level separately (may need Jaro–Winkler).
  void CheapLevels(uint32_t a, uint32_t b, Levels& l) const {
    const Arrays &X = *A, &Y = *B;
    l[kSex] = (X.sex[a] == 0 || Y.sex[b] == 0) ? -1 : X.sex[a] == Y.sex[b] ? 0 : 1;
    l[kAge] = (X.has_birth[a] && Y.has_birth[b]) ? AgeLevel(X.birth[a], Y.birth[b], AgeTolerance(X.unc[a], Y.unc[b]))
                                                 : -1;
    if (X.height[a] > 0 && Y.height[b] > 0 && X.age[a] >= 0 && Y.age[b] >= 0) {
      const Sex sex = static_cast<Sex>(X.sex[a] == Y.sex[b] ? X.sex[a] : 0);
      l[kHeight] = static_cast<int8_t>(HeightLevel(sex, X.height[a], X.age[a], Y.height[b], Y.age[b]));
    } else {
      l[kHeight] = -1;
    }
    l[kDialect] = (X.dialect[a] == 0 || Y.dialect[b] == 0) ? -1 : X.dialect[a] == Y.dialect[b] ? 0 : 1;
    l[kHome] = (X.home[a].precision && Y.home[b].precision) ? PlaceLevel(X.home[a], Y.home[b]) : -1;
    l[kPlace] = (X.place[a].precision && Y.place[b].precision) ? PlaceLevel(X.place[a], Y.place[b]) : -1;
    l[kChronology] = chronology ? (Y.day[b] >= X.day[a] ? 0 : 1) : -1;
    l[kMarks] = (X.marks[a] && Y.marks[b]) ? MarksLevel(X.marks[a], Y.marks[b]) : -1;
  }
  // Name level without Jaro–Winkler: 0–3 when an interned form agrees, 6 when JW is needed, -1 missing.
  int QuickNameLevel(uint32_t a, uint32_t b) const {
    const Arrays &X = *A, &Y = *B;
    if (X.raw[a] == 0 || Y.raw[b] == 0) return -1;
    if (X.raw[a] == Y.raw[b]) return 0;
    if (X.simple[a] == Y.simple[b]) return 1;
    if (X.pinyin[a] != 0 && X.pinyin[a] == Y.pinyin[b]) return 2;
    if (X.fuzzy[a] != 0 && X.fuzzy[a] == Y.fuzzy[b]) return 3;
    return 6;
  }
  int JwNameLevel(uint32_t a, uint32_t b) const {
    const double jw = JaroWinkler(A->joined(a), B->joined(b));
    return jw >= 0.92 ? 4 : jw >= 0.84 ? 5 : 6;
  }
  double NameTf(const Parameters& p, int level, uint32_t a) const {
    if (level != 0 && level != 1) return 0;
    const float tf = name_tf[A->simple[a]];
    return std::clamp(std::log2(p.u[kName][level] / std::max(tf, 1e-9f)), -8.0, 8.0);
  }
  double PlaceTf(const Parameters& p, Field f, int level, uint32_t a) const {
    if (level != 0) return 0;
    const auto& table = f == kHome ? home_tf : place_tf;
    const Place pl = f == kHome ? A->home[a] : A->place[a];
    auto it = table.find(pl.code);
    if (it == table.end()) return 0;
    return std::clamp(std::log2(p.u[f][0] / std::max(it->second, 1e-9f)), -8.0, 8.0);
  }
};

namespace {

void Prepare(const std::vector<Record>& records, Arrays& s, Interner& names, Interner& blocks, Interner& dialects) {
  const size_t n = records.size();
  for (auto* v : {&s.raw, &s.simple, &s.pinyin, &s.fuzzy, &s.block, &s.joined_begin, &s.dialect}) v->resize(n);
  s.joined_len.resize(n);
  s.sex.resize(n);
  s.has_birth.resize(n);
  for (auto* v : {&s.birth, &s.unc, &s.age, &s.height}) v->resize(n);
  s.day.resize(n);
  s.home.resize(n);
  s.place.resize(n);
  s.marks.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const Record& r = records[i];
    if (!r.name.empty()) {
      s.raw[i] = names.Id("r" + r.name);
      s.simple[i] = names.Id("s" + SimplifyText(r.name));
      const auto syl = NamePinyin(r.name);
      std::string spaced, fuzzy, block;
      for (size_t k = 0; k < syl.size(); ++k) {
        spaced += (k ? " " : "") + syl[k];
        const std::string f = FuzzyFold(syl[k]);
        fuzzy += (k ? " " : "") + f;
        if (k == 0) {
          block = f + "|";
        } else if (!f.empty()) {
          block.push_back(f[0]);
        }
      }
      s.pinyin[i] = names.Id("p" + spaced);
      s.fuzzy[i] = names.Id("f" + fuzzy);
      s.block[i] = blocks.Id(block);
      const std::string joined = Joined(syl).substr(0, 255);
      s.joined_begin[i] = static_cast<uint32_t>(s.arena.size());
      s.joined_len[i] = static_cast<uint8_t>(joined.size());
      s.arena += joined;
    } else {
      s.joined_begin[i] = static_cast<uint32_t>(s.arena.size());
    }
    s.sex[i] = static_cast<uint8_t>(r.sex);
    s.has_birth[i] = r.has_birth;
    s.birth[i] = r.birth_year;
    s.unc[i] = r.birth_uncertainty;
    s.age[i] = r.age;
    s.height[i] = r.height_cm;
    s.day[i] = r.ref_day;
    s.dialect[i] = dialects.Id(r.dialect);
    s.home[i] = ParsePlace(r.home);
    s.place[i] = ParsePlace(r.place);
    s.marks[i] = MarkKeywords(r.marks);
  }
}

}  // namespace

Linker::Linker(const std::vector<Record>& a, const std::vector<Record>& b, bool self) : d_(std::make_unique<Data>()) {
  Data& d = *d_;
  d.self = self;
  d.chronology = !self && !a.empty() && !b.empty() && a.front().side == Side::kMissing && b.front().side == Side::kFound;
  Interner names, blocks, dialects;
  Prepare(a, d.a_store, names, blocks, dialects);
  d.A = &d.a_store;
  if (self) {
    d.B = d.A;
  } else {
    Prepare(b, d.b_store, names, blocks, dialects);
    d.B = &d.b_store;
  }
  // Term frequencies over both sides (each record once).
  std::vector<uint32_t> name_count(names.size(), 0);
  std::unordered_map<int32_t, uint32_t> home_count, place_count;
  uint32_t named = 0, homed = 0, placed = 0;
  auto count = [&](const Arrays& s) {
    for (size_t i = 0; i < s.size(); ++i) {
      if (s.simple[i]) ++name_count[s.simple[i]], ++named;
      if (s.home[i].precision == 3) ++home_count[s.home[i].code], ++homed;
      if (s.place[i].precision == 3) ++place_count[s.place[i].code], ++placed;
    }
  };
  count(*d.A);
  if (!self) count(*d.B);
  d.name_tf.resize(names.size(), 0);
  for (size_t i = 0; i < names.size(); ++i) d.name_tf[i] = named ? static_cast<float>(name_count[i]) / named : 0;
  for (auto& [c, n] : home_count) d.home_tf[c] = static_cast<float>(n) / homed;
  for (auto& [c, n] : place_count) d.place_tf[c] = static_cast<float>(n) / placed;

  const Arrays& A = *d.A;
  for (int sex = 1; sex <= 2; ++sex) {
    auto& idx = d.r1_index[sex];
    for (uint32_t i = 0; i < A.size(); ++i) {
      if (A.sex[i] == sex && A.has_birth[i]) idx.push_back(i);
    }
    std::stable_sort(idx.begin(), idx.end(), [&](uint32_t x, uint32_t y) { return A.birth[x] < A.birth[y]; });
    for (uint32_t i : idx) d.r1_birth[sex].push_back(A.birth[i]);
  }
  for (uint32_t i = 0; i < A.size(); ++i) {
    if (A.has_birth[i]) d.max_unc_a = std::max(d.max_unc_a, A.unc[i]);
  }
  d.r2.resize(blocks.size());
  for (uint32_t i = 0; i < A.size(); ++i) {
    if (A.block[i]) d.r2[A.block[i]].push_back(i);
  }
  for (uint32_t i = 0; i < A.size(); ++i) {
    if (A.home[i].precision == 3) d.r3[A.home[i].code].push_back(i);
    if (A.place[i].precision == 3 && !(A.home[i].precision == 3 && A.home[i].code == A.place[i].code)) {
      d.r3[A.place[i].code].push_back(i);
    }
  }
}

Linker::~Linker() = default;

size_t Linker::size_a() const { return d_->A->size(); }
size_t Linker::size_b() const { return d_->B->size(); }

Levels Linker::Compare(uint32_t a, uint32_t b) const {
  Levels l;
  d_->CheapLevels(a, b, l);
  int name = d_->QuickNameLevel(a, b);
  if (name == 6) name = d_->JwNameLevel(a, b);
  l[kName] = static_cast<int8_t>(name);
  return l;
}

void Linker::ForEachCandidate(uint32_t b, const std::function<void(uint32_t, Rule)>& visit) const {
  d_->Candidates(b, visit);
}

Parameters Linker::Estimate(const Parameters& start, const LinkOptions& o, LinkStats* stats) const {
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<uint32_t> order(size_b());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(o.seed);
  std::shuffle(order.begin(), order.end(), rng);
  std::unordered_map<uint64_t, double> counts;
  uint64_t pairs = 0;
  for (uint32_t b : order) {
    if (pairs >= o.em_pairs) break;
    d_->Candidates(b, [&](uint32_t a, Rule) {
      counts[PatternKey(Compare(a, b))] += 1;
      ++pairs;
    });
  }
  std::vector<Pattern> patterns;
  patterns.reserve(counts.size());
  for (auto& [k, c] : counts) patterns.push_back({PatternLevels(k), c});
  std::sort(patterns.begin(), patterns.end(),
            [](const Pattern& x, const Pattern& y) { return PatternKey(x.levels) < PatternKey(y.levels); });
  EmResult r = EstimateEm(patterns, start, o.em);
  // EM on blocked pairs can settle on a class that is not "same person" (blocking makes the fields dependent).
  // Such an estimate is refused: more than half the candidates matching, or a field whose full agreement does
  // not outweigh its full disagreement, falls back to the expert values.
  bool sane = r.parameters.lambda < 0.5;
  for (int f = 0; f < kNumFields && sane; ++f) {
    const Field field = static_cast<Field>(f);
    sane = r.parameters.Weight(field, 0) > r.parameters.Weight(field, Spec(field).levels - 1);
  }
  if (!sane) r.parameters = start;
  if (stats) {
    stats->em_rejected = !sane;
    stats->em_pairs = pairs;
    stats->em_iterations = r.iterations;
    stats->em_converged = r.converged;
    stats->seconds_em = Seconds(t0);
  }
  return r.parameters;
}

std::vector<std::vector<Candidate>> Linker::Score(const Parameters& p, const LinkOptions& o, LinkStats* stats,
                                                  const std::function<void(size_t, size_t)>& progress) const {
  const auto t0 = std::chrono::steady_clock::now();
  const Data& d = *d_;
  // Weight tables, and the best the name can still add (for skipping Jaro–Winkler on hopeless pairs).
  float w[kNumFields][kMaxLevels + 1];
  for (int f = 0; f < kNumFields; ++f) {
    w[f][0] = 0;  // index level + 1; 0 = missing
    for (int l = 0; l < Spec(static_cast<Field>(f)).levels; ++l) w[f][l + 1] = static_cast<float>(p.Weight(static_cast<Field>(f), l));
  }
  const float jw_best = std::max({w[kName][5], w[kName][6], w[kName][7]});
  const float threshold = static_cast<float>(o.threshold);
  const size_t nb = size_b();
  std::vector<std::vector<Candidate>> out(nb);
  const int threads = o.threads > 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> rule_pairs[4] = {0, 0, 0, 0};
  std::atomic<uint64_t> jw_pairs{0};
  std::mutex progress_mutex;
  size_t done = 0;
  const int top = std::max(1, o.top);
  auto work = [&] {
    uint64_t local_rules[4] = {0, 0, 0, 0}, local_jw = 0;
    std::vector<Candidate> heap;
    auto worse = [](const Candidate& x, const Candidate& y) {  // heap top = worst kept
      return x.weight != y.weight ? x.weight > y.weight : x.a < y.a;
    };
    for (;;) {
      const size_t begin = next.fetch_add(64);
      if (begin >= nb) break;
      const size_t end = std::min(nb, begin + 64);
      for (size_t bi = begin; bi < end; ++bi) {
        const uint32_t b = static_cast<uint32_t>(bi);
        heap.clear();
        d.Candidates(b, [&](uint32_t a, Rule rule) {
          ++local_rules[static_cast<int>(rule)];
          Levels l;
          d.CheapLevels(a, b, l);
          float sum = 0;
          for (int f = 1; f < kNumFields; ++f) sum += w[f][l[f] + 1];
          sum += static_cast<float>(d.PlaceTf(p, kHome, l[kHome], a) + d.PlaceTf(p, kPlace, l[kPlace], a));
          int name = d.QuickNameLevel(a, b);
          const float floor = static_cast<int>(heap.size()) == top ? std::max(threshold, heap.front().weight) : threshold;
          if (name == 6) {
            if (sum + jw_best < floor) return;  // cannot be kept whatever Jaro–Winkler says
            ++local_jw;
            name = d.JwNameLevel(a, b);
          }
          sum += w[kName][name + 1] + static_cast<float>(d.NameTf(p, name, a));
          if (sum < floor) return;
          Candidate c{a, b, sum, rule};
          if (static_cast<int>(heap.size()) == top) {
            if (!worse(c, heap.front())) return;
            std::pop_heap(heap.begin(), heap.end(), worse);
            heap.back() = c;
          } else {
            heap.push_back(c);
          }
          std::push_heap(heap.begin(), heap.end(), worse);
        });
        std::sort_heap(heap.begin(), heap.end(), worse);
        out[b] = heap;
      }
      if (progress) {
        std::lock_guard lock(progress_mutex);
        done += end - begin;
        progress(done, nb);
      }
    }
    for (int r = 0; r < 4; ++r) rule_pairs[r] += local_rules[r];
    jw_pairs += local_jw;
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (stats) {
    stats->pairs_total = 0;
    for (int r = 0; r < 4; ++r) {
      stats->pairs[r] = rule_pairs[r];
      stats->pairs_total += rule_pairs[r];
    }
    stats->jaro_winkler = jw_pairs;
    stats->seconds_score = Seconds(t0);
  }
  return out;
}

Explanation Linker::Explain(const Parameters& p, uint32_t a, uint32_t b) const {
  Explanation e;
  const Levels l = Compare(a, b);
  for (int f = 0; f < kNumFields; ++f) {
    const Field field = static_cast<Field>(f);
    FieldPart part{field, l[f], p.Weight(field, l[f]), 0};
    if (field == kName) part.tf = d_->NameTf(p, l[f], a);
    if (field == kHome || field == kPlace) part.tf = d_->PlaceTf(p, field, l[f], a);
    e.match_weight += part.weight + part.tf;
    e.parts.push_back(part);
  }
  const double logit = e.match_weight + p.PriorWeight();
  e.match_probability = 1.0 / (1.0 + std::exp2(-logit));
  return e;
}

}  // namespace doudi::linkage
