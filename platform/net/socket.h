// TCP sockets with timeouts and no signals: what the MJPEG server (and its tests)
// need, without OS headers leaking into the layers above. Sends never raise SIGPIPE
// (MSG_NOSIGNAL); a send that makes no progress for the send timeout fails, so a
// stalled peer cannot hold a thread forever.
//
//   edgefuse::platform::net::TcpListener listener;
//   std::string error;
//   if (!listener.Listen("127.0.0.1", 0, &error)) { ... }  // port 0: any free port
//   edgefuse::platform::net::TcpStream client;
//   if (listener.Accept(/*timeout_ms=*/100, &client, &error)) {
//     client.SetTimeouts(/*send_ms=*/2000, /*receive_ms=*/5000);
//     client.SendAll({"HTTP/1.1 204 No Content\r\n\r\n"}, &error);
//   }
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

namespace edgefuse::platform::net {

// One connected TCP socket. Move-only; closes on destruction.
class TcpStream {
 public:
  TcpStream() = default;
  explicit TcpStream(int fd) : fd_(fd) {}
  ~TcpStream() { Close(); }
  TcpStream(TcpStream&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  TcpStream& operator=(TcpStream&& other) noexcept;
  TcpStream(const TcpStream&) = delete;
  TcpStream& operator=(const TcpStream&) = delete;

  // Connects to host:port (a name or an IPv4/IPv6 literal), giving up after timeout_ms.
  static bool Connect(const std::string& host, int port, int timeout_ms, TcpStream* out, std::string* error);

  bool is_open() const { return fd_ >= 0; }
  // Timeouts for one send or receive call that makes no progress; 0 means none.
  // Also turns off Nagle's delay: the callers send small headers they want out at once.
  bool SetTimeouts(int send_ms, int receive_ms);
  // Sends every piece, in order, as one stream of bytes. False (with *error) when the
  // peer is gone, the send timeout expired, or the socket was shut down.
  bool SendAll(std::initializer_list<std::string_view> pieces, std::string* error);
  // Receives up to size bytes: the count (> 0), 0 when the peer closed the
  // connection, or -1 on an error or a receive timeout (*error says which).
  long Receive(char* data, size_t size, std::string* error);
  // Ends both directions, waking any thread blocked in a send or receive on this
  // socket; the descriptor stays valid until Close.
  void Shutdown();
  void Close();
  // "address:port" of the other end, or "" when unknown.
  std::string PeerName() const;

 private:
  int fd_ = -1;
};

// A listening TCP socket.
class TcpListener {
 public:
  TcpListener() = default;
  ~TcpListener() { Close(); }
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;

  // Binds bind_address ("0.0.0.0", "::", "127.0.0.1", a host name) and port (0: any
  // free port, see port()) and listens. Errors read "<address>:<port>: <reason>".
  bool Listen(const std::string& bind_address, int port, std::string* error);
  // Waits up to timeout_ms for a connection. True with *client set; false on a
  // timeout (error left empty) or a failure (error set).
  bool Accept(int timeout_ms, TcpStream* client, std::string* error);
  // The bound port (useful after Listen with port 0).
  int port() const { return port_; }
  void Close();

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace edgefuse::platform::net
