// Feed tables and households: date helpers, codes, appending and the newest dates.
#include "verify/engine/model.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace doudi::verify {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

template <typename T>
void AppendVec(std::vector<T>& a, std::vector<T>&& b) {
  if (a.empty() && a.capacity() < b.size()) {  // nothing reserved: take b's buffer
    a = std::move(b);
  } else {
    a.insert(a.end(), b.begin(), b.end());
  }
}

}  // namespace

int32_t DateDays(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return kNoDate;
  std::string_view y = s.substr(0, 4), m = s.substr(5, 2), d = s.substr(8, 2);
  if (!AllDigits(y) || !AllDigits(m) || !AllDigits(d)) return kNoDate;
  std::chrono::year_month_day ymd{std::chrono::year(ToInt(y)), std::chrono::month(unsigned(ToInt(m))),
                                  std::chrono::day(unsigned(ToInt(d)))};
  if (!ymd.ok()) return kNoDate;
  return std::chrono::sys_days(ymd).time_since_epoch().count();
}

std::string FormatDays(int32_t days) {
  if (days == kNoDate) return "";
  std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(days))};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
  return buf;
}

std::string FormatMonth(int32_t m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", m / 12, m % 12 + 1);
  return buf;
}

int32_t MonthOfDays(int32_t days) {
  std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(days))};
  return MonthIndex(int(ymd.year()), int(unsigned(ymd.month())));
}

std::string_view FeedCode(Feed f) {
  static constexpr std::string_view kCodes[kFeedCount] = {
      "hukou", "vehicle", "social_insurance", "provident_fund", "real_estate", "business",
      "tax",   "bank",    "securities",       "insurance",      "civil"};
  return kCodes[int(f)];
}

std::string_view FeedName(Feed f) {
  static constexpr std::string_view kNames[kFeedCount] = {
      "户籍（公安）", "机动车（公安车管）", "社会保险（人社）", "住房公积金", "不动产登记", "工商登记（市场监管）",
      "税务",         "银行存款",           "证券",             "商业保险",   "民政"};
  return kNames[int(f)];
}

bool ParseFeedCode(std::string_view code, Feed* out) {
  for (int i = 0; i < kFeedCount; ++i) {
    if (FeedCode(Feed(i)) == code) {
      *out = Feed(i);
      return true;
    }
  }
  return false;
}

std::string_view VehicleTypeCode(VehicleType t) {
  static constexpr std::string_view k[] = {"car", "truck", "motorcycle", "disability", "ebike", "other"};
  return k[int(t)];
}
std::string_view PropertyTypeCode(PropertyType t) {
  static constexpr std::string_view k[] = {"residential", "commercial", "other"};
  return k[int(t)];
}

size_t FeedTables::rows(Feed f) const {
  switch (f) {
    case Feed::kHukou: return hukou.size();
    case Feed::kVehicle: return vehicle.size();
    case Feed::kSocialInsurance: return social_insurance.size();
    case Feed::kProvidentFund: return provident_fund.size();
    case Feed::kRealEstate: return real_estate.size();
    case Feed::kBusiness: return business.size();
    case Feed::kTax: return tax.size();
    case Feed::kBank: return bank.size();
    case Feed::kSecurities: return securities.size();
    case Feed::kInsurance: return insurance.size();
    case Feed::kCivil: return civil.size();
  }
  return 0;
}

size_t FeedTables::total_rows() const {
  size_t n = 0;
  for (int i = 0; i < kFeedCount; ++i) n += rows(Feed(i));
  return n;
}

void FeedTables::Append(FeedTables&& o) {
  auto income = [](IncomeTable& a, IncomeTable& b) {
    AppendVec(a.person, std::move(b.person));
    AppendVec(a.kind, std::move(b.kind));
    AppendVec(a.month, std::move(b.month));
    AppendVec(a.amount, std::move(b.amount));
    AppendVec(a.ref, std::move(b.ref));
  };
  auto balance = [](BalanceTable& a, BalanceTable& b) {
    AppendVec(a.person, std::move(b.person));
    AppendVec(a.account, std::move(b.account));
    AppendVec(a.amount, std::move(b.amount));
    AppendVec(a.as_of, std::move(b.as_of));
    AppendVec(a.ref, std::move(b.ref));
  };
  AppendVec(hukou.person, std::move(o.hukou.person));
  AppendVec(hukou.dead, std::move(o.hukou.dead));
  AppendVec(hukou.death_date, std::move(o.hukou.death_date));
  AppendVec(hukou.ref, std::move(o.hukou.ref));
  AppendVec(vehicle.person, std::move(o.vehicle.person));
  AppendVec(vehicle.type, std::move(o.vehicle.type));
  AppendVec(vehicle.registered_on, std::move(o.vehicle.registered_on));
  AppendVec(vehicle.ref, std::move(o.vehicle.ref));
  income(social_insurance, o.social_insurance);
  income(tax, o.tax);
  AppendVec(provident_fund.person, std::move(o.provident_fund.person));
  AppendVec(provident_fund.month, std::move(o.provident_fund.month));
  AppendVec(provident_fund.deposit, std::move(o.provident_fund.deposit));
  AppendVec(provident_fund.balance, std::move(o.provident_fund.balance));
  AppendVec(provident_fund.ref, std::move(o.provident_fund.ref));
  AppendVec(real_estate.person, std::move(o.real_estate.person));
  AppendVec(real_estate.type, std::move(o.real_estate.type));
  AppendVec(real_estate.area_centi_m2, std::move(o.real_estate.area_centi_m2));
  AppendVec(real_estate.registered_on, std::move(o.real_estate.registered_on));
  AppendVec(real_estate.ref, std::move(o.real_estate.ref));
  AppendVec(business.person, std::move(o.business.person));
  AppendVec(business.role, std::move(o.business.role));
  AppendVec(business.capital, std::move(o.business.capital));
  AppendVec(business.active, std::move(o.business.active));
  AppendVec(business.ref, std::move(o.business.ref));
  balance(bank, o.bank);
  balance(securities, o.securities);
  balance(insurance, o.insurance);
  AppendVec(civil.person, std::move(o.civil.person));
  AppendVec(civil.record, std::move(o.civil.record));
  AppendVec(civil.date, std::move(o.civil.date));
  AppendVec(civil.ref, std::move(o.civil.ref));
  for (int i = 0; i < kFeedCount; ++i) {
    status[i].present = status[i].present || o.status[i].present;
    if (o.status[i].data_date != kNoDate &&
        (status[i].data_date == kNoDate || o.status[i].data_date > status[i].data_date)) {
      status[i].data_date = o.status[i].data_date;
    }
  }
}

int32_t FeedTables::NewestDate(Feed f) const {
  auto max_of = [](const std::vector<int32_t>& v) {
    int32_t m = kNoDate;
    for (int32_t x : v) m = std::max(m, x);
    return m;
  };
  auto month_end = [&](const std::vector<int32_t>& months) {
    if (months.empty()) return kNoDate;
    int32_t m = *std::max_element(months.begin(), months.end()) + 1;  // first day of the next month, minus one
    std::chrono::year_month_day first{std::chrono::year(m / 12), std::chrono::month(unsigned(m % 12 + 1)),
                                      std::chrono::day(1)};
    return int32_t(std::chrono::sys_days(first).time_since_epoch().count() - 1);
  };
  switch (f) {
    case Feed::kSocialInsurance: return month_end(social_insurance.month);
    case Feed::kProvidentFund: return month_end(provident_fund.month);
    case Feed::kTax: return month_end(tax.month);
    case Feed::kBank: return max_of(bank.as_of);
    case Feed::kSecurities: return max_of(securities.as_of);
    case Feed::kInsurance: return max_of(insurance.as_of);
    default: return kNoDate;
  }
}

uint32_t Households::Add(const PersonKey* persons, const uint8_t* counted, size_t n, uint32_t rules_index) {
  member_person.insert(member_person.end(), persons, persons + n);
  member_counted.insert(member_counted.end(), counted, counted + n);
  member_begin.push_back(uint32_t(member_person.size()));
  rules.push_back(rules_index);
  return uint32_t(size() - 1);
}

}  // namespace doudi::verify
