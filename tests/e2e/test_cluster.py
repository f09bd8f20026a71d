#!/usr/bin/env python3
"""Three feedgate instances on one PostgreSQL share the polling of 24 feeds and all serve every
feed: each list page is fetched about once per interval for the whole cluster (not three times),
each article page once; the three serve the same bytes and ETag for every feed; items committed
without a notification are served within the periodic check; only the newest config writes the
shared schedule; after kill -9 of one instance mid-poll its feeds are polled by the other two
within interval + lease; a PostgreSQL restart mid-run loses nothing, shows as "store unavailable"
on / and in /metrics while it lasts, and the instances recover by themselves."""
import collections
import http.server
import os
import shutil
import signal
import threading
import time
import unittest

import harness

BINARY = os.environ.get("FEEDGATE_BIN", str(harness.REPO / "build" / "feedgate"))
FEEDS = 24
INTERVAL = 6      # seconds, every feed
LEASE = 3         # seconds: cluster.lease, short so that a dead instance's feeds move on soon
CLAIM_BACKOFF = 5  # seconds: the longest wait between claims while the database is down
SLOW_LIST = 2.0   # seconds a list page takes to answer while `slow` is set (a poll in flight)
CHECK = 5         # seconds: how often an instance compares the feeds' items versions


class GeneratedPortal:
    """FEEDS list pages (/fN/index.html), each linking its articles (/fN/content_NKKK.htm);
    counts every request by path. `add_article(n)` puts a new article at the top of feed n."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = collections.Counter()
        self.articles = {n: [1, 2, 3] for n in range(FEEDS)}
        self.slow = False
        portal = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                with portal.lock:
                    portal.requests[self.path] += 1
                    body = portal.page(self.path)
                    slow = portal.slow and self.path.endswith("/index.html")
                if slow:
                    time.sleep(SLOW_LIST)
                harness.reply(self, 200 if body else 404, (body or "not here").encode("utf-8"),
                              [("Content-Type", "text/html; charset=utf-8")])

        # An instance killed mid-request hangs up: expected here, hence a quiet server.
        self.server = harness.serve(Handler)
        self.port = self.server.server_address[1]

    def page(self, path):
        parts = path.strip("/").split("/")
        if len(parts) != 2 or not parts[0].startswith("f"):
            return None
        n = int(parts[0][1:])
        if parts[1] == "index.html":
            links = "".join(f'<li><a href="content_{n}{k:03d}.htm">第{n}号 新闻{k}</a></li>'
                            for k in reversed(self.articles[n]))
            return f'<html><body><ul class="list">{links}</ul></body></html>'
        k = int(parts[1].removeprefix(f"content_{n}").removesuffix(".htm"))
        return (f'<html><head><meta charset="utf-8"><title>新闻{k}</title></head><body>'
                f'<h1>第{n}号频道 新闻{k}</h1><div class="time">2026-12-0{1 + k % 9} 09:30:00</div>'
                f'<div id="zoom"><p>第{n}号频道的第{k}条新闻，正文。</p></div></body></html>')

    def add_article(self, n):
        with self.lock:
            self.articles[n].append(max(self.articles[n]) + 1)

    def count(self, path):
        with self.lock:
            return self.requests[path]

    def list_polls(self):
        with self.lock:
            return {n: self.requests[f"/f{n}/index.html"] for n in range(FEEDS)}

    def article_fetches(self):
        with self.lock:
            return {p: c for p, c in self.requests.items() if "content_" in p}

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


pg_script = harness.pg_script


class Cluster(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg, cls.pg_url = harness.start_postgres()
        cls.tmp = harness.make_tmpdir("feedgate-cluster-")
        cls.portal = GeneratedPortal()
        cls.daemons = {}

    @classmethod
    def tearDownClass(cls):
        for name, (daemon, _) in cls.daemons.items():
            if daemon.stop() not in (0, -9):
                print(f"--- {name} ---\n{daemon.log_text()[-4000:]}")
        harness.stop_postgres(cls.pg)
        cls.portal.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def config(self, port, extra_feeds=()):
        feeds = "".join(f"""
  - id: {name}
    url: "{self.portal.url(f'/{name}/index.html')}"
    recipe: demo""" for name in [f"f{n}" for n in range(FEEDS)] + list(extra_feeds))
        return f"""
server: {{ listen: "127.0.0.1:{port}", base_url: "http://feeds.example" }}
storage: {{ url: "{self.pg_url}", pool: 4 }}
cluster: {{ lease: {LEASE}s }}
fetch: {{ timeout: 10s, concurrency: 4, min_gap: 0s, allow_private: true }}
defaults: {{ interval: {INTERVAL}s, max_items: 10 }}
feeds:{feeds}"""

    def start(self, name, extra_feeds=()):
        port = harness.free_port()
        workdir = self.tmp / name
        workdir.mkdir(exist_ok=True)
        daemon = harness.Daemon(BINARY, workdir, self.config(port, extra_feeds))
        self.daemons[name] = (daemon, port)
        base = f"http://127.0.0.1:{port}"
        harness.wait_for(lambda: harness.get(base + "/healthz")[0] == 200, 30, f"{name} /healthz")
        return base

    def documents(self, base):
        docs = {}
        for n in range(FEEDS):
            for ext in ("rss", "atom", "json"):
                status, headers, body = harness.get(f"{base}/feeds/f{n}.{ext}")
                docs[f"f{n}.{ext}"] = (status, headers.get("ETag"), headers.get("Last-Modified"),
                                       body)
        return docs

    def same_everywhere(self, bases):
        """The documents when every instance serves the same bytes, ETag and Last-Modified;
        else False, with the first difference kept in self.difference."""
        first = self.documents(bases[0])
        for b in bases[1:]:
            other = self.documents(b)
            for name, doc in first.items():
                if other[name] != doc:
                    self.difference = (name, doc[:3], other[name][:3], doc[3][:600],
                                       other[name][3][:600])
                    return False
        return first

    def test_cluster(self):
        bases = [self.start(name) for name in ("a", "b", "c")]
        # Every feed's first poll is spread over the first seconds; then run for a while.
        harness.wait_for(lambda: all(c >= 1 for c in self.portal.list_polls().values()), 30,
                         "every feed's first poll")
        t0 = time.monotonic()
        before = self.portal.list_polls()
        logged = {name: len(d.log_text()) for name, (d, _) in self.daemons.items()}
        time.sleep(4 * INTERVAL)
        elapsed = time.monotonic() - t0
        during = {n: c - before[n] for n, c in self.portal.list_polls().items()}
        per_feed = sum(during.values()) / FEEDS
        expected = elapsed / INTERVAL
        shares = " + ".join(
            f"{name} {d.log_text()[logged[name]:].count('poll feed=') / FEEDS:.2f}"
            for name, (d, _) in self.daemons.items())
        print(f"list polls per feed in {elapsed:.1f}s: {per_feed:.2f} for the cluster"
              f" (one instance alone: {expected:.2f}; min {min(during.values())},"
              f" max {max(during.values())}); per instance: {shares}")
        self.assertLess(per_feed, expected * 1.5, during)  # three times as many if not shared
        self.assertGreater(per_feed, expected * 0.5, during)
        articles = self.portal.article_fetches()
        print(f"article pages: {len(articles)} distinct, {sum(articles.values())} fetches")
        self.assertEqual(len(articles), 3 * FEEDS)
        self.assertTrue(all(c == 1 for c in articles.values()),
                        {p: c for p, c in articles.items() if c != 1})

        # New items stored by whichever instance polled are served by all three, byte for byte.
        for n in range(0, FEEDS, 3):
            self.portal.add_article(n)
        def serving(b, n):
            return "新闻4".encode() in harness.get(f"{b}/feeds/f{n}.atom")[2]
        harness.wait_for(lambda: any(serving(b, 0) for b in bases), INTERVAL * 3,
                         "f0's new item on one instance")
        t_new = time.monotonic()  # stored by one instance: the other two hear of it
        harness.wait_for(lambda: all(serving(b, 0) for b in bases), 5, "f0's new item on all")
        print(f"a new item served by all three {time.monotonic() - t_new:.2f}s after the first")
        harness.wait_for(lambda: all(serving(b, n) for b in bases for n in range(0, FEEDS, 3)),
                         INTERVAL * 3, "new items on every instance")
        self.difference = None
        try:
            same = harness.wait_for(lambda: self.same_everywhere(bases), 10, "identical documents")
        except AssertionError:
            self.fail(f"documents differ: {self.difference}")
        etags = {v[1] for v in same.values()}
        print(f"identical on 3 instances: {len(same)} documents, {len(etags)} distinct ETags")
        self.assertTrue(all(v[0] == 200 and v[1] for v in same.values()))
        self.assertEqual(len(etags), len(same))  # one per document, none empty

        # Every instance's status page names the three live instances and who polled each feed.
        def cluster_page(b):
            page = harness.get(b + "/")[2].decode()
            return "Cluster: 3 instances alive" in page and "<th>Polled by</th>" in page and page
        for b in bases:
            page = harness.wait_for(lambda: cluster_page(b), LEASE * 3, f"the cluster on {b}/")
            row = page[page.index('<tr id="feed-f0">'):]
            self.assertRegex(row[:row.index("</tr>")], r"127\.0\.0\.1:\d+/\d+")  # an instance id

        self.lost_notification(bases)
        self.newest_config(bases)
        self.kill_one_mid_poll(bases)
        self.restart_postgres(bases[:2])

    def lost_notification(self, bases):
        """An item committed with no NOTIFY (as if the notification were lost) is served by every
        instance once its periodic check sees the feed's items version move."""
        title = "未通知的新闻"
        self.psql(f"""BEGIN;
INSERT INTO items(feed_id, url, seq, title, author, source, editor, content_html, text,
                  content_hash, first_seen, updated)
  SELECT 'f2', '{self.portal.url("/f2/content_2999.htm")}', max(seq) + 1, '{title}', '', '', '',
         '<p>{title}</p>', '{title}', 'e2e', extract(epoch FROM now())::bigint,
         extract(epoch FROM now())::bigint FROM items WHERE feed_id = 'f2';
INSERT INTO feed_changes(feed_id, version, tag) VALUES('f2', 1, 'e2e')
  ON CONFLICT(feed_id) DO UPDATE SET version = feed_changes.version + 1, tag = 'e2e';
COMMIT;""")
        t0 = time.monotonic()
        harness.wait_for(lambda: all(title.encode() in harness.get(f"{b}/feeds/f2.atom")[2]
                                     for b in bases), CHECK + 5, "the unannounced item everywhere")
        print(f"an item committed without a notification served by all three after"
              f" {time.monotonic() - t0:.1f}s (check every {CHECK}s)")
        for name in ("a", "b", "c"):
            self.assertIn("cluster_notifications_missed", self.daemons[name][0].log_text(), name)

    def newest_config(self, bases):
        """An instance whose config file was written later (one more feed) writes the schedule; the
        others say their config is older and leave it; once it stops, theirs stands again."""
        newest = self.start("d", extra_feeds=["extra"])
        harness.wait_for(lambda: self.scheduled() == FEEDS + 1, LEASE * 2, "d's schedule")
        for name in ("a", "b", "c"):
            log_text = self.daemons[name][0].log_text
            harness.wait_for(lambda: "cluster_config_older" in log_text(), LEASE * 2,
                             f"{name} saying its config is older")
        self.assertEqual(self.scheduled(), FEEDS + 1)  # none of the three wrote theirs over it
        harness.wait_for(lambda: "config file is older than that of" in
                         harness.get(bases[0] + "/")[2].decode(), LEASE * 3, "the older config on /")
        self.daemons["d"][0].stop()
        harness.wait_for(lambda: self.scheduled() == FEEDS, LEASE * 2, "the schedule back to 24")
        print(f"schedule written by the newest config ({FEEDS + 1} feeds), then by the others"
              f" once it left ({FEEDS}); {newest} stopped")

    def kill_one_mid_poll(self, bases):
        daemon, _ = self.daemons["c"]
        self.portal.slow = True  # polls now take SLOW_LIST seconds: some are in flight at the kill
        time.sleep(INTERVAL)
        # Kill it while it holds leases (on a loaded machine the other two may have claimed every
        # due feed for a while); a lease held by the dead is what must be taken over.
        held = f"""SELECT COUNT(*) FROM feed_schedule
                   WHERE lease_holder LIKE '%/{daemon.proc.pid}-%' AND lease_expiry > now()"""
        try:
            in_flight = harness.wait_for(lambda: int(self.psql(held)), INTERVAL * 3,
                                         "c holding a lease mid-poll")
        except AssertionError as e:
            leases = self.psql("SELECT feed_id, lease_holder, lease_expiry FROM feed_schedule")
            self.fail(f"{e}\nleases:\n{leases}\nc's log:\n{daemon.log_text()[-3000:]}")
        daemon.proc.send_signal(signal.SIGKILL)
        daemon.proc.wait()
        killed_at = time.monotonic()
        self.portal.slow = False
        after_kill = self.portal.list_polls()
        # Every feed (those c held included) is polled again within interval + lease.
        limit = INTERVAL + LEASE + 2
        harness.wait_for(lambda: all(c > after_kill[n]
                                     for n, c in self.portal.list_polls().items()),
                         limit * 2, "every feed polled after the kill")
        recovery = time.monotonic() - killed_at
        # The polls c had in flight were taken over once their lease lapsed.
        try:
            harness.wait_for(lambda: self.takeovers(), LEASE * 3, "polls taken over from c")
        except AssertionError as e:
            leases = self.psql("SELECT feed_id, lease_holder, lease_expiry, last_polled_by"
                               " FROM feed_schedule")
            self.fail(f"{e}; c held {in_flight} at the kill; now:\n{leases}")
        print(f"after kill -9 of c: every feed polled again within {recovery:.1f}s (interval"
              f" {INTERVAL}s + lease {LEASE}s); c held {in_flight} leases, polls taken over from"
              f" it: {self.takeovers()}")
        self.assertLessEqual(recovery, limit)

    def restart_postgres(self, bases):
        docs = self.documents(bases[0])
        items_before = self.items_count()
        stopped = pg_script("stop", str(self.pg))
        self.assertEqual(stopped.returncode, 0, stopped.stderr)
        down_at = time.monotonic()
        # Every instance says so on / (a banner, and the feeds due shown as such) and in /metrics.
        shown = harness.wait_for(lambda: all(self.outage_shown(b) for b in bases), INTERVAL,
                                 "the outage on / and /metrics")
        print(f"store unavailable on / and /metrics of both {time.monotonic() - down_at:.1f}s"
              f" after PostgreSQL stopped")
        time.sleep(max(0.0, INTERVAL - (time.monotonic() - down_at)))
        # Serving goes on from what was rendered.
        self.assertEqual(self.documents(bases[0]), docs)
        self.assertTrue(shown)
        resumed = pg_script("resume", str(self.pg))
        self.assertEqual(resumed.returncode, 0, resumed.stderr)
        up_at = time.monotonic()
        self.portal.add_article(1)
        harness.wait_for(lambda: all(f"新闻4".encode() in harness.get(f"{b}/feeds/f1.atom")[2]
                                     for b in bases), 60, "polling again after the restart")
        print(f"PostgreSQL down {up_at - down_at:.1f}s; new items served by both instances"
              f" {time.monotonic() - up_at:.1f}s after it came back")
        self.assertGreaterEqual(self.items_count(), items_before + 1)
        # An instance notices the database is back at its next claim, which backs off to at most
        # 5 s while the database is down; serving a new item can come sooner (another instance
        # polled it, this one re-rendered on the notification), so wait for the claim itself.
        for name in ("a", "b"):
            log_text = self.daemons[name][0].log_text
            self.assertIn("store_unavailable", log_text(), name)
            harness.wait_for(lambda: "cluster_store_reachable" in log_text(), CLAIM_BACKOFF + 5,
                             f"instance {name} claiming again after the restart")
        print(f"both instances claiming again {time.monotonic() - up_at:.1f}s after it came back")
        harness.wait_for(lambda: not any(self.outage_shown(b, partly=True) for b in bases), 5,
                         "the outage no longer shown")

    def outage_shown(self, base, partly=False):
        """Whether / shows the banner and a feed "store unavailable" and /metrics the store
        unavailable with polls counted (any of them when `partly`)."""
        page = harness.get(base + "/")[2].decode()
        metrics = harness.parse_prometheus(harness.get(base + "/metrics")[2].decode())
        signs = ['id="store-unavailable"' in page,
                 '<td class="error">store unavailable (' in page,
                 metrics.get(("feedgate_cluster_store_available", frozenset())) == 0,
                 metrics.get(("feedgate_cluster_polls_store_unavailable_total", frozenset()), 0) > 0]
        return any(signs[:3]) if partly else all(signs)
    def takeovers(self):
        return sum(self.daemons[name][0].log_text().count("poll_taken_over") for name in ("a", "b"))

    def items_count(self):
        return int(self.psql("SELECT COUNT(*) FROM items"))

    def scheduled(self):
        return int(self.psql("SELECT COUNT(*) FROM feed_schedule"))

    def psql(self, sql):
        return harness.psql(self.pg_url, sql)


if __name__ == "__main__":
    harness.run_tests()
