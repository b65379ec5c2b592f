#include "rescue/photo_routes.h"

#include "platform/bytes.h"
#include "rescue/institution_route_util.h"
#include "rescue/internal.h"

namespace doudi::rescue {
namespace {

using nlohmann::json;
using namespace routes;

Status PhotoNotFound() { return Status::NotFound("rescue.photo.not_found", "照片不存在或不在您的管辖范围内"); }
Status ReportNotFound() { return Status::NotFound("rescue.report.not_found", "寻人登记不存在或不在您的管辖范围内"); }

Status TextFrom(const json& body, const char* name, std::string* out) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return Status::Ok();
  if (!it->is_string()) return Status::InvalidField(name, "http.bad_type", std::string("字段 ") + name + " 应为文本");
  *out = it->get<std::string>();
  return Status::Ok();
}

Result<PhotoUpload> UploadOf(http::Request& req) {
  DOUDI_ASSIGN_OR_RETURN(json body, req.JsonBody());
  if (!body.is_object()) return Status::Invalid("http.bad_body", "请求体应为 JSON 对象");
  PhotoUpload u;
  std::string data;
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "file_name", &u.file_name));
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "content_type", &u.content_type));
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "caption", &u.caption));
  DOUDI_RETURN_IF_ERROR(TextFrom(body, "data", &data));
  // A data: URL as FileReader.readAsDataURL gives it is accepted as well as plain base64.
  if (data.rfind("data:", 0) == 0) {
    auto comma = data.find(',');
    data = comma == std::string::npos ? "" : data.substr(comma + 1);
  }
  if (!platform::FromBase64(data, &u.bytes)) {
    return Status::InvalidField("data", "rescue.photo.base64", "照片数据不是有效的 base64 编码");
  }
  return u;
}

json ListJson(const std::vector<Photo>& photos) {
  json items = json::array();
  for (const auto& p : photos) items.push_back(PhotoService::ToJson(p));
  return {{"items", items}};
}

http::Response Bytes(std::string bytes, const std::string& type, const char* cache) {
  http::Response r;
  r.status = 200;
  r.body = std::move(bytes);
  r.content_type = type;
  r.headers.push_back({"Cache-Control", cache});
  r.headers.push_back({"X-Content-Type-Options", "nosniff"});
  return r;
}

void OwnerRoutes(http::Router& router, const std::shared_ptr<PhotoService>& svc, const std::string& path,
                 const std::string& owner_type, const std::string& read, const std::string& write,
                 Status (*not_found)(), const char* object_type) {
  router.Post(path, Options(write, "rescue.photo.upload"), [=](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", not_found()));
    req.audit_object_type = object_type;
    req.audit_object_id = std::to_string(id);
    DOUDI_ASSIGN_OR_RETURN(PhotoUpload u, UploadOf(req));
    DOUDI_ASSIGN_OR_RETURN(Photo p, svc->Add(ActorOf(req), owner_type, id, u));
    req.audited = true;
    return http::Response::Json(PhotoService::ToJson(p), 201);
  });
  router.Get(path, Options(read), [=](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", not_found()));
    DOUDI_ASSIGN_OR_RETURN(auto photos, svc->List(ActorOf(req), owner_type, id));
    return http::Response::Json(ListJson(photos));
  });
}

Status CaseNotFoundStatus() { return internal::CaseNotFound(); }

}  // namespace

void RegisterPhotoRoutes(http::Router& router, std::shared_ptr<PhotoService> photos, RescueService& rescue) {
  OwnerRoutes(router, photos, "/api/v1/rescue/cases/{id}/photos", "case", "rescue.read", "rescue.write",
              CaseNotFoundStatus, "rescue_case");
  OwnerRoutes(router, photos, "/api/v1/rescue/missing-reports/{id}/photos", "report", "tracing.read",
              "tracing.write", ReportNotFound, "rescue_missing_report");

  // Reading and changing a photo needs its owner's permission, which only the service knows: any signed-in user
  // gets this far, the service answers 403 or 404.
  router.Get("/api/v1/rescue/photos/{id}", Options(""), [photos](http::Request& req) -> Result<http::Response> {
    DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", PhotoNotFound()));
    DOUDI_ASSIGN_OR_RETURN(auto photo, photos->Get(ActorOf(req), id));
    return Bytes(std::move(photo.second), photo.first.content_type, "private, max-age=3600");
  });
  router.Post("/api/v1/rescue/photos/{id}/withdraw", Options("", "rescue.photo.withdraw"),
              [photos](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(Correction w, StartCorrection(req, PhotoNotFound(), "rescue_photo"));
                DOUDI_ASSIGN_OR_RETURN(Photo p, photos->Withdraw(ActorOf(req), w.id, w.version, ReasonOf(w.body)));
                req.audited = true;
                return http::Response::Json(PhotoService::ToJson(p));
              });
  router.Post("/api/v1/rescue/photos/{id}/face", Options("", "rescue.photo.select_face"),
              [photos](http::Request& req) -> Result<http::Response> {
                DOUDI_ASSIGN_OR_RETURN(Correction w, StartCorrection(req, PhotoNotFound(), "rescue_photo"));
                auto it = w.body.find("face");
                if (it == w.body.end() || !it->is_number_integer()) {
                  return Status::InvalidField("face", "http.bad_type", "字段 face 应为整数（人脸序号，从 0 开始）");
                }
                DOUDI_ASSIGN_OR_RETURN(Photo p, photos->SelectFace(ActorOf(req), w.id, w.version, it->get<int>()));
                req.audited = true;
                return http::Response::Json(PhotoService::ToJson(p));
              });

  http::RouteOptions pub;
  pub.is_public = true;
  router.Get("/api/v1/public/notices/{id}/photo", pub, [photos, &rescue](http::Request& req) -> Result<http::Response> {
    auto not_found = Status::NotFound("rescue.notice.not_found", "寻亲公告不存在或已下线");
    DOUDI_ASSIGN_OR_RETURN(int64_t id, PathId(req, "id", not_found));
    DOUDI_ASSIGN_OR_RETURN(Notice n, rescue.PublicNotice(id));
    auto photo = photos->PublicNoticePhoto(n);
    if (!photo.ok()) return photo.status().code() == Code::kNotFound ? not_found : photo.status();
    // Short-lived in shared caches: a notice closes when the person leaves.
    return Bytes(std::move(photo->second), photo->first.content_type, "public, max-age=300");
  });
}

}  // namespace doudi::rescue
