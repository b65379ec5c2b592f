// The verification engine (核对引擎): joins the agency feed tables to the members of the households, aggregates
// income over the policy's period and assets as of the request date, and applies the rules.
//
// Build() indexes the feeds once: a hash map from person key to a dense person number, then for every feed a
// counting sort of its rows by person (CSR offsets + row numbers), in parallel over the threads. After that a
// household is evaluated by walking its members' row ranges, with no allocation: Run() does all households in
// parallel and returns a fixed-size summary per household; Explain() evaluates one household the same way and
// also lists the figures by member and category with the feed rows behind each. One household (tables holding only
// its members' rows) takes well under a millisecond, the periodic recheck of a million households seconds.
//
// Arithmetic (docs/verify-engine.md): integer fen, every division rounds down.
//   monthly income      = Σ counted income of counted members over the period ÷ income_months
//   income per capita   = monthly income ÷ members counted
//   financial assets    = Σ latest bank, securities, insurance (and provident fund balance if the policy says) balances
//   assets per capita   = financial assets ÷ members counted
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "verify/engine/model.h"
#include "verify/engine/rules.h"

namespace doudi::verify {

struct Request {
  int32_t as_of = kNoDate;          // the date property is assessed at; income: the months before its month
  const std::vector<Rules>* rules = nullptr;  // Households::rules[h] indexes this
  int threads = 0;                  // 0: all hardware threads
  // Called now and then from a worker thread with the number of households done (for progress bars).
  std::function<void(size_t done, size_t total)> progress;
};

// The fixed-size result of one household (the batch returns one per household, in order).
struct HouseholdSummary {
  Decision decision = Decision::kReview;
  uint32_t flags = 0;
  uint32_t members_counted = 0;
  uint32_t rules_index = 0;  // which Rules applied (its version and standard)
  Fen income_total = 0;      // counted income of counted members over the whole period
  Fen income_month = 0;      // income_total ÷ income_months
  Fen income_per_capita = 0;
  Fen financial_assets = 0;
  Fen financial_assets_per_capita = 0;
  Fen standard = 0;
  uint32_t vehicles = 0;        // vehicles not exempt
  uint32_t homes = 0;           // residential properties
  uint32_t non_residential = 0; // commercial and other properties
  uint32_t businesses = 0;      // active registrations that count
  uint32_t dead_members = 0;
  uint32_t unmatched_members = 0;
  std::array<Outcome, kRuleCount> outcomes{};
};

// A feed row behind a figure: the feed and the caller's reference of the row (file line or stored id).
struct RecordRef {
  Feed feed;
  uint64_t ref;
  bool counted = true;  // false: shown for completeness but not added (the smaller wage report of a month, a
                        // balance superseded by a later as_of, an exempt vehicle ...)
};

struct MonthAmount {
  int32_t month;  // month index
  Fen amount;
};

// Income of one member in one category: the period total, the monthly average, each month, and the records.
struct IncomeLine {
  uint32_t member;  // index within the household (0-based, in the order of Households::member_person)
  IncomeCategory category;
  Fen total = 0;
  Fen monthly = 0;  // total ÷ income_months
  bool counted = true;  // false: the policy excludes this category
  std::vector<MonthAmount> by_month;
  std::vector<RecordRef> records;
};

enum class AssetCategory : uint8_t {
  kBank = 0, kSecurities = 1, kInsurance = 2, kProvidentFund = 3,  // money
  kVehicle = 4, kHome = 5, kNonResidential = 6, kBusiness = 7,      // counted items
};
std::string_view AssetCategoryCode(AssetCategory c);  // "bank", "securities", ...
std::string_view AssetCategoryName(AssetCategory c);  // "银行存款", ...

struct AssetLine {
  uint32_t member;
  AssetCategory category;
  Fen amount = 0;      // money categories
  uint32_t count = 0;  // item categories (vehicles, homes ...): the items that count against the rules
  bool counted = true;
  std::vector<RecordRef> records;
};

struct MemberStatus {
  PersonKey person;
  bool counted;
  bool matched;  // found in the hukou feed (true when the hukou feed is missing: not checkable)
  bool dead;
  int32_t death_date;  // kNoDate if unknown
};

struct RuleResult {
  RuleId rule;
  Outcome outcome;
  std::string reason;  // Chinese, with the figures
};

// Everything a verifier reads about one household's result.
struct HouseholdReport {
  HouseholdSummary summary;
  std::string policy_version;
  int32_t period_first_month = 0;  // income period, month indices, inclusive
  int32_t period_last_month = 0;
  Fen near_limit = 0;   // standard × band
  Fen asset_limit = 0;  // per capita
  std::vector<MemberStatus> members;
  std::vector<IncomeLine> income;
  std::vector<AssetLine> assets;
  std::vector<RuleResult> rules;
  std::vector<Feed> stale_feeds;  // missing or stale
};

class Engine {
 public:
  // Indexes the feeds for the households' members. Both must outlive the engine and stay unchanged.
  static std::unique_ptr<Engine> Build(const FeedTables& feeds, const Households& households, int threads = 0);
  ~Engine();

  // All households, in order.
  std::vector<HouseholdSummary> Run(const Request& request) const;
  HouseholdSummary RunOne(const Request& request, uint32_t household) const;
  HouseholdReport Explain(const Request& request, uint32_t household) const;

  const FeedTables& feeds() const { return feeds_; }
  const Households& households() const { return households_; }

  struct Index;  // the person index and the feeds' rows grouped by person (engine.cc)

 private:
  Engine(const FeedTables& feeds, const Households& households);
  const FeedTables& feeds_;
  const Households& households_;
  std::unique_ptr<Index> index_;
};

// One line of the rule's reason, shared by the engine and the reports: "¥1,234.56" style is not used; figures are
// written "1234.56元".
std::string FormatYuan(Fen fen);

}  // namespace doudi::verify
