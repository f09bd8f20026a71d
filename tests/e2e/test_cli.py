#!/usr/bin/env python3
"""The subcommands a user runs by hand: check, poll, extract, help and --version."""
import json
import os
import re
import shutil
import subprocess
import unittest

import harness

BINARY = os.environ.get("FEEDGATE_BIN", str(harness.REPO / "build" / "feedgate"))
ENV = dict(os.environ, FEEDGATE_RECIPES=str(harness.REPO / "feeds"))


def run(*args, **kw):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, timeout=60, env=ENV, **kw)


class Cli(unittest.TestCase):
    def setUp(self):
        self.tmp = harness.make_tmpdir("feedgate-cli-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_version_and_help(self):
        r = run("--version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^feedgate \d+\.\d+\.\d+")
        r = run("help")
        self.assertEqual(r.returncode, 0)
        for command in ("serve", "check", "poll", "extract"):
            self.assertIn(command, r.stdout)
        self.assertEqual(run("frobnicate").returncode, 2)

    def test_check_accepts_the_bundled_config(self):
        r = run("check", "-c", str(harness.REPO / "config" / "feedgate.yaml"))
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_check_reports_every_problem_with_its_position(self):
        bad = self.tmp / "bad.yaml"
        bad.write_text("""feeds:
  - id: demo
    url: "http://127.0.0.1:1/"
    intervl: 10m
  - id: demo
    url: "http://127.0.0.1:1/x"
    interval: soon
    links: "ul >> a"
""")
        r = run("check", "-c", str(bad))
        self.assertEqual(r.returncode, 2)
        lines = r.stderr.splitlines()
        def has(line_col, *words):
            return any(l.startswith(f"{bad}:{line_col}:") and all(w in l for w in words) for l in lines)
        self.assertTrue(has("4:5", "intervl", 'did you mean "interval"'), r.stderr)
        self.assertTrue(has("5:9", "duplicate"), r.stderr)
        self.assertTrue(has("7:15", "duration"), r.stderr)
        self.assertTrue(any(l.startswith(f"{bad}:8:") and "selector" in l for l in lines), r.stderr)

    def test_poll_once_prints_a_line_per_feed(self):
        site = harness.copy_demo_site(self.tmp / "site")
        config = self.tmp / "poll.yaml"
        config.write_text(f"""
storage: {{ path: "{self.tmp}/poll.db" }}
feeds:
  - id: demo
    url: "file://{site}/index.html"
    recipe: demo
  - id: missing
    url: "file://{self.tmp}/no-such-dir/index.html"
""")
        r = run("poll", "-c", str(config))
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)  # one feed failed
        self.assertRegex(r.stdout, r"(?m)^demo: ok, 6 links, 6 fetched, 6 new")
        self.assertRegex(r.stdout, r"(?m)^missing: FAILED")
        r = run("poll", "-c", str(config), "--feed", "demo")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertRegex(r.stdout, r"(?m)^demo: ok, list page unchanged|^demo: ok, 6 links, 0 fetched, 0 new")

    def test_extract_prints_the_article_as_json(self):
        page = harness.DEMO_SITE / "content_7003.htm"  # GBK, charset only in <meta>
        r = run("extract", "--base-url", "http://www.example.com/gn/content_7003.htm", str(page))
        self.assertEqual(r.returncode, 0, r.stderr)
        a = json.loads(r.stdout)
        self.assertEqual(set(a) >= {"url", "title", "published", "author", "source", "content_html", "text"}, True)
        self.assertEqual(a["url"], "http://www.example.com/gn/content_7003.htm")
        self.assertEqual(a["title"], "浙江发布春节假期出行提示 高速公路免费通行")
        self.assertEqual(a["published"], "2020-01-27T09:05:00+08:00")
        self.assertEqual(a["source"], "浙江在线")
        self.assertIn("全省高速公路对七座以下小型客车继续实行免费通行政策", a["text"])
        self.assertNotIn("热门点击", a["text"])

    def test_extract_list_prints_links(self):
        config = harness.REPO / "config" / "feedgate.yaml"
        r = run("extract", "--list", "-c", str(config), "--feed", "demo",
                str(harness.DEMO_SITE / "index.html"))
        self.assertEqual(r.returncode, 0, r.stderr)
        links = json.loads(r.stdout)
        self.assertEqual(len(links), 6)
        self.assertTrue(all(re.search(r"content_\d+\.htm$", l["url"]) for l in links))

    def test_extract_missing_file_says_so(self):
        r = run("extract", str(self.tmp / "nope.html"))
        self.assertEqual(r.returncode, 1)
        self.assertIn("nope.html", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
