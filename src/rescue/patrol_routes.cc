#include "rescue/patrol_routes.h"

#include "registry/json.h"
#include "rescue/institution_json.h"
#include "rescue/institution_route_util.h"
#include "rescue/patrol_json.h"

namespace doudi::rescue {
namespace {

using nlohmann::json;
using namespace routes;

Status PatrolNotFound() { return Status::NotFound("rescue.patrol.not_found", "巡查记录不存在或不在您的管辖范围内"); }

}  // namespace

void RegisterPatrolRoutes(http::Router& router, PatrolService& service) {
  PatrolService* svc = &service;

  router.Get("/api/v1/rescue/patrols", Options("rescue.read"), [svc](http::Request& req) -> Result<http::Response> {
    PatrolQuery q;
    q.division = QueryOr(req, "division");
    q.from = QueryOr(req, "from");
    q.to = QueryOr(req, "to");
    q.member = QueryOr(req, "member");
    q.action = QueryOr(req, "action");
    DOUDI_ASSIGN_OR_RETURN(auto page, req.Page());
    q.page = page.first;
    q.size = page.second;
    DOUDI_ASSIGN_OR_RETURN(auto found, svc->Search(ActorOf(req), q));
    return http::Response::Json(
        registry::PageJson(found, [&](const Patrol& p) { return PatrolJson(p, svc->divisions()); }));
  });

  router.Post("/api/v1/rescue/patrols", Options("rescue.write", "rescue.patrol.create"),
              [svc](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
                PatrolFields f;
                DOUDI_RETURN_IF_ERROR(PatrolFieldsFromJson(body, &f));
                req.audit_object_type = "rescue_patrol";
                DOUDI_ASSIGN_OR_RETURN(Patrol p, svc->Create(ActorOf(req), std::move(f)));
                req.audit_object_id = std::to_string(p.id);
                req.audited = true;
                return http::Response::Json(PatrolJson(p, svc->divisions()), 201);
              });

  router.Get("/api/v1/rescue/patrols/{id}", Options("rescue.read"), [svc](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", PatrolNotFound()));
    DOUDI_ASSIGN_OR_RETURN(Patrol p, svc->Get(ActorOf(req), id));
    return http::Response::Json(PatrolJson(p, svc->divisions()));
  });

  router.Put("/api/v1/rescue/patrols/{id}", Options("rescue.write", "rescue.patrol.correct"),
             [svc](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(auto w, StartCorrection(req, PatrolNotFound(), "rescue_patrol"));
               PatrolFields f;
               DOUDI_RETURN_IF_ERROR(PatrolFieldsFromJson(w.body, &f));
               DOUDI_ASSIGN_OR_RETURN(Patrol p,
                                      svc->Correct(ActorOf(req), w.id, w.version, std::move(f), ReasonOf(w.body)));
               req.audited = true;
               return http::Response::Json(PatrolJson(p, svc->divisions()));
             });

  router.Get("/api/v1/rescue/patrols/{id}/history", Options("rescue.read"),
             [svc](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", PatrolNotFound()));
               DOUDI_ASSIGN_OR_RETURN(auto h, svc->History(ActorOf(req), id));
               return http::Response::Json(HistoryListJson(h));
             });
}

}  // namespace doudi::rescue
