#include "rescue/matching_routes.h"

#include "rescue/institution_route_util.h"
#include "rescue/internal.h"
#include "rescue/json.h"

namespace doudi::rescue {
namespace {

using nlohmann::json;
using namespace routes;

Status ReportNotFound() { return Status::NotFound("rescue.report.not_found", "寻人登记不存在或不在您的管辖范围内"); }

Status TypeError(const std::string& field, const std::string& what) {
  return Status::InvalidField(field, "http.bad_type", "字段 " + field + " 应为" + what);
}

Status TextField(const json& b, const char* name, std::string* out) {
  auto it = b.find(name);
  if (it == b.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) return TypeError(name, "文本");
  *out = it->get<std::string>();
  return Status::Ok();
}

Status IntField(const json& b, const char* name, std::optional<int>* out) {
  auto it = b.find(name);
  if (it == b.end() || it->is_null()) return Status::Ok();
  if (!it->is_number_integer()) return TypeError(name, "整数");
  *out = it->get<int>();
  return Status::Ok();
}

Status FieldsFromJson(const json& b, ReportFields* f) {
  if (!b.is_object()) return Status::Invalid("http.bad_body", "请求体应为 JSON 对象");
  for (auto [name, member] : std::initializer_list<std::pair<const char*, std::string ReportFields::*>>{
           {"reporter_name", &ReportFields::reporter_name}, {"reporter_phone", &ReportFields::reporter_phone},
           {"reporter_relation", &ReportFields::reporter_relation}, {"name", &ReportFields::name},
           {"birth_date", &ReportFields::birth_date}, {"lost_date", &ReportFields::lost_date},
           {"lost_division", &ReportFields::lost_division}, {"lost_place", &ReportFields::lost_place},
           {"hukou_division", &ReportFields::hukou_division}, {"features", &ReportFields::features},
           {"dialect", &ReportFields::dialect}, {"note", &ReportFields::note}}) {
    DOUDI_RETURN_IF_ERROR(TextField(b, name, &(f->*member)));
  }
  std::optional<int> sex;
  DOUDI_RETURN_IF_ERROR(IntField(b, "sex", &sex));
  f->sex = sex.value_or(0);
  DOUDI_RETURN_IF_ERROR(IntField(b, "age_at_lost", &f->age_at_lost));
  DOUDI_RETURN_IF_ERROR(IntField(b, "height_cm", &f->height_cm));
  if (auto it = b.find("photos"); it != b.end() && !it->is_null()) {
    if (!it->is_array()) return TypeError("photos", "文本数组");
    for (const auto& p : *it) {
      if (!p.is_string()) return TypeError("photos", "文本数组");
      f->photos.push_back(p.get<std::string>());
    }
  }
  if (auto it = b.find("samples"); it != b.end() && !it->is_null()) {
    if (!it->is_array()) return TypeError("samples", "数组");
    for (const auto& s : *it) {
      if (!s.is_object()) return TypeError("samples", "对象数组");
      DnaSample d;
      DOUDI_RETURN_IF_ERROR(TextField(s, "relation", &d.relation));
      DOUDI_RETURN_IF_ERROR(TextField(s, "name", &d.name));
      if (auto p = s.find("profile"); p != s.end()) d.profile = *p;
      f->samples.push_back(std::move(d));
    }
  }
  return Status::Ok();
}

}  // namespace

void RegisterMatchingRoutes(http::Router& router, std::shared_ptr<MissingReportService> service) {
  const std::string base = "/api/v1/rescue";
  auto svc = service;

  router.Get(base + "/missing-reports", Options("tracing.read"), [svc](http::Request& req) -> Result<http::Response> {
    ReportQuery q;
    q.status = QueryOr(req, "status");
    q.name = QueryOr(req, "name");
    DOUDI_ASSIGN_OR_RETURN(auto page, req.Page());
    q.page = page.first;
    q.size = page.second;
    DOUDI_ASSIGN_OR_RETURN(auto found, svc->List(ActorOf(req), q));
    json items = json::array();
    bool reveal = req.principal->Can("pii.reveal");
    for (const auto& r : found.first) items.push_back(svc->ToJson(r, reveal));
    return http::Response::Json({{"items", items}, {"total", found.second}, {"page", q.page}, {"size", q.size}});
  });

  router.Post(base + "/missing-reports", Options("tracing.write", "rescue.report.create"),
              [svc](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
                ReportFields f;
                DOUDI_RETURN_IF_ERROR(FieldsFromJson(body, &f));
                req.audit_object_type = "rescue_missing_report";
                DOUDI_ASSIGN_OR_RETURN(MissingReport r, svc->Create(ActorOf(req), std::move(f)));
                req.audit_object_id = std::to_string(r.id);
                req.audited = true;
                return http::Response::Json(svc->ToJson(r, req.principal->Can("pii.reveal")), 201);
              });

  router.Get(base + "/missing-reports/{id}", Options("tracing.read"), [svc](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", ReportNotFound()));
    DOUDI_ASSIGN_OR_RETURN(MissingReport r, svc->Get(ActorOf(req), id));
    return http::Response::Json(svc->ToJson(r, req.principal->Can("pii.reveal")));
  });

  router.Put(base + "/missing-reports/{id}", Options("tracing.write", "rescue.report.update"),
             [svc](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", ReportNotFound()));
               req.audit_object_type = "rescue_missing_report";
               req.audit_object_id = std::to_string(id);
               DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
               DOUDI_ASSIGN_OR_RETURN(int64_t version, VersionOf(body));
               ReportFields f;
               DOUDI_RETURN_IF_ERROR(FieldsFromJson(body, &f));
               DOUDI_ASSIGN_OR_RETURN(MissingReport r, svc->Update(ActorOf(req), id, version, std::move(f)));
               req.audited = true;
               return http::Response::Json(svc->ToJson(r, req.principal->Can("pii.reveal")));
             });

  router.Post(base + "/missing-reports/{id}/status", Options("tracing.write", "rescue.report.status"),
              [svc](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", ReportNotFound()));
                req.audit_object_type = "rescue_missing_report";
                req.audit_object_id = std::to_string(id);
                DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
                DOUDI_ASSIGN_OR_RETURN(int64_t version, VersionOf(body));
                std::string status;
                DOUDI_RETURN_IF_ERROR(TextField(body, "status", &status));
                DOUDI_ASSIGN_OR_RETURN(MissingReport r,
                                       svc->SetStatus(ActorOf(req), id, version, status, ReasonOf(body)));
                req.audited = true;
                return http::Response::Json(svc->ToJson(r, req.principal->Can("pii.reveal")));
              });

  router.Post(base + "/dna-requests/{id}/str", Options("tracing.write", "rescue.dna.str_import"),
              [svc](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", Status::NotFound("rescue.dna.not_found",
                                                                                    "DNA 采样记录不存在")));
                req.audit_object_type = "rescue_dna_request";
                req.audit_object_id = std::to_string(id);
                DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
                auto it = body.find("profile");
                if (it == body.end()) return Status::InvalidField("profile", "rescue.str.profile", "请提供 STR 分型 profile");
                DOUDI_ASSIGN_OR_RETURN(DnaRequest d, svc->ImportStr(ActorOf(req), id, *it));
                req.audited = true;
                json out = DnaJson(d);
                out["str_profile"] = *it;
                return http::Response::Json(out);
              });

  router.Post(base + "/cases/{id}/match", Options("tracing.write", "rescue.case.match"),
              [svc](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", internal::CaseNotFound()));
                req.audit_object_type = "rescue_case";
                req.audit_object_id = std::to_string(id);
                DOUDI_ASSIGN_OR_RETURN(MatchResult m, svc->MatchCase(ActorOf(req), id));
                req.audited = true;
                json items = json::array();
                for (const auto& c : m.candidates) items.push_back(CandidateJson(c));
                return http::Response::Json({{"case_id", id}, {"reports_compared", m.reports_compared}, {"items", items}});
              });
}

}  // namespace doudi::rescue
