// The access log: one line per HTTP request, written off the request thread.
//
//   GET /api/v1/registry/persons?name&page 200 3.2ms rid=9f2c41d07ab3e815 user=zhangsan
//
// Query values are left out (they may hold names or ID numbers); only their keys are logged. Lines go through
// a spdlog async logger with its own small queue that drops the oldest line rather than block a request when
// the disk is slow. It can be switched off for benchmarks.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include <spdlog/async_logger.h>
#include <spdlog/details/thread_pool.h>

namespace doudi::http {

class AccessLog {
 public:
  // sinks: where lines go; empty = the default logger's sinks (whatever the application configured).
  explicit AccessLog(std::vector<spdlog::sink_ptr> sinks = {});
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  // path: without the query; query_keys: "name&page" or "". ms < 0 means unknown (a request httplib rejected
  // before it reached us). user: "" when anonymous.
  void Log(std::string_view method, std::string_view path, std::string_view query_keys, int status, double ms,
           std::string_view request_id, std::string_view user);

 private:
  std::shared_ptr<spdlog::details::thread_pool> pool_;  // declared first: the logger needs it until destroyed
  std::shared_ptr<spdlog::async_logger> logger_;
};

}  // namespace doudi::http
