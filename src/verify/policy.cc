// Reading the TOML policy file and choosing the entry for a household.
#include "verify/policy.h"

#include <cmath>
#include <fstream>
#include <sstream>

#include <toml++/toml.h>

#include "common/embedded.h"
#include "verify/feeds/feeds.h"

namespace doudi::verify {
namespace {

Status FieldError(const std::string& where, const std::string& msg) {
  return Status::InvalidField(where, "policy.field", "核对政策文件 " + where + "：" + msg);
}

// A money value in yuan: a string ("780", "780.50") or a number.
Status ReadYuan(const toml::node* n, const std::string& where, Fen* out) {
  if (!n) return FieldError(where, "缺少此项");
  if (auto s = n->value<std::string>()) {
    feeds::ValueError err;
    if (!feeds::ParseMoneyValue(*s, out, &err)) return FieldError(where, err.reason);
    return Status::Ok();
  }
  if (auto i = n->value<int64_t>()) {
    if (*i < 0) return FieldError(where, "金额不能为负数");
    *out = *i * 100;
    return Status::Ok();
  }
  if (auto d = n->value<double>()) {
    double f = *d * 100;
    if (*d < 0 || std::abs(f - std::round(f)) > 1e-6) return FieldError(where, "金额须为非负数，最多两位小数");
    *out = Fen(std::llround(f));
    return Status::Ok();
  }
  return FieldError(where, "应为金额（元）");
}

Status ReadInt(const toml::table& t, const char* key, const std::string& where, int lo, int hi, int* out) {
  const toml::node* n = t.get(key);
  if (!n) return Status::Ok();
  auto v = n->value<int64_t>();
  if (!v || *v < lo || *v > hi) {
    return FieldError(where + "." + key, "应为 " + std::to_string(lo) + " 到 " + std::to_string(hi) + " 之间的整数");
  }
  *out = int(*v);
  return Status::Ok();
}

Status ReadBool(const toml::table& t, const char* key, const std::string& where, bool* out) {
  const toml::node* n = t.get(key);
  if (!n) return Status::Ok();
  auto v = n->value<bool>();
  if (!v) return FieldError(where + "." + key, "应为 true 或 false");
  *out = *v;
  return Status::Ok();
}

Status ReadOutcome(const toml::table& t, const std::string& where, Outcome* out) {
  const toml::node* n = t.get("outcome");
  if (!n) return Status::Ok();
  auto v = n->value<std::string>();
  if (!v || !ParseOutcome(*v, out) || *out == Outcome::kPass) {
    return FieldError(where + ".outcome", "应为 \"fail\"（不符合）或 \"review\"（需人工复核）");
  }
  return Status::Ok();
}

Status ReadEntry(const toml::table& t, const std::string& file_version, int index, PolicyEntry* e) {
  const std::string where = "entry[" + std::to_string(index) + "]";
  auto county = t["county"].value<std::string>();
  if (!county || (county->size() != 6 && county->size() != 4) ||
      county->find_first_not_of("0123456789") != std::string::npos) {
    return FieldError(where + ".county", "应为 6 位县级区划代码或 4 位地市代码");
  }
  e->county = *county;
  auto area = t["area"].value<std::string>();
  if (!area || !ParseArea(*area, &e->area)) return FieldError(where + ".area", "应为 urban 或 rural");
  auto from = t["effective_from"].value<std::string>();
  if (!from) {
    if (auto d = t["effective_from"].value<toml::date>()) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", int(d->year), int(d->month), int(d->day));
      from = buf;
    }
  }
  if (!from || (e->effective_from = DateDays(*from)) == kNoDate) {
    return FieldError(where + ".effective_from", "应为 YYYY-MM-DD 日期");
  }
  Rules& r = e->rules;
  DOUDI_RETURN_IF_ERROR(ReadYuan(t.get("standard_yuan"), where + ".standard_yuan", &r.standard));
  if (r.standard <= 0) return FieldError(where + ".standard_yuan", "保障标准须大于 0");
  DOUDI_RETURN_IF_ERROR(ReadInt(t, "income_months", where, 1, 120, &r.income_months));
  DOUDI_RETURN_IF_ERROR(ReadInt(t, "asset_limit_months", where, 0, 1200, &r.asset_limit_months));
  DOUDI_RETURN_IF_ERROR(ReadBool(t, "count_provident_fund_balance", where, &r.count_provident_fund_balance));
  if (const toml::node* n = t.get("near_band")) {
    auto d = n->value<double>();
    if (!d || *d < 1.0 || *d > 5.0) return FieldError(where + ".near_band", "应为 1 到 5 之间的倍数，如 1.5");
    r.near_band_permille = int(std::lround(*d * 1000));
  }
  if (const toml::array* a = t["counted_income"].as_array()) {
    r.counted_income = 0;
    for (const auto& v : *a) {
      IncomeCategory c;
      auto s = v.value<std::string>();
      if (!s || !ParseIncomeCategory(*s, &c)) {
        return FieldError(where + ".counted_income",
                          "未知的收入类别 " + (s ? *s : std::string("?")) +
                              "（可用 wage、pension、unemployment、si_other、business、property、tax_other）");
      }
      r.counted_income |= 1u << int(c);
    }
  } else if (t.contains("counted_income")) {
    return FieldError(where + ".counted_income", "应为收入类别的数组");
  }
  if (const toml::array* a = t["excluded_income"].as_array()) {
    for (const auto& v : *a) {
      IncomeCategory c;
      auto s = v.value<std::string>();
      if (!s || !ParseIncomeCategory(*s, &c)) return FieldError(where + ".excluded_income", "未知的收入类别");
      r.counted_income &= ~(1u << int(c));
    }
  }
  if (const toml::table* v = t["vehicle"].as_table()) {
    if (const toml::array* a = (*v)["exempt"].as_array()) {
      r.vehicle_exempt = 0;
      for (const auto& x : *a) {
        auto s = x.value<std::string>();
        int found = -1;
        for (int i = 0; i <= int(VehicleType::kOther) && s; ++i) {
          if (VehicleTypeCode(VehicleType(i)) == *s) found = i;
        }
        if (found < 0) {
          return FieldError(where + ".vehicle.exempt", "未知的车辆类型（可用 car、truck、motorcycle、disability、ebike、other）");
        }
        r.vehicle_exempt |= 1u << found;
      }
    }
    DOUDI_RETURN_IF_ERROR(ReadOutcome(*v, where + ".vehicle", &r.vehicle_outcome));
  }
  if (const toml::table* v = t["property"].as_table()) {
    DOUDI_RETURN_IF_ERROR(ReadInt(*v, "max_homes", where + ".property", 0, 100, &r.max_homes));
    DOUDI_RETURN_IF_ERROR(ReadBool(*v, "non_residential_allowed", where + ".property", &r.non_residential_allowed));
    DOUDI_RETURN_IF_ERROR(ReadOutcome(*v, where + ".property", &r.property_outcome));
  }
  if (const toml::table* v = t["business"].as_table()) {
    DOUDI_RETURN_IF_ERROR(ReadBool(*v, "count_shareholder", where + ".business", &r.business_count_shareholder));
    if (const toml::node* n = v->get("review_capital_below_yuan")) {
      DOUDI_RETURN_IF_ERROR(ReadYuan(n, where + ".business.review_capital_below_yuan", &r.business_review_capital_below));
    }
    DOUDI_RETURN_IF_ERROR(ReadOutcome(*v, where + ".business", &r.business_outcome));
  }
  if (const toml::table* v = t["feeds"].as_table()) {
    DOUDI_RETURN_IF_ERROR(ReadInt(*v, "stale_after_days", where + ".feeds", 1, 3650, &r.stale_after_days));
    DOUDI_RETURN_IF_ERROR(ReadOutcome(*v, where + ".feeds", &r.stale_outcome));
  }
  if (const toml::table* v = t["members"].as_table()) {
    DOUDI_RETURN_IF_ERROR(ReadOutcome(*v, where + ".members", &r.member_outcome));
  }
  r.version = file_version + "#" + e->county + "-" + std::string(AreaCode(e->area)) + "-" + FormatDays(e->effective_from);
  return Status::Ok();
}

}  // namespace

std::string_view AreaCode(Area a) { return a == Area::kUrban ? "urban" : "rural"; }

bool ParseArea(std::string_view s, Area* out) {
  if (s == "urban" || s == "城镇" || s == "城市" || s == "城" || s == "1") {
    *out = Area::kUrban;
  } else if (s == "rural" || s == "农村" || s == "乡村" || s == "农" || s == "2") {
    *out = Area::kRural;
  } else {
    return false;
  }
  return true;
}

Result<Policy> Policy::Parse(std::string_view text) {
  toml::table t;
  try {
    t = toml::parse(text);
  } catch (const toml::parse_error& e) {
    return Status::Invalid("policy.toml", "核对政策文件格式错误（第 " + std::to_string(e.source().begin.line) +
                                              " 行）：" + std::string(e.description()));
  }
  Policy p;
  auto version = t["version"].value<std::string>();
  if (!version || version->empty()) return FieldError("version", "缺少政策版本号");
  p.version_ = *version;
  const toml::array* entries = t["entry"].as_array();
  if (!entries || entries->empty()) return Status::Invalid("policy.empty", "核对政策文件没有任何 [[entry]]");
  int i = 0;
  for (const auto& node : *entries) {
    const toml::table* et = node.as_table();
    if (!et) return FieldError("entry[" + std::to_string(i) + "]", "应为表");
    PolicyEntry e;
    DOUDI_RETURN_IF_ERROR(ReadEntry(*et, p.version_, i, &e));
    for (const PolicyEntry& o : p.entries_) {
      if (o.county == e.county && o.area == e.area && o.effective_from == e.effective_from) {
        return FieldError("entry[" + std::to_string(i) + "]",
                          "与前面的条目重复（同一区划、城乡类别和生效日期：" + e.county + " " +
                              std::string(AreaCode(e.area)) + " " + FormatDays(e.effective_from) + "）");
      }
    }
    p.entries_.push_back(std::move(e));
    ++i;
  }
  return p;
}

Result<Policy> Policy::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Invalid("policy.read", "无法读取核对政策文件 " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str());
}

Result<Policy> Policy::Example() {
  std::string_view text = EmbeddedFile("data/verify/policy.example.toml");
  if (text.data() == nullptr) return Status::Internal("embedded data/verify/policy.example.toml missing");
  return Parse(text);
}

Result<Policy> Policy::Configured(const std::string& path) {
  if (path.empty()) return Example();
  Result<Policy> loaded = LoadFile(path);
  if (!loaded.ok()) {
    return Status::Invalid("config.verify.policy_file",
                           "配置项 verify.policy_file 指定的核对政策文件 " + path + " 无效：" + loaded.status().message());
  }
  return loaded;
}

int Policy::FindIndex(std::string_view county, Area area, int32_t date) const {
  int best = -1;
  int best_rank = -1;  // exact county 1, city prefix 0
  for (size_t i = 0; i < entries_.size(); ++i) {
    const PolicyEntry& e = entries_[i];
    if (e.area != area || e.effective_from > date) continue;
    int rank;
    if (e.county == county) {
      rank = 1;
    } else if (e.county.size() == 4 && county.substr(0, 4) == e.county) {
      rank = 0;
    } else {
      continue;
    }
    if (rank > best_rank || (rank == best_rank && e.effective_from > entries_[best].effective_from)) {
      best = int(i);
      best_rank = rank;
    }
  }
  return best;
}

const PolicyEntry* Policy::Find(std::string_view county, Area area, int32_t date) const {
  int i = FindIndex(county, area, date);
  return i < 0 ? nullptr : &entries_[i];
}

std::vector<Rules> Policy::AllRules() const {
  std::vector<Rules> out;
  out.reserve(entries_.size());
  for (const PolicyEntry& e : entries_) out.push_back(e.rules);
  return out;
}

}  // namespace doudi::verify
