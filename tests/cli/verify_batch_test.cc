// `doudi verify batch` end to end: the real binary on small files; OUT.csv checked line by line against figures
// worked out by hand from the example policy (data/verify/policy.example.toml).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// ID numbers with correct check characters (computed by hand with the GB 11643 weights).
const char* kA = "421002198001010015";
const char* kB = "421002198202020025";
const char* kC = "421022195003030038";
const char* kD = "421022199004040041";
const char* kE = "421087197005050056";
const char* kF = "421087197206060066";
const char* kW = "420102198007070072";

void Write(const fs::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary);
  out << s;
}
std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string line;
  while (std::getline(ss, line)) out.push_back(line);
  return out;
}

class VerifyBatchCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("verify_cli_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "feeds");
    std::string h = "household_id,county_code,urban_rural,id_number,name,relation,counted\n";
    h += std::string("H1,421002,urban,") + kA + ",张一,户主本人,1\n";
    h += std::string("H1,421002,urban,") + kB + ",李一,配偶,1\n";
    h += std::string("H2,421022,rural,") + kC + ",王二,户主本人,1\n";
    h += std::string("H3,421022,rural,") + kD + ",赵三,户主本人,1\n";
    h += std::string("H4,421087,urban,") + kE + ",孙四,户主本人,1\n";
    h += std::string("H5,421087,urban,") + kF + ",周五,户主本人,1\n";
    h += std::string("H5,421087,urban,") + kW + ",吴五,子女,1\n";
    h += std::string("H6,420102,urban,") + kW + ",郑六,户主本人,1\n";
    h += "H7,421022,rural,42102219900404004X,错号,户主本人,1\n";
    Write(dir_ / "h.csv", h);
    std::string hukou = "id_number,name,status,death_date\n";
    for (const char* id : {kA, kB, kD, kE, kF, kW}) hukou += std::string(id) + ",某,alive,\n";
    hukou += std::string(kC) + ",王二,dead,2025-03-01\n";
    Write(dir_ / "feeds/hukou.csv", hukou);
    std::string si = "id_number,kind,month,amount_yuan\n";
    for (int m = 0; m < 12; ++m) {
      char month[8];
      std::snprintf(month, sizeof month, "%04d-%02d", 2024 + (6 + m) / 12, (6 + m) % 12 + 1);
      si += std::string(kA) + ",wage," + month + ",\"3,000.00元\"\n";
      si += std::string(kF) + ",pension," + month + ",1000\n";
    }
    Write(dir_ / "feeds/social_insurance.csv", si);
    std::string tax = "id_number,income_type,month,amount_yuan\n";
    for (int m = 1; m <= 6; ++m) tax += std::string(kA) + ",wage,2025-0" + std::to_string(m) + ",3200\n";
    Write(dir_ / "feeds/tax.csv", tax);
    Write(dir_ / "feeds/bank.csv", std::string("id_number,bank,balance_yuan,as_of\n") + kD + ",农行,20000,2025-06-30\n");
    Write(dir_ / "feeds/vehicle.csv", std::string("id_number,plate,vehicle_type,registered_on\n") + kE +
                                          ",鄂D00001,car,2018-01-01\n" + kF + ",鄂D00002,ebike,2019-01-01\n");
    Write(dir_ / "feeds/provident_fund.csv", "id_number,month,deposit_yuan,balance_yuan\n");
    Write(dir_ / "feeds/real_estate.csv", std::string("id_number,property_type,area_m2,registered_on\n") + kF +
                                              ",住宅,80,2010-01-01\n");
    Write(dir_ / "feeds/business.csv", "id_number,company,role,registered_capital_yuan,status\n");
    Write(dir_ / "feeds/securities.csv", "id_number,market_value_yuan,as_of\n");
    Write(dir_ / "feeds/insurance.csv", "id_number,product,cash_value_yuan,as_of\n");
    Write(dir_ / "feeds/civil.csv", "id_number,record,date,detail\n");
  }
  void TearDown() override { fs::remove_all(dir_); }

  int Run(const std::string& extra) {
    std::string cmd = std::string(DOUDI_BINARY) + " verify batch --households " + (dir_ / "h.csv").string() +
                      " --feeds " + (dir_ / "feeds").string() + " --as-of 2025-07-15 --out " + (dir_ / "out.csv").string() +
                      " --rejects " + (dir_ / "rejects.csv").string() + " --jobs 2 " + extra + " 2>" +
                      (dir_ / "stderr.txt").string();
    int st = std::system(cmd.c_str());
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  }

  fs::path dir_;
};

TEST_F(VerifyBatchCli, DecisionsFiguresAndFlags) {
  ASSERT_EQ(Run(""), 2) << Read(dir_ / "stderr.txt");  // 2: rows rejected (H7's member) and H6 without a policy
  std::vector<std::string> out = Lines(Read(dir_ / "out.csv"));
  ASSERT_EQ(out.size(), 8u) << Read(dir_ / "out.csv");
  EXPECT_EQ(out[0],
            "household_id,decision,members_counted,income_month_fen,income_per_capita_fen,financial_assets_fen,"
            "standard_fen,flags,policy_version");
  // H1 (沙市区 urban: the county's example standard 800): wage per month the larger of SI 3000 and tax 3200:
  // 6 × 3000 + 6 × 3200 = 37200 / 12 = 3100 a month, 1550 per capita ≥ 800; near limit 1200 → not near.
  EXPECT_EQ(out[1], "H1,ineligible,2,310000,155000,0,80000,income_over_standard,"
                    "jingzhou-example-2025.1#421002-urban-2025-01-01");
  // H2: the only member is dead in the hukou feed.
  EXPECT_EQ(out[2], "H2,review,1,0,0,0,60000,member_dead,jingzhou-example-2025.1#4210-rural-2025-01-01");
  // H3: deposits 20000 yuan > 24 × 600 = 14400 per capita.
  EXPECT_EQ(out[3], "H3,ineligible,1,0,0,2000000,60000,assets_over_limit,jingzhou-example-2025.1#4210-rural-2025-01-01");
  // H4: a car.
  EXPECT_EQ(out[4], "H4,ineligible,1,0,0,0,78000,vehicle,jingzhou-example-2025.1#4210-urban-2025-01-01");
  // H5: pension 1000 a month for 2 members → 500 per capita < 780; an e-bike and one home are allowed.
  EXPECT_EQ(out[5], "H5,eligible,2,100000,50000,0,78000,,jingzhou-example-2025.1#4210-urban-2025-01-01");
  // H6: Wuhan (4201): no policy entry.
  EXPECT_EQ(out[6], "H6,review,1,0,0,0,0,no_policy,");
  // H7: its member's ID has a wrong check digit: kept as an unmatched member.
  EXPECT_EQ(out[7], "H7,review,1,0,0,0,60000,unmatched_member,jingzhou-example-2025.1#4210-rural-2025-01-01");

  std::string err = Read(dir_ / "stderr.txt");
  EXPECT_NE(err.find("已取得授权的家庭名单"), std::string::npos) << err;
  EXPECT_NE(err.find("符合 1 户，不符合 3 户，需人工复核 3 户"), std::string::npos) << err;
  EXPECT_NE(err.find("member_dead（成员已死亡）：1 户"), std::string::npos) << err;
  EXPECT_EQ(err.find("核对 ["), std::string::npos) << "no progress bar when stderr is not a terminal";
  std::vector<std::string> rej = Lines(Read(dir_ / "rejects.csv"));
  ASSERT_EQ(rej.size(), 3u) << Read(dir_ / "rejects.csv");
  EXPECT_EQ(rej[1].rfind("households,10,id_number,feed.id_number.check_digit,", 0), 0u) << rej[1];
  EXPECT_NE(rej[2].find("verify.no_policy"), std::string::npos) << rej[2];
}

TEST_F(VerifyBatchCli, MissingFeedAndAllOrNothing) {
  fs::remove(dir_ / "feeds/civil.csv");
  // A bad row in bank.csv: with --all-or-nothing the whole file stays out, so H3's deposits are not seen.
  Write(dir_ / "feeds/bank.csv", std::string("id_number,bank,balance_yuan,as_of\n") + kD + ",农行,20000,2025-06-30\n" +
                                     kD + ",农行,-1,2025-06-30\n");
  ASSERT_EQ(Run("--all-or-nothing"), 2);
  std::vector<std::string> out = Lines(Read(dir_ / "out.csv"));
  ASSERT_EQ(out.size(), 8u);
  EXPECT_EQ(out[3], "H3,review,1,0,0,0,60000,stale_feed,jingzhou-example-2025.1#4210-rural-2025-01-01");
  EXPECT_EQ(out[5], "H5,review,2,100000,50000,0,78000,stale_feed,jingzhou-example-2025.1#4210-urban-2025-01-01");
  std::string err = Read(dir_ / "stderr.txt");
  EXPECT_NE(err.find("民政：未提供"), std::string::npos) << err;
  EXPECT_NE(err.find("未导入该文件"), std::string::npos) << err;
  // Without --all-or-nothing the good bank row lands.
  ASSERT_EQ(Run(""), 2);
  out = Lines(Read(dir_ / "out.csv"));
  EXPECT_EQ(out[3], "H3,ineligible,1,0,0,2000000,60000,assets_over_limit;stale_feed,"
                    "jingzhou-example-2025.1#4210-rural-2025-01-01");
}

TEST_F(VerifyBatchCli, BadOptions) {
  EXPECT_GE(Run("--policy /nonexistent.toml"), 100);  // CLI11 refuses a missing file before running
  std::string cmd = std::string(DOUDI_BINARY) + " verify batch --households " + (dir_ / "h.csv").string() +
                    " --feeds " + (dir_ / "feeds").string() + " --as-of 2025-02-30 --out " +
                    (dir_ / "out.csv").string() + " 2>/dev/null";
  int st = std::system(cmd.c_str());
  EXPECT_EQ(WEXITSTATUS(st), 1);
}

}  // namespace
