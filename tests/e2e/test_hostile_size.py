#!/usr/bin/env python3
"""Hostile-size pages within the default limits cannot take the daemon above 256 MiB resident.

Each case runs a fresh daemon with the default fetch and limits settings against a portal on
127.0.0.1 and reads the daemon's peak resident size (VmHWM in /proc/PID/status) once every feed
of the case has been polled: a list page of two million <br> (7.9 MiB), deeply nested markup,
article pages of 7.5 MiB (FG_HOSTILE_ARTICLES of them, default 6), and eight such feeds at once
beside a normal feed that must lose nothing. Prints the peak per case."""
import html
import json
import os
import shutil
import threading
import http.server
import unittest

import harness

BINARY = os.environ.get("FEEDGATE_BIN", str(harness.REPO / "build" / "feedgate"))
CEILING_MIB = 256
MIB = 1 << 20

BR_LIST = b"<html><body><ul class=list>" + b"<br>" * 2_000_000 + b"</ul></body></html>"
DEEP = (b"<html><body>" + b"<div><span>" * 45_000 + b"deep" + b"</span></div>" * 45_000 +
        b"<ul class=list><li><a href=/a/0.html>x</a></ul></body></html>")
PARAGRAPH = ("<p>" + "市政府新闻发布会介绍了今年城市建设的进展情况。" * 30 + "</p>\n").encode()


def big_article(n):
    head = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>大文章 {n}</title></head>'
            f'<body><h1>大文章 {n}</h1><div id="zoom">').encode()
    body = PARAGRAPH * int(7.5 * MIB // len(PARAGRAPH))
    return head + body + b"</div></body></html>"


ARTICLE_BYTES = big_article(0)
# Each 7.5 MiB article takes seconds of CPU to read: enough of them to show the cap and the
# memory bound, few enough for `make test` (the 50 took minutes and the same peak).
ARTICLES = int(os.environ.get("FG_HOSTILE_ARTICLES", "6"))  # every article is this page with its number in the title


def article_list(prefix, count):
    links = "".join(f'<li><a href="{prefix}/a/{i}.html">文章 {i}</a></li>' for i in range(count))
    return f'<html><body><ul class="list">{links}</ul></body></html>'.encode()


class Portal:
    """Serves generated pages: /<feed>/index.html and /<feed>/a/<n>.html."""

    def __init__(self, lists):
        self.lists = lists  # feed prefix -> list page bytes

        portal = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                body = portal.page(self.path)
                harness.reply(self, 200 if body is not None else 404, body or b"",
                              [("Content-Type", "text/html; charset=utf-8")])

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def page(self, path):
        prefix, _, rest = path.rpartition("/")
        if rest == "index.html":
            return self.lists.get(prefix)
        if "/a/" in path and rest.endswith(".html"):
            return ARTICLE_BYTES
        return None

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def vm_hwm_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM in /proc/PID/status")


class HostileSizes(unittest.TestCase):
    results = {}

    def run_case(self, name, lists, normal_feed=False, items=None, timeout=240):
        """One daemon with a feed per list page (default limits); waits until every feed was
        polled and the feeds in `items` (id -> count) serve that many items; returns (metrics,
        feed documents, status page)."""
        tmp = harness.make_tmpdir("feedgate-hostile-")
        portal = Portal(lists)
        demo = None
        try:
            port = harness.free_port()
            feeds = "".join(f"""
  - id: {prefix.strip('/') or 'root'}
    url: "http://127.0.0.1:{portal.port}{prefix}/index.html"
    links: "ul.list a"
    article: {{ title: "h1", content: "#zoom" }}""" for prefix in lists)
            trusted = [f'"127.0.0.1:{portal.port}"']
            if normal_feed:
                harness.copy_demo_site(tmp / "demo")
                demo = harness.Portal(tmp / "demo")
                trusted.append(f'"127.0.0.1:{demo.port}"')
                feeds += f"""
  - id: normal
    url: "{demo.url('/index.html')}"
    recipe: demo"""
            config = f"""
server: {{ listen: "127.0.0.1:{port}" }}
storage: {{ path: "{tmp}/feedgate.db" }}
fetch: {{ min_gap: 0s, per_host: 8, trusted_peers: [{", ".join(trusted)}] }}
defaults: {{ interval: 1h }}
feeds:{feeds}"""
            daemon = harness.Daemon(BINARY, tmp, config)
            base = f"http://127.0.0.1:{port}"
            ids = [p.strip('/') or 'root' for p in lists] + (["normal"] if normal_feed else [])
            try:
                metrics = harness.wait_for(lambda: self.all_polled(base, ids), timeout,
                                           f"every feed of {name} to be polled", interval=0.5)
                for fid, count in (items or {}).items():
                    harness.wait_for(lambda: self.item_count(base, fid) == count, 60,
                                     f"{fid} to serve {count} items", interval=0.5)
                peak = vm_hwm_mib(daemon.proc.pid)
                docs = {i: json.loads(harness.get(f"{base}/feeds/{i}.json", timeout=30)[2])
                        for i in ids}
                status = html.unescape(harness.get(base + "/", timeout=30)[2].decode())
            finally:
                code = daemon.stop()
                if code != 0:
                    print(daemon.log_text()[-3000:])
            self.assertEqual(code, 0, f"{name}: feedgate did not exit cleanly")
            print(f"{name}: peak RSS {peak:.0f} MiB (ceiling {CEILING_MIB} MiB)", flush=True)
            HostileSizes.results[name] = peak
            self.assertLess(peak, CEILING_MIB, f"{name}: peak RSS {peak:.0f} MiB")
            return metrics, docs, status
        finally:
            portal.close()
            if demo:
                demo.close()
            shutil.rmtree(tmp, ignore_errors=True)

    @staticmethod
    def item_count(base, fid):
        status, _, body = harness.get(f"{base}/feeds/{fid}.json", timeout=30)
        return len(json.loads(body)["items"]) if status == 200 else -1

    @staticmethod
    def all_polled(base, ids):
        status, _, body = harness.get(base + "/metrics", timeout=30)
        if status != 200:
            return None
        samples = harness.parse_prometheus(body.decode())
        polled = {dict(labels).get("feed"): (dict(labels).get("outcome"), v)
                  for (n, labels), v in samples.items() if n == "feedgate_polls_total"}
        return polled if all(i in polled for i in ids) else None

    def test_list_page_of_two_million_br(self):
        metrics, _, status = self.run_case("2M <br> list page", {"/br": BR_LIST})
        self.assertEqual(metrics["br"][0], "parse_error")
        self.assertIn("list page has more than 100000 elements", status)

    def test_deep_nesting(self):
        metrics, _, _ = self.run_case("45k-deep nesting", {"/deep": DEEP})
        self.assertEqual(metrics["deep"][0], "ok")

    def test_articles_of_7_5_mib(self):
        _, docs, _ = self.run_case(f"{ARTICLES} articles of 7.5 MiB",
                                   {"/big": article_list("/big", ARTICLES)},
                                   items={"big": ARTICLES})
        items = docs["big"]["items"]
        self.assertEqual(len(items), ARTICLES)
        for item in items:
            self.assertLess(len(item["content_html"]), 300 * 1024)
            self.assertIn("Continue reading", item["content_html"])
        self.assertLess(len(json.dumps(docs["big"])), 20 * MIB)

    def test_eight_hostile_feeds_at_once_and_a_normal_one(self):
        lists = {f"/br{i}": BR_LIST for i in range(4)}
        lists.update({f"/big{i}": article_list(f"/big{i}", 3) for i in range(4)})
        demo_articles = json.loads((harness.REPO / "feeds/demo/articles.json").read_text())
        expected = {f"big{i}": 3 for i in range(4)}
        expected["normal"] = len([a for a in demo_articles["articles"] if not a.get("added_later")])
        metrics, docs, _ = self.run_case("8 hostile feeds at once (4x 2M <br>, 4x 3 articles of "
                                         "7.5 MiB) + a normal feed", lists, normal_feed=True,
                                         items=expected)
        for i in range(4):
            self.assertEqual(metrics[f"br{i}"][0], "parse_error")
            self.assertEqual(len(docs[f"big{i}"]["items"]), 3)
        self.assertEqual(metrics["normal"][0], "ok")
        self.assertEqual(len(docs["normal"]["items"]), expected["normal"])


if __name__ == "__main__":
    unittest.main()
