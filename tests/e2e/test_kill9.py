#!/usr/bin/env python3
"""kill -9 at random moments while the daemon polls a portal that keeps adding articles and
serves readers: after every kill it is started again on the same store. At the end nothing the
portal published is lost, nothing is stored or served twice, and every item kept its GUID.
Prints kills / losses / duplicates."""
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
import unittest
import xml.etree.ElementTree as ET

import harness

BINARY = os.environ.get("FEEDGATE_BIN", str(harness.REPO / "build" / "feedgate"))
KILLS = 24
FEEDS = ("a", "b", "c")
TEMPLATE = (harness.DEMO_SITE / "content_7001.htm").read_text(encoding="utf-8")


class GrowingPortal:
    """One list page per feed (/<feed>/index.html) naming every article so far, newest first;
    a thread adds an article every `every` seconds. Article pages are the demo's, retitled."""

    def __init__(self, every=0.2):
        self.count = 3
        self.lock = threading.Lock()
        self.adding = True
        portal = self

        class Handler(harness.http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                m = re.fullmatch(r"/([a-z])/(index\.html|content_(\d+)\.htm)", self.path)
                body = portal.page(m.group(1), m.group(3)) if m else None
                if body is None:
                    self.send_error(404)
                    return
                data = body.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the daemon was killed mid-read

        self.server = harness.http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.adder = threading.Thread(target=self.add, args=(every,), daemon=True)
        self.adder.start()

    def add(self, every):
        while self.adding:
            time.sleep(every)
            with self.lock:
                self.count += 1

    def stop_adding(self):
        self.adding = False
        self.adder.join()

    def articles(self):
        with self.lock:
            return self.count

    def page(self, feed, number):
        count = self.articles()
        if number is None:
            items = "".join(f'<li><a href="content_{n}.htm">{self.title(feed, n)}</a>'
                            f'<span class="date">2020-01-29</span></li>\n'
                            for n in range(count, 0, -1))
            return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>列表</title></head>'
                    f'<body><ul class="list">\n{items}</ul></body></html>')
        n = int(number)
        if not 1 <= n <= count:
            return None
        page = TEMPLATE.replace(
            "中共中央印发《关于加强党的领导、为打赢疫情防控阻击战提供坚强政治保证的通知》",
            self.title(feed, n))
        # A distinct time per article, so each is its own item whatever the order of polls.
        return page.replace("2020-01-29 01:17:24", f"2020-01-29 {n // 3600 % 24:02d}:"
                            f"{n // 60 % 60:02d}:{n % 60:02d}")

    @staticmethod
    def title(feed, n):
        return f"第{n}篇 {feed} 频道 新闻"

    def url(self, feed, n):
        return f"http://127.0.0.1:{self.port}/{feed}/content_{n}.htm"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def served_guids(base, feed):
    """{link: guid} of the served RSS feed, and the guids that appear more than once."""
    status, _, body = harness.get(f"{base}/feeds/{feed}.rss", timeout=5)
    if status != 200:
        return None, []
    guids = [item.findtext("guid") for item in ET.fromstring(body).iter("item")]
    links = [item.findtext("link") for item in ET.fromstring(body).iter("item")]
    repeated = sorted({g for g in guids if guids.count(g) > 1})
    return dict(zip(links, guids)), repeated


class Kill9(unittest.TestCase):
    def setUp(self):
        self.tmp = harness.make_tmpdir("feedgate-kill9-")
        self.portal = GrowingPortal()
        self.port = harness.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        feeds = "".join(f"""
  - id: {f}
    url: "http://127.0.0.1:{self.portal.port}/{f}/index.html"
    recipe: demo
""" for f in FEEDS)
        self.config = f"""
server: {{ listen: "127.0.0.1:{self.port}", threads: 2 }}
storage: {{ path: "{self.tmp}/feedgate.db" }}
fetch: {{ timeout: 5s, max_body: 4MiB, concurrency: 4, per_host: 4, min_gap: 0s, allow_private: true }}
defaults: {{ interval: 1s, max_items: 1000, timezone: Asia/Shanghai }}
feeds:{feeds}"""
        self.daemon = None

    def tearDown(self):
        if self.daemon is not None and self.daemon.proc.poll() is None:
            self.daemon.stop()
        self.portal.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def start(self):
        self.daemon = harness.Daemon(BINARY, self.tmp, self.config)

    def test_kill_9_loses_nothing_duplicates_nothing_and_keeps_guids(self):
        rng = random.Random(9)
        guids = {}  # (feed, link) -> the guid first served for it
        changed, repeated_served = [], []
        reader_running = True

        def reader():  # serving is under way when a kill lands, too
            while reader_running:
                for f in FEEDS:
                    try:
                        seen, repeated = served_guids(self.base, f)
                    except (OSError, ET.ParseError):
                        continue
                    if seen is None:
                        continue
                    repeated_served.extend((f, g) for g in repeated)
                    for link, guid in seen.items():
                        if guids.setdefault((f, link), guid) != guid:
                            changed.append((f, link, guids[(f, link)], guid))

        thread = threading.Thread(target=reader, daemon=True)
        thread.start()
        kills = 0
        try:
            for _ in range(KILLS):
                self.start()
                # Somewhere in start-up, a poll, a commit or serving: 0.05 s to 1.5 s in.
                time.sleep(rng.uniform(0.05, 1.5))
                self.assertIsNone(self.daemon.proc.poll(), self.daemon.log_text())
                self.daemon.proc.send_signal(signal.SIGKILL)
                self.daemon.proc.wait()
                self.daemon.log.close()
                kills += 1
            # The portal stops adding; a last daemon catches up with everything it published.
            self.portal.stop_adding()
            published = self.portal.articles()
            self.start()
            harness.wait_for(lambda: all(self.served_count(f) == published for f in FEEDS), 60,
                             f"every feed serving all {published} articles")
        finally:
            reader_running = False
            thread.join(timeout=10)
        self.assertEqual(self.daemon.stop(), 0, self.daemon.log_text())

        db = sqlite3.connect(str(self.tmp / "feedgate.db"))
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        losses = duplicates = 0
        for f in FEEDS:
            stored = [row[0] for row in db.execute("SELECT url FROM items WHERE feed_id = ?", (f,))]
            titles = [row[0] for row in
                      db.execute("SELECT title FROM items WHERE feed_id = ?", (f,))]
            expected = {self.portal.url(f, n) for n in range(1, published + 1)}
            losses += len(expected - set(stored))
            duplicates += len(stored) - len(set(stored)) + len(titles) - len(set(titles))
            duplicates += len(set(stored) - expected)  # an item under a second URL
        db.close()
        print(f"kill -9: {kills} kills, {published} articles x {len(FEEDS)} feeds published, "
              f"{losses} lost, {duplicates} duplicates, {len(changed)} GUIDs changed, "
              f"{len(repeated_served)} repeated in served feeds, {len(guids)} GUIDs watched; "
              f"integrity_check {check}")
        self.assertEqual(check, "ok")
        self.assertEqual(losses, 0)
        self.assertEqual(duplicates, 0)
        self.assertEqual(changed, [])
        self.assertEqual(repeated_served, [])
        self.assertGreater(len(guids), 0, "the reader never saw a feed")

    def served_count(self, feed):
        seen, _ = served_guids(self.base, feed)
        return -1 if seen is None else len(seen)


if __name__ == "__main__":
    unittest.main(verbosity=2)
