#include "app/service.hpp"

#include <sys/socket.h>
#include <systemd/sd-daemon.h>
#include <time.h>

namespace fg::app::service {

namespace {
void notify(const std::string& state) {
  sd_notify(0, state.c_str());
}
std::string status_line(const std::string& status) {
  return status.empty() ? std::string() : "\nSTATUS=" + status;
}
}  // namespace

void ready(const std::string& status) {
  notify("READY=1" + status_line(status));
}

void status(const std::string& status) {
  notify("STATUS=" + status);
}

void reloading() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  const long long usec = static_cast<long long>(now.tv_sec) * 1'000'000 + now.tv_nsec / 1000;
  notify("RELOADING=1\nSTATUS=reloading the configuration\nMONOTONIC_USEC=" + std::to_string(usec));
}

void stopping() {
  notify("STOPPING=1\nSTATUS=stopping");
}

void watchdog_ping() {
  notify("WATCHDOG=1");
}

std::optional<std::chrono::milliseconds> watchdog_period() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::milliseconds(std::max<uint64_t>(usec / 2000, 1));
}

Result<std::optional<int>> inherited_listener() {
  const int count = sd_listen_fds(1);  // 1: unset LISTEN_* so children do not inherit them
  if (count <= 0) return std::optional<int>{};
  if (count > 1) {
    return make_error(Errc::config,
                      "systemd passed " + std::to_string(count) +
                          " sockets; feedgate.socket must have exactly one ListenStream=",
                      "feedgate.socket");
  }
  const int fd = SD_LISTEN_FDS_START;
  if (sd_is_socket(fd, AF_UNSPEC, SOCK_STREAM, 1) <= 0) {
    return make_error(Errc::config,
                      "the socket passed by systemd (fd 3) is not a listening stream socket; "
                      "check feedgate.socket",
                      "feedgate.socket");
  }
  return std::optional<int>{fd};
}

}  // namespace fg::app::service
