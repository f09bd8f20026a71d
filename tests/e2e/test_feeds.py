#!/usr/bin/env python3
"""End to end: the demo portal served over HTTP on 127.0.0.1, `feedgate serve` polling it, and
real feed-reader clients (python3-feedparser, newsboat) reading what it serves."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import unittest
import xml.etree.ElementTree as ET

import harness

try:
    import feedparser
except ImportError:  # pragma: no cover
    print("SKIPPED: python3-feedparser is not installed (deploy/install-deps.sh --with-tests)")
    sys.exit(77)

BINARY = os.environ.get("FEEDGATE_BIN", str(harness.REPO / "build" / "feedgate"))
ARTICLES = json.loads((harness.REPO / "feeds/demo/articles.json").read_text(encoding="utf-8"))["articles"]
FIRST = [a for a in ARTICLES if not a.get("added_later")]
LATER = [a for a in ARTICLES if a.get("added_later")]
BOILERPLATE = ["热门点击", "版权与免责声明", "相关阅读", "李兰娟", "图片新闻", "关于我们", "原标题", "责任编辑"]
ATOM = "{http://www.w3.org/2005/Atom}"


class FeedsEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.make_tmpdir("feedgate-e2e-")
        cls.site = harness.copy_demo_site(cls.tmp / "portal")
        cls.portal = harness.Portal(cls.site)
        cls.port = harness.free_port()
        cls.base = f"http://127.0.0.1:{cls.port}"
        config = f"""
server: {{ listen: "127.0.0.1:{cls.port}" }}
storage: {{ path: "{cls.tmp}/feedgate.db" }}
fetch: {{ timeout: 10s, max_body: 4MiB, concurrency: 4, per_host: 2, min_gap: 0s, allow_private: true }}
defaults: {{ interval: 10s, max_items: 50, timezone: Asia/Shanghai }}
feeds:
  - id: demo
    title: "演示网 · 国内新闻"
    url: "{cls.portal.url('/index.html')}"
    recipe: demo
"""
        cls.daemon = harness.Daemon(BINARY, cls.tmp, config)
        harness.wait_for(lambda: harness.get(cls.base + "/healthz")[0] == 200, 10, "/healthz")
        harness.wait_for(lambda: cls.atom_entry_count() == len(FIRST), 20, "the first poll's items")

    @classmethod
    def tearDownClass(cls):
        harness.shut_down(cls.daemon, cls.portal, cls.tmp)

    @classmethod
    def atom_entry_count(cls):
        status, _, body = harness.get(cls.base + "/feeds/demo.atom")
        return status == 200 and len(ET.fromstring(body).findall(ATOM + "entry"))

    def parsed(self, ext):
        status, headers, body = harness.get(f"{self.base}/feeds/demo.{ext}")
        self.assertEqual(status, 200)
        # Like a reader that fetched it: feedparser picks the JSON Feed parser by Content-Type.
        feed = feedparser.parse(body, response_headers={"content-type": headers["Content-Type"]})
        self.assertEqual(feed.bozo, 0, f"{ext}: {feed.get('bozo_exception')}")
        return feed, headers, body

    def check_entries(self, entries):
        """entries: (link, title, author, html body) per item."""
        self.assertEqual(len(entries), len(FIRST))
        by_link = {e[0]: e for e in entries}
        for a in FIRST:
            link = self.portal.url(f"/content_{a['id']}.htm")
            self.assertIn(link, by_link)
            _, title, author, body = by_link[link]
            self.assertEqual(title, a["title"])
            if a["author"]:
                self.assertEqual(author, a["author"])
            for paragraph in a["paragraphs"]:
                self.assertIn(paragraph, body)
            for junk in BOILERPLATE:
                self.assertNotIn(junk, body)

    def test_1_rss_and_atom_parse_with_every_article(self):
        for ext, ctype in (("rss", "application/rss+xml"), ("atom", "application/atom+xml")):
            with self.subTest(format=ext):
                feed, headers, _ = self.parsed(ext)
                self.assertTrue(headers["Content-Type"].startswith(ctype), headers["Content-Type"])
                self.assertIn("charset=utf-8", headers["Content-Type"])
                self.check_entries([(e.link, e.title, e.get("author"), e.content[0].value)
                                    for e in feed.entries])

    def test_1_json_feed_is_valid_with_every_article(self):
        # Debian 12's feedparser (6.0.10) predates JSON Feed support, so JSON Feed 1.1's required
        # structure is checked here directly.
        status, headers, body = harness.get(self.base + "/feeds/demo.json")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("application/feed+json"))
        doc = json.loads(body)
        self.assertEqual(doc["version"], "https://jsonfeed.org/version/1.1")
        self.assertEqual(doc["feed_url"], self.base + "/feeds/demo.json")
        self.assertTrue(doc["title"])
        for item in doc["items"]:
            self.assertEqual(item["id"], item["url"])
            self.assertTrue("content_html" in item or "content_text" in item)
        self.check_entries([(i["url"], i["title"], (i.get("authors") or [{}])[0].get("name"),
                             i.get("content_html", "")) for i in doc["items"]])

    def test_2_published_times_keep_the_portals_offset(self):
        _, _, body = harness.get(self.base + "/feeds/demo.atom")
        root = ET.fromstring(body)
        published = {e.find(ATOM + "link").get("href"): e.find(ATOM + "published").text
                     for e in root.findall(ATOM + "entry")}
        for a in FIRST:
            self.assertEqual(published[self.portal.url(f"/content_{a['id']}.htm")], a["published"])
        for item in json.loads(harness.get(self.base + "/feeds/demo.json")[2])["items"]:
            self.assertTrue(item["date_published"].endswith("+08:00"), item["date_published"])

    def test_3_newsboat_stores_every_item(self):
        newsboat = shutil.which("newsboat")
        if newsboat is None:
            self.skipTest("newsboat is not installed (deploy/install-deps.sh --with-tests)")
        home = self.tmp / "newsboat-home"
        home.mkdir(exist_ok=True)
        urls = home / "urls"
        urls.write_text(self.base + "/feeds/demo.atom\n")
        cache = home / "cache.db"
        result = subprocess.run([newsboat, "-x", "reload", "-u", str(urls), "-c", str(cache),
                                 "-C", str(home / "config")],
                                env=dict(os.environ, HOME=str(home)), capture_output=True,
                                timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr.decode(errors="replace"))
        with sqlite3.connect(cache) as db:
            count = db.execute("select count(*) from rss_item").fetchone()[0]
            titles = {row[0] for row in db.execute("select title from rss_item")}
        self.assertEqual(count, len(FIRST))
        self.assertIn(FIRST[0]["title"], titles)

    def test_4_conditional_get_and_a_new_article(self):
        status, headers, _ = harness.get(self.base + "/feeds/demo.atom")
        old_etag = headers["ETag"]
        self.assertEqual(harness.get(self.base + "/feeds/demo.atom",
                                     {"If-None-Match": old_etag})[0], 304)

        # The portal publishes one more article.
        shutil.copy(self.site / "index-next.html", self.site / "index.html")
        harness.touch_later(self.site / "index.html")
        harness.wait_for(lambda: self.atom_entry_count() == len(FIRST) + 1, 30,
                         "the second poll's new item")
        feed, headers, _ = self.parsed("atom")
        new_etag = headers["ETag"]
        self.assertNotEqual(new_etag, old_etag)
        titles = [e.title for e in feed.entries]
        self.assertEqual(titles.count(LATER[0]["title"]), 1)
        self.assertEqual(harness.get(self.base + "/feeds/demo.atom",
                                     {"If-None-Match": old_etag})[0], 200)
        self.assertEqual(harness.get(self.base + "/feeds/demo.atom",
                                     {"If-None-Match": new_etag})[0], 304)
        # Article pages already stored were not fetched again.
        fetched = [p for p in self.portal.requests if p.startswith("/content_")]
        self.assertEqual(len(fetched), len(set(fetched)), fetched)

    def test_5_opml_status_page_and_errors(self):
        status, headers, body = harness.get(self.base + "/feeds.opml")
        self.assertEqual(status, 200)
        outline = ET.fromstring(body).find(".//outline")
        self.assertEqual(outline.get("xmlUrl"), self.base + "/feeds/demo.atom")
        status, _, page = harness.get(self.base + "/")
        self.assertEqual(status, 200)
        self.assertIn("演示网 · 国内新闻", page.decode())
        self.assertEqual(harness.get(self.base + "/feeds/nope.atom")[0], 404)
        self.assertEqual(harness.get(self.base + "/nope")[0], 404)


if __name__ == "__main__":
    unittest.main(verbosity=2)
