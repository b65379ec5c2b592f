// The audit event of something a service does for an Actor: who from the principal (user, username, role), from
// where from the actor (the request's IP and id, else the principal's), and what to which object. Every module's
// service builds its events through this instead of filling AuditEvent field by field.
#pragma once

#include <cstdint>
#include <string>

#include "platform/audit.h"
#include "registry/service.h"

namespace doudi::registry {

inline platform::AuditEvent ActorEvent(const Actor& actor, std::string action, std::string object_type,
                                       int64_t object_id, std::string detail = "") {
  platform::AuditEvent e = platform::AuditEventFor(actor.principal, std::move(action), std::move(object_type),
                                                   std::to_string(object_id), std::move(detail));
  if (!actor.ip.empty()) e.ip = actor.ip;
  if (!actor.request_id.empty()) e.request_id = actor.request_id;
  return e;
}

}  // namespace doudi::registry
