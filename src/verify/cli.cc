// `doudi verify batch`: households file + feed directory → OUT.csv, with rejects, progress and a summary.
#include "verify/cli.h"

#include <sodium.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/text.h"
#include "verify/engine/engine.h"
#include "verify/feeds/feeds.h"
#include "verify/policy.h"

namespace doudi::verify {
namespace {

using Clock = std::chrono::steady_clock;
double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }
// CPU seconds (user + system) of the process so far: on a shared machine the wall clock also measures the others.
double CpuSeconds() {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  in.seekg(0, std::ios::end);
  std::streamoff n = in.tellg();
  in.seekg(0);
  out->resize(size_t(n));
  in.read(out->data(), n);
  return bool(in);
}

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string o = "\"";
  for (char c : s) {
    if (c == '"') o += '"';
    o += c;
  }
  return o + "\"";
}

struct RejectRow {
  std::string file;
  int64_t row;
  std::string column, code, reason;
};

// The households file, grouped by household_id in order of first appearance.
struct HouseholdList {
  std::vector<std::string> ids;
  std::vector<std::string> county;
  std::vector<Area> area;
  std::vector<std::vector<std::pair<PersonKey, uint8_t>>> members;
  std::vector<bool> bad_member;  // a member row was rejected (the member is kept as unmatched)
};

Status ReadHouseholds(const std::string& path, const std::function<PersonKey(std::string_view)>& key,
                      HouseholdList* out, std::vector<RejectRow>* rejects) {
  std::string bytes;
  if (!ReadFile(path, &bytes)) return Status::Invalid("verify.households", "无法读取家庭成员文件 " + path);
  feeds::Encoding enc;
  DOUDI_ASSIGN_OR_RETURN(std::string text, feeds::ToUtf8(bytes, &enc));
  bytes.clear();
  bytes.shrink_to_fit();
  const char* kCols[] = {"household_id", "county_code", "urban_rural", "id_number", "name", "relation", "counted"};
  int col[7];
  bool header = true;
  Status st;
  std::unordered_map<std::string, uint32_t> index;
  auto reject = [&](int64_t line, const char* column, std::string code, std::string reason) {
    rejects->push_back({"households", line, column, std::move(code), std::move(reason)});
  };
  DOUDI_RETURN_IF_ERROR(feeds::ForEachCsvRecord(text, [&](const std::vector<std::string_view>& f, int64_t line,
                                                           const std::string* error) {
    if (header) {
      header = false;
      for (int c = 0; c < 7; ++c) {
        col[c] = -1;
        for (size_t i = 0; i < f.size(); ++i) {
          if (Trim(f[i]) == kCols[c]) {
            if (col[c] >= 0) {
              st = Status::InvalidField(kCols[c], "verify.households.duplicate_column",
                                        std::string("家庭成员文件的表头中 ") + kCols[c] + " 出现了两次");
              return false;
            }
            col[c] = int(i);
          }
        }
        if (col[c] < 0 && c != 4 && c != 5) {  // name and relation are for people reading the file
          st = Status::InvalidField(kCols[c], "verify.households.missing_column",
                                    std::string("家庭成员文件缺少必需的列 ") + kCols[c]);
          return false;
        }
      }
      return true;
    }
    if (error) {
      reject(line, "", "feed.csv.quote", *error);
      return true;
    }
    auto get = [&](int c) { return col[c] >= 0 && size_t(col[c]) < f.size() ? Trim(f[size_t(col[c])]) : std::string_view(); };
    std::string_view hid = get(0);
    if (hid.empty()) {
      reject(line, "household_id", "verify.households.household_id", "household_id 为空，该行无法归入任何家庭");
      return true;
    }
    auto [it, inserted] = index.try_emplace(std::string(hid), uint32_t(out->ids.size()));
    uint32_t h = it->second;
    if (inserted) {
      out->ids.emplace_back(hid);
      out->county.emplace_back(get(1));
      Area a = Area::kUrban;
      if (!ParseArea(get(2), &a)) {
        reject(line, "urban_rural", "verify.households.urban_rural",
               "urban_rural 的值“" + std::string(get(2)) + "”无法识别（应为 urban 或 rural）");
        out->county.back() = "";  // no policy applies: the household is reported, not verified
      }
      out->area.push_back(a);
      out->members.emplace_back();
      out->bad_member.push_back(false);
      std::string_view county = get(1);
      if (county.size() != 6 || !IsAsciiDigits(county)) {
        reject(line, "county_code", "verify.households.county_code",
               "county_code 应为 6 位县级区划代码：" + std::string(county));
        out->county.back() = "";
      }
    }
    bool ok = true;
    if (f.size() < size_t(std::max({col[0], col[1], col[2], col[3], col[6]}) + 1)) {
      reject(line, "", "feed.ragged_row", "本行列数少于表头");
      ok = false;
    }
    char id[18];
    feeds::ValueError err;
    if (ok && !feeds::ParseIdValue(get(3), id, &err)) {
      reject(line, "id_number", err.code, err.reason);
      ok = false;
    }
    std::string_view counted = get(6);
    uint8_t c = 1;
    if (counted == "1" || counted == "是") {
      c = 1;
    } else if (counted == "0" || counted == "否") {
      c = 0;
    } else if (ok) {
      reject(line, "counted", "verify.households.counted", "counted 应为 1 或 0：" + std::string(counted));
      ok = false;
    }
    // A rejected member stays in the household as a person no feed can match: the household is reviewed.
    out->members[h].push_back({ok ? key(std::string_view(id, 18)) : PersonKey(0), ok ? c : uint8_t(1)});
    if (!ok) out->bad_member[h] = true;
    return true;
  }));
  if (header) return Status::Invalid("verify.households.empty", "家庭成员文件是空的");
  return st;
}

void DrawProgress(size_t done, size_t total) {
  int width = 30;
  int filled = total ? int(double(done) / double(total) * width) : width;
  std::fprintf(stderr, "\r核对 [%s%s] %3d%% %zu/%zu", std::string(size_t(filled), '#').c_str(),
               std::string(size_t(width - filled), ' ').c_str(), total ? int(done * 100 / total) : 100, done, total);
  std::fflush(stderr);
}

int32_t FileDate(const std::string& path) {
  struct stat sb;
  if (stat(path.c_str(), &sb) != 0) return kNoDate;
  // The date in Asia/Shanghai (UTC+8) of the file's modification time: the extraction date of a register feed.
  return int32_t((int64_t(sb.st_mtime) + 8 * 3600) / 86400);
}

}  // namespace

int RunVerifyBatch(const VerifyBatchOptions& o) {
  const auto t0 = Clock::now();
  const int32_t as_of = DateDays(o.as_of);
  if (as_of == kNoDate) {
    std::cerr << "错误：--as-of 应为 YYYY-MM-DD 格式的有效日期：" << o.as_of << "\n";
    return 1;
  }
  const int jobs = o.jobs > 0 ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  Result<Policy> policy = o.policy_path.empty() ? Policy::Example() : Policy::LoadFile(o.policy_path);
  if (!policy.ok()) {
    std::cerr << "错误：" << policy.status().message() << "\n";
    return 1;
  }
  if (sodium_init() < 0) {
    std::cerr << "错误：libsodium 初始化失败\n";
    return 1;
  }
  // Person keys: SipHash-2-4 of the ID number under a key drawn for this run; the engine only joins on them.
  unsigned char hash_key[crypto_shorthash_KEYBYTES];
  crypto_shorthash_keygen(hash_key);
  auto key = [&hash_key](std::string_view id) {
    unsigned char out[crypto_shorthash_BYTES];
    crypto_shorthash(out, reinterpret_cast<const unsigned char*>(id.data()), id.size(), hash_key);
    PersonKey k;
    std::memcpy(&k, out, sizeof k);
    return k;
  };

  std::vector<RejectRow> rejects;
  HouseholdList list;
  if (Status st = ReadHouseholds(o.households_path, key, &list, &rejects); !st.ok()) {
    std::cerr << "错误：" << st.message() << "\n";
    return 1;
  }
  const auto t_households = Clock::now();

  // Feeds.
  FeedTables tables;
  const double cpu_feeds0 = CpuSeconds();
  std::ostringstream feed_report;
  double import_seconds = 0;
  bool feed_problem = false;
  for (int fi = 0; fi < kFeedCount; ++fi) {
    Feed feed = Feed(fi);
    std::string base = o.feeds_dir + "/" + std::string(FeedCode(feed));
    std::string path = base + ".csv";
    struct stat sb;
    if (stat(path.c_str(), &sb) != 0) {
      path = base + ".xlsx";
      if (stat(path.c_str(), &sb) != 0) {
        feed_report << "  " << FeedName(feed) << "：未提供（结果标记 stale_feed）\n";
        continue;
      }
    }
    const auto a = Clock::now();
    std::string bytes;
    if (!ReadFile(path, &bytes)) {
      feed_report << "  " << FeedName(feed) << "：无法读取 " << path << "\n";
      feed_problem = true;
      continue;
    }
    FeedTables part;
    feeds::ParseOptions po;
    po.threads = jobs;
    Result<feeds::ParseResult> r = feeds::LoadFeed(feed, path, bytes, key, &part, FileDate(path), po);
    bytes.clear();
    bytes.shrink_to_fit();
    if (!r.ok()) {
      feed_report << "  " << FeedName(feed) << "：整个文件未导入：" << r.status().message() << "\n";
      rejects.push_back({std::string(FeedCode(feed)), 0, r.status().details().empty() ? "" : r.status().details()[0].field,
                         r.status().error_code(), r.status().message()});
      feed_problem = true;
      continue;
    }
    const int64_t bad = r->rows_total - r->rows_accepted;
    for (feeds::Reject& rj : r->rejects) {
      rejects.push_back({std::string(FeedCode(feed)), rj.row, std::move(rj.column), std::move(rj.code), std::move(rj.reason)});
    }
    if (bad > 0) feed_problem = true;
    if (bad > 0 && o.all_or_nothing) {
      feed_report << "  " << FeedName(feed) << "：" << bad << " 行被拒绝，按“全部或全不”未导入该文件\n";
      continue;
    }
    import_seconds += Seconds(a, Clock::now());
    feed_report << "  " << FeedName(feed) << "：" << r->rows_accepted << " 行导入";
    if (bad) feed_report << "，" << bad << " 行被拒绝";
    feed_report << "（" << (r->format == feeds::Format::kXlsx ? "XLSX" : std::string(feeds::EncodingName(r->encoding)))
                << "，数据截至 " << FormatDays(part.status[fi].data_date) << "）\n";
    tables.Append(std::move(part));
  }
  const auto t_feeds = Clock::now();
  const double cpu_feeds = CpuSeconds() - cpu_feeds0;

  // Households → engine input, with the policy entry of each.
  std::vector<Rules> rules = policy->AllRules();
  Households hh;
  std::vector<uint32_t> row_of;  // engine household → list index
  std::vector<bool> no_policy(list.ids.size(), false);
  std::vector<PersonKey> persons;
  std::vector<uint8_t> counted;
  for (size_t i = 0; i < list.ids.size(); ++i) {
    int pi = list.county[i].empty() ? -1 : policy->FindIndex(list.county[i], list.area[i], as_of);
    if (pi < 0) {
      no_policy[i] = true;
      if (!list.county[i].empty()) {
        rejects.push_back({"households", 0, "county_code", "verify.no_policy",
                           "家庭 " + list.ids[i] + "：核对政策中没有适用于 " + list.county[i] + " " +
                               std::string(AreaCode(list.area[i])) + " 在 " + o.as_of + " 的条目"});
      }
      continue;
    }
    persons.clear();
    counted.clear();
    for (auto [p, c] : list.members[i]) {
      persons.push_back(p);
      counted.push_back(c);
    }
    hh.Add(persons.data(), counted.data(), persons.size(), uint32_t(pi));
    row_of.push_back(uint32_t(i));
  }

  const auto t_index0 = Clock::now();
  const double cpu_batch0 = CpuSeconds();
  auto engine = Engine::Build(tables, hh, jobs);
  const auto t_index = Clock::now();
  Request req;
  req.as_of = as_of;
  req.rules = &rules;
  req.threads = jobs;
  const bool tty = o.progress && isatty(2);
  std::mutex progress_mu;
  if (tty) {
    req.progress = [&](size_t done, size_t total) {
      std::lock_guard<std::mutex> lock(progress_mu);
      DrawProgress(done, total);
    };
  }
  std::vector<HouseholdSummary> results = engine->Run(req);
  const auto t_run = Clock::now();
  const double cpu_batch = CpuSeconds() - cpu_batch0;
  if (tty) std::fprintf(stderr, "\n");

  // OUT.csv
  std::FILE* out = std::fopen(o.out_path.c_str(), "wb");
  if (!out) {
    std::cerr << "错误：无法写入 " << o.out_path << "\n";
    return 1;
  }
  std::string buf =
      "household_id,decision,members_counted,income_month_fen,income_per_capita_fen,financial_assets_fen,"
      "standard_fen,flags,policy_version\n";
  size_t decisions[3] = {0, 0, 0};
  size_t flag_counts[kFlagCount] = {};
  size_t unverified = 0;
  size_t next = 0;
  for (size_t i = 0; i < list.ids.size(); ++i) {
    buf += CsvField(list.ids[i]);
    if (no_policy[i]) {
      size_t n = 0;
      for (auto& m : list.members[i]) n += m.second;
      buf += ",review," + std::to_string(n) + ",0,0,0,0,no_policy,\n";
      ++decisions[int(Decision::kReview)];
      ++unverified;
    } else {
      const HouseholdSummary& s = results[next++];
      ++decisions[int(s.decision)];
      for (int f = 0; f < kFlagCount; ++f) flag_counts[f] += (s.flags >> f) & 1;
      buf += ',';
      buf += DecisionCode(s.decision);
      buf += ',' + std::to_string(s.members_counted) + ',' + std::to_string(s.income_month) + ',' +
             std::to_string(s.income_per_capita) + ',' + std::to_string(s.financial_assets) + ',' +
             std::to_string(s.standard) + ',' + FlagCodes(s.flags) + ',' + CsvField(rules[s.rules_index].version) + '\n';
    }
    if (buf.size() > (1u << 20)) {
      std::fwrite(buf.data(), 1, buf.size(), out);
      buf.clear();
    }
  }
  std::fwrite(buf.data(), 1, buf.size(), out);
  bool write_ok = std::fclose(out) == 0;
  if (!write_ok) {
    std::cerr << "错误：写入 " << o.out_path << " 失败\n";
    return 1;
  }
  if (!o.rejects_path.empty()) {
    std::ofstream rf(o.rejects_path, std::ios::binary);
    rf << "file,row,column,code,reason\n";
    for (const RejectRow& r : rejects) {
      rf << r.file << ',' << r.row << ',' << CsvField(r.column) << ',' << r.code << ',' << CsvField(r.reason) << '\n';
    }
  }
  const auto t_end = Clock::now();

  // Summary.
  std::ostringstream sum;
  sum << "核对完成：" << list.ids.size() << " 户，核对基准日 " << o.as_of << "，政策版本 " << policy->version()
      << (o.policy_path.empty() ? "（内置示例政策，数值仅为示例）" : "") << "\n";
  sum << "说明：家庭成员文件视为申请核对单位出具的已取得授权的家庭名单（与全国核对请求模板的做法一致），"
         "本命令不另行检查授权书。\n";
  sum << "部门数据：\n" << feed_report.str();
  sum << "结论：符合 " << decisions[0] << " 户，不符合 " << decisions[1] << " 户，需人工复核 " << decisions[2] << " 户";
  if (unverified) sum << "（其中 " << unverified << " 户无适用政策，未核对，标记 no_policy）";
  sum << "\n标记：\n";
  for (int f = 0; f < kFlagCount; ++f) {
    if (flag_counts[f]) sum << "  " << FlagCode(1u << f) << "（" << FlagName(1u << f) << "）：" << flag_counts[f] << " 户\n";
  }
  if (!rejects.empty()) {
    sum << "被拒绝的行：" << rejects.size() << " 条" << (o.rejects_path.empty() ? "（用 --rejects 保存清单）" : "（见 " + o.rejects_path + "）")
        << "\n";
    size_t shown = 0;
    for (const RejectRow& r : rejects) {
      if (shown++ == 10) break;
      sum << "  " << r.file << " 第 " << r.row << " 行 " << r.column << "：" << r.reason << "\n";
    }
  }
  char timing[256];
  std::snprintf(timing, sizeof timing,
                "耗时：读家庭 %.2f s，导入部门数据 %.2f s，建索引 %.2f s，核对 %.2f s，写结果 %.2f s，共 %.2f s\n",
                Seconds(t0, t_households), Seconds(t_households, t_feeds), Seconds(t_index0, t_index),
                Seconds(t_index, t_run), Seconds(t_run, t_end), Seconds(t0, t_end));
  sum << timing;
  std::cerr << sum.str();
  if (!o.timings_path.empty()) {
    std::ofstream tf(o.timings_path);
    tf << "{\"households_s\":" << Seconds(t0, t_households) << ",\"import_s\":" << import_seconds
       << ",\"feeds_total_s\":" << Seconds(t_households, t_feeds) << ",\"feeds_cpu_s\":" << cpu_feeds
       << ",\"batch_cpu_s\":" << cpu_batch << ",\"index_s\":" << Seconds(t_index0, t_index)
       << ",\"run_s\":" << Seconds(t_index, t_run) << ",\"write_s\":" << Seconds(t_run, t_end)
       << ",\"feed_rows\":" << tables.total_rows() << ",\"households\":" << list.ids.size() << "}\n";
  }
  return (feed_problem || !rejects.empty() || unverified) ? 2 : 0;
}

}  // namespace doudi::verify
