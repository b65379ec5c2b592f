// The registry's SQL: persons, households and household members over a db::Conn. No rules, no crypto, no
// scope decisions — the service computes ciphertexts, hashes and the scope filter and passes them in. The same
// SQL runs on SQLite and PostgreSQL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "db/db.h"
#include "platform/data_scope.h"
#include "registry/model.h"

namespace doudi::registry::store {

// A person as stored: the record plus the encrypted ID/phone and their lookup hashes ("" = NULL). The
// record's id_number and phone are not read or written here.
struct PersonRow {
  Person person;
  std::string id_cipher, id_hash, phone_cipher, phone_hash;
};

// Which rows a caller may see: the platform's one data-scope rule (platform/data_scope.h).
using Scope = platform::DataScope;

struct PersonFilter {
  Scope scope;
  std::string name_contains;
  std::string id_hash;
  std::string phone_hash;
  std::string division_prefix;
  std::optional<int> sex;
  int64_t limit = 20, offset = 0;
};

struct HouseholdFilter {
  Scope scope;
  std::string division_prefix;
  std::string urban_rural;
  int64_t limit = 20, offset = 0;
};

// A member with the stored person behind it (for masked summaries).
struct MemberRow {
  Member member;
  PersonRow person;
};

// Persons.
Result<int64_t> InsertPerson(db::Conn& c, const PersonRow& row);
Result<std::optional<PersonRow>> GetPerson(db::Conn& c, int64_t id);
Result<std::optional<int64_t>> PersonIdByIdHash(db::Conn& c, const std::string& id_hash);
// Existing person ids for the given ID hashes (up to any number; queried in chunks): hash -> id.
Result<std::vector<std::pair<std::string, int64_t>>> PersonIdsByIdHashes(db::Conn& c,
                                                                         const std::vector<std::string>& hashes);
// Updates every stored field of row.person, bumps the version; false if (id, expected_version) matched nothing.
Result<bool> UpdatePerson(db::Conn& c, const PersonRow& row, int64_t expected_version);
Result<std::pair<std::vector<PersonRow>, int64_t>> SearchPersons(db::Conn& c, const PersonFilter& f);
// Of the given person ids, those that exist (id -> division_code, created_by).
Result<std::vector<std::pair<int64_t, std::pair<std::string, int64_t>>>> PersonScopes(db::Conn& c,
                                                                                     const std::vector<int64_t>& ids);

// Households.
Result<int64_t> InsertHousehold(db::Conn& c, const Household& h);
Result<std::optional<Household>> GetHousehold(db::Conn& c, int64_t id);  // without members
Result<bool> UpdateHousehold(db::Conn& c, const Household& h, int64_t expected_version);
// Bumps version and updated_at/by after a membership change; false if the household is gone.
Result<bool> TouchHousehold(db::Conn& c, int64_t id, const std::string& at, int64_t by);
Result<std::pair<std::vector<Household>, int64_t>> SearchHouseholds(db::Conn& c, const HouseholdFilter& f);

// Members.
Result<std::vector<MemberRow>> Members(db::Conn& c, int64_t household_id);
Status InsertMember(db::Conn& c, int64_t household_id, const Member& m);
Result<int64_t> DeleteMember(db::Conn& c, int64_t household_id, int64_t person_id);
Result<int64_t> DeleteMembers(db::Conn& c, int64_t household_id);
Result<int64_t> UpdateMemberRelation(db::Conn& c, int64_t household_id, int64_t person_id, const std::string& relation);
Result<std::optional<int64_t>> HouseholdOfPerson(db::Conn& c, int64_t person_id);
// Of the given person ids, those already in some household: person id -> household id.
Result<std::vector<std::pair<int64_t, int64_t>>> HouseholdsOfPersons(db::Conn& c, const std::vector<int64_t>& ids);

// Dashboard counts within a scope.
struct CountRow {
  std::string county;       // 6-digit prefix of division_code
  std::string urban_rural;  // households' kind ("" for persons without a household)
  int64_t count = 0;
};
Result<std::vector<CountRow>> CountPersons(db::Conn& c, const Scope& scope);     // by county and urban_rural
Result<std::vector<CountRow>> CountHouseholds(db::Conn& c, const Scope& scope);  // by county and urban_rural

}  // namespace doudi::registry::store
