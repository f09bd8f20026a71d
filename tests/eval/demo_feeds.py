#!/usr/bin/python3
"""Writes every feed document feedgate serves for the demo portal into OUT, one file per URL
(body, then a header file with the headers that carry meaning).

usage: demo_feeds.py FEEDGATE OUT [--db DB]

Used to prove a refactor of publishing changes nothing: run it with the binary before, then with
the binary after and `--db BEFORE_OUT/feedgate.db` (the same stored items, so the same times),
and compare the folders with `diff -r`. Without --db it polls a copy of feeds/demo/site once
(`feedgate poll`) and keeps the database in OUT/feedgate.db. The served config has a feed served
with fewer items than it stored (so it has RFC 5005 archive pages), a second reading of the same
page and a merged feed. It is served from a portal folder that is not there, so the start-up
poll stores nothing and the documents name the same place in every run.
"""

import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "e2e"))
import harness  # noqa: E402

HEADERS = ["Content-Type", "ETag", "Last-Modified", "Cache-Control", "Link"]


def config(site, db, port, demo_max_items):
    """site: the portal folder; None: a folder that is not there (the same in every run)."""
    site = site or "/nonexistent/feedgate-demo-site"
    return f"""
server: {{ listen: "127.0.0.1:{port}", base_url: "http://feeds.example/" }}
storage: {{ path: "{db}" }}
defaults: {{ interval: 1h, max_items: 50, keep_items: 50, timezone: Asia/Shanghai }}
feeds:
  - id: demo
    title: "演示网 · 国内新闻"
    url: "file://{site}/index.html"
    recipe: demo
    max_items: {demo_max_items}
  - id: wide
    url: "file://{site}/index.html"
    recipe: demo
  - id: both
    title: "merged"
    merge: [demo, wide]
    max_items: 4
"""


def fetch_all(base, out):
    paths = ["/feeds.opml"]
    for feed in ["demo", "wide", "both"]:
        paths += [f"/feeds/{feed}.{ext}" for ext in ["rss", "atom", "json"]]
    page = 1
    while harness.get(f"{base}/feeds/demo/archive/{page}.atom")[0] == 200:
        paths += [f"/feeds/demo/archive/{page}.{ext}" for ext in ["rss", "atom", "json"]]
        page += 1
    for path in paths:
        status, headers, body = harness.get(base + path)
        name = path.strip("/").replace("/", "_")
        (out / name).write_bytes(body)
        # The OPML is rebuilt with the status page, so its validators carry the time it was built.
        kept = HEADERS if path != "/feeds.opml" else ["Content-Type", "Cache-Control"]
        meta = [f"status {status}"] + [f"{h}: {headers.get(h)}" for h in kept]
        (out / (name + ".headers")).write_text("\n".join(meta) + "\n", encoding="utf-8")
    return len(paths), page - 1


def main():
    args = sys.argv[1:]
    db_from = None
    if len(args) == 4 and args[2] == "--db":
        db_from = pathlib.Path(args[3]).resolve()
        args = args[:2]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    binary, out = str(pathlib.Path(args[0]).resolve()), pathlib.Path(args[1])
    out.mkdir(parents=True, exist_ok=True)
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="feedgate-demo-feeds-"))
    env = dict(os.environ, FEEDGATE_RECIPES=str(harness.REPO / "feeds"))
    try:
        site, db, port = tmp / "site", tmp / "feedgate.db", harness.free_port()
        cfg = tmp / "feedgate.yaml"
        # Polled with room for every article, served with two per feed document: archive pages.
        cfg.write_text(config(site, db, port, 50), encoding="utf-8")
        if db_from:
            shutil.copy(db_from, db)
        else:
            harness.copy_demo_site(site)
            subprocess.run([binary, "poll", "-c", str(cfg)], env=env, check=True,
                           stdout=subprocess.DEVNULL)
            shutil.rmtree(site)
            shutil.copy(db, out / "feedgate.db")
        daemon = harness.Daemon(binary, tmp, config(None, db, port, 2))
        base = f"http://127.0.0.1:{port}"
        try:
            harness.wait_for(lambda: harness.get(base + "/feeds/both.json")[0] == 200, 20,
                             "the feeds to be published")
            time.sleep(0.5)  # the status thread's OPML follows the feeds
            count, pages = fetch_all(base, out)
        finally:
            daemon.stop()
        print(f"{count} documents ({pages} archive pages) in {out}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
