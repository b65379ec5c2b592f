// Repeat visits of unidentified persons (DOMAIN.md §4, docs/rescue.md "Repeat visits"): for a case without an ID
// number, the earlier cases of the same station that may be the same person, ranked by the attribute engine
// (tracing/linkage, expert default parameters: sex, estimated age aged by the elapsed time, height, dialect, a
// stated name, distinguishing marks) and, when face embeddings of the cases are available, the face term through
// tracing/fusion (a face moves a suggestion by at most a few bits; it never identifies alone).
//
// A caseworker decides each suggestion with a reason:
// - confirm: the two visits are the same person. The cases of the person that has no ID number in the registry
//   (the intake's placeholder "无名氏"; of two placeholders, the one registered later) are re-pointed to the other,
//   each re-pointing kept as a case version with the reason. Nothing is deleted: the placeholder stays in the
//   registry, unchanged. Two persons that both have an ID number are never merged here (409).
// - reject: not the same person; the pair is not proposed again.
// - undo (a correction of a confirmation, with a reason): the re-pointed cases go back to their own person.
// The visit history and the repeated-vagrancy flag of the case page (RescueService::CaseDetail) follow the
// registry person, so linked visits count there at once.
//
// Scope: the candidates are the earlier cases of the case's own station (its station_division), whoever looks:
// everyone who may see the case may see them. A case outside the user's scope is 404 (rescue.case.not_found).
// Audit: rescue.repeat.search, .confirm, .reject, .undo, each in its own transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/divisions.h"
#include "common/status.h"
#include "db/db.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "registry/service.h"
#include "rescue/model.h"
#include "rescue/photos.h"

namespace doudi::rescue {

using registry::Actor;

inline constexpr int kRepeatTop = 10;

// A suggestion that an earlier case (earlier_case_id) is the same person as the case searched for (case_id).
struct RepeatSuggestion {
  int64_t id = 0, case_id = 0, earlier_case_id = 0;
  std::string status;  // open | confirmed | rejected | undone
  double score = 0;    // bits of evidence (attribute match weight + face weight)
  std::string explanation;  // JSON: see RepeatVisits::Rank
  std::string reason;       // the decision's
  std::optional<int64_t> decided_by;
  std::string decided_at;
  std::optional<int64_t> from_person_id, to_person_id;  // confirm: the re-pointing
  std::string moved_cases = "[]";                        // confirm: JSON array of the re-pointed case ids
  std::string undo_reason, undone_at;
  std::optional<int64_t> undone_by;
  int64_t version = 0;
  std::string created_at;
  int64_t created_by = 0;
  std::string updated_at;
  int64_t updated_by = 0;
};

// The face descriptors of cases (case id -> one per active photo with a selected face; absent = none). By default
// the case photos' (photos.h CaseFaceEmbeddings); tests supply their own.
using FaceMap = std::map<int64_t, std::vector<FaceEmbedding>>;
using FaceEmbeddingsOf = std::function<Result<FaceMap>(const std::vector<int64_t>& case_ids)>;

namespace repeat {

struct Ranked {
  int64_t earlier_case_id = 0;
  double score = 0;
  nlohmann::json explanation;
};
// Ranks `earlier` against case k (pure): every earlier case explained by the linkage engine with the expert
// default parameters, fused (RescueFusionOptions) with the best face cosine of the two cases' photos when both
// have faces (faces may be empty); at most `top`, only those with positive evidence (score > 0), best first, ties
// by case id.
Result<std::vector<Ranked>> Rank(const Case& k, const std::vector<Case>& earlier, const FaceMap& faces, int top);

}  // namespace repeat

class RepeatVisitService {
 public:
  RepeatVisitService(db::Database& db, platform::AuditLog& audit, registry::RegistryService& registry,
                     const Divisions& divisions = Divisions::Default(),
                     platform::Clock clock = platform::SystemClock());

  void SetFaceEmbeddings(FaceEmbeddingsOf faces) { faces_ = std::move(faces); }

  // Recomputes the open suggestions of an unidentified case (409 rescue.repeat.identified for an identified
  // one): decided pairs stay and are not proposed again; earlier cases already of the same person are skipped.
  Result<std::vector<RepeatSuggestion>> Search(const Actor& actor, int64_t case_id);
  // The case's suggestions, best first: open and confirmed ones, or every one with all = true.
  Result<std::vector<RepeatSuggestion>> List(const Actor& actor, int64_t case_id, bool all);
  // reason: >= 2 characters (rescue.repeat.reason_required); version: the suggestion's (409 on a mismatch).
  Result<RepeatSuggestion> Confirm(const Actor& actor, int64_t case_id, int64_t suggestion_id, int64_t version,
                                   const std::string& reason);
  Result<RepeatSuggestion> Reject(const Actor& actor, int64_t case_id, int64_t suggestion_id, int64_t version,
                                  const std::string& reason);
  Result<RepeatSuggestion> Undo(const Actor& actor, int64_t case_id, int64_t suggestion_id, int64_t version,
                                const std::string& reason);

  // The suggestion as the API shows it, with a summary of the earlier case (no health detail, no ID number).
  Result<nlohmann::json> ToJson(const Actor& actor, const RepeatSuggestion& s);

 private:
  // The case and suggestion, both checked: the case in scope, the suggestion its own (else 404).
  Status LoadPair(db::Conn& c, const Actor& actor, int64_t case_id, int64_t suggestion_id, Case* k,
                  RepeatSuggestion* s) const;
  platform::AuditEvent Event(const Actor& actor, std::string action, int64_t case_id, nlohmann::json detail) const;
  std::string NowText() const;

  db::Database& db_;
  platform::AuditLog& audit_;
  registry::RegistryService& registry_;
  const Divisions& divisions_;
  platform::Clock clock_;
  FaceEmbeddingsOf faces_;
};

}  // namespace doudi::rescue
