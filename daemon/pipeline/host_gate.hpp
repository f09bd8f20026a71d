#pragma once
// Limits requests in flight per host (fetch.per_host), so feeds sharing a portal never hammer it.

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

namespace fg::pipeline {

class HostGate {
 public:
  explicit HostGate(int per_host) : per_host_(per_host < 1 ? 1 : per_host) {}

  // Holds one of the host's slots for its lifetime.
  class Pass {
   public:
    Pass(HostGate* gate, std::string host) : gate_(gate), host_(std::move(host)) {}
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;
    ~Pass() {
      if (gate_ != nullptr) gate_->release(host_);
    }

   private:
    HostGate* gate_;
    std::string host_;
  };

  // Blocks until the host has a free slot. An empty host (file:) is not limited.
  Pass enter(const std::string& host) {
    if (host.empty()) return Pass(nullptr, {});
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return in_flight_[host] < per_host_; });
    ++in_flight_[host];
    return Pass(this, host);
  }

 private:
  void release(const std::string& host) {
    {
      std::lock_guard lock(mutex_);
      if (--in_flight_[host] == 0) in_flight_.erase(host);
    }
    cv_.notify_all();
  }

  int per_host_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::map<std::string, int> in_flight_;
};

}  // namespace fg::pipeline
