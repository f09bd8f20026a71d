#!/usr/bin/env python3
"""End to end: feedgate as the WebSub hub of its feeds, against a subscriber on 127.0.0.1 that
follows the W3C recommendation: discovery (Link headers, <link rel="hub">, JSON Feed hubs),
subscribe -> verification of intent -> a new article on the demo portal -> a signed delivery
(signature checked) -> unsubscribe -> no more deliveries; a callback answering 500 twice then 200
gets the document on the third try; a short lease expires; hostile requests get the right
refusals (file:// callback, refused address, secret over 200 bytes, another host's topic, an
unknown feed, 10,000 subscribe requests in a burst) and leave the server healthy."""
import hashlib
import hmac
import http.client
import http.server
import json
import os
import re
import sys
import threading
import time
import unittest
import urllib.parse

import harness

BINARY = os.environ.get("FEEDGATE_BIN", str(harness.REPO / "build" / "feedgate"))
ARTICLES = json.loads((harness.REPO / "feeds/demo/articles.json").read_text(encoding="utf-8"))["articles"]
FIRST = [a for a in ARTICLES if not a.get("added_later")]
LATER = [a for a in ARTICLES if a.get("added_later")][0]
EXTRA_TITLE = "杭州市第二批推送测试稿件"  # a further article, made by the test
SECRET = "s3cr3t-订阅"


class Subscriber:
    """A WebSub subscriber: answers verifications of the intents it holds (echoing
    hub.challenge), records denials and deliveries; POSTs to /flaky fail twice first."""

    def __init__(self):
        self.lock = threading.Lock()
        self.intents = set()  # (mode, topic, path)
        self.verifications = []  # (path, query dict)
        self.denials = []
        self.deliveries = []  # (monotonic time, path, headers, body, status answered)
        self.flaky_calls = 0
        sub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, status, body=b""):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                path, _, query = self.path.partition("?")
                q = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
                with sub.lock:
                    if q.get("hub.mode") == "denied":
                        sub.denials.append((path, q))
                        return self.reply(200)
                    sub.verifications.append((path, q))
                    wanted = (q.get("hub.mode"), q.get("hub.topic"), path) in sub.intents
                if wanted:
                    return self.reply(200, q["hub.challenge"].encode())
                return self.reply(404, b"not wanted")

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = 200
                with sub.lock:
                    if self.path == "/flaky":
                        sub.flaky_calls += 1
                        status = 500 if sub.flaky_calls <= 2 else 200
                    sub.deliveries.append((time.monotonic(), self.path, dict(self.headers), body,
                                           status))
                self.reply(status)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def want(self, mode, topic, path):
        with self.lock:
            self.intents.add((mode, topic, path))

    def posts(self, path):
        with self.lock:
            return [d for d in self.deliveries if d[1] == path]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class LogWatch:
    """Notes the monotonic time at which each `poll feed=demo ... new=N` line (N > 0) appears in
    the daemon's log: when a poll stored something (the line follows the store's commit; read
    every millisecond, so times are good to about 1 ms)."""

    def __init__(self, path):
        self.path = path
        self.stored = []  # monotonic times
        self.stop = False
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        offset = 0
        while not self.stop:
            with open(self.path, "rb") as f:
                f.seek(offset)
                chunk = f.read()
            complete = chunk.rfind(b"\n") + 1
            offset += complete
            for line in chunk[:complete].decode(errors="replace").splitlines():
                m = re.search(r"poll feed=demo .* new=(\d+)", line)
                if m and int(m.group(1)) > 0:
                    self.stored.append(time.monotonic())
            time.sleep(0.001)


class WebSubEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.make_tmpdir("feedgate-websub-")
        cls.site = harness.copy_demo_site(cls.tmp / "portal")
        cls.portal = harness.Portal(cls.site)
        cls.sub = Subscriber()
        cls.port = harness.free_port()
        cls.base = f"http://127.0.0.1:{cls.port}"
        # Loopback is refused but for the portal and the subscriber (trusted peers): a callback
        # anywhere else on loopback is a refused address. min_lease 2s lets a lease end in-test.
        config = f"""
server: {{ listen: "127.0.0.1:{cls.port}" }}
storage: {{ path: "{cls.tmp}/feedgate.db" }}
fetch: {{ timeout: 10s, concurrency: 4, per_host: 2, min_gap: 0s,
         trusted_peers: ["127.0.0.1:{cls.portal.port}", "127.0.0.1:{cls.sub.port}"] }}
websub: {{ enabled: true, min_lease: 2s, max_pending: 50, max_subscriptions: 300 }}
defaults: {{ interval: 1s, max_items: 50 }}
feeds:
  - id: demo
    url: "{cls.portal.url('/index.html')}"
    recipe: demo
"""
        cls.daemon = harness.Daemon(BINARY, cls.tmp, config)
        cls.watch = LogWatch(cls.tmp / "feedgate.log")
        harness.wait_for(lambda: harness.get(cls.base + "/healthz")[0] == 200, 10, "/healthz")
        harness.wait_for(lambda: len(cls.titles()) == len(FIRST), 30, "the first poll")

    @classmethod
    def tearDownClass(cls):
        cls.watch.stop = True
        cls.sub.close()
        code = harness.shut_down(cls.daemon, cls.portal, cls.tmp)
        assert code == 0, f"feedgate exited with {code}"

    @classmethod
    def titles(cls):
        status, _, body = harness.get(cls.base + "/feeds/demo.json")
        return [i["title"] for i in json.loads(body)["items"]] if status == 200 else []

    def hub(self, **fields):
        body = urllib.parse.urlencode({"hub." + k: v for k, v in fields.items()})
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("POST", "/websub", body,
                     {"Content-Type": "application/x-www-form-urlencoded"})
        r = conn.getresponse()
        text = r.read().decode()
        conn.close()
        return r.status, text

    def subscribers(self, feed="demo"):
        samples = harness.parse_prometheus(harness.get(self.base + "/metrics")[2].decode())
        return samples.get(("feedgate_websub_subscribers", frozenset({("feed", feed)})), 0)

    def topic(self, ext, query=""):
        return f"{self.base}/feeds/demo.{ext}" + (f"?{query}" if query else "")

    def test_1_feeds_advertise_the_hub(self):
        hub = self.base + "/websub"
        for ext in ("atom", "rss", "json"):
            status, headers, body = harness.get(self.topic(ext))
            self.assertEqual(status, 200)
            self.assertEqual(headers.get("Link"),
                             f'<{hub}>; rel="hub", <{self.topic(ext)}>; rel="self"')
            text = body.decode()
            if ext == "json":
                self.assertEqual(json.loads(text)["hubs"], [{"type": "WebSub", "url": hub}])
            else:
                self.assertRegex(text, f'<(atom:)?link [^>]*rel="hub"[^>]*>')
                self.assertIn(f'href="{hub}"', text)
        # A shaped variant is a topic of its own: its self is its URL.
        status, headers, _ = harness.get(self.topic("atom", "opencc=s2t"))
        self.assertEqual(status, 200)
        self.assertIn(f'<{self.topic("atom", "opencc=s2t")}>; rel="self"', headers.get("Link"))
        self.assertEqual(harness.get(hub)[0], 405)

    def test_2_subscribe_deliver_retry_unsubscribe(self):
        main, flaky = self.topic("atom"), self.topic("rss")
        self.sub.want("subscribe", main, "/main")
        self.sub.want("subscribe", flaky, "/flaky")
        self.assertEqual(self.hub(mode="subscribe", topic=main, callback=self.sub.url("/main"),
                                  secret=SECRET, lease_seconds="3600")[0], 202)
        self.assertEqual(self.hub(mode="subscribe", topic=flaky, callback=self.sub.url("/flaky"))[0],
                         202)
        harness.wait_for(lambda: self.subscribers() == 2, 20, "both subscriptions verified")
        verification = [q for p, q in self.sub.verifications if p == "/main"][0]
        self.assertEqual(verification["hub.lease_seconds"], "3600")
        self.assertEqual(verification["hub.topic"], main)

        stored_before = len(self.watch.stored)
        (self.site / "index.html").write_bytes((self.site / "index-next.html").read_bytes())
        harness.touch_later(self.site / "index.html")
        harness.wait_for(lambda: self.sub.posts("/main"), 30, "a delivery to /main")
        at, _, headers, body, _ = self.sub.posts("/main")[0]
        harness.wait_for(lambda: len(self.watch.stored) > stored_before, 5, "the poll's log line")
        stored_at = self.watch.stored[stored_before]
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        self.assertEqual(headers.get("X-Hub-Signature"), expected)
        self.assertTrue(headers.get("Content-Type", "").startswith("application/atom+xml"))
        self.assertIn(f'<{main}>; rel="self"', headers.get("Link", ""))
        self.assertIn(LATER["title"], body.decode())
        print(f"poll stored -> delivery received: {(at - stored_at) * 1000:.0f} ms "
              f"({len(body)} bytes of Atom, signature checked)")

        # The flaky callback: 500, 500, then 200 on the third try (backoff 5 s, then 10 s).
        harness.wait_for(lambda: len(self.sub.posts("/flaky")) >= 3, 40, "three tries at /flaky")
        tries = self.sub.posts("/flaky")
        self.assertEqual([t[4] for t in tries[:3]], [500, 500, 200])
        self.assertEqual(tries[0][3], tries[2][3])
        self.assertIn(LATER["title"], tries[2][3].decode())
        self.assertNotIn("X-Hub-Signature", tries[2][2])
        print("flaky callback: tries at +0 s, +%.1f s, +%.1f s; the third (200) got the document"
              % (tries[1][0] - tries[0][0], tries[2][0] - tries[0][0]))

        self.sub.want("unsubscribe", main, "/main")
        self.assertEqual(self.hub(mode="unsubscribe", topic=main, callback=self.sub.url("/main"))[0],
                         202)
        harness.wait_for(lambda: self.subscribers() == 1, 20, "the unsubscription verified")
        delivered_main, delivered_flaky = len(self.sub.posts("/main")), len(self.sub.posts("/flaky"))
        self.add_article(7999, EXTRA_TITLE)
        harness.wait_for(lambda: len(self.sub.posts("/flaky")) > delivered_flaky, 30,
                         "the next delivery to the subscriber still there")
        last = self.sub.posts("/flaky")[-1]
        self.assertIn(EXTRA_TITLE, last[3].decode())
        print(f"poll stored -> delivery received (second article): "
              f"{(last[0] - self.watch.stored[-1]) * 1000:.0f} ms")
        self.assertEqual(len(self.sub.posts("/main")), delivered_main, "delivered after unsubscribe")

        # /metrics and the status page count the deliveries, the failed tries and subscribers.
        samples = harness.parse_prometheus(harness.get(self.base + "/metrics")[2].decode())
        counted = {dict(labels)["result"]: v for (name, labels), v in samples.items()
                   if name == "feedgate_websub_deliveries_total"}
        self.assertGreaterEqual(counted.get("ok", 0), 3)  # /main, /flaky, /flaky again
        self.assertGreaterEqual(counted.get("failed", 0), 2)

        def page_counts():
            page = harness.get(self.base + "/")[2].decode()
            m = re.search(r"(\d+) deliveries, (\d+) failed tries", page)
            return m and int(m.group(1)) >= 3 and page
        page = harness.wait_for(page_counts, 10, "the status page's hub counts")
        self.assertIn("<th>Push subscribers</th>", page)
        row = page[page.index('<tr id="feed-demo">'):]
        row = row[:row.index("</tr>")]
        self.assertIn('<td class="num">1</td>', row)  # /flaky is left

    def add_article(self, number, title):
        page = (self.site / "content_7007.htm").read_text(encoding="utf-8")
        page = page.replace(LATER["title"], title)
        (self.site / f"content_{number}.htm").write_text(page, encoding="utf-8")
        index = (self.site / "index.html").read_text(encoding="utf-8")
        line = (f'<li><a href="content_{number}.htm" target="_blank">{title}</a>'
                f'<span class="date">2020-01-30</span></li>\n')
        at = index.index('<li><a href="content_7007.htm"')
        (self.site / "index.html").write_text(index[:at] + line + index[at:], encoding="utf-8")
        harness.touch_later(self.site / "index.html", 10)

    def test_3_a_lease_expires(self):
        topic = self.topic("json")
        self.sub.want("subscribe", topic, "/short")
        before = self.subscribers()
        self.assertEqual(self.hub(mode="subscribe", topic=topic, callback=self.sub.url("/short"),
                                  lease_seconds="1")[0], 202)
        harness.wait_for(lambda: self.subscribers() == before + 1, 20, "the short subscription")
        asked = [q for p, q in self.sub.verifications if p == "/short"][0]
        self.assertEqual(asked["hub.lease_seconds"], "2")  # raised to websub.min_lease
        harness.wait_for(lambda: self.subscribers() == before, 10, "the lease to expire")
        self.assertIn("websub_lease_expired", self.daemon.log_text())

    def test_4_hostile_requests_are_refused(self):
        cb = self.sub.url("/hostile")
        cases = [
            (dict(mode="subscribe", topic=self.topic("atom"), callback="file:///etc/passwd"),
             400, "hub.callback"),
            (dict(mode="subscribe", topic=self.topic("atom"), callback="http://10.1.2.3/cb"),
             400, "(private)"),
            (dict(mode="subscribe", topic=self.topic("atom"), callback="http://127.0.0.1:1/cb"),
             400, "(loopback)"),
            (dict(mode="subscribe", topic=self.topic("atom"), callback=cb, secret="x" * 201),
             400, "hub.secret: 201 bytes"),
            (dict(mode="subscribe", topic="http://example.com/feeds/demo.atom", callback=cb),
             400, "hub.topic"),
            (dict(mode="publish", topic=self.topic("atom"), callback=cb), 400, "hub.mode"),
            (dict(mode="subscribe", callback=cb), 400, "hub.topic: missing"),
        ]
        for fields, status, says in cases:
            got, text = self.hub(**fields)
            self.assertEqual(got, status, f"{fields}: {text}")
            self.assertIn(says, text)
        # An unknown feed of this server: accepted, then denied at the callback.
        unknown = f"{self.base}/feeds/nope.atom"
        self.assertEqual(self.hub(mode="subscribe", topic=unknown, callback=cb)[0], 202)
        harness.wait_for(lambda: [q for p, q in self.sub.denials if q["hub.topic"] == unknown], 10,
                         "the denial")

        # 10,000 subscribe requests in a burst (never verified: the subscriber wants none).
        counts, lock = {}, threading.Lock()

        def burst(first):
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            for i in range(first, 10000, 8):
                body = urllib.parse.urlencode({"hub.mode": "subscribe",
                                               "hub.topic": self.topic("atom"),
                                               "hub.callback": self.sub.url(f"/burst/{i}")})
                conn.request("POST", "/websub", body,
                             {"Content-Type": "application/x-www-form-urlencoded"})
                r = conn.getresponse()
                r.read()
                with lock:
                    counts[r.status] = counts.get(r.status, 0) + 1
            conn.close()

        started = time.monotonic()
        threads = [threading.Thread(target=burst, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.monotonic() - started
        print(f"burst of 10000 subscribe requests in {took:.1f} s: {dict(sorted(counts.items()))}")
        self.assertEqual(sum(counts.values()), 10000)
        self.assertEqual(set(counts) - {202, 429}, set())
        self.assertGreater(counts.get(429, 0), 0, "the pending cap never refused")
        self.assertEqual(harness.get(self.base + "/healthz")[0], 200)
        self.assertEqual(harness.get(self.topic("atom"))[0], 200)
        self.assertIsNone(self.daemon.proc.poll())
        # Once the refused verifications are done, the hub takes requests again.
        harness.wait_for(lambda: self.hub(mode="subscribe", topic=self.topic("atom"),
                                          callback=self.sub.url("/late"))[0] == 202, 30,
                         "the hub to take requests again")


if __name__ == "__main__":
    harness.run_tests()
