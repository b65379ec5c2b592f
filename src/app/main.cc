// The doudi binary: every subcommand (serve, migrate, demo, user, backup, restore, audit, version).
#include <iostream>

#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  CLI::App app{"兜底 Doudi — 社会救助与未成年人保护信息平台"};
  app.require_subcommand(1);
  auto* version = app.add_subcommand("version", "打印版本");
  version->callback([] { std::cout << "doudi " << DOUDI_VERSION << "\n"; });
  CLI11_PARSE(app, argc, argv);
  return 0;
}
