// serve, migrate, user, backup, restore and audit verify (demo is in demo.cc).
#include "app/commands.h"

#include <fstream>
#include <future>
#include <iostream>

#include <spdlog/spdlog.h>

#include "app/app.h"
#include "app/demo.h"
#include "app/initial_password.h"
#include "db/backup.h"
#include "db/migrate.h"
#include "http/server.h"
#include "http/signals.h"
#include "platform/sessions.h"

namespace doudi::app {
namespace {

Result<std::unique_ptr<App>> OpenOrPrint(const GlobalOptions& g, App::Schema schema, int* rc) {
  auto app = App::Open(g, schema);
  if (!app.ok()) *rc = Fail(app.status());
  return app;
}

}  // namespace

int RunServe(const GlobalOptions& g, const ServeOptions& o) {
  int rc = 0;
  // serve applies pending migrations itself (and refuses a database newer than the binary), so an upgrade is
  // "replace the binary, restart".
  auto opened = OpenOrPrint(g, App::Schema::kMigrate, &rc);
  if (!opened.ok()) return rc;
  App& app = **opened;
  spdlog::set_level(spdlog::level::from_str(app.config.log_level));

  // Jobs left running or queued by a previous process that crashed are marked failed; only serve does this,
  // since a CLI command next to a running server would fail that server's jobs.
  if (auto r = app.jobs->RecoverInterrupted(); !r.ok()) return Fail(r.status());

  if (o.demo_if_empty) {
    auto empty = DatabaseHasNoUsers(app);
    if (!empty.ok()) return Fail(empty.status());
    if (*empty) {
      std::cout << "首次启动：正在载入演示数据（合成数据，非真实人员）……" << std::endl;
      DemoOptions demo;
      Status s = LoadDemo(app, demo, std::cout);
      if (!s.ok()) return Fail(s);
    }
  }

  if (app.config.audit_journal && app.config.database_url.starts_with("sqlite:")) {
    // After the demo load (which writes its audit rows directly) and before the first request.
    std::string journal = app.config.database_url.substr(7) + "-audit-journal";
    auto recovered = app.audit->EnableJournal(journal);
    if (!recovered.ok()) return Fail(recovered.status());
    if (recovered->replayed > 0 || recovered->torn_bytes > 0) {
      spdlog::warn("审计暂存文件 {}：补写上次运行遗留的审计记录 {} 条，丢弃不完整的尾部 {} 字节", journal,
                   recovered->replayed, recovered->torn_bytes);
    }
  }

  http::ServerConfig sc;
  int port = 0;
  if (Status s = ParseListen(app.config.listen, &sc.host, &port); !s.ok()) return Fail(s);
  sc.port = port;
  sc.threads = static_cast<size_t>(app.config.threads);
  sc.access_log = app.config.access_log;
  sc.secure_cookies = app.config.https;
  sc.payload_max = app.config.max_body_bytes;
  sc.static_dir = app.config.web_root;

  http::ServerHooks hooks;
  hooks.authenticate = [&app](const std::string& token) { return app.auth->Authenticate(token); };
  hooks.check_csrf = [](const platform::Principal& p, std::string_view csrf) { return platform::CheckCsrf(p, csrf); };
  hooks.audit_mutation = [&app](const platform::AuditEvent& e) {
    // AuthService records logins itself, with the reason of a failure; a second row would only repeat it.
    if (e.action == "auth.login") return;
    Status s = app.audit->Append(e);
    if (!s.ok()) spdlog::error("audit append failed: {}", s.ToString());
  };

  http::Server server(sc, app.Routes(), hooks);
  if (Status s = server.Start(); !s.ok()) return Fail(s);
  std::promise<void> stopped;
  http::SignalStopper stopper([&server, &stopped](int) {
    server.Stop();
    stopped.set_value();
  });
  std::cout << "兜底 Doudi " << DOUDI_VERSION << " 已启动：http://" << sc.host << ":" << server.port() << "/"
            << "（数据库 " << app.db->Describe() << "）" << std::endl;
  if (o.demo_if_empty) PrintDemoLogin(std::cout, server.port());
  if (!o.port_file.empty()) {
    // Written after listening, with a trailing newline, so a reader that sees "\n" knows the file is complete.
    std::string tmp = o.port_file + ".tmp";
    std::ofstream(tmp) << server.port() << "\n";
    std::rename(tmp.c_str(), o.port_file.c_str());
  }
  stopped.get_future().wait();
  std::cout << "兜底 Doudi 已停止" << std::endl;
  return 0;
}

int RunMigrate(const GlobalOptions& g) {
  int rc = 0;
  // Open without touching the schema, then migrate here to report what ran.
  auto opened = OpenOrPrint(g, App::Schema::kAny, &rc);
  if (!opened.ok()) return rc;
  int applied = 0;
  if (Status s = db::Migrate(*(*opened)->db, &applied); !s.ok()) return Fail(s);
  auto version = db::SchemaVersion(*(*opened)->db);
  std::cout << "已应用 " << applied << " 个迁移，数据库结构版本 " << (version.ok() ? *version : -1) << std::endl;
  return 0;
}

int RunUserAdd(const GlobalOptions& g, const UserOptions& o) {
  int rc = 0;
  auto opened = OpenOrPrint(g, App::Schema::kRequireCurrent, &rc);
  if (!opened.ok()) return rc;
  App& app = **opened;
  platform::NewUser nu;
  nu.username = o.username;
  nu.display_name = o.name.empty() ? o.username : o.name;
  nu.role = o.role;
  nu.division_code = o.division;
  nu.phone = o.phone;
  nu.password = o.password.empty() ? RandomPassword() : o.password;
  auto user = app.users->Create(platform::SystemActor(), nu);
  if (!user.ok()) return Fail(user.status());
  std::cout << "已创建账号 " << user->username << "（" << user->role_name << "，"
            << Divisions::Default().FullName(user->division_code) << "）\n";
  if (o.password.empty()) std::cout << "初始密码: " << nu.password << "\n";
  std::cout << "首次登录须修改密码。\n";
  auto roles = app.roles->Find(user->role);
  if (roles.ok() && (*roles)->is_admin()) {
    auto secret = EnrolTotpForSetup(app, user->id, "");
    if (!secret.ok()) return Fail(secret.status());
    std::cout << "管理员须使用双因素登录，请把下面的密钥录入手机验证器（只显示这一次）：\nTOTP secret: " << *secret << "\n";
  }
  return 0;
}

int RunUserList(const GlobalOptions& g) {
  int rc = 0;
  auto opened = OpenOrPrint(g, App::Schema::kRequireCurrent, &rc);
  if (!opened.ok()) return rc;
  platform::UserQuery q;
  q.size = 200;
  for (q.page = 1;; ++q.page) {
    auto found = (*opened)->users->List(platform::SystemActor(), q);
    if (!found.ok()) return Fail(found.status());
    for (const auto& u : found->first) {
      std::cout << u.id << "\t" << u.username << "\t" << u.display_name << "\t" << u.role << "\t" << u.division_code
                << "\t" << (u.disabled ? "停用" : "正常") << (u.locked_until ? "（锁定）" : "") << "\n";
    }
    if (q.page * q.size >= found->second) break;
  }
  return 0;
}

namespace {

Result<platform::User> FindUser(App& app, const std::string& username) {
  return app.users->GetByUsername(platform::SystemActor(), username);
}

}  // namespace

int RunUserDisable(const GlobalOptions& g, const std::string& username) {
  int rc = 0;
  auto opened = OpenOrPrint(g, App::Schema::kRequireCurrent, &rc);
  if (!opened.ok()) return rc;
  auto u = FindUser(**opened, username);
  if (!u.ok()) return Fail(u.status());
  auto d = (*opened)->users->Disable(platform::SystemActor(), u->id, u->version);
  if (!d.ok()) return Fail(d.status());
  std::cout << "已停用账号 " << username << "，其会话已全部结束\n";
  return 0;
}

int RunUserResetPassword(const GlobalOptions& g, const std::string& username, const std::string& password) {
  int rc = 0;
  auto opened = OpenOrPrint(g, App::Schema::kRequireCurrent, &rc);
  if (!opened.ok()) return rc;
  auto u = FindUser(**opened, username);
  if (!u.ok()) return Fail(u.status());
  std::string p = password.empty() ? RandomPassword() : password;
  auto r = (*opened)->users->ResetPassword(platform::SystemActor(), u->id, p, u->version);
  if (!r.ok()) return Fail(r.status());
  std::cout << "已重置 " << username << " 的密码，下次登录须修改。\n";
  if (password.empty()) std::cout << "临时密码: " << p << "\n";
  return 0;
}

int RunBackup(const GlobalOptions& g, const std::string& out) {
  auto config = Config::Load(g.config_file);
  if (!config.ok()) return Fail(config.status());
  std::string url = g.db_url.empty() ? config->database_url : g.db_url;
  if (Status s = db::Backup(url, out); !s.ok()) return Fail(s);
  std::cout << "已备份到 " << out << "\n提醒：加密密钥文件 " << config->key_file
            << " 须另行备份，没有它无法解密备份中的身份证号。\n";
  return 0;
}

int RunRestore(const GlobalOptions& g, const std::string& in, bool yes) {
  auto config = Config::Load(g.config_file);
  if (!config.ok()) return Fail(config.status());
  std::string url = g.db_url.empty() ? config->database_url : g.db_url;
  if (!yes) {
    std::cerr << "恢复会覆盖数据库 " << url << "。请先停止服务，确认后加 --yes 再执行。\n";
    return 2;
  }
  if (Status s = db::Restore(url, in); !s.ok()) return Fail(s);
  std::cout << "已从 " << in << " 恢复。建议执行 doudi audit verify 校验审计日志。\n";
  return 0;
}

int RunAuditVerify(const GlobalOptions& g) {
  int rc = 0;
  auto opened = OpenOrPrint(g, App::Schema::kRequireCurrent, &rc);
  if (!opened.ok()) return rc;
  auto report = (*opened)->audit->Verify();
  if (!report.ok()) return Fail(report.status());
  if (report->ok) {
    std::cout << "审计日志完整：已校验 " << report->rows_checked << " 行，哈希链无断裂。\n";
    return 0;
  }
  std::cout << "审计日志被篡改：第一处断链在第 " << report->first_broken_id.value_or(0) << " 行（" << report->reason
            << "），已校验 " << report->rows_checked << " 行。\n";
  return 1;
}

}  // namespace doudi::app
