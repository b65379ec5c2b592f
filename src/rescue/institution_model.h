// The records of institution supervision (DOMAIN.md §4 托养): an institution (托养机构 or 定点医院) with its
// qualifications and contract, the inspections of it with their scored checklists and photos, and the
// rectification orders (整改通知) an inspection issues, followed up until closed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rescue/inspection_checklist.h"

namespace doudi::rescue {

// Who wrote a record and when; version for optimistic locking.
struct RecordStamp {
  int64_t version = 1;
  std::string created_at, updated_at;  // ISO-8601 UTC
  int64_t created_by = 0, updated_by = 0;
};

struct InstitutionFields {
  std::string name;
  std::string kind;  // "foster_care" 托养机构 | "hospital" 定点医院
  std::string division_code;
  std::string address;
  std::string contact_person;
  std::string contact_phone;
  int64_t capacity = 0;  // beds
  std::string licence_number;  // 设立许可 / 医疗机构执业许可证号
  std::string licence_expiry;  // YYYY-MM-DD or ""
  std::string contract_start;  // 托养协议 YYYY-MM-DD or ""
  std::string contract_end;
  std::string status = "active";  // active | suspended | ended
  std::string notes;
};

struct Institution : InstitutionFields, RecordStamp {
  int64_t id = 0;
  int64_t placed_persons = 0;  // persons placed there now (from the station workflow's placements)
};

struct InspectionFields {
  std::string inspected_on;  // YYYY-MM-DD
  std::vector<std::string> inspectors;
  std::vector<ChecklistScore> items;
  std::string findings;
};

struct InspectionPhoto {
  int64_t id = 0;
  int64_t inspection_id = 0;
  std::string file_name, content_type, sha256, caption, created_at;
  int64_t size_bytes = 0;
  int64_t created_by = 0;
};

struct RectificationEvent {
  int64_t id = 0;
  std::string action;  // order | submit | verify | reopen | extend | note
  std::string note;
  std::string state_after;
  std::string deadline_after;
  std::string at;
  int64_t by_user = 0;
  std::string by_name;
};

struct NewRectification {
  std::string requirement;
  std::string issued_on;             // "" = today
  std::optional<int> working_days;   // deadline = issued_on + N working days (common/calendar.h)
  std::string deadline;              // or a date given directly
};

struct Rectification : RecordStamp {
  int64_t id = 0;
  int64_t inspection_id = 0;
  int64_t institution_id = 0;
  std::string institution_name;
  std::string division_code;
  std::string requirement;
  std::string issued_on;
  std::optional<int> working_days;
  std::string deadline;
  std::string state;  // open | submitted | closed | reopened
  std::string closed_on;
  std::vector<RectificationEvent> events;  // filled by GetRectification
};

struct Inspection : InspectionFields, RecordStamp {
  int64_t id = 0;
  int64_t institution_id = 0;
  std::string institution_name;
  std::string division_code;
  int total = 0;
  std::vector<InspectionPhoto> photos;               // filled by GetInspection
  std::vector<Rectification> rectifications;         // filled by GetInspection
};

// An earlier version of a corrected record.
struct HistoryEntry {
  int64_t version = 0;
  std::string snapshot;  // the record as it was (JSON)
  std::string reason;
  std::string changed_at;
  int64_t changed_by = 0;
};

}  // namespace doudi::rescue
