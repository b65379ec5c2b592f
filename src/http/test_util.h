// Test helpers for the http tests: a raw HTTP/1.1 connection, for what httplib::Client would tidy up or hide
// (literal "../" in a path, how many requests one connection carries).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace doudi::http::testing {

struct RawResponse {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;
  bool closed = false;  // the server closed the connection after this response (or instead of one)
};

// One TCP connection to 127.0.0.1:port, reading responses framed by Content-Length.
class RawConnection {
 public:
  explicit RawConnection(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    timeval tv{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~RawConnection() { close(fd_); }
  bool connected() const { return connected_; }

  bool Send(const std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
      ssize_t n = send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }

  RawResponse Read() {
    RawResponse r;
    size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) {
        r.closed = true;
        return r;
      }
    }
    r.head = buf_.substr(0, end + 2);
    buf_.erase(0, end + 4);
    r.status = std::atoi(r.head.c_str() + 9);
    size_t length = 0;
    std::string lower = r.head;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (auto p = lower.find("\r\ncontent-length:"); p != std::string::npos) length = std::strtoul(lower.c_str() + p + 17, nullptr, 10);
    while (buf_.size() < length) {
      if (!Fill()) break;
    }
    r.body = buf_.substr(0, length);
    buf_.erase(0, std::min(length, buf_.size()));
    r.closed = lower.find("\r\nconnection: close") != std::string::npos;
    return r;
  }

  RawResponse Exchange(const std::string& request) {
    if (!Send(request)) return RawResponse{0, "", "", true};
    return Read();
  }

 private:
  bool Fill() {
    char tmp[16384];
    ssize_t n = recv(fd_, tmp, sizeof(tmp), 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }
  int fd_ = -1;
  bool connected_ = false;
  std::string buf_;
};

inline std::string HeaderOf(const RawResponse& r, const std::string& name) {
  std::string lower_head = r.head, lower_name = "\r\n" + name + ":";
  for (auto& c : lower_head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto& c : lower_name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t p = lower_head.find(lower_name);
  if (p == std::string::npos) return "";
  size_t start = p + lower_name.size();
  size_t end = r.head.find("\r\n", start);
  std::string v = r.head.substr(start, end - start);
  while (!v.empty() && v.front() == ' ') v.erase(0, 1);
  return v;
}

}  // namespace doudi::http::testing
