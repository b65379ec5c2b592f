#include "rescue/institution_store.h"

#include "platform/data_scope.h"

namespace doudi::rescue::store {

using db::Value;
using nlohmann::json;

void AddScope(SqlBuilder& b, std::string_view alias, const platform::Principal& p) {
  const std::string a(alias);
  platform::AddScope(b, platform::DataScopeOf(p), a + ".division_code", a + ".created_by");
}

Value NullIfEmpty(const std::string& s) { return s.empty() ? Value() : Value(s); }

namespace {
void ReadStamp(const db::Row& r, size_t at, RecordStamp* s) {
  s->version = r.Int(at);
  s->created_at = r.Text(at + 1);
  s->created_by = r.Int(at + 2);
  s->updated_at = r.Text(at + 3);
  s->updated_by = r.Int(at + 4);
}
}  // namespace

Institution InstitutionFromRow(const db::Row& r) {
  Institution i;
  i.id = r.Int(0);
  i.name = r.Text(1);
  i.kind = r.Text(2);
  i.division_code = r.Text(3);
  i.address = r.Text(4);
  i.contact_person = r.Text(5);
  i.contact_phone = r.Text(6);
  i.capacity = r.Int(7);
  i.licence_number = r.Text(8);
  i.licence_expiry = r.Text(9);
  i.contract_start = r.Text(10);
  i.contract_end = r.Text(11);
  i.status = r.Text(12);
  i.notes = r.Text(13);
  ReadStamp(r, 14, &i);
  return i;
}

Result<std::optional<Institution>> LoadInstitution(db::Conn& c, int64_t id) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kInstitutionColumns +
                                                " FROM rescue_institutions i WHERE i.id = $1",
                                            {id}));
  if (rows.empty()) return std::optional<Institution>();
  return std::optional<Institution>(InstitutionFromRow(rows[0]));
}

Inspection InspectionFromRow(const db::Row& r) {
  Inspection s;
  s.id = r.Int(0);
  s.institution_id = r.Int(1);
  s.institution_name = r.Text(2);
  s.division_code = r.Text(3);
  s.inspected_on = r.Text(4);
  json inspectors = json::parse(r.Text(5), nullptr, false);
  if (inspectors.is_array()) {
    for (const auto& n : inspectors) {
      if (n.is_string()) s.inspectors.push_back(n.get<std::string>());
    }
  }
  json items = json::parse(r.Text(6), nullptr, false);
  if (items.is_array()) {
    for (const auto& it : items) {
      if (!it.is_object()) continue;
      s.items.push_back({it.value("code", ""), it.value("score", 0), it.value("note", "")});
    }
  }
  s.total = static_cast<int>(r.Int(7));
  s.findings = r.Text(8);
  ReadStamp(r, 9, &s);
  return s;
}

Result<std::optional<Inspection>> LoadInspection(db::Conn& c, int64_t id) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kInspectionColumns + kInspectionFrom +
                                                " WHERE s.id = $1",
                                            {id}));
  if (rows.empty()) return std::optional<Inspection>();
  return std::optional<Inspection>(InspectionFromRow(rows[0]));
}

Rectification RectificationFromRow(const db::Row& r) {
  Rectification x;
  x.id = r.Int(0);
  x.inspection_id = r.Int(1);
  x.institution_id = r.Int(2);
  x.institution_name = r.Text(3);
  x.division_code = r.Text(4);
  x.requirement = r.Text(5);
  x.issued_on = r.Text(6);
  if (!r.IsNull(7)) x.working_days = static_cast<int>(r.Int(7));
  x.deadline = r.Text(8);
  x.state = r.Text(9);
  x.closed_on = r.Text(10);
  ReadStamp(r, 11, &x);
  return x;
}

Result<std::optional<Rectification>> LoadRectification(db::Conn& c, int64_t id) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kRectificationColumns + kRectificationFrom +
                                                " WHERE r.id = $1",
                                            {id}));
  if (rows.empty()) return std::optional<Rectification>();
  return std::optional<Rectification>(RectificationFromRow(rows[0]));
}

Result<std::vector<RectificationEvent>> LoadEvents(db::Conn& c, int64_t rectification_id) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id, action, note, state_after, deadline_after, at, by_user, "
                                            "by_name FROM rescue_rectification_events WHERE rectification_id = $1 "
                                            "ORDER BY id",
                                            {rectification_id}));
  std::vector<RectificationEvent> out;
  for (const auto& r : rows) {
    out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Int(6), r.Text(7)});
  }
  return out;
}

Status InsertEvent(db::Conn& c, int64_t rectification_id, const RectificationEvent& e) {
  return c.Exec("INSERT INTO rescue_rectification_events (rectification_id, action, note, state_after, "
                "deadline_after, at, by_user, by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                {rectification_id, e.action, e.note, e.state_after, e.deadline_after, e.at, e.by_user, e.by_name})
      .status();
}

Status InsertHistory(db::Conn& c, std::string_view object_type, int64_t object_id, int64_t version,
                     const json& snapshot, const std::string& reason, const std::string& at, int64_t by) {
  return c.Exec("INSERT INTO rescue_supervision_history (object_type, object_id, version, snapshot, reason, "
                "changed_at, changed_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                {object_type, object_id, version, snapshot.dump(), reason, at, by})
      .status();
}

Result<std::vector<HistoryEntry>> LoadHistory(db::Conn& c, std::string_view object_type, int64_t object_id) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT version, snapshot, reason, changed_at, changed_by FROM "
                                            "rescue_supervision_history WHERE object_type = $1 AND object_id = $2 "
                                            "ORDER BY version DESC, id DESC",
                                            {object_type, object_id}));
  std::vector<HistoryEntry> out;
  for (const auto& r : rows) out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4)});
  return out;
}

}  // namespace doudi::rescue::store
