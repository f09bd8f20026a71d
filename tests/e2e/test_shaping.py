#!/usr/bin/env python3
"""End to end: RSSHub's query parameters on the demo feed in RSS, Atom and JSON Feed (filters,
filter_time, limit, brief, opencc), validators of shaped variants, refusals (400), a hostile
pattern against a long title, and the config's filter/opencc/same_as."""
import gzip
import json
import os
import re
import sys
import time
import unittest
import urllib.parse

import harness

try:
    import feedparser
except ImportError:  # pragma: no cover
    print("SKIPPED: python3-feedparser is not installed (deploy/install-deps.sh --with-tests)")
    sys.exit(77)
if not os.path.exists("/usr/share/opencc/s2t.json"):  # pragma: no cover
    print("SKIPPED: libopencc-data is not installed (deploy/install-deps.sh)")
    sys.exit(77)

BINARY = os.environ.get("FEEDGATE_BIN", str(harness.REPO / "build" / "feedgate"))
ARTICLES = json.loads((harness.REPO / "feeds/demo/articles.json").read_text(encoding="utf-8"))["articles"]
FIRST = [a for a in ARTICLES if not a.get("added_later")]
FORMATS = ("rss", "atom", "json")
LONG_TITLE_ID = 7004  # its title gets a long run of "a" here, for the hostile pattern
LONG_RUN = "a" * 3000 + "!"
TITLES = {a["id"]: a["title"] + (LONG_RUN if a["id"] == LONG_TITLE_ID else "") for a in FIRST}
# Two titles in Traditional characters as OpenCC s2t writes them.
HANT = {7002: "杭州地鐵三期工程首段開通試運營 沿線居民出行更便捷",
        7006: "杭州美麗城鎮建設成效顯著 一批特色小鎮入選省級樣板"}


def ids_where(predicate):
    return sorted(a["id"] for a in FIRST if predicate(a))


def text_of(a):
    return "".join(a["paragraphs"])


class ShapingEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.make_tmpdir("feedgate-shaping-")
        cls.site = harness.copy_demo_site(cls.tmp / "portal")
        page = cls.site / f"content_{LONG_TITLE_ID}.htm"
        html = page.read_text(encoding="utf-8")
        page.write_text(html.replace("颁奖典礼</h1>", "颁奖典礼" + LONG_RUN + "</h1>"), encoding="utf-8")
        cls.portal = harness.Portal(cls.site)
        cls.port = harness.free_port()
        cls.base = f"http://127.0.0.1:{cls.port}"
        config = f"""
server: {{ listen: "127.0.0.1:{cls.port}", shaped_cache: 4MiB }}
storage: {{ path: "{cls.tmp}/feedgate.db" }}
fetch: {{ timeout: 10s, concurrency: 4, per_host: 2, min_gap: 0s, allow_private: true }}
defaults: {{ interval: 1h, max_items: 50 }}
feeds:
  - id: demo
    url: "{cls.portal.url('/index.html')}"
    recipe: demo
  - id: demo-hant
    same_as: demo
    title: "演示网 繁体"
    opencc: s2t
  - id: demo-hz
    same_as: demo
    filter:
      include: {{ title: "杭州" }}
      exclude: {{ description: "地铁集团" }}
"""
        cls.daemon = harness.Daemon(BINARY, cls.tmp, config)
        harness.wait_for(lambda: harness.get(cls.base + "/healthz")[0] == 200, 10, "/healthz")
        harness.wait_for(lambda: len(cls.ids("/feeds/demo.atom")) == len(FIRST), 30, "the first poll")

    @classmethod
    def tearDownClass(cls):
        harness.shut_down(cls.daemon, cls.portal, cls.tmp)

    @classmethod
    def fetch(cls, path, headers=None):
        return harness.get(cls.base + path, headers)

    @classmethod
    def parsed(cls, path):
        """(feed title, [entry]) with entry = {id, link, title, summary}, from any format:
        feedparser for RSS and Atom, json for JSON Feed (this feedparser does not read it)."""
        status, headers, body = cls.fetch(path)
        assert status == 200, (path, status, body[:200])
        if headers["Content-Type"].startswith("application/feed+json"):
            doc = json.loads(body)
            title = doc["title"]
            entries = [{"link": i["url"], "title": i["title"], "summary": i.get("summary", "")}
                       for i in doc["items"]]
        else:
            feed = feedparser.parse(body, response_headers={"content-type": headers["Content-Type"]})
            assert not feed.bozo, (path, feed.get("bozo_exception"))
            title = feed.feed.title
            entries = [{"link": e.link, "title": e.title, "summary": e.get("summary", "")}
                       for e in feed.entries]
        for e in entries:
            e["id"] = int(re.search(r"content_(\d+)", e["link"]).group(1))
        return title, entries

    @classmethod
    def ids(cls, path):
        return sorted(e["id"] for e in cls.parsed(path)[1])

    def query(self, fmt, **params):
        return f"/feeds/demo.{fmt}?" + urllib.parse.urlencode(params)

    def test_each_filter_parameter_in_every_format(self):
        cases = [
            ({"filter_title": "杭州"}, ids_where(lambda a: "杭州" in a["title"])),
            ({"filter": "疫情|花灯"}, ids_where(lambda a: re.search("疫情|花灯", a["title"] + text_of(a)))),
            ({"filter_description": "地铁集团"}, ids_where(lambda a: "地铁集团" in text_of(a))),
            ({"filter_author": "^王"}, ids_where(lambda a: a["author"].startswith("王"))),
            ({"filterout": "杭州"}, ids_where(lambda a: "杭州" not in a["title"] + text_of(a))),
            ({"filterout_title": "杭州|浙江"}, ids_where(lambda a: not re.search("杭州|浙江", a["title"]))),
            ({"filterout_description": "记者"}, ids_where(lambda a: "记者" not in text_of(a))),
            ({"filterout_author": "陈静"}, ids_where(lambda a: a["author"] != "陈静")),
            ({"filter_title": "杭州", "filter_case_sensitive": "false"},
             ids_where(lambda a: "杭州" in a["title"])),
            ({"filter_time": "3600"}, []),  # the demo's articles are from 2020
            ({"filter_time": "999999999"}, ids_where(lambda a: True)),
            # limit counts after filtering, newest first.
            ({"filter_title": "杭州", "limit": "1"},
             [max((a for a in FIRST if "杭州" in a["title"]), key=lambda a: a["published"])["id"]]),
        ]
        for params, expected in cases:
            self.assertTrue(expected or "filter_time" in params, params)  # a case that says something
            for fmt in FORMATS:
                with self.subTest(params=params, fmt=fmt):
                    self.assertEqual(self.ids(self.query(fmt, **params)), expected)

    def test_brief_and_opencc_in_every_format(self):
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                entries = self.parsed(self.query(fmt, brief="100"))[1]
                self.assertEqual(len(entries), len(FIRST))
                for e in entries:
                    summary = re.sub(r"<[^>]+>", "", e["summary"])
                    self.assertLessEqual(len(summary), 100, summary)
                    self.assertGreater(len(summary), 10)
                entries = self.parsed(self.query(fmt, opencc="s2t"))[1]
                titles = {e["id"]: e["title"] for e in entries}
                for i, hant in HANT.items():
                    self.assertEqual(titles[i], hant)
                for e in entries:  # URLs untouched
                    self.assertTrue(e["link"].startswith(self.portal.url("/content_")), e["link"])

    def test_a_variant_validates_like_a_feed(self):
        path = self.query("atom", filter_title="杭州", opencc="s2t")
        status, headers, body = self.fetch(path)
        self.assertEqual(status, 200)
        etag = headers["ETag"]
        self.assertRegex(etag, r'^"[0-9a-f]{16}-[0-9a-f]{16}"$')
        self.assertIn("max-age=", headers["Cache-Control"])
        self.assertEqual(self.fetch(path, {"If-None-Match": etag})[0], 304)
        other_path = self.query("atom", filter_title="杭州")
        other = self.fetch(other_path)[1]["ETag"]
        plain = self.fetch("/feeds/demo.atom")[1]["ETag"]
        self.assertNotEqual(other, etag)
        self.assertEqual(self.fetch(path, {"If-None-Match": other})[0], 200)
        self.assertEqual(self.fetch(path, {"If-None-Match": plain})[0], 200)
        self.assertEqual(self.fetch(other_path, {"If-None-Match": etag})[0], 200)
        # The same variant spelled another way is the same variant.
        respelled = "/feeds/demo.atom?opencc=s2t&utm_source=x&filter_title=" + urllib.parse.quote("杭州")
        self.assertEqual(self.fetch(respelled, {"If-None-Match": etag})[0], 304)
        status, zipped_headers, zipped = self.fetch(path, {"Accept-Encoding": "gzip"})
        self.assertEqual(zipped_headers.get("Content-Encoding"), "gzip")
        self.assertEqual(gzip.decompress(zipped), body)
        self.assertEqual(self.fetch(path, {"Accept-Encoding": "gzip", "If-None-Match": zipped_headers["ETag"]})[0], 304)
        # HEAD: the headers of the GET, no body.
        req = urllib.request.Request(self.base + path, method="HEAD")
        with urllib.request.urlopen(req, timeout=5) as r:
            self.assertEqual(r.status, 200)
            self.assertEqual(r.headers["ETag"], etag)
            self.assertEqual(int(r.headers["Content-Length"]), len(body))
            self.assertEqual(r.read(), b"")

    def test_hostile_pattern_is_answered_without_backtracking(self):
        path = self.query("atom", filter_title="(a+)+$")
        started = time.monotonic()
        status, _, body = self.fetch(path)
        elapsed_ms = (time.monotonic() - started) * 1000
        self.assertEqual(status, 200)
        # "(a+)+$" cannot match a title ending in "!": no item, and no exponential search.
        self.assertEqual(self.ids(path), [])
        print(f"hostile pattern (a+)+$ against a {len(LONG_RUN)}-character title: "
              f"first request {elapsed_ms:.2f} ms (rendered), ", end="")
        started = time.monotonic()
        self.fetch(path)
        print(f"then {(time.monotonic() - started) * 1000:.2f} ms (cached)")

    def test_refusals_name_the_parameter(self):
        for name, value in [("filter_title", "(unclosed"), ("filterout", "a" * 257),
                            ("brief", "50"), ("opencc", "s2x"), ("filter_time", "soon"),
                            ("filter_author", "(a)\\1")]:
            for fmt in FORMATS:
                with self.subTest(name=name, fmt=fmt):
                    status, headers, body = self.fetch(self.query(fmt, **{name: value}))
                    self.assertEqual(status, 400)
                    self.assertTrue(body.decode().startswith(name + ": "), body)
                    self.assertEqual(headers["Cache-Control"], "no-store")
        # Unknown parameters are ignored, and other paths are not shaped.
        self.assertEqual(self.fetch("/feeds/demo.atom?mode=fulltext")[2], self.fetch("/feeds/demo.atom")[2])
        self.assertEqual(self.fetch("/?brief=5")[0], 200)

    def test_config_shaping_and_same_as(self):
        title, entries = self.parsed("/feeds/demo-hant.atom")
        self.assertEqual(title, "演示網 繁體")
        titles = {e["id"]: e["title"] for e in entries}
        self.assertEqual(sorted(titles), ids_where(lambda a: True))
        for i, title in HANT.items():
            self.assertEqual(titles[i], title)
        expected = ids_where(lambda a: "杭州" in a["title"] and "地铁集团" not in text_of(a))
        self.assertTrue(expected)
        for fmt in FORMATS:
            self.assertEqual(self.ids(f"/feeds/demo-hz.{fmt}"), expected)
        # Query parameters shape a same_as feed too, on top of its config.
        self.assertEqual(self.ids("/feeds/demo-hant.json?filter_title=" + urllib.parse.quote("杭州")),
                         ids_where(lambda a: "杭州" in a["title"]))
        # Only the demo feed polls the portal: its article pages were fetched once each.
        fetched = [p for p in self.portal.requests if p.startswith("/content_")]
        self.assertEqual(len(fetched), len(set(fetched)), fetched)


if __name__ == "__main__":
    unittest.main(verbosity=2)
