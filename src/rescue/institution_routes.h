// Institution supervision over HTTP under /api/v1/rescue/institutions: institutions, their history,
// inspections (checklist, photos, corrections), rectification orders and their follow-up entries. Reading needs
// institution.read, every change institution.write.
#pragma once

#include "http/router.h"
#include "rescue/institution_service.h"

namespace doudi::rescue {

void RegisterInstitutionRoutes(http::Router& router, InstitutionService& service);

}  // namespace doudi::rescue
