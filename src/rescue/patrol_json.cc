#include "rescue/patrol_json.h"

#include "rescue/institution_json.h"
#include "rescue/patrol_service.h"

namespace doudi::rescue {

using nlohmann::json;

namespace {

std::string ActionName(const std::string& action) {
  for (const auto& [code, name] : PatrolActions()) {
    if (code == action) return name;
  }
  return action;
}

Status TypeError(const std::string& field, const char* what) {
  return Status::InvalidField(field, "rescue.field.type", "字段 " + field + " 应为" + what);
}

}  // namespace

json PatrolJson(const Patrol& p, const Divisions& divisions) {
  json places = json::array();
  for (const auto& pl : p.places) {
    places.push_back({{"division_code", pl.division_code},
                      {"division_name", divisions.FullName(pl.division_code)},
                      {"place", pl.place},
                      {"lat", pl.lat ? json(*pl.lat) : json(nullptr)},
                      {"lng", pl.lng ? json(*pl.lng) : json(nullptr)}});
  }
  json encounters = json::array();
  for (const auto& e : p.encounters) {
    encounters.push_back({{"persons", e.persons},
                          {"action", e.action},
                          {"action_name", ActionName(e.action)},
                          {"description", e.description},
                          {"place_index", e.place_index >= 0 ? json(e.place_index) : json(nullptr)}});
  }
  const auto& c = p.counts;
  return {{"id", p.id},
          {"division_code", p.division_code},
          {"division_name", divisions.FullName(p.division_code)},
          {"started_at", p.started_at},
          {"ended_at", p.ended_at},
          {"team", p.team},
          {"route", p.route},
          {"places", places},
          {"encounters", encounters},
          {"counts",
           {{"persons_met", c.persons_met},
            {"advised", c.advised},
            {"brought_in", c.brought_in},
            {"referred_police", c.referred_police},
            {"referred_hospital", c.referred_hospital},
            {"refused", c.refused}}},
          {"notes", p.notes},
          {"version", p.version},
          {"created_at", p.created_at},
          {"created_by", p.created_by},
          {"updated_at", p.updated_at},
          {"updated_by", p.updated_by}};
}

Status PatrolFieldsFromJson(const json& body, PatrolFields* out) {
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "division_code", &out->division_code));
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "started_at", &out->started_at));
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "ended_at", &out->ended_at));
  DOUDI_RETURN_IF_ERROR(StringListFrom(body, "team", &out->team));
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "route", &out->route));
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "notes", &out->notes));
  out->places.clear();
  out->encounters.clear();
  if (auto it = body.find("places"); it != body.end() && !it->is_null()) {
    if (!it->is_array()) return TypeError("places", "数组");
    for (size_t i = 0; i < it->size(); ++i) {
      const json& e = (*it)[i];
      const std::string at = "places[" + std::to_string(i) + "]";
      if (!e.is_object()) return TypeError(at, "对象");
      PatrolPlace pl;
      DOUDI_RETURN_IF_ERROR(TextFrom(e, "division_code", &pl.division_code));
      DOUDI_RETURN_IF_ERROR(TextFrom(e, "place", &pl.place));
      for (auto [key, dst] : {std::pair{"lat", &pl.lat}, std::pair{"lng", &pl.lng}}) {
        auto v = e.find(key);
        if (v == e.end() || v->is_null()) continue;
        if (!v->is_number()) return TypeError(at + "." + key, "数字（经纬度）");
        *dst = v->get<double>();
      }
      out->places.push_back(std::move(pl));
    }
  }
  if (auto it = body.find("encounters"); it != body.end() && !it->is_null()) {
    if (!it->is_array()) return TypeError("encounters", "数组");
    for (size_t i = 0; i < it->size(); ++i) {
      const json& e = (*it)[i];
      const std::string at = "encounters[" + std::to_string(i) + "]";
      if (!e.is_object()) return TypeError(at, "对象");
      PatrolEncounter en;
      int64_t persons = 1;
      DOUDI_RETURN_IF_ERROR(IntFrom(e, "persons", &persons));
      en.persons = persons < -1 ? -1 : (persons > 100000 ? 100000 : static_cast<int>(persons));
      DOUDI_RETURN_IF_ERROR(TextFrom(e, "action", &en.action));
      DOUDI_RETURN_IF_ERROR(TextFrom(e, "description", &en.description));
      int64_t place_index = -1;
      DOUDI_RETURN_IF_ERROR(IntFrom(e, "place_index", &place_index));
      en.place_index = place_index < -1 ? -2 : (place_index > 1000 ? 1000 : static_cast<int>(place_index));
      out->encounters.push_back(std::move(en));
    }
  }
  return Status::Ok();
}

}  // namespace doudi::rescue
