#!/usr/bin/env python3
"""Restarts never answer 404 for a feed that exists: 200 feeds with stored items, the daemon
restarted again and again while clients hammer the feed URLs, once binding the port itself and
once with the listening socket handed over as systemd's socket activation does. While starting,
a feed not rendered yet is answered 503 with Retry-After and /healthz says "starting"."""
import http.client
import os
import random
import shutil
import signal
import socket
import subprocess
import threading
import time
import unittest

import harness

BINARY = os.environ.get("FEEDGATE_BIN", str(harness.REPO / "build" / "feedgate"))
FEEDS = 200
RESTARTS = 5


class Hammer:
    """Clients GETting random feed URLs (and /healthz) over keep-alive connections, counting
    each status; a refused or reset connection is counted apart (the daemon is down)."""

    def __init__(self, port, paths, clients=3):
        self.port, self.paths = port, paths
        self.counts = {}
        self.bad = []  # (path, status, headers) of replies that break the rules
        self.lock = threading.Lock()
        self.running = True
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True)
                        for i in range(clients)]
        for t in self.threads:
            t.start()

    def count(self, key, path=None, headers=None):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1
            if key == 404 or (key == 503 and "Retry-After" not in (headers or {})):
                self.bad.append((path, key, headers))

    def run(self, seed):
        rng = random.Random(seed)
        conn = None
        while self.running:
            path = "/healthz" if rng.random() < 0.05 else rng.choice(self.paths)
            # A kept-alive connection the stopping daemon closed is retried once on a fresh
            # one, as clients do for a GET; only a fresh connection failing counts.
            for fresh in ((False, True) if conn is not None else (True,)):
                try:
                    if conn is None:
                        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                    conn.request("GET", path)
                    r = conn.getresponse()
                    r.read()
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = None
                    if fresh:
                        self.count("refused or reset")
                        time.sleep(0.005)
                    continue
                if path == "/healthz":
                    self.count(f"healthz {r.status}")
                else:
                    self.count(r.status, path, dict(r.getheaders()))
                if r.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = None
                break
        if conn is not None:
            conn.close()

    def total(self, key):
        with self.lock:
            return self.counts.get(key, 0)

    def stop(self):
        self.running = False
        for t in self.threads:
            t.join(timeout=15)


class Restart(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.make_tmpdir("feedgate-restart-")
        portal = harness.Portal(harness.copy_demo_site(cls.tmp / "portal"))
        cls.ids = [f"f{i:03d}" for i in range(FEEDS)]
        cls.paths = [f"/feeds/{fid}.{ext}" for fid in cls.ids for ext in ("atom", "rss", "json")]
        feeds = "".join(f"""
  - id: {fid}
    url: "{portal.url('/index.html')}?feed={fid}"
    recipe: demo
""" for fid in cls.ids)
        cls.config_text = staticmethod(lambda port: f"""
server: {{ listen: "127.0.0.1:{port}", threads: 2 }}
storage: {{ path: "{cls.tmp}/feedgate.db" }}
fetch: {{ timeout: 5s, max_body: 4MiB, concurrency: 8, per_host: 8, min_gap: 0s, allow_private: true }}
defaults: {{ interval: 1h, max_items: 50, timezone: Asia/Shanghai }}
feeds:{feeds}""")
        # Fill the store once with `feedgate poll`; the portal then goes away, so restarted
        # daemons only serve what is stored (their polls fail fast and change nothing).
        config = cls.tmp / "fill.yaml"
        config.write_text(cls.config_text(harness.free_port()), encoding="utf-8")
        env = dict(os.environ, FEEDGATE_RECIPES=str(harness.REPO / "feeds"))
        filled = subprocess.run([BINARY, "poll", "-c", str(config)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=240)
        portal.close()
        if filled.returncode != 0:
            raise AssertionError("feedgate poll failed:\n" + filled.stdout.decode(errors="replace"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_restarts(self, port, start):
        """Starts the daemon with `start()`, then restarts it RESTARTS times while a Hammer
        runs; returns the hammer."""
        daemon = start()
        base = f"http://127.0.0.1:{port}"
        harness.wait_for(lambda: harness.get(base + "/healthz")[0] == 200, 60, "/healthz")
        status, _, body = harness.get(f"{base}/feeds/{self.ids[-1]}.atom")
        self.assertEqual(status, 200)
        self.assertGreater(body.count(b"<entry>"), 0, "the store was not filled")
        hammer = Hammer(port, self.paths)
        try:
            for _ in range(RESTARTS):
                before = hammer.total(200)
                self.assertEqual(self.stop(daemon), 0, daemon.log_text())
                daemon = start()
                harness.wait_for(lambda: harness.get(base + "/healthz")[0] == 200, 60,
                                 "/healthz after a restart")
                harness.wait_for(lambda: hammer.total(200) > before + 50, 30, "feeds served")
        finally:
            hammer.stop()
            code = self.stop(daemon)
        self.assertEqual(code, 0, daemon.log_text())
        requests = sum(hammer.counts.values())
        print(f"{RESTARTS} restarts x {requests} requests: {hammer.total(404)} answered 404; "
              f"by status: {dict(sorted(hammer.counts.items(), key=str))}")
        self.assertEqual(hammer.bad, [], "404, or 503 without Retry-After")
        return hammer

    def stop(self, daemon):
        return daemon.stop()

    def test_restarts_never_answer_404(self):
        port = harness.free_port()
        config = self.config_text(port)
        self.run_restarts(port, lambda: harness.Daemon(BINARY, self.tmp, config))

    def test_socket_activated_restarts_never_answer_404(self):
        # The test plays systemd: it owns the listening socket and hands it to each daemon, so
        # connections wait in the backlog across a restart instead of being refused.
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        port = listener.getsockname()[1]
        config = self.tmp / "activated.yaml"
        config.write_text(self.config_text(harness.free_port()), encoding="utf-8")
        env = dict(os.environ, FEEDGATE_RECIPES=str(harness.REPO / "feeds"), LISTEN_FDS="1")
        fd = listener.fileno()
        # LISTEN_PID must be the daemon's own pid: a shell sets it, moves the socket to fd 3
        # (SD_LISTEN_FDS_START) and execs feedgate, which keeps the pid.
        move = "" if fd == 3 else f"exec 3<&{fd} {fd}<&-; "
        wrapper = ["/bin/sh", "-c", move + 'LISTEN_PID=$$ exec "$@"', "sh"]
        logs = []

        class Activated:
            def __init__(self):
                self.log = open(config.parent / f"activated-{len(logs)}.log", "w+b")
                logs.append(self.log.name)
                self.proc = subprocess.Popen(wrapper + [BINARY, "serve", "-c", str(config)],
                                             stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                             pass_fds=(fd,))

            def log_text(self):
                with open(self.log.name, errors="replace") as log:
                    return log.read()

            def stop(self):
                self.proc.send_signal(signal.SIGTERM)
                try:
                    code = self.proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
                    code = None
                self.log.close()
                return code

        try:
            self.run_restarts(port, Activated)
        finally:
            listener.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
