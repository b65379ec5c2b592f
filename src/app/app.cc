#include "app/app.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <spdlog/spdlog.h>

#include "app/admin_routes.h"
#include "app/auth_routes.h"
#include "app/job_routes.h"
#include "app/reference_routes.h"
#include "db/migrate.h"
#include "registry/routes.h"
#include "rescue/routes.h"
#include "rescue/form_routes.h"
#include "verify/report_routes.h"
#include "verify/routes.h"
#include "rescue/institution_routes.h"
#include "rescue/patrol_routes.h"
#include "rescue/matching_routes.h"
#include "rescue/photo_routes.h"
#include "rescue/repeat_visits_routes.h"
#include "rescue/list_export.h"
#include "rescue/report_extras_routes.h"

namespace doudi::app {

int Fail(const Status& s) {
  std::cerr << "错误：" << s.message() << "（" << s.error_code() << "）\n";
  for (const auto& d : s.details()) {
    if (d.field == "sql") continue;  // driver detail: useful in logs, noise for an operator
    std::cerr << "  " << d.field << "：" << d.message << "\n";
  }
  if (s.code() == Code::kInternal) {
    for (const auto& d : s.details()) std::cerr << "  [详情] " << d.message << "\n";
  }
  return 1;
}

platform::PlatformConfig MakePlatformConfig(const Config& c) {
  platform::PlatformConfig p;
  if (c.password_cost == "min") {
    p.password_cost = platform::PasswordCost::Minimum();
  } else if (c.password_cost == "moderate") {
    p.password_cost.opslimit = 3;
    p.password_cost.memlimit = size_t{256} << 20;
  }
  p.session_idle = std::chrono::minutes(c.session_idle_minutes);
  p.session_absolute = std::chrono::hours(c.session_absolute_hours);
  p.lockout_failures = c.lockout_failures;
  p.lockout_duration = std::chrono::minutes(c.lockout_minutes);
  p.totp_required_for_all = c.totp_required_for_all;
  return p;
}

Result<std::unique_ptr<App>> App::Open(const GlobalOptions& g, Schema schema) {
  auto app = std::make_unique<App>();
  DOUDI_ASSIGN_OR_RETURN(app->config, Config::Load(g.config_file));
  if (!g.db_url.empty()) app->config.database_url = g.db_url;
  if (!g.listen.empty()) {
    std::string host;
    int port;
    DOUDI_RETURN_IF_ERROR(ParseListen(g.listen, &host, &port));
    app->config.listen = g.listen;
  }
  const Config& c = app->config;
  // A relative SQLite path's directory (var/) is created on first start, as make run promises.
  if (c.database_url.starts_with("sqlite:")) {
    auto parent = std::filesystem::path(c.database_url.substr(7)).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  }
  db::Options options;
  options.readers = c.database_pool;
  DOUDI_ASSIGN_OR_RETURN(app->db, db::Database::Open(c.database_url, options));
  if (schema == Schema::kMigrate) {
    DOUDI_RETURN_IF_ERROR(db::Migrate(*app->db));
  } else if (schema == Schema::kRequireCurrent) {
    DOUDI_RETURN_IF_ERROR(db::CheckSchemaCurrent(*app->db));
  }
  {
    auto parent = std::filesystem::path(c.key_file).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  }
  DOUDI_ASSIGN_OR_RETURN(app->crypto, platform::Crypto::LoadOrCreate(c.key_file));
  app->audit = platform::AuditLog::Create(*app->db);
  auto pc = MakePlatformConfig(c);
  app->roles = std::make_unique<platform::RoleDirectory>(*app->db);
  app->roles_service = std::make_unique<platform::RolesService>(*app->db, *app->audit, *app->roles);
  app->sessions = std::make_unique<platform::SessionCache>();
  app->users =
      std::make_unique<platform::UsersService>(*app->db, *app->audit, *app->crypto, *app->roles, *app->sessions, pc);
  app->auth =
      std::make_unique<platform::AuthService>(*app->db, *app->audit, *app->crypto, *app->roles, *app->sessions, pc);
  app->registry = std::make_unique<registry::RegistryService>(*app->db, *app->audit, *app->crypto);
  {
    // The station workflow; DOUDI_RESCUE_PUBLIC_MINOR_PHOTOS=1 lets the public notice page show minors' photos.
    rescue::RescueOptions ro;
    if (const char* v = std::getenv("DOUDI_RESCUE_PUBLIC_MINOR_PHOTOS")) {
      ro.public_minor_photos = std::string(v) == "1" || std::string(v) == "true";
    }
    app->rescue = std::make_unique<rescue::RescueService>(*app->db, *app->audit, *app->crypto, *app->registry, ro);
  }
  {
    // Repeat visits: every unidentified intake is compared with the station's earlier cases at once. The intake
    // stands if the search fails (the case page can run it again).
    app->repeat_visits = std::make_unique<rescue::RepeatVisitService>(*app->db, *app->audit, *app->registry);
    rescue::RepeatVisitService* repeat = app->repeat_visits.get();
    app->rescue->AddIntakeObserver([repeat](const registry::Actor& actor, const rescue::Case& k) {
      if (k.identified) return;
      if (auto found = repeat->Search(actor, k.id); !found.ok()) {
        spdlog::warn("repeat-visit search of rescue case {} failed: {}", k.id, found.status().ToString());
      }
    });
  }
  app->patrols = std::make_unique<rescue::PatrolService>(*app->db, *app->audit);
  app->institutions = std::make_unique<rescue::InstitutionService>(*app->db, *app->audit);
  {
    // Institution supervision meets the station workflow: placed persons per institution and rectification
    // deadlines in the work queue, and a placement only in a registered institution of the right kind.
    rescue::RescueService* station = app->rescue.get();
    rescue::InstitutionService* supervision = app->institutions.get();
    station->SetInstitutionCheck([supervision](int64_t id, const std::string& kind) {
      return supervision->CheckPlacementTarget(id, kind);
    });
    supervision->SetPlacementCounter([station](const std::vector<int64_t>& ids) { return station->PlacedCounts(ids); });
    station->AddDeadlineSource("institution", [supervision](const platform::Principal& p, TimePoint now) {
      return supervision->RectificationDeadlines(p, now);
    });
  }
  app->jobs = std::make_unique<platform::JobsService>(*app->db, *app->audit);
  {
    // verify.policy_file, or the shipped example until the operator installs the city's own (docs/verify-engine.md).
    DOUDI_ASSIGN_OR_RETURN(verify::Policy policy, verify::Policy::Configured(c.verify_policy_file));
    app->verify = std::make_unique<verify::VerifyService>(*app->db, *app->audit, *app->crypto, *app->registry,
                                                          *app->jobs, std::move(policy));
  }
  return app;
}

http::Router App::Routes() {
  http::Router router;
  RegisterReferenceRoutes(router, *db);
  RegisterAuthRoutes(router, *this);
  RegisterAdminRoutes(router, *this);
  registry::RegisterRegistryRoutes(router, *registry);
  rescue::RegisterRescueRoutes(router, *rescue);
  rescue::RegisterRescueFormRoutes(router, *rescue, *audit);
  rescue::RegisterRepeatVisitRoutes(router, *repeat_visits);
  RegisterJobRoutes(router, *jobs);
  verify::RegisterVerifyRoutes(router, *verify);
  verify::RegisterReportRoutes(router, *verify, *audit);
  rescue::RegisterPatrolRoutes(router, *patrols);
  rescue::RegisterInstitutionRoutes(router, *institutions);
  auto missing_reports = std::make_shared<rescue::MissingReportService>(*db, *audit, *crypto);
  rescue::RegisterMatchingRoutes(router, missing_reports);
  // The report screens' helpers (STR loci, phone reveal with purpose) and the rescue lists' Excel downloads.
  rescue::RegisterReportExtraRoutes(router, *db, missing_reports, *audit);
  rescue::RegisterRescueExportRoutes(router, *rescue, missing_reports, *audit);
  // Photos of cases and reports (faces detected at upload); a change re-matches as an edit of the record does.
  auto photos = std::make_shared<rescue::PhotoService>(*db, *audit, rescue->public_minor_photos());
  photos->SetRematch([missing_reports](const registry::Actor& actor, const std::string& owner_type, int64_t id) {
    return missing_reports->AfterPhotoChange(actor, owner_type, id);
  });
  rescue::RegisterPhotoRoutes(router, photos, *rescue);
  return router;
}

}  // namespace doudi::app
