// The doudi binary: parses the command line and runs one subcommand (see app/commands.h).
#include <iostream>

#include <CLI/CLI.hpp>

#include "app/commands.h"
#include "app/version.h"
#include "tracing/dna/cli.h"
#include "verify/cli.h"
#include "tracing/face/cli.h"
#include "tracing/linkage/cli.h"

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

  doudi::verify::VerifyBatchOptions vb;
  auto* vf = app.add_subcommand("verify", "居民家庭经济状况核对");
  vf->require_subcommand(1);
  auto* vfb = vf->add_subcommand("batch", "批量核对：家庭成员文件 + 部门数据目录 → 结果 CSV（家庭成员文件视为已授权家庭名单）");
  vfb->add_option("--households", vb.households_path, "家庭成员 CSV：household_id,county_code,urban_rural,id_number,name,relation,counted")
      ->required()->check(CLI::ExistingFile);
  vfb->add_option("--feeds", vb.feeds_dir, "部门数据目录（hukou.csv、vehicle.csv …，可缺）")->required()->check(CLI::ExistingDirectory);
  vfb->add_option("--policy", vb.policy_path, "核对政策 TOML（默认内置示例政策）")->check(CLI::ExistingFile);
  vfb->add_option("--as-of", vb.as_of, "核对基准日 YYYY-MM-DD")->required();
  vfb->add_option("--out", vb.out_path, "结果 CSV")->required();
  vfb->add_option("--jobs", vb.jobs, "线程数（0 = 全部核心）")->capture_default_str()->check(CLI::Range(0, 256));
  vfb->add_option("--rejects", vb.rejects_path, "被拒绝行的 CSV（文件、行、列、代码、原因）");
  vfb->add_flag("--all-or-nothing", vb.all_or_nothing, "部门数据文件有任何被拒绝的行时整个文件不导入");
  vfb->add_option("--timings", vb.timings_path, "各阶段耗时 JSON（基准测试用）");
  vfb->callback([&] { rc = doudi::verify::RunVerifyBatch(vb); });

  doudi::face::FaceCliOptions face;
  auto* fc = app.add_subcommand("face", "寻亲人脸比对：检测、特征提取、索引与检索（相似度只排序候选，不单独认定身份）");
  fc->require_subcommand(1);
  fc->add_option("--models", face.model_dir, "人脸模型目录（默认 tracing-models 中安装的 @vladmandic/face-api 1.7.15）");
  auto* fe = fc->add_subcommand("embed", "检测图片中的人脸，输出位置框、68 个特征点和 128 维特征（JSON）");
  fe->add_option("images", face.images, "JPEG 或 PNG 图片")->required();
  fe->add_option("--out", face.out_path, "结果 JSON 文件（默认标准输出）");
  fe->callback([&] { rc = doudi::face::RunFaceEmbed(face); });
  auto* fi = fc->add_subcommand("index", "把图片中的人脸加入索引目录（增量）");
  fi->add_option("--index", face.index_dir, "索引目录")->required();
  fi->add_option("--kind", face.kind, "新建索引的类型：flat 精确检索；hnsw 近似检索（百万级以上）")->capture_default_str()
      ->check(CLI::IsMember({"flat", "hnsw"}));
  fi->add_option("images", face.images, "JPEG 或 PNG 图片")->required();
  fi->callback([&] { rc = doudi::face::RunFaceIndex(face); });
  auto* fs = fc->add_subcommand("search", "在索引中检索与图片人脸最相似的候选");
  fs->add_option("--index", face.index_dir, "索引目录")->required()->check(CLI::ExistingDirectory);
  fs->add_option("--image", face.image, "待查人员照片")->required();
  fs->add_option("--top", face.top, "候选数")->capture_default_str()->check(CLI::Range(1, 10000));
  fs->callback([&] { rc = doudi::face::RunFaceSearch(face); });
  auto* fd = fc->add_subcommand("decode", "输出引擎看到的像素（已按 EXIF 方向旋转）为 PPM，供生成金标准向量");
  fd->add_option("images", face.images, "JPEG 或 PNG 图片")->required();
  fd->add_option("--out", face.out_path, "PPM 文件")->required();
  fd->callback([&] { rc = doudi::face::RunFaceDecode(face); });

  doudi::linkage::LinkageCliOptions lk;
  auto* lkc = app.add_subcommand("linkage", "寻亲属性比对（Fellegi–Sunter）：寻人登记与待查人员");
  lkc->require_subcommand(1);
  auto add_linkage = [&](CLI::App* c) {
    c->add_option("--out", lk.out_path, "结果 JSON Lines 文件")->required();
    c->add_option("--threshold", lk.threshold, "候选的最低匹配权重（log2 似然比，不含先验）")->capture_default_str();
    c->add_option("--top", lk.top, "每人保留的候选数")->capture_default_str()->check(CLI::Range(1, 10000));
    c->add_option("--rejects", lk.rejects_path, "被拒绝行的 CSV（文件、行、字段、原因）");
    c->add_option("--params", lk.params_path, "写出所用 m/u 参数的 JSON 文件");
    c->add_option("--threads", lk.threads, "线程数（0 = 全部核心）")->capture_default_str();
    c->add_flag("--no-estimate{false}", lk.estimate, "不用 EM 估计参数，直接用专家默认值");
  };
  auto* lkm = lkc->add_subcommand("match", "寻人登记 × 待查人员，按待查人员给出候选及各项得分");
  lkm->add_option("--missing", lk.missing_path, "寻人登记 CSV")->required()->check(CLI::ExistingFile);
  lkm->add_option("--found", lk.found_path, "待查人员 CSV")->required()->check(CLI::ExistingFile);
  add_linkage(lkm);
  lkm->callback([&] { rc = doudi::linkage::RunLinkageMatch(lk); });
  auto* lkd = lkc->add_subcommand("dedupe", "同一类记录内部查重（寻人登记或待查人员）");
  lkd->add_option("--missing", lk.missing_path, "寻人登记 CSV")->check(CLI::ExistingFile);
  lkd->add_option("--found", lk.found_path, "待查人员 CSV")->check(CLI::ExistingFile);
  add_linkage(lkd);
  lkd->callback([&] { rc = doudi::linkage::RunLinkageDedupe(lk); });

  auto* v = app.add_subcommand("version", "打印版本");
  v->callback([&] { std::cout << "doudi " << Version() << "\n"; });

  CLI11_PARSE(app, argc, argv);
  return rc;
}
