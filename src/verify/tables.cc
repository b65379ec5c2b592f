#include "verify/tables.h"

#include <array>
#include <string>

#include "verify/feeds/feeds.h"

namespace doudi::verify {
namespace {

// Where a named column of a feed lands in a ParsedRow: its slot, and for codes the index of each code name.
struct Slot {
  int slot = -1;
  const feeds::ColumnSpec* spec = nullptr;
};

Slot Find(Feed feed, std::string_view name) {
  for (const auto& c : feeds::Spec(feed).columns) {
    if (c.name == name) return {c.slot, &c};
  }
  return {};
}

// The engine's value of a code column: the position of the stored code's name in `names` (the engine's enum
// order), so that a spec listing its codes in another order still maps right.
template <size_t N>
uint8_t CodeValue(const Slot& s, const store::FeedRow& row, const std::array<std::string_view, N>& names) {
  if (s.slot < 0 || !s.spec) return 0;
  int stored = row.code[s.slot];
  if (stored < 0 || static_cast<size_t>(stored) >= s.spec->codes.size()) return 0;
  std::string_view name = s.spec->codes[stored];
  name = name.substr(0, name.find('|'));  // "dead|死亡|...": the code, then its accepted synonyms
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<uint8_t>(i);
  }
  return static_cast<uint8_t>(N - 1);  // unknown names fall to the enum's last ("other") value
}

int32_t Date(const Slot& s, const store::FeedRow& row) { return s.slot < 0 ? kNoDate : row.date[s.slot]; }
Fen Money(const Slot& s, const store::FeedRow& row) { return s.slot < 0 ? 0 : row.money[s.slot]; }
std::string_view Text(const Slot& s, const store::FeedRow& row) {
  return s.slot < 0 ? std::string_view() : std::string_view(row.text[s.slot]);
}

struct Slots {
  Slot hukou_status = Find(Feed::kHukou, "status"), hukou_death = Find(Feed::kHukou, "death_date");
  Slot vehicle_type = Find(Feed::kVehicle, "vehicle_type"), vehicle_on = Find(Feed::kVehicle, "registered_on");
  Slot si_kind = Find(Feed::kSocialInsurance, "kind"), si_amount = Find(Feed::kSocialInsurance, "amount_yuan");
  Slot pf_deposit = Find(Feed::kProvidentFund, "deposit_yuan"), pf_balance = Find(Feed::kProvidentFund, "balance_yuan");
  Slot re_type = Find(Feed::kRealEstate, "property_type"), re_on = Find(Feed::kRealEstate, "registered_on");
  Slot biz_role = Find(Feed::kBusiness, "role"), biz_capital = Find(Feed::kBusiness, "registered_capital_yuan"),
       biz_status = Find(Feed::kBusiness, "status");
  Slot tax_kind = Find(Feed::kTax, "income_type"), tax_amount = Find(Feed::kTax, "amount_yuan");
  Slot bank_name = Find(Feed::kBank, "bank"), bank_balance = Find(Feed::kBank, "balance_yuan"),
       bank_as_of = Find(Feed::kBank, "as_of");
  Slot sec_value = Find(Feed::kSecurities, "market_value_yuan"), sec_as_of = Find(Feed::kSecurities, "as_of");
  Slot ins_product = Find(Feed::kInsurance, "product"), ins_value = Find(Feed::kInsurance, "cash_value_yuan"),
       ins_as_of = Find(Feed::kInsurance, "as_of");
  Slot civil_record = Find(Feed::kCivil, "record"), civil_date = Find(Feed::kCivil, "date");
};

const Slots& TheSlots() {
  static const Slots s;
  return s;
}

constexpr std::array<std::string_view, 2> kHukouStatus = {"alive", "dead"};
constexpr std::array<std::string_view, 6> kVehicleTypes = {"car", "truck", "motorcycle", "disability", "ebike", "other"};
constexpr std::array<std::string_view, 4> kSiKinds = {"wage", "pension", "unemployment", "other"};
constexpr std::array<std::string_view, 4> kTaxKinds = {"wage", "business", "property", "other"};
constexpr std::array<std::string_view, 3> kPropertyTypes = {"residential", "commercial", "other"};
constexpr std::array<std::string_view, 3> kRoles = {"legal_rep", "shareholder", "other"};
constexpr std::array<std::string_view, 2> kBizStatus = {"active", "closed"};
constexpr std::array<std::string_view, 3> kCivilRecords = {"marriage", "death", "benefit"};

void AddBalance(BalanceTable& t, PersonKey p, uint64_t account, Fen amount, int32_t as_of, uint64_t ref) {
  t.person.push_back(p);
  t.account.push_back(account);
  t.amount.push_back(amount);
  t.as_of.push_back(as_of);
  t.ref.push_back(ref);
}

void AddIncome(IncomeTable& t, PersonKey p, uint8_t kind, int32_t month, Fen amount, uint64_t ref) {
  t.person.push_back(p);
  t.kind.push_back(kind);
  t.month.push_back(month);
  t.amount.push_back(amount);
  t.ref.push_back(ref);
}

}  // namespace

uint64_t AccountHash(std::string_view text) {
  if (text.empty()) return 0;
  uint64_t h = 1469598103934665603ull;
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return h;
}

void AppendRow(const store::FeedRow& row, uint64_t ref, FeedTables* t) {
  const Slots& s = TheSlots();
  const PersonKey p = row.person_key;
  switch (static_cast<Feed>(row.feed)) {
    case Feed::kHukou:
      t->hukou.person.push_back(p);
      t->hukou.dead.push_back(CodeValue(s.hukou_status, row, kHukouStatus) == 1 ? 1 : 0);
      t->hukou.death_date.push_back(Date(s.hukou_death, row));
      t->hukou.ref.push_back(ref);
      break;
    case Feed::kVehicle:
      t->vehicle.person.push_back(p);
      t->vehicle.type.push_back(static_cast<VehicleType>(CodeValue(s.vehicle_type, row, kVehicleTypes)));
      t->vehicle.registered_on.push_back(Date(s.vehicle_on, row));
      t->vehicle.ref.push_back(ref);
      break;
    case Feed::kSocialInsurance:
      AddIncome(t->social_insurance, p, CodeValue(s.si_kind, row, kSiKinds), row.month, Money(s.si_amount, row), ref);
      break;
    case Feed::kProvidentFund:
      t->provident_fund.person.push_back(p);
      t->provident_fund.month.push_back(row.month);
      t->provident_fund.deposit.push_back(Money(s.pf_deposit, row));
      t->provident_fund.balance.push_back(Money(s.pf_balance, row));
      t->provident_fund.ref.push_back(ref);
      break;
    case Feed::kRealEstate:
      t->real_estate.person.push_back(p);
      t->real_estate.type.push_back(static_cast<PropertyType>(CodeValue(s.re_type, row, kPropertyTypes)));
      t->real_estate.area_centi_m2.push_back(row.area);
      t->real_estate.registered_on.push_back(Date(s.re_on, row));
      t->real_estate.ref.push_back(ref);
      break;
    case Feed::kBusiness:
      t->business.person.push_back(p);
      t->business.role.push_back(static_cast<BusinessRole>(CodeValue(s.biz_role, row, kRoles)));
      t->business.capital.push_back(Money(s.biz_capital, row));
      t->business.active.push_back(CodeValue(s.biz_status, row, kBizStatus) == 0 ? 1 : 0);
      t->business.ref.push_back(ref);
      break;
    case Feed::kTax:
      AddIncome(t->tax, p, CodeValue(s.tax_kind, row, kTaxKinds), row.month, Money(s.tax_amount, row), ref);
      break;
    case Feed::kBank:
      AddBalance(t->bank, p, AccountHash(Text(s.bank_name, row)), Money(s.bank_balance, row), Date(s.bank_as_of, row),
                 ref);
      break;
    case Feed::kSecurities:
      AddBalance(t->securities, p, 0, Money(s.sec_value, row), Date(s.sec_as_of, row), ref);
      break;
    case Feed::kInsurance:
      AddBalance(t->insurance, p, AccountHash(Text(s.ins_product, row)), Money(s.ins_value, row),
                 Date(s.ins_as_of, row), ref);
      break;
    case Feed::kCivil:
      t->civil.person.push_back(p);
      t->civil.record.push_back(static_cast<CivilRecord>(CodeValue(s.civil_record, row, kCivilRecords)));
      t->civil.date.push_back(Date(s.civil_date, row));
      t->civil.ref.push_back(ref);
      break;
  }
}

}  // namespace doudi::verify
