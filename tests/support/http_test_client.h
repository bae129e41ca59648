// A strict little HTTP client for tests of the HTTP server and the MJPEG sink: one
// GET per connection, the response head parsed, and multipart/x-mixed-replace
// bodies read part by part (each part must carry Content-Length).
//
//   edgefuse::testing::HttpTestClient client;
//   ASSERT_TRUE(client.Get(port, "/stream", &error)) << error;
//   ASSERT_TRUE(client.ReadHead(&error)) << error;   // client.status(), client.Header("content-type")
//   std::string jpeg;
//   ASSERT_TRUE(client.ReadPart(&jpeg, &error)) << error;
#pragma once

#include <map>
#include <string>

#include "platform/net/socket.h"

namespace edgefuse::testing {

class HttpTestClient {
 public:
  // Connects to 127.0.0.1:port and sends "GET path" (or another method).
  bool Get(int port, const std::string& path, std::string* error, const std::string& method = "GET");
  // Reads the status line and the headers.
  bool ReadHead(std::string* error);
  int status() const { return status_; }
  // A response header (name in lower case), or "" when absent.
  std::string Header(const std::string& name) const;
  // Reads the rest of the body until the server closes the connection.
  bool ReadToEnd(std::string* body, std::string* error);
  // Reads the next part of a multipart response: its content type and body.
  bool ReadPart(std::string* body, std::string* error, std::string* content_type = nullptr);
  // Stops reading and closes the connection: a viewer going away mid-stream.
  void Close() { stream_.Close(); }

 private:
  bool Fill(std::string* error);  // appends at least one byte to buffer_
  bool ReadLine(std::string* line, std::string* error);

  platform::net::TcpStream stream_;
  std::string buffer_;
  int status_ = 0;
  std::map<std::string, std::string> headers_;
  std::string boundary_;
};

// One GET: status, content type and body.
bool HttpGetOnce(int port, const std::string& path, int* status, std::string* content_type, std::string* body,
                 std::string* error);

}  // namespace edgefuse::testing
