// The HTTP server behind the MJPEG sink, over real loopback sockets: request
// parsing, whole responses and errors, streaming to several clients while one
// disconnects or stalls, the client cap, and bind errors.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "platform/net/http_server.h"
#include "tests/support/http_test_client.h"
#include "tests/support/test_support.h"

namespace edgefuse::platform::net {
namespace {

using edgefuse::testing::HttpGetOnce;
using edgefuse::testing::HttpTestClient;
using edgefuse::testing::WaitUntil;

TEST(HttpRequestHead, ParsesRequestLineAndHeaders) {
  HttpRequest request;
  std::string error;
  ASSERT_TRUE(
      ParseHttpRequestHead("GET /stream?fps=5 HTTP/1.1\r\nHost: board:8080\r\nUser-Agent:  x \r\n", &request, &error))
      << error;
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.path, "/stream");
  EXPECT_EQ(request.query, "fps=5");
  ASSERT_NE(request.Header("host"), nullptr);
  EXPECT_EQ(*request.Header("host"), "board:8080");
  EXPECT_EQ(*request.Header("user-agent"), "x");
  EXPECT_EQ(request.Header("accept"), nullptr);

  ASSERT_TRUE(ParseHttpRequestHead("HEAD / HTTP/1.0\r\n", &request, &error)) << error;
  EXPECT_EQ(request.path, "/");
  EXPECT_TRUE(request.headers.empty());

  const std::pair<const char*, const char*> bad[] = {
      {"GET /\r\n", "malformed request line"},
      {"GET  / HTTP/1.1\r\n", "malformed request line"},
      {"GET / HTTP/1.1 x\r\n", "malformed request line"},
      {"get / HTTP/1.1\r\n", "malformed method"},
      {"GET http://x/ HTTP/1.1\r\n", "request target is not an absolute path"},
      {"GET / HTTP/2\r\n", "unsupported HTTP version"},
      {"GET / HTTP/1.1\r\nno colon here\r\n", "malformed header line"},
      {"GET / HTTP/1.1\r\n: empty name\r\n", "malformed header line"},
  };
  for (const auto& [head, message] : bad) {
    EXPECT_FALSE(ParseHttpRequestHead(head, &request, &error)) << head;
    EXPECT_EQ(error, message) << head;
  }
}

// A server whose /stream sends parts of part_bytes, each starting with its number,
// every period_ms, until the client goes or the server stops.
class StreamingServer {
 public:
  explicit StreamingServer(HttpServerOptions options, size_t part_bytes = 64, int period_ms = 5) {
    options.bind = "127.0.0.1";
    options.port = 0;
    std::string error;
    started_ = server_.Start(
        options,
        [part_bytes, period_ms](const HttpRequest& request, HttpResponse& response) {
          if (request.path == "/hello") {
            response.Send(200, "text/plain", "hello\n");
          } else if (request.path == "/stream") {
            if (!response.BeginMultipart("part")) return;
            std::string part(part_bytes, 'x');
            for (int n = 0; !response.stopping(); ++n) {
              const std::string number = std::to_string(n) + ";";
              part.replace(0, number.size(), number);
              if (!response.SendPart("text/plain", part)) return;
              std::this_thread::sleep_for(std::chrono::milliseconds(period_ms));
            }
          } else {
            response.Send(404, "text/plain", "no such page\n");
          }
        },
        &error);
    EXPECT_TRUE(started_) << error;
  }
  HttpServer& server() { return server_; }
  int port() const { return server_.port(); }

 private:
  HttpServer server_;
  bool started_ = false;
};

int PartNumber(const std::string& part) { return std::atoi(part.c_str()); }

TEST(HttpServer, ServesResponsesAndErrors) {
  StreamingServer fixture({});
  const int port = fixture.port();
  ASSERT_GT(port, 0);
  int status = 0;
  std::string type, body, error;
  ASSERT_TRUE(HttpGetOnce(port, "/hello", &status, &type, &body, &error)) << error;
  EXPECT_EQ(status, 200);
  EXPECT_EQ(type, "text/plain");
  EXPECT_EQ(body, "hello\n");
  ASSERT_TRUE(HttpGetOnce(port, "/nope", &status, &type, &body, &error)) << error;
  EXPECT_EQ(status, 404);

  HttpTestClient head;
  ASSERT_TRUE(head.Get(port, "/hello", &error, "HEAD")) << error;
  ASSERT_TRUE(head.ReadHead(&error)) << error;
  EXPECT_EQ(head.status(), 200);
  EXPECT_EQ(head.Header("content-length"), "6");
  std::string rest;
  head.ReadToEnd(&rest, &error);
  EXPECT_EQ(rest, "");

  HttpTestClient post;
  ASSERT_TRUE(post.Get(port, "/hello", &error, "POST")) << error;
  ASSERT_TRUE(post.ReadHead(&error)) << error;
  EXPECT_EQ(post.status(), 405);

  HttpTestClient garbage;
  ASSERT_TRUE(garbage.Get(port, "no-slash", &error)) << error;
  ASSERT_TRUE(garbage.ReadHead(&error)) << error;
  EXPECT_EQ(garbage.status(), 400);

  ASSERT_TRUE(WaitUntil([&] { return fixture.server().stats().active == 0; }));
  const HttpServerStats stats = fixture.server().stats();
  EXPECT_EQ(stats.accepted, 5u);
  EXPECT_EQ(stats.completed, 3u);
  EXPECT_EQ(stats.bad_requests, 2u);
  EXPECT_EQ(stats.disconnects, 0u);
}

TEST(HttpServer, StreamsToTwoClientsWhileOneDisconnects) {
  StreamingServer fixture({});
  std::string error;
  HttpTestClient a, b;
  ASSERT_TRUE(a.Get(fixture.port(), "/stream", &error) && a.ReadHead(&error)) << error;
  ASSERT_TRUE(b.Get(fixture.port(), "/stream", &error) && b.ReadHead(&error)) << error;
  EXPECT_EQ(a.Header("content-type"), "multipart/x-mixed-replace; boundary=part");
  std::string part;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(a.ReadPart(&part, &error)) << error;
    ASSERT_TRUE(b.ReadPart(&part, &error)) << error;
  }
  a.Close();  // the viewer goes away mid-stream
  ASSERT_TRUE(WaitUntil([&] { return fixture.server().stats().disconnects == 1; }))
      << "disconnects: " << fixture.server().stats().disconnects;
  // The other viewer keeps receiving, in order, without a gap.
  ASSERT_TRUE(b.ReadPart(&part, &error)) << error;
  int last = PartNumber(part);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(b.ReadPart(&part, &error)) << error;
    EXPECT_EQ(PartNumber(part), last + 1);
    last = PartNumber(part);
  }
  const HttpServerStats stats = fixture.server().stats();
  EXPECT_EQ(stats.active, 1);
  EXPECT_EQ(stats.accepted, 2u);
  fixture.server().Stop();
  EXPECT_EQ(fixture.server().stats().active, 0);
}

TEST(HttpServer, DropsAStalledClientWithoutDisturbingOthers) {
  // Parts of 256 KiB fill the stalled client's socket buffers quickly; the send
  // timeout then ends its connection.
  StreamingServer fixture({.send_timeout_ms = 300}, 256 * 1024, 2);
  std::string error;
  HttpTestClient stalled, live;
  ASSERT_TRUE(stalled.Get(fixture.port(), "/stream", &error) && stalled.ReadHead(&error)) << error;
  ASSERT_TRUE(live.Get(fixture.port(), "/stream", &error) && live.ReadHead(&error)) << error;
  std::string part;
  int parts = 0;
  while (fixture.server().stats().disconnects == 0) {
    ASSERT_TRUE(live.ReadPart(&part, &error)) << error;
    ASSERT_LT(++parts, 2000) << "the stalled client was never dropped";
  }
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(live.ReadPart(&part, &error)) << error;
  EXPECT_EQ(fixture.server().stats().active, 1);
}

TEST(HttpServer, TurnsAwayClientsBeyondTheCap) {
  StreamingServer fixture({.max_clients = 1});
  std::string error;
  HttpTestClient first;
  ASSERT_TRUE(first.Get(fixture.port(), "/stream", &error) && first.ReadHead(&error)) << error;
  int status = 0;
  std::string type, body;
  ASSERT_TRUE(HttpGetOnce(fixture.port(), "/hello", &status, &type, &body, &error)) << error;
  EXPECT_EQ(status, 503);
  EXPECT_EQ(fixture.server().stats().rejected, 1u);
  std::string part;
  EXPECT_TRUE(first.ReadPart(&part, &error)) << error;
}

TEST(HttpServer, ReportsBindErrors) {
  StreamingServer fixture({});
  HttpServer second;
  std::string error;
  EXPECT_FALSE(second.Start({.bind = "127.0.0.1", .port = fixture.port()}, nullptr, &error));
  EXPECT_EQ(error, "127.0.0.1:" + std::to_string(fixture.port()) + ": Address already in use");
  EXPECT_FALSE(second.Start({.bind = "300.1.2.3", .port = 8080}, nullptr, &error));
  EXPECT_EQ(error.rfind("300.1.2.3:8080: ", 0), 0u) << error;
}

}  // namespace
}  // namespace edgefuse::platform::net
