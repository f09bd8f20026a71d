#!/usr/bin/env python3
"""The operator's status page in headless Chromium: feedgate serves the demo portal's feeds,
Chromium (talking to nothing but 127.0.0.1) loads "/", the table has a row per feed with its
sparklines, the console shows no errors, and a screenshot is saved as a test artifact."""
import html.parser
import os
import pathlib
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "e2e"))
import harness  # noqa: E402
import chromium  # noqa: E402

BINARY = os.environ.get("FEEDGATE_BIN", str(harness.REPO / "build" / "feedgate"))
ARTIFACTS = pathlib.Path(os.environ.get("FG_BUILD_DIR", harness.REPO / "build")) / "artifacts"
chromium.skip_without_chromium()


class Rows(html.parser.HTMLParser):
    """Collects the status table's rows (<tr id="feed-…">) and their cell texts."""

    def __init__(self):
        super().__init__()
        self.rows, self.cells, self.svgs, self.scripts = {}, None, 0, 0
        self.in_cell = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and attrs.get("id", "").startswith("feed-"):
            self.cells = self.rows.setdefault(attrs["id"][5:], [])
        elif tag == "td" and self.cells is not None:
            self.cells.append("")
            self.in_cell = True
        elif tag == "svg":
            self.svgs += 1
        elif tag == "script":
            self.scripts += 1

    def handle_endtag(self, tag):
        if tag == "tr":
            self.cells = None
        elif tag == "td" and self.cells:
            self.cells[-1] = self.cells[-1].strip()
            self.in_cell = False

    def handle_data(self, data):
        if self.cells and self.in_cell:
            self.cells[-1] += data


class StatusPageInChromium(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.make_tmpdir("feedgate-status-")
        cls.portal = harness.Portal(harness.copy_demo_site(cls.tmp / "portal"))
        cls.port = harness.free_port()
        cls.base = f"http://127.0.0.1:{cls.port}"
        feeds = "".join(f"""  - id: {feed_id}
    title: "{title}"
    url: "{cls.portal.url(path)}"
    recipe: demo
""" for feed_id, title, path in [("demo", "演示网 · 国内新闻", "/index.html"),
                                 ("broken", "Broken channel", "/missing.html")])
        cls.daemon = harness.Daemon(BINARY, cls.tmp, f"""server: {{ listen: "127.0.0.1:{cls.port}" }}
storage: {{ path: "{cls.tmp}/feedgate.db" }}
fetch: {{ allow_private: true, min_gap: 0s }}
feeds:
{feeds}""")
        # The demo feed's items are published together with the status page that counts them.
        harness.wait_for(lambda: harness.get(cls.base + "/feeds/demo.atom")[2].count(b"<entry>") == 6,
                         30, "the demo feed's first poll")
        harness.wait_for(lambda: b"new in 30 d" in harness.get(cls.base + "/")[2]
                         and b"avg " in harness.get(cls.base + "/")[2].split(b"feed-broken")[1],
                         30, "both feeds' first polls on the status page")

    @classmethod
    def tearDownClass(cls):
        harness.shut_down(cls.daemon, cls.portal, cls.tmp)

    def chromium(self, *args):
        return chromium.run_headless(*args)

    @staticmethod
    def console_messages(stderr):
        return chromium.console_messages(stderr)

    def test_console_capture_sees_errors(self):
        # The probe that makes the "no console errors" assertion below able to fail.
        probe = self.tmp / "probe.html"
        probe.write_text("<!DOCTYPE html><script>console.error('fg-probe')</script>")
        _, stderr = self.chromium("--dump-dom", probe.as_uri())
        self.assertTrue(any("fg-probe" in m for m in self.console_messages(stderr)), stderr[-2000:])

    def test_table_rows_and_no_console_errors(self):
        dom, stderr = self.chromium("--dump-dom", self.base + "/")
        self.assertEqual(self.console_messages(stderr), [])
        rows = Rows()
        rows.feed(dom)
        self.assertEqual(list(rows.rows), ["broken", "demo"])  # failing feeds first
        demo, broken = rows.rows["demo"], rows.rows["broken"]
        self.assertEqual(len(demo), 11, demo)
        self.assertEqual(demo[0], "演示网 · 国内新闻")
        self.assertEqual(demo[1], self.portal.url("/index.html"))
        self.assertGreater(int(demo[2]), 0)  # items
        self.assertRegex(demo[3], r"(^|\D)[1-9]\d* new in 30 d$")
        self.assertIn("404", broken[7])  # last error
        self.assertRegex(broken[9], r"avg \d.* over \d+ polls$")  # average poll time
        self.assertEqual(demo[10].split(), ["RSS", "Atom", "JSON"])
        self.assertEqual(rows.svgs, 4)  # two sparklines per feed
        self.assertEqual(rows.scripts, 0)
        self.assertIn('href="/feeds.opml"', dom)

    def test_search_by_id_or_title_without_scripts(self):
        # The search form is a plain GET: the server renders the matching rows.
        for query, expected in [("q=BROKEN", ["broken"]), ("q=%E6%BC%94%E7%A4%BA", ["demo"]),
                                ("q=nothing-like-it", [])]:
            dom, stderr = self.chromium("--dump-dom", f"{self.base}/?{query}")
            self.assertEqual(self.console_messages(stderr), [])
            rows = Rows()
            rows.feed(dom)
            self.assertEqual(list(rows.rows), expected, query)
            self.assertIn('<input type="search" name="q"', dom)
        # Relative times, the absolute UTC time in the title for hover.
        self.assertRegex(harness.get(self.base + "/")[2].decode(),
                         r'<time datetime="[0-9T:-]+Z" title="[0-9 :-]+ UTC">(just now|\d+ min ago)')

    def test_screenshot_artifact(self):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / "status_page.png"
        if shot.exists():
            shot.unlink()
        self.chromium("--screenshot=" + str(shot), "--window-size=1400,600",
                      "--hide-scrollbars", self.base + "/")
        self.assertTrue(shot.exists())
        self.assertEqual(shot.read_bytes()[:8], b"\x89PNG\r\n\x1a\n")
        print(f"\nscreenshot: {shot}", flush=True)


if __name__ == "__main__":
    unittest.main(verbosity=2)
