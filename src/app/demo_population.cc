#include "app/demo_population.h"

#include <chrono>
#include <algorithm>
#include <cstdio>
#include <unordered_set>

#include "common/calendar.h"
#include "common/divisions.h"
#include "common/id_number.h"

namespace doudi::app {
namespace {

// splitmix64: tiny, fast and the same on every platform (std distributions are not), so a seed always gives
// the same population.
struct Rng {
  uint64_t s;
  uint64_t Next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int Uniform(int lo, int hi) { return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1)); }
  bool Chance(int percent) { return Uniform(1, 100) <= percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) { return v[Next() % v.size()]; }
};

// Common surnames (most frequent first, so a skewed pick gives a realistic spread) and given-name characters.
const std::vector<std::string> kSurnames = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高",
    "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁",
    "潘", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟",
    "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱",
    "江", "尹", "薛", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "覃"};
const std::vector<std::string> kMaleChars = {"伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平",
                                             "辉", "鹏", "华", "飞", "鑫", "波", "宇", "浩", "俊", "峰", "建", "国",
                                             "文", "德", "志", "林", "海", "兵", "东", "庆", "春", "荣", "新", "祥"};
const std::vector<std::string> kFemaleChars = {"芳", "娟", "敏", "静", "丽", "艳", "娜", "霞", "玲", "燕", "萍", "红",
                                               "梅", "琳", "婷", "雪", "慧", "莉", "兰", "秀", "英", "凤", "洁", "琴",
                                               "云", "莲", "欣", "悦", "佳", "倩", "颖", "晶", "丹", "巧", "月", "珍"};
const std::vector<std::string> kPlaces = {"幸福", "和平", "建设", "胜利", "长江", "荆江", "楚都", "太湖", "新华",
                                          "三板", "白鹭", "东风", "红旗", "金桥", "杨湾", "柳林", "联合", "复兴"};

std::string GivenName(Rng& r, int sex) {
  const auto& chars = sex == 1 ? kMaleChars : kFemaleChars;
  std::string n = r.Pick(chars);
  if (r.Chance(70)) n += r.Pick(chars);
  return n;
}

std::string Surname(Rng& r) {
  // Skew towards the front of the list: min of two uniform picks.
  size_t a = r.Next() % kSurnames.size(), b = r.Next() % kSurnames.size();
  return kSurnames[std::min(a, b)];
}

std::string Ethnicity(Rng& r) {
  int x = r.Uniform(1, 100);
  return x <= 97 ? "01" : x <= 99 ? "15" : "03";  // 汉族, 土家族 (numerous in Hubei), 回族
}

std::string Phone(Rng& r) {
  static const char* kPrefixes[] = {"130", "133", "135", "137", "138", "139", "150", "151", "158", "177", "180",
                                    "186", "187", "189", "199"};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%s%08d", kPrefixes[r.Next() % 15], r.Uniform(0, 99999999));
  return buf;
}

// ID numbers must be unique: a collision of county, birth date and sequence takes the next free sequence.
using UsedIds = std::unordered_set<std::string>;

DemoPerson MakePerson(Rng& r, UsedIds& used, const std::string& county, const std::string& township, Date as_of, int age, int sex,
                      std::string surname, std::string relation) {
  DemoPerson p;
  p.sex = sex;
  p.name = surname + GivenName(r, sex);
  Date birth = as_of - std::chrono::days(age * 365 + r.Uniform(0, 364));
  p.birth_date = FormatDate(birth);
  std::string first17 = county + p.birth_date.substr(0, 4) + p.birth_date.substr(5, 2) + p.birth_date.substr(8, 2);
  int seq = r.Uniform(1, 499) * 2 - (sex == 1 ? 1 : 0);  // odd sequence = male
  char buf[12];  // "%03d" of a number below 1000; sized for any int so GCC sees no truncation
  for (int tries = 0;; ++tries) {
    std::snprintf(buf, sizeof buf, "%03d", (seq + 2 * tries) % 1000);
    if (used.insert(first17 + buf).second) break;
  }
  first17 += buf;
  p.id_number = first17 + IdCheckCharacter(first17);
  p.ethnicity = Ethnicity(r);
  if (age >= 16 && r.Chance(85)) p.phone = Phone(r);
  p.division_code = township;
  p.relation = std::move(relation);
  return p;
}

}  // namespace

const std::vector<std::pair<std::string, std::string>>& JingzhouCounties() {
  static const std::vector<std::pair<std::string, std::string>> kCounties = {
      {"421002", "沙市区"}, {"421003", "荆州区"}, {"421022", "公安县"}, {"421024", "江陵县"},
      {"421081", "石首市"}, {"421083", "洪湖市"}, {"421087", "松滋市"}, {"421088", "监利市"}};
  return kCounties;
}

std::vector<DemoHousehold> GenerateDemoPopulation(uint64_t seed, int households, const std::string& as_of_text) {
  Rng r{seed};
  Date as_of = ParseDate(as_of_text).value();
  const auto& divisions = Divisions::Default();
  struct Township {
    std::string county, code, name;
    bool urban;
  };
  std::vector<Township> townships;
  for (const auto& [county, name] : JingzhouCounties()) {
    for (const Division* t : divisions.Children(county)) {
      bool urban = t->name.find("街道") != std::string::npos;
      townships.push_back({county, t->code, t->name, urban});
    }
  }
  std::vector<DemoHousehold> out;
  out.reserve(households);
  UsedIds used;
  for (int h = 0; h < households; ++h) {
    const Township& t = r.Pick(townships);
    DemoHousehold hh;
    hh.division_code = t.code;
    hh.urban_rural = t.urban ? "urban" : "rural";
    hh.address = t.name + r.Pick(kPlaces) + (t.urban ? "社区" : "村") + std::to_string(r.Uniform(1, 30)) + "组" +
                 std::to_string(r.Uniform(1, 120)) + "号";
    std::string surname = Surname(r);
    int head_age = r.Uniform(22, 88);
    int head_sex = r.Chance(72) ? 1 : 2;
    hh.members.push_back(MakePerson(r, used, t.county, t.code, as_of, head_age, head_sex, surname, "02"));
    int type = r.Uniform(1, 100);
    if (type <= 12) {
      // living alone (many elderly among assistance recipients)
    } else {
      if (r.Chance(80)) {
        int spouse_age = std::clamp(head_age + r.Uniform(-5, 5), 20, 95);
        hh.members.push_back(MakePerson(r, used, t.county, t.code, as_of, spouse_age, 3 - head_sex, Surname(r), "10"));
      }
      int children = head_age < 60 ? r.Uniform(0, 2) : (r.Chance(25) ? 1 : 0);
      for (int c = 0; c < children; ++c) {
        int child_age = std::max(0, head_age - r.Uniform(22, 35));
        int sex = r.Chance(52) ? 1 : 2;
        hh.members.push_back(MakePerson(r, used, t.county, t.code, as_of, child_age, sex, surname, sex == 1 ? "20" : "30"));
      }
      if (head_age < 50 && r.Chance(20)) {
        int parent_age = std::min(95, head_age + r.Uniform(22, 32));
        int sex = r.Chance(50) ? 1 : 2;
        hh.members.push_back(
            MakePerson(r, used, t.county, t.code, as_of, parent_age, sex, sex == 1 ? surname : Surname(r), sex == 1 ? "51" : "52"));
      }
    }
    for (auto& m : hh.members) m.address = hh.address;
    out.push_back(std::move(hh));
  }
  return out;
}

}  // namespace doudi::app
