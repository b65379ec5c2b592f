#include "app/config.h"

#include <cstdlib>
#include <functional>
#include <map>

#include <toml++/toml.h>

namespace doudi::app {
namespace {

// One settable key: where it lives in the TOML and how to assign it from text or TOML.
struct Key {
  std::string section, name;
  std::function<Status(const std::string&)> from_text;
  std::function<Status(const toml::node&)> from_toml;
};

Status Bad(const std::string& key, const std::string& why) {
  return Status::Invalid("config.invalid", "配置项 " + key + " 无效：" + why);
}

template <typename T>
Key Bind(std::string section, std::string name, T* target) {
  std::string full = section + "." + name;
  Key k{section, name, nullptr, nullptr};
  if constexpr (std::is_same_v<T, std::string>) {
    k.from_text = [target](const std::string& v) { *target = v; return Status::Ok(); };
    k.from_toml = [target, full](const toml::node& n) {
      if (!n.is_string()) return Bad(full, "应为字符串");
      *target = *n.value<std::string>();
      return Status::Ok();
    };
  } else if constexpr (std::is_same_v<T, bool>) {
    k.from_text = [target, full](const std::string& v) {
      if (v == "1" || v == "true") *target = true;
      else if (v == "0" || v == "false") *target = false;
      else return Bad(full, "应为 true 或 false");
      return Status::Ok();
    };
    k.from_toml = [target, full](const toml::node& n) {
      if (!n.is_boolean()) return Bad(full, "应为 true 或 false");
      *target = *n.value<bool>();
      return Status::Ok();
    };
  } else {
    k.from_text = [target, full](const std::string& v) {
      char* end = nullptr;
      long long x = std::strtoll(v.c_str(), &end, 10);
      if (v.empty() || *end || x < 0) return Bad(full, "应为非负整数");
      *target = static_cast<T>(x);
      return Status::Ok();
    };
    k.from_toml = [target, full](const toml::node& n) {
      if (!n.is_integer() || *n.value<int64_t>() < 0) return Bad(full, "应为非负整数");
      *target = static_cast<T>(*n.value<int64_t>());
      return Status::Ok();
    };
  }
  return k;
}

std::vector<Key> Keys(Config& c) {
  return {
      Bind("server", "listen", &c.listen),
      Bind("server", "threads", &c.threads),
      Bind("server", "web_root", &c.web_root),
      Bind("server", "access_log", &c.access_log),
      Bind("server", "https", &c.https),
      Bind("server", "max_body_bytes", &c.max_body_bytes),
      Bind("database", "url", &c.database_url),
      Bind("database", "pool", &c.database_pool),
      Bind("security", "key_file", &c.key_file),
      Bind("security", "session_idle_minutes", &c.session_idle_minutes),
      Bind("security", "session_absolute_hours", &c.session_absolute_hours),
      Bind("security", "lockout_failures", &c.lockout_failures),
      Bind("security", "lockout_minutes", &c.lockout_minutes),
      Bind("security", "totp_required_for_all", &c.totp_required_for_all),
      Bind("security", "password_cost", &c.password_cost),
      Bind("audit", "journal", &c.audit_journal),
      Bind("log", "level", &c.log_level),
      Bind("verify", "policy_file", &c.verify_policy_file),
  };
}

std::string Upper(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

}  // namespace

Result<Config> Config::Load(const std::string& path) {
  Config c;
  auto keys = Keys(c);
  if (!path.empty()) {
    toml::table t;
    try {
      t = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
      return Status::Invalid("config.parse", "配置文件 " + path + " 无法解析：" + std::string(e.description()) +
                                                 "（第 " + std::to_string(e.source().begin.line) + " 行）");
    }
    for (auto& [section, node] : t) {
      const auto* tbl = node.as_table();
      if (!tbl) return Bad(std::string(section.str()), "应为一个表 [" + std::string(section.str()) + "]");
      for (auto& [name, value] : *tbl) {
        auto it = std::find_if(keys.begin(), keys.end(),
                               [&](const Key& k) { return k.section == section.str() && k.name == name.str(); });
        if (it == keys.end()) {
          return Bad(std::string(section.str()) + "." + std::string(name.str()), "未知配置项");
        }
        DOUDI_RETURN_IF_ERROR(it->from_toml(value));
      }
    }
  }
  for (const auto& k : keys) {
    std::string env = "DOUDI_" + Upper(k.section) + "_" + Upper(k.name);
    if (const char* v = std::getenv(env.c_str())) DOUDI_RETURN_IF_ERROR(k.from_text(v));
  }
  if (c.password_cost != "interactive" && c.password_cost != "moderate" && c.password_cost != "min") {
    return Bad("security.password_cost", "应为 interactive、moderate 或 min");
  }
  std::string host;
  int port = 0;
  DOUDI_RETURN_IF_ERROR(ParseListen(c.listen, &host, &port));
  return c;
}

Status ParseListen(const std::string& listen, std::string* host, int* port) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return Bad("server.listen", "应为 主机:端口，如 127.0.0.1:8080");
  *host = listen.substr(0, colon);
  std::string p = listen.substr(colon + 1);
  char* end = nullptr;
  long v = std::strtol(p.c_str(), &end, 10);
  if (p.empty() || *end || v < 0 || v > 65535) return Bad("server.listen", "端口应为 0–65535");
  *port = static_cast<int>(v);
  return Status::Ok();
}

}  // namespace doudi::app
