#!/usr/bin/env python3
"""feedgate under a service manager: this test plays systemd. It receives sd_notify datagrams on
a NOTIFY_SOCKET, asks for watchdog pings, hands over a listening socket (LISTEN_FDS), reloads with
SIGHUP while a client keeps reading, and stops with SIGTERM."""
import os
import signal
import socket
import shutil
import sqlite3
import subprocess
import threading
import time
import unittest
import xml.etree.ElementTree as ET

import harness

BINARY = os.environ.get("FEEDGATE_BIN", str(harness.REPO / "build" / "feedgate"))
ATOM = "{http://www.w3.org/2005/Atom}"


def feed_entry(feed_id, title, url, interval="1h"):
    return f"""  - id: {feed_id}
    title: "{title}"
    url: "{url}"
    recipe: demo
    interval: {interval}
"""


class Manager:
    """The service manager's side: a datagram socket feedgate notifies, and the daemon process."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(tmp / "notify.sock"))
        self.sock.settimeout(0.5)
        self.messages = []  # every datagram, in order of arrival
        self.proc = None

    def start(self, config, extra_env=None, argv_prefix=None, preexec=None):
        env = dict(os.environ, FEEDGATE_RECIPES=str(harness.REPO / "feeds"),
                   NOTIFY_SOCKET=str(self.tmp / "notify.sock"))
        env.update(extra_env or {})
        self.log = open(self.tmp / "feedgate.log", "w+b")
        argv = (argv_prefix or []) + [BINARY, "serve", "-c", str(config)]
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                     preexec_fn=preexec, pass_fds=(3,) if preexec else ())

    def wait_message(self, predicate, timeout, what):
        """Receives datagrams until one satisfies predicate; returns it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                data = self.sock.recv(4096).decode()
            except socket.timeout:
                if self.proc and self.proc.poll() is not None:
                    break
                continue
            self.messages.append(data)
            if predicate(data):
                return data
        raise AssertionError(f"no {what} within {timeout}s; got {self.messages!r}\n{self.log_text()}")

    def log_text(self):
        return (self.tmp / "feedgate.log").read_text(errors="replace")

    def close(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.proc:
            self.log.close()
        self.sock.close()


def fields(message):
    return dict(line.split("=", 1) for line in message.splitlines() if "=" in line)


class ServiceCase(unittest.TestCase):
    def setUp(self):
        self.tmp = harness.make_tmpdir("feedgate-service-")
        self.portal = harness.Portal(harness.copy_demo_site(self.tmp / "portal"))
        self.manager = Manager(self.tmp)

    def tearDown(self):
        self.manager.close()
        self.portal.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write_config(self, port, feeds, extra=""):
        config = self.tmp / "feedgate.yaml"
        config.write_text(f"""server: {{ listen: "127.0.0.1:{port}" }}
storage: {{ path: "{self.tmp}/feedgate.db" }}
fetch: {{ allow_private: true }}
{extra}feeds:
{feeds}""", encoding="utf-8")
        return config


class NotifyProtocol(ServiceCase):
    def test_ready_watchdog_reload_stopping_and_exit_code(self):
        port = harness.free_port()
        config = self.write_config(port, feed_entry("demo", "Demo", self.portal.url("/index.html")))
        self.manager.start(config, {"WATCHDOG_USEC": "400000"})
        ready = self.manager.wait_message(lambda m: "READY=1" in m, 20, "READY=1")
        # READY=1 is sent only once the listener is bound: the port answers right away.
        self.assertEqual(harness.get(f"http://127.0.0.1:{port}/healthz")[0], 200)
        self.assertRegex(fields(ready).get("STATUS", ""), r"^1 feeds, \d+ items, \d+ failing$")
        pings_before = sum("WATCHDOG=1" in m for m in self.manager.messages)
        for _ in range(3):  # pings keep coming from the event loop (every WATCHDOG_USEC/2)
            self.manager.wait_message(lambda m: "WATCHDOG=1" in m, 10, "WATCHDOG=1")
        self.assertGreaterEqual(sum("WATCHDOG=1" in m for m in self.manager.messages),
                                pings_before + 3)

        self.manager.proc.send_signal(signal.SIGHUP)
        reloading = self.manager.wait_message(lambda m: "RELOADING=1" in m, 10, "RELOADING=1")
        self.assertRegex(fields(reloading).get("MONOTONIC_USEC", ""), r"^\d+$")
        self.manager.wait_message(lambda m: "READY=1" in m, 10, "READY=1 after the reload")

        self.manager.proc.send_signal(signal.SIGTERM)
        self.manager.wait_message(lambda m: "STOPPING=1" in m, 10, "STOPPING=1")
        self.assertEqual(self.manager.proc.wait(timeout=15), 0, self.manager.log_text())
        log = self.manager.log_text()
        self.assertIn("<6>reload config=", log)
        self.assertIn("<6>stopped", log)

    def test_listening_socket_handed_over_through_listen_fds(self):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        port = listener.getsockname()[1]
        # server.listen names a port feedgate could not bind: only the handed-over socket works.
        config = self.write_config(1, feed_entry("demo", "Demo", self.portal.url("/index.html")))

        def as_fd_3():
            os.dup2(listener.fileno(), 3)

        # LISTEN_PID must be the daemon's own pid, known only in the child: a shell sets it and
        # execs feedgate, which keeps the pid.
        wrapper = ["/bin/sh", "-c", 'LISTEN_PID=$$ exec "$@"', "sh"]
        self.manager.start(config, {"LISTEN_FDS": "1"}, argv_prefix=wrapper, preexec=as_fd_3)
        listener.close()  # only feedgate holds it now
        self.manager.wait_message(lambda m: "READY=1" in m, 20, "READY=1")
        status, _, body = harness.get(f"http://127.0.0.1:{port}/")
        self.assertEqual(status, 200)
        self.assertIn(b"feedgate", body)
        self.assertNotIn("listen_failed", self.manager.log_text())
        self.manager.proc.send_signal(signal.SIGTERM)
        self.assertEqual(self.manager.proc.wait(timeout=15), 0, self.manager.log_text())


class ClientLoop:
    """GETs the status page and a feed over and over from a thread, counting failures."""

    def __init__(self, base, paths):
        self.base, self.paths = base, paths
        self.requests = 0
        self.failures = []
        self.running = True
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while self.running:
            for path in self.paths:
                try:
                    status = harness.get(self.base + path, timeout=5)[0]
                except OSError as e:
                    status = repr(e)
                self.requests += 1
                if status != 200:
                    self.failures.append((path, status))

    def stop(self):
        self.running = False
        self.thread.join(timeout=10)


class Reload(ServiceCase):
    def atom_titles(self, base, feed_id):
        status, _, body = harness.get(f"{base}/feeds/{feed_id}.atom")
        if status != 200:
            return None
        root = ET.fromstring(body)
        return root.findtext(ATOM + "title"), len(root.findall(ATOM + "entry"))

    def test_reload_adds_removes_and_changes_feeds_without_failing_a_request(self):
        port = harness.free_port()
        base = f"http://127.0.0.1:{port}"
        # One URL per feed: HTTP validators are kept per URL, and a second feed on the same URL
        # would get 304 and nothing to store.
        index = self.portal.url("/index.html")
        config = self.write_config(port, feed_entry("kept", "Kept v1", index + "?kept") +
                                   feed_entry("dropped", "Dropped", index + "?dropped"))
        self.manager.start(config)
        self.manager.wait_message(lambda m: "READY=1" in m, 20, "READY=1")
        harness.wait_for(lambda: (self.atom_titles(base, "dropped") or ("", 0))[1] > 0, 20,
                         "the first poll of the feed to be removed")
        harness.wait_for(lambda: (self.atom_titles(base, "kept") or ("", 0))[1] > 0, 20,
                         "the first poll of the kept feed")

        clients = ClientLoop(base, ["/", "/feeds/kept.atom", "/feeds.opml"])
        try:
            self.write_config(port, feed_entry("kept", "Kept v2", index + "?kept") +
                              feed_entry("added", "Added", index + "?added"))
            self.manager.proc.send_signal(signal.SIGHUP)
            self.manager.wait_message(lambda m: "READY=1" in m, 10, "READY=1 after the reload")
            harness.wait_for(lambda: (self.atom_titles(base, "added") or ("", 0))[1] > 0, 20,
                             "the added feed's first poll")
            # A broken config is refused with its position; the running one stays in force.
            config.write_text(config.read_text() + "bogus_key: 1\n", encoding="utf-8")
            self.manager.proc.send_signal(signal.SIGHUP)
            self.manager.wait_message(lambda m: "READY=1" in m, 10, "READY=1 after a bad reload")
            requests_before = clients.requests
            harness.wait_for(lambda: clients.requests > requests_before + 5, 10, "more requests")
        finally:
            clients.stop()
        self.assertEqual(clients.failures, [])
        self.assertGreater(clients.requests, 10)
        self.assertEqual(self.atom_titles(base, "kept")[0], "Kept v2")
        self.assertEqual(harness.get(base + "/feeds/dropped.atom")[0], 404)
        self.assertGreater(self.atom_titles(base, "added")[1], 0)
        log = self.manager.log_text()
        self.assertRegex(log, rf'config_problem at={config}:\d+:1 message="unknown key \\"bogus_key\\"')
        self.assertIn("reload_failed", log)
        self.manager.proc.send_signal(signal.SIGTERM)
        self.assertEqual(self.manager.proc.wait(timeout=15), 0, log)
        # The removed feed's items stay in the store (until a retention sweep).
        with sqlite3.connect(self.tmp / "feedgate.db") as db:
            kept_rows = db.execute("SELECT count(*) FROM items WHERE feed_id='dropped'").fetchone()
        self.assertGreater(kept_rows[0], 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
