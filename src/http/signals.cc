#include "http/signals.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace doudi::http {

namespace {

// The self-pipe lives as long as the process: a handler already running on another thread while a
// SignalStopper is destroyed must never write to a closed (or reused) descriptor.
int g_pipe[2] = {-1, -1};
std::once_flag g_pipe_once;
// Shared with the handler, so lock-free atomics only.
std::atomic<bool> g_installed{false};
std::atomic<int> g_signals{0};
struct sigaction g_old_term, g_old_int;

void OnSignal(int sig) {
  int saved_errno = errno;
  if (g_signals.fetch_add(1) > 0) {
    static const char kMsg[] = "second signal: exiting without waiting for requests\n";
    (void)!write(STDERR_FILENO, kMsg, sizeof(kMsg) - 1);
    _exit(128 + sig);
  }
  unsigned char byte = static_cast<unsigned char>(sig);
  (void)!write(g_pipe[1], &byte, 1);
  errno = saved_errno;
}

}  // namespace

SignalStopper::SignalStopper(std::function<void(int)> on_signal) : on_signal_(std::move(on_signal)) {
  std::call_once(g_pipe_once, [] {
    if (pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
      spdlog::critical("signal pipe: {}", strerror(errno));
      std::abort();
    }
  });
  if (g_installed.exchange(true)) {
    spdlog::critical("only one SignalStopper may exist at a time");
    std::abort();
  }
  unsigned char stale;
  while (read(g_pipe[0], &stale, 1) == 1) {
  }
  g_signals = 0;
  read_fd_ = g_pipe[0];
  thread_ = std::thread([this] {
    while (true) {
      pollfd p{read_fd_, POLLIN, 0};
      if (poll(&p, 1, -1) < 0 && errno != EINTR) return;
      unsigned char byte = 0;
      ssize_t n = read(read_fd_, &byte, 1);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0 || byte == 0) return;  // 0: the destructor's wake-up
      spdlog::info("signal {} received: stopping", static_cast<int>(byte));
      on_signal_(byte);
    }
  });
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGTERM, &sa, &g_old_term);
  sigaction(SIGINT, &sa, &g_old_int);
}

SignalStopper::~SignalStopper() {
  sigaction(SIGTERM, &g_old_term, nullptr);
  sigaction(SIGINT, &g_old_int, nullptr);
  unsigned char wake = 0;
  (void)!write(g_pipe[1], &wake, 1);
  thread_.join();
  g_installed = false;
}

}  // namespace doudi::http
