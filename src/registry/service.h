// RegistryService: the rules of the person and household registry (DOMAIN.md §1, DESIGN.md "Personal data").
//
// - Validation with field-level Chinese errors (validate.h); nothing is written when a field is wrong.
// - ID and phone numbers are stored only encrypted (Crypto::Encrypt) with a keyed hash for exact lookup; a
//   second person with the same ID number is refused (409 "registry.person.duplicate_id", the existing person's
//   id in the detail "existing_person_id").
// - Data scope: every read and update checks Principal::InScope(division_code, created_by); a record outside the
//   scope is NotFound, exactly like a missing one, so its existence is not revealed.
// - Masking: persons handed to a user show MaskIdNumber / MaskPhone (Person::masked). Only Reveal() returns
//   plain values; it needs the "pii.reveal" permission and a purpose, and is audited ("pii.reveal").
// - Audit: every view of a person's details appends "registry.person.view"; every change appends one row inside
//   its own write transaction with the changed field names (never the values).
// - Optimistic locking: updates take the version read; a mismatch is db::VersionConflict() (409).
//
// Permissions other than pii.reveal are checked by the router (routes.cc), so other modules' services and the
// CLI can call this service with their own principals.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/divisions.h"
#include "common/status.h"
#include "db/db.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/crypto.h"
#include "platform/principal.h"
#include "registry/model.h"

namespace doudi::registry {

namespace store {
struct PersonRow;
}

// Who acts and from where, for scope checks and audit rows. Implicit from a Principal for brevity.
struct Actor {
  Actor(const platform::Principal& p) : principal(p) {}  // NOLINT(google-explicit-constructor)
  Actor(const platform::Principal& p, std::string ip_, std::string request_id_)
      : principal(p), ip(std::move(ip_)), request_id(std::move(request_id_)) {}
  const platform::Principal& principal;
  std::string ip;
  std::string request_id;
};

template <typename T>
struct Page {
  std::vector<T> items;
  int64_t total = 0;
  int page = 1;
  int size = 20;
};

struct PersonQuery {
  std::string name;       // part of the name
  std::string id_number;  // exact (via the keyed hash)
  std::string phone;      // exact (via the keyed hash)
  std::string division;   // division-code prefix
  std::optional<int> sex;
  int page = 1, size = 20;
};

struct HouseholdQuery {
  std::string division;     // division-code prefix
  std::string urban_rural;  // "urban" | "rural" | ""
  int page = 1, size = 20;
};

struct RevealedPii {
  int64_t person_id = 0;
  std::optional<std::string> id_number;  // set when asked for (and "" if the person has none)
  std::optional<std::string> phone;
};

struct CountyStats {
  std::string county;  // 6-digit code
  std::string county_name;
  int64_t persons = 0;
  int64_t households = 0;
  int64_t households_urban = 0;
  int64_t households_rural = 0;
};

struct RegistryStats {
  int64_t persons = 0;
  int64_t households = 0;
  int64_t persons_urban = 0;         // persons in an urban household
  int64_t persons_rural = 0;         // persons in a rural household
  int64_t persons_no_household = 0;  // persons in no household
  int64_t households_urban = 0;
  int64_t households_rural = 0;
  std::vector<CountyStats> by_county;  // sorted by county code
};

struct ImportOptions {
  size_t batch_size = 5000;   // rows per write transaction
  bool skip_invalid = false;  // false: any bad row fails the import before anything is written;
                              // true: bad rows are reported in ImportReport::rejected and the rest loaded
};

struct ImportRejection {
  size_t row = 0;  // 0-based index into the input
  Status status;
};

struct ImportReport {
  int64_t inserted = 0;
  std::vector<int64_t> ids;  // per input row: the new id, 0 if rejected
  std::vector<ImportRejection> rejected;
  double seconds = 0;
};

class RegistryService {
 public:
  RegistryService(db::Database& db, platform::AuditLog& audit, const platform::Crypto& crypto,
                  const Divisions& divisions = Divisions::Default(), platform::Clock clock = platform::SystemClock());

  // --- persons ---
  // Creates a person inside the actor's scope (else Forbidden "registry.scope.outside"). Returns it masked.
  Result<Person> CreatePerson(const Actor& actor, NewPerson fields);
  // One person's details, masked; appends a "registry.person.view" audit row.
  Result<Person> GetPerson(const Actor& actor, int64_t id);
  // Applies `fields` (names of PersonFields members, e.g. {"name", "phone"}) from `values`. When id_number
  // changes and birth_date/sex are not among the fields, they are derived from the new number again. An ID
  // or phone number equal to the masked form of the stored one (a form echoing what it was shown) is unchanged.
  Result<Person> UpdatePerson(const Actor& actor, int64_t id, int64_t version, const PersonFields& values,
                              const std::vector<std::string>& fields);
  Result<Page<Person>> SearchPersons(const Actor& actor, const PersonQuery& q);
  // Plain ID and/or phone number ("id_number", "phone"; empty = both) for a stated purpose (>= 4 characters).
  Result<RevealedPii> Reveal(const Actor& actor, int64_t id, const std::string& purpose,
                             std::vector<std::string> fields);
  // {"person": masked person, "household": household with members or null, "sections": {name: json}};
  // audited as a view.
  Result<nlohmann::json> Person360(const Actor& actor, int64_t id);

  // --- households ---
  // The head is added as a member with relation 02 户主 if the member list lacks them.
  Result<Household> CreateHousehold(const Actor& actor, NewHousehold h);
  Result<Household> GetHousehold(const Actor& actor, int64_t id);  // with members (masked summaries)
  // Applies `fields` (of "head_person_id", "urban_rural", "division_code", "address"); `members`, when given,
  // replaces the member list. Changing the head requires the new member list (relations are to the head).
  Result<Household> UpdateHousehold(const Actor& actor, int64_t id, int64_t version, const HouseholdFields& values,
                                    const std::vector<std::string>& fields,
                                    const std::optional<std::vector<Member>>& members);
  Result<Household> AddMember(const Actor& actor, int64_t household_id, const Member& member);
  Result<Household> RemoveMember(const Actor& actor, int64_t household_id, int64_t person_id);
  Result<Page<Household>> SearchHouseholds(const Actor& actor, const HouseholdQuery& q);

  // Counts of persons and households by county and urban/rural within the actor's scope.
  Result<RegistryStats> Stats(const Actor& actor);

  // --- bulk load (demo data, migrations from older systems, benchmarks) ---
  // Validates every row first (normalising it in place), then inserts in batches of options.batch_size rows, one
  // transaction and one audit row ("registry.person.import") per batch. Rows must be in the actor's scope.
  Status ImportPersons(std::vector<NewPerson>& persons, const Actor& actor, ImportReport* report = nullptr,
                       const ImportOptions& options = {});
  // Same for households; their members must exist and belong to no household yet.
  Status ImportHouseholds(std::vector<NewHousehold>& households, const Actor& actor, ImportReport* report = nullptr,
                          const ImportOptions& options = {});

  // --- for other modules' services (no user scope, no audit) ---
  // The stored person with plain ID and phone numbers (masked = false). NotFound if absent.
  Result<Person> LoadPerson(int64_t id);
  // The person registered with this ID number, if any (the number is normalised first).
  Result<std::optional<int64_t>> FindPersonIdByIdNumber(std::string_view id_number);
  // Ok if the person exists and is inside the principal's scope, else NotFound "registry.person.not_found".
  Status CheckPersonInScope(const platform::Principal& principal, int64_t person_id);
  // The household of a person (with members, masked summaries), or nullopt.
  Result<std::optional<Household>> HouseholdOfPerson(int64_t person_id);

  const Divisions& divisions() const { return divisions_; }
  // Today's date in Asia/Shanghai (YYYY-MM-DD), by the service's clock.
  std::string Today() const;

 private:
  std::string Now() const;
  platform::AuditEvent Event(const Actor& actor, std::string action, std::string object_type, int64_t object_id,
                             std::string detail) const;
  // Decrypts a stored person; with mask, the ID and phone numbers are masked.
  Result<Person> Unseal(const store::PersonRow& row, bool mask) const;
  // Encrypts and hashes a person's ID and phone numbers for storage.
  store::PersonRow Seal(const Person& p) const;
  // Members must exist, be in the actor's scope and belong to no household other than household_id.
  Status CheckMembers(db::Conn& c, const Actor& actor, int64_t household_id, const std::vector<Member>& members);
  // A household with its members' masked summaries; NotFound if absent.
  Result<Household> LoadHousehold(db::Conn& c, int64_t id) const;

  db::Database& db_;
  platform::AuditLog& audit_;
  const platform::Crypto& crypto_;
  const Divisions& divisions_;
  platform::Clock clock_;
};

}  // namespace doudi::registry
