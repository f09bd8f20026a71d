#!/usr/bin/env python3
"""The /preview page in headless Chromium with JavaScript off: a person loads /preview, types
the demo portal's channel URL and submits; the page shows the links, the first article's fields
with their rules and a YAML entry, read back from the DOM, and a screenshot that is not blank.
A URL the address policy refuses shows the refusal. Everything listens on 127.0.0.1."""
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


class PreviewDom(html.parser.HTMLParser):
    """What the page shows: link texts, field values and rules, the YAML, the refusal."""

    def __init__(self):
        super().__init__()
        self.links, self.fields, self.yaml, self.refusal = [], {}, "", ""
        self.scripts, self.body_text = 0, ""
        self.where, self.field, self.cell, self.stack = None, None, None, []

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in self.VOID:
            self.stack.append(self.where)
        if tag == "script":
            self.scripts += 1
        if attrs.get("id") == "found-links":
            self.where = "links"
        elif attrs.get("id") == "yaml-entry":
            self.where = "yaml"
        elif attrs.get("id") == "refusal":
            self.where = "refusal"
        elif attrs.get("id") == "article-body":
            self.where = "body"
        elif tag == "a" and self.where == "links":
            self.links.append("")
            self.where = "link"
        elif tag == "tr" and attrs.get("id", "").startswith("field-"):
            self.field = attrs["id"][6:]
            self.fields[self.field] = {}
        elif tag == "td" and self.field:
            self.cell = attrs.get("class")
            self.fields[self.field][self.cell] = ""

    def handle_endtag(self, tag):
        if tag == "tr":
            self.field = None
        if tag == "td":
            self.cell = None
        if self.stack and tag not in self.VOID:
            self.where = self.stack.pop()

    def handle_data(self, data):
        if self.where == "link":
            self.links[-1] += data
        elif self.where == "yaml":
            self.yaml += data
        elif self.where == "refusal":
            self.refusal += data
        elif self.where == "body":
            self.body_text += data
        elif self.field and self.cell:
            self.fields[self.field][self.cell] += data


def read_page(html):
    dom = PreviewDom()
    dom.feed(html)
    return dom


class PreviewInChromium(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.make_tmpdir("feedgate-preview-")
        cls.portal = harness.Portal(harness.copy_demo_site(cls.tmp / "portal"))
        cls.port = harness.free_port()
        cls.base = f"http://127.0.0.1:{cls.port}"
        # Private addresses stay refused; only the demo portal's own address is trusted.
        cls.daemon = harness.Daemon(BINARY, cls.tmp, f"""server: {{ listen: "127.0.0.1:{cls.port}" }}
storage: {{ path: "{cls.tmp}/feedgate.db" }}
fetch: {{ min_gap: 0s, trusted_peers: ["127.0.0.1:{cls.portal.port}"] }}
preview: {{ enabled: true, rate: 30/min, concurrency: 2 }}
feeds: []
""")
        harness.wait_for(lambda: harness.get(cls.base + "/healthz")[0] == 200, 30, "the daemon")
        cls.browser = chromium.Browser(javascript=False)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        harness.shut_down(cls.daemon, cls.portal, cls.tmp)

    def submit(self, url):
        self.browser.navigate(self.base + "/preview")
        form = read_page(self.browser.html())
        self.assertEqual(form.links, [])
        self.browser.type_into("#url", url)
        self.browser.click("button[type=submit]")
        return read_page(self.browser.html())

    def test_demo_portal(self):
        page = self.submit(self.portal.url("/index.html"))
        self.assertEqual(page.refusal, "")
        self.assertEqual(page.scripts, 0)
        self.assertGreaterEqual(len(page.links), 6, page.links)
        self.assertTrue(all(text.strip() for text in page.links))
        fields = page.fields
        self.assertTrue(fields["title"]["value"].strip(), fields)
        self.assertTrue(fields["title"]["rule"].strip(), fields)
        self.assertRegex(fields["published"]["value"], r"^\d{4}-\d\d-\d\dT")
        self.assertTrue(fields["source"]["value"].strip() or fields["author"]["value"].strip())
        self.assertGreater(len(page.body_text.strip()), 50)
        self.assertIn("  - id: 127-0-0-1\n", page.yaml)
        self.assertIn(f'    url: "{self.portal.url("/index.html")}"\n', page.yaml)
        shot = self.browser.screenshot()
        # Text, links, tables: not blank (counted at half size: decoding is pure Python).
        self.assertGreater(chromium.png_colours(self.browser.screenshot(scale=0.5)), 50)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "preview.png").write_bytes(shot)
        print(f"\nscreenshot: {ARTIFACTS / 'preview.png'}", flush=True)

    def test_address_policy_refusal(self):
        # feedgate's own address: loopback and not trusted, so the policy refuses it.
        page = self.submit(self.base + "/healthz")
        self.assertIn("Refused by the address policy", page.refusal)
        self.assertIn("fetch.allow_private", page.refusal)
        self.assertEqual(page.links, [])
        status, _, _ = harness.get(self.base + "/preview?url=" + self.base + "/healthz")
        self.assertEqual(status, 403)

    def test_blank_screenshot_is_detected(self):
        # The probe that makes the "not blank" assertion above able to fail.
        self.browser.navigate("about:blank")
        self.assertLessEqual(chromium.png_colours(self.browser.screenshot(full_page=False)), 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
