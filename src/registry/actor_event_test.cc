#include "registry/actor_event.h"

#include <gtest/gtest.h>

namespace doudi::registry {
namespace {

platform::Principal Caseworker() {
  platform::Principal p;
  p.user_id = 7;
  p.username = "wang";
  p.role = "caseworker";
  p.ip = "10.0.0.9";
  p.request_id = "from-session";
  return p;
}

TEST(ActorEvent, WhoFromThePrincipalWhereFromTheRequest) {
  platform::Principal p = Caseworker();
  Actor actor(p, "192.168.1.5", "req-42");
  platform::AuditEvent e = ActorEvent(actor, "registry.person.update", "person", 12, R"({"fields":["name"]})");
  EXPECT_EQ(e.user_id, 7);
  EXPECT_EQ(e.username, "wang");
  EXPECT_EQ(e.role, "caseworker");
  EXPECT_EQ(e.ip, "192.168.1.5");
  EXPECT_EQ(e.request_id, "req-42");
  EXPECT_EQ(e.action, "registry.person.update");
  EXPECT_EQ(e.object_type, "person");
  EXPECT_EQ(e.object_id, "12");
  EXPECT_EQ(e.detail, R"({"fields":["name"]})");
  EXPECT_EQ(e.outcome, "success");
}

TEST(ActorEvent, AnActorWithoutRequestKeepsThePrincipals) {
  platform::Principal p = Caseworker();
  Actor actor(p, "", "");
  platform::AuditEvent e = ActorEvent(actor, "verify.request.create", "verify_request", 3);
  EXPECT_EQ(e.ip, "10.0.0.9");
  EXPECT_EQ(e.request_id, "from-session");
  EXPECT_EQ(e.detail, "");
}

}  // namespace
}  // namespace doudi::registry
