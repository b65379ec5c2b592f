// VerifyService: the rules of household economic status verification (核对, DOMAIN.md §2) over the database —
// agency feed batches, members' authorisations, verification of one household and batch rechecks.
//
// - Feeds: an uploaded file becomes a batch at once (its content hash refused while an equal one is importing
//   or imported, unless forced) and is parsed by verify/feeds in a job; its good rows are stored typed, keyed by
//   the person key (Crypto::KeyedHash64 of the ID number) with the ID number only encrypted; its rejects as
//   (row, column, code, reason). all_or_nothing: one reject and nothing is stored. Feed batches are the city's
//   agency data, not a division's: every caller with verify.read sees their metadata (never person data).
// - Authorisations: one per member, recorded with the household's member set at the time; it is valid while the
//   household (read through RegistryService, never its tables) has exactly those members. A request needs every
//   current member's valid authorisation; otherwise nothing is queried.
// - Requests: the household's members (registry) and the stored feed rows of their person keys are loaded into
//   the engine's tables; the policy entry of the household's county × urban/rural on the as-of date decides; the
//   result (the engine's explanation as JSON) is stored with the request. Rows equal in every value that a forced
//   re-import stored twice count once.
// - Scope: households through RegistryService::GetHousehold (404 outside); stored requests by their household's
//   division (Principal::InScope); rechecks by their creator's division, as jobs.
// - Audit: every mutation appends a row; every view of a result appends "verify.result.view".
//
// Permissions are the router's business (routes.cc).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "db/db.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/crypto.h"
#include "platform/jobs.h"
#include "platform/principal.h"
#include "registry/service.h"
#include "verify/model.h"
#include "verify/policy.h"
#include "verify/store.h"

namespace doudi::verify {

using registry::Actor;
using registry::Page;

struct FeedUpload {
  std::string source;  // feed code
  std::string period;  // YYYY-MM
  std::string filename;
  OnReject on_reject = OnReject::kAllOrNothing;
  bool force = false;
  std::string bytes;
};

struct FeedBatchQuery {
  std::string source, period, status;
  int page = 1, size = 20;
};

struct VerificationQuery {
  std::optional<int64_t> household_id, batch_id;
  std::string decision, flag, township;
  int page = 1, size = 20;
};

struct RecheckSpec {
  std::vector<int64_t> household_ids;  // empty: every household with members in scope (under `division`)
  std::string division;
  std::string as_of;  // "" = today
  std::string title;
};

// What the submitter gets back from a job-backed operation: the record and its job.
template <typename T>
struct Started {
  T record;
  int64_t job_id = 0;
};

class VerifyService {
 public:
  // policy: the policy in force (the shipped example when none is given).
  VerifyService(db::Database& db, platform::AuditLog& audit, const platform::Crypto& crypto,
                registry::RegistryService& registry, platform::JobsService& jobs, Policy policy,
                platform::Clock clock = platform::SystemClock());

  // --- feeds ---
  // Checks the parameters and the hash, records the batch and submits its import job.
  Result<Started<FeedBatch>> UploadFeed(const Actor& actor, FeedUpload upload);
  // The same, parsing and storing in the caller's thread (the CLI, the demo data, tests).
  Result<FeedBatch> ImportFeed(const Actor& actor, FeedUpload upload);
  Result<Page<FeedBatch>> ListFeedBatches(const Actor& actor, const FeedBatchQuery& q);
  Result<FeedBatch> GetFeedBatch(const Actor& actor, int64_t id);
  Result<Page<FeedReject>> ListRejects(const Actor& actor, int64_t batch_id, int page, int size);

  // --- authorisations ---
  Result<HouseholdAuthorisations> GetAuthorisations(const Actor& actor, int64_t household_id);
  Result<Authorisation> RecordAuthorisation(const Actor& actor, int64_t household_id, NewAuthorisation a);
  Result<Authorisation> RevokeAuthorisation(const Actor& actor, int64_t id, int64_t version, const std::string& reason);

  // --- requests and results ---
  // Verifies one household now and stores the request with its result.
  Result<Verification> VerifyHousehold(const Actor& actor, int64_t household_id, const std::string& as_of);
  // One stored request with its result; appends "verify.result.view".
  Result<Verification> GetVerification(const Actor& actor, int64_t id);
  Result<Page<Verification>> ListVerifications(const Actor& actor, const VerificationQuery& q);

  // --- batch rechecks ---
  Result<Started<Recheck>> StartRecheck(const Actor& actor, RecheckSpec spec);
  Result<Recheck> GetRecheck(const Actor& actor, int64_t id);
  Result<Page<Recheck>> ListRechecks(const Actor& actor, int page, int size);
  // The suspicious list (疑似问题清单) of a recheck: flag → township → households (JSON, as the API returns it).
  Result<nlohmann::json> Suspicious(const Actor& actor, int64_t batch_id);

  const Policy& policy() const { return policy_; }
  std::string Today() const;

 private:
  struct LoadedHousehold;  // a household with its members' plain ID numbers (requests.cc)

  std::string Now() const;
  platform::AuditEvent Event(const Actor& actor, std::string action, std::string object_type, int64_t object_id,
                             std::string detail = "") const;
  Result<FeedBatch> RunImport(const platform::Principal& who, FeedBatch batch, const std::string& bytes,
                              platform::JobContext* ctx);
  Result<FeedBatch> PrepareUpload(const Actor& actor, FeedUpload& upload);
  // The authorisation state of a household as read from the registry; NotFound outside the scope.
  Result<HouseholdAuthorisations> Authorisations(const Actor& actor, const registry::Household& h);
  // Loads, checks authorisations, runs the engine and stores. batch_id set for a recheck's households.
  Result<Verification> Verify(const Actor& actor, const registry::Household& h, const std::string& as_of,
                              std::optional<int64_t> batch_id);

  db::Database& db_;
  platform::AuditLog& audit_;
  const platform::Crypto& crypto_;
  registry::RegistryService& registry_;
  platform::JobsService& jobs_;
  Policy policy_;
  platform::Clock clock_;
};

// The store's scope filter equivalent to Principal::InScope.
store::Scope ScopeOf(const platform::Principal& p);

}  // namespace doudi::verify
