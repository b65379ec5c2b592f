// RegistryService: bulk import of persons and households.
//
// Three phases: (1) validate every row in memory, (2) look up duplicates and memberships in the database in
// IN-list chunks, (3) write in batches, one transaction and one audit row per batch, encrypting each batch before
// taking the write lock. Without skip_invalid, phases 1–2 refuse the whole import before anything is written.
#include <chrono>
#include <map>
#include <unordered_map>

#include "registry/internal.h"
#include "registry/service.h"
#include "registry/store.h"
#include "registry/validate.h"

namespace doudi::registry {
namespace {

using internal::AtRow;

// Records a bad row: fails the import unless rows may be skipped.
class Rejects {
 public:
  Rejects(size_t n, bool skip, ImportReport& report) : ok_(n, true), skip_(skip), report_(report) {}
  Status Reject(size_t row, const Status& s) {
    if (!ok_[row]) return Status::Ok();
    Status at = AtRow(row, s);
    if (!skip_) return at;
    ok_[row] = false;
    report_.rejected.push_back({row, std::move(at)});
    return Status::Ok();
  }
  bool ok(size_t row) const { return ok_[row]; }

 private:
  std::vector<bool> ok_;
  bool skip_;
  ImportReport& report_;
};

double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

Status RegistryService::ImportPersons(std::vector<NewPerson>& persons, const Actor& actor, ImportReport* report,
                                      const ImportOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  ImportReport local;
  ImportReport& r = report ? *report : local;
  r = ImportReport{};
  r.ids.assign(persons.size(), 0);
  Rejects rejects(persons.size(), options.skip_invalid, r);
  const auto& who = actor.principal;
  const std::string today = Today();

  // 1. Fields, scope, and duplicate ID numbers within the input.
  std::unordered_map<std::string, size_t> first_row;  // ID hash -> first row with it
  first_row.reserve(persons.size());
  for (size_t i = 0; i < persons.size(); ++i) {
    auto errors = ValidatePerson(persons[i], divisions_, today);
    if (!errors.empty()) {
      DOUDI_RETURN_IF_ERROR(rejects.Reject(i, FieldErrorsStatus(std::move(errors))));
      continue;
    }
    if (!who.InScope(persons[i].division_code, who.user_id)) {
      DOUDI_RETURN_IF_ERROR(rejects.Reject(i, internal::OutsideScope()));
      continue;
    }
    if (persons[i].id_number.empty()) continue;
    auto [it, inserted] = first_row.emplace(crypto_.KeyedHash(persons[i].id_number), i);
    if (!inserted) {
      Status dup = Status::Conflict("registry.person.duplicate_id",
                                    "身份证号码与第 " + std::to_string(it->second + 1) + " 行重复");
      dup.add_detail({"id_number", "registry.person.duplicate_id", dup.message()});
      DOUDI_RETURN_IF_ERROR(rejects.Reject(i, dup));
    }
  }

  // 2. ID numbers already registered.
  std::vector<std::string> lookup;
  lookup.reserve(first_row.size());
  for (const auto& [hash, row] : first_row) {
    if (rejects.ok(row)) lookup.push_back(hash);
  }
  std::vector<std::pair<std::string, int64_t>> existing;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(existing, store::PersonIdsByIdHashes(c, lookup));
    return Status::Ok();
  }));
  std::vector<std::pair<size_t, int64_t>> duplicates;
  for (const auto& [hash, id] : existing) duplicates.emplace_back(first_row[hash], id);
  std::sort(duplicates.begin(), duplicates.end());  // report the first bad row first
  for (const auto& [row, id] : duplicates) DOUDI_RETURN_IF_ERROR(rejects.Reject(row, internal::DuplicateId(id)));

  // 3. Batches.
  const size_t batch = std::max<size_t>(1, options.batch_size);
  std::vector<std::pair<size_t, store::PersonRow>> rows;
  for (size_t start = 0; start < persons.size(); start += batch) {
    const size_t end = std::min(persons.size(), start + batch);
    rows.clear();
    const std::string now = Now();
    for (size_t i = start; i < end; ++i) {
      if (!rejects.ok(i)) continue;
      Person p;
      static_cast<PersonFields&>(p) = persons[i];
      p.created_at = p.updated_at = now;
      p.created_by = p.updated_by = who.user_id;
      p.version = 1;
      rows.emplace_back(i, Seal(p));
    }
    if (rows.empty()) continue;
    Status s = db_.Write([&](db::Conn& c) -> Status {
      for (const auto& [i, row] : rows) {
        DOUDI_ASSIGN_OR_RETURN(r.ids[i], store::InsertPerson(c, row));
      }
      nlohmann::json detail = {{"count", rows.size()},
                               {"first_id", r.ids[rows.front().first]},
                               {"last_id", r.ids[rows.back().first]}};
      return audit_.AppendIn(c, Event(actor, "registry.person.import", "person", r.ids[rows.front().first],
                                      detail.dump()));
    });
    if (!s.ok()) {
      for (const auto& [i, row] : rows) r.ids[i] = 0;  // rolled back
      r.seconds = SecondsSince(t0);
      if (s.error_code() == "db.unique") {
        return Status::Conflict("registry.person.duplicate_id",
                                "第 " + std::to_string(start + 1) + "–" + std::to_string(end) +
                                    " 行中有身份证号码刚被他人登记，该批未导入，之前的批次已导入");
      }
      return s;
    }
    r.inserted += static_cast<int64_t>(rows.size());
  }
  r.seconds = SecondsSince(t0);
  return Status::Ok();
}

Status RegistryService::ImportHouseholds(std::vector<NewHousehold>& households, const Actor& actor,
                                         ImportReport* report, const ImportOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  ImportReport local;
  ImportReport& r = report ? *report : local;
  r = ImportReport{};
  r.ids.assign(households.size(), 0);
  Rejects rejects(households.size(), options.skip_invalid, r);
  const auto& who = actor.principal;

  // 1. Fields, head and relations, scope, and persons named by two households of the input.
  std::unordered_map<int64_t, size_t> owner;  // person id -> first household row naming them
  for (size_t i = 0; i < households.size(); ++i) {
    NewHousehold& h = households[i];
    std::vector<FieldError> errors = ValidateHousehold(h, divisions_);
    for (auto& e : ValidateMembers(h.members)) errors.push_back(std::move(e));
    if (errors.empty()) {
      for (auto& e : NormalizeHead(h.head_person_id, h.members)) errors.push_back(std::move(e));
    }
    if (!errors.empty()) {
      DOUDI_RETURN_IF_ERROR(rejects.Reject(i, FieldErrorsStatus(std::move(errors))));
      continue;
    }
    if (!who.InScope(h.division_code, who.user_id)) {
      DOUDI_RETURN_IF_ERROR(rejects.Reject(i, internal::OutsideScope()));
      continue;
    }
    for (const auto& m : h.members) {
      auto [it, inserted] = owner.emplace(m.person_id, i);
      if (!inserted && it->second != i) {
        DOUDI_RETURN_IF_ERROR(rejects.Reject(
            i, Status::Conflict("registry.household.member_exists",
                                "人员 " + std::to_string(m.person_id) + " 已在第 " + std::to_string(it->second + 1) +
                                    " 行的家庭户中，一人只能属于一个家庭户")));
        break;
      }
    }
  }

  // 2. Members must exist, be in scope, and belong to no household yet.
  std::vector<int64_t> ids;
  ids.reserve(owner.size());
  for (const auto& [person, row] : owner) ids.push_back(person);
  std::vector<std::pair<int64_t, std::pair<std::string, int64_t>>> scopes;
  std::vector<std::pair<int64_t, int64_t>> memberships;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(scopes, store::PersonScopes(c, ids));
    DOUDI_ASSIGN_OR_RETURN(memberships, store::HouseholdsOfPersons(c, ids));
    return Status::Ok();
  }));
  std::unordered_map<int64_t, bool> visible;
  for (const auto& [id, s] : scopes) visible[id] = who.InScope(s.first, s.second);
  std::vector<std::pair<size_t, Status>> problems;
  for (const auto& [person, row] : owner) {
    auto it = visible.find(person);
    if (it == visible.end() || !it->second) {
      Status s = internal::PersonNotFound();
      s.add_detail({"members", "registry.person.not_found", "人员 " + std::to_string(person) + " 不存在或不在您的管辖范围内"});
      problems.emplace_back(row, std::move(s));
    }
  }
  for (const auto& [person, household] : memberships) {
    Status s = Status::Conflict("registry.household.member_exists",
                                "人员 " + std::to_string(person) + " 已是家庭户 " + std::to_string(household) +
                                    " 的成员，一人只能属于一个家庭户");
    s.add_detail({"existing_household_id", "registry.household.member_exists", std::to_string(household)});
    problems.emplace_back(owner[person], std::move(s));
  }
  std::stable_sort(problems.begin(), problems.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [row, s] : problems) DOUDI_RETURN_IF_ERROR(rejects.Reject(row, s));

  // 3. Batches.
  const size_t batch = std::max<size_t>(1, options.batch_size);
  for (size_t start = 0; start < households.size(); start += batch) {
    const size_t end = std::min(households.size(), start + batch);
    const std::string now = Now();
    int64_t count = 0;
    Status s = db_.Write([&](db::Conn& c) -> Status {
      int64_t first = 0, last = 0;
      for (size_t i = start; i < end; ++i) {
        if (!rejects.ok(i)) continue;
        Household h;
        static_cast<HouseholdFields&>(h) = households[i];
        h.created_at = h.updated_at = now;
        h.created_by = h.updated_by = who.user_id;
        DOUDI_ASSIGN_OR_RETURN(r.ids[i], store::InsertHousehold(c, h));
        for (const auto& m : households[i].members) DOUDI_RETURN_IF_ERROR(store::InsertMember(c, r.ids[i], m));
        if (!first) first = r.ids[i];
        last = r.ids[i];
        ++count;
      }
      if (count == 0) return Status::Ok();
      nlohmann::json detail = {{"count", count}, {"first_id", first}, {"last_id", last}};
      return audit_.AppendIn(c, Event(actor, "registry.household.import", "household", first, detail.dump()));
    });
    if (!s.ok()) {
      for (size_t i = start; i < end; ++i) r.ids[i] = 0;  // rolled back
      r.seconds = SecondsSince(t0);
      if (s.error_code() == "db.unique") {
        return Status::Conflict("registry.household.member_exists",
                                "第 " + std::to_string(start + 1) + "–" + std::to_string(end) +
                                    " 行中有成员刚被他人加入其他家庭户，该批未导入，之前的批次已导入");
      }
      return s;
    }
    r.inserted += count;
  }
  r.seconds = SecondsSince(t0);
  return Status::Ok();
}

}  // namespace doudi::registry
