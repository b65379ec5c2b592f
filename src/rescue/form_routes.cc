#include "rescue/form_routes.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/time.h"
#include "http/download.h"
#include "registry/actor_event.h"
#include "rescue/forms.h"
#include "rescue/institution_route_util.h"

namespace doudi::rescue {
namespace {

using nlohmann::json;
using namespace routes;

Result<int64_t> CaseId(const http::Request& req) {
  return PathId(req, "id", Status::NotFound("rescue.case.not_found", "救助记录不存在或不在您的管辖范围内"));
}

http::RouteOptions Read() { return Options("rescue.read"); }

}  // namespace

void RegisterRescueFormRoutes(http::Router& router, RescueService& service, platform::AuditLog& audit_log) {
  RescueService* svc = &service;
  platform::AuditLog* audit = &audit_log;
  const std::string base = "/api/v1/rescue/cases/{id}/forms";

  router.Get(base, Read(), [svc](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(int64_t id, CaseId(req));
    DOUDI_ASSIGN_OR_RETURN(json page, svc->CaseDetail(ActorOf(req), id));
    json items = json::array();
    for (const auto& code : ApplicableForms(page)) {
      for (const auto& f : RescueForms()) {
        if (code == f.code) items.push_back({{"code", f.code}, {"title", f.title}, {"number", FormNumber(code, page)}});
      }
    }
    return http::Response::Json({{"items", items}});
  });

  // The router's parameters are whole segments: "{form}" holds "intake.pdf".
  router.Get(base + "/{form}", Read(), [svc, audit](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(int64_t id, CaseId(req));
    std::string form = req.Param("form");
    const std::string suffix = ".pdf";
    if (form.size() <= suffix.size() || form.compare(form.size() - suffix.size(), suffix.size(), suffix) != 0) {
      return Status::InvalidField("form", "rescue.form.unknown", "表单地址应以 .pdf 结尾，如 intake.pdf");
    }
    form.resize(form.size() - suffix.size());
    // The scope check (404) comes before the form's: another station's case is not found, whatever the form.
    DOUDI_ASSIGN_OR_RETURN(json page, svc->CaseDetail(ActorOf(req), id));
    FormOptions o;
    o.printed_at = NowUtcIso();
    o.printed_by = req.principal->display_name.empty() ? req.principal->username : req.principal->display_name;
    DOUDI_ASSIGN_OR_RETURN(std::string pdf, RenderForm(form, page, o));
    DOUDI_RETURN_IF_ERROR(audit->Append(registry::ActorEvent(ActorOf(req), "rescue.form.download", "rescue_case", id,
                                                             json{{"form", form}, {"number", FormNumber(form, page)}}.dump())));
    std::string title;
    for (const auto& f : RescueForms()) {
      if (form == f.code) title = f.title;
    }
    const std::string name = page["case"].value("name", "");
    return http::Download(std::move(pdf), http::kPdfType, fmt::format("rescue-{}-{}.pdf", id, form),
                          fmt::format("{}-{}-{}.pdf", title, name.empty() ? "无名氏" : name, id));
  });
}

}  // namespace doudi::rescue
