#pragma once
// Talking to the service manager (systemd): readiness and status notifications, watchdog pings
// and socket activation. Every call is a no-op when feedgate was not started by systemd.

#include <chrono>
#include <optional>
#include <string>

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

// A listening socket passed by systemd (LISTEN_FDS/LISTEN_PID), or -1 when there is none.
// More than one passed socket, or one that is not a listening TCP socket, is an error (message
// set, -2 returned).
int inherited_listener(std::string& error);

}  // namespace fg::app::service
