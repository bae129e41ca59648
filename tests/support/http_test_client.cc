#include "tests/support/http_test_client.h"

#include <cctype>
#include <cstdlib>

namespace edgefuse::testing {

bool HttpTestClient::Get(int port, const std::string& path, std::string* error, const std::string& method) {
  if (!platform::net::TcpStream::Connect("127.0.0.1", port, 5000, &stream_, error)) return false;
  // Generous timeouts: under qemu-aarch64 the server side runs 10-50x slower.
  stream_.SetTimeouts(10000, 10000);
  const std::string request = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
  return stream_.SendAll({request}, error);
}

bool HttpTestClient::Fill(std::string* error) {
  char chunk[16384];
  const long n = stream_.Receive(chunk, sizeof chunk, error);
  if (n == 0) *error = "connection closed by the server";
  if (n <= 0) return false;
  buffer_.append(chunk, static_cast<size_t>(n));
  return true;
}

bool HttpTestClient::ReadLine(std::string* line, std::string* error) {
  size_t end;
  while ((end = buffer_.find("\r\n")) == std::string::npos) {
    if (buffer_.size() > 65536) {
      *error = "line too long";
      return false;
    }
    if (!Fill(error)) return false;
  }
  *line = buffer_.substr(0, end);
  buffer_.erase(0, end + 2);
  return true;
}

bool HttpTestClient::ReadHead(std::string* error) {
  std::string line;
  if (!ReadLine(&line, error)) return false;
  if (line.rfind("HTTP/1.1 ", 0) != 0 || line.size() < 12) {
    *error = "bad status line: " + line;
    return false;
  }
  status_ = std::atoi(line.c_str() + 9);
  headers_.clear();
  for (;;) {
    if (!ReadLine(&line, error)) return false;
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == std::string::npos) {
      *error = "bad header: " + line;
      return false;
    }
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    size_t start = colon + 1;
    while (start < line.size() && line[start] == ' ') ++start;
    headers_[name] = line.substr(start);
  }
  const std::string type = Header("content-type");
  if (const size_t b = type.find("boundary="); type.rfind("multipart/x-mixed-replace", 0) == 0 && b != type.npos) {
    boundary_ = type.substr(b + 9);
  }
  return true;
}

std::string HttpTestClient::Header(const std::string& name) const {
  auto it = headers_.find(name);
  return it == headers_.end() ? "" : it->second;
}

bool HttpTestClient::ReadToEnd(std::string* body, std::string* error) {
  for (;;) {
    std::string ignored;
    if (!Fill(&ignored)) break;
  }
  *body = std::move(buffer_);
  buffer_.clear();
  const std::string length = Header("content-length");
  if (!length.empty() && std::to_string(body->size()) != length) {
    *error = "body has " + std::to_string(body->size()) + " bytes, Content-Length says " + length;
    return false;
  }
  return true;
}

bool HttpTestClient::ReadPart(std::string* body, std::string* error, std::string* content_type) {
  if (boundary_.empty()) {
    *error = "not a multipart/x-mixed-replace response";
    return false;
  }
  std::string line;
  if (!ReadLine(&line, error)) return false;
  if (line != "--" + boundary_) {
    *error = "expected boundary, got: " + line.substr(0, 80);
    return false;
  }
  long length = -1;
  for (;;) {
    if (!ReadLine(&line, error)) return false;
    if (line.empty()) break;
    if (line.rfind("Content-Length: ", 0) == 0) length = std::atol(line.c_str() + 16);
    if (line.rfind("Content-Type: ", 0) == 0 && content_type != nullptr) *content_type = line.substr(14);
  }
  if (length < 0) {
    *error = "part without Content-Length";
    return false;
  }
  while (buffer_.size() < static_cast<size_t>(length) + 2) {
    if (!Fill(error)) return false;
  }
  if (buffer_.compare(static_cast<size_t>(length), 2, "\r\n") != 0) {
    *error = "part not followed by CRLF";
    return false;
  }
  body->assign(buffer_, 0, static_cast<size_t>(length));
  buffer_.erase(0, static_cast<size_t>(length) + 2);
  return true;
}

bool HttpGetOnce(int port, const std::string& path, int* status, std::string* content_type, std::string* body,
                 std::string* error) {
  HttpTestClient client;
  if (!client.Get(port, path, error) || !client.ReadHead(error)) return false;
  *status = client.status();
  *content_type = client.Header("content-type");
  return client.ReadToEnd(body, error);
}

}  // namespace edgefuse::testing
