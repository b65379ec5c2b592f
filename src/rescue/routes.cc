#include "rescue/routes.h"

#include <nlohmann/json.hpp>

#include "common/time.h"
#include "http/download.h"
#include "http/json_fields.h"
#include "rescue/institution_route_util.h"
#include "rescue/internal.h"
#include "rescue/json.h"

namespace doudi::rescue {
namespace {

using nlohmann::json;
using namespace routes;

Status NoticeNotFound() { return Status::NotFound("rescue.notice.not_found", "寻亲公告不存在或不在您的管辖范围内"); }

http::RouteOptions Public() {
  http::RouteOptions o;
  o.is_public = true;
  return o;
}

// A mutation of a case: the server's own audit row (written only on failure) names the case.
void MarkCase(http::Request& req, int64_t id) {
  req.audit_object_type = "rescue_case";
  req.audit_object_id = std::to_string(id);
}

std::string Text(const json& body, const char* name) {
  auto it = body.find(name);
  return it != body.end() && it->is_string() ? it->get<std::string>() : "";
}

Result<std::string> OptionalText(const json& body, const std::string& name) {
  return http::StringField(body, name, false);
}

// A handler for POST /cases/{id}/... that calls fn(actor, id, body) and answers with the case.
template <typename F>
http::Handler CaseAction(RescueService* svc, F fn) {
  return [svc, fn](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", internal::CaseNotFound()));
    MarkCase(req, id);
    DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
    DOUDI_ASSIGN_OR_RETURN(json out, fn(ActorOf(req), id, body));
    req.audited = true;
    return http::Response::Json(out);
  };
}

}  // namespace

void RegisterRescueRoutes(http::Router& router, RescueService& service) {
  RescueService* svc = &service;
  const std::string base = "/api/v1/rescue";

  // --- cases ---
  router.Get(base + "/cases", Options("rescue.read"), [svc](http::Request& req) -> Result<http::Response> {
    CaseQuery q;
    q.status = req.Query("status").value_or("");
    q.name = req.Query("name").value_or("");
    q.unidentified_only = req.Query("unidentified").value_or("") == "1";
    DOUDI_ASSIGN_OR_RETURN(auto page, req.Page());
    q.page = page.first;
    q.size = page.second;
    DOUDI_ASSIGN_OR_RETURN(CaseList list, svc->ListCases(ActorOf(req), q));
    json items = json::array();
    for (const auto& k : list.items) items.push_back(CaseJson(k, svc->divisions()));
    return http::Response::Json({{"items", items}, {"total", list.total}, {"page", list.page}, {"size", list.size}});
  });

  router.Post(base + "/cases", Options("rescue.write", "rescue.case.create"),
              [svc](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
                NewIntake in;
                DOUDI_RETURN_IF_ERROR(IntakeFromJson(body, &in));
                req.audit_object_type = "rescue_case";
                DOUDI_ASSIGN_OR_RETURN(Case k, svc->Intake(ActorOf(req), std::move(in)));
                req.audit_object_id = std::to_string(k.id);
                req.audited = true;
                return http::Response::Json(CaseJson(k, svc->divisions()), 201);
              });

  router.Get(base + "/cases/{id}", Options("rescue.read"), [svc](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", internal::CaseNotFound()));
    DOUDI_ASSIGN_OR_RETURN(json page, svc->CaseDetail(ActorOf(req), id));
    return http::Response::Json(page);
  });

  router.Put(base + "/cases/{id}", Options("rescue.write", "rescue.case.correct"),
             [svc](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", internal::CaseNotFound()));
               MarkCase(req, id);
               DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
               DOUDI_ASSIGN_OR_RETURN(int64_t version, http::IntField(body, "version"));
               DOUDI_ASSIGN_OR_RETURN(std::string reason, OptionalText(body, "reason"));
               CaseFields fields;
               std::vector<std::string> present;
               DOUDI_RETURN_IF_ERROR(CaseFieldsFromJson(body, &fields, &present));
               DOUDI_ASSIGN_OR_RETURN(Case k, svc->Correct(ActorOf(req), id, version, fields, present, reason));
               req.audited = true;
               return http::Response::Json(CaseJson(k, svc->divisions()));
             });

  router.Get(base + "/cases/{id}/versions", Options("rescue.read"),
             [svc](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", internal::CaseNotFound()));
               DOUDI_ASSIGN_OR_RETURN(auto versions, svc->Versions(ActorOf(req), id));
               json items = json::array();
               for (const auto& v : versions) items.push_back(VersionJson(v));
               return http::Response::Json({{"items", items}});
             });

  router.Post(base + "/cases/{id}/refusal", Options("rescue.write", "rescue.case.refuse"),
              CaseAction(svc, [svc](const Actor& a, int64_t id, const json& b) -> Result<json> {
                DOUDI_ASSIGN_OR_RETURN(Case k, svc->Refuse(a, id, Text(b, "reason"), Text(b, "notice_ref")));
                return CaseJson(k, svc->divisions());
              }));

  router.Post(base + "/cases/{id}/identify", Options("rescue.write", "rescue.case.identify"),
              CaseAction(svc, [svc](const Actor& a, int64_t id, const json& b) -> Result<json> {
                DOUDI_ASSIGN_OR_RETURN(Case k,
                                       svc->Identify(a, id, Text(b, "id_number"), Text(b, "name"), Text(b, "found_by")));
                return CaseJson(k, svc->divisions());
              }));

  router.Post(base + "/cases/{id}/departure", Options("rescue.write", "rescue.case.depart"),
              CaseAction(svc, [svc](const Actor& a, int64_t id, const json& b) -> Result<json> {
                Departure d;
                DOUDI_RETURN_IF_ERROR(DepartureFromJson(b, &d));
                DOUDI_ASSIGN_OR_RETURN(Case k, svc->Depart(a, id, std::move(d)));
                return CaseJson(k, svc->divisions());
              }));

  // --- stay ---
  router.Post(base + "/cases/{id}/belongings", Options("rescue.write", "rescue.belonging.add"),
              CaseAction(svc, [svc](const Actor& a, int64_t id, const json& b) -> Result<json> {
                NewIntake::Belonging item;
                item.description = Text(b, "description");
                item.photo = Text(b, "photo");
                if (auto it = b.find("quantity"); it != b.end() && !it->is_null()) {
                  if (!it->is_number_integer()) {
                    return Status::InvalidField("quantity", "http.bad_type", "字段 quantity 应为整数");
                  }
                  item.quantity = static_cast<int>(std::clamp<int64_t>(it->get<int64_t>(), -1, 1000000));
                }
                DOUDI_ASSIGN_OR_RETURN(Belonging out, svc->AddBelonging(a, id, item));
                return BelongingJson(out);
              }));

  router.Post(base + "/cases/{id}/belongings/{belonging_id}/return", Options("rescue.write", "rescue.belonging.return"),
              [svc](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", internal::CaseNotFound()));
                MarkCase(req, id);
                DOUDI_ASSIGN_OR_RETURN(
                    int64_t bid, PathId(req, "belonging_id",
                                        Status::NotFound("rescue.belonging.not_found", "该物品不存在或已退还")));
                DOUDI_ASSIGN_OR_RETURN(json b, req.JsonBody());
                DOUDI_ASSIGN_OR_RETURN(Belonging out, svc->ReturnBelonging(ActorOf(req), id, bid, Text(b, "returned_to"),
                                                                          Text(b, "signature_ref")));
                req.audited = true;
                return http::Response::Json(BelongingJson(out));
              });

  router.Post(base + "/cases/{id}/care", Options("rescue.write", "rescue.care.add"),
              CaseAction(svc, [svc](const Actor& a, int64_t id, const json& b) -> Result<json> {
                CareRecord r;
                r.kind = Text(b, "kind");
                r.detail = Text(b, "detail");
                r.recorded_at = Text(b, "recorded_at");
                if (auto it = b.find("temperature"); it != b.end() && !it->is_null()) {
                  if (!it->is_number()) return Status::InvalidField("temperature", "http.bad_type", "体温应为数字");
                  double t = it->get<double>();
                  if (t > 0 && t < 100) r.temperature_dc = static_cast<int>(t * 10 + 0.5);
                  else r.temperature_dc = 0;
                }
                DOUDI_ASSIGN_OR_RETURN(CareRecord out, svc->AddCare(a, id, std::move(r)));
                return CareJson(out);
              }));

  router.Post(base + "/cases/{id}/placements", Options("rescue.write", "rescue.placement.start"),
              CaseAction(svc, [svc](const Actor& a, int64_t id, const json& b) -> Result<json> {
                Placement p;
                p.kind = Text(b, "kind");
                p.start_date = Text(b, "start_date");
                p.note = Text(b, "note");
                if (auto it = b.find("institution_id"); it != b.end() && it->is_number_integer()) {
                  p.institution_id = it->get<int64_t>();
                }
                DOUDI_ASSIGN_OR_RETURN(Placement out, svc->Place(a, id, std::move(p)));
                return PlacementJson(out);
              }));

  router.Post(base + "/cases/{id}/placements/end", Options("rescue.write", "rescue.placement.end"),
              CaseAction(svc, [svc](const Actor& a, int64_t id, const json& b) -> Result<json> {
                DOUDI_ASSIGN_OR_RETURN(Placement out, svc->EndPlacement(a, id, Text(b, "end_date"), Text(b, "reason")));
                return PlacementJson(out);
              }));

  router.Post(base + "/cases/{id}/extension", Options("rescue.write", "rescue.extension.request"),
              CaseAction(svc, [svc](const Actor& a, int64_t id, const json& b) -> Result<json> {
                DOUDI_ASSIGN_OR_RETURN(Case k, svc->RequestExtension(a, id, Text(b, "until"), Text(b, "reason")));
                return CaseJson(k, svc->divisions());
              }));

  router.Post(base + "/cases/{id}/extension/approve", Options("rescue.write", "rescue.extension.approve"),
              CaseAction(svc, [svc](const Actor& a, int64_t id, const json&) -> Result<json> {
                DOUDI_ASSIGN_OR_RETURN(Case k, svc->ApproveExtension(a, id));
                return CaseJson(k, svc->divisions());
              }));

  router.Post(base + "/cases/{id}/settlement", Options("rescue.write", "rescue.settlement.start"),
              CaseAction(svc, [svc](const Actor& a, int64_t id, const json& b) -> Result<json> {
                DOUDI_ASSIGN_OR_RETURN(Case k, svc->StartSettlement(a, id, Text(b, "started_on"), Text(b, "note")));
                return CaseJson(k, svc->divisions());
              }));

  router.Get(base + "/whereabouts", Options("rescue.read"), [svc](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(json out, svc->Whereabouts(ActorOf(req)));
    return http::Response::Json(out);
  });

  router.Get(base + "/deadlines", Options("rescue.read"), [svc](http::Request& req) -> Result<http::Response> {
    std::string scope = req.Query("scope").value_or("station");
    std::string state = req.Query("state").value_or("");
    DOUDI_ASSIGN_OR_RETURN(auto items, svc->WorkQueue(ActorOf(req), scope));
    json arr = json::array();
    int overdue = 0, due = 0;
    for (const auto& d : items) {
      overdue += d.state == "overdue";
      due += d.state == "due";
      if (!state.empty() && d.state != state) continue;
      arr.push_back(DeadlineJson(d));
    }
    return http::Response::Json({{"items", arr}, {"total", arr.size()}, {"overdue", overdue}, {"due", due}});
  });

  router.Get(base + "/stats", Options("rescue.read"), [svc](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(Stats s, svc->Numbers(ActorOf(req), req.Query("from").value_or(""),
                                                 req.Query("to").value_or("")));
    return http::Response::Json(StatsJson(s));
  });

  // --- family search ---
  router.Get(base + "/notices", Options("tracing.read"), [svc](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(auto notices, svc->ListNotices(ActorOf(req), req.Query("status").value_or("")));
    json arr = json::array();
    for (const auto& n : notices) arr.push_back(NoticeJson(n));
    return http::Response::Json({{"items", arr}, {"total", arr.size()}});
  });

  router.Get(base + "/notices/export", Options("tracing.read"), [svc](http::Request& req) -> Result<http::Response> {
    std::string format = req.Query("format").value_or("csv");
    DOUDI_ASSIGN_OR_RETURN(std::string body, svc->ExportNotices(ActorOf(req), format));
    // Named after the day in Shanghai ("寻亲公告-2026-11-30.csv"), like the Excel lists.
    std::string suffix = "-" + ToShanghai(NowUtcIso()).substr(0, 10) + (format == "json" ? ".json" : ".csv");
    return http::Download(std::move(body), format == "json" ? "application/json; charset=utf-8" : http::kCsvType,
                          "notices" + suffix, "寻亲公告" + suffix);
  });

  router.Get(base + "/notices/{id}", Options("tracing.read"), [svc](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", NoticeNotFound()));
    DOUDI_ASSIGN_OR_RETURN(Notice n, svc->GetNotice(ActorOf(req), id));
    return http::Response::Json(NoticeJson(n));
  });

  router.Put(base + "/notices/{id}", Options("tracing.write", "rescue.notice.update"),
             [svc](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", NoticeNotFound()));
               req.audit_object_type = "rescue_notice";
               req.audit_object_id = std::to_string(id);
               DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
               DOUDI_ASSIGN_OR_RETURN(int64_t version, http::IntField(body, "version"));
               Notice values;
               std::vector<std::string> present;
               DOUDI_RETURN_IF_ERROR(NoticeFieldsFromJson(body, &values, &present));
               DOUDI_ASSIGN_OR_RETURN(Notice n, svc->UpdateNotice(ActorOf(req), id, version, values, present));
               req.audited = true;
               return http::Response::Json(NoticeJson(n));
             });

  for (const char* action : {"publish", "refresh"}) {
    std::string a = action;
    router.Post(base + "/notices/{id}/" + a, Options("tracing.write", "rescue.notice." + a),
                [svc, a](http::Request& req) -> Result<http::Response> {
                  DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", NoticeNotFound()));
                  req.audit_object_type = "rescue_notice";
                  req.audit_object_id = std::to_string(id);
                  auto n = a == "publish" ? svc->PublishNotice(ActorOf(req), id) : svc->RefreshNotice(ActorOf(req), id);
                  if (!n.ok()) return n.status();
                  req.audited = true;
                  return http::Response::Json(NoticeJson(*n));
                });
  }

  router.Post(base + "/cases/{id}/dna-requests", Options("tracing.write", "rescue.dna.request"),
              CaseAction(svc, [svc](const Actor& a, int64_t id, const json& b) -> Result<json> {
                DOUDI_ASSIGN_OR_RETURN(DnaRequest d,
                                       svc->RequestDna(a, id, Text(b, "police_unit"), Text(b, "requested_on"), Text(b, "note")));
                return DnaJson(d);
              }));

  for (const char* step : {"sample", "result"}) {
    std::string s = step;
    router.Post(base + "/dna-requests/{id}/" + s, Options("tracing.write", "rescue.dna." + s),
                [svc, s](http::Request& req) -> Result<http::Response> {
                  DOUDI_ASSIGN_OR_RETURN(
                      int64_t id, PathId(req, "id", Status::NotFound("rescue.dna.not_found", "DNA 采样记录不存在")));
                  req.audit_object_type = "rescue_dna_request";
                  req.audit_object_id = std::to_string(id);
                  DOUDI_ASSIGN_OR_RETURN(json b, req.JsonBody());
                  auto d = s == "sample"
                               ? svc->RecordDnaSample(ActorOf(req), id, Text(b, "sample_ref"), Text(b, "sampled_on"))
                               : svc->RecordDnaResult(ActorOf(req), id, Text(b, "result"), Text(b, "result_ref"),
                                                      Text(b, "result_on"));
                  if (!d.ok()) return d.status();
                  req.audited = true;
                  return http::Response::Json(DnaJson(*d));
                });
  }

  router.Get(base + "/cases/{id}/candidates", Options("tracing.read"),
             [svc](http::Request& req) -> Result<http::Response> {
               DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", internal::CaseNotFound()));
               DOUDI_ASSIGN_OR_RETURN(auto list, svc->Candidates(ActorOf(req), id));
               json arr = json::array();
               for (const auto& c : list) arr.push_back(CandidateJson(c));
               return http::Response::Json({{"items", arr}});
             });

  router.Post(base + "/cases/{id}/candidates", Options("tracing.write", "rescue.candidate.add"),
              CaseAction(svc, [svc](const Actor& a, int64_t id, const json& b) -> Result<json> {
                Candidate c;
                c.source = Text(b, "source");
                c.candidate_ref = Text(b, "candidate_ref");
                if (auto it = b.find("score"); it != b.end()) {
                  if (!it->is_number()) return Status::InvalidField("score", "http.bad_type", "字段 score 应为数字");
                  c.score = it->get<double>();
                }
                if (auto it = b.find("explanation"); it != b.end() && !it->is_null()) c.explanation = it->dump();
                DOUDI_ASSIGN_OR_RETURN(Candidate out, svc->AddCandidate(a, id, std::move(c)));
                return CandidateJson(out);
              }));

  for (const char* decision : {"confirm", "reject"}) {
    std::string d = decision;
    router.Post(base + "/candidates/{id}/" + d, Options("tracing.write", "rescue.candidate." + d),
                [svc, d](http::Request& req) -> Result<http::Response> {
                  DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", Status::NotFound("rescue.candidate.not_found",
                                                                                      "比对候选不存在或不在您的管辖范围内")));
                  req.audit_object_type = "rescue_candidate";
                  req.audit_object_id = std::to_string(id);
                  DOUDI_ASSIGN_OR_RETURN(json b, req.JsonBody());
                  DOUDI_ASSIGN_OR_RETURN(Candidate c, svc->DecideCandidate(ActorOf(req), id,
                                                                           d == "confirm" ? "confirmed" : "rejected",
                                                                           Text(b, "reason")));
                  req.audited = true;
                  return http::Response::Json(CandidateJson(c));
                });
  }

  // --- the public family-search page: no login; public fields only ---
  router.Get("/api/v1/public/notices", Public(), [svc](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(auto page, req.Page());
    int size = std::min(page.second, 100);
    DOUDI_ASSIGN_OR_RETURN(auto found, svc->PublicNotices(page.first, size));
    json arr = json::array();
    for (const auto& n : found.first) arr.push_back(svc->PublicNoticeJson(n));
    return http::Response::Json({{"items", arr}, {"total", found.second}, {"page", page.first}, {"size", size}});
  });

  router.Get("/api/v1/public/notices/{id}", Public(), [svc](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", NoticeNotFound()));
    DOUDI_ASSIGN_OR_RETURN(Notice n, svc->PublicNotice(id));
    return http::Response::Json(svc->PublicNoticeJson(n));
  });
}

}  // namespace doudi::rescue
