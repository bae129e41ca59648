#include "platform/net/socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <vector>

namespace edgefuse::platform::net {
namespace {

std::string Errno(int err) { return std::strerror(err); }

// getaddrinfo for host:port, TCP only. passive: for bind (host may be empty: any).
bool Resolve(const std::string& host, int port, bool passive, addrinfo** result, std::string* error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
  const std::string service = std::to_string(port);
  const int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, result);
  if (rc != 0) {
    *error = host + ":" + service + ": " + gai_strerror(rc);
    return false;
  }
  return true;
}

std::string AddressName(const sockaddr* address) {
  char host[INET6_ADDRSTRLEN] = {};
  int port = 0;
  if (address->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(address);
    inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
    port = ntohs(in->sin_port);
  } else if (address->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(address);
    inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
    port = ntohs(in6->sin6_port);
  } else {
    return "";
  }
  return std::string(host) + ":" + std::to_string(port);
}

bool SetTimeout(int fd, int option, int ms) {
  timeval tv{};
  tv.tv_sec = ms / 1000;
  tv.tv_usec = (ms % 1000) * 1000;
  return setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv) == 0;
}

// Tries each address of host:port in turn: a non-blocking socket, then setup (connect,
// or bind and listen). Returns the first descriptor setup accepts, or -1 with
// "<host>:<port>: <the last reason>".
int OpenFirst(const std::string& host, int port, bool passive, const std::function<bool(int, const addrinfo&)>& setup,
              std::string* error) {
  addrinfo* addresses = nullptr;
  if (!Resolve(host, port, passive, &addresses, error)) return -1;
  std::string last_error = "no address";
  int fd = -1;
  for (addrinfo* a = addresses; a != nullptr && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd >= 0 && !setup(fd, *a)) {
      const int reason = errno;  // what setup failed with, not what close may leave
      close(fd);
      fd = -1;
      errno = reason;
    }
    if (fd < 0) last_error = Errno(errno);
  }
  freeaddrinfo(addresses);
  if (fd < 0) *error = host + ":" + std::to_string(port) + ": " + last_error;
  return fd;
}

}  // namespace

TcpStream& TcpStream::operator=(TcpStream&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

bool TcpStream::Connect(const std::string& host, int port, int timeout_ms, TcpStream* out, std::string* error) {
  // Non-blocking connect, so that an unreachable host costs timeout_ms, not minutes.
  const auto connect_within_timeout = [timeout_ms](int fd, const addrinfo& address) {
    if (connect(fd, address.ai_addr, address.ai_addrlen) == 0) return true;
    if (errno != EINPROGRESS) return false;
    pollfd p{fd, POLLOUT, 0};
    if (poll(&p, 1, timeout_ms) <= 0) {
      errno = ETIMEDOUT;
      return false;
    }
    int so_error = 0;
    socklen_t length = sizeof so_error;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &length);
    errno = so_error;
    return so_error == 0;
  };
  const int fd = OpenFirst(host, port, /*passive=*/false, connect_within_timeout, error);
  if (fd < 0) return false;
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  *out = TcpStream(fd);
  return true;
}

bool TcpStream::SetTimeouts(int send_ms, int receive_ms) {
  if (fd_ < 0) return false;
  // Small HTTP headers and multipart boundaries go out at once, not after Nagle's delay.
  const int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return SetTimeout(fd_, SO_SNDTIMEO, send_ms) && SetTimeout(fd_, SO_RCVTIMEO, receive_ms);
}

bool TcpStream::SendAll(std::initializer_list<std::string_view> pieces, std::string* error) {
  if (fd_ < 0) {
    *error = "socket closed";
    return false;
  }
  std::vector<iovec> iov;
  iov.reserve(pieces.size());
  for (std::string_view piece : pieces) {
    if (!piece.empty()) iov.push_back({const_cast<char*>(piece.data()), piece.size()});
  }
  size_t first = 0;
  while (first < iov.size()) {
    msghdr message{};
    message.msg_iov = &iov[first];
    message.msg_iovlen = iov.size() - first;
    const ssize_t sent = sendmsg(fd_, &message, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      *error = (errno == EAGAIN || errno == EWOULDBLOCK) ? "send timed out" : Errno(errno);
      return false;
    }
    size_t remaining = static_cast<size_t>(sent);
    while (first < iov.size() && remaining >= iov[first].iov_len) remaining -= iov[first++].iov_len;
    if (remaining > 0) {
      iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + remaining;
      iov[first].iov_len -= remaining;
    }
  }
  return true;
}

long TcpStream::Receive(char* data, size_t size, std::string* error) {
  if (fd_ < 0) {
    *error = "socket closed";
    return -1;
  }
  for (;;) {
    const ssize_t n = recv(fd_, data, size, 0);
    if (n >= 0) return static_cast<long>(n);
    if (errno == EINTR) continue;
    *error = (errno == EAGAIN || errno == EWOULDBLOCK) ? "receive timed out" : Errno(errno);
    return -1;
  }
}

void TcpStream::Shutdown() {
  if (fd_ >= 0) shutdown(fd_, SHUT_RDWR);
}

void TcpStream::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

std::string TcpStream::PeerName() const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (fd_ < 0 || getpeername(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) return "";
  return AddressName(reinterpret_cast<const sockaddr*>(&address));
}

bool TcpListener::Listen(const std::string& bind_address, int port, std::string* error) {
  Close();
  // The socket stays non-blocking, so that a client gone between poll and accept
  // cannot block Accept.
  const auto bind_and_listen = [](int fd, const addrinfo& address) {
    // A restarted server can take its port back at once instead of waiting out TIME_WAIT.
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    return bind(fd, address.ai_addr, address.ai_addrlen) == 0 && listen(fd, 16) == 0;
  };
  const int fd = OpenFirst(bind_address, port, /*passive=*/true, bind_and_listen, error);
  if (fd < 0) return false;
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
  port_ = bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                      : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  fd_ = fd;
  return true;
}

bool TcpListener::Accept(int timeout_ms, TcpStream* client, std::string* error) {
  error->clear();
  if (fd_ < 0) {
    *error = "not listening";
    return false;
  }
  pollfd p{fd_, POLLIN, 0};
  const int rc = poll(&p, 1, timeout_ms);
  if (rc == 0 || (rc < 0 && errno == EINTR)) return false;
  if (rc < 0) {
    *error = Errno(errno);
    return false;
  }
  const int fd = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) {
    // The client may have gone between poll and accept; that is not a server failure.
    if (errno == EAGAIN || errno == ECONNABORTED || errno == EINTR) return false;
    *error = Errno(errno);
    return false;
  }
  *client = TcpStream(fd);
  return true;
}

void TcpListener::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  port_ = 0;
}

}  // namespace edgefuse::platform::net
