#include "platform/net/http_server.h"

#include <algorithm>
#include <cctype>
#include <exception>

#include "platform/log.h"
#include "platform/text.h"

namespace edgefuse::platform::net {
namespace {

constexpr size_t kMaxRequestHead = 8192;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

std::string ResponseHead(int status, std::string_view content_type, std::string_view extra) {
  std::string head = "HTTP/1.1 ";
  head += HttpStatusText(status);
  head += "\r\nContent-Type: ";
  head += content_type;
  head += "\r\n";
  head += extra;
  // The view is live: nothing may be cached by the browser or a proxy.
  head += "Cache-Control: no-cache, no-store, must-revalidate\r\nPragma: no-cache\r\nConnection: close\r\n\r\n";
  return head;
}

}  // namespace

std::string_view HttpStatusText(int status) {
  switch (status) {
    case 200: return "200 OK";
    case 400: return "400 Bad Request";
    case 404: return "404 Not Found";
    case 405: return "405 Method Not Allowed";
    case 408: return "408 Request Timeout";
    case 431: return "431 Request Header Fields Too Large";
    case 500: return "500 Internal Server Error";
    case 503: return "503 Service Unavailable";
    default: return "500 Internal Server Error";
  }
}

const std::string* HttpRequest::Header(std::string_view name) const {
  for (const auto& header : headers) {
    if (header.first == name) return &header.second;
  }
  return nullptr;
}

bool ParseHttpRequestHead(std::string_view head, HttpRequest* request, std::string* error) {
  *request = HttpRequest();
  const size_t line_end = head.find("\r\n");
  std::string_view line = head.substr(0, line_end);
  // Request line: METHOD SP TARGET SP HTTP/x.y
  const size_t sp1 = line.find(' ');
  const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != line.npos) {
    *error = "malformed request line";
    return false;
  }
  request->method = std::string(line.substr(0, sp1));
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (request->method.empty() ||
      !std::all_of(request->method.begin(), request->method.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    *error = "malformed method";
    return false;
  }
  if (target.empty() || target.front() != '/') {
    *error = "request target is not an absolute path";
    return false;
  }
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    *error = "unsupported HTTP version";
    return false;
  }
  const size_t question = target.find('?');
  request->path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) request->query = std::string(target.substr(question + 1));

  std::string_view rest = line_end == std::string_view::npos ? std::string_view() : head.substr(line_end + 2);
  while (!rest.empty()) {
    const size_t end = rest.find("\r\n");
    const std::string_view header = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 2);
    if (header.empty()) break;
    const size_t colon = header.find(':');
    if (colon == std::string_view::npos || colon == 0 || header.substr(0, colon).find(' ') != header.npos) {
      *error = "malformed header line";
      return false;
    }
    request->headers.emplace_back(Lower(header.substr(0, colon)), std::string(Trim(header.substr(colon + 1))));
  }
  return true;
}

bool HttpResponse::stopping() const { return server_->stopping_.load(std::memory_order_relaxed); }

bool HttpResponse::Write(std::initializer_list<std::string_view> pieces) {
  if (peer_gone_ || stopping()) return false;
  std::string error;
  if (!stream_->SendAll(pieces, &error)) {
    peer_gone_ = true;
    EF_LOG_DEBUG("http: %s: %s", stream_->PeerName().c_str(), error.c_str());
    return false;
  }
  size_t bytes = 0;
  for (std::string_view piece : pieces) bytes += piece.size();
  server_->CountSent(bytes);
  return true;
}

bool HttpResponse::Send(int status, std::string_view content_type, std::string_view body) {
  if (finished_) return false;
  finished_ = true;
  const std::string head =
      ResponseHead(status, content_type, "Content-Length: " + std::to_string(body.size()) + "\r\n");
  return head_only_ ? Write({head}) : Write({head, body});
}

bool HttpResponse::BeginMultipart(std::string_view boundary) {
  if (finished_ || !boundary_.empty()) return false;
  boundary_ = boundary;
  const std::string type = "multipart/x-mixed-replace; boundary=" + boundary_;
  if (!Write({ResponseHead(200, type, "")})) return false;
  if (head_only_) {
    finished_ = true;
    return false;
  }
  return true;
}

bool HttpResponse::SendPart(std::string_view content_type, std::string_view body) {
  if (finished_ || boundary_.empty()) return false;
  std::string part_head = "--" + boundary_ + "\r\nContent-Type: ";
  part_head += content_type;
  part_head += "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  return Write({part_head, body, "\r\n"});
}

bool HttpServer::Start(const HttpServerOptions& options, HttpHandler handler, std::string* error) {
  Stop();
  if (!listener_.Listen(options.bind, options.port, error)) return false;
  options_ = options;
  handler_ = std::move(handler);
  stopping_ = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stats_ = HttpServerStats();
  }
  bytes_sent_ = 0;
  running_ = true;
  accept_thread_ = std::thread([this] { AcceptLoop(); });
  return true;
}

void HttpServer::Stop() {
  if (!running_) return;
  stopping_ = true;
  accept_thread_.join();
  listener_.Close();
  std::list<std::unique_ptr<Client>> clients;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    clients.swap(clients_);
  }
  for (auto& client : clients) client->stream.Shutdown();
  for (auto& client : clients) client->thread.join();
  running_ = false;
}

HttpServerStats HttpServer::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  HttpServerStats stats = stats_;
  stats.bytes_sent = bytes_sent_.load(std::memory_order_relaxed);
  return stats;
}

void HttpServer::ReapFinished() {
  for (auto it = clients_.begin(); it != clients_.end();) {
    if ((*it)->done.load()) {
      (*it)->thread.join();
      it = clients_.erase(it);
    } else {
      ++it;
    }
  }
}

void HttpServer::AcceptLoop() {
  while (!stopping_.load()) {
    TcpStream stream;
    std::string error;
    // A short poll, so that Stop is noticed within 100 ms.
    if (!listener_.Accept(100, &stream, &error)) {
      if (!error.empty()) EF_LOG_WARN("http: accept failed: %s", error.c_str());
      std::lock_guard<std::mutex> lock(mutex_);
      ReapFinished();
      continue;
    }
    stream.SetTimeouts(options_.send_timeout_ms, options_.request_timeout_ms);
    bool busy = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ReapFinished();
      ++stats_.accepted;
      busy = stats_.active >= options_.max_clients;
      if (busy) {
        ++stats_.rejected;
      } else {
        ++stats_.active;
        auto client = std::make_unique<Client>();
        client->stream = std::move(stream);
        Client* raw = client.get();
        clients_.push_back(std::move(client));
        raw->thread = std::thread([this, raw] { Serve(raw); });
      }
    }
    if (busy) {
      // Answered from this thread with a short timeout: a busy server must not hang on it.
      const std::string body = "too many viewers, try again later\n";
      std::string ignored;
      stream.SetTimeouts(200, 200);
      stream.SendAll({ResponseHead(503, "text/plain", "Content-Length: " + std::to_string(body.size()) + "\r\n"), body},
                     &ignored);
    }
  }
}

void HttpServer::Serve(Client* client) {
  // Read the request head.
  std::string head;
  char buffer[1024];
  bool complete = false;
  std::string error;
  while (head.size() < kMaxRequestHead) {
    const long n = client->stream.Receive(buffer, sizeof buffer, &error);
    if (n <= 0) break;
    head.append(buffer, static_cast<size_t>(n));
    if (const size_t end = head.find("\r\n\r\n"); end != std::string::npos) {
      head.resize(end + 2);
      complete = true;
      break;
    }
  }

  HttpRequest request;
  int error_status = 0;
  if (!complete) {
    error_status = head.size() >= kMaxRequestHead ? 431 : 408;
  } else if (!ParseHttpRequestHead(head, &request, &error)) {
    error_status = 400;
  } else if (request.method != "GET" && request.method != "HEAD") {
    error_status = 405;
  }

  HttpResponse response(this, &client->stream, request.method == "HEAD");
  bool handled = false;
  if (error_status != 0) {
    if (!head.empty()) response.Send(error_status, "text/plain", std::string(HttpStatusText(error_status)) + "\n");
  } else {
    try {
      handler_(request, response);
      handled = true;
    } catch (const std::exception& e) {
      EF_LOG_ERROR("http: handler for %s failed: %s", QuoteForMessage(request.path).c_str(), e.what());
      response.Send(500, "text/plain", "internal error\n");
    }
  }
  client->stream.Shutdown();

  std::lock_guard<std::mutex> lock(mutex_);
  --stats_.active;
  if (error_status != 0) {
    ++stats_.bad_requests;
  } else if (response.peer_gone()) {
    ++stats_.disconnects;
  } else if (handled) {
    ++stats_.completed;
  }
  client->done = true;
}

}  // namespace edgefuse::platform::net
