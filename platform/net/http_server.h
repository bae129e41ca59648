// A small HTTP/1.1 server for the board's live view: GET and HEAD only, one thread
// per client (capped), every response ends with the connection ("Connection:
// close"). Handlers can send one whole response or stream a
// multipart/x-mixed-replace body (MJPEG). A client that disconnects or stalls past
// the send timeout only ends its own thread: sends never raise SIGPIPE, and the
// server's counters record the disconnect.
//
//   edgefuse::platform::net::HttpServer server;
//   std::string error;
//   bool ok = server.Start({.bind = "0.0.0.0", .port = 8080},
//       [](const edgefuse::platform::net::HttpRequest& request, edgefuse::platform::net::HttpResponse& response) {
//         if (request.path == "/") response.Send(200, "text/plain", "hello\n");
//         else response.Send(404, "text/plain", "not found\n");
//       }, &error);
//   ...
//   server.Stop();
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "platform/net/socket.h"

namespace edgefuse::platform::net {

struct HttpRequest {
  std::string method;                                        // "GET", "HEAD"
  std::string path;                                          // "/stream", without the query
  std::string query;                                         // what follows '?', or ""
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case

  // The value of a header (name in lower case), or nullptr.
  const std::string* Header(std::string_view name) const;
};

// Parses a request head: the request line and the header lines, up to (not
// including) the empty line. False with a one-line *error on anything malformed.
bool ParseHttpRequestHead(std::string_view head, HttpRequest* request, std::string* error);

class HttpServer;

// What a handler writes its answer to. Every call returns false once a send has
// failed (the client went away or stalled) or the server is stopping; a handler
// that streams should then return.
class HttpResponse {
 public:
  // A complete response with Content-Length. For HEAD, the body is left out.
  bool Send(int status, std::string_view content_type, std::string_view body);
  // Starts a multipart/x-mixed-replace response; then SendPart for each part.
  bool BeginMultipart(std::string_view boundary);
  bool SendPart(std::string_view content_type, std::string_view body);
  // True when the server is stopping: a streaming handler must return.
  bool stopping() const;
  bool peer_gone() const { return peer_gone_; }

 private:
  friend class HttpServer;
  HttpResponse(HttpServer* server, TcpStream* stream, bool head_only)
      : server_(server), stream_(stream), head_only_(head_only) {}
  bool Write(std::initializer_list<std::string_view> pieces);

  HttpServer* server_;
  TcpStream* stream_;
  bool head_only_;
  bool peer_gone_ = false;
  bool finished_ = false;  // a complete response (or a HEAD's headers) went out
  std::string boundary_;
};

using HttpHandler = std::function<void(const HttpRequest&, HttpResponse&)>;

struct HttpServerOptions {
  std::string bind = "0.0.0.0";   // address to listen on; "127.0.0.1" keeps it local
  int port = 8080;                // 0: any free port (see HttpServer::port)
  int max_clients = 8;            // more concurrent clients get 503
  int send_timeout_ms = 2000;     // a client that takes nothing for this long is dropped
  int request_timeout_ms = 5000;  // time to send the request head
};

struct HttpServerStats {
  uint64_t accepted = 0;      // connections taken
  uint64_t rejected = 0;      // turned away with 503: max_clients reached
  uint64_t bad_requests = 0;  // malformed, too large, timed out, or not GET/HEAD
  uint64_t completed = 0;     // handlers that ran to the end with every send delivered
  uint64_t disconnects = 0;   // responses cut short: the client closed, reset, or stalled
  uint64_t bytes_sent = 0;
  int active = 0;  // connections being served now
};

class HttpServer {
 public:
  HttpServer() = default;
  ~HttpServer() { Stop(); }
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Listens and starts accepting. False with a one-line *error (address in use, bad
  // bind address) and nothing running.
  bool Start(const HttpServerOptions& options, HttpHandler handler, std::string* error);
  // Stops accepting, wakes and joins every client thread. Idempotent.
  void Stop();
  int port() const { return listener_.port(); }
  HttpServerStats stats() const;

 private:
  friend class HttpResponse;
  struct Client {
    TcpStream stream;
    std::thread thread;
    std::atomic<bool> done{false};
  };

  void AcceptLoop();
  void Serve(Client* client);
  void ReapFinished();  // joins client threads that have returned; mutex_ held
  void CountSent(size_t bytes) { bytes_sent_.fetch_add(bytes, std::memory_order_relaxed); }

  HttpServerOptions options_;
  HttpHandler handler_;
  TcpListener listener_;
  std::thread accept_thread_;
  std::atomic<bool> stopping_{false};
  bool running_ = false;

  mutable std::mutex mutex_;
  std::list<std::unique_ptr<Client>> clients_;
  HttpServerStats stats_;
  std::atomic<uint64_t> bytes_sent_{0};
};

// "200 OK", "404 Not Found", ...: the status line text for the codes the server uses.
std::string_view HttpStatusText(int status);

}  // namespace edgefuse::platform::net
