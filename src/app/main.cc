// The doudi binary: parses the command line and runs one subcommand (see app/commands.h).
#include <iostream>

#include <CLI/CLI.hpp>

#include "app/commands.h"
#include "app/version.h"
#include "tracing/dna/cli.h"

int main(int argc, char** argv) {
  using namespace doudi::app;
  CLI::App app{"兜底 Doudi — 社会救助与未成年人保护信息平台"};
  app.require_subcommand(1);
  GlobalOptions g;
  auto add_global = [&](CLI::App* sub) {
    sub->add_option("--config", g.config_file, "配置文件（TOML）")->check(CLI::ExistingFile);
    sub->add_option("--db", g.db_url, "数据库地址：sqlite:路径 或 postgresql://...");
    sub->add_option("--listen", g.listen, "监听地址 主机:端口");
  };
  int rc = 0;

  ServeOptions serve;
  auto* s = app.add_subcommand("serve", "启动 HTTP 服务");
  add_global(s);
  s->add_flag("--demo-if-empty", serve.demo_if_empty, "数据库为空时载入演示数据");
  s->add_option("--port-file", serve.port_file, "开始监听后把端口号写入此文件（测试用）");
  s->callback([&] { rc = RunServe(g, serve); });

  auto* m = app.add_subcommand("migrate", "升级数据库结构");
  add_global(m);
  m->callback([&] { rc = RunMigrate(g); });

  DemoOptions demo;
  auto* d = app.add_subcommand("demo", "向空数据库载入演示数据（合成数据，非真实人员）");
  add_global(d);
  d->add_option("--seed", demo.seed, "随机种子")->capture_default_str();
  d->add_option("--households", demo.households, "户数")->capture_default_str()->check(CLI::Range(1, 5000000));
  d->add_option("--as-of", demo.as_of, "计算年龄的基准日期")->capture_default_str();
  d->callback([&] { rc = RunDemo(g, demo); });

  auto* u = app.add_subcommand("user", "账号管理");
  u->require_subcommand(1);
  UserOptions uo;
  auto* ua = u->add_subcommand("add", "新建账号（首次登录须修改密码）");
  add_global(ua);
  ua->add_option("--username", uo.username, "用户名")->required();
  ua->add_option("--role", uo.role, "角色代码，如 caseworker、sysadmin")->required();
  ua->add_option("--division", uo.division, "所属区划代码，如 4210、421002")->required();
  ua->add_option("--password", uo.password, "初始密码（不给则随机生成并打印）");
  ua->add_option("--name", uo.name, "姓名");
  ua->add_option("--phone", uo.phone, "手机号");
  ua->callback([&] { rc = RunUserAdd(g, uo); });
  auto* ul = u->add_subcommand("list", "列出账号");
  add_global(ul);
  ul->callback([&] { rc = RunUserList(g); });
  std::string username, password;
  auto* ud = u->add_subcommand("disable", "停用账号");
  add_global(ud);
  ud->add_option("--username", username, "用户名")->required();
  ud->callback([&] { rc = RunUserDisable(g, username); });
  auto* ur = u->add_subcommand("reset-password", "重置密码（下次登录须修改）");
  add_global(ur);
  ur->add_option("--username", username, "用户名")->required();
  ur->add_option("--password", password, "新的临时密码（不给则随机生成并打印）");
  ur->callback([&] { rc = RunUserResetPassword(g, username, password); });

  std::string file;
  auto* b = app.add_subcommand("backup", "在线备份数据库（SQLite 在线备份；PostgreSQL 用 pg_dump）");
  add_global(b);
  b->add_option("--out", file, "备份文件")->required();
  b->callback([&] { rc = RunBackup(g, file); });
  bool yes = false;
  auto* r = app.add_subcommand("restore", "从备份恢复数据库（须先停止服务）");
  add_global(r);
  r->add_option("--in", file, "备份文件")->required()->check(CLI::ExistingFile);
  r->add_flag("--yes", yes, "确认覆盖当前数据库");
  r->callback([&] { rc = RunRestore(g, file, yes); });

  auto* a = app.add_subcommand("audit", "审计日志");
  a->require_subcommand(1);
  auto* av = a->add_subcommand("verify", "校验审计日志哈希链，指出第一处断链");
  add_global(av);
  av->callback([&] { rc = RunAuditVerify(g); });

  doudi::dna::DnaSearchOptions dna;
  auto* dn = app.add_subcommand("dna", "寻亲 DNA 亲缘比对");
  dn->require_subcommand(1);
  auto* ds = dn->add_subcommand("search", "用待查人员的 STR 分型比对亲属样本库，按家系给出似然比排名");
  ds->add_option("--refs", dna.refs_path, "亲属样本 CSV：profile_id,family_id,relation,位点...")->required()->check(CLI::ExistingFile);
  ds->add_option("--queries", dna.queries_path, "待查人员 CSV（同样的列）")->required()->check(CLI::ExistingFile);
  ds->add_option("--freq", dna.freq_path, "等位基因频率表 CSV（默认内置中国人群频率）");
  ds->add_option("--out", dna.out_path, "结果 JSON Lines 文件")->required();
  ds->add_option("--rejects", dna.rejects_path, "被拒绝行的 CSV（文件、行、字段、原因）");
  ds->add_option("--top", dna.top, "每个待查人员保留的候选家系数")->capture_default_str()->check(CLI::Range(1, 10000));
  ds->add_option("--mutation", dna.mutation, "突变模型")->capture_default_str()
      ->check(CLI::IsMember({"none", "equal", "proportional", "stepwise"}));
  ds->add_option("--rate", dna.rate, "突变率")->capture_default_str()->check(CLI::Range(0.0, 0.5));
  ds->add_option("--prior", dna.prior, "先验概率（默认 1/家系数）");
  ds->add_option("--sample-size", dna.sample_size, "频率表样本量 N（最小频率 5/(2N)）")->capture_default_str();
  ds->add_option("--support-lr", dna.support_lr, "支持亲缘关系的累计似然比阈值")->capture_default_str();
  ds->add_option("--exclude-loci", dna.exclude_loci, "排除亲缘关系的不符合位点数")->capture_default_str();
  ds->add_option("--threads", dna.threads, "线程数（0 = 全部核心）")->capture_default_str();
  ds->callback([&] { rc = doudi::dna::RunDnaSearch(dna); });

  // Module commands (verify, face, linkage, ...): each module adds its block here, one after another.

  auto* v = app.add_subcommand("version", "打印版本");
  v->callback([&] { std::cout << "doudi " << Version() << "\n"; });

  CLI11_PARSE(app, argc, argv);
  return rc;
}
