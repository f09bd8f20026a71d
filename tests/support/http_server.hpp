#pragma once
// A tiny HTTP/1.1 server on 127.0.0.1 (ephemeral port) for fetch and poll tests: canned responses
// by path, keep-alive, a "hang" mode, and a record of every request received.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/text.hpp"

namespace fg::test {

struct ReceivedRequest {
  std::string path;
  std::map<std::string, std::string> headers;  // names lower-case
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// Raw response bytes, or kHang to read the request and never answer.
using Handler = std::function<std::string(const ReceivedRequest&)>;
inline const std::string kHang = "<hang>";

// An HTTP/1.1 response; Content-Length is added unless `length` is false (then the body runs
// to the end of the connection, which is closed).
inline std::string http_response(int status, const std::string& headers, const std::string& body,
                                 bool length = true) {
  std::string r = "HTTP/1.1 " + std::to_string(status) + " Canned\r\n" + headers;
  r += length ? "Content-Length: " + std::to_string(body.size()) + "\r\n" : "Connection: close\r\n";
  return r + "\r\n" + body;
}

class TestServer {
 public:
  TestServer() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listener_, 16);
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~TestServer() {
    stop_ = true;
    acceptor_.join();
    for (auto& t : connections_) t.join();
    ::close(listener_);
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  void on(const std::string& path, Handler h) {
    std::lock_guard lock(mutex_);
    handlers_[path] = std::move(h);
  }
  void on(const std::string& path, const std::string& raw) {
    on(path, [raw](const ReceivedRequest&) { return raw; });
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<ReceivedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  int connection_count() const { return accepted_; }
  int port() const { return port_; }

 private:
  // Waits until fd is readable, checking stop_ every 20 ms; false when stopping.
  bool wait_readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    while (!stop_) {
      if (::poll(&p, 1, 20) > 0) return true;
    }
    return false;
  }
  void accept_loop() {
    while (wait_readable(listener_)) {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) continue;
      ++accepted_;
      connections_.emplace_back([this, fd] { serve(fd); });
    }
  }
  static ReceivedRequest parse(const std::string& head) {
    ReceivedRequest r;
    const std::size_t sp = head.find(' ');
    r.path = head.substr(sp + 1, head.find(' ', sp + 1) - sp - 1);
    for (std::size_t pos = head.find("\r\n") + 2; pos < head.size();) {
      const std::size_t end = head.find("\r\n", pos);
      const std::string line = head.substr(pos, end - pos);
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos) {
        r.headers[ascii_lower(line.substr(0, colon))] = std::string(trim(line.substr(colon + 1)));
      }
      pos = end + 2;
    }
    return r;
  }
  // Handlers run outside the lock, so one may wait for another request to arrive.
  std::string answer(const ReceivedRequest& r) {
    Handler handler;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(r);
      auto it = handlers_.find(r.path);
      if (it == handlers_.end()) return http_response(404, "", "no such path");
      handler = it->second;
    }
    return handler(r);
  }
  // Serves requests on one connection until the client closes it or a response closes it.
  void serve(int fd) {
    std::string buffer;
    char chunk[4096];
    while (wait_readable(fd)) {
      const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) break;
      buffer.append(chunk, static_cast<std::size_t>(n));
      const std::size_t end = buffer.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      const std::string raw = answer(parse(buffer.substr(0, end + 2)));
      buffer.erase(0, end + 4);
      if (raw == kHang) continue;  // keep reading: returns when the client gives up
      ::send(fd, raw.data(), raw.size(), MSG_NOSIGNAL);
      if (raw.find("Connection: close") != std::string::npos) break;
    }
    ::close(fd);
  }

  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  std::vector<std::thread> connections_;  // touched only by the acceptor thread until join
  mutable std::mutex mutex_;
  std::map<std::string, Handler> handlers_;
  std::vector<ReceivedRequest> requests_;
};

}  // namespace fg::test
