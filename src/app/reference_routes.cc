#include "app/reference_routes.h"

#include <nlohmann/json.hpp>

#include "common/codes.h"
#include "common/divisions.h"
#include "db/migrate.h"
#include "registry/codes.h"

namespace doudi::app {

void RegisterReferenceRoutes(http::Router& router, db::Database& db) {
  // Public so that load balancers and `make run` can probe it; it tells nothing sensitive.
  router.Get("/api/v1/health", {.is_public = true}, [&db](http::Request&) -> Result<http::Response> {
    auto version = db::SchemaVersion(db);
    if (!version.ok()) {
      return http::Response::Json({{"status", "unavailable"}, {"database", "unreachable"}}, 503);
    }
    return http::Response::Json({{"status", "ok"},
                                 {"database", "ok"},
                                 {"schema_version", *version},
                                 {"binary_schema_version", db::BinarySchemaVersion()}});
  });

  router.Get("/api/v1/divisions", {}, [](http::Request& req) -> Result<http::Response> {
    std::string parent = req.Query("parent").value_or("");
    const auto& divisions = Divisions::Default();
    if (!parent.empty() && !divisions.Find(parent)) {
      return Status::InvalidField("parent", "division.unknown", "未知的行政区划代码：" + parent);
    }
    nlohmann::json items = nlohmann::json::array();
    for (const Division* d : divisions.Children(parent)) {
      if (!d->valid_until.empty()) continue;  // historical codes are for validating old ID numbers only
      items.push_back({{"code", d->code}, {"name", d->name}, {"level", d->level}, {"leaf", d->level >= 4}});
    }
    return http::Response::Json({{"items", items}});
  });

  router.Get("/api/v1/dicts/{name}", {}, [](http::Request& req) -> Result<http::Response> {
    std::string name = req.Param("name");
    nlohmann::json items = nlohmann::json::array();
    // The registry's own vocabularies (person flags, urban/rural) come before the national code sets.
    for (const auto& [code, label] : registry::LocalCodes(name)) {
      items.push_back({{"code", code}, {"name", label}, {"parent", ""}});
    }
    auto names = CodeSets::Names();
    if (items.empty() && std::find(names.begin(), names.end(), name) == names.end()) {
      return Status::NotFound("dict.not_found", "没有名为 " + name + " 的字典");
    }
    if (items.empty()) {
      for (const auto& e : CodeSets::Get(name).entries()) {
        items.push_back({{"code", e.code}, {"name", e.name}, {"parent", e.parent}});
      }
    }
    return http::Response::Json({{"name", name}, {"items", items}});
  });
}

}  // namespace doudi::app
