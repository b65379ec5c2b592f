#include "app/job_routes.h"

#include <cstdlib>

#include <nlohmann/json.hpp>

namespace doudi::app {
namespace {

using nlohmann::json;

json OptText(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

Result<int64_t> JobId(const http::Request& req) {
  const std::string s = req.Param("id");
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || *end || v <= 0) return Status::NotFound("job.not_found", "任务不存在");
  return static_cast<int64_t>(v);
}

}  // namespace

json JobJson(const platform::Job& j) {
  json result = nullptr;
  if (j.result) {
    result = json::parse(*j.result, nullptr, /*allow_exceptions=*/false);
    if (result.is_discarded()) result = *j.result;  // not JSON after all: shown as the text it is
  }
  return {{"id", j.id},
          {"kind", j.kind},
          {"title", j.title},
          {"status", std::string(platform::JobStatusText(j.status))},
          {"status_name", std::string(platform::JobStatusName(j.status))},
          {"progress_done", j.progress_done},
          {"progress_total", j.progress_total},
          {"percent", j.percent()},
          {"message", j.message},
          {"result", std::move(result)},
          {"error", OptText(j.error)},
          {"cancel_requested", j.cancel_requested},
          {"created_by", j.created_by},
          {"created_by_name", j.created_by_name},
          {"created_at", j.created_at},
          {"started_at", OptText(j.started_at)},
          {"finished_at", OptText(j.finished_at)}};
}

void RegisterJobRoutes(http::Router& router, platform::JobsService& jobs) {
  router.Get("/api/v1/jobs", {.permission = "job.read"}, [&jobs](http::Request& req) -> Result<http::Response> {
    platform::JobQuery q;
    DOUDI_ASSIGN_OR_RETURN(auto page, req.Page());
    q.page = page.first;
    q.size = page.second;
    if (auto s = req.Query("status"); s && !s->empty()) {
      platform::JobStatus status;
      if (!platform::ParseJobStatus(*s, &status)) {
        return Status::InvalidField("status", "job.status",
                                    "任务状态应为 queued、running、succeeded、failed 或 cancelled");
      }
      q.status = status;
    }
    if (auto k = req.Query("kind"); k && !k->empty()) q.kind = *k;
    DOUDI_ASSIGN_OR_RETURN(auto found, jobs.List(*req.principal, q));
    json items = json::array();
    for (const auto& j : found.first) items.push_back(JobJson(j));
    return http::Response::Json({{"items", items}, {"total", found.second}, {"page", q.page}, {"size", q.size}});
  });

  router.Get("/api/v1/jobs/{id}", {.permission = "job.read"}, [&jobs](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(auto id, JobId(req));
    DOUDI_ASSIGN_OR_RETURN(auto job, jobs.Get(*req.principal, id));
    return http::Response::Json(JobJson(job));
  });

  router.Post("/api/v1/jobs/{id}/cancel", {.permission = "job.read", .audit_action = "job.cancel"},
              [&jobs](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(auto id, JobId(req));
                req.audit_object_type = "job";
                req.audit_object_id = std::to_string(id);
                DOUDI_ASSIGN_OR_RETURN(auto job, jobs.Cancel(*req.principal, id));
                req.audited = true;  // the service wrote the row in its transaction
                return http::Response::Json(JobJson(job));
              });
}

}  // namespace doudi::app
