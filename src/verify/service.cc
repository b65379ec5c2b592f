// VerifyService: construction and what its parts share (time, audit events, scope). Feeds are in
// feed_import.cc, authorisations in authorisations.cc, requests and rechecks in requests.cc.
#include "verify/service.h"

#include "registry/actor_event.h"

namespace doudi::verify {

VerifyService::VerifyService(db::Database& db, platform::AuditLog& audit, const platform::Crypto& crypto,
                             registry::RegistryService& registry, platform::JobsService& jobs, Policy policy,
                             platform::Clock clock)
    : db_(db),
      audit_(audit),
      crypto_(crypto),
      registry_(registry),
      jobs_(jobs),
      policy_(std::move(policy)),
      clock_(std::move(clock)) {}

std::string VerifyService::Now() const { return platform::FormatUtc(clock_()); }

std::string VerifyService::Today() const { return platform::FormatShanghai(clock_()).substr(0, 10); }

platform::AuditEvent VerifyService::Event(const Actor& actor, std::string action, std::string object_type,
                                          int64_t object_id, std::string detail) const {
  return registry::ActorEvent(actor, std::move(action), std::move(object_type), object_id, std::move(detail));
}

store::Scope ScopeOf(const platform::Principal& p) { return platform::DataScopeOf(p); }

}  // namespace doudi::verify
