// App: one process's wiring — config, database, keys, audit log and the module services — shared by every
// subcommand, so the CLI and the HTTP API run the same code.
#pragma once

#include <memory>

#include "app/commands.h"
#include "app/config.h"
#include "db/db.h"
#include "http/router.h"
#include "platform/access.h"
#include "platform/audit.h"
#include "platform/auth.h"
#include "platform/config.h"
#include "platform/crypto.h"
#include "platform/jobs.h"
#include "platform/roles.h"
#include "platform/users.h"
#include "registry/service.h"
#include "rescue/service.h"
#include "verify/service.h"
#include "rescue/institution_service.h"
#include "rescue/patrol_service.h"
#include "rescue/repeat_visits.h"

namespace doudi::app {

struct App {
  Config config;
  std::unique_ptr<db::Database> db;
  std::unique_ptr<platform::Crypto> crypto;
  std::unique_ptr<platform::AuditLog> audit;
  std::unique_ptr<platform::RoleDirectory> roles;
  std::unique_ptr<platform::SessionCache> sessions;  // shared by users and auth
  std::unique_ptr<platform::RolesService> roles_service;
  std::unique_ptr<platform::UsersService> users;
  std::unique_ptr<platform::AuthService> auth;
  std::unique_ptr<registry::RegistryService> registry;
  // Rescue management: the station workflow (intake, stay, departure, family search, deadlines).
  std::unique_ptr<rescue::RescueService> rescue;
  // Rescue management: street patrols and institution supervision.
  std::unique_ptr<rescue::PatrolService> patrols;
  std::unique_ptr<rescue::InstitutionService> institutions;
  // Rescue management: repeat visits of unidentified persons (searched at their intake).
  std::unique_ptr<rescue::RepeatVisitService> repeat_visits;
  // Household economic status verification (核对); its batch jobs run on `jobs`.
  std::unique_ptr<verify::VerifyService> verify;
  // Last, so that it is destroyed first: its workers may still be using the services above.
  std::unique_ptr<platform::JobsService> jobs;

  enum class Schema { kMigrate, kRequireCurrent, kAny };
  // Loads the config (file, environment, then the command-line overrides in g), opens the database, applies or
  // checks migrations, loads the keys and builds the services. Errors are printed by the caller.
  static Result<std::unique_ptr<App>> Open(const GlobalOptions& g, Schema schema);

  // Every route of every module.
  http::Router Routes();
};

// Prints a Status for an operator on stderr ("错误：..." with the field details) and returns exit code 1.
int Fail(const Status& s);

platform::PlatformConfig MakePlatformConfig(const Config& c);

}  // namespace doudi::app
