#!/usr/bin/env python3
"""`feedgate migrate` moves a SQLite store to PostgreSQL without losing history: a store filled by
polling the demo portal three times (items trimmed to keep_items, so seq numbers no longer start at 1)
is copied into a throwaway PostgreSQL, and every item row (seq, first_seen, updated, hash), poll
and validator is there; the daemon on PostgreSQL then serves the same feed documents, archive
pages and GUIDs, byte for byte, as it did on SQLite. A second migration into the now non-empty
database is refused."""
import os
import pathlib
import shutil
import sqlite3
import subprocess
import tempfile
import unittest

import harness

BINARY = os.environ.get("FEEDGATE_BIN", str(harness.REPO / "build" / "feedgate"))
PG_SCRIPT = harness.REPO / "tests" / "support" / "pg_test_server.sh"
FEEDS = ["demo", "demo-copy"]
ITEM_COLUMNS = ("feed_id, url, seq, title, published_utc, published_offset_min, published_precision,"
                " author, source, editor, content_html, text, language, site_name, content_hash,"
                " first_seen, updated")


def psql_rows(url, sql):
    """Rows of a query as lists of text (NULL as None), through psql's unaligned output."""
    out = subprocess.run(["psql", url, "-qAtX", "-v", "ON_ERROR_STOP=1", "-F", "\x1f", "-R", "\x1e",
                          "-P", "null=\x1d", "-c", sql], check=True, capture_output=True)
    text = out.stdout.decode("utf-8")
    if not text.strip("\n"):
        return []
    return [[None if v == "\x1d" else v for v in row.split("\x1f")]
            for row in text.rstrip("\n").split("\x1e")]


def sqlite_rows(path, sql):
    with sqlite3.connect(path) as db:
        return [[None if v is None else str(v) for v in row] for row in db.execute(sql)]


class MigrateToPostgres(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # A folder of its own under /tmp (not TMPDIR): as root the server runs as nobody, who
        # must reach it, and a Unix socket's path holds at most 107 bytes.
        cls.pg = pathlib.Path(tempfile.mkdtemp(prefix="feedgate-pg-", dir="/tmp"))
        started = subprocess.run(["bash", str(PG_SCRIPT), "start", str(cls.pg)],
                                 capture_output=True, text=True)
        if started.returncode != 0:
            subprocess.run(["bash", str(PG_SCRIPT), "stop", str(cls.pg)])
            shutil.rmtree(cls.pg, ignore_errors=True)
            reason = started.stderr.strip().removeprefix("SKIPPED: ")
            raise unittest.SkipTest(reason or f"pg_test_server.sh exited {started.returncode}")
        cls.tmp = harness.make_tmpdir("feedgate-migrate-")
        cls.pg_url = started.stdout.strip()
        cls.site = harness.copy_demo_site(cls.tmp / "portal")
        cls.portal = harness.Portal(cls.site)
        cls.db = cls.tmp / "var" / "feedgate.db"
        cls.port = harness.free_port()

    @classmethod
    def tearDownClass(cls):
        subprocess.run(["bash", str(PG_SCRIPT), "stop", str(cls.pg)])
        cls.portal.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        shutil.rmtree(cls.pg, ignore_errors=True)

    def config(self, storage, port=None):
        listen = f"127.0.0.1:{port or harness.free_port()}"
        feeds = "".join(f"""
  - id: {feed}
    url: "{self.portal.url('/index.html')}"
    recipe: demo
""" for feed in FEEDS)
        return f"""
server: {{ listen: "{listen}" }}
storage: {storage}
fetch: {{ timeout: 10s, concurrency: 2, min_gap: 0s, allow_private: true }}
defaults: {{ interval: 1h, max_items: 2, keep_items: 4 }}
feeds:{feeds}"""

    def poll(self, storage):
        path = self.tmp / "poll.yaml"
        path.write_text(self.config(storage), encoding="utf-8")
        env = dict(os.environ, FEEDGATE_RECIPES=str(harness.REPO / "feeds"))
        result = subprocess.run([BINARY, "poll", "-c", str(path)], capture_output=True, text=True,
                                env=env)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def documents(self, storage):
        """Every document a reader can fetch of every feed: current feeds and archive pages."""
        port = self.port  # the same base URL in both runs, as documents name themselves by it
        workdir = self.tmp / ("serve-sqlite" if "path:" in storage else "serve-postgres")
        workdir.mkdir()
        daemon = harness.Daemon(BINARY, workdir, self.config(storage, port))
        base = f"http://127.0.0.1:{port}"
        docs = {}
        try:
            harness.wait_for(lambda: harness.get(base + "/healthz")[0] == 200, 20, "/healthz")
            for feed in FEEDS:
                for ext in ("atom", "json", "rss"):
                    status, headers, body = harness.get(f"{base}/feeds/{feed}.{ext}")
                    self.assertEqual(status, 200, f"{feed}.{ext}")
                    docs[f"{feed}.{ext}"] = (body, headers.get("ETag"))
                # Pages of max_items / 2 = 1 item by seq; those trimmed away answer 404.
                for page in range(1, 10):
                    status, headers, body = harness.get(f"{base}/feeds/{feed}/archive/{page}.atom")
                    if status == 200:
                        docs[f"{feed}/archive/{page}.atom"] = (body, headers.get("ETag"))
        finally:
            self.assertEqual(daemon.stop(), 0, daemon.log_text())
        return docs

    def test_migration_keeps_every_item_guid_poll_and_validator(self):
        sqlite_storage = f'{{ path: "{self.db}" }}'
        pg_storage = f'{{ url: "{self.pg_url}" }}'
        self.poll(sqlite_storage)
        shutil.copy(self.site / "index-next.html", self.site / "index.html")
        self.poll(sqlite_storage)  # each poll stores max_items new links: 2, 4, then 6 trimmed
        harness.touch_later(self.site / "index.html")  # else a 304 would read nothing new
        self.poll(sqlite_storage)
        before = self.documents(sqlite_storage)
        self.assertGreater(len([k for k in before if "/archive/" in k]), 0, "no archive pages")

        result = subprocess.run([BINARY, "migrate", "--from", str(self.db), "--to", self.pg_url],
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        items = sqlite_rows(self.db, f"SELECT {ITEM_COLUMNS} FROM items ORDER BY feed_id, seq")
        polls = sqlite_rows(self.db, "SELECT COUNT(*) FROM polls")[0][0]
        validators = sqlite_rows(self.db, "SELECT url, etag, last_modified, saved FROM validators"
                                          " ORDER BY url")
        self.assertIn(f"feeds={len(FEEDS)} items={len(items)} polls={polls}"
                      f" validators={len(validators)}", result.stdout)
        self.assertEqual(len(items), 4 * len(FEEDS))  # trimmed to keep_items per feed
        self.assertTrue(all(int(row[2]) > 1 for row in items), f"trimming left seq 1: {items}")

        # Row for row: seq, first_seen, updated and content hash are copied, not recomputed.
        self.assertEqual(psql_rows(self.pg_url, f"SELECT {ITEM_COLUMNS} FROM items"
                                                " ORDER BY feed_id, seq"), items)
        self.assertEqual(psql_rows(self.pg_url, "SELECT url, etag, last_modified, saved"
                                                " FROM validators ORDER BY url"), validators)
        self.assertGreater(len(validators), 0)
        poll_columns = "feed_id, started, duration_ms, http_status, new_items, error, bytes"
        self.assertEqual(
            psql_rows(self.pg_url, f"SELECT {poll_columns} FROM polls ORDER BY id"),
            sqlite_rows(self.db, f"SELECT {poll_columns} FROM polls ORDER BY id"))

        # The daemon on PostgreSQL serves what it served on SQLite: same entries, GUIDs, ETags.
        after = self.documents(pg_storage)
        self.assertEqual(sorted(after), sorted(before))
        for name, (body, etag) in before.items():
            self.assertEqual(after[name][0], body, f"{name} differs after the migration")
            self.assertEqual(after[name][1], etag, name)

        again = subprocess.run([BINARY, "migrate", "--from", str(self.db), "--to", self.pg_url],
                               capture_output=True, text=True)
        self.assertEqual(again.returncode, 1)
        self.assertIn("not empty", again.stderr)


if __name__ == "__main__":
    harness.run_tests()
