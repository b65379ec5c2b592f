#include "registry/store.h"

#include <algorithm>

#include "db/sql_builder.h"

namespace doudi::registry::store {
namespace {

using db::Value;

// IN-list lookups go in chunks of this size, padded by repeating an element, so that every chunk runs the same
// (cached, prepared) statement text.
constexpr size_t kInChunk = 256;

Value NullIfEmpty(const std::string& s) { return s.empty() ? Value() : Value(s); }

using db::AddPrefix;
using db::SqlBuilder;

void AddScope(SqlBuilder& b, std::string_view alias, const Scope& s) {
  const std::string a(alias);
  platform::AddScope(b, s, a + ".division_code", a + ".created_by");
}

constexpr char kPersonColumns[] =
    "p.id, p.name, p.sex, p.birth_date, p.estimated_age, p.id_cipher, p.id_hash, p.ethnicity, p.phone_cipher, "
    "p.phone_hash, p.address, p.address_division, p.hukou_division, p.hukou_address, p.division_code, p.photo, "
    "p.flags, p.disability_category, p.disability_grade, p.marital_status, p.education, p.notes, p.version, "
    "p.created_at, p.created_by, p.updated_at, p.updated_by, hm.household_id";
constexpr char kPersonFrom[] = " FROM persons p LEFT JOIN household_members hm ON hm.person_id = p.id";
// The read of one person by id joins through household_members_person (registry migration 002), which holds
// household_id itself. SQLite's planner prefers the UNIQUE (person_id) index, one row but then the table too, so
// it is told; PostgreSQL chooses by its statistics.
constexpr char kPersonByIdFromSqlite[] =
    " FROM persons p LEFT JOIN household_members hm INDEXED BY household_members_person ON hm.person_id = p.id";

PersonRow ToPersonRow(const db::Row& r) {
  PersonRow row;
  Person& p = row.person;
  p.id = r.Int(0);
  p.name = r.Text(1);
  p.sex = static_cast<int>(r.Int(2));
  p.birth_date = r.Text(3);
  if (!r.IsNull(4)) p.estimated_age = static_cast<int>(r.Int(4));
  row.id_cipher = r.Text(5);
  row.id_hash = r.Text(6);
  p.ethnicity = r.Text(7);
  row.phone_cipher = r.Text(8);
  row.phone_hash = r.Text(9);
  p.address = r.Text(10);
  p.address_division = r.Text(11);
  p.hukou_division = r.Text(12);
  p.hukou_address = r.Text(13);
  p.division_code = r.Text(14);
  p.photo = r.Text(15);
  p.flags = r.Text(16);
  p.disability_category = r.Text(17);
  p.disability_grade = r.Text(18);
  p.marital_status = r.Text(19);
  p.education = r.Text(20);
  p.notes = r.Text(21);
  p.version = r.Int(22);
  p.created_at = r.Text(23);
  p.created_by = r.Int(24);
  p.updated_at = r.Text(25);
  p.updated_by = r.Int(26);
  if (!r.IsNull(27)) p.household_id = r.Int(27);
  return row;
}

constexpr char kHouseholdColumns[] =
    "h.id, h.head_person_id, h.urban_rural, h.division_code, h.address, h.version, h.created_at, h.created_by, "
    "h.updated_at, h.updated_by, hp.name, (SELECT count(*) FROM household_members m WHERE m.household_id = h.id)";
constexpr char kHouseholdFrom[] = " FROM households h LEFT JOIN persons hp ON hp.id = h.head_person_id";

Household ToHousehold(const db::Row& r) {
  Household h;
  h.id = r.Int(0);
  h.head_person_id = r.Int(1);
  h.urban_rural = r.Text(2);
  h.division_code = r.Text(3);
  h.address = r.Text(4);
  h.version = r.Int(5);
  h.created_at = r.Text(6);
  h.created_by = r.Int(7);
  h.updated_at = r.Text(8);
  h.updated_by = r.Int(9);
  h.head_name = r.Text(10);
  h.member_count = r.Int(11);
  return h;
}

// Runs `sql_head + " IN ($1..$kInChunk)"`-style lookups over `keys` in fixed-size chunks; calls on_row for
// every returned row.
template <typename K, typename F>
Status ChunkedIn(db::Conn& c, const std::string& sql_head, const std::string& sql_tail, const std::vector<K>& keys,
                 F on_row) {
  static_assert(kInChunk > 0);
  std::string in = "(";
  for (size_t i = 0; i < kInChunk; ++i) in += (i ? ", $" : "$") + std::to_string(i + 1);
  in += ")";
  const std::string sql = sql_head + in + sql_tail;
  std::vector<Value> params(kInChunk);
  for (size_t start = 0; start < keys.size(); start += kInChunk) {
    size_t n = std::min(kInChunk, keys.size() - start);
    for (size_t i = 0; i < kInChunk; ++i) params[i] = Value(keys[start + (i < n ? i : 0)]);
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(sql, std::span<const Value>(params.data(), params.size())));
    for (const auto& r : rows) on_row(r);
  }
  return Status::Ok();
}

// $1..$21 of both INSERT and UPDATE: the person's stored columns, from name to notes.
std::vector<Value> PersonValues(const PersonRow& row) {
  const Person& p = row.person;
  return {p.name,
          p.sex,
          NullIfEmpty(p.birth_date),
          Value(p.estimated_age),
          NullIfEmpty(row.id_cipher),
          NullIfEmpty(row.id_hash),
          p.ethnicity,
          NullIfEmpty(row.phone_cipher),
          NullIfEmpty(row.phone_hash),
          p.address,
          p.address_division,
          p.hukou_division,
          p.hukou_address,
          p.division_code,
          NullIfEmpty(p.photo),
          p.flags,
          p.disability_category,
          p.disability_grade,
          p.marital_status,
          p.education,
          p.notes};
}

}  // namespace

Result<int64_t> InsertPerson(db::Conn& c, const PersonRow& row) {
  const Person& p = row.person;
  std::vector<Value> params = PersonValues(row);
  params.insert(params.end(), {p.created_at, p.created_by, p.updated_at, p.updated_by});
  DOUDI_ASSIGN_OR_RETURN(
      auto rows,
      c.Query("INSERT INTO persons (name, sex, birth_date, estimated_age, id_cipher, id_hash, ethnicity, "
              "phone_cipher, phone_hash, address, address_division, hukou_division, hukou_address, division_code, "
              "photo, flags, disability_category, disability_grade, marital_status, education, notes, version, "
              "created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
              "$11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, 1, $22, $23, $24, $25) RETURNING id",
              std::span<const Value>(params)));
  if (rows.empty()) return Status::Internal("INSERT persons returned no id");
  return rows[0].Int(0);
}

Result<std::optional<PersonRow>> GetPerson(db::Conn& c, int64_t id) {
  DOUDI_ASSIGN_OR_RETURN(auto rows,
                         c.Query(std::string("SELECT ") + kPersonColumns +
                                     (c.dialect() == db::Dialect::kSqlite ? kPersonByIdFromSqlite : kPersonFrom) +
                                     " WHERE p.id = $1",
                                 {id}));
  if (rows.empty()) return std::optional<PersonRow>();
  return std::optional<PersonRow>(ToPersonRow(rows[0]));
}

Result<std::optional<int64_t>> PersonIdByIdHash(db::Conn& c, const std::string& id_hash) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT id FROM persons WHERE id_hash = $1", {id_hash}));
  if (rows.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rows[0].Int(0));
}

Result<std::vector<std::pair<std::string, int64_t>>> PersonIdsByIdHashes(db::Conn& c,
                                                                         const std::vector<std::string>& hashes) {
  std::vector<std::pair<std::string, int64_t>> out;
  DOUDI_RETURN_IF_ERROR(ChunkedIn(c, "SELECT id_hash, id FROM persons WHERE id_hash IN ", "", hashes,
                                  [&](const db::Row& r) { out.emplace_back(r.Text(0), r.Int(1)); }));
  return out;
}

Result<bool> UpdatePerson(db::Conn& c, const PersonRow& row, int64_t expected_version) {
  const Person& p = row.person;
  std::vector<Value> params = PersonValues(row);
  params.insert(params.end(), {p.updated_at, p.updated_by, p.id, expected_version});
  DOUDI_ASSIGN_OR_RETURN(
      int64_t n,
      c.Exec("UPDATE persons SET name = $1, sex = $2, birth_date = $3, estimated_age = $4, id_cipher = $5, "
             "id_hash = $6, ethnicity = $7, phone_cipher = $8, phone_hash = $9, address = $10, "
             "address_division = $11, hukou_division = $12, hukou_address = $13, division_code = $14, photo = $15, "
             "flags = $16, disability_category = $17, disability_grade = $18, marital_status = $19, "
             "education = $20, notes = $21, updated_at = $22, updated_by = $23, version = version + 1 "
             "WHERE id = $24 AND version = $25",
             std::span<const Value>(params)));
  return n > 0;
}

Result<std::pair<std::vector<PersonRow>, int64_t>> SearchPersons(db::Conn& c, const PersonFilter& f) {
  SqlBuilder where(" WHERE 1 = 1");
  AddScope(where, "p", f.scope);
  if (!f.division_prefix.empty()) AddPrefix(where, "p.division_code", f.division_prefix);
  if (!f.id_hash.empty()) where += " AND p.id_hash = " + where.Param(f.id_hash);
  if (!f.phone_hash.empty()) where += " AND p.phone_hash = " + where.Param(f.phone_hash);
  if (f.sex) where += " AND p.sex = " + where.Param(*f.sex);
  if (!f.name_contains.empty()) {
    std::string pattern = "%";
    for (char ch : f.name_contains) {
      if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
      pattern += ch;
    }
    pattern += '%';
    where += " AND p.name LIKE " + where.Param(pattern) + " ESCAPE '\\'";
  }
  DOUDI_ASSIGN_OR_RETURN(auto count, c.Query("SELECT count(*) FROM persons p" + where.sql(), where.span()));
  int64_t total = count.empty() ? 0 : count[0].Int(0);
  std::vector<PersonRow> out;
  if (total > f.offset) {
    SqlBuilder q = where;
    q += " ORDER BY p.id DESC LIMIT " + q.Param(f.limit) + " OFFSET " + q.Param(f.offset);
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kPersonColumns + kPersonFrom + q.sql(), q.span()));
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(ToPersonRow(r));
  }
  return std::pair(std::move(out), total);
}

Result<std::vector<std::pair<int64_t, std::pair<std::string, int64_t>>>> PersonScopes(db::Conn& c,
                                                                                     const std::vector<int64_t>& ids) {
  std::vector<std::pair<int64_t, std::pair<std::string, int64_t>>> out;
  DOUDI_RETURN_IF_ERROR(ChunkedIn(c, "SELECT id, division_code, created_by FROM persons WHERE id IN ", "", ids,
                                  [&](const db::Row& r) {
                                    out.push_back({r.Int(0), {r.Text(1), r.Int(2)}});
                                  }));
  return out;
}

Result<int64_t> InsertHousehold(db::Conn& c, const Household& h) {
  DOUDI_ASSIGN_OR_RETURN(
      auto rows,
      c.Query("INSERT INTO households (head_person_id, urban_rural, division_code, address, version, created_at, "
              "created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8) RETURNING id",
              {h.head_person_id, h.urban_rural, h.division_code, h.address, h.created_at, h.created_by,
               h.updated_at, h.updated_by}));
  if (rows.empty()) return Status::Internal("INSERT households returned no id");
  return rows[0].Int(0);
}

Result<std::optional<Household>> GetHousehold(db::Conn& c, int64_t id) {
  DOUDI_ASSIGN_OR_RETURN(
      auto rows, c.Query(std::string("SELECT ") + kHouseholdColumns + kHouseholdFrom + " WHERE h.id = $1", {id}));
  if (rows.empty()) return std::optional<Household>();
  return std::optional<Household>(ToHousehold(rows[0]));
}

Result<bool> UpdateHousehold(db::Conn& c, const Household& h, int64_t expected_version) {
  DOUDI_ASSIGN_OR_RETURN(
      int64_t n,
      c.Exec("UPDATE households SET head_person_id = $1, urban_rural = $2, division_code = $3, address = $4, "
             "updated_at = $5, updated_by = $6, version = version + 1 WHERE id = $7 AND version = $8",
             {h.head_person_id, h.urban_rural, h.division_code, h.address, h.updated_at, h.updated_by, h.id,
              expected_version}));
  return n > 0;
}

Result<bool> TouchHousehold(db::Conn& c, int64_t id, const std::string& at, int64_t by) {
  DOUDI_ASSIGN_OR_RETURN(
      int64_t n, c.Exec("UPDATE households SET updated_at = $1, updated_by = $2, version = version + 1 WHERE id = $3",
                        {at, by, id}));
  return n > 0;
}

Result<std::pair<std::vector<Household>, int64_t>> SearchHouseholds(db::Conn& c, const HouseholdFilter& f) {
  SqlBuilder where(" WHERE 1 = 1");
  AddScope(where, "h", f.scope);
  if (!f.division_prefix.empty()) AddPrefix(where, "h.division_code", f.division_prefix);
  if (!f.urban_rural.empty()) where += " AND h.urban_rural = " + where.Param(f.urban_rural);
  DOUDI_ASSIGN_OR_RETURN(auto count, c.Query("SELECT count(*) FROM households h" + where.sql(), where.span()));
  int64_t total = count.empty() ? 0 : count[0].Int(0);
  std::vector<Household> out;
  if (total > f.offset) {
    SqlBuilder q = where;
    q += " ORDER BY h.id DESC LIMIT " + q.Param(f.limit) + " OFFSET " + q.Param(f.offset);
    DOUDI_ASSIGN_OR_RETURN(auto rows,
                           c.Query(std::string("SELECT ") + kHouseholdColumns + kHouseholdFrom + q.sql(), q.span()));
    out.reserve(rows.size());
    for (const auto& r : rows) out.push_back(ToHousehold(r));
  }
  return std::pair(std::move(out), total);
}

Result<std::vector<MemberRow>> Members(db::Conn& c, int64_t household_id) {
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT ") + kPersonColumns + ", hm.relation" + kPersonFrom +
                                                " WHERE hm.household_id = $1 ORDER BY hm.relation, p.id",
                                            {household_id}));
  std::vector<MemberRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    MemberRow m;
    m.person = ToPersonRow(r);
    m.member.person_id = m.person.person.id;
    m.member.relation = r.Text(28);
    out.push_back(std::move(m));
  }
  return out;
}

Status InsertMember(db::Conn& c, int64_t household_id, const Member& m) {
  DOUDI_ASSIGN_OR_RETURN(
      int64_t n, c.Exec("INSERT INTO household_members (household_id, person_id, relation) VALUES ($1, $2, $3)",
                        {household_id, m.person_id, m.relation}));
  (void)n;
  return Status::Ok();
}

Result<int64_t> DeleteMember(db::Conn& c, int64_t household_id, int64_t person_id) {
  return c.Exec("DELETE FROM household_members WHERE household_id = $1 AND person_id = $2", {household_id, person_id});
}

Result<int64_t> DeleteMembers(db::Conn& c, int64_t household_id) {
  return c.Exec("DELETE FROM household_members WHERE household_id = $1", {household_id});
}

Result<int64_t> UpdateMemberRelation(db::Conn& c, int64_t household_id, int64_t person_id,
                                     const std::string& relation) {
  return c.Exec("UPDATE household_members SET relation = $1 WHERE household_id = $2 AND person_id = $3",
                {relation, household_id, person_id});
}

Result<std::optional<int64_t>> HouseholdOfPerson(db::Conn& c, int64_t person_id) {
  DOUDI_ASSIGN_OR_RETURN(auto rows,
                         c.Query("SELECT household_id FROM household_members WHERE person_id = $1", {person_id}));
  if (rows.empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rows[0].Int(0));
}

Result<std::vector<std::pair<int64_t, int64_t>>> HouseholdsOfPersons(db::Conn& c, const std::vector<int64_t>& ids) {
  std::vector<std::pair<int64_t, int64_t>> out;
  DOUDI_RETURN_IF_ERROR(ChunkedIn(c, "SELECT person_id, household_id FROM household_members WHERE person_id IN ", "",
                                  ids, [&](const db::Row& r) { out.emplace_back(r.Int(0), r.Int(1)); }));
  return out;
}

Result<std::vector<CountRow>> CountPersons(db::Conn& c, const Scope& scope) {
  SqlBuilder q(
      "SELECT substr(p.division_code, 1, 6), COALESCE(h.urban_rural, ''), count(*) FROM persons p "
      "LEFT JOIN household_members hm ON hm.person_id = p.id LEFT JOIN households h ON h.id = hm.household_id "
      "WHERE 1 = 1");
  AddScope(q, "p", scope);
  q += " GROUP BY substr(p.division_code, 1, 6), COALESCE(h.urban_rural, '')";
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(q.sql(), q.span()));
  std::vector<CountRow> out;
  for (const auto& r : rows) out.push_back({r.Text(0), r.Text(1), r.Int(2)});
  return out;
}

Result<std::vector<CountRow>> CountHouseholds(db::Conn& c, const Scope& scope) {
  SqlBuilder q("SELECT substr(h.division_code, 1, 6), h.urban_rural, count(*) FROM households h WHERE 1 = 1");
  AddScope(q, "h", scope);
  q += " GROUP BY substr(h.division_code, 1, 6), h.urban_rural";
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(q.sql(), q.span()));
  std::vector<CountRow> out;
  for (const auto& r : rows) out.push_back({r.Text(0), r.Text(1), r.Int(2)});
  return out;
}

}  // namespace doudi::registry::store
