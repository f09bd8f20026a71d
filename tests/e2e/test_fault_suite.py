#!/usr/bin/env python3
"""Every upstream fault at once, on one daemon: each faulty portal first serves the demo site,
then breaks its list page in its own way. For each fault the daemon stays up, a healthy feed on
the same daemon keeps polling at its interval, the faulty feed's stored items are served
byte-identical (or, for the charset faults, kept with the new article decoded), the error shows
on `/` and in `/metrics`, and resident memory stays bounded.

The daemon runs with `allow_private: false`: every portal of the suite is reached because it is
listed in `fetch.trusted_peers`, and one more loopback portal, not listed, is where the
redirect_private fault points; it must never receive a request."""
import html
import json
import os
import re
import shutil
import time
import unittest

import fault_portal
import harness

BINARY = os.environ.get("FEEDGATE_BIN", str(harness.REPO / "build" / "feedgate"))
INTERVAL = 2  # seconds, for every feed
RSS_BOUND_MIB = 200

# fault → text its feed's row on `/` must show once the fault has been polled.
ERRORS = {
    "hang_headers": "no complete response",
    "hang_body": "no complete response",
    "trickle": "no complete response",
    "reset": "reset",
    "s500": "HTTP 500",
    "s502": "HTTP 502",
    "s503": "HTTP 503",
    "s503_retry": "retry after",
    "s429": "HTTP 429",
    "s404": "HTTP 404",
    "redirect_loop": "redirects",
    "redirect_file": "non-http(s)",
    "redirect_private": "refused to connect",
    "truncated_chunked": "transfer closed",
    "wrong_length": "transfer closed",
    "over_max_body": "max_body",
    "gzip_bomb": "max_body",
}
# Faults that are not errors: the new article must arrive, decoded.
DECODED = {
    "invalid_utf8": "后半段也必须保留下来",
    "gbk_no_charset": "杭州西湖景区迎来春季游客高峰",
}


def feed_id(fault):
    return fault.replace("_", "-")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class FaultSuite(unittest.TestCase):
    def setUp(self):
        self.tmp = harness.make_tmpdir("feedgate-fault-suite-")
        self.healthy = harness.Portal(harness.copy_demo_site(self.tmp / "healthy"))
        faults = list(ERRORS) + list(DECODED)
        self.portals = {f: fault_portal.FaultPortal(f"127.0.0.{10 + i}", f)
                        for i, f in enumerate(faults)}
        # Serves the demo site on loopback like the others, but is not a trusted peer.
        self.untrusted = fault_portal.FaultPortal("127.0.0.250", "none")
        self.portals["redirect_private"].redirect_target = self.untrusted.url()
        trusted = [f"127.0.0.1:{self.healthy.port}"] + [f"{p.address}:{p.port}"
                                                         for p in self.portals.values()]
        self.port = harness.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        feeds = f"""
  - {{ id: healthy, url: "{self.healthy.url('/index.html')}", recipe: demo }}"""
        for f, p in self.portals.items():
            feeds += f"""
  - {{ id: {feed_id(f)}, url: "{p.url()}", recipe: demo }}"""
        config = f"""
server: {{ listen: "127.0.0.1:{self.port}" }}
storage: {{ path: "{self.tmp}/feedgate.db" }}
fetch: {{ timeout: 3s, stall_timeout: 2s, max_body: 1MiB, concurrency: 32, per_host: 4,
         min_gap: 0s, allow_private: false, trusted_peers: {json.dumps(trusted)} }}
defaults: {{ interval: {INTERVAL}s, max_backoff: 10s, max_items: 50, timezone: Asia/Shanghai }}
feeds:{feeds}"""
        self.daemon = harness.Daemon(BINARY, self.tmp, config)
        self.max_rss = 0.0

    def tearDown(self):
        code = self.daemon.stop()
        for p in self.portals.values():
            p.close()
        self.untrusted.close()
        self.healthy.close()
        if code != 0:
            print(self.daemon.log_text()[-5000:])
        self.assertEqual(code, 0, "feedgate did not exit cleanly on SIGTERM")
        shutil.rmtree(self.tmp, ignore_errors=True)

    def feed(self, fid):
        return harness.get(f"{self.base}/feeds/{fid}.atom")

    def rows(self):
        """Status page rows by feed id, each row's own HTML."""
        self.max_rss = max(self.max_rss, rss_mib(self.daemon.proc.pid))
        page = html.unescape(harness.get(self.base + "/")[2].decode())
        return dict(re.findall(r'<tr id="feed-([a-z0-9-]+)">(.*?)</tr>', page, re.S))

    def test_every_fault_at_once(self):
        harness.wait_for(lambda: harness.get(self.base + "/healthz")[0] == 200, 10, "/healthz")
        every = ["healthy"] + [feed_id(f) for f in self.portals]
        harness.wait_for(lambda: all(self.feed(fid)[2].count(b"<entry>") == 6 for fid in every),
                         20, "six items in every feed")
        before = {f: self.feed(feed_id(f))[2] for f in ERRORS}

        for p in self.portals.values():
            p.broken = True
        healthy_before = self.healthy.requests.count("/index.html")
        started = time.monotonic()

        seen = {}

        def every_error_shown():
            rows = self.rows()
            for f, text in ERRORS.items():
                row = rows.get(feed_id(f), "")
                if text.lower() in row.lower():
                    seen[f] = True
            return len(seen) == len(ERRORS)

        try:
            harness.wait_for(every_error_shown, 30, "every fault's error on /", interval=0.5)
        except AssertionError:
            self.fail(f"not shown on / in 30 s: {sorted(set(ERRORS) - set(seen))}")
        for f, text in DECODED.items():
            harness.wait_for(lambda: text in self.feed(feed_id(f))[2].decode(), 15,
                             f"{f}: the new article, decoded")
        elapsed = time.monotonic() - started
        # Let the slow faults (hangs, trickle) run into their timeouts once more.
        time.sleep(4)
        elapsed += 4

        self.assertIsNone(self.daemon.proc.poll(), "the daemon exited")
        self.assertEqual(harness.get(self.base + "/healthz")[0], 200)
        for f, body in before.items():
            status, _, now = self.feed(feed_id(f))
            self.assertEqual(status, 200, f)
            self.assertEqual(now, body, f"{f}: stored items changed after failed polls")
        for f in DECODED:
            self.assertEqual(self.feed(feed_id(f))[2].count(b"<entry>"), 7, f)
        self.assertEqual(self.untrusted.list_requests, 0, "a request reached the refused peer")
        self.check_metrics()
        # The healthy feed kept its schedule: at least a third of the polls its interval allows
        # (a generous floor: a stalled scheduler would give none).
        polls = self.healthy.requests.count("/index.html") - healthy_before
        self.assertGreaterEqual(polls, max(2, int(elapsed / INTERVAL / 3)),
                                f"healthy feed polled {polls} times in {elapsed:.0f} s")
        self.rows()
        self.assertLess(self.max_rss, RSS_BOUND_MIB, "resident memory")
        print(f"fault suite: {len(self.portals)} faults, healthy polls {polls} in "
              f"{elapsed:.0f} s, max RSS {self.max_rss:.1f} MiB")

    def check_metrics(self):
        """Every fault's failed polls are counted under an outcome other than ok."""
        status, _, body = harness.get(self.base + "/metrics")
        self.assertEqual(status, 200)
        failed = {}
        for (name, labels), value in harness.parse_prometheus(body.decode()).items():
            labels = dict(labels)
            if name == "feedgate_polls_total" and labels["outcome"] not in ("ok", "not_modified"):
                failed[labels["feed"]] = failed.get(labels["feed"], 0) + value
        for f in ERRORS:
            self.assertGreaterEqual(failed.get(feed_id(f), 0), 1, f"{f}: no failed poll in /metrics")
        self.assertEqual(failed.get("healthy", 0), 0, "the healthy feed failed a poll")


if __name__ == "__main__":
    unittest.main(verbosity=2)
