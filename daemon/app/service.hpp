#pragma once
// Talking to the service manager (systemd): readiness and status notifications, watchdog pings
// and socket activation. Every call is a no-op when feedgate was not started by systemd.

#include <chrono>
#include <optional>
#include <string>

#include "core/result.hpp"

namespace fg::app::service {

// READY=1 (with a STATUS= line).
void ready(const std::string& status);
// STATUS=… shown by `systemctl status`.
void status(const std::string& status);
// RELOADING=1 with MONOTONIC_USEC=now; ready() ends the reload.
void reloading();
// STOPPING=1.
void stopping();
// WATCHDOG=1.
void watchdog_ping();

// How often to ping: half of WATCHDOG_USEC, or nullopt when no watchdog is asked for.
std::optional<std::chrono::milliseconds> watchdog_period();

// A listening socket passed by systemd (LISTEN_FDS/LISTEN_PID), or nullopt when there is none.
// More than one passed socket, or one that is not a listening TCP socket, is an Errc::config
// error saying which.
Result<std::optional<int>> inherited_listener();

}  // namespace fg::app::service
