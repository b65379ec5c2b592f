#include "registry/json.h"

#include <charconv>

#include "http/json_text.h"
#include "registry/codes.h"
#include "registry/validate.h"

namespace doudi::registry {
namespace {

using nlohmann::json;

json TextOrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json NamedCode(std::string_view set, const std::string& code) {
  if (code.empty()) return nullptr;
  std::string name = registry::CodeName(set, code);
  return name.empty() ? json(nullptr) : json(name);
}

std::vector<std::string> SplitFlags(const std::string& flags) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < flags.size()) {
    size_t comma = flags.find(',', start);
    if (comma == std::string::npos) comma = flags.size();
    if (comma > start) out.push_back(flags.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

json Age(const std::string& birth_date, const std::optional<int>& estimated_age, std::string_view today) {
  if (!birth_date.empty()) {
    int age = AgeOn(birth_date, today);
    return age >= 0 ? json(age) : json(nullptr);
  }
  return estimated_age ? json(*estimated_age) : json(nullptr);
}

Status TypeError(const std::string& field, const std::string& expected) {
  return Status::InvalidField(field, "registry." + field + ".type", field + " 应为" + expected);
}

// Integer from a JSON number or a numeric string.
std::optional<int64_t> AsInt(const json& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (d == static_cast<double>(static_cast<int64_t>(d))) return static_cast<int64_t>(d);
    return std::nullopt;
  }
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    int64_t x = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
    if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) return x;
  }
  return std::nullopt;
}

}  // namespace

std::string PersonJsonText(const Person& p, const Divisions& divisions, std::string_view today) {
  std::vector<std::string> flags = SplitFlags(p.flags), flag_names;
  flag_names.reserve(flags.size());
  for (const auto& f : flags) {
    std::string n = registry::CodeName("flag", f);
    flag_names.push_back(n.empty() ? f : std::move(n));
  }
  auto code_name = [](std::string_view set, const std::string& code) {
    return code.empty() ? std::string() : registry::CodeName(set, code);
  };
  std::optional<int64_t> age;
  if (!p.birth_date.empty()) {
    if (int a = AgeOn(p.birth_date, today); a >= 0) age = a;
  } else if (p.estimated_age) {
    age = *p.estimated_age;
  }
  // A division's name is "" for an unknown code but null for none.
  auto division_name = [&](http::JsonText& j, std::string_view key, const std::string& code) -> http::JsonText& {
    return code.empty() ? j.Null(key) : j.Str(key, divisions.FullName(code));
  };
  // Keys in sorted byte order: the text is then the one nlohmann would write for the same object.
  http::JsonText j;
  j.Str("address", p.address).StrOrNull("address_division", p.address_division);
  division_name(j, "address_division_name", p.address_division)
      .IntOrNull("age", age)
      .StrOrNull("birth_date", p.birth_date)
      .Str("created_at", p.created_at)
      .Int("created_by", p.created_by)
      .StrOrNull("disability_category", p.disability_category)
      .StrOrNull("disability_category_name", code_name("disability_category", p.disability_category))
      .StrOrNull("disability_grade", p.disability_grade)
      .StrOrNull("disability_grade_name", code_name("disability_grade", p.disability_grade))
      .Str("division_code", p.division_code)
      .Str("division_name", divisions.FullName(p.division_code))
      .StrOrNull("education", p.education)
      .StrOrNull("education_name", code_name("education", p.education))
      .IntOrNull("estimated_age", p.estimated_age)
      .StrOrNull("ethnicity", p.ethnicity)
      .StrOrNull("ethnicity_name", code_name("ethnicity", p.ethnicity))
      .StrArray("flag_names", flag_names)
      .StrArray("flags", flags)
      .IntOrNull("household_id", p.household_id)
      .Str("hukou_address", p.hukou_address)
      .StrOrNull("hukou_division", p.hukou_division);
  division_name(j, "hukou_division_name", p.hukou_division)
      .Int("id", p.id)
      .StrOrNull("id_number", p.id_number)
      .Bool("id_number_masked", p.masked)
      .StrOrNull("marital_status", p.marital_status)
      .StrOrNull("marital_status_name", code_name("marital", p.marital_status))
      .Str("name", p.name)
      .Str("notes", p.notes)
      .StrOrNull("phone", p.phone)
      .StrOrNull("photo", p.photo)
      .Int("sex", p.sex)
      .StrOrNull("sex_name", registry::CodeName("sex", std::to_string(p.sex)))
      .Str("updated_at", p.updated_at)
      .Int("updated_by", p.updated_by)
      .Int("version", p.version);
  return j.Finish();
}

json PersonJson(const Person& p, const Divisions& divisions, std::string_view today) {
  return json::parse(PersonJsonText(p, divisions, today));
}

json MemberJson(const MemberView& m, std::string_view today) {
  return {
      {"person_id", m.person_id},
      {"name", m.name},
      {"sex", m.sex},
      {"sex_name", NamedCode("sex", std::to_string(m.sex))},
      {"birth_date", TextOrNull(m.birth_date)},
      {"age", Age(m.birth_date, m.estimated_age, today)},
      {"id_number", TextOrNull(m.id_number)},
      {"id_number_masked", true},
      {"division_code", m.division_code},
      {"relation", m.relation},
      {"relation_name", NamedCode("relation", m.relation)},
  };
}

json HouseholdJson(const Household& h, const Divisions& divisions, std::string_view today) {
  json j = {
      {"id", h.id},
      {"head_person_id", h.head_person_id},
      {"head_name", h.head_name},
      {"urban_rural", h.urban_rural},
      {"urban_rural_name", NamedCode("urban_rural", h.urban_rural)},
      {"division_code", h.division_code},
      {"division_name", divisions.FullName(h.division_code)},
      {"address", h.address},
      {"member_count", h.member_count},
      {"version", h.version},
      {"created_at", h.created_at},
      {"created_by", h.created_by},
      {"updated_at", h.updated_at},
      {"updated_by", h.updated_by},
  };
  if (!h.members.empty()) {
    json members = json::array();
    for (const auto& m : h.members) members.push_back(MemberJson(m, today));
    j["members"] = std::move(members);
  }
  return j;
}

json StatsJson(const RegistryStats& s) {
  json counties = json::array();
  for (const auto& c : s.by_county) {
    counties.push_back({{"county", c.county},
                        {"county_name", c.county_name},
                        {"persons", c.persons},
                        {"households", c.households},
                        {"households_urban", c.households_urban},
                        {"households_rural", c.households_rural}});
  }
  return {
      {"persons", s.persons},
      {"households", s.households},
      {"by_urban_rural",
       {{{"urban_rural", "urban"}, {"name", "城市"}, {"persons", s.persons_urban}, {"households", s.households_urban}},
        {{"urban_rural", "rural"}, {"name", "农村"}, {"persons", s.persons_rural}, {"households", s.households_rural}},
        {{"urban_rural", nullptr}, {"name", "未入户"}, {"persons", s.persons_no_household}, {"households", 0}}}},
      {"by_county", std::move(counties)},
  };
}

Status PersonFieldsFromJson(const json& body, PersonFields* out, std::vector<std::string>* present) {
  if (!body.is_object()) return Status::Invalid("registry.body", "请求内容应为 JSON 对象");
  std::vector<FieldError> errors;
  auto note = [&](Status s) {
    for (const auto& d : s.details()) errors.push_back(d);
  };
  for (const auto& f : kPersonTextFields) {
    if (std::string_view(f.name) == "flags") continue;  // an array in JSON, read below
    auto it = body.find(f.name);
    if (it == body.end()) continue;
    if (it->is_null()) {
      out->*f.member = "";
    } else if (it->is_string()) {
      out->*f.member = it->get<std::string>();
    } else {
      note(TypeError(f.name, "文本"));
      continue;
    }
    present->push_back(f.name);
  }
  if (auto it = body.find("sex"); it != body.end()) {
    auto v = it->is_null() ? std::optional<int64_t>(0) : AsInt(*it);
    if (!v || *v < 0 || *v > 9) {
      note(TypeError("sex", "性别代码 0、1、2 或 9"));
    } else {
      out->sex = static_cast<int>(*v);
      present->push_back("sex");
    }
  }
  if (auto it = body.find("estimated_age"); it != body.end()) {
    if (it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty())) {
      out->estimated_age.reset();
      present->push_back("estimated_age");
    } else if (auto v = AsInt(*it); v && *v >= -1000 && *v <= 1000) {
      out->estimated_age = static_cast<int>(*v);
      present->push_back("estimated_age");
    } else {
      note(TypeError("estimated_age", "整数（岁）"));
    }
  }
  if (auto it = body.find("flags"); it != body.end()) {
    if (it->is_null()) {
      out->flags = "";
      present->push_back("flags");
    } else if (it->is_string()) {
      out->flags = it->get<std::string>();
      present->push_back("flags");
    } else if (it->is_array()) {
      std::string joined;
      bool ok = true;
      for (const auto& f : *it) {
        if (!f.is_string()) {
          ok = false;
          break;
        }
        joined += (joined.empty() ? "" : ",") + f.get<std::string>();
      }
      if (ok) {
        out->flags = joined;
        present->push_back("flags");
      } else {
        note(TypeError("flags", "标签代码数组"));
      }
    } else {
      note(TypeError("flags", "标签代码数组"));
    }
  }
  return FieldErrorsStatus(std::move(errors));
}

Status HouseholdFieldsFromJson(const json& body, HouseholdFields* out, std::vector<std::string>* present) {
  if (!body.is_object()) return Status::Invalid("registry.body", "请求内容应为 JSON 对象");
  std::vector<FieldError> errors;
  if (auto it = body.find("head_person_id"); it != body.end()) {
    if (auto v = AsInt(*it)) {
      out->head_person_id = *v;
      present->push_back("head_person_id");
    } else {
      errors.push_back(TypeError("head_person_id", "人员编号").details().front());
    }
  }
  for (auto [name, member] : {std::pair{"urban_rural", &HouseholdFields::urban_rural},
                              std::pair{"division_code", &HouseholdFields::division_code},
                              std::pair{"address", &HouseholdFields::address}}) {
    auto it = body.find(name);
    if (it == body.end()) continue;
    if (it->is_null()) {
      out->*member = "";
    } else if (it->is_string()) {
      out->*member = it->get<std::string>();
    } else {
      errors.push_back(TypeError(name, "文本").details().front());
      continue;
    }
    present->push_back(name);
  }
  return FieldErrorsStatus(std::move(errors));
}

Status MembersFromJson(const json& body, const char* key, std::vector<Member>* out, bool* has) {
  *has = false;
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return Status::Ok();
  if (!it->is_array()) return TypeError(key, "成员数组");
  for (const auto& m : *it) {
    if (!m.is_object()) return TypeError(key, "成员数组（每项含 person_id 与 relation）");
    Member member;
    auto pid = m.find("person_id");
    auto rel = m.find("relation");
    std::optional<int64_t> id = pid == m.end() ? std::nullopt : AsInt(*pid);
    if (!id) return TypeError(key, "成员数组（每项含 person_id 与 relation）");
    member.person_id = *id;
    if (rel != m.end() && rel->is_string()) {
      member.relation = rel->get<std::string>();
    } else if (rel != m.end() && !rel->is_null()) {
      return TypeError(key, "成员数组（relation 为 GB/T 4761 代码文本）");
    }
    out->push_back(std::move(member));
  }
  *has = true;
  return Status::Ok();
}

Result<int64_t> RequiredInt(const json& body, const std::string& field) {
  if (!body.is_object()) return Status::Invalid("registry.body", "请求内容应为 JSON 对象");
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    return Status::InvalidField(field, "registry." + field + ".required", "缺少 " + field);
  }
  auto v = AsInt(*it);
  if (!v) return TypeError(field, "整数");
  return *v;
}

}  // namespace doudi::registry
