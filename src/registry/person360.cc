#include "registry/person360.h"

#include <exception>
#include <map>
#include <mutex>

#include <spdlog/spdlog.h>

namespace doudi::registry {
namespace {

struct Registry {
  std::mutex mu;
  std::map<std::string, Person360Provider> sections;
};

Registry& GetRegistry() {
  static Registry r;
  return r;
}

}  // namespace

void RegisterPerson360Section(std::string name, Person360Provider provider) {
  auto& r = GetRegistry();
  std::lock_guard lock(r.mu);
  r.sections[std::move(name)] = std::move(provider);
}

void UnregisterPerson360Section(const std::string& name) {
  auto& r = GetRegistry();
  std::lock_guard lock(r.mu);
  r.sections.erase(name);
}

std::vector<std::pair<std::string, Person360Provider>> Person360Sections() {
  auto& r = GetRegistry();
  std::lock_guard lock(r.mu);
  return {r.sections.begin(), r.sections.end()};
}

nlohmann::json RunPerson360Sections(int64_t person_id, const platform::Principal& principal) {
  nlohmann::json out = nlohmann::json::object();
  // Run outside the lock: a provider may take long or register something itself.
  for (auto& [name, provider] : Person360Sections()) {
    try {
      auto r = provider(person_id, principal);
      out[name] = r.ok() ? std::move(r).value() : nlohmann::json{{"error", r.status().message()}};
    } catch (const std::exception& e) {
      // Providers report failures as Status; this only keeps one module's bug from breaking the page.
      spdlog::error("person 360 section {} threw for person {}: {}", name, person_id, e.what());
      out[name] = {{"error", "该部分加载失败"}};
    }
  }
  return out;
}

}  // namespace doudi::registry
