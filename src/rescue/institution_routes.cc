#include "rescue/institution_routes.h"

#include "platform/bytes.h"
#include "registry/json.h"
#include "rescue/institution_json.h"
#include "rescue/institution_route_util.h"

namespace doudi::rescue {
namespace {

using nlohmann::json;
using namespace routes;

Status InstitutionNotFound() {
  return Status::NotFound("rescue.institution.not_found", "托养机构不存在或不在您的管辖范围内");
}
Status InspectionNotFound() {
  return Status::NotFound("rescue.inspection.not_found", "检查记录不存在或不在您的管辖范围内");
}
Status RectificationNotFound() {
  return Status::NotFound("rescue.rectification.not_found", "整改通知不存在或不在您的管辖范围内");
}

Result<std::optional<int>> OptionalInt(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::optional<int>();
  if (!it->is_number_integer()) return Status::InvalidField(key, "rescue.field.type", std::string("字段 ") + key + " 应为整数");
  int64_t v = it->get<int64_t>();
  return std::optional<int>(v < -1 ? -1 : (v > 100000 ? 100000 : static_cast<int>(v)));
}

}  // namespace

void RegisterInstitutionRoutes(http::Router& router, InstitutionService& service) {
  InstitutionService* svc = &service;

  router.Get("/api/v1/rescue/institutions/checklist", Options("institution.read"),
             [](http::Request&) -> Result<http::Response> {
               json items = json::array();
               for (const auto& d : InspectionChecklist()) {
                 items.push_back({{"code", d.code}, {"name", d.name}, {"max", d.max}, {"guide", d.guide}});
               }
               return http::Response::Json({{"items", items}});
             });

  // --- institutions ---
  router.Get("/api/v1/rescue/institutions", Options("institution.read"),
             [svc](http::Request& req) -> Result<http::Response> {
               InstitutionQuery q;
               q.name = QueryOr(req, "name");
               q.kind = QueryOr(req, "kind");
               q.division = QueryOr(req, "division");
               q.status = QueryOr(req, "status");
               q.contract_expiring = QueryFlag(req, "contract_expiring");
               DOUDI_ASSIGN_OR_RETURN(auto page, req.Page());
               q.page = page.first;
               q.size = page.second;
               DOUDI_ASSIGN_OR_RETURN(auto found, svc->SearchInstitutions(ActorOf(req), q));
               const std::string today = svc->Today();
               return http::Response::Json(registry::PageJson(
                   found, [&](const Institution& i) { return InstitutionJson(i, svc->divisions(), today); }));
             });

  router.Post("/api/v1/rescue/institutions", Options("institution.write", "rescue.institution.create"),
              [svc](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
                InstitutionFields f;
                DOUDI_RETURN_IF_ERROR(InstitutionFieldsFromJson(body, &f));
                req.audit_object_type = "rescue_institution";
                DOUDI_ASSIGN_OR_RETURN(Institution i, svc->CreateInstitution(ActorOf(req), std::move(f)));
                req.audit_object_id = std::to_string(i.id);
                req.audited = true;
                return http::Response::Json(InstitutionJson(i, svc->divisions(), svc->Today()), 201);
              });

  router.Get("/api/v1/rescue/institutions/{id}", Options("institution.read"),
             [svc](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", InstitutionNotFound()));
               DOUDI_ASSIGN_OR_RETURN(Institution i, svc->GetInstitution(ActorOf(req), id));
               return http::Response::Json(InstitutionJson(i, svc->divisions(), svc->Today()));
             });

  router.Put("/api/v1/rescue/institutions/{id}", Options("institution.write", "rescue.institution.correct"),
             [svc](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(auto w, StartCorrection(req, InstitutionNotFound(), "rescue_institution"));
               InstitutionFields f;
               DOUDI_RETURN_IF_ERROR(InstitutionFieldsFromJson(w.body, &f));
               DOUDI_ASSIGN_OR_RETURN(Institution i, svc->CorrectInstitution(ActorOf(req), w.id, w.version, std::move(f),
                                                                             ReasonOf(w.body)));
               req.audited = true;
               return http::Response::Json(InstitutionJson(i, svc->divisions(), svc->Today()));
             });

  router.Get("/api/v1/rescue/institutions/{id}/history", Options("institution.read"),
             [svc](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", InstitutionNotFound()));
               DOUDI_ASSIGN_OR_RETURN(auto h, svc->History(ActorOf(req), "rescue_institution", id));
               return http::Response::Json(HistoryListJson(h));
             });

  // --- inspections ---
  router.Get("/api/v1/rescue/institutions/{id}/inspections", Options("institution.read"),
             [svc](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", InstitutionNotFound()));
               DOUDI_ASSIGN_OR_RETURN(auto list, svc->InspectionsOf(ActorOf(req), id));
               json items = json::array();
               for (const auto& s : list) items.push_back(InspectionJson(s));
               return http::Response::Json({{"items", items}, {"total", list.size()}});
             });

  router.Post("/api/v1/rescue/institutions/{id}/inspections",
              Options("institution.write", "rescue.inspection.create"),
              [svc](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(auto w, StartWrite(req, InstitutionNotFound(), "rescue_institution"));
                InspectionFields f;
                DOUDI_RETURN_IF_ERROR(InspectionFieldsFromJson(w.body, &f));
                DOUDI_ASSIGN_OR_RETURN(Inspection s, svc->CreateInspection(ActorOf(req), w.id, std::move(f)));
                MarkAudited(req, "rescue_inspection", s.id);
                req.audited = true;
                return http::Response::Json(InspectionJson(s), 201);
              });

  router.Get("/api/v1/rescue/institutions/inspections/{id}", Options("institution.read"),
             [svc](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", InspectionNotFound()));
               DOUDI_ASSIGN_OR_RETURN(Inspection s, svc->GetInspection(ActorOf(req), id));
               json j = InspectionJson(s);
               json rects = json::array();
               const std::string today = svc->Today();
               for (const auto& r : s.rectifications) rects.push_back(RectificationJson(r, today));
               j["rectifications"] = rects;
               return http::Response::Json(j);
             });

  router.Put("/api/v1/rescue/institutions/inspections/{id}",
             Options("institution.write", "rescue.inspection.correct"),
             [svc](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(auto w, StartCorrection(req, InspectionNotFound(), "rescue_inspection"));
               InspectionFields f;
               DOUDI_RETURN_IF_ERROR(InspectionFieldsFromJson(w.body, &f));
               DOUDI_ASSIGN_OR_RETURN(Inspection s, svc->CorrectInspection(ActorOf(req), w.id, w.version, std::move(f),
                                                                           ReasonOf(w.body)));
               req.audited = true;
               return http::Response::Json(InspectionJson(s));
             });

  router.Get("/api/v1/rescue/institutions/inspections/{id}/history", Options("institution.read"),
             [svc](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", InspectionNotFound()));
               DOUDI_ASSIGN_OR_RETURN(auto h, svc->History(ActorOf(req), "rescue_inspection", id));
               return http::Response::Json(HistoryListJson(h));
             });

  // Photos travel as base64 in JSON (the console reads the file with FileReader); the limits are the
  // service's (type by magic bytes, size).
  router.Post("/api/v1/rescue/institutions/inspections/{id}/photos",
              Options("institution.write", "rescue.inspection.photo_add"),
              [svc](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(auto w, StartWrite(req, InspectionNotFound(), "rescue_inspection"));
                std::string file_name, content_type, data, caption;
                DOUDI_RETURN_IF_ERROR(TextFrom(w.body, "file_name", &file_name));
                DOUDI_RETURN_IF_ERROR(TextFrom(w.body, "content_type", &content_type));
                DOUDI_RETURN_IF_ERROR(TextFrom(w.body, "data", &data));
                DOUDI_RETURN_IF_ERROR(TextFrom(w.body, "caption", &caption));
                std::string bytes;
                if (!platform::FromBase64(data, &bytes)) {
                  return Status::InvalidField("data", "rescue.photo.base64", "照片数据不是有效的 base64 编码");
                }
                DOUDI_ASSIGN_OR_RETURN(InspectionPhoto p,
                                       svc->AddPhoto(ActorOf(req), w.id, file_name, content_type, bytes, caption));
                req.audited = true;
                return http::Response::Json(PhotoJson(p), 201);
              });

  router.Get("/api/v1/rescue/institutions/photos/{id}", Options("institution.read"),
             [svc](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", Status::NotFound("rescue.photo.not_found",
                                                                                     "照片不存在或不在您的管辖范围内")));
               DOUDI_ASSIGN_OR_RETURN(auto photo, svc->GetPhoto(ActorOf(req), id));
               http::Response r;
               r.status = 200;
               r.body = std::move(photo.second);
               r.content_type = photo.first.content_type;
               r.headers.push_back({"Cache-Control", "private, max-age=3600"});
               r.headers.push_back({"X-Content-Type-Options", "nosniff"});
               return r;
             });

  // --- rectifications ---
  router.Post("/api/v1/rescue/institutions/inspections/{id}/rectifications",
              Options("institution.write", "rescue.rectification.order"),
              [svc](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(auto w, StartWrite(req, InspectionNotFound(), "rescue_inspection"));
                NewRectification order;
                DOUDI_RETURN_IF_ERROR(TextFrom(w.body, "requirement", &order.requirement));
                DOUDI_RETURN_IF_ERROR(TextFrom(w.body, "issued_on", &order.issued_on));
                DOUDI_RETURN_IF_ERROR(TextFrom(w.body, "deadline", &order.deadline));
                DOUDI_ASSIGN_OR_RETURN(order.working_days, OptionalInt(w.body, "working_days"));
                DOUDI_ASSIGN_OR_RETURN(Rectification r, svc->OrderRectification(ActorOf(req), w.id, std::move(order)));
                MarkAudited(req, "rescue_rectification", r.id);
                req.audited = true;
                return http::Response::Json(RectificationJson(r, svc->Today()), 201);
              });

  router.Get("/api/v1/rescue/institutions/rectifications", Options("institution.read"),
             [svc](http::Request& req) -> Result<http::Response> {
               RectificationQuery q;
               q.state = QueryOr(req, "state");
               q.overdue = QueryFlag(req, "overdue");
               q.due_before = QueryOr(req, "due_before");
               if (std::string inst = QueryOr(req, "institution_id"); !inst.empty()) {
                 auto [p, ec] = std::from_chars(inst.data(), inst.data() + inst.size(), q.institution_id);
                 if (ec != std::errc() || p != inst.data() + inst.size() || q.institution_id <= 0) {
                   return Status::InvalidField("institution_id", "rescue.field.type", "institution_id 应为正整数");
                 }
               }
               DOUDI_ASSIGN_OR_RETURN(auto page, req.Page());
               q.page = page.first;
               q.size = page.second;
               DOUDI_ASSIGN_OR_RETURN(auto found, svc->SearchRectifications(ActorOf(req), q));
               const std::string today = svc->Today();
               return http::Response::Json(
                   registry::PageJson(found, [&](const Rectification& r) { return RectificationJson(r, today); }));
             });

  router.Get("/api/v1/rescue/institutions/rectifications/{id}", Options("institution.read"),
             [svc](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", RectificationNotFound()));
               DOUDI_ASSIGN_OR_RETURN(Rectification r, svc->GetRectification(ActorOf(req), id));
               return http::Response::Json(RectificationJson(r, svc->Today()));
             });

  router.Post("/api/v1/rescue/institutions/rectifications/{id}/follow-ups",
              Options("institution.write", "rescue.rectification.follow_up"),
              [svc](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(auto w, StartCorrection(req, RectificationNotFound(), "rescue_rectification"));
                std::string action, note, new_deadline;
                DOUDI_RETURN_IF_ERROR(TextFrom(w.body, "action", &action));
                DOUDI_RETURN_IF_ERROR(TextFrom(w.body, "note", &note));
                DOUDI_RETURN_IF_ERROR(TextFrom(w.body, "new_deadline", &new_deadline));
                DOUDI_ASSIGN_OR_RETURN(auto days, OptionalInt(w.body, "new_working_days"));
                DOUDI_ASSIGN_OR_RETURN(Rectification r,
                                       svc->FollowUp(ActorOf(req), w.id, w.version, action, note, new_deadline, days));
                req.audited = true;
                return http::Response::Json(RectificationJson(r, svc->Today()), 201);
              });
}

}  // namespace doudi::rescue
