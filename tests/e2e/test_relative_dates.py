#!/usr/bin/env python3
"""End to end: the demo portal's 滚动新闻 channel (latest.html) dates its stories only on the list
page, the way portals write recent ones (刚刚, 25分钟前, 3小时前, 昨天 09:30). `feedgate serve`
polls it; each item's publication time is the list's date read against the time of the poll, at
the precision written, and its byline is kept apart (作者, 来源, 编辑) in the three formats and
closes the content. `feedgate extract --list --fetched` prints the same dates on a fixed clock."""
import datetime
import json
import os
import shutil
import subprocess
import unittest
import xml.etree.ElementTree as ET

import harness

BINARY = os.environ.get("FEEDGATE_BIN", str(harness.REPO / "build" / "feedgate"))
LATEST = json.loads((harness.REPO / "feeds/demo/articles.json").read_text(encoding="utf-8"))[
    "latest"]["articles"]
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"


def expected_dates(list_date, read_at):
    """The RFC 3339 texts `list_date` may stand for when read at `read_at` (Shanghai time)."""
    t = read_at.astimezone(SHANGHAI).replace(microsecond=0)
    if list_date == "刚刚":
        return t
    if list_date.endswith("分钟前"):
        return (t - datetime.timedelta(minutes=int(list_date[:-3]))).replace(second=0)
    if list_date.endswith("小时前"):
        return (t - datetime.timedelta(hours=int(list_date[:-3]))).replace(minute=0, second=0)
    if list_date.startswith("昨天 "):
        hour, minute = map(int, list_date.split(" ")[1].split(":"))
        return (t - datetime.timedelta(days=1)).replace(hour=hour, minute=minute, second=0)
    raise ValueError(list_date)


def possible(list_date, before, after):
    """Every reading between the two clock readings around the poll (whole seconds apart)."""
    out, t = set(), before
    while t <= after:
        out.add(expected_dates(list_date, t).isoformat())
        t += datetime.timedelta(seconds=1)
    return out


class RelativeDates(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.make_tmpdir("feedgate-reldates-")
        cls.site = harness.copy_demo_site(cls.tmp / "portal")
        cls.portal = harness.Portal(cls.site)
        cls.port = harness.free_port()
        cls.base = f"http://127.0.0.1:{cls.port}"
        config = f"""
server: {{ listen: "127.0.0.1:{cls.port}" }}
storage: {{ path: "{cls.tmp}/feedgate.db" }}
fetch: {{ timeout: 10s, concurrency: 4, per_host: 2, min_gap: 0s, allow_private: true }}
defaults: {{ interval: 1h, timezone: Asia/Shanghai }}
feeds:
  - id: latest
    title: "演示网 · 滚动新闻"
    url: "{cls.portal.url('/latest.html')}"
    recipe: demo
  - id: latest-plain
    url: "{cls.portal.url('/latest.html')}"
    recipe: demo
    byline_in_content: false
"""
        cls.before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        cls.daemon = harness.Daemon(BINARY, cls.tmp, config)
        harness.wait_for(lambda: cls.items("latest") and cls.items("latest-plain"), 30,
                         "both feeds' first poll")
        cls.after = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        cls.after += datetime.timedelta(seconds=1)

    @classmethod
    def tearDownClass(cls):
        harness.shut_down(cls.daemon, cls.portal, cls.tmp)

    @classmethod
    def items(cls, feed):
        status, _, body = harness.get(f"{cls.base}/feeds/{feed}.json")
        items = json.loads(body)["items"] if status == 200 else []
        return items if len(items) == len(LATEST) else None

    def by_url(self, items, key="url"):
        return {i[key].rsplit("/", 1)[1]: i for i in items}

    def test_list_dates_become_publication_times(self):
        items = self.by_url(self.items("latest"))
        for a in LATEST:
            with self.subTest(list_date=a["list_date"]):
                item = items[f"content_{a['id']}.htm"]
                self.assertIn(item["date_published"],
                              possible(a["list_date"], self.before, self.after))

    def test_never_later_than_the_poll(self):
        for item in self.items("latest"):
            published = datetime.datetime.fromisoformat(item["date_published"])
            self.assertLessEqual(published, self.after)

    def test_bylines_in_three_formats(self):
        json_items = self.by_url(self.items("latest"))
        status, _, body = harness.get(f"{self.base}/feeds/latest.atom")
        self.assertEqual(status, 200)
        entries = {e.find(ATOM + "id").text.rsplit("/", 1)[1]: e
                   for e in ET.fromstring(body).findall(ATOM + "entry")}
        status, _, body = harness.get(f"{self.base}/feeds/latest.rss")
        self.assertEqual(status, 200)
        rss = {i.find("link").text.rsplit("/", 1)[1]: i
               for i in ET.fromstring(body).find("channel").findall("item")}
        for a in LATEST:
            name = f"content_{a['id']}.htm"
            with self.subTest(article=name):
                item, entry, rss_item = json_items[name], entries[name], rss[name]
                author = entry.find(ATOM + "author")
                self.assertEqual(author.find(ATOM + "name").text if author is not None else "",
                                 a["author"])
                self.assertEqual(entry.findtext(DC + "source"), a["source"])
                self.assertEqual(rss_item.findtext(DC + "creator") or "", a["author"])
                self.assertEqual(rss_item.findtext(DC + "source"), a["source"])
                self.assertEqual(rss_item.findtext(DC + "contributor") or "", a["editor"])
                self.assertEqual(entry.findtext(DC + "contributor") or "", a["editor"])
                self.assertEqual(item.get("authors", [{}])[0].get("name", ""), a["author"])
                self.assertEqual(item["_feedgate"]["source"], a["source"])
                parts = [f"{label}：{value}" for label, value in
                         (("来源", a["source"]), ("作者", a["author"]), ("编辑", a["editor"]))
                         if value]
                self.assertTrue(item["content_html"].endswith(
                    '<p class="feedgate-byline">' + "\u3000".join(parts) + "</p>"),
                    item["content_html"])

    def test_byline_in_content_off(self):
        for item in self.items("latest-plain"):
            self.assertNotIn("feedgate-byline", item["content_html"])
            self.assertIn("_feedgate", item)  # the byline is still there, as fields

    def test_extract_list_prints_each_links_date_on_a_fixed_clock(self):
        config = harness.REPO / "config" / "feedgate.yaml"
        r = subprocess.run([BINARY, "extract", "--list", "-c", str(config), "--feed", "demo",
                            "--fetched", "2026-12-02T00:10:00+08:00", str(self.site / "latest.html")],
                           capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, FEEDGATE_RECIPES=str(harness.REPO / "feeds")))
        self.assertEqual(r.returncode, 0, r.stderr)
        dates = {l["url"].rsplit("/", 1)[1]: (l.get("date"), l.get("date_precision"))
                 for l in json.loads(r.stdout)}
        self.assertEqual(dates, {
            "content_7101.htm": ("2026-12-02T00:10:00+08:00", "time"),
            "content_7102.htm": ("2026-12-01T23:45:00+08:00", "time"),
            "content_7103.htm": ("2026-12-01T21:00:00+08:00", "hour"),
            "content_7104.htm": ("2026-12-01T09:30:00+08:00", "time"),
        })


if __name__ == "__main__":
    unittest.main()
