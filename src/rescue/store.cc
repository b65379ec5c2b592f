#include "rescue/store.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "db/select.h"
#include "db/sql_builder.h"

namespace doudi::rescue::store {
namespace {

using db::SelectAll;
using db::SelectCount;
using db::SelectOne;
using db::Value;

std::string Opt(const Value& v) { return v.is_null() ? "" : v.as_text(); }
std::optional<int> OptInt(const Value& v) {
  if (v.is_null()) return std::nullopt;
  return static_cast<int>(v.as_int());
}
Value OrNull(const std::string& s) { return s.empty() ? Value() : Value(s); }

// The state columns of rescue_cases after the CaseFields columns (kCaseTextFields, then these ints).
const char* const kCaseStateColumns =
    "sex, estimated_age, height_cm, mental_disability, caseworker_id, station_division, person_id, identified, "
    "status, intake_at, screening, referred_to, refusal, departed_at, departure_kind, departure, found_by, "
    "extension_until, extension_reason, extension_requested_by, extension_approved_by, extension_approved_at, "
    "settlement_started_on, settlement_note, version, created_at, created_by, updated_at, updated_by";

std::string CaseColumns() {
  std::string cols;
  for (const auto& f : kCaseTextFields) {
    cols += f.name;
    cols += ", ";
  }
  return cols + kCaseStateColumns;
}

nlohmann::json ScreeningJson(const Screening& s) {
  return {{"mental_illness", s.mental_illness}, {"infectious_disease", s.infectious_disease},
          {"critical_illness", s.critical_illness}, {"injury", s.injury}, {"danger", s.danger},
          {"drugs_or_fugitive", s.drugs_or_fugitive}, {"note", s.note}};
}

Screening ParseScreening(const std::string& text) {
  Screening s;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return s;
  s.mental_illness = j.value("mental_illness", false);
  s.infectious_disease = j.value("infectious_disease", false);
  s.critical_illness = j.value("critical_illness", false);
  s.injury = j.value("injury", false);
  s.danger = j.value("danger", false);
  s.drugs_or_fugitive = j.value("drugs_or_fugitive", false);
  s.note = j.value("note", "");
  return s;
}

std::vector<Value> CaseValues(const Case& k) {
  std::vector<Value> v;
  for (const auto& f : kCaseTextFields) v.emplace_back(k.*f.member);
  v.emplace_back(k.sex);
  v.emplace_back(k.estimated_age);
  v.emplace_back(k.height_cm);
  v.emplace_back(k.mental_disability);
  v.emplace_back(k.caseworker_id);
  v.emplace_back(k.station_division);
  v.emplace_back(k.person_id > 0 ? Value(k.person_id) : Value());
  v.emplace_back(k.identified);
  v.emplace_back(k.status);
  v.emplace_back(k.intake_at);
  v.emplace_back(ScreeningJson(k.screening).dump());
  v.emplace_back(k.referred_to);
  v.emplace_back(k.refusal);
  v.emplace_back(OrNull(k.departed_at));
  v.emplace_back(k.departure_kind);
  v.emplace_back(k.departure);
  v.emplace_back(k.found_by);
  v.emplace_back(k.extension_until);
  v.emplace_back(k.extension_reason);
  v.emplace_back(k.extension_requested_by);
  v.emplace_back(k.extension_approved_by);
  v.emplace_back(OrNull(k.extension_approved_at));
  v.emplace_back(k.settlement_started_on);
  v.emplace_back(k.settlement_note);
  v.emplace_back(k.version);
  v.emplace_back(k.created_at);
  v.emplace_back(k.created_by);
  v.emplace_back(k.updated_at);
  v.emplace_back(k.updated_by);
  return v;
}

// Reads a row of "id, <CaseColumns()>".
Case CaseFromRow(const db::Row& r) {
  Case k;
  size_t i = 0;
  k.id = r.Int(i++);
  for (const auto& f : kCaseTextFields) k.*f.member = r.Text(i++);
  k.sex = static_cast<int>(r.Int(i++));
  k.estimated_age = OptInt(r[i++]);
  k.height_cm = OptInt(r[i++]);
  k.mental_disability = r.Int(i++) != 0;
  k.caseworker_id = r.Int(i++);
  k.station_division = r.Text(i++);
  k.person_id = r[i].is_null() ? 0 : r.Int(i);
  ++i;
  k.identified = r.Int(i++) != 0;
  k.status = r.Text(i++);
  k.intake_at = r.Text(i++);
  k.screening = ParseScreening(r.Text(i++));
  k.referred_to = r.Text(i++);
  k.refusal = r.Text(i++);
  k.departed_at = Opt(r[i++]);
  k.departure_kind = r.Text(i++);
  k.departure = r.Text(i++);
  k.found_by = r.Text(i++);
  k.extension_until = r.Text(i++);
  k.extension_reason = r.Text(i++);
  k.extension_requested_by = r[i++].as_opt_int();
  k.extension_approved_by = r[i++].as_opt_int();
  k.extension_approved_at = Opt(r[i++]);
  k.settlement_started_on = r.Text(i++);
  k.settlement_note = r.Text(i++);
  k.version = r.Int(i++);
  k.created_at = r.Text(i++);
  k.created_by = r.Int(i++);
  k.updated_at = r.Text(i++);
  k.updated_by = r.Int(i++);
  return k;
}

std::string Placeholders(size_t from, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    if (i) s += ", ";
    s += db::Placeholder(from + i);
  }
  return s;
}

// Appends " AND <scope>" over alias k to sql, its parameters to params.
// The scope's conditions on a table aliased `alias` that has station_division and created_by (a case "k", or a
// notice "n" that copies its case's station).
void AddScope(const ScopeFilter& s, std::string_view alias, std::string& sql, std::vector<Value>& params) {
  // The builder numbers the scope's parameters after the ones already in params.
  db::SqlBuilder b("");
  for (const Value& v : params) b.Param(v);
  const std::string a(alias);
  platform::AddScope(b, s, a + ".station_division", a + ".created_by");
  sql += b.sql();
  params.assign(b.span().begin(), b.span().end());
}

Result<std::vector<Case>> QueryCases(db::Conn& c, const std::string& where, const std::vector<Value>& params) {
  return SelectAll(c, "SELECT id, " + CaseColumns() + " FROM rescue_cases k WHERE " + where, params, CaseFromRow);
}

const char* const kNoticeColumns =
    "id, case_id, station_division, status, due_at, published_at, refreshed_at, name, sex, estimated_age, "
    "height_cm, features, clothing, found_date, found_place, photo, station_contact, minor, version";

Notice NoticeFromRow(const db::Row& r) {
  Notice n;
  n.id = r.Int(0);
  n.case_id = r.Int(1);
  n.station_division = r.Text(2);
  n.status = r.Text(3);
  n.due_at = r.Text(4);
  n.published_at = Opt(r[5]);
  n.refreshed_at = Opt(r[6]);
  n.name = r.Text(7);
  n.sex = static_cast<int>(r.Int(8));
  n.estimated_age = OptInt(r[9]);
  n.height_cm = OptInt(r[10]);
  n.features = r.Text(11);
  n.clothing = r.Text(12);
  n.found_date = r.Text(13);
  n.found_place = r.Text(14);
  n.photo = r.Text(15);
  n.station_contact = r.Text(16);
  n.minor = r.Int(17) != 0;
  n.version = r.Int(18);
  return n;
}

Result<std::vector<Notice>> QueryNotices(db::Conn& c, const std::string& tail, const std::vector<Value>& params) {
  return SelectAll(c, std::string("SELECT ") + kNoticeColumns + " FROM rescue_notices n " + tail, params,
                   NoticeFromRow);
}

const char* const kDnaColumns =
    "id, case_id, requested_on, due_on, police_unit, status, sample_ref, sampled_on, result, result_ref, result_on, "
    "note, version";

DnaRequest DnaFromRow(const db::Row& r) {
  DnaRequest d;
  d.id = r.Int(0);
  d.case_id = r.Int(1);
  d.requested_on = r.Text(2);
  d.due_on = r.Text(3);
  d.police_unit = r.Text(4);
  d.status = r.Text(5);
  d.sample_ref = r.Text(6);
  d.sampled_on = r.Text(7);
  d.result = r.Text(8);
  d.result_ref = r.Text(9);
  d.result_on = r.Text(10);
  d.note = r.Text(11);
  d.version = r.Int(12);
  return d;
}

const char* const kCandidateColumns =
    "id, case_id, source, score, explanation, candidate_ref, status, reason, decided_by, decided_at, created_at";

Candidate CandidateFromRow(const db::Row& r) {
  Candidate k;
  k.id = r.Int(0);
  k.case_id = r.Int(1);
  k.source = r.Text(2);
  k.score = r[3].as_real();
  k.explanation = r.Text(4);
  k.candidate_ref = r.Text(5);
  k.status = r.Text(6);
  k.reason = r.Text(7);
  k.decided_by = r[8].as_opt_int();
  k.decided_at = Opt(r[9]);
  k.created_at = r.Text(10);
  return k;
}

const char* const kPlacementColumns = "id, case_id, kind, institution_id, start_date, end_date, end_reason, note";

Placement PlacementFromRow(const db::Row& r) {
  Placement p;
  p.id = r.Int(0);
  p.case_id = r.Int(1);
  p.kind = r.Text(2);
  p.institution_id = r.Int(3);
  p.start_date = r.Text(4);
  p.end_date = r.Text(5);
  p.end_reason = r.Text(6);
  p.note = r.Text(7);
  return p;
}

const char* const kBelongingColumns =
    "id, case_id, description, quantity, photo, held_at, held_by, returned_at, returned_to, signature_ref, "
    "returned_by";

Belonging BelongingFromRow(const db::Row& r) {
  Belonging b;
  b.id = r.Int(0);
  b.case_id = r.Int(1);
  b.description = r.Text(2);
  b.quantity = static_cast<int>(r.Int(3));
  b.photo = r.Text(4);
  b.held_at = r.Text(5);
  b.held_by = r.Int(6);
  b.returned_at = Opt(r[7]);
  b.returned_to = r.Text(8);
  b.signature_ref = r.Text(9);
  b.returned_by = r[10].as_opt_int();
  return b;
}

const char* const kCareColumns = "id, case_id, kind, recorded_at, temperature_dc, detail, recorded_by";

CareRecord CareFromRow(const db::Row& r) {
  CareRecord k;
  k.id = r.Int(0);
  k.case_id = r.Int(1);
  k.kind = r.Text(2);
  k.recorded_at = r.Text(3);
  k.temperature_dc = OptInt(r[4]);
  k.detail = r.Text(5);
  k.recorded_by = r.Int(6);
  return k;
}

}  // namespace

ScopeFilter ScopeOf(const platform::Principal& p) { return platform::DataScopeOf(p); }

Result<int64_t> InsertCase(db::Conn& c, const Case& k) {
  std::vector<Value> v = CaseValues(k);
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("INSERT INTO rescue_cases (" + CaseColumns() + ") VALUES (" +
                                                Placeholders(1, v.size()) + ") RETURNING id",
                                            std::span<const Value>(v)));
  return rows[0].Int(0);
}

Result<std::optional<Case>> GetCase(db::Conn& c, int64_t id) {
  DOUDI_ASSIGN_OR_RETURN(auto found, QueryCases(c, "id = $1", {Value(id)}));
  if (found.empty()) return std::optional<Case>();
  return std::optional<Case>(std::move(found[0]));
}

Result<bool> UpdateCase(db::Conn& c, const Case& k, int64_t expected_version) {
  Case next = k;
  next.version = expected_version + 1;
  std::vector<Value> v = CaseValues(next);
  std::string sets;
  std::string cols = CaseColumns();
  size_t i = 1;
  size_t start = 0;
  while (start < cols.size()) {
    size_t comma = cols.find(", ", start);
    std::string col = cols.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!sets.empty()) sets += ", ";
    sets += col + " = $" + std::to_string(i++);
    if (comma == std::string::npos) break;
    start = comma + 2;
  }
  v.emplace_back(k.id);
  v.emplace_back(expected_version);
  DOUDI_ASSIGN_OR_RETURN(int64_t n, c.Exec("UPDATE rescue_cases SET " + sets + " WHERE id = $" + std::to_string(i) +
                                               " AND version = $" + std::to_string(i + 1),
                                           std::span<const Value>(v)));
  return n == 1;
}

Status TouchCase(db::Conn& c, Case& k, const std::string& now, int64_t by) {
  int64_t version = k.version;
  k.updated_at = now;
  k.updated_by = by;
  DOUDI_ASSIGN_OR_RETURN(bool ok, UpdateCase(c, k, version));
  if (!ok) return db::VersionConflict();
  k.version = version + 1;
  return Status::Ok();
}

Result<std::pair<std::vector<Case>, int64_t>> SearchCases(db::Conn& c, const CaseFilter& f) {
  std::string where = "1 = 1";
  std::vector<Value> params;
  AddScope(f.scope, "k", where, params);
  if (!f.status.empty()) {
    params.emplace_back(f.status);
    where += " AND k.status = $" + std::to_string(params.size());
  }
  if (!f.name_contains.empty()) {
    params.emplace_back("%" + f.name_contains + "%");
    where += " AND k.name LIKE $" + std::to_string(params.size());
  }
  if (f.unidentified_only) where += " AND k.identified = 0";
  if (f.assignee) {
    params.emplace_back(*f.assignee);
    std::string p = db::Placeholder(params.size());
    where += " AND (k.caseworker_id = " + p + " OR (k.caseworker_id = 0 AND k.created_by = " + p + "))";
  }
  DOUDI_ASSIGN_OR_RETURN(int64_t total, SelectCount(c, "SELECT COUNT(*) FROM rescue_cases k WHERE " + where, params));
  params.emplace_back(f.limit);
  params.emplace_back(f.offset);
  std::string page = " ORDER BY k.intake_at DESC, k.id DESC LIMIT $" + std::to_string(params.size() - 1) +
                     " OFFSET $" + std::to_string(params.size());
  DOUDI_ASSIGN_OR_RETURN(auto items, QueryCases(c, where + page, params));
  return std::make_pair(std::move(items), total);
}

Result<std::vector<Case>> CasesOfPerson(db::Conn& c, int64_t person_id) {
  return QueryCases(c, "person_id = $1 ORDER BY intake_at, id", {Value(person_id)});
}

Result<std::vector<Case>> CasesIntakeBetween(db::Conn& c, const ScopeFilter& s, const std::string& from,
                                             const std::string& to) {
  std::string where = "k.intake_at >= $1 AND k.intake_at < $2";
  std::vector<Value> params = {Value(from), Value(to)};
  AddScope(s, "k", where, params);
  return QueryCases(c, where, params);
}

Result<std::vector<Case>> CasesDepartedBetween(db::Conn& c, const ScopeFilter& s, const std::string& from,
                                               const std::string& to) {
  std::string where = "k.status = 'departed' AND k.departed_at >= $1 AND k.departed_at < $2";
  std::vector<Value> params = {Value(from), Value(to)};
  AddScope(s, "k", where, params);
  return QueryCases(c, where, params);
}

Status InsertVersion(db::Conn& c, int64_t case_id, const CaseVersion& v) {
  return c
      .Exec("INSERT INTO rescue_case_versions (case_id, version, changed_at, changed_by, reason, fields, previous) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7)",
            {case_id, v.version, v.changed_at, v.changed_by, v.reason, v.fields, v.previous})
      .status();
}

Result<std::vector<CaseVersion>> Versions(db::Conn& c, int64_t case_id) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT version, changed_at, changed_by, reason, fields, previous FROM "
                                            "rescue_case_versions WHERE case_id = $1 ORDER BY version",
                                            {case_id}));
  std::vector<CaseVersion> out;
  for (const auto& r : rows) {
    out.push_back({r.Int(0), r.Text(1), r.Int(2), r.Text(3), r.Text(4), r.Text(5)});
  }
  return out;
}

Result<int64_t> InsertBelonging(db::Conn& c, const Belonging& b) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("INSERT INTO rescue_belongings (case_id, description, quantity, photo, "
                                            "held_at, held_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                                            {b.case_id, b.description, b.quantity, b.photo, b.held_at, b.held_by}));
  return rows[0].Int(0);
}

Result<std::vector<Belonging>> Belongings(db::Conn& c, int64_t case_id) {
  return SelectAll(c,
                   std::string("SELECT ") + kBelongingColumns +
                       " FROM rescue_belongings WHERE case_id = $1 ORDER BY id",
                   {case_id}, BelongingFromRow);
}

Result<bool> ReturnBelonging(db::Conn& c, int64_t case_id, int64_t id, const std::string& at, const std::string& to,
                             const std::string& signature_ref, int64_t by) {
  DOUDI_ASSIGN_OR_RETURN(int64_t n, c.Exec("UPDATE rescue_belongings SET returned_at = $1, returned_to = $2, "
                                           "signature_ref = $3, returned_by = $4 WHERE id = $5 AND case_id = $6 "
                                           "AND returned_at IS NULL",
                                           {at, to, signature_ref, by, id, case_id}));
  return n == 1;
}

Result<int64_t> InsertCare(db::Conn& c, const CareRecord& r, const std::string& created_at) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("INSERT INTO rescue_care_records (case_id, kind, recorded_at, "
                                            "temperature_dc, detail, recorded_by, created_at) VALUES ($1, $2, $3, "
                                            "$4, $5, $6, $7) RETURNING id",
                                            {r.case_id, r.kind, r.recorded_at, r.temperature_dc, r.detail,
                                             r.recorded_by, created_at}));
  return rows[0].Int(0);
}

Result<std::vector<CareRecord>> CareRecords(db::Conn& c, int64_t case_id) {
  return SelectAll(c,
                   std::string("SELECT ") + kCareColumns +
                       " FROM rescue_care_records WHERE case_id = $1 ORDER BY recorded_at, id",
                   {case_id}, CareFromRow);
}

Result<int64_t> InsertPlacement(db::Conn& c, const Placement& p, const std::string& at, int64_t by) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("INSERT INTO rescue_placements (case_id, kind, institution_id, "
                                            "start_date, note, created_at, created_by, updated_at, updated_by) "
                                            "VALUES ($1, $2, $3, $4, $5, $6, $7, $6, $7) RETURNING id",
                                            {p.case_id, p.kind, p.institution_id, p.start_date, p.note, at, by}));
  return rows[0].Int(0);
}

Result<std::vector<Placement>> Placements(db::Conn& c, int64_t case_id) {
  return SelectAll(c,
                   std::string("SELECT ") + kPlacementColumns +
                       " FROM rescue_placements WHERE case_id = $1 ORDER BY start_date, id",
                   {case_id}, PlacementFromRow);
}

Result<std::optional<Placement>> OpenPlacement(db::Conn& c, int64_t case_id) {
  return SelectOne(c,
                   std::string("SELECT ") + kPlacementColumns +
                       " FROM rescue_placements WHERE case_id = $1 AND end_date = ''",
                   {case_id}, PlacementFromRow);
}

Status EndPlacement(db::Conn& c, int64_t id, const std::string& end_date, const std::string& reason,
                    const std::string& at, int64_t by) {
  return c
      .Exec("UPDATE rescue_placements SET end_date = $1, end_reason = $2, updated_at = $3, updated_by = $4 "
            "WHERE id = $5",
            {end_date, reason, at, by, id})
      .status();
}

Result<std::vector<Placement>> OpenPlacements(db::Conn& c) {
  return SelectAll(c, std::string("SELECT ") + kPlacementColumns + " FROM rescue_placements WHERE end_date = ''", {},
                   PlacementFromRow);
}

Result<int64_t> InsertNotice(db::Conn& c, const Notice& n, const std::string& at, int64_t by) {
  DOUDI_ASSIGN_OR_RETURN(
      auto rows,
      c.Query("INSERT INTO rescue_notices (case_id, station_division, status, due_at, name, sex, estimated_age, "
              "height_cm, features, clothing, found_date, found_place, photo, station_contact, minor, created_at, "
              "created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
              "$14, $15, $16, $17, $16, $17) RETURNING id",
              {n.case_id, n.station_division, n.status, n.due_at, n.name, n.sex, n.estimated_age, n.height_cm,
               n.features, n.clothing, n.found_date, n.found_place, n.photo, n.station_contact, n.minor, at, by}));
  return rows[0].Int(0);
}

Result<std::optional<Notice>> GetNotice(db::Conn& c, int64_t id) {
  DOUDI_ASSIGN_OR_RETURN(auto found, QueryNotices(c, "WHERE id = $1", {Value(id)}));
  if (found.empty()) return std::optional<Notice>();
  return std::optional<Notice>(std::move(found[0]));
}

Result<std::vector<Notice>> NoticesOfCase(db::Conn& c, int64_t case_id) {
  return QueryNotices(c, "WHERE case_id = $1 ORDER BY id", {Value(case_id)});
}

Result<std::vector<Notice>> Notices(db::Conn& c, const ScopeFilter& s, const std::string& status) {
  std::string where = "WHERE 1 = 1";
  std::vector<Value> params;
  AddScope(s, "n", where, params);
  if (!status.empty()) {
    params.emplace_back(status);
    where += " AND n.status = $" + std::to_string(params.size());
  }
  return QueryNotices(c, where + " ORDER BY n.id DESC", params);
}

Result<bool> UpdateNotice(db::Conn& c, const Notice& n, int64_t expected_version, const std::string& at,
                          int64_t by) {
  DOUDI_ASSIGN_OR_RETURN(
      int64_t changed,
      c.Exec("UPDATE rescue_notices SET status = $1, published_at = $2, refreshed_at = $3, name = $4, sex = $5, "
             "estimated_age = $6, height_cm = $7, features = $8, clothing = $9, found_date = $10, found_place = $11, "
             "photo = $12, station_contact = $13, minor = $14, version = version + 1, updated_at = $15, "
             "updated_by = $16 WHERE id = $17 AND version = $18",
             {n.status, OrNull(n.published_at), OrNull(n.refreshed_at), n.name, n.sex, n.estimated_age, n.height_cm,
              n.features, n.clothing, n.found_date, n.found_place, n.photo, n.station_contact, n.minor, at, by, n.id,
              expected_version}));
  return changed == 1;
}

Status CloseNotices(db::Conn& c, int64_t case_id, const std::string& at, int64_t by) {
  return c
      .Exec("UPDATE rescue_notices SET status = 'closed', version = version + 1, updated_at = $1, updated_by = $2 "
            "WHERE case_id = $3 AND status <> 'closed'",
            {at, by, case_id})
      .status();
}

Result<std::pair<std::vector<Notice>, int64_t>> PublishedNotices(db::Conn& c, int64_t limit, int64_t offset) {
  const std::string where =
      "WHERE n.status = 'published' AND EXISTS (SELECT 1 FROM rescue_cases k WHERE k.id = n.case_id AND "
      "k.status = 'in_station')";
  DOUDI_ASSIGN_OR_RETURN(int64_t total, SelectCount(c, "SELECT COUNT(*) FROM rescue_notices n " + where));
  DOUDI_ASSIGN_OR_RETURN(auto items,
                         QueryNotices(c, where + " ORDER BY n.published_at DESC, n.id DESC LIMIT $1 OFFSET $2",
                                      {Value(limit), Value(offset)}));
  return std::make_pair(std::move(items), total);
}

Result<int64_t> CountNoticesPublishedBetween(db::Conn& c, const ScopeFilter& s, const std::string& from,
                                             const std::string& to) {
  std::string where = "n.published_at >= $1 AND n.published_at < $2";
  std::vector<Value> params = {Value(from), Value(to)};
  AddScope(s, "n", where, params);
  return SelectCount(c, "SELECT COUNT(*) FROM rescue_notices n WHERE " + where, params);
}

Result<SearchFlags> SearchFlagsOfOpenCases(db::Conn& c) {
  SearchFlags out;
  DOUDI_ASSIGN_OR_RETURN(auto notices, c.Query("SELECT n.case_id, n.published_at, n.refreshed_at FROM rescue_notices n "
                                               "JOIN rescue_cases k ON k.id = n.case_id WHERE k.status = 'in_station' "
                                               "AND n.published_at IS NOT NULL"));
  for (const auto& r : notices) {
    std::string last = r[2].is_null() ? r.Text(1) : std::max(r.Text(1), r.Text(2));
    std::string& slot = out.last_published[r.Int(0)];
    slot = std::max(slot, last);
  }
  DOUDI_ASSIGN_OR_RETURN(auto dna, c.Query("SELECT DISTINCT d.case_id FROM rescue_dna_requests d JOIN rescue_cases k "
                                           "ON k.id = d.case_id WHERE k.status = 'in_station'"));
  for (const auto& r : dna) out.dna_requested.insert(r.Int(0));
  return out;
}

Result<int64_t> InsertDna(db::Conn& c, const DnaRequest& d, const std::string& at, int64_t by) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("INSERT INTO rescue_dna_requests (case_id, requested_on, due_on, "
                                            "police_unit, status, note, created_at, created_by, updated_at, "
                                            "updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8) "
                                            "RETURNING id",
                                            {d.case_id, d.requested_on, d.due_on, d.police_unit, d.status, d.note, at,
                                             by}));
  return rows[0].Int(0);
}

Result<std::optional<DnaRequest>> GetDna(db::Conn& c, int64_t id) {
  return SelectOne(c, std::string("SELECT ") + kDnaColumns + " FROM rescue_dna_requests WHERE id = $1", {id},
                   DnaFromRow);
}

Result<std::vector<DnaRequest>> DnaOfCase(db::Conn& c, int64_t case_id) {
  return SelectAll(c, std::string("SELECT ") + kDnaColumns + " FROM rescue_dna_requests WHERE case_id = $1 ORDER BY id",
                   {case_id}, DnaFromRow);
}

Result<bool> UpdateDna(db::Conn& c, const DnaRequest& d, int64_t expected_version, const std::string& at,
                       int64_t by) {
  DOUDI_ASSIGN_OR_RETURN(int64_t n, c.Exec("UPDATE rescue_dna_requests SET status = $1, sample_ref = $2, "
                                           "sampled_on = $3, result = $4, result_ref = $5, result_on = $6, "
                                           "version = version + 1, updated_at = $7, updated_by = $8 "
                                           "WHERE id = $9 AND version = $10",
                                           {d.status, d.sample_ref, d.sampled_on, d.result, d.result_ref, d.result_on,
                                            at, by, d.id, expected_version}));
  return n == 1;
}

Result<int64_t> CountDnaRequestedBetween(db::Conn& c, const ScopeFilter& s, const std::string& from,
                                         const std::string& to) {
  std::string where = "d.requested_on >= $1 AND d.requested_on <= $2";
  std::vector<Value> params = {Value(from), Value(to)};
  AddScope(s, "k", where, params);
  return SelectCount(c, "SELECT COUNT(*) FROM rescue_dna_requests d JOIN rescue_cases k ON k.id = d.case_id WHERE " +
                            where,
                     params);
}

Result<int64_t> InsertCandidate(db::Conn& c, const Candidate& k, int64_t by) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("INSERT INTO rescue_candidates (case_id, source, score, explanation, "
                                            "candidate_ref, status, created_at, created_by) VALUES ($1, $2, $3, $4, "
                                            "$5, 'open', $6, $7) RETURNING id",
                                            {k.case_id, k.source, k.score, k.explanation, k.candidate_ref,
                                             k.created_at, by}));
  return rows[0].Int(0);
}

Result<std::optional<Candidate>> GetCandidate(db::Conn& c, int64_t id) {
  return SelectOne(c, std::string("SELECT ") + kCandidateColumns + " FROM rescue_candidates WHERE id = $1", {id},
                   CandidateFromRow);
}

Result<std::vector<Candidate>> CandidatesOfCase(db::Conn& c, int64_t case_id) {
  return SelectAll(c,
                   std::string("SELECT ") + kCandidateColumns +
                       " FROM rescue_candidates WHERE case_id = $1 ORDER BY score DESC, id",
                   {case_id}, CandidateFromRow);
}

Result<bool> DecideCandidate(db::Conn& c, int64_t id, const std::string& status, const std::string& reason,
                             int64_t by, const std::string& at) {
  DOUDI_ASSIGN_OR_RETURN(int64_t n, c.Exec("UPDATE rescue_candidates SET status = $1, reason = $2, decided_by = $3, "
                                           "decided_at = $4 WHERE id = $5 AND status = 'open'",
                                           {status, reason, by, at, id}));
  return n == 1;
}

}  // namespace doudi::rescue::store
