// Photos of cases and missing-person reports over HTTP (photos.h; docs/rescue.md "Photos"):
//   POST/GET /api/v1/rescue/cases/{id}/photos            (rescue.write / rescue.read)
//   POST/GET /api/v1/rescue/missing-reports/{id}/photos  (tracing.write / tracing.read)
//   GET /api/v1/rescue/photos/{id} (the bytes), POST /api/v1/rescue/photos/{id}/withdraw, POST .../{id}/face
//     (the owner's permission, checked by the service)
//   GET /api/v1/public/notices/{id}/photo                (no login: published notices, the minors' policy)
// Uploads travel as base64 in JSON {file_name, content_type, data, caption}, as inspection photos do.
#pragma once

#include <memory>

#include "http/router.h"
#include "rescue/photos.h"
#include "rescue/service.h"

namespace doudi::rescue {

void RegisterPhotoRoutes(http::Router& router, std::shared_ptr<PhotoService> photos, RescueService& rescue);

}  // namespace doudi::rescue
