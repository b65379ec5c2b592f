// The SQL of institution supervision and street patrols: a query builder with the data-scope filter, the
// readers of stored rows, and the history of corrected records. No rules here: the services decide.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "db/db.h"
#include "db/sql_builder.h"
#include "platform/principal.h"
#include "rescue/institution_model.h"

namespace doudi::rescue::store {

using db::AddPrefix;  // " AND <column> BETWEEN prefix AND prefix999..."
using db::SqlBuilder;

// The principal's data scope over `alias`.division_code / created_by (kAll adds nothing).
void AddScope(SqlBuilder& b, std::string_view alias, const platform::Principal& p);

db::Value NullIfEmpty(const std::string& s);

constexpr char kInstitutionColumns[] =
    "i.id, i.name, i.kind, i.division_code, i.address, i.contact_person, i.contact_phone, i.capacity, "
    "i.licence_number, i.licence_expiry, i.contract_start, i.contract_end, i.status, i.notes, i.version, "
    "i.created_at, i.created_by, i.updated_at, i.updated_by";
Institution InstitutionFromRow(const db::Row& r);
Result<std::optional<Institution>> LoadInstitution(db::Conn& c, int64_t id);

constexpr char kInspectionColumns[] =
    "s.id, s.institution_id, i.name, s.division_code, s.inspected_on, s.inspectors, s.items, s.total, s.findings, "
    "s.version, s.created_at, s.created_by, s.updated_at, s.updated_by";
constexpr char kInspectionFrom[] = " FROM rescue_inspections s JOIN rescue_institutions i ON i.id = s.institution_id";
Inspection InspectionFromRow(const db::Row& r);
Result<std::optional<Inspection>> LoadInspection(db::Conn& c, int64_t id);

constexpr char kRectificationColumns[] =
    "r.id, r.inspection_id, r.institution_id, i.name, r.division_code, r.requirement, r.issued_on, r.working_days, "
    "r.deadline, r.state, r.closed_on, r.version, r.created_at, r.created_by, r.updated_at, r.updated_by";
constexpr char kRectificationFrom[] =
    " FROM rescue_rectifications r JOIN rescue_institutions i ON i.id = r.institution_id";
Rectification RectificationFromRow(const db::Row& r);
Result<std::optional<Rectification>> LoadRectification(db::Conn& c, int64_t id);
Result<std::vector<RectificationEvent>> LoadEvents(db::Conn& c, int64_t rectification_id);
Status InsertEvent(db::Conn& c, int64_t rectification_id, const RectificationEvent& e);

// Keeps the previous version of a corrected record.
Status InsertHistory(db::Conn& c, std::string_view object_type, int64_t object_id, int64_t version,
                     const nlohmann::json& snapshot, const std::string& reason, const std::string& at, int64_t by);
Result<std::vector<HistoryEntry>> LoadHistory(db::Conn& c, std::string_view object_type, int64_t object_id);

}  // namespace doudi::rescue::store
