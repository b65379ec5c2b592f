// The verification engine's data model: agency feeds (部门数据) held as columnar in-memory tables keyed by a
// 64-bit person key, and the households to verify.
//
// The engine never sees an ID number or a name: the caller turns each ID number into a person key with a keyed
// hash (platform Crypto::KeyedHash64 in the service, a per-run SipHash key in the CLI) and the engine only joins
// on it. Every feed row keeps a caller-chosen 64-bit reference (`ref`: the file line for the CLI, the stored row
// id for the service) so that every figure in a result can name the records behind it.
//
// Encodings, chosen so that the batch works on plain integer arrays:
//   money  integer fen (分), never negative in feeds;
//   date   days since 1970-01-01 (std::chrono::sys_days count), kNoDate when absent;
//   month  year * 12 + (month - 1), so that consecutive months are consecutive integers.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace doudi::verify {

using PersonKey = uint64_t;
using Fen = int64_t;
inline constexpr int32_t kNoDate = INT32_MIN;

// "YYYY-MM-DD" → days; kNoDate if not a real date (2020-02-30 is not).
int32_t DateDays(std::string_view iso);
std::string FormatDays(int32_t days);   // days → "YYYY-MM-DD"; "" for kNoDate
inline constexpr int32_t MonthIndex(int year, int month) { return year * 12 + (month - 1); }
std::string FormatMonth(int32_t month_index);  // → "YYYY-MM"
int32_t MonthOfDays(int32_t days);             // the month index of a date

// The agency feeds (see docs/verify-feeds.md). The numeric values are stable: they are stored.
enum class Feed : uint8_t {
  kHukou = 0,           // hukou.csv            公安 户籍与死亡
  kVehicle = 1,         // vehicle.csv          公安车管 机动车
  kSocialInsurance = 2, // social_insurance.csv 人社 工资、养老金、失业金
  kProvidentFund = 3,   // provident_fund.csv   公积金
  kRealEstate = 4,      // real_estate.csv      不动产登记
  kBusiness = 5,        // business.csv         市场监管 工商登记
  kTax = 6,             // tax.csv              税务 收入
  kBank = 7,            // bank.csv             银行存款
  kSecurities = 8,      // securities.csv       证券
  kInsurance = 9,       // insurance.csv        商业保险
  kCivil = 10,          // civil.csv            民政 婚姻、死亡、救助
};
inline constexpr int kFeedCount = 11;
std::string_view FeedCode(Feed f);       // "hukou", "vehicle", ..., the file name without ".csv"
std::string_view FeedName(Feed f);       // Chinese name, e.g. "户籍（公安）"
bool ParseFeedCode(std::string_view code, Feed* out);

// Coded values of the feeds; each enum's first value is its "other"/default only where the feed says so.
enum class VehicleType : uint8_t { kCar, kTruck, kMotorcycle, kDisability, kEbike, kOther };
enum class SiKind : uint8_t { kWage, kPension, kUnemployment, kOther };          // social_insurance.kind
enum class TaxKind : uint8_t { kWage, kBusiness, kProperty, kOther };            // tax.income_type
enum class PropertyType : uint8_t { kResidential, kCommercial, kOther };
enum class BusinessRole : uint8_t { kLegalRep, kShareholder, kOther };
enum class CivilRecord : uint8_t { kMarriage, kDeath, kBenefit };
std::string_view VehicleTypeCode(VehicleType t);   // "car", ...
std::string_view PropertyTypeCode(PropertyType t);  // "residential", ...

// --- feed tables: one struct of parallel columns per feed; row i is the i-th element of every column ---------
struct HukouTable {
  std::vector<PersonKey> person;
  std::vector<uint8_t> dead;          // 1: status dead
  std::vector<int32_t> death_date;    // kNoDate if none
  std::vector<uint64_t> ref;
  size_t size() const { return person.size(); }
};
struct VehicleTable {
  std::vector<PersonKey> person;
  std::vector<VehicleType> type;
  std::vector<int32_t> registered_on;
  std::vector<uint64_t> ref;
  size_t size() const { return person.size(); }
};
// social_insurance.csv (kind = SiKind) and tax.csv (kind = TaxKind) share this shape.
struct IncomeTable {
  std::vector<PersonKey> person;
  std::vector<uint8_t> kind;
  std::vector<int32_t> month;
  std::vector<Fen> amount;
  std::vector<uint64_t> ref;
  size_t size() const { return person.size(); }
};
struct ProvidentFundTable {
  std::vector<PersonKey> person;
  std::vector<int32_t> month;
  std::vector<Fen> deposit;
  std::vector<Fen> balance;
  std::vector<uint64_t> ref;
  size_t size() const { return person.size(); }
};
struct RealEstateTable {
  std::vector<PersonKey> person;
  std::vector<PropertyType> type;
  std::vector<int32_t> area_centi_m2;  // area in 0.01 m²
  std::vector<int32_t> registered_on;
  std::vector<uint64_t> ref;
  size_t size() const { return person.size(); }
};
struct BusinessTable {
  std::vector<PersonKey> person;
  std::vector<BusinessRole> role;
  std::vector<Fen> capital;
  std::vector<uint8_t> active;  // 1: status active, 0: closed
  std::vector<uint64_t> ref;
  size_t size() const { return person.size(); }
};
// bank.csv, securities.csv and insurance.csv: a balance per person and account as of a date. `account` tells
// one account from another (a hash of the bank or product name; 0 for securities, which report one total):
// for each person and account only the rows of the latest as_of on or before the request date count.
struct BalanceTable {
  std::vector<PersonKey> person;
  std::vector<uint64_t> account;
  std::vector<Fen> amount;
  std::vector<int32_t> as_of;
  std::vector<uint64_t> ref;
  size_t size() const { return person.size(); }
};
struct CivilTable {
  std::vector<PersonKey> person;
  std::vector<CivilRecord> record;
  std::vector<int32_t> date;
  std::vector<uint64_t> ref;
  size_t size() const { return person.size(); }
};

// Whether a feed was supplied at all, and the date its data reflect (the newest as_of/month in it, or the date
// the agency extracted it for feeds without dates). A missing or stale feed makes results "review".
struct FeedStatus {
  bool present = false;
  int32_t data_date = kNoDate;
};

struct FeedTables {
  HukouTable hukou;
  VehicleTable vehicle;
  IncomeTable social_insurance;
  ProvidentFundTable provident_fund;
  RealEstateTable real_estate;
  BusinessTable business;
  IncomeTable tax;
  BalanceTable bank;
  BalanceTable securities;
  BalanceTable insurance;
  CivilTable civil;
  std::array<FeedStatus, kFeedCount> status;

  size_t rows(Feed f) const;
  size_t total_rows() const;
  // Appends every row of `other` (used to join the per-thread tables of a parallel import).
  void Append(FeedTables&& other);
  // The date a periodic feed's data reflect: the last day of its newest month (social insurance, provident fund,
  // tax) or its newest as_of (bank, securities, insurance). kNoDate for the registers (hukou, vehicle, real
  // estate, business, civil), whose dates are registration dates: their data date is the extraction date.
  int32_t NewestDate(Feed f) const;
};

// The households to verify, as a CSR list of members: the members of household h are the indices
// [member_begin[h], member_begin[h + 1]). `rules[h]` indexes the Rules vector of the request (the policy the
// caller chose for the household's county, urban/rural and date).
struct Households {
  std::vector<uint32_t> member_begin{0};
  std::vector<PersonKey> member_person;
  std::vector<uint8_t> member_counted;  // 1: counted in the household (共同生活家庭成员)
  std::vector<uint32_t> rules;

  size_t size() const { return member_begin.size() - 1; }
  size_t members(size_t h) const { return member_begin[h + 1] - member_begin[h]; }
  // Adds one household; returns its index.
  uint32_t Add(const PersonKey* persons, const uint8_t* counted, size_t n, uint32_t rules_index);
};

}  // namespace doudi::verify
