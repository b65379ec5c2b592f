#include "http/listen_backlog.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vector>

#include <gtest/gtest.h>

namespace doudi::http {
namespace {

// A socket listening on an ephemeral loopback port with backlog 5 (as cpp-httplib makes it); nobody accepts.
int Listener(int* port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  EXPECT_EQ(::listen(fd, 5), 0);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  *port = ntohs(a.sin_port);
  return fd;
}

// How many of n simultaneous connections complete their handshake within 300 ms.
int Connected(int port, int n) {
  std::vector<pollfd> fds;
  for (int i = 0; i < n; ++i) {
    int c = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::connect(c, reinterpret_cast<sockaddr*>(&a), sizeof a);
    fds.push_back({c, POLLOUT, 0});
  }
  ::usleep(300 * 1000);
  ::poll(fds.data(), fds.size(), 0);
  int ok = 0;
  for (auto& p : fds) {
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if ((p.revents & POLLOUT) && err == 0) ++ok;
    ::close(p.fd);
  }
  return ok;
}

TEST(ListenBacklog, FortyClientsAtOnceAllGetIn) {
  int port = 0;
  int fd = Listener(&port);
  ASSERT_TRUE(RaiseListenBacklog(port, 1024));
  EXPECT_EQ(Connected(port, 40), 40);
  ::close(fd);
}

TEST(ListenBacklog, WithoutItTheKernelDropsHandshakes) {
  // The control: the same 40 clients against cpp-httplib's backlog of 5 do not all get in.
  int port = 0;
  int fd = Listener(&port);
  EXPECT_LT(Connected(port, 40), 40);
  ::close(fd);
}

TEST(ListenBacklog, NoSocketOnThatPortIsReported) {
  int port = 0;
  int fd = Listener(&port);
  ::close(fd);
  EXPECT_FALSE(RaiseListenBacklog(port));
}

}  // namespace
}  // namespace doudi::http
