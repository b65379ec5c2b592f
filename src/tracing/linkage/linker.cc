#include "tracing/linkage/linker.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <numeric>
#include <random>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "tracing/linkage/block_scan.h"
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

// What a comparison reads of one record, in one place: the scan of rule 1 walks these in order, one stream.
struct Hot {
  float birth, unc, age, height, median_height;  // median_height: MedianHeight(own sex, own age)
  int32_t day;
  uint32_t raw, simple, pinyin, fuzzy, dialect;  // interned ids, 0 = none
  Place home, place;
  uint64_t marks;
  uint8_t sex, has_birth;
};

struct Arrays {
  std::vector<Hot> h;
  std::vector<uint32_t> block;
  std::vector<uint32_t> joined_begin;
  std::vector<uint8_t> joined_len;
  std::vector<LetterCounts> letters;  // of joined(i), for the Jaro–Winkler bound
  std::string arena;
  size_t size() const { return h.size(); }
  std::string_view joined(uint32_t i) const { return {arena.data() + joined_begin[i], joined_len[i]}; }
};

class Interner {
 public:
  // 0 for "" (absent).
  uint32_t Id(const std::string& s) { return s.empty() ? 0 : Key(s); }
  // Never 0, "" included: a name whose pinyin is empty still has a pinyin form equal to another's.
  uint32_t Key(const std::string& s) {
    auto [it, inserted] = ids_.emplace(s, static_cast<uint32_t>(ids_.size() + 1));
    return it->second;
  }
  void Reserve(size_t more) { ids_.reserve(ids_.size() + more); }
  size_t size() const { return ids_.size() + 1; }

 private:
  std::unordered_map<std::string, uint32_t> ids_;
};

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// Runs work(begin, end) over [0, n) in chunks on `threads` threads (0: all hardware threads).
template <class Work>
void Parallel(size_t n, int threads, Work&& work) {
  const int t = threads > 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
  if (t <= 1 || n < 4096) {
    work(size_t{0}, n);
    return;
  }
  const size_t chunk = (n + t - 1) / t;
  std::vector<std::thread> pool;
  for (int k = 1; k < t; ++k) {
    const size_t begin = std::min(n, chunk * k), end = std::min(n, chunk * (k + 1));
    pool.emplace_back([&work, begin, end] { work(begin, end); });
  }
  work(size_t{0}, std::min(n, chunk));
  for (auto& th : pool) th.join();
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
  return HeightLevelWithMedians(ha, aa, MedianHeight(sex, aa), hb, ab, MedianHeight(sex, ab));
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
  const bool several = (common & (common - 1)) != 0;  // two bits or more (no popcount: not every target has it)
  if (several && (common & kMarkMask)) return 0;
  return common ? 1 : 2;
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
  // A is stored sorted by (sex, has birth, birth estimate), so that rule 1 scans one contiguous stretch of every
  // array (a random gather over a million records cost ten cache misses per pair). Indices inside Data are
  // these internal positions; the public interface speaks in the caller's indices.
  std::vector<uint32_t> a_external;  // internal → caller's index
  std::vector<uint32_t> a_internal;  // caller's index → internal
  // Rule 1: per sex, the internal range of A with a birth estimate (sorted by it).
  uint32_t r1_begin[3] = {0, 0, 0}, r1_end[3] = {0, 0, 0};
  float max_unc_a = 0;
  // Rule 2: block key id → A indices.
  std::vector<std::vector<uint32_t>> r2;
  // Rule 3: county → A indices (each once).
  std::unordered_map<int32_t, std::vector<uint32_t>> r3;
  // A column-wise, for the block scan of rule 1; and a copy of it county by county for rule 3 (county → its range
  // there), so that a county's reports are read in one stream rather than one cache miss each.
  ScanColumns columns, county_columns;
  std::unordered_map<int32_t, std::pair<uint32_t, uint32_t>> r3_range;

  static ScanProbe Probe(const Hot& h, uint32_t block) {
    ScanProbe p;
    p.birth = h.birth, p.unc = h.unc, p.age = h.age, p.height = h.height, p.median = h.median_height;
    p.median_unknown = MedianHeight(Sex::kUnknown, h.age);
    p.day = h.day, p.dialect = static_cast<int32_t>(h.dialect), p.raw = static_cast<int32_t>(h.raw);
    p.simple = static_cast<int32_t>(h.simple), p.pinyin = static_cast<int32_t>(h.pinyin);
    p.fuzzy = static_cast<int32_t>(h.fuzzy);
    p.home_code = h.home.code, p.home_city = h.home.code / 100, p.home_province = h.home.code / 10000;
    p.place_code = h.place.code, p.place_city = h.place.code / 100, p.place_province = h.place.code / 10000;
    p.marks_lo = static_cast<int32_t>(static_cast<uint32_t>(h.marks));
    p.marks_hi = static_cast<int32_t>(static_cast<uint32_t>(h.marks >> 32));
    p.sex = h.sex, p.has_birth = h.has_birth, p.home_precision = h.home.precision, p.place_precision = h.place.precision;
    p.block = static_cast<int32_t>(block);
    return p;
  }
  void BuildColumns() {
    const Arrays& X = *A;
    ScanColumns& c = columns;
    c.Resize(X.size());
    for (size_t i = 0; i < X.size(); ++i) {
      const ScanProbe p = Probe(X.h[i], X.block[i]);
      c.birth[i] = p.birth, c.unc[i] = p.unc, c.age[i] = p.age, c.height[i] = p.height, c.median[i] = p.median;
      c.median_unknown[i] = p.median_unknown, c.day[i] = p.day, c.dialect[i] = p.dialect, c.raw[i] = p.raw;
      c.simple[i] = p.simple, c.pinyin[i] = p.pinyin, c.fuzzy[i] = p.fuzzy;
      c.home_code[i] = p.home_code, c.home_city[i] = p.home_city, c.home_province[i] = p.home_province;
      c.place_code[i] = p.place_code, c.place_city[i] = p.place_city, c.place_province[i] = p.place_province;
      c.marks_lo[i] = p.marks_lo, c.marks_hi[i] = p.marks_hi;
      c.flags[i] = p.sex | p.has_birth << 8 | p.home_precision << 16 | p.place_precision << 24;
      c.block[i] = p.block;
      c.index[i] = static_cast<int32_t>(i);
    }
    size_t total = 0;
    for (const auto& [county, list] : r3) total += list.size();
    ScanColumns& k = county_columns;
    k.Resize(total);
    uint32_t at = 0;
    for (const auto& [county, list] : r3) {
      r3_range[county] = {at, at + static_cast<uint32_t>(list.size())};
      for (uint32_t i : list) {
        k.birth[at] = c.birth[i], k.unc[at] = c.unc[i], k.age[at] = c.age[i], k.height[at] = c.height[i];
        k.median[at] = c.median[i], k.median_unknown[at] = c.median_unknown[i], k.day[at] = c.day[i];
        k.dialect[at] = c.dialect[i], k.raw[at] = c.raw[i], k.simple[at] = c.simple[i], k.pinyin[at] = c.pinyin[i];
        k.fuzzy[at] = c.fuzzy[i], k.home_code[at] = c.home_code[i], k.home_city[at] = c.home_city[i];
        k.home_province[at] = c.home_province[i], k.place_code[at] = c.place_code[i];
        k.place_city[at] = c.place_city[i], k.place_province[at] = c.place_province[i];
        k.marks_lo[at] = c.marks_lo[i], k.marks_hi[at] = c.marks_hi[i], k.flags[at] = c.flags[i];
        k.block[at] = c.block[i], k.index[at] = c.index[i];
        ++at;
      }
    }
  }

  bool R1(uint32_t a, uint32_t b) const {
    return A->h[a].sex != 0 && A->h[a].sex == B->h[b].sex && A->h[a].has_birth && B->h[b].has_birth &&
           std::abs(A->h[a].birth - B->h[b].birth) <= AgeTolerance(A->h[a].unc, B->h[b].unc);
  }
  bool R2(uint32_t a, uint32_t b) const { return A->block[a] != 0 && A->block[a] == B->block[b]; }
  static bool HasCounty(const Arrays& s, uint32_t i, int32_t c) {
    return (s.h[i].home.precision == 3 && s.h[i].home.code == c) || (s.h[i].place.precision == 3 && s.h[i].place.code == c);
  }

  // The stretch of A that rule 1 scans for probe b: [first, last) (empty when b has no sex or birth estimate);
  // every pair of rule 1 lies in it, not every pair in it is one (the window is as wide as the largest tolerance).
  std::pair<uint32_t, uint32_t> R1Range(uint32_t b) const {
    const Hot& y = B->h[b];
    const int sex = y.sex;
    if (sex == 0 || !y.has_birth) return {0, 0};
    const float w = y.unc + max_unc_a;
    const Hot* hot = A->h.data();
    const auto first = std::lower_bound(hot + r1_begin[sex], hot + r1_end[sex], y.birth - w,
                                        [](const Hot& x, float v) { return x.birth < v; });
    const float hi = y.birth + w;
    const auto last = std::upper_bound(first, hot + r1_end[sex], hi, [](float v, const Hot& x) { return v < x.birth; });
    uint32_t end = static_cast<uint32_t>(last - hot);
    if (self) end = std::min(end, b);  // each unordered pair once
    const uint32_t begin = static_cast<uint32_t>(first - hot);
    return {begin, std::max(begin, end)};
  }

  // Rules 2 and 3 read the reports of a list in random order: each one a cache miss unless asked for ahead.
  static constexpr size_t kAhead = 12;
  void Prefetch(uint32_t a) const {
    const char* h = reinterpret_cast<const char*>(&A->h[a]);
    __builtin_prefetch(h);
    __builtin_prefetch(h + sizeof(Hot) - 1);
    __builtin_prefetch(&A->block[a]);
  }

  // Every candidate pair of b; with rule1 = false the pairs of rule 1 are left out (the block scan produces them)
  // but the other rules still skip them; rule3 = false leaves out rule 3's.
  template <class Visit>
  void Candidates(uint32_t b, Visit&& visit, bool rule1 = true, bool rule3 = true) const {
    const Arrays& S = *B;
    auto ok = [&](uint32_t a) { return !self || a < b; };
    if (rule1) {
      const auto [first, last] = R1Range(b);
      for (uint32_t a = first; a < last; ++a) {
        if (R1(a, b)) visit(a, Rule::kSexBirthYear);
      }
    }
    if (S.block[b] != 0 && S.block[b] < r2.size()) {
      const std::vector<uint32_t>& list = r2[S.block[b]];
      for (size_t k = 0; k < list.size(); ++k) {
        if (k + kAhead < list.size()) Prefetch(list[k + kAhead]);
        const uint32_t a = list[k];
        if (ok(a) && !R1(a, b)) visit(a, Rule::kPinyinSurname);
      }
    }
    if (!rule3) return;
    int32_t counties[2];
    int n = 0;
    if (S.h[b].home.precision == 3) counties[n++] = S.h[b].home.code;
    if (S.h[b].place.precision == 3 && (n == 0 || counties[0] != S.h[b].place.code)) counties[n++] = S.h[b].place.code;
    for (int k = 0; k < n; ++k) {
      auto it = r3.find(counties[k]);
      if (it == r3.end()) continue;
      const std::vector<uint32_t>& list = it->second;
      for (size_t j = 0; j < list.size(); ++j) {
        if (j + kAhead < list.size()) Prefetch(list[j + kAhead]);
        const uint32_t a = list[j];
        if (!ok(a) || R1(a, b) || R2(a, b)) continue;
        if (k == 1 && HasCounty(*A, a, counties[0])) continue;  // produced under the first county
        visit(a, Rule::kCounty);
      }
    }
  }

  // Levels of every field but the name (cheap), and the name's level separately (may need Jaro–Winkler).
  void CheapLevels(uint32_t a, uint32_t b, Levels& l) const {
    const Arrays &X = *A, &Y = *B;
    l[kSex] = (X.h[a].sex == 0 || Y.h[b].sex == 0) ? -1 : X.h[a].sex == Y.h[b].sex ? 0 : 1;
    l[kAge] = (X.h[a].has_birth && Y.h[b].has_birth) ? AgeLevel(X.h[a].birth, Y.h[b].birth, AgeTolerance(X.h[a].unc, Y.h[b].unc))
                                                 : -1;
    if (X.h[a].height > 0 && Y.h[b].height > 0 && X.h[a].age >= 0 && Y.h[b].age >= 0) {
      if (X.h[a].sex == Y.h[b].sex) {
        l[kHeight] = static_cast<int8_t>(HeightLevelWithMedians(X.h[a].height, X.h[a].age, X.h[a].median_height, Y.h[b].height,
                                                                Y.h[b].age, Y.h[b].median_height));
      } else {
        l[kHeight] = static_cast<int8_t>(HeightLevel(Sex::kUnknown, X.h[a].height, X.h[a].age, Y.h[b].height, Y.h[b].age));
      }
    } else {
      l[kHeight] = -1;
    }
    l[kDialect] = (X.h[a].dialect == 0 || Y.h[b].dialect == 0) ? -1 : X.h[a].dialect == Y.h[b].dialect ? 0 : 1;
    l[kHome] = (X.h[a].home.precision && Y.h[b].home.precision) ? PlaceLevel(X.h[a].home, Y.h[b].home) : -1;
    l[kPlace] = (X.h[a].place.precision && Y.h[b].place.precision) ? PlaceLevel(X.h[a].place, Y.h[b].place) : -1;
    l[kChronology] = chronology ? (Y.h[b].day >= X.h[a].day ? 0 : 1) : -1;
    l[kMarks] = (X.h[a].marks && Y.h[b].marks) ? MarksLevel(X.h[a].marks, Y.h[b].marks) : -1;
  }
  // The weight of every field but the name, for scoring: the levels of CheapLevels computed without branches
  // (the fields are present or not at random, which a branch predictor cannot learn), as indices into
  // w[field][level + 1] (0 = missing).
  float CheapWeight(uint32_t a, uint32_t b, const float (*w)[kMaxLevels + 1]) const {
    const Hot& x = A->h[a];
    const Hot& y = B->h[b];
    const int sex = (x.sex != 0 && y.sex != 0) * (1 + (x.sex != y.sex));
    const float tol = x.unc + y.unc, dage = std::abs(x.birth - y.birth);
    const int age = (x.has_birth & y.has_birth) * (1 + (dage > tol / 2) + (dage > tol) + (dage > 2 * tol));
    int height = 0;
    if (x.height > 0 && y.height > 0 && x.age >= 0 && y.age >= 0) {
      height = 1 + (x.sex == y.sex ? HeightLevelWithMedians(x.height, x.age, x.median_height, y.height, y.age,
                                                            y.median_height)
                                   : HeightLevel(Sex::kUnknown, x.height, x.age, y.height, y.age));
    }
    const int dialect = (x.dialect != 0 && y.dialect != 0) * (1 + (x.dialect != y.dialect));
    auto place = [](Place p, Place q) {
      const int prec = std::min(p.precision, q.precision);
      const int level = 3 - (p.code / 10000 == q.code / 10000) - (prec >= 2 && p.code / 100 == q.code / 100) -
                        (prec >= 3 && p.code == q.code);
      return (prec != 0) * (1 + level);
    };
    const int chrono = chronology * (1 + (y.day < x.day));
    const uint64_t common = x.marks & y.marks;
    const int marks_level = common == 0 ? 2 : ((common & (common - 1)) != 0 && (common & kMarkMask)) ? 0 : 1;
    const int marks = (x.marks != 0 && y.marks != 0) * (1 + marks_level);
    return w[kSex][sex] + w[kAge][age] + w[kHeight][height] + w[kDialect][dialect] + w[kHome][place(x.home, y.home)] +
           w[kPlace][place(x.place, y.place)] + w[kChronology][chrono] + w[kMarks][marks];
  }
  bool SameCounty(uint32_t a, uint32_t b, Place Hot::*field) const {
    const Place p = A->h[a].*field, q = B->h[b].*field;
    return p.precision >= 3 && q.precision >= 3 && p.code == q.code;
  }
  // Name level without Jaro–Winkler: 0–3 when an interned form agrees, 6 when JW is needed, -1 missing.
  int QuickNameLevel(uint32_t a, uint32_t b) const {
    const Arrays &X = *A, &Y = *B;
    if (X.h[a].raw == 0 || Y.h[b].raw == 0) return -1;
    if (X.h[a].raw == Y.h[b].raw) return 0;
    if (X.h[a].simple == Y.h[b].simple) return 1;
    if (X.h[a].pinyin != 0 && X.h[a].pinyin == Y.h[b].pinyin) return 2;
    if (X.h[a].fuzzy != 0 && X.h[a].fuzzy == Y.h[b].fuzzy) return 3;
    return 6;
  }
  int JwNameLevel(uint32_t a, uint32_t b) const {
    if (JaroWinklerBound(A->letters[a], B->letters[b], A->joined(a), B->joined(b)) < 0.84) return 6;
    const double jw = JaroWinkler(A->joined(a), B->joined(b));
    return jw >= 0.92 ? 4 : jw >= 0.84 ? 5 : 6;
  }
  double NameTf(const Parameters& p, int level, uint32_t a) const {
    if (level != 0 && level != 1) return 0;
    const float tf = name_tf[A->h[a].simple];
    return std::clamp(std::log2(p.u[kName][level] / std::max(tf, 1e-9f)), -8.0, 8.0);
  }
  double PlaceTf(const Parameters& p, Field f, int level, uint32_t a) const {
    if (level != 0) return 0;
    const auto& table = f == kHome ? home_tf : place_tf;
    const Place pl = f == kHome ? A->h[a].home : A->h[a].place;
    auto it = table.find(pl.code);
    if (it == table.end()) return 0;
    return std::clamp(std::log2(p.u[f][0] / std::max(it->second, 1e-9f)), -8.0, 8.0);
  }
};

namespace {

// The interned forms, one id space each (a form is only ever compared with the same form).
struct Interners {
  Interner raw, simple, pinyin, fuzzy, blocks, dialects;
};

// Fills `s` from the records: the text work (simplification, pinyin, fuzzy folding, marks) on all threads, then the
// interning, one form per thread (each form in record order, so the ids do not depend on the threads).
void Prepare(const std::vector<const Record*>& records, Arrays& s, Interners& in, int threads) {
  const size_t n = records.size();
  s.h.assign(n, Hot{});
  s.block.assign(n, 0);
  s.joined_begin.assign(n, 0);
  s.joined_len.assign(n, 0);
  s.letters.assign(n, LetterCounts{});
  struct Text {
    std::string simple, spaced, fuzzy, block, joined;
  };
  std::vector<Text> text(n);
  Parallel(n, threads, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const Record& r = *records[i];
      if (!r.name.empty()) {
        Text& t = text[i];
        t.simple = SimplifyText(r.name);
        const auto syl = NamePinyin(r.name);
        for (size_t k = 0; k < syl.size(); ++k) {
          t.spaced += (k ? " " : "") + syl[k];
          const std::string f = FuzzyFold(syl[k]);
          t.fuzzy += (k ? " " : "") + f;
          if (k == 0) {
            t.block = f + "|";
          } else if (!f.empty()) {
            t.block.push_back(f[0]);
          }
        }
        t.joined = Joined(syl).substr(0, 255);
        s.letters[i] = CountLetters(t.joined);
      }
      s.h[i].sex = static_cast<uint8_t>(r.sex);
      s.h[i].has_birth = r.has_birth;
      s.h[i].birth = r.birth_year;
      s.h[i].unc = r.birth_uncertainty;
      s.h[i].age = r.age;
      s.h[i].height = r.height_cm;
      s.h[i].median_height = r.age >= 0 ? MedianHeight(r.sex, r.age) : 0;
      s.h[i].day = r.ref_day;
      s.h[i].home = ParsePlace(r.home);
      s.h[i].place = ParsePlace(r.place);
      s.h[i].marks = MarkKeywords(r.marks);
    }
  });
  for (size_t i = 0; i < n; ++i) {
    s.joined_begin[i] = static_cast<uint32_t>(s.arena.size());
    s.joined_len[i] = static_cast<uint8_t>(text[i].joined.size());
    s.arena += text[i].joined;
  }
  auto intern = [&](int part) {
    if (part == 0) in.raw.Reserve(n), in.simple.Reserve(n);
    if (part == 1) in.pinyin.Reserve(n), in.fuzzy.Reserve(n);
    for (size_t i = 0; i < n; ++i) {
      const Record& r = *records[i];
      const Text& t = text[i];
      if (part == 0) {
        s.h[i].dialect = in.dialects.Id(r.dialect);
        if (r.name.empty()) continue;
        s.h[i].raw = in.raw.Key(r.name);
        s.h[i].simple = in.simple.Key(t.simple);
      } else if (!r.name.empty()) {
        s.h[i].pinyin = in.pinyin.Key(t.spaced);
        s.h[i].fuzzy = in.fuzzy.Key(t.fuzzy);
        s.block[i] = in.blocks.Id(t.block);
      }
    }
  };
  if ((threads == 1) || n < 4096) {
    intern(0);
    intern(1);
  } else {
    std::thread other(intern, 1);
    intern(0);
    other.join();
  }
}

}  // namespace

Linker::Linker(const std::vector<Record>& a, const std::vector<Record>& b, bool self) : d_(std::make_unique<Data>()) {
  Data& d = *d_;
  d.self = self;
  d.chronology = !self && !a.empty() && !b.empty() && a.front().side == Side::kMissing && b.front().side == Side::kFound;
  Interners in;
  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  {
    const uint32_t n = static_cast<uint32_t>(a.size());
    d.a_external.resize(n);
    std::iota(d.a_external.begin(), d.a_external.end(), 0);
    auto key = [&](uint32_t i) {
      const Record& r = a[i];
      const int sex = r.sex == Sex::kUnknown ? 3 : static_cast<int>(r.sex);
      return std::tuple(sex, !r.has_birth, r.has_birth ? r.birth_year : 0.0f);
    };
    std::stable_sort(d.a_external.begin(), d.a_external.end(), [&](uint32_t x, uint32_t y) { return key(x) < key(y); });
    d.a_internal.resize(n);
    std::vector<const Record*> sorted(n);
    for (uint32_t i = 0; i < n; ++i) {
      d.a_internal[d.a_external[i]] = i;
      sorted[i] = &a[d.a_external[i]];
    }
    Prepare(sorted, d.a_store, in, threads);
  }
  d.A = &d.a_store;
  if (self) {
    d.B = d.A;
  } else {
    std::vector<const Record*> pointers(b.size());
    for (size_t i = 0; i < b.size(); ++i) pointers[i] = &b[i];
    Prepare(pointers, d.b_store, in, threads);
    d.B = &d.b_store;
  }
  // Term frequencies over both sides (each record once).
  std::vector<uint32_t> name_count(in.simple.size(), 0);
  std::unordered_map<int32_t, uint32_t> home_count, place_count;
  uint32_t named = 0, homed = 0, placed = 0;
  auto count = [&](const Arrays& s) {
    for (size_t i = 0; i < s.size(); ++i) {
      if (s.h[i].simple) ++name_count[s.h[i].simple], ++named;
      if (s.h[i].home.precision == 3) ++home_count[s.h[i].home.code], ++homed;
      if (s.h[i].place.precision == 3) ++place_count[s.h[i].place.code], ++placed;
    }
  };
  count(*d.A);
  if (!self) count(*d.B);
  d.name_tf.resize(in.simple.size(), 0);
  for (size_t i = 0; i < in.simple.size(); ++i) d.name_tf[i] = named ? static_cast<float>(name_count[i]) / named : 0;
  for (auto& [c, n] : home_count) d.home_tf[c] = static_cast<float>(n) / homed;
  for (auto& [c, n] : place_count) d.place_tf[c] = static_cast<float>(n) / placed;

  const Arrays& A = *d.A;
  for (int sex = 1; sex <= 2; ++sex) {
    uint32_t i = 0;
    while (i < A.size() && !(A.h[i].sex == sex && A.h[i].has_birth)) ++i;
    d.r1_begin[sex] = d.r1_end[sex] = i;
    while (d.r1_end[sex] < A.size() && A.h[d.r1_end[sex]].sex == sex && A.h[d.r1_end[sex]].has_birth) ++d.r1_end[sex];
  }
  for (uint32_t i = 0; i < A.size(); ++i) {
    if (A.h[i].has_birth) d.max_unc_a = std::max(d.max_unc_a, A.h[i].unc);
  }
  d.r2.resize(in.blocks.size());
  for (uint32_t i = 0; i < A.size(); ++i) {
    if (A.block[i]) d.r2[A.block[i]].push_back(i);
  }
  for (uint32_t i = 0; i < A.size(); ++i) {
    if (A.h[i].home.precision == 3) d.r3[A.h[i].home.code].push_back(i);
    if (A.h[i].place.precision == 3 && !(A.h[i].home.precision == 3 && A.h[i].home.code == A.h[i].place.code)) {
      d.r3[A.h[i].place.code].push_back(i);
    }
  }
  d.BuildColumns();
}

Linker::~Linker() = default;

size_t Linker::size_a() const { return d_->A->size(); }
size_t Linker::size_b() const { return d_->B->size(); }

Levels Linker::Compare(uint32_t a, uint32_t b) const {
  a = d_->a_internal[a];
  if (d_->self) b = d_->a_internal[b];
  Levels l;
  d_->CheapLevels(a, b, l);
  int name = d_->QuickNameLevel(a, b);
  if (name == 6) name = d_->JwNameLevel(a, b);
  l[kName] = static_cast<int8_t>(name);
  return l;
}

void Linker::ForEachCandidate(uint32_t b, const std::function<void(uint32_t, Rule)>& visit) const {
  const Data& d = *d_;
  d.Candidates(d.self ? d.a_internal[b] : b, [&](uint32_t a, Rule r) { visit(d.a_external[a], r); });
}

Parameters Linker::Estimate(const Parameters& start, const LinkOptions& o, LinkStats* stats) const {
  const auto t0 = std::chrono::steady_clock::now();
  std::mt19937_64 rng(o.seed);
  Parameters base = start;
  // u: the levels among random pairs, which are almost all different persons (Splink estimates u the same way).
  const size_t na = size_a(), nb = size_b();
  if (na > 0 && nb > 0 && o.u_pairs > 0) {
    std::array<std::array<double, kMaxLevels>, kNumFields> count{};
    std::array<double, kNumFields> total{};
    // Every pair when there are few (sampling 1M times from 16 pairs would weigh each 60,000 times against the
    // prior), else a random sample.
    const bool all = static_cast<double>(na) * nb <= static_cast<double>(o.u_pairs);
    const size_t n = all ? na * nb : o.u_pairs;
    // The pairs are drawn in order (the random sequence stays the same), compared on all threads; the counts are
    // whole numbers, so their sum does not depend on how the pairs were shared out.
    std::vector<std::pair<uint32_t, uint32_t>> sample;
    sample.reserve(n);
    for (size_t k = 0; k < n; ++k) {
      const uint32_t a = static_cast<uint32_t>(all ? k / nb : rng() % na);
      const uint32_t b = static_cast<uint32_t>(all ? k % nb : rng() % nb);
      if (d_->self && a == b) continue;
      sample.emplace_back(a, b);
    }
    std::mutex mutex;
    Parallel(sample.size(), o.threads, [&](size_t begin, size_t end) {
      std::array<std::array<double, kMaxLevels>, kNumFields> c{};
      std::array<double, kNumFields> t{};
      for (size_t k = begin; k < end; ++k) {
        const Levels l = Compare(sample[k].first, sample[k].second);
        for (int f = 0; f < kNumFields; ++f) {
          if (l[f] >= 0) c[f][l[f]] += 1, t[f] += 1;
        }
      }
      std::lock_guard lock(mutex);
      for (int f = 0; f < kNumFields; ++f) {
        for (int l = 0; l < kMaxLevels; ++l) count[f][l] += c[f][l];
        total[f] += t[f];
      }
    });
    const double alpha = o.em.pseudo_count;
    for (int f = 0; f < kNumFields; ++f) {
      for (int l = 0; l < Spec(static_cast<Field>(f)).levels; ++l) {
        if (total[f] + alpha > 0) {
          base.u[f][l] = std::max((count[f][l] + alpha * start.u[f][l]) / (total[f] + alpha), o.em.min_probability);
        }
      }
    }
  }
  // m and λ: EM on the candidate pairs of each blocking rule with u fixed, without the fields that rule selects
  // on (in its pairs they agree because of the blocking, not because of identity: left in, EM took that agreement
  // for the match class); each field's m is then the average over the rules that left it free, weighted by their
  // expected matches.
  std::vector<uint32_t> order(nb);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  // Each rule gets its own budget of pairs: the sex + birth-year rule holds almost all candidate pairs but few
  // matches per pair (on the 1M × 100k benchmark a shared budget of 2M pairs held ~9 true matches), the other two
  // far fewer pairs with many more matches, and each needs enough matches of its own.
  std::unordered_map<uint64_t, double> counts[4];
  uint64_t taken[4] = {0, 0, 0, 0};
  uint64_t pairs = 0;
  // The pairs are chosen in order (probe by probe until every rule's budget is spent), then compared on all
  // threads; each thread counts its patterns and the counts (whole numbers) are added up.
  struct Chosen {
    uint32_t a, b;
    Rule rule;
  };
  std::vector<Chosen> chosen;
  for (uint32_t b : order) {
    if (taken[1] >= o.em_pairs && taken[2] >= o.em_pairs && taken[3] >= o.em_pairs) break;
    const bool want[4] = {false, taken[1] < o.em_pairs, taken[2] < o.em_pairs, taken[3] < o.em_pairs};
    // Once rule 1's budget is spent its ~43,000 pairs per probe are not even enumerated (the other rules still
    // exclude them): the same pairs are counted, without a scan per probe record.
    const uint32_t bi = d_->self ? d_->a_internal[b] : b;
    d_->Candidates(bi, [&](uint32_t ai, Rule rule) {
      const uint32_t a = d_->a_external[ai];
      const int r = static_cast<int>(rule);
      if (!want[r]) return;
      chosen.push_back({a, b, rule});
      ++taken[r];
      ++pairs;
    }, want[1]);
  }
  {
    std::mutex mutex;
    Parallel(chosen.size(), o.threads, [&](size_t begin, size_t end) {
      std::unordered_map<uint64_t, double> local[4];
      for (size_t k = begin; k < end; ++k) {
        const Chosen& c = chosen[k];
        // The fields a rule selects on say nothing about identity within its pairs: they leave the likelihood.
        Levels l = Compare(c.a, c.b);
        if (c.rule == Rule::kSexBirthYear) l[kSex] = l[kAge] = -1;
        if (c.rule == Rule::kPinyinSurname) l[kName] = -1;
        if (c.rule == Rule::kCounty) l[kHome] = l[kPlace] = -1;
        local[static_cast<int>(c.rule)][PatternKey(l)] += 1;
      }
      std::lock_guard lock(mutex);
      for (int r = 0; r < 4; ++r) {
        for (const auto& [key, n] : local[r]) counts[r][key] += n;
      }
    });
  }
  Parameters result = base;
  std::array<std::array<double, kMaxLevels>, kNumFields> m_sum{};
  std::array<double, kNumFields> m_weight{};
  double matches = 0, lambda_pairs = 0;
  int rules_used = 0;
  int iterations = 0;
  bool converged = true;
  for (int rule = 1; rule <= 3; ++rule) {
    std::vector<Pattern> patterns;
    double n = 0;
    for (auto& [k, c] : counts[rule]) patterns.push_back({PatternLevels(k), c}), n += c;
    if (n == 0) continue;
    std::sort(patterns.begin(), patterns.end(),
              [](const Pattern& x, const Pattern& y) { return PatternKey(x.levels) < PatternKey(y.levels); });
    EmOptions e = o.em;
    e.fix_u = true;
    e.fixed = {};
    if (rule == 1) e.fixed[kSex] = e.fixed[kAge] = true;
    if (rule == 2) e.fixed[kName] = true;
    if (rule == 3) e.fixed[kHome] = e.fixed[kPlace] = true;
    const EmResult r = EstimateEm(patterns, base, e);
    iterations += r.iterations;
    converged = converged && r.converged;
    const double expected = r.parameters.lambda * n;
    // A rule whose sample holds too few matches, or whose EM made most pairs matches, informs nothing.
    if (expected < o.em_min_matches || r.parameters.lambda >= 0.5) continue;
    ++rules_used;
    matches += expected;
    lambda_pairs += n;
    for (int f = 0; f < kNumFields; ++f) {
      if (e.fixed[f]) continue;
      for (int l = 0; l < kMaxLevels; ++l) m_sum[f][l] += expected * r.parameters.m[f][l];
      m_weight[f] += expected;
    }
  }
  for (int f = 0; f < kNumFields; ++f) {
    if (m_weight[f] <= 0) continue;
    for (int l = 0; l < Spec(static_cast<Field>(f)).levels; ++l) result.m[f][l] = m_sum[f][l] / m_weight[f];
  }
  if (lambda_pairs > 0) {
    result.lambda = std::clamp(matches / lambda_pairs, o.em.min_probability, 1 - o.em.min_probability);
  }
  // An estimate that says more than half the candidates match, or that full agreement on a field weighs less
  // than full disagreement, is not believed: the expert values are used instead.
  bool sane = result.lambda < 0.5;
  for (int f = 0; f < kNumFields && sane; ++f) {
    const Field field = static_cast<Field>(f);
    sane = result.Weight(field, 0) > result.Weight(field, Spec(field).levels - 1);
  }
  if (stats) stats->em_estimate = result;
  if (!sane) result = start;
  if (stats) {
    stats->em_rejected = !sane;
    stats->em_rules_used = rules_used;
    stats->em_pairs = pairs;
    stats->em_iterations = iterations;
    stats->em_converged = converged;
    stats->seconds_em = Seconds(t0);
  }
  return result;
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
  // Term-frequency adjustments depend on the indexed record only: one table per field.
  const size_t na = size_a();
  std::vector<float> home_tf(na), place_tf(na), name_tf0(na), name_tf1(na);
  for (uint32_t a = 0; a < na; ++a) {
    home_tf[a] = static_cast<float>(d.PlaceTf(p, kHome, 0, a));
    place_tf[a] = static_cast<float>(d.PlaceTf(p, kPlace, 0, a));
    name_tf0[a] = static_cast<float>(d.NameTf(p, 0, a));
    name_tf1[a] = static_cast<float>(d.NameTf(p, 1, a));
  }
  const float threshold = static_cast<float>(o.threshold);
  const size_t nb = size_b();
  std::vector<std::vector<Candidate>> out(nb);
  // Probe records in the order of the indexed side (sex, birth estimate): consecutive probes scan overlapping
  // stretches of A (~43,000 reports, 3 MB at 1M reports), which then come from cache rather than memory.
  std::vector<uint32_t> probe_order(nb);
  std::iota(probe_order.begin(), probe_order.end(), 0);
  if (!d.self) {
    auto key = [&](uint32_t i) {
      const Hot& h = d.B->h[i];
      return std::tuple(h.sex == 0 ? 3 : static_cast<int>(h.sex), !h.has_birth, h.has_birth ? h.birth : 0.0f, i);
    };
    std::sort(probe_order.begin(), probe_order.end(), [&](uint32_t x, uint32_t y) { return key(x) < key(y); });
  }
  const int threads = o.threads > 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> rule_pairs[4] = {0, 0, 0, 0};
  std::atomic<uint64_t> jw_pairs{0};
  std::mutex progress_mutex;
  size_t done = 0;
  const int top = std::max(1, o.top);
  // Rule 1 by the block scan (the vector kernel of this CPU), or pair by pair (the reference path).
  const ScanIsa isa = o.scan_isa.value_or(BestScanIsa());
  const ScanKernel scan = o.block_scan ? ScanKernelFor(ScanIsaSupported(isa) ? isa : ScanIsa::kScalar) : nullptr;
  ScanWeights sw;
  std::copy(&w[0][0], &w[0][0] + kNumFields * (kMaxLevels + 1), &sw.w[0][0]);
  sw.jw_best = jw_best;
  sw.chronology = d.chronology;
  sw.home_tf = home_tf.data();
  sw.place_tf = place_tf.data();
  sw.name_tf0 = name_tf0.data();
  sw.name_tf1 = name_tf1.data();
  // The term-frequency tables again in the order of the county-ordered copy.
  std::vector<float> county_tf[4];
  ScanWeights sw_county = sw;
  if (scan) {
    const ScanColumns& k = d.county_columns;
    const float* from[4] = {home_tf.data(), place_tf.data(), name_tf0.data(), name_tf1.data()};
    for (int t = 0; t < 4; ++t) {
      county_tf[t].resize(k.size());
      for (size_t j = 0; j < k.size(); ++j) county_tf[t][j] = from[t][k.index[j]];
    }
    sw_county.home_tf = county_tf[0].data();
    sw_county.place_tf = county_tf[1].data();
    sw_county.name_tf0 = county_tf[2].data();
    sw_county.name_tf1 = county_tf[3].data();
  }
  constexpr uint32_t kChunk = 4096;  // reports per kernel call: survivors are taken in with a fresher floor
  constexpr size_t kBatch = 64;      // probes a thread takes at a time
  auto work = [&] {
    uint64_t local_rules[4] = {0, 0, 0, 0}, local_jw = 0;
    std::vector<uint32_t> survivor_a(kChunk + 16);
    std::vector<float> survivor_sum(kChunk + 16);
    std::vector<int32_t> survivor_name(kChunk + 16);
    const Survivors survivors{survivor_a.data(), survivor_sum.data(), survivor_name.data()};
    auto worse = [](const Candidate& x, const Candidate& y) {  // heap top = worst kept
      return x.weight != y.weight ? x.weight > y.weight : x.a < y.a;
    };
    // One batch of consecutive probes (in the indexed side's order) at a time, each with its own heap.
    struct Probing {
      uint32_t b = 0, b_out = 0, first = 0, last = 0;
      ScanProbe probe;
      std::vector<Candidate> heap;
    };
    std::vector<Probing> batch(kBatch);
    for (;;) {
      const size_t begin = next.fetch_add(kBatch);
      if (begin >= nb) break;
      const size_t end = std::min(nb, begin + kBatch);
      const size_t m = end - begin;
      // A pair with the weight of every field but the name (sum) and the name's quick level.
      auto consider = [&](Probing& q, uint32_t a, Rule rule, float sum, int name) {
        std::vector<Candidate>& heap = q.heap;
        const float floor = static_cast<int>(heap.size()) == top ? std::max(threshold, heap.front().weight) : threshold;
        if (name == 6) {
          if (sum + jw_best < floor) return;  // cannot be kept whatever Jaro–Winkler says
          ++local_jw;
          name = d.JwNameLevel(a, q.b);
        }
        sum += w[kName][name + 1] + (name == 0 ? name_tf0[a] : name == 1 ? name_tf1[a] : 0.0f);
        if (sum < floor) return;
        Candidate c{d.a_external[a], q.b_out, sum, rule};
        if (static_cast<int>(heap.size()) == top) {
          if (!worse(c, heap.front())) return;
          std::pop_heap(heap.begin(), heap.end(), worse);
          heap.back() = c;
        } else {
          heap.push_back(c);
        }
        std::push_heap(heap.begin(), heap.end(), worse);
      };
      auto floor = [&](const Probing& q) {
        return static_cast<int>(q.heap.size()) == top ? std::max(threshold, q.heap.front().weight) : threshold;
      };
      uint32_t lo = UINT32_MAX, hi = 0;
      for (size_t j = 0; j < m; ++j) {
        Probing& q = batch[j];
        q.b = probe_order[begin + j];  // internal
        q.b_out = d.self ? d.a_external[q.b] : q.b;
        q.heap.clear();
        if (!scan) continue;
        q.probe = Data::Probe(d.B->h[q.b], d.B->block[q.b]);
        std::tie(q.first, q.last) = d.R1Range(q.b);
        if (q.first < q.last) lo = std::min(lo, q.first), hi = std::max(hi, q.last);
      }
      // Rule 1 tile by tile: the batch's probes have nearly the same stretch of reports (consecutive birth
      // estimates), so each tile (kChunk reports, ~380 KB of columns) is read from memory once and from the
      // core's cache by the other probes, rather than streamed again for every probe.
      for (uint32_t from = lo; scan && from < hi; from += kChunk) {
        const uint32_t to = std::min<uint32_t>(hi, from + kChunk);
        for (size_t j = 0; j < m; ++j) {
          Probing& q = batch[j];
          const uint32_t x = std::max(from, q.first), y = std::min(to, q.last);
          if (x >= y) continue;
          const size_t n = scan(d.columns, q.probe, sw, ScanFilter{}, x, y, floor(q), survivors, &local_rules[1]);
          for (size_t k = 0; k < n; ++k) consider(q, survivors.a[k], Rule::kSexBirthYear, survivors.sum[k], survivors.name[k]);
        }
      }
      for (size_t j = 0; j < m; ++j) {
        Probing& q = batch[j];
        const uint32_t b = q.b;
        d.Candidates(b, [&](uint32_t a, Rule rule) {
          ++local_rules[static_cast<int>(rule)];
          const float sum = d.CheapWeight(a, b, w) + (d.SameCounty(a, b, &Hot::home) ? home_tf[a] : 0.0f) +
                            (d.SameCounty(a, b, &Hot::place) ? place_tf[a] : 0.0f);
          consider(q, a, rule, sum, d.QuickNameLevel(a, b));
        }, /*rule1=*/scan == nullptr, /*rule3=*/scan == nullptr);
        if (scan) {  // rule 3 over the county-ordered copy, county by county (as Candidates does)
          const Hot& y = d.B->h[b];
          int32_t counties[2];
          int nc = 0;
          if (y.home.precision == 3) counties[nc++] = y.home.code;
          if (y.place.precision == 3 && (nc == 0 || counties[0] != y.place.code)) counties[nc++] = y.place.code;
          for (int k = 0; k < nc; ++k) {
            const auto it = d.r3_range.find(counties[k]);
            if (it == d.r3_range.end()) continue;
            ScanFilter filter;
            filter.county = true;
            filter.skip_county = k == 1 ? counties[0] : 0;
            if (d.self) filter.below = static_cast<int32_t>(b);
            for (uint32_t from = it->second.first; from < it->second.second; from += kChunk) {
              const uint32_t to = std::min<uint32_t>(it->second.second, from + kChunk);
              const size_t n = scan(d.county_columns, q.probe, sw_county, filter, from, to, floor(q), survivors,
                                    &local_rules[3]);
              for (size_t s = 0; s < n; ++s) consider(q, survivors.a[s], Rule::kCounty, survivors.sum[s], survivors.name[s]);
            }
          }
        }
        std::sort_heap(q.heap.begin(), q.heap.end(), worse);
        out[q.b_out] = q.heap;
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
    stats->scan = !scan ? "per_pair" : ScanIsaName(ScanIsaSupported(isa) ? isa : ScanIsa::kScalar);
  }
  return out;
}

Explanation Linker::Explain(const Parameters& p, uint32_t a, uint32_t b) const {
  Explanation e;
  const Levels l = Compare(a, b);
  a = d_->a_internal[a];
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
