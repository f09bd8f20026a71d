// Paths answered by a Handler (Server::handle): the request and its form body reach it, its
// reply may come later from another thread while the server goes on serving, and a reply owed
// when the server stops is dropped.

#include "serve/handler.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "serve/prepare.hpp"
#include "serve/server.hpp"
#include "test_client.hpp"

namespace fg::serve {
namespace {

using namespace std::chrono_literals;
using namespace fg::serve::test;

// Answers from a thread of its own once release() is called (or at once when `immediate`),
// with what it was asked.
class SlowHandler : public Handler {
 public:
  explicit SlowHandler(bool immediate) : immediate_(immediate) {}
  ~SlowHandler() override {
    release();
    for (auto& t : threads_) t.join();
  }
  void handle(HandlerRequest request, Respond respond) const override {
    HandlerReply reply;
    reply.status = request.method == "POST" ? 201 : 200;
    reply.content_type = "text/plain; charset=utf-8";
    reply.headers.emplace_back("X-Client", request.client);
    reply.body =
        request.method + " " + request.target + " [" + request.content_type + "] " + request.body;
    if (immediate_) return respond(std::move(reply));
    std::lock_guard lock(mutex_);
    ++asked_;
    threads_.emplace_back([this, reply = std::move(reply), respond = std::move(respond)] {
      std::unique_lock wait(mutex_);
      released_cv_.wait(wait, [this] { return released_; });
      wait.unlock();
      respond(reply);
      respond(reply);  // a second reply answers nothing
    });
  }
  int asked() const {
    std::lock_guard lock(mutex_);
    return asked_;
  }
  void release() const {
    {
      std::lock_guard lock(mutex_);
      released_ = true;
    }
    released_cv_.notify_all();
  }

 private:
  bool immediate_;
  mutable std::mutex mutex_;
  mutable std::condition_variable released_cv_;
  mutable bool released_ = false;
  mutable int asked_ = 0;
  mutable std::vector<std::thread> threads_;
};

std::unique_ptr<Server> start_server(std::shared_ptr<const Handler> handler) {
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  auto server = std::make_unique<Server>(options);
  server->handle("/preview", std::move(handler));
  EXPECT_TRUE(server->start().ok());
  auto site = std::make_shared<Site>();
  site->resources["/"] = make_resource("text/plain", "status", Timestamp{}, 5);
  server->publish(site);
  return server;
}

TEST(ServeHandler, FormBodyAndQueryReachTheHandler) {
  auto server = start_server(std::make_shared<SlowHandler>(true));
  Client client(server->port());
  client.send(
      "POST /preview?x=1 HTTP/1.1\r\nHost: t\r\nContent-Type: "
      "application/x-www-form-urlencoded\r\nContent-Length: 9\r\n\r\nurl=a%2Fb");
  auto posted = client.read_response();
  ASSERT_TRUE(posted.has_value());
  EXPECT_EQ(posted->status, 201);
  EXPECT_EQ(posted->body, "POST /preview?x=1 [application/x-www-form-urlencoded] url=a%2Fb");
  EXPECT_EQ(posted->get("x-client"), "127.0.0.1");
  EXPECT_EQ(posted->get("cache-control"), "no-store");
  client.send(get("/preview?url=x"));  // the same connection goes on
  auto got = client.read_response();
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->body, "GET /preview?url=x [] ");
  client.send("HEAD /preview HTTP/1.1\r\nHost: t\r\n\r\n");
  auto head = client.read_response(true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->get("content-length"), "17");  // the size of "HEAD /preview [] "
}

TEST(ServeHandler, OtherPathsStillRefuseABody) {
  auto server = start_server(std::make_shared<SlowHandler>(true));
  Client client(server->port());
  client.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc");
  auto reply = client.read_response();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 413);
}

TEST(ServeHandler, AnOversizedFormIsRefused) {
  auto server = start_server(std::make_shared<SlowHandler>(true));
  Client client(server->port());
  client.send("POST /preview HTTP/1.1\r\nHost: t\r\nContent-Length: " +
              std::to_string(kMaxHandlerBody + 1) + "\r\n\r\n");
  auto reply = client.read_response();
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->status, 413);
}

TEST(ServeHandler, ServingGoesOnWhileAHandlerWorks) {
  auto handler = std::make_shared<SlowHandler>(false);
  auto server = start_server(handler);
  Client waiting(server->port());
  waiting.send(get("/preview?url=slow"));
  // With one io thread, the status page is still answered while the preview is owed.
  Client other(server->port());
  other.send(get("/"));
  auto status = other.read_response();
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->body, "status");
  handler->release();
  auto late = waiting.read_response();
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(late->body, "GET /preview?url=slow [] ");
  waiting.send(get("/"));  // the repeated reply answered nothing: the next request is served
  auto next = waiting.read_response();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->body, "status");
}

TEST(ServeHandler, AReplyAfterStopIsDropped) {
  auto handler = std::make_shared<SlowHandler>(false);
  auto server = start_server(handler);
  Client waiting(server->port());
  waiting.send(get("/preview?url=slow"));
  while (handler->asked() == 0) std::this_thread::sleep_for(1ms);  // the request reached it
  server->stop();
  handler->release();  // answers into a stopped server: nothing happens
  server.reset();
  EXPECT_FALSE(waiting.read_response().has_value());
}

}  // namespace
}  // namespace fg::serve
