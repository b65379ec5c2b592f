#include "http/access_log.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <string>

namespace doudi::http {

AccessLog::AccessLog(std::vector<spdlog::sink_ptr> sinks) {
  if (sinks.empty()) sinks = spdlog::default_logger()->sinks();
  pool_ = std::make_shared<spdlog::details::thread_pool>(8192, 1);
  logger_ = std::make_shared<spdlog::async_logger>("access", sinks.begin(), sinks.end(), pool_,
                                                   spdlog::async_overflow_policy::overrun_oldest);
}

AccessLog::~AccessLog() {
  // Destroying the pool drains its queue; flush first so buffered sinks see the last lines too.
  logger_->flush();
  logger_.reset();
  pool_.reset();
}

namespace {

// A decoded path may hold control characters (%0A); never let a request forge a log line.
std::string Printable(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return out;
}

}  // namespace

void AccessLog::Log(std::string_view method, std::string_view path, std::string_view query_keys, int status,
                    double ms, std::string_view request_id, std::string_view user) {
  std::string duration = ms < 0 ? "-" : fmt::format("{:.1f}ms", ms);
  logger_->info("{} {}{}{} {} {} rid={} user={}", Printable(method), Printable(path), query_keys.empty() ? "" : "?",
                Printable(query_keys), status, duration, request_id, user.empty() ? "-" : user);
}

}  // namespace doudi::http
