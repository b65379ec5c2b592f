// RaiseListenBacklog: gives the listening socket of a cpp-httplib server a usable accept queue.
//
// cpp-httplib 0.11 (Debian 12) calls listen(sock, 5) and does not expose the socket. When many clients connect at
// once (64 benchmark connections, a room of browsers after a restart), the kernel drops the handshakes that do not
// fit; a client whose final ACK was dropped believes it is connected, sends its request, and resends it only after
// the retransmission timeout (200 ms, then 400, 800 ...): requests answered after seconds with an idle server.
// Linux accepts a second listen() on a listening socket as a change of its backlog, so the server finds its own
// listening socket by port and calls listen() again. Plain POSIX, so the benchmark's hello-world uses it too.
#pragma once

namespace doudi::http {

// Calls listen(fd, backlog) on this process's listening TCP socket bound to `port`; false if none was found.
bool RaiseListenBacklog(int port, int backlog = 1024);

}  // namespace doudi::http
