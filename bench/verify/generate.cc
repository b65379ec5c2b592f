// Deterministic data for the verification benchmark (bench/verify/run.sh): households and the eleven agency feeds.
//
//   bench_verify_gen OUT_DIR [--households N] [--seed S]
//
// Writes OUT_DIR/households.csv, OUT_DIR/feeds/<feed>.csv and OUT_DIR/policy.toml. With the default 1,000,000
// households: about 2.65M persons and about 31M feed rows. The same seed gives byte-identical files. The as-of
// date of the benchmark is 2025-07-15 (income period 2024-07..2025-06).
//
// Synthetic people only: ID numbers are built from Jingzhou county codes, a birth date and a sequence, with the
// correct check character; names are not written (a fixed placeholder).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/stat.h>

namespace {

uint64_t SplitMix(uint64_t& s) {
  uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Per-person random stream: independent of generation order, so each feed can be written in its own pass.
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed) {}
  uint64_t Next() { return SplitMix(s); }
  double Uniform() { return double(Next() >> 11) * (1.0 / 9007199254740992.0); }
  int Range(int lo, int hi) { return lo + int(Next() % uint64_t(hi - lo + 1)); }
};

class Out {
 public:
  explicit Out(const std::string& path) : f_(std::fopen(path.c_str(), "wb")) {
    if (!f_) {
      std::perror(path.c_str());
      std::exit(1);
    }
    buf_.reserve(1 << 22);
  }
  ~Out() {
    Flush();
    std::fclose(f_);
  }
  Out& operator<<(const char* s) {
    buf_ += s;
    if (buf_.size() > (1 << 22) - 256) Flush();
    return *this;
  }
  Out& operator<<(const std::string& s) { return *this << s.c_str(); }
  Out& Int(long long v) {
    char b[24];
    int n = std::snprintf(b, sizeof b, "%lld", v);
    buf_.append(b, size_t(n));
    return *this;
  }
  Out& Yuan(long long fen) {
    char b[32];
    int n = std::snprintf(b, sizeof b, "%lld.%02lld", fen / 100, fen % 100);
    buf_.append(b, size_t(n));
    return *this;
  }
  Out& Month(int idx) {  // month index → YYYY-MM
    char b[16];
    int n = std::snprintf(b, sizeof b, "%04d-%02d", idx / 12, idx % 12 + 1);
    buf_.append(b, size_t(n));
    return *this;
  }

 private:
  void Flush() {
    std::fwrite(buf_.data(), 1, buf_.size(), f_);
    buf_.clear();
  }
  std::FILE* f_;
  std::string buf_;
};

const char* kCounties[] = {"421002", "421003", "421022", "421024", "421081", "421083", "421087", "421088"};
const int kFirstMonth = 2024 * 12 + 6;  // 2024-07
const int kMonths = 12;

// Days since 1970 → "YYYY-MM-DD" (civil from days, Howard Hinnant's algorithm).
void DateOf(int z, char out[11]) {
  z += 719468;
  int era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = unsigned(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int y = int(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  // The generator's dates are years 1900-2100; the wider buffer only tells GCC nothing is cut off.
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", y + (m <= 2), m, d);
  std::memcpy(out, text, 11);
}

struct Person {
  char id[19];
};

Person MakeId(uint64_t p, const char* county) {
  static const int kW[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  Person r;
  char date[11];
  DateOf(-10957 + int(p % 25000), date);  // 1940-01-01 + 0..24999 days
  std::snprintf(r.id, sizeof r.id, "%s%.4s%.2s%.2s%03d", county, date, date + 5, date + 8, int(p / 25000));
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (r.id[i] - '0') * kW[i];
  r.id[17] = "10X98765432"[sum % 11];
  r.id[18] = 0;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR [--households N] [--seed S]\n", argv[0]);
    return 1;
  }
  std::string dir = argv[1];
  long households = 1000000;
  uint64_t seed = 20251;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--households")) households = std::atol(argv[i + 1]);
    if (!std::strcmp(argv[i], "--seed")) seed = std::strtoull(argv[i + 1], nullptr, 10);
  }
  mkdir(dir.c_str(), 0755);
  mkdir((dir + "/feeds").c_str(), 0755);

  // Pass 1: households (sizes 1-5, mean ≈ 2.65), persons numbered in order.
  struct Files {
    Out households, hukou, vehicle, si, pf, re, business, tax, bank, securities, insurance, civil;
  };
  std::string f = dir + "/feeds/";
  Files o{Out(dir + "/households.csv"), Out(f + "hukou.csv"),     Out(f + "vehicle.csv"),  Out(f + "social_insurance.csv"),
          Out(f + "provident_fund.csv"), Out(f + "real_estate.csv"), Out(f + "business.csv"), Out(f + "tax.csv"),
          Out(f + "bank.csv"),         Out(f + "securities.csv"), Out(f + "insurance.csv"), Out(f + "civil.csv")};
  o.households << "household_id,county_code,urban_rural,id_number,name,relation,counted\n";
  o.hukou << "id_number,name,status,death_date\n";
  o.vehicle << "id_number,plate,vehicle_type,registered_on\n";
  o.si << "id_number,kind,month,amount_yuan\n";
  o.pf << "id_number,month,deposit_yuan,balance_yuan\n";
  o.re << "id_number,property_type,area_m2,registered_on\n";
  o.business << "id_number,company,role,registered_capital_yuan,status\n";
  o.tax << "id_number,income_type,month,amount_yuan\n";
  o.bank << "id_number,bank,balance_yuan,as_of\n";
  o.securities << "id_number,market_value_yuan,as_of\n";
  o.insurance << "id_number,product,cash_value_yuan,as_of\n";
  o.civil << "id_number,record,date,detail\n";
  const char* kRel[] = {"户主本人", "配偶", "子女", "子女", "父母"};
  const char* kVehicle[] = {"car", "car", "truck", "motorcycle", "motorcycle", "disability", "ebike", "ebike", "other"};
  const char* kBanks[] = {"农业银行", "工商银行", "建设银行", "中国银行", "邮储银行", "农商银行"};
  uint64_t person = 0;
  long long rows = 0;
  Rng hr(seed);
  for (long h = 0; h < households; ++h) {
    double u = hr.Uniform();
    int size = u < 0.20 ? 1 : u < 0.45 ? 2 : u < 0.75 ? 3 : u < 0.95 ? 4 : 5;
    const char* county = kCounties[hr.Next() % 8];
    const char* area = hr.Uniform() < 0.4 ? "urban" : "rural";
    char hid[24];
    std::snprintf(hid, sizeof hid, "H%07ld", h + 1);
    for (int k = 0; k < size; ++k, ++person) {
      Rng r(seed * 1000003 + person);
      Person id = MakeId(person, county);
      int counted = r.Uniform() < 0.97 ? 1 : 0;
      o.households << hid << "," << county << "," << area << "," << id.id << ",某某," << kRel[k] << "," << (counted ? "1" : "0")
                   << "\n";
      // hukou: 0.3% missing (unmatched), 0.4% dead
      double x = r.Uniform();
      if (x >= 0.003) {
        if (x < 0.007) {
          o.hukou << id.id << ",某某,dead,2025-0" << std::to_string(r.Range(1, 6)) << "-1" << std::to_string(r.Range(0, 9)) << "\n";
        } else {
          o.hukou << id.id << ",某某,alive,\n";
        }
        ++rows;
      }
      // wages: 33% employed, 12 months in social insurance; 40% of them also reported by tax (sometimes higher)
      if (r.Uniform() < 0.33) {
        long long wage = r.Range(600, 4500) * 100LL + r.Range(0, 99);
        bool taxed = r.Uniform() < 0.40;
        long long taxed_wage = wage + r.Range(-20000, 40000);
        if (taxed_wage < 0) taxed_wage = 0;
        for (int m = 0; m < kMonths; ++m) {
          o.si << id.id << ",wage,";
          o.si.Month(kFirstMonth + m) << ",";
          o.si.Yuan(wage) << "\n";
          ++rows;
          if (taxed) {
            o.tax << id.id << ",wage,";
            o.tax.Month(kFirstMonth + m) << ",";
            o.tax.Yuan(m < 6 ? wage : taxed_wage) << "\n";
            ++rows;
          }
        }
        // provident fund: a quarter of the employed, 12 months
        if (r.Uniform() < 0.25) {
          long long bal = r.Range(1000, 60000) * 100LL;
          long long dep = wage / 10;
          for (int m = 0; m < kMonths; ++m) {
            bal += dep;
            o.pf << id.id << ",";
            o.pf.Month(kFirstMonth + m) << ",";
            o.pf.Yuan(dep) << ",";
            o.pf.Yuan(bal) << "\n";
            ++rows;
          }
        }
      }
      // pensions: 15%, 12 months
      if (r.Uniform() < 0.15) {
        long long pension = r.Range(150, 3500) * 100LL;
        for (int m = 0; m < kMonths; ++m) {
          o.si << id.id << ",pension,";
          o.si.Month(kFirstMonth + m) << ",";
          o.si.Yuan(pension) << "\n";
          ++rows;
        }
      }
      // unemployment benefit: 2%, 6 months
      if (r.Uniform() < 0.02) {
        for (int m = 0; m < 6; ++m) {
          o.si << id.id << ",unemployment,";
          o.si.Month(kFirstMonth + r.Range(0, 11)) << ",";
          o.si.Yuan(150000) << "\n";
          ++rows;
        }
      }
      // business or property income reported by tax: 3%, 4 rows
      if (r.Uniform() < 0.03) {
        for (int m = 0; m < 4; ++m) {
          o.tax << id.id << "," << (r.Uniform() < 0.5 ? "business" : "property") << ",";
          o.tax.Month(kFirstMonth + r.Range(0, 11)) << ",";
          o.tax.Yuan(r.Range(100, 5000) * 100LL) << "\n";
          ++rows;
        }
      }
      // bank: 60% have 1-2 accounts, each with two snapshots (the later one counts)
      if (r.Uniform() < 0.60) {
        int accounts = r.Uniform() < 0.5 ? 1 : 2;
        for (int a = 0; a < accounts; ++a) {
          const char* bank = kBanks[r.Next() % 6];
          long long bal = r.Uniform() < 0.9 ? r.Range(0, 800000) : r.Range(0, 60000000);
          o.bank << id.id << "," << bank << ",";
          o.bank.Yuan(bal * 2) << ",2025-03-31\n";
          o.bank << id.id << "," << bank << ",";
          o.bank.Yuan(bal) << ",2025-06-30\n";
          rows += 2;
        }
      }
      if (r.Uniform() < 0.03) {
        o.securities << id.id << ",";
        o.securities.Yuan(r.Range(0, 5000000)) << ",2025-06-30\n";
        ++rows;
      }
      if (r.Uniform() < 0.08) {
        o.insurance << id.id << ",保险产品" << std::to_string(r.Range(1, 20)) << ",";
        o.insurance.Yuan(r.Range(0, 3000000)) << ",2025-06-30\n";
        ++rows;
      }
      // vehicles: 10%
      if (r.Uniform() < 0.10) {
        o.vehicle << id.id << ",鄂D" << std::to_string(10000 + r.Range(0, 89999)) << "," << kVehicle[r.Next() % 9]
                  << ",2018-05-0" << std::to_string(r.Range(1, 9)) << "\n";
        ++rows;
      }
      // real estate: the first member 55% a home, the others 5%; 9% of owners a second home; 2% a shop or other
      if (r.Uniform() < (k == 0 ? 0.55 : 0.05)) {
        o.re << id.id << ",residential," << std::to_string(r.Range(40, 140)) << ".5,2012-03-01\n";
        ++rows;
        if (r.Uniform() < 0.09) {
          o.re << id.id << ",residential," << std::to_string(r.Range(40, 140)) << ",2019-03-01\n";
          ++rows;
        }
      }
      if (r.Uniform() < 0.02) {
        o.re << id.id << "," << (r.Uniform() < 0.6 ? "commercial" : "other") << ",30,2016-08-01\n";
        ++rows;
      }
      // business registrations: 2%
      if (r.Uniform() < 0.02) {
        double q = r.Uniform();
        o.business << id.id << ",荆州某商行" << std::to_string(person % 1000) << ","
                   << (q < 0.5 ? "legal_rep" : q < 0.85 ? "shareholder" : "other") << ",";
        o.business.Yuan(r.Range(1, 100) * 1000000LL) << "," << (r.Uniform() < 0.7 ? "active" : "closed") << "\n";
        ++rows;
      }
      // civil affairs records: 5% marriage, 0.2% death, 3% benefit
      if (r.Uniform() < 0.05) {
        o.civil << id.id << ",marriage,2015-10-01,结婚登记\n";
        ++rows;
      }
      if (r.Uniform() < 0.002) {
        o.civil << id.id << ",death,2025-05-20,火化\n";
        ++rows;
      }
      if (r.Uniform() < 0.03) {
        o.civil << id.id << ",benefit,2024-01-01,低保\n";
        ++rows;
      }
    }
  }
  std::fprintf(stderr, "%ld households, %llu persons, %lld feed rows\n", households, (unsigned long long)person, rows);

  // The policy: one city-wide entry per area (the example's 2025 values).
  std::FILE* pf = std::fopen((dir + "/policy.toml").c_str(), "wb");
  std::fputs(
      "# Benchmark policy (bench/verify): the example policy's 2025 city-wide values. Not real standards.\n"
      "version = \"bench-2025\"\n"
      "[[entry]]\ncounty = \"4210\"\narea = \"urban\"\neffective_from = \"2025-01-01\"\nstandard_yuan = \"780\"\n"
      "income_months = 12\nnear_band = 1.5\nasset_limit_months = 24\n"
      "[entry.business]\nreview_capital_below_yuan = \"100000\"\n"
      "[[entry]]\ncounty = \"4210\"\narea = \"rural\"\neffective_from = \"2025-01-01\"\nstandard_yuan = \"600\"\n"
      "income_months = 12\nnear_band = 1.5\nasset_limit_months = 24\n"
      "[entry.business]\nreview_capital_below_yuan = \"100000\"\n",
      pf);
  std::fclose(pf);
  return 0;
}
