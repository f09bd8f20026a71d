#!/usr/bin/env python3
"""SIGTERM while a poll waits on a portal that hangs (it accepts the request and never answers):
the daemon cancels the poll's fetches and exits 0 well within the unit's TimeoutStopSec, long
before the fetch timeouts would have ended the poll, and stores nothing of the cancelled poll:
items, validators and poll records are exactly those of the poll before."""
import os
import shutil
import sqlite3
import subprocess
import threading
import unittest

import harness

BINARY = os.environ.get("FEEDGATE_BIN", str(harness.REPO / "build" / "feedgate"))
HANGING = "/content_7007.htm"  # the article index-next.html adds


def snapshot(db_path):
    db = sqlite3.connect(str(db_path))
    try:
        return {table: sorted(db.execute(f"SELECT * FROM {table}").fetchall())
                for table in ("items", "polls", "validators")}
    finally:
        db.close()


class ShutdownEndToEnd(unittest.TestCase):
    def setUp(self):
        self.tmp = harness.make_tmpdir("feedgate-e2e-shutdown-")
        self.site = harness.copy_demo_site(self.tmp / "portal")
        self.portal = harness.Portal(self.site)
        self.asked = threading.Event()    # the hanging page was requested: the poll is mid-way
        self.release = threading.Event()  # set at teardown, so the portal's threads can end

        def hang():
            self.asked.set()
            self.release.wait(120)
            return 503, {}, b""

        self.hang = hang
        port = harness.free_port()
        # Timeouts far beyond the time the test gives the daemon to stop: only cancelling the
        # fetch in flight can end the poll in time.
        self.config = f"""
server: {{ listen: "127.0.0.1:{port}" }}
storage: {{ path: "{self.tmp}/feedgate.db" }}
fetch: {{ timeout: 300s, stall_timeout: 300s, concurrency: 4, per_host: 2, min_gap: 0s, allow_private: true }}
defaults: {{ interval: 1h, max_items: 50, timezone: Asia/Shanghai }}
feeds:
  - id: demo
    url: "{self.portal.url('/index.html')}"
    recipe: demo
"""
        self.daemon = None

    def tearDown(self):
        self.release.set()
        if self.daemon is not None and self.daemon.proc.poll() is None:
            self.daemon.proc.kill()
            self.daemon.proc.wait()
        self.portal.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_sigterm_mid_poll_exits_promptly_and_stores_nothing_half_done(self):
        (self.tmp / "poll.yaml").write_text(self.config, encoding="utf-8")
        env = dict(os.environ, FEEDGATE_RECIPES=str(harness.REPO / "feeds"))
        subprocess.run([BINARY, "poll", "-c", str(self.tmp / "poll.yaml")], env=env, check=True,
                       stdout=subprocess.DEVNULL, timeout=60)
        before = snapshot(self.tmp / "feedgate.db")
        self.assertEqual(len(before["items"]), 6)
        self.assertEqual(len(before["polls"]), 1)

        # The list page gains an article whose page never answers.
        shutil.copy(self.site / "index-next.html", self.site / "index.html")
        harness.touch_later(self.site / "index.html")
        self.portal.faults[HANGING] = self.hang
        self.daemon = harness.Daemon(BINARY, self.tmp, self.config)
        self.assertTrue(self.asked.wait(30), "the start-up poll never asked for " + HANGING)

        code = self.daemon.stop()  # SIGTERM; None when it had not exited after 15 s
        log = self.daemon.log_text()
        self.assertEqual(code, 0, log)
        self.assertIn("poll_cancelled feed=demo", log)
        self.assertNotIn("thread_failed", log)
        self.assertEqual(snapshot(self.tmp / "feedgate.db"), before)


if __name__ == "__main__":
    unittest.main()
