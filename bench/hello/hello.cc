// The baseline for the registry read benchmark: cpp-httplib serving a small JSON object, tuned exactly as
// doudi's http::Server tunes it, so the ratio measures what doudi adds (session, scope, database read,
// decryption, masking, audit) and nothing else.
#include <httplib.h>

#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "http/listen_backlog.h"

int main(int argc, char** argv) {
  int port = argc > 1 ? std::atoi(argv[1]) : 18081;
  int threads = argc > 2 ? std::atoi(argv[2]) : 128;
  httplib::Server server;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(100000);
  server.set_keep_alive_timeout(30);
  server.Get(R"(/api/v1/hello/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
    nlohmann::json j = {{"id", std::stoll(req.matches[1])}, {"name", "张三"}, {"id_number", "4210**********1231"}};
    res.set_content(j.dump(), "application/json; charset=utf-8");
  });
  if (!server.bind_to_port("127.0.0.1", port)) return 1;
  doudi::http::RaiseListenBacklog(port);  // as doudi's server does after binding
  std::cout << "hello listening on 127.0.0.1:" << port << std::endl;
  server.listen_after_bind();
}
