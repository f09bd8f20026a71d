#!/usr/bin/env python3
"""A full disk: the store and the prepared feed bodies live on a small tmpfs, which is filled up
before a poll that has a new article to store. The daemon must stay up, serve every stored
document byte-identical, report the error (/metrics, log), and store the new article once space returns.

Needs root (to mount the tmpfs); SKIPPED with the reason otherwise."""
import json
import os
import shutil
import subprocess
import sys
import unittest

import harness

BINARY = os.environ.get("FEEDGATE_BIN", str(harness.REPO / "build" / "feedgate"))
FORMATS = ("atom", "rss", "json")


def mount_tmpfs(path, size):
    """None when mounted, else why not."""
    if os.geteuid() != 0:
        return "not root: mounting a small tmpfs needs root"
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                       capture_output=True, text=True)
    return None if r.returncode == 0 else f"cannot mount a tmpfs: {r.stderr.strip()}"


def fill(path):
    """Writes zeros to a file in `path` until the file system is full; returns its size."""
    written = 0
    chunk = b"\0" * 65536
    with open(path / "filler", "wb", buffering=0) as f:
        try:
            while True:
                written += f.write(chunk)
        except OSError:
            pass
        try:  # the last bytes a smaller write can still take
            while f.write(b"\0" * 512):
                written += 512
        except OSError:
            pass
    return written


class DiskFull(unittest.TestCase):
    def setUp(self):
        self.tmp = harness.make_tmpdir("feedgate-diskfull-")
        self.data = self.tmp / "data"
        self.data.mkdir()
        why = mount_tmpfs(self.data, "12m")
        if why:
            shutil.rmtree(self.tmp, ignore_errors=True)
            print(f"SKIPPED: {why}")
            sys.exit(77)
        self.site = harness.copy_demo_site(self.tmp / "site")
        self.portal = harness.Portal(self.site)
        self.port = harness.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        config = f"""
server: {{ listen: "127.0.0.1:{self.port}" }}
storage: {{ path: "{self.data}/feedgate.db" }}
fetch: {{ min_gap: 0s, trusted_peers: ["127.0.0.1:{self.portal.port}"] }}
defaults: {{ interval: 2s, max_backoff: 10s }}
feeds:
  - id: demo
    url: "{self.portal.url('/index.html')}"
    recipe: demo
"""
        self.daemon = harness.Daemon(BINARY, self.tmp, config)

    def tearDown(self):
        code = self.daemon.stop()
        self.portal.close()
        subprocess.run(["umount", str(self.data)], check=False)
        if code != 0:
            print(self.daemon.log_text())
        shutil.rmtree(self.tmp, ignore_errors=True)
        self.assertEqual(code, 0, "feedgate did not exit cleanly on SIGTERM")

    def documents(self):
        return {f: harness.get(f"{self.base}/feeds/demo.{f}")[2] for f in FORMATS}

    def items(self):
        status, _, body = harness.get(f"{self.base}/feeds/demo.json")
        return [i["title"] for i in json.loads(body)["items"]] if status == 200 else []

    def test_full_disk_keeps_documents_and_recovers(self):
        articles = json.loads(
            (harness.REPO / "feeds/demo/articles.json").read_text(encoding="utf-8"))["articles"]
        first = [a for a in articles if not a.get("added_later")]
        later = [a for a in articles if a.get("added_later")]
        harness.wait_for(lambda: len(self.items()) == len(first), 30, "the first poll's items")
        before = self.documents()

        # The new article is large (~300 KiB of text), so that storing it needs new blocks: a
        # small one could fit in the WAL file's space that SQLite reuses after a checkpoint.
        page = self.site / "content_7007.htm"
        text = page.read_text(encoding="utf-8")
        cut = text.index("</p>") + 4
        page.write_text(text[:cut] + "<p>城市建设的进展情况。</p>\n" * 10000 + text[cut:],
                        encoding="utf-8")
        filled = fill(self.data)
        shutil.copy(self.site / "index-next.html", self.site / "index.html")
        harness.touch_later(self.site / "index.html")

        def store_errors():
            samples = harness.parse_prometheus(harness.get(self.base + "/metrics")[2].decode())
            return sum(v for (name, labels), v in samples.items()
                       if name == "feedgate_polls_total" and dict(labels).get("outcome") ==
                       "store_error")
        harness.wait_for(lambda: store_errors() >= 1, 30, "a poll to fail with store_error")
        self.assertIn("database or disk is full", self.daemon.log_text())
        self.assertIsNone(self.daemon.proc.poll(), "feedgate exited on a full disk")
        self.assertEqual(harness.get(self.base + "/healthz")[0], 200)
        self.assertEqual(self.documents(), before, "a stored document changed on a full disk")
        self.assertEqual(len(self.items()), len(first))

        os.remove(self.data / "filler")
        harness.wait_for(lambda: len(self.items()) == len(first) + 1, 40,
                         "the new article once space returned")
        self.assertIn(later[0]["title"], self.items())
        print(f"disk full ({filled // 1024} KiB filler on a 12 MiB tmpfs): daemon up, "
              f"{len(FORMATS)} documents byte-identical with {len(first)} items, error in /metrics (store_error) and the log; "
              f"after freeing space the new item was stored ({len(first) + 1} items)")


if __name__ == "__main__":
    unittest.main()
