#include "registry/routes.h"

#include <charconv>

#include <nlohmann/json.hpp>

#include "registry/json.h"

namespace doudi::registry {
namespace {

using nlohmann::json;

// A path id that is not a positive integer names no record: 404 like any other missing record.
Result<int64_t> PathId(const http::Request& req, const std::string& name, const Status& not_found) {
  std::string s = req.Param(name);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v <= 0) return not_found;
  return v;
}

Status PersonNotFound() { return Status::NotFound("registry.person.not_found", "人员不存在或不在您的管辖范围内"); }
Status HouseholdNotFound() {
  return Status::NotFound("registry.household.not_found", "家庭户不存在或不在您的管辖范围内");
}

// Options in full (designated initialisers that skip members trip -Wmissing-field-initializers).
http::RouteOptions Options(std::string permission, std::string audit_action = "") {
  http::RouteOptions o;
  o.permission = std::move(permission);
  o.audit_action = std::move(audit_action);
  return o;
}

// Names the object for the server's audit row (written on failure; on success the service wrote its own).
void MarkObject(http::Request& req, const char* type, int64_t id) {
  req.audit_object_type = type;
  req.audit_object_id = std::to_string(id);
}

Actor ActorOf(const http::Request& req) { return Actor(*req.principal, req.ip, req.request_id); }

std::string QueryOr(const http::Request& req, const std::string& name) { return req.Query(name).value_or(""); }

}  // namespace

void RegisterRegistryRoutes(http::Router& router, RegistryService& service) {
  RegistryService* svc = &service;
  auto today = [svc] { return svc->Today(); };

  // --- persons ---
  router.Get("/api/v1/registry/persons", Options("registry.person.read"),
             [svc, today](http::Request& req) -> Result<http::Response> {
               PersonQuery q;
               q.name = QueryOr(req, "name");
               q.id_number = QueryOr(req, "id_number");
               q.phone = QueryOr(req, "phone");
               q.division = QueryOr(req, "division");
               if (auto sex = req.Query("sex"); sex && !sex->empty()) {
                 int v = -1;
                 auto [p, ec] = std::from_chars(sex->data(), sex->data() + sex->size(), v);
                 if (ec != std::errc() || p != sex->data() + sex->size()) {
                   return Status::InvalidField("sex", "registry.sex.invalid", "性别代码应为 0、1、2 或 9");
                 }
                 q.sex = v;
               }
               DOUDI_ASSIGN_OR_RETURN(auto page, req.Page());
               q.page = page.first;
               q.size = page.second;
               DOUDI_ASSIGN_OR_RETURN(auto found, svc->SearchPersons(ActorOf(req), q));
               const std::string t = today();
               return http::Response::JsonText(
                   PageJsonText(found, [&](const Person& p) { return PersonJsonText(p, svc->divisions(), t); }));
             });

  router.Post("/api/v1/registry/persons",
              Options("registry.person.write", "registry.person.create"),
              [svc, today](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
                PersonFields fields;
                std::vector<std::string> present;
                DOUDI_RETURN_IF_ERROR(PersonFieldsFromJson(body, &fields, &present));
                req.audit_object_type = "person";
                DOUDI_ASSIGN_OR_RETURN(Person p, svc->CreatePerson(ActorOf(req), std::move(fields)));
                req.audit_object_id = std::to_string(p.id);
                req.audited = true;  // the service wrote the row in the same transaction
                return http::Response::Json(PersonJson(p, svc->divisions(), today()), 201);
              });

  router.Get("/api/v1/registry/persons/{id}", Options("registry.person.read"),
             [svc, today](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", PersonNotFound()));
               DOUDI_ASSIGN_OR_RETURN(Person p, svc->GetPerson(ActorOf(req), id));
               return http::Response::JsonText(PersonJsonText(p, svc->divisions(), today()));
             });

  router.Put("/api/v1/registry/persons/{id}",
             Options("registry.person.write", "registry.person.update"),
             [svc, today](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", PersonNotFound()));
               MarkObject(req, "person", id);
               DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
               DOUDI_ASSIGN_OR_RETURN(int64_t version, RequiredInt(body, "version"));
               PersonFields fields;
               std::vector<std::string> present;
               DOUDI_RETURN_IF_ERROR(PersonFieldsFromJson(body, &fields, &present));
               DOUDI_ASSIGN_OR_RETURN(Person p, svc->UpdatePerson(ActorOf(req), id, version, fields, present));
               req.audited = true;
               return http::Response::Json(PersonJson(p, svc->divisions(), today()));
             });

  router.Post("/api/v1/registry/persons/{id}/reveal", Options("pii.reveal", "pii.reveal"),
              [svc](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", PersonNotFound()));
                MarkObject(req, "person", id);
                DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
                std::string purpose;
                if (auto it = body.find("purpose"); it != body.end() && it->is_string()) purpose = it->get<std::string>();
                std::vector<std::string> fields;
                if (auto it = body.find("fields"); it != body.end() && !it->is_null()) {
                  if (!it->is_array()) {
                    return Status::InvalidField("fields", "registry.reveal.field", "fields 应为数组，如 [\"id_number\"]");
                  }
                  for (const auto& f : *it) {
                    if (!f.is_string()) {
                      return Status::InvalidField("fields", "registry.reveal.field", "fields 应为文本数组");
                    }
                    fields.push_back(f.get<std::string>());
                  }
                }
                DOUDI_ASSIGN_OR_RETURN(RevealedPii r, svc->Reveal(ActorOf(req), id, purpose, std::move(fields)));
                req.audited = true;  // "pii.reveal" with the purpose, written before the values are returned
                json out = {{"person_id", r.person_id}, {"id_number_masked", false}};
                if (r.id_number) out["id_number"] = r.id_number->empty() ? json(nullptr) : json(*r.id_number);
                if (r.phone) out["phone"] = r.phone->empty() ? json(nullptr) : json(*r.phone);
                return http::Response::Json(out);
              });

  router.Get("/api/v1/registry/persons/{id}/360", Options("registry.person.read"),
             [svc](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", PersonNotFound()));
               DOUDI_ASSIGN_OR_RETURN(json page, svc->Person360(ActorOf(req), id));
               return http::Response::Json(page);
             });

  // --- households ---
  router.Get("/api/v1/registry/households", Options("registry.household.read"),
             [svc, today](http::Request& req) -> Result<http::Response> {
               HouseholdQuery q;
               q.division = QueryOr(req, "division");
               q.urban_rural = QueryOr(req, "urban_rural");
               DOUDI_ASSIGN_OR_RETURN(auto page, req.Page());
               q.page = page.first;
               q.size = page.second;
               DOUDI_ASSIGN_OR_RETURN(auto found, svc->SearchHouseholds(ActorOf(req), q));
               const std::string t = today();
               return http::Response::Json(
                   PageJson(found, [&](const Household& h) { return HouseholdJson(h, svc->divisions(), t); }));
             });

  router.Post("/api/v1/registry/households",
              Options("registry.household.write", "registry.household.create"),
              [svc, today](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
                NewHousehold h;
                std::vector<std::string> present;
                DOUDI_RETURN_IF_ERROR(HouseholdFieldsFromJson(body, &h, &present));
                bool has_members = false;
                DOUDI_RETURN_IF_ERROR(MembersFromJson(body, "members", &h.members, &has_members));
                req.audit_object_type = "household";
                DOUDI_ASSIGN_OR_RETURN(Household out, svc->CreateHousehold(ActorOf(req), std::move(h)));
                req.audit_object_id = std::to_string(out.id);
                req.audited = true;
                return http::Response::Json(HouseholdJson(out, svc->divisions(), today()), 201);
              });

  router.Get("/api/v1/registry/households/{id}", Options("registry.household.read"),
             [svc, today](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", HouseholdNotFound()));
               DOUDI_ASSIGN_OR_RETURN(Household h, svc->GetHousehold(ActorOf(req), id));
               json j = HouseholdJson(h, svc->divisions(), today());
               if (!j.contains("members")) j["members"] = json::array();
               return http::Response::Json(j);
             });

  router.Put("/api/v1/registry/households/{id}",
             Options("registry.household.write", "registry.household.update"),
             [svc, today](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", HouseholdNotFound()));
               MarkObject(req, "household", id);
               DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
               DOUDI_ASSIGN_OR_RETURN(int64_t version, RequiredInt(body, "version"));
               HouseholdFields fields;
               std::vector<std::string> present;
               DOUDI_RETURN_IF_ERROR(HouseholdFieldsFromJson(body, &fields, &present));
               std::vector<Member> members;
               bool has_members = false;
               DOUDI_RETURN_IF_ERROR(MembersFromJson(body, "members", &members, &has_members));
               std::optional<std::vector<Member>> replace;
               if (has_members) replace = std::move(members);
               DOUDI_ASSIGN_OR_RETURN(Household h,
                                      svc->UpdateHousehold(ActorOf(req), id, version, fields, present, replace));
               req.audited = true;
               return http::Response::Json(HouseholdJson(h, svc->divisions(), today()));
             });

  router.Post("/api/v1/registry/households/{id}/members",
              Options("registry.household.write", "registry.household.member_add"),
              [svc, today](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", HouseholdNotFound()));
                MarkObject(req, "household", id);
                DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
                Member m;
                DOUDI_ASSIGN_OR_RETURN(m.person_id, RequiredInt(body, "person_id"));
                if (auto it = body.find("relation"); it != body.end() && it->is_string()) {
                  m.relation = it->get<std::string>();
                }
                DOUDI_ASSIGN_OR_RETURN(Household h, svc->AddMember(ActorOf(req), id, m));
                req.audited = true;
                return http::Response::Json(HouseholdJson(h, svc->divisions(), today()), 201);
              });

  router.Delete("/api/v1/registry/households/{id}/members/{person_id}",
                Options("registry.household.write", "registry.household.member_remove"),
                [svc, today](http::Request& req) -> Result<http::Response> {
                  DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", HouseholdNotFound()));
                  MarkObject(req, "household", id);
                  DOUDI_ASSIGN_OR_RETURN(
                      int64_t person_id,
                      PathId(req, "person_id",
                             Status::NotFound("registry.household.member_not_found", "该人员不是本户成员")));
                  DOUDI_ASSIGN_OR_RETURN(Household h, svc->RemoveMember(ActorOf(req), id, person_id));
                  req.audited = true;
                  return http::Response::Json(HouseholdJson(h, svc->divisions(), today()));
                });

  // --- dashboard ---
  router.Get("/api/v1/registry/stats", Options("registry.person.read"),
             [svc](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(RegistryStats s, svc->Stats(ActorOf(req)));
               return http::Response::Json(StatsJson(s));
             });
}

}  // namespace doudi::registry
