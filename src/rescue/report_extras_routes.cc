#include "rescue/report_extras_routes.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/text.h"
#include "registry/actor_event.h"
#include "registry/validate.h"
#include "rescue/institution_route_util.h"
#include "rescue/report_candidates.h"
#include "tracing/dna/frequencies.h"

namespace doudi::rescue {
namespace {

using nlohmann::json;
using namespace routes;

// The table is embedded and never changes while the server runs: built once.
Result<json> LociJson() {
  DOUDI_ASSIGN_OR_RETURN(auto freq, dna::AlleleFrequencies::Default());
  json items = json::array();
  for (int i = 0; i < freq.num_loci(); ++i) {
    const auto& l = freq.locus(i);
    std::vector<int> tenths(l.tenths.begin() + 1, l.tenths.begin() + 1 + l.listed);
    std::sort(tenths.begin(), tenths.end());
    json alleles = json::array();
    for (int t : tenths) alleles.push_back(dna::FormatAllele(t));
    items.push_back({{"name", l.name}, {"alleles", std::move(alleles)}});
  }
  return json{{"items", std::move(items)}, {"total", freq.num_loci()}};
}

}  // namespace

void RegisterReportExtraRoutes(http::Router& router, db::Database& db, std::shared_ptr<MissingReportService> reports,
                               platform::AuditLog& audit_log) {
  platform::AuditLog* audit = &audit_log;

  router.Get("/api/v1/tracing/str-loci", Options("tracing.read"), [](http::Request&) -> Result<http::Response> {
    static const Result<json> loci = LociJson();
    if (!loci.ok()) return loci.status();
    return http::Response::Json(*loci);
  });

  auto candidates = std::make_shared<ReportCandidates>(db, *reports);
  router.Get("/api/v1/rescue/missing-reports/{id}/candidates", Options("tracing.read"),
             [candidates](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(
                   int64_t id, PathId(req, "id", Status::NotFound("rescue.report.not_found",
                                                                  "寻人登记不存在或不在您的管辖范围内")));
               DOUDI_ASSIGN_OR_RETURN(auto list, candidates->List(ActorOf(req), id));
               json items = json::array();
               for (const auto& c : list) items.push_back(ReportCandidateJson(c, Divisions::Default()));
               return http::Response::Json({{"items", items}, {"total", list.size()}});
             });

  router.Post("/api/v1/rescue/missing-reports/{id}/reveal", Options("tracing.read"),
              [reports, audit](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(
                    int64_t id, PathId(req, "id", Status::NotFound("rescue.report.not_found",
                                                                   "寻人登记不存在或不在您的管辖范围内")));
                req.audit_object_type = "rescue_missing_report";
                req.audit_object_id = std::to_string(id);
                auto event = [&](const std::string& detail) {
                  return registry::ActorEvent(ActorOf(req), "pii.reveal", "rescue_missing_report", id, detail);
                };
                if (!req.principal->Can("pii.reveal")) {
                  auto e = event("");
                  e.outcome = "denied";
                  (void)audit->Append(std::move(e));  // best effort: the refusal stands even if it is not recorded
                  return Status::Forbidden("rescue.report.reveal_forbidden", "您的角色无权查看完整的联系电话");
                }
                DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
                std::string purpose;
                if (auto it = body.find("purpose"); it != body.end() && it->is_string()) purpose = it->get<std::string>();
                purpose = std::string(Trim(purpose));
                int len = registry::Utf8Chars(purpose);
                if (len < 4) {
                  return Status::InvalidField("purpose", "rescue.report.reveal_purpose", "查看完整信息须填写查看用途（至少 4 个字）");
                }
                if (len > 200) return Status::InvalidField("purpose", "rescue.report.reveal_purpose", "查看用途不能超过 200 个字");
                // Get checks the scope (404 outside) and records the view.
                DOUDI_ASSIGN_OR_RETURN(MissingReport r, reports->Get(ActorOf(req), id));
                DOUDI_RETURN_IF_ERROR(audit->Append(
                    event(json{{"purpose", purpose}, {"fields", json::array({"reporter_phone"})}}.dump())));
                req.audited = true;
                return http::Response::Json({{"id", id}, {"reporter_phone", r.reporter_phone}});
              });
}

}  // namespace doudi::rescue
