#include "app/demo.h"

#include <chrono>
#include <iostream>

#include "app/app.h"
#include "app/demo_population.h"
#include "common/divisions.h"
#include "verify/demo.h"

namespace doudi::app {
namespace {

struct DemoAccount {
  std::string username, role, division, name;
};

// Pinyin short names of the Jingzhou counties, for readable usernames (caseworker_shashi).
const std::vector<std::pair<std::string, std::string>>& CountySlugs() {
  static const std::vector<std::pair<std::string, std::string>> kSlugs = {
      {"421002", "shashi"}, {"421003", "jingzhou"}, {"421022", "gongan"}, {"421024", "jiangling"},
      {"421081", "shishou"}, {"421083", "honghu"},  {"421087", "songzi"}, {"421088", "jianli"}};
  return kSlugs;
}

const std::vector<std::pair<std::string, std::string>>& CountyRoles() {
  static const std::vector<std::pair<std::string, std::string>> kRoles = {
      {"caseworker", "救助经办员"},         {"verifier", "核对员"},
      {"rescue_staff", "救助站工作人员"},   {"hotline_operator", "热线接线员"},
      {"child_worker", "未保工作者"},       {"institution_supervisor", "托养监管员"}};
  return kRoles;
}

std::vector<DemoAccount> DemoAccounts() {
  std::vector<DemoAccount> out = {
      {"admin", "sysadmin", "4210", "系统管理员"},
      {"secadmin", "secadmin", "4210", "安全管理员"},
      {"auditor", "auditadmin", "4210", "审计管理员"},
      {"manager", "manager", "4210", "中心管理人员"},
  };
  const auto& counties = JingzhouCounties();
  for (const auto& [role, label] : CountyRoles()) {
    for (size_t i = 0; i < counties.size(); ++i) {
      const auto& [code, slug] = CountySlugs()[i];
      out.push_back({role + "_" + slug, role, code, counties[i].second + label});
    }
  }
  return out;
}

// The identity the demo loader acts as: the whole city in scope, recorded in audit rows as "demo".
platform::Principal DemoLoader() {
  platform::Principal p;
  p.user_id = 0;
  p.username = "demo";
  p.role = "system";
  p.scope = platform::ScopeKind::kAll;
  return p;
}

}  // namespace

Result<bool> DatabaseHasNoUsers(App& app) {
  platform::UserQuery q;
  q.size = 1;
  DOUDI_ASSIGN_OR_RETURN(auto found, app.users->List(platform::SystemActor(), q));
  return found.second == 0;
}

Status LoadDemo(App& app, const DemoOptions& options, std::ostream& out) {
  DOUDI_ASSIGN_OR_RETURN(bool empty, DatabaseHasNoUsers(app));
  if (!empty) return Status::Conflict("demo.not_empty", "数据库中已有账号，演示数据只能载入空数据库");
  auto start = std::chrono::steady_clock::now();

  auto accounts = DemoAccounts();
  for (const auto& a : accounts) {
    platform::NewUser nu{a.username, a.name, kDemoPassword, a.role, a.division, ""};
    DOUDI_ASSIGN_OR_RETURN(auto user, app.users->Create(platform::SystemActor(), nu));
    DOUDI_ASSIGN_OR_RETURN(auto role, app.roles->Find(a.role));
    if (role->is_admin()) DOUDI_RETURN_IF_ERROR(EnrolTotpForSetup(app, user.id, kDemoTotpSecret).status());
  }
  out << "已创建 " << accounts.size() << " 个演示账号" << std::endl;

  auto households = GenerateDemoPopulation(options.seed, options.households, options.as_of);
  std::vector<registry::NewPerson> persons;
  for (const auto& h : households) {
    for (const auto& m : h.members) {
      registry::NewPerson p;
      p.name = m.name;
      p.sex = m.sex;
      p.birth_date = m.birth_date;
      p.id_number = m.id_number;
      p.ethnicity = m.ethnicity;
      p.phone = m.phone;
      p.address = m.address;
      p.address_division = m.division_code;
      p.hukou_division = m.division_code;
      p.hukou_address = m.address;
      p.division_code = m.division_code;
      persons.push_back(std::move(p));
    }
  }
  platform::Principal loader = DemoLoader();
  registry::ImportReport persons_report;
  DOUDI_RETURN_IF_ERROR(app.registry->ImportPersons(persons, loader, &persons_report));
  std::vector<registry::NewHousehold> new_households;
  size_t next = 0;
  for (const auto& h : households) {
    registry::NewHousehold nh;
    nh.urban_rural = h.urban_rural;
    nh.division_code = h.division_code;
    nh.address = h.address;
    for (const auto& m : h.members) nh.members.push_back({persons_report.ids[next++], m.relation});
    nh.head_person_id = nh.members.front().person_id;
    new_households.push_back(std::move(nh));
  }
  registry::ImportReport households_report;
  DOUDI_RETURN_IF_ERROR(app.registry->ImportHouseholds(new_households, loader, &households_report));
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out << "已载入 " << households_report.inserted << " 户、" << persons_report.inserted << " 人（合成数据），用时 "
      << static_cast<int>(seconds + 0.5) << " 秒" << std::endl;
  // Verification (核对): authorisations and a month of the eleven agency feeds for the newest 60 households, dated
  // from today so that a verifier can verify them at once (docs/verify-service.md).
  verify::DemoFeedsOptions feeds;
  DOUDI_RETURN_IF_ERROR(verify::LoadDemoFeeds(*app.verify, *app.registry, loader, feeds, out));
  return Status::Ok();
}

void PrintDemoLogin(std::ostream& out, int port) {
  out << "\n演示账号（仅用于演示，勿用于生产）：浏览器打开 http://127.0.0.1:" << port << "/\n"
      << "  所有演示账号的初始密码：" << kDemoPassword << "（首次登录须修改密码）\n"
      << "  管理员 admin（系统）、secadmin（安全）、auditor（审计）须双因素登录，验证器密钥：" << kDemoTotpSecret << "\n"
      << "  业务账号：manager（全市），以及 角色_区县，如 caseworker_shashi、verifier_jingzhou、rescue_staff_gongan、\n"
      << "  hotline_operator_honghu、child_worker_songzi、institution_supervisor_jianli（详见 README.md）\n"
      << std::endl;
}

int RunDemo(const GlobalOptions& g, const DemoOptions& o) {
  auto app = App::Open(g, App::Schema::kMigrate);
  if (!app.ok()) return Fail(app.status());
  Status s = LoadDemo(**app, o, std::cout);
  if (!s.ok()) return Fail(s);
  PrintDemoLogin(std::cout, 8080);
  return 0;
}

Result<std::string> EnrolTotpForSetup(App& app, int64_t user_id, const std::string& secret) {
  return app.users->SetupTotp(platform::SystemActor(), user_id, secret);
}

}  // namespace doudi::app
