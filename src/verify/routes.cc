#include "verify/routes.h"

#include <charconv>

#include <nlohmann/json.hpp>

#include "http/json_fields.h"
#include "registry/json.h"
#include "verify/json.h"

namespace doudi::verify {
namespace {

using nlohmann::json;

// A path or query id that is not a positive integer names no record.
Result<int64_t> ParseId(const std::string& s, const Status& bad) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v <= 0) return bad;
  return v;
}

Result<int64_t> PathId(const http::Request& req, const Status& not_found) { return ParseId(req.Param("id"), not_found); }

Status HouseholdNotFound() {
  return Status::NotFound("verify.household.not_found", "家庭户不存在或不在您的管辖范围内");
}

http::RouteOptions Options(std::string permission, std::string audit_action = "") {
  http::RouteOptions o;
  o.permission = std::move(permission);
  o.audit_action = std::move(audit_action);
  return o;
}

Actor ActorOf(const http::Request& req) { return Actor(*req.principal, req.ip, req.request_id); }
std::string QueryOr(const http::Request& req, const std::string& name) { return req.Query(name).value_or(""); }

// An optional integer query parameter; anything else is a field error.
Result<std::optional<int64_t>> QueryId(const http::Request& req, const std::string& name) {
  std::string s = QueryOr(req, name);
  if (s.empty()) return std::optional<int64_t>();
  DOUDI_ASSIGN_OR_RETURN(int64_t v, ParseId(s, Status::InvalidField(name, "verify." + name, name + " 应为正整数")));
  return std::optional<int64_t>(v);
}

Result<bool> QueryBool(const http::Request& req, const std::string& name) {
  std::string s = QueryOr(req, name);
  if (s.empty() || s == "false" || s == "0") return false;
  if (s == "true" || s == "1") return true;
  return Status::InvalidField(name, "verify." + name, name + " 应为 true 或 false");
}

std::string OptionalString(const json& body, const char* key) {
  auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : "";
}

template <typename T, typename F>
json PageOf(const Page<T>& page, F to_json) {
  return registry::PageJson(page, to_json);
}

}  // namespace

void RegisterVerifyRoutes(http::Router& router, VerifyService& service, const Divisions& divisions) {
  VerifyService* svc = &service;
  const Divisions* div = &divisions;

  // --- feeds ---
  router.Get("/api/v1/verify/sources", Options("verify.read"),
             [](http::Request&) -> Result<http::Response> { return http::Response::Json(SourcesJson()); });

  router.Get("/api/v1/verify/feeds", Options("verify.read"), [svc](http::Request& req) -> Result<http::Response> {
    FeedBatchQuery q;
    q.source = QueryOr(req, "source");
    q.period = QueryOr(req, "period");
    q.status = QueryOr(req, "status");
    DOUDI_ASSIGN_OR_RETURN(auto page, req.Page());
    q.page = page.first;
    q.size = page.second;
    DOUDI_ASSIGN_OR_RETURN(auto found, svc->ListFeedBatches(ActorOf(req), q));
    return http::Response::Json(PageOf(found, FeedBatchJson));
  });

  router.Post("/api/v1/verify/feeds", Options("verify.write", "verify.feed.upload"),
              [svc](http::Request& req) -> Result<http::Response> {
                FeedUpload u;
                u.source = QueryOr(req, "source");
                u.period = QueryOr(req, "period");
                u.filename = QueryOr(req, "filename");
                std::string on_reject = QueryOr(req, "on_reject");
                if (on_reject == "keep_good") {
                  u.on_reject = OnReject::kKeepGood;
                } else if (!on_reject.empty() && on_reject != "all_or_nothing") {
                  return Status::InvalidField("on_reject", "verify.feed.on_reject",
                                              "on_reject 应为 all_or_nothing（整批）或 keep_good（导入正确行）");
                }
                DOUDI_ASSIGN_OR_RETURN(u.force, QueryBool(req, "force"));
                // The contract takes the file as the body itself; a form post would be read as a broken CSV.
                if (auto ct = req.headers.find("content-type"); ct != req.headers.end() && ct->second.starts_with("multipart/")) {
                  return Status::InvalidField("file", "verify.feed.content_type",
                                              "请将文件内容直接作为请求体上传（不支持 multipart 表单）");
                }
                u.bytes = std::move(req.body);
                req.audit_object_type = "feed_batch";
                DOUDI_ASSIGN_OR_RETURN(auto started, svc->UploadFeed(ActorOf(req), std::move(u)));
                req.audit_object_id = std::to_string(started.record.id);
                req.audited = true;
                return http::Response::Json({{"batch", FeedBatchJson(started.record)}, {"job_id", started.job_id}}, 202);
              });

  const Status feed_not_found = Status::NotFound("verify.feed.not_found", "数据批次不存在");
  router.Get("/api/v1/verify/feeds/{id}", Options("verify.read"),
             [svc, feed_not_found](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, feed_not_found));
               DOUDI_ASSIGN_OR_RETURN(FeedBatch b, svc->GetFeedBatch(ActorOf(req), id));
               return http::Response::Json(FeedBatchJson(b));
             });

  router.Get("/api/v1/verify/feeds/{id}/rejects", Options("verify.read"),
             [svc, feed_not_found](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, feed_not_found));
               DOUDI_ASSIGN_OR_RETURN(auto page, req.Page());
               DOUDI_ASSIGN_OR_RETURN(auto found, svc->ListRejects(ActorOf(req), id, page.first, page.second));
               return http::Response::Json(PageOf(found, FeedRejectJson));
             });

  // --- authorisations ---
  router.Get("/api/v1/verify/households/{id}/authorisations", Options("verify.read"),
             [svc](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, HouseholdNotFound()));
               DOUDI_ASSIGN_OR_RETURN(auto h, svc->GetAuthorisations(ActorOf(req), id));
               return http::Response::Json(HouseholdAuthorisationsJson(h));
             });

  router.Post("/api/v1/verify/households/{id}/authorisations",
              Options("verify.write", "verify.authorisation.create"),
              [svc](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, HouseholdNotFound()));
                req.audit_object_type = "household";
                req.audit_object_id = std::to_string(id);
                DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
                NewAuthorisation a;
                DOUDI_ASSIGN_OR_RETURN(a.person_id, registry::RequiredInt(body, "person_id"));
                DOUDI_ASSIGN_OR_RETURN(a.signed_on, http::StringField(body, "signed_on"));
                DOUDI_ASSIGN_OR_RETURN(a.signer_name, http::StringField(body, "signer_name"));
                DOUDI_ASSIGN_OR_RETURN(a.form_file, http::StringField(body, "form_file"));
                DOUDI_ASSIGN_OR_RETURN(a.guardian_name, http::StringField(body, "guardian_name", false));
                DOUDI_ASSIGN_OR_RETURN(a.guardian_id_number, http::StringField(body, "guardian_id_number", false));
                DOUDI_ASSIGN_OR_RETURN(a.guardian_relation, http::StringField(body, "guardian_relation", false));
                DOUDI_ASSIGN_OR_RETURN(a.notes, http::StringField(body, "notes", false));
                if (auto it = body.find("signed_by_guardian"); it != body.end() && !it->is_null()) {
                  if (!it->is_boolean()) {
                    return Status::InvalidField("signed_by_guardian", "http.bad_type", "signed_by_guardian 应为 true 或 false");
                  }
                  a.signed_by_guardian = it->get<bool>();
                }
                DOUDI_ASSIGN_OR_RETURN(Authorisation out, svc->RecordAuthorisation(ActorOf(req), id, std::move(a)));
                req.audit_object_type = "verify_authorisation";
                req.audit_object_id = std::to_string(out.id);
                req.audited = true;
                return http::Response::Json(AuthorisationJson(out), 201);
              });

  router.Post("/api/v1/verify/authorisations/{id}/revoke",
              Options("verify.write", "verify.authorisation.revoke"),
              [svc](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(
                    int64_t id, PathId(req, Status::NotFound("verify.authorisation.not_found",
                                                             "授权书不存在或不在您的管辖范围内")));
                req.audit_object_type = "verify_authorisation";
                req.audit_object_id = std::to_string(id);
                DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
                DOUDI_ASSIGN_OR_RETURN(int64_t version, registry::RequiredInt(body, "version"));
                std::string reason = OptionalString(body, "reason");
                DOUDI_ASSIGN_OR_RETURN(Authorisation out, svc->RevokeAuthorisation(ActorOf(req), id, version, reason));
                req.audited = true;
                return http::Response::Json(AuthorisationJson(out));
              });

  // --- requests ---
  router.Get("/api/v1/verify/requests", Options("verify.read"), [svc, div](http::Request& req) -> Result<http::Response> {
    VerificationQuery q;
    DOUDI_ASSIGN_OR_RETURN(q.household_id, QueryId(req, "household_id"));
    DOUDI_ASSIGN_OR_RETURN(q.batch_id, QueryId(req, "batch_id"));
    q.decision = QueryOr(req, "decision");
    q.flag = QueryOr(req, "flag");
    q.township = QueryOr(req, "township");
    DOUDI_ASSIGN_OR_RETURN(auto page, req.Page());
    q.page = page.first;
    q.size = page.second;
    DOUDI_ASSIGN_OR_RETURN(auto found, svc->ListVerifications(ActorOf(req), q));
    return http::Response::Json(PageOf(found, [div](const Verification& v) { return VerificationJson(v, *div); }));
  });

  router.Post("/api/v1/verify/requests", Options("verify.write", "verify.request.create"),
              [svc, div](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
                DOUDI_ASSIGN_OR_RETURN(int64_t household_id, registry::RequiredInt(body, "household_id"));
                req.audit_object_type = "household";
                req.audit_object_id = std::to_string(household_id);
                DOUDI_ASSIGN_OR_RETURN(std::string as_of, http::StringField(body, "as_of", false));
                DOUDI_ASSIGN_OR_RETURN(Verification v, svc->VerifyHousehold(ActorOf(req), household_id, as_of));
                req.audit_object_type = "verify_request";
                req.audit_object_id = std::to_string(v.id);
                req.audited = true;
                return http::Response::Json(VerificationJson(v, *div), 201);
              });

  router.Get("/api/v1/verify/requests/{id}", Options("verify.read"),
             [svc, div](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(
                   int64_t id, PathId(req, Status::NotFound("verify.request.not_found", "核对记录不存在或不在您的管辖范围内")));
               DOUDI_ASSIGN_OR_RETURN(Verification v, svc->GetVerification(ActorOf(req), id));
               return http::Response::Json(VerificationJson(v, *div));
             });

  // --- batch rechecks ---
  const Status batch_not_found = Status::NotFound("verify.batch.not_found", "批量核对不存在或不在您的管辖范围内");
  router.Get("/api/v1/verify/batches", Options("verify.read"), [svc](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(auto page, req.Page());
    DOUDI_ASSIGN_OR_RETURN(auto found, svc->ListRechecks(ActorOf(req), page.first, page.second));
    return http::Response::Json(PageOf(found, RecheckJson));
  });

  router.Post("/api/v1/verify/batches", Options("verify.write", "verify.batch.create"),
              [svc](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
                RecheckSpec spec;
                if (auto it = body.find("household_ids"); it != body.end() && !it->is_null()) {
                  if (!it->is_array()) {
                    return Status::InvalidField("household_ids", "verify.batch.household_ids", "household_ids 应为家庭户编号的数组");
                  }
                  for (const auto& v : *it) {
                    if (!v.is_number_integer() || v.get<int64_t>() <= 0) {
                      return Status::InvalidField("household_ids", "verify.batch.household_ids", "household_ids 应为正整数数组");
                    }
                    spec.household_ids.push_back(v.get<int64_t>());
                  }
                  if (spec.household_ids.empty()) {
                    return Status::InvalidField("household_ids", "verify.batch.empty", "没有可核对的家庭户");
                  }
                }
                DOUDI_ASSIGN_OR_RETURN(spec.division, http::StringField(body, "division", false));
                DOUDI_ASSIGN_OR_RETURN(spec.as_of, http::StringField(body, "as_of", false));
                DOUDI_ASSIGN_OR_RETURN(spec.title, http::StringField(body, "title", false));
                req.audit_object_type = "verify_batch";
                DOUDI_ASSIGN_OR_RETURN(auto started, svc->StartRecheck(ActorOf(req), std::move(spec)));
                req.audit_object_id = std::to_string(started.record.id);
                req.audited = true;
                return http::Response::Json({{"batch", RecheckJson(started.record)}, {"job_id", started.job_id}}, 202);
              });

  router.Get("/api/v1/verify/batches/{id}", Options("verify.read"),
             [svc, batch_not_found](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, batch_not_found));
               DOUDI_ASSIGN_OR_RETURN(Recheck b, svc->GetRecheck(ActorOf(req), id));
               return http::Response::Json(RecheckJson(b));
             });

  router.Get("/api/v1/verify/batches/{id}/suspicious", Options("verify.read"),
             [svc, batch_not_found](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, batch_not_found));
               DOUDI_ASSIGN_OR_RETURN(json list, svc->Suspicious(ActorOf(req), id));
               return http::Response::Json(list);
             });
}

}  // namespace doudi::verify
