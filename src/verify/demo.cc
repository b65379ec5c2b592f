#include "verify/demo.h"

#include <cstdio>
#include <vector>

namespace doudi::verify {
namespace {

// "YYYY-MM" of the month `back` months before the month of as_of (back = 1: the previous month).
std::string MonthBefore(const std::string& as_of, int back) {
  int y = std::stoi(as_of.substr(0, 4)), m = std::stoi(as_of.substr(5, 2));
  int index = y * 12 + (m - 1) - back;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", index / 12, index % 12 + 1);
  return buf;
}

int AgeOn(const std::string& birth_date, const std::string& day) {
  if (birth_date.size() != 10) return 40;
  int age = std::stoi(day.substr(0, 4)) - std::stoi(birth_date.substr(0, 4));
  if (day.substr(5) < birth_date.substr(5)) --age;
  return age;
}

}  // namespace

Status LoadDemoFeeds(VerifyService& verify, registry::RegistryService& registry, const Actor& actor,
                     const DemoFeedsOptions& options, std::ostream& out) {
  const std::string as_of = options.as_of.empty() ? verify.Today() : options.as_of;
  const std::string period = MonthBefore(as_of, 1);
  const std::string period_end = period + "-28";
  std::string hukou = "id_number,name,status,death_date\n", vehicle = "id_number,plate,vehicle_type,registered_on\n",
              si = "id_number,kind,month,amount_yuan\n", pf = "id_number,month,deposit_yuan,balance_yuan\n",
              estate = "id_number,property_type,area_m2,registered_on\n",
              business = "id_number,company,role,registered_capital_yuan,status\n",
              tax = "id_number,income_type,month,amount_yuan\n", bank = "id_number,bank,balance_yuan,as_of\n",
              securities = "id_number,market_value_yuan,as_of\n", insurance = "id_number,product,cash_value_yuan,as_of\n",
              civil = "id_number,record,date,detail\n";
  registry::HouseholdQuery q;
  q.size = 200;
  int done = 0, authorised = 0;
  for (q.page = 1; done < options.households; ++q.page) {
    DOUDI_ASSIGN_OR_RETURN(auto page, registry.SearchHouseholds(actor, q));
    if (page.items.empty()) break;
    for (const auto& listed : page.items) {
      if (done >= options.households) break;
      if (listed.member_count == 0) continue;
      DOUDI_ASSIGN_OR_RETURN(registry::Household h, registry.GetHousehold(actor, listed.id));
      const int i = done++;
      for (size_t k = 0; k < h.members.size(); ++k) {
        const auto& m = h.members[k];
        DOUDI_ASSIGN_OR_RETURN(registry::Person p, registry.LoadPerson(m.person_id));
        if (p.id_number.empty()) continue;
        const std::string& id = p.id_number;
        const int age = AgeOn(p.birth_date, as_of);
        const bool dead = i % 17 == 7 && k + 1 == h.members.size() && h.members.size() > 1;
        hukou += id + "," + p.name + (dead ? ",dead," + MonthBefore(as_of, 3) + "-15\n" : ",alive,\n");
        for (int back = 1; back <= 12; ++back) {
          const std::string month = MonthBefore(as_of, back);
          if (age >= 18 && age < 60 && k < 2) si += id + ",wage," + month + "," + std::to_string(700 + (i * 137) % 1100) + "\n";
          if (age >= 60) si += id + ",pension," + month + "," + std::to_string(300 + (i * 53) % 400) + "\n";
        }
        if (k == 0) {
          estate += id + ",residential," + std::to_string(45 + i % 60) + ".5,2008-06-01\n";
          bank += id + ",中国农业银行," + std::to_string(i % 13 == 9 ? 380000 : 1500 + (i * 911) % 20000) + ".00," +
                  period_end + "\n";
          if (i % 11 == 3) vehicle += id + ",鄂D" + std::to_string(10000 + i) + ",car,2019-03-01\n";
          if (i % 11 == 6) vehicle += id + ",,ebike,2022-07-01\n";
          if (i % 19 == 5) business += id + ",荆州市某某商贸有限公司,legal_rep,500000,active\n";
          if (i % 7 == 4) tax += id + ",property," + MonthBefore(as_of, 2) + ",1800\n";
        }
      }
      // Authorisations: all members, guardians for minors; every tenth household left without.
      if (i % 10 == 9) continue;
      DOUDI_ASSIGN_OR_RETURN(auto state, verify.GetAuthorisations(actor, h.id));
      for (const auto& m : state.members) {
        NewAuthorisation a;
        a.person_id = m.person_id;
        a.signed_on = as_of;
        a.signer_name = m.minor ? "监护人（示例）" : m.name;
        a.signed_by_guardian = m.minor;
        a.guardian_name = m.minor ? h.head_name : "";
        a.guardian_relation = m.minor ? "父母" : "";
        a.form_file = "demo/authorisation-" + std::to_string(h.id) + "-" + std::to_string(m.person_id) + ".pdf";
        auto recorded = verify.RecordAuthorisation(actor, h.id, a);
        if (!recorded.ok()) {
          if (recorded.status().code() == Code::kInvalid) continue;  // e.g. a person flagged without capacity
          return recorded.status();
        }
      }
      ++authorised;
    }
  }
  const std::vector<std::pair<const char*, const std::string*>> files = {
      {"hukou", &hukou},   {"vehicle", &vehicle}, {"social_insurance", &si}, {"provident_fund", &pf},
      {"real_estate", &estate}, {"business", &business}, {"tax", &tax},    {"bank", &bank},
      {"securities", &securities}, {"insurance", &insurance}, {"civil", &civil}};
  int64_t rows = 0;
  for (const auto& [source, csv] : files) {
    FeedUpload u;
    u.source = source;
    u.period = period;
    u.filename = std::string(source) + ".csv";
    u.on_reject = OnReject::kKeepGood;
    u.force = true;
    u.bytes = *csv;
    DOUDI_ASSIGN_OR_RETURN(FeedBatch b, verify.ImportFeed(actor, std::move(u)));
    if (b.status != "imported") return Status::Internal("示例数据 " + std::string(source) + " 导入失败：" + b.error);
    rows += b.rows_imported;
  }
  out << "核对示例数据：" << done << " 户（其中 " << authorised << " 户已授权），11 个部门数据文件共 " << rows
      << " 行（所属期 " << period << "）\n";
  return Status::Ok();
}

}  // namespace doudi::verify
