// What the missing-person report screens need beside the report API (docs/rescue.md "Screens"):
//   GET  /api/v1/tracing/str-loci  (tracing.read) → {items: [{name, alleles: ["9", "9.3", ...]}]}: the loci and
//        listed alleles of the embedded allele table (data/str/), in the table's order, for the per-locus editor of
//        DNA reference samples. The same table checks the profiles on save.
//   POST /api/v1/rescue/missing-reports/{id}/reveal {purpose} (tracing.read + pii.reveal) → {reporter_phone}: the
//        reporter's phone in full, as the registry reveals a person's numbers: a purpose of 4 to 200 characters,
//        written with the report and the field to the audit log (pii.reveal) before the number is returned.
//   GET  /api/v1/rescue/missing-reports/{id}/candidates (tracing.read) → {items: [...], total}: the report's
//        candidates on unidentified persons, best first (report_candidates.h).
#pragma once

#include <memory>

#include "http/router.h"
#include "platform/audit.h"
#include "rescue/missing_reports.h"

namespace doudi::rescue {

void RegisterReportExtraRoutes(http::Router& router, db::Database& db, std::shared_ptr<MissingReportService> reports,
                               platform::AuditLog& audit);

}  // namespace doudi::rescue
