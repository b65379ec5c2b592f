// Graceful shutdown on SIGTERM and SIGINT.
//
// The signal handler only writes the signal number to a pipe (write(2) is async-signal-safe); a thread reads it
// and runs the callback, normally Server::Stop, in ordinary thread context. A second signal while the first
// is being handled exits at once with 128+signal, for an operator who presses Ctrl-C twice.
//
//   http::Server server(...);
//   http::SignalStopper stopper([&](int) { server.Stop(); });  // declared after the server: destroyed first
//   return server.Run().ok() ? 0 : 1;
#pragma once

#include <functional>
#include <thread>

namespace doudi::http {

class SignalStopper {
 public:
  // Installs the handlers. Only one SignalStopper may exist at a time.
  explicit SignalStopper(std::function<void(int signal)> on_signal);
  // Restores the previous handlers and joins the thread (after a running callback has returned).
  ~SignalStopper();
  SignalStopper(const SignalStopper&) = delete;
  SignalStopper& operator=(const SignalStopper&) = delete;

 private:
  std::function<void(int)> on_signal_;
  int read_fd_ = -1;  // the process-wide self-pipe's read end
  std::thread thread_;
};

}  // namespace doudi::http
