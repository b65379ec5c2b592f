// The verification engine: person index, per-feed CSR by person, and the rules over one household's rows.
#include "verify/engine/engine.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <thread>

namespace doudi::verify {
namespace {

constexpr uint32_t kNone = UINT32_MAX;

int ThreadCount(int requested) {
  if (requested > 0) return requested;
  unsigned hw = std::thread::hardware_concurrency();
  return hw ? int(hw) : 1;
}

// Runs fn(begin, end, thread) over [0, n) split into `threads` contiguous parts.
template <typename Fn>
void ParallelChunks(size_t n, int threads, Fn&& fn) {
  if (threads <= 1 || n < 4096) {
    fn(size_t{0}, n, 0);
    return;
  }
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    size_t b = n * t / threads, e = n * (t + 1) / threads;
    pool.emplace_back([&fn, b, e, t] { fn(b, e, t); });
  }
  for (auto& th : pool) th.join();
}

uint64_t Mix(uint64_t k) {  // the keys are already hashes; a cheap finaliser guards against structured keys
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  return k;
}

}  // namespace

std::string FormatYuan(Fen fen) {
  char buf[48];
  const char* sign = fen < 0 ? "-" : "";
  uint64_t a = fen < 0 ? uint64_t(-fen) : uint64_t(fen);
  std::snprintf(buf, sizeof buf, "%s%llu.%02llu元", sign, (unsigned long long)(a / 100), (unsigned long long)(a % 100));
  return buf;
}

std::string_view AssetCategoryCode(AssetCategory c) {
  static constexpr std::string_view k[] = {"bank",    "securities", "insurance",       "provident_fund",
                                           "vehicle", "home",       "non_residential", "business"};
  return k[int(c)];
}
std::string_view AssetCategoryName(AssetCategory c) {
  static constexpr std::string_view k[] = {"银行存款", "证券",     "商业保险",   "住房公积金余额",
                                           "机动车",   "住房", "非住宅房产", "工商登记"};
  return k[int(c)];
}

// Person numbers and the feeds' rows grouped by person number.
struct Engine::Index {
  // Open-addressing hash map person key → person number.
  std::vector<PersonKey> slot_key;
  std::vector<uint32_t> slot_pid;
  uint64_t mask = 0;
  std::vector<uint32_t> member_pid;  // per household member
  size_t persons = 0;
  // CSR per feed: rows of person p are rows[offsets[p] .. offsets[p + 1]).
  struct Csr {
    std::vector<uint32_t> offsets;
    std::vector<uint32_t> rows;
    size_t count(uint32_t p) const { return offsets[p + 1] - offsets[p]; }
  };
  std::array<Csr, kFeedCount> csr;

  uint32_t Find(PersonKey k) const {
    uint64_t i = Mix(k) & mask;
    while (true) {
      uint32_t p = slot_pid[i];
      if (p == kNone) return kNone;
      if (slot_key[i] == k) return p;
      i = (i + 1) & mask;
    }
  }
};

Engine::Engine(const FeedTables& feeds, const Households& households) : feeds_(feeds), households_(households) {}
Engine::~Engine() = default;

std::unique_ptr<Engine> Engine::Build(const FeedTables& feeds, const Households& households, int threads_req) {
  std::unique_ptr<Engine> e(new Engine(feeds, households));
  auto ix = std::make_unique<Index>();
  const int threads = ThreadCount(threads_req);
  // 1. Person numbers for the members (a person listed twice gets one number).
  size_t m = households.member_person.size();
  size_t cap = 16;
  while (cap < m * 2) cap <<= 1;
  ix->slot_key.assign(cap, 0);
  ix->slot_pid.assign(cap, kNone);
  ix->mask = cap - 1;
  ix->member_pid.resize(m);
  uint32_t next = 0;
  for (size_t i = 0; i < m; ++i) {
    PersonKey k = households.member_person[i];
    uint64_t s = Mix(k) & ix->mask;
    while (ix->slot_pid[s] != kNone && ix->slot_key[s] != k) s = (s + 1) & ix->mask;
    if (ix->slot_pid[s] == kNone) {
      ix->slot_pid[s] = next++;
      ix->slot_key[s] = k;
    }
    ix->member_pid[i] = ix->slot_pid[s];
  }
  ix->persons = next;
  const size_t P = next;

  // 2. Per feed: person number of every row (hash probe, prefetched), per-thread counts, offsets, scatter.
  auto build = [&](const std::vector<PersonKey>& person, Index::Csr* csr) {
    const size_t n = person.size();
    std::vector<uint32_t> pid(n);
    const int T = n < 65536 ? 1 : threads;
    std::vector<std::vector<uint32_t>> counts(T, std::vector<uint32_t>(P + 1, 0));
    ParallelChunks(n, T, [&](size_t b, size_t en, int t) {
      constexpr size_t kAhead = 16;
      auto& cnt = counts[t];
      for (size_t i = b; i < en; ++i) {
        if (i + kAhead < en) {
          uint64_t s = Mix(person[i + kAhead]) & ix->mask;
          __builtin_prefetch(&ix->slot_pid[s]);
          __builtin_prefetch(&ix->slot_key[s]);
        }
        uint32_t p = ix->Find(person[i]);
        pid[i] = p;
        if (p != kNone) ++cnt[p];
      }
    });
    csr->offsets.assign(P + 1, 0);
    // Thread t's rows of person p start after all threads' rows of persons < p and earlier threads' rows of p.
    uint32_t run = 0;
    for (size_t p = 0; p < P; ++p) {
      csr->offsets[p] = run;
      for (int t = 0; t < T; ++t) {
        uint32_t c = counts[t][p];
        counts[t][p] = run;
        run += c;
      }
    }
    csr->offsets[P] = run;
    csr->rows.resize(run);
    ParallelChunks(n, T, [&](size_t b, size_t en, int t) {
      auto& pos = counts[t];
      for (size_t i = b; i < en; ++i) {
        uint32_t p = pid[i];
        if (p != kNone) csr->rows[pos[p]++] = uint32_t(i);
      }
    });
  };
  build(feeds.hukou.person, &ix->csr[int(Feed::kHukou)]);
  build(feeds.vehicle.person, &ix->csr[int(Feed::kVehicle)]);
  build(feeds.social_insurance.person, &ix->csr[int(Feed::kSocialInsurance)]);
  build(feeds.provident_fund.person, &ix->csr[int(Feed::kProvidentFund)]);
  build(feeds.real_estate.person, &ix->csr[int(Feed::kRealEstate)]);
  build(feeds.business.person, &ix->csr[int(Feed::kBusiness)]);
  build(feeds.tax.person, &ix->csr[int(Feed::kTax)]);
  build(feeds.bank.person, &ix->csr[int(Feed::kBank)]);
  build(feeds.securities.person, &ix->csr[int(Feed::kSecurities)]);
  build(feeds.insurance.person, &ix->csr[int(Feed::kInsurance)]);
  build(feeds.civil.person, &ix->csr[int(Feed::kCivil)]);
  e->index_ = std::move(ix);
  return e;
}

namespace {

constexpr int kMaxMonths = 120;

struct RequestContext {
  int32_t as_of;
  int32_t as_of_month;
  // Per rules entry: which feeds are missing or stale.
  std::vector<uint32_t> stale_mask;
};

RequestContext MakeContext(const Request& req, const FeedTables& feeds) {
  RequestContext c;
  c.as_of = req.as_of;
  c.as_of_month = MonthOfDays(req.as_of);
  for (const Rules& r : *req.rules) {
    uint32_t mask = 0;
    for (int f = 0; f < kFeedCount; ++f) {
      const FeedStatus& s = feeds.status[f];
      if (!s.present) {
        mask |= 1u << f;
      } else if (s.data_date != kNoDate && req.as_of - s.data_date > r.stale_after_days) {
        mask |= 1u << f;
      }
    }
    c.stale_mask.push_back(mask);
  }
  return c;
}

Outcome Worse(Outcome a, Outcome b) {
  auto rank = [](Outcome o) { return o == Outcome::kFail ? 3 : o == Outcome::kReview ? 2 : o == Outcome::kPass ? 1 : 0; };
  return rank(a) >= rank(b) ? a : b;
}

}  // namespace

// The rules over one household. With kExplain the report's lists and reasons are filled as well.
template <bool kExplain>
static void Evaluate(const FeedTables& F, const Households& H, const Engine::Index& ix, const Request& req,
                     const RequestContext& ctx, uint32_t h, HouseholdSummary* out, HouseholdReport* rep);

HouseholdSummary Engine::RunOne(const Request& req, uint32_t h) const {
  RequestContext ctx = MakeContext(req, feeds_);
  HouseholdSummary s;
  Evaluate<false>(feeds_, households_, *index_, req, ctx, h, &s, nullptr);
  return s;
}

HouseholdReport Engine::Explain(const Request& req, uint32_t h) const {
  RequestContext ctx = MakeContext(req, feeds_);
  HouseholdReport rep;
  Evaluate<true>(feeds_, households_, *index_, req, ctx, h, &rep.summary, &rep);
  return rep;
}

std::vector<HouseholdSummary> Engine::Run(const Request& req) const {
  RequestContext ctx = MakeContext(req, feeds_);
  const size_t n = households_.size();
  std::vector<HouseholdSummary> out(n);
  const int threads = ThreadCount(req.threads);
  std::atomic<size_t> next{0}, done{0};
  constexpr size_t kChunk = 8192;
  auto worker = [&] {
    while (true) {
      size_t b = next.fetch_add(kChunk);
      if (b >= n) break;
      size_t e = std::min(n, b + kChunk);
      for (size_t h = b; h < e; ++h) Evaluate<false>(feeds_, households_, *index_, req, ctx, uint32_t(h), &out[h], nullptr);
      size_t d = done.fetch_add(e - b) + (e - b);
      if (req.progress) req.progress(d, n);
    }
  };
  if (threads <= 1 || n < 2 * kChunk) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto& th : pool) th.join();
  }
  return out;
}

template <bool kExplain>
static void Evaluate(const FeedTables& F, const Households& H, const Engine::Index& ix, const Request& req,
                     const RequestContext& ctx, uint32_t h, HouseholdSummary* out, HouseholdReport* rep) {
  const uint32_t ri = H.rules[h];
  const Rules& R = (*req.rules)[ri];
  HouseholdSummary s;
  s.rules_index = ri;
  s.standard = R.standard;
  const int months = std::clamp(R.income_months, 1, kMaxMonths);
  const int32_t last_month = ctx.as_of_month - 1;
  const int32_t first_month = last_month - months + 1;
  const uint32_t stale = ctx.stale_mask[ri];
  const bool hukou_present = F.status[int(Feed::kHukou)].present;
  auto csr = [&](Feed f) -> const Engine::Index::Csr& { return ix.csr[int(f)]; };
  auto rows_of = [&](Feed f, uint32_t p, auto&& fn) {
    const auto& c = csr(f);
    for (uint32_t k = c.offsets[p]; k < c.offsets[p + 1]; ++k) fn(c.rows[k]);
  };

  if constexpr (kExplain) {
    rep->policy_version = R.version;
    rep->period_first_month = first_month;
    rep->period_last_month = last_month;
    rep->near_limit = R.near_limit();
    rep->asset_limit = R.asset_limit();
  }

  Fen income_total = 0, assets = 0;
  uint32_t businesses_fail = 0;
  const uint32_t mb = H.member_begin[h], me = H.member_begin[h + 1];
  for (uint32_t mi = mb; mi < me; ++mi) {
    const uint32_t p = ix.member_pid[mi];
    const bool counted = H.member_counted[mi] != 0;
    const uint32_t member = mi - mb;
    if (!counted) {
      if constexpr (kExplain) rep->members.push_back({H.member_person[mi], false, true, false, kNoDate});
      continue;
    }
    ++s.members_counted;
    // Identity: hukou match and death (hukou status or civil death record).
    bool matched = !hukou_present || csr(Feed::kHukou).count(p) > 0;
    bool dead = false;
    int32_t death_date = kNoDate;
    rows_of(Feed::kHukou, p, [&](uint32_t r) {
      if (F.hukou.dead[r]) {
        dead = true;
        if (F.hukou.death_date[r] != kNoDate) death_date = F.hukou.death_date[r];
      }
    });
    rows_of(Feed::kCivil, p, [&](uint32_t r) {
      if (F.civil.record[r] == CivilRecord::kDeath) {
        dead = true;
        if (death_date == kNoDate) death_date = F.civil.date[r];
      }
    });
    s.dead_members += dead;
    s.unmatched_members += !matched;
    if constexpr (kExplain) rep->members.push_back({H.member_person[mi], true, matched, dead, death_date});

    // Income. Wage: per month the larger of the social insurance and the tax report.
    Fen si_wage[kMaxMonths] = {}, tax_wage[kMaxMonths] = {};
    Fen cat_total[kIncomeCategoryCount] = {};
    rows_of(Feed::kSocialInsurance, p, [&](uint32_t r) {
      int32_t mo = F.social_insurance.month[r];
      if (mo < first_month || mo > last_month) return;
      uint8_t k = F.social_insurance.kind[r];
      if (k == uint8_t(SiKind::kWage)) {
        si_wage[mo - first_month] += F.social_insurance.amount[r];
      } else {
        IncomeCategory c = k == uint8_t(SiKind::kPension)        ? IncomeCategory::kPension
                           : k == uint8_t(SiKind::kUnemployment) ? IncomeCategory::kUnemployment
                                                                 : IncomeCategory::kSiOther;
        cat_total[int(c)] += F.social_insurance.amount[r];
      }
    });
    rows_of(Feed::kTax, p, [&](uint32_t r) {
      int32_t mo = F.tax.month[r];
      if (mo < first_month || mo > last_month) return;
      uint8_t k = F.tax.kind[r];
      if (k == uint8_t(TaxKind::kWage)) {
        tax_wage[mo - first_month] += F.tax.amount[r];
      } else {
        IncomeCategory c = k == uint8_t(TaxKind::kBusiness)   ? IncomeCategory::kBusiness
                           : k == uint8_t(TaxKind::kProperty) ? IncomeCategory::kProperty
                                                              : IncomeCategory::kTaxOther;
        cat_total[int(c)] += F.tax.amount[r];
      }
    });
    for (int i = 0; i < months; ++i) cat_total[int(IncomeCategory::kWage)] += std::max(si_wage[i], tax_wage[i]);
    for (int c = 0; c < kIncomeCategoryCount; ++c) {
      if (R.counts(IncomeCategory(c))) income_total += cat_total[c];
    }
    if constexpr (kExplain) {
      for (int c = 0; c < kIncomeCategoryCount; ++c) {
        IncomeLine line;
        line.member = member;
        line.category = IncomeCategory(c);
        line.total = cat_total[c];
        line.monthly = cat_total[c] / months;
        line.counted = R.counts(IncomeCategory(c));
        Fen by_month[kMaxMonths] = {};
        auto add_rows = [&](Feed f, const IncomeTable& t, auto category_of, bool wage) {
          rows_of(f, p, [&](uint32_t r) {
            int32_t mo = t.month[r];
            if (mo < first_month || mo > last_month || category_of(t.kind[r]) != IncomeCategory(c)) return;
            bool used = true;
            if (wage) {  // the smaller report of a month is shown but not counted (ties: social insurance counts)
              int i = mo - first_month;
              used = f == Feed::kSocialInsurance ? si_wage[i] >= tax_wage[i] : tax_wage[i] > si_wage[i];
            }
            if (used) by_month[mo - first_month] += t.amount[r];
            line.records.push_back({f, t.ref[r], used && line.counted});
          });
        };
        auto si_cat = [](uint8_t k) {
          return k == uint8_t(SiKind::kWage)           ? IncomeCategory::kWage
                 : k == uint8_t(SiKind::kPension)      ? IncomeCategory::kPension
                 : k == uint8_t(SiKind::kUnemployment) ? IncomeCategory::kUnemployment
                                                       : IncomeCategory::kSiOther;
        };
        auto tax_cat = [](uint8_t k) {
          return k == uint8_t(TaxKind::kWage)       ? IncomeCategory::kWage
                 : k == uint8_t(TaxKind::kBusiness) ? IncomeCategory::kBusiness
                 : k == uint8_t(TaxKind::kProperty) ? IncomeCategory::kProperty
                                                    : IncomeCategory::kTaxOther;
        };
        bool wage = c == int(IncomeCategory::kWage);
        add_rows(Feed::kSocialInsurance, F.social_insurance, si_cat, wage);
        add_rows(Feed::kTax, F.tax, tax_cat, wage);
        if (line.records.empty()) continue;
        for (int i = 0; i < months; ++i) {
          if (by_month[i]) line.by_month.push_back({first_month + i, by_month[i]});
        }
        rep->income.push_back(std::move(line));
      }
    }

    // Financial assets: per account the rows of the latest as_of on or before the request date.
    auto balances = [&](Feed f, const BalanceTable& t, AssetCategory cat) {
      Fen sum = 0;
      const auto& c = csr(f);
      const uint32_t b = c.offsets[p], e = c.offsets[p + 1];
      AssetLine line;
      if constexpr (kExplain) {
        line.member = member;
        line.category = cat;
      }
      for (uint32_t k = b; k < e; ++k) {
        uint32_t r = c.rows[k];
        bool latest = t.as_of[r] <= ctx.as_of;
        for (uint32_t j = b; j < e && latest; ++j) {
          uint32_t q = c.rows[j];
          if (t.account[q] == t.account[r] && t.as_of[q] <= ctx.as_of && t.as_of[q] > t.as_of[r]) latest = false;
        }
        if (latest) sum += t.amount[r];
        if constexpr (kExplain) line.records.push_back({f, t.ref[r], latest});
      }
      if constexpr (kExplain) {
        if (!line.records.empty()) {
          line.amount = sum;
          rep->assets.push_back(std::move(line));
        }
      }
      return sum;
    };
    assets += balances(Feed::kBank, F.bank, AssetCategory::kBank);
    assets += balances(Feed::kSecurities, F.securities, AssetCategory::kSecurities);
    assets += balances(Feed::kInsurance, F.insurance, AssetCategory::kInsurance);
    {  // provident fund: the balance of the latest month on or before the as-of month (rows of that month summed)
      int32_t latest = INT32_MIN;
      rows_of(Feed::kProvidentFund, p, [&](uint32_t r) {
        int32_t mo = F.provident_fund.month[r];
        if (mo <= ctx.as_of_month && mo > latest) latest = mo;
      });
      Fen bal = 0;
      AssetLine line;
      rows_of(Feed::kProvidentFund, p, [&](uint32_t r) {
        bool used = F.provident_fund.month[r] == latest;
        if (used) bal += F.provident_fund.balance[r];
        if constexpr (kExplain) line.records.push_back({Feed::kProvidentFund, F.provident_fund.ref[r],
                                                        used && R.count_provident_fund_balance});
      });
      if (R.count_provident_fund_balance) assets += bal;
      if constexpr (kExplain) {
        if (!line.records.empty()) {
          line.member = member;
          line.category = AssetCategory::kProvidentFund;
          line.amount = bal;
          line.counted = R.count_provident_fund_balance;
          rep->assets.push_back(std::move(line));
        }
      }
    }

    // Vehicles, property, business: items counted against the rules.
    uint32_t veh = 0, homes = 0, nonres = 0, bus = 0;
    AssetLine lv, lh, ln, lb;
    rows_of(Feed::kVehicle, p, [&](uint32_t r) {
      bool counts = !R.exempt(F.vehicle.type[r]);
      veh += counts;
      if constexpr (kExplain) lv.records.push_back({Feed::kVehicle, F.vehicle.ref[r], counts});
    });
    rows_of(Feed::kRealEstate, p, [&](uint32_t r) {
      if (F.real_estate.type[r] == PropertyType::kResidential) {
        ++homes;
        if constexpr (kExplain) lh.records.push_back({Feed::kRealEstate, F.real_estate.ref[r], true});
      } else {
        ++nonres;
        if constexpr (kExplain) ln.records.push_back({Feed::kRealEstate, F.real_estate.ref[r], true});
      }
    });
    rows_of(Feed::kBusiness, p, [&](uint32_t r) {
      BusinessRole role = F.business.role[r];
      bool counts = F.business.active[r] &&
                    (role == BusinessRole::kLegalRep || (role == BusinessRole::kShareholder && R.business_count_shareholder));
      bus += counts;
      if (counts && F.business.capital[r] >= R.business_review_capital_below) ++businesses_fail;
      if constexpr (kExplain) lb.records.push_back({Feed::kBusiness, F.business.ref[r], counts});
    });
    s.vehicles += veh;
    s.homes += homes;
    s.non_residential += nonres;
    s.businesses += bus;
    if constexpr (kExplain) {
      auto push = [&](AssetLine& l, AssetCategory c, uint32_t count) {
        if (l.records.empty()) return;
        l.member = member;
        l.category = c;
        l.count = count;
        rep->assets.push_back(std::move(l));
      };
      push(lv, AssetCategory::kVehicle, veh);
      push(lh, AssetCategory::kHome, homes);
      push(ln, AssetCategory::kNonResidential, nonres);
      push(lb, AssetCategory::kBusiness, bus);
    }
  }

  // Household figures.
  s.income_total = income_total;
  s.income_month = income_total / months;
  s.financial_assets = assets;
  const uint32_t n = s.members_counted;
  if (n > 0) {
    s.income_per_capita = s.income_month / n;
    s.financial_assets_per_capita = assets / n;
  }

  // Rules.
  auto set = [&](RuleId r, Outcome o) { s.outcomes[int(r)] = o; };
  if (n == 0) {
    s.flags |= kFlagNoCountedMember;
    for (int r = 0; r < kRuleCount; ++r) s.outcomes[r] = Outcome::kNotApplicable;
    set(RuleId::kMembers, Outcome::kReview);
  } else {
    // members
    Outcome om = Outcome::kPass;
    if (s.dead_members) s.flags |= kFlagMemberDead, om = R.member_outcome;
    if (s.unmatched_members) s.flags |= kFlagUnmatchedMember, om = R.member_outcome;
    set(RuleId::kMembers, om);
    // income
    if (s.income_per_capita >= R.standard) {
      s.flags |= kFlagIncomeOverStandard;
      if (s.income_per_capita < R.near_limit()) s.flags |= kFlagIncomeNearStandard;
      set(RuleId::kIncome, Outcome::kFail);
    } else {
      set(RuleId::kIncome, Outcome::kPass);
    }
    // assets
    if (s.financial_assets_per_capita > R.asset_limit()) {
      s.flags |= kFlagAssetsOverLimit;
      set(RuleId::kAssets, Outcome::kFail);
    } else {
      set(RuleId::kAssets, Outcome::kPass);
    }
    // vehicle
    if (s.vehicles) {
      s.flags |= kFlagVehicle;
      set(RuleId::kVehicle, R.vehicle_outcome);
    } else {
      set(RuleId::kVehicle, Outcome::kPass);
    }
    // property
    if (int(s.homes) > R.max_homes || (s.non_residential && !R.non_residential_allowed)) {
      s.flags |= kFlagProperty;
      set(RuleId::kProperty, R.property_outcome);
    } else {
      set(RuleId::kProperty, Outcome::kPass);
    }
    // business
    if (s.businesses) {
      s.flags |= kFlagBusiness;
      set(RuleId::kBusiness, businesses_fail ? R.business_outcome : Outcome::kReview);
    } else {
      set(RuleId::kBusiness, Outcome::kPass);
    }
  }
  // feeds
  if (stale) {
    s.flags |= kFlagStaleFeed;
    set(RuleId::kFeeds, R.stale_outcome);
  } else {
    set(RuleId::kFeeds, Outcome::kPass);
  }
  Outcome worst = Outcome::kNotApplicable;
  for (Outcome o : s.outcomes) worst = Worse(worst, o);
  s.decision = worst == Outcome::kFail ? Decision::kIneligible : worst == Outcome::kReview ? Decision::kReview
                                                                                           : Decision::kEligible;
  *out = s;

  if constexpr (kExplain) {
    auto reason = [&](RuleId r, std::string text) { rep->rules.push_back({r, s.outcomes[int(r)], std::move(text)}); };
    std::string period = FormatMonth(first_month) + " 至 " + FormatMonth(last_month);
    if (n == 0) {
      reason(RuleId::kMembers, "家庭成员中没有计入共同生活的成员，无法计算人均收入，需人工复核");
    } else {
      std::string t;
      if (!s.dead_members && !s.unmatched_members) {
        t = hukou_present ? "计入的 " + std::to_string(n) + " 名成员均与户籍数据比对一致，未发现死亡记录"
                          : "未提供户籍数据，无法比对成员身份（见数据时效）";
      } else {
        if (s.dead_members) t += std::to_string(s.dead_members) + " 名计入成员有死亡记录（户籍或民政）；";
        if (s.unmatched_members) t += std::to_string(s.unmatched_members) + " 名计入成员在户籍数据中查无此人；";
        t += "家庭成员须核实后重新申请核对";
      }
      reason(RuleId::kMembers, t);
      std::string inc = "核对期 " + period + " 共 " + std::to_string(months) + " 个月，家庭计入收入合计 " +
                        FormatYuan(s.income_total) + "，月均 " + FormatYuan(s.income_month) + "，计入成员 " +
                        std::to_string(n) + " 人，月人均 " + FormatYuan(s.income_per_capita) + "；保障标准 " +
                        FormatYuan(R.standard) + "/人/月";
      if (s.income_per_capita >= R.standard) {
        inc += "，月人均收入不低于保障标准";
        if (s.flags & kFlagIncomeNearStandard) {
          inc += "（低于标准的 " + std::to_string(R.near_band_permille / 1000.0).substr(0, 4) + " 倍即 " +
                 FormatYuan(R.near_limit()) + "，属低保边缘）";
        }
      } else {
        inc += "，月人均收入低于保障标准";
      }
      inc += "。同一成员同月社保与税务均报告工资的，只计较高的一项，不重复计算";
      reason(RuleId::kIncome, inc);
      std::string as = "金融资产（存款、证券、商业保险现金价值" +
                       std::string(R.count_provident_fund_balance ? "、公积金余额" : "") + "）合计 " +
                       FormatYuan(assets) + "，人均 " + FormatYuan(s.financial_assets_per_capita) + "；限额为 " +
                       std::to_string(R.asset_limit_months) + " 个月保障标准即人均 " + FormatYuan(R.asset_limit());
      as += s.financial_assets_per_capita > R.asset_limit() ? "，超过限额" : "，未超过限额";
      reason(RuleId::kAssets, as);
      reason(RuleId::kVehicle, s.vehicles ? "计入成员名下有 " + std::to_string(s.vehicles) +
                                                " 辆非豁免机动车（摩托车、残疾人专用车、电动自行车等按政策豁免）"
                                          : "计入成员名下无非豁免机动车");
      std::string pr = "住房 " + std::to_string(s.homes) + " 套（允许 " + std::to_string(R.max_homes) +
                       " 套），非住宅房产 " + std::to_string(s.non_residential) + " 处";
      pr += (s.flags & kFlagProperty) ? "，不符合房产规定" : "，符合房产规定";
      reason(RuleId::kProperty, pr);
      reason(RuleId::kBusiness,
             s.businesses ? "计入成员有 " + std::to_string(s.businesses) + " 条存续的工商登记（法定代表人或股东）" +
                                (businesses_fail ? "" : "，注册资本均低于复核线，需人工复核（如家庭小店）")
                          : "计入成员无存续的工商登记");
    }
    for (int f = 0; f < kFeedCount; ++f) {
      if (stale & (1u << f)) rep->stale_feeds.push_back(Feed(f));
    }
    if (stale) {
      std::string t = "以下数据缺失或超过 " + std::to_string(R.stale_after_days) + " 天未更新：";
      for (size_t i = 0; i < rep->stale_feeds.size(); ++i) {
        const FeedStatus& st = F.status[int(rep->stale_feeds[i])];
        t += (i ? "、" : "") + std::string(FeedName(rep->stale_feeds[i])) +
             (st.present ? "（数据截至 " + FormatDays(st.data_date) + "）" : "（未提供）");
      }
      reason(RuleId::kFeeds, t);
    } else {
      reason(RuleId::kFeeds, "各部门数据齐全，均在 " + std::to_string(R.stale_after_days) + " 天内");
    }
  }
}

}  // namespace doudi::verify
