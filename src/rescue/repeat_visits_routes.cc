#include "rescue/repeat_visits_routes.h"

#include "rescue/institution_route_util.h"
#include "rescue/internal.h"

namespace doudi::rescue {
namespace {

using nlohmann::json;
using namespace routes;

Result<json> ListJson(RepeatVisitService& svc, const registry::Actor& actor, int64_t case_id,
                      const std::vector<RepeatSuggestion>& items) {
  json out = json::array();
  for (const auto& s : items) {
    DOUDI_ASSIGN_OR_RETURN(json j, svc.ToJson(actor, s));
    out.push_back(std::move(j));
  }
  return json{{"case_id", case_id}, {"items", out}};
}

}  // namespace

void RegisterRepeatVisitRoutes(http::Router& router, RepeatVisitService& service) {
  const std::string base = "/api/v1/rescue/cases/{id}/repeat-visits";
  RepeatVisitService* svc = &service;

  router.Get(base, Options("rescue.read"), [svc](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", internal::CaseNotFound()));
    DOUDI_ASSIGN_OR_RETURN(auto items, svc->List(ActorOf(req), id, QueryFlag(req, "all")));
    DOUDI_ASSIGN_OR_RETURN(json out, ListJson(*svc, ActorOf(req), id, items));
    return http::Response::Json(out);
  });

  router.Post(base + "/search", Options("rescue.write", "rescue.repeat.search"),
              [svc](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", internal::CaseNotFound()));
                req.audit_object_type = "rescue_case";
                req.audit_object_id = std::to_string(id);
                DOUDI_ASSIGN_OR_RETURN(auto items, svc->Search(ActorOf(req), id));
                req.audited = true;
                DOUDI_ASSIGN_OR_RETURN(json out, ListJson(*svc, ActorOf(req), id, items));
                return http::Response::Json(out);
              });

  using Decide = Result<RepeatSuggestion> (RepeatVisitService::*)(const registry::Actor&, int64_t, int64_t, int64_t,
                                                                  const std::string&);
  for (auto [verb, method] : {std::pair<const char*, Decide>{"confirm", &RepeatVisitService::Confirm},
                              std::pair<const char*, Decide>{"reject", &RepeatVisitService::Reject},
                              std::pair<const char*, Decide>{"undo", &RepeatVisitService::Undo}}) {
    router.Post(base + "/{sid}/" + verb, Options("rescue.write", std::string("rescue.repeat.") + verb),
                [svc, method](http::Request& req) -> Result<http::Response> {
                  DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", internal::CaseNotFound()));
                  DOUDI_ASSIGN_OR_RETURN(int64_t sid, PathId(req, "sid", Status::NotFound("rescue.repeat.not_found",
                                                                                      "重复求助比对建议不存在")));
                  req.audit_object_type = "rescue_case";
                  req.audit_object_id = std::to_string(id);
                  DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
                  DOUDI_ASSIGN_OR_RETURN(int64_t version, VersionOf(body));
                  DOUDI_ASSIGN_OR_RETURN(RepeatSuggestion s, (svc->*method)(ActorOf(req), id, sid, version, ReasonOf(body)));
                  req.audited = true;
                  DOUDI_ASSIGN_OR_RETURN(json out, svc->ToJson(ActorOf(req), s));
                  return http::Response::Json(out);
                });
  }
}

}  // namespace doudi::rescue
