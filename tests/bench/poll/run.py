#!/usr/bin/env python3
"""Polling benchmark (run by hand, not part of `make test`); see README.md in this folder.

Two phases, because they are bound by different things:
- ingest: a fresh store, F feeds of 20 new ~113 KB article pages each; every article is
  fetched, decoded, parsed, extracted, normalized and stored. Reports articles/s (wall) and CPU
  ms per article (so pages/s per core), until the last of the F feeds' first polls ends.
- steady: N feeds at a 1-minute interval against a store seeded with every listed article (so
  the run starts where a long-running daemon is); list pages answer 304 unless a new article was
  added (--new-per-min of them, at random feeds, full-size). Reports polls/s, lateness p50/p99
  (due → start, the daemon's `late_ms=`), CPU share of a core, CPU s per 1,000 polls, VmRSS
  and VmHWM.

    build/feedgate and /usr/sbin/nginx (deploy/install-deps.sh --with-bench) must exist:
    python3 tests/bench/poll/run.py [--feeds 200,2000] [--seconds 150] [--ingest-feeds 100]

Last line: polls_per_s=… articles_per_s=… rss_mib=… lateness_p99_ms=… (polls, memory and
lateness of the largest steady run; articles/s of the ingest phase).
"""
import argparse
import os
import pathlib
import random
import re
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import portal as fixture  # noqa: E402
from portal import harness  # noqa: E402

POLL_LINE = re.compile(r"poll feed=(\S+) status=(\d+) bytes=\d+ late_ms=(\d+) links=\d+ "
                       r"fetched=(\d+)")


def config_text(tmp, url, feeds):
    feed_lines = "".join(f'\n  - {{ id: f{i}, url: "{url}/l/{i}.html" }}' for i in range(feeds))
    return f"""
server: {{ listen: "127.0.0.1:{harness.free_port()}" }}
storage: {{ path: "{tmp}/feedgate.db" }}
fetch: {{ timeout: 20s, concurrency: 16, per_host: 16, min_gap: 0s, allow_private: true }}
defaults:
  interval: 1m
  max_items: {fixture.ARTICLES}
  links: "ul.list a"
  article: {{ title: "h1", published: ".time", content: "#zoom" }}
feeds:{feed_lines}"""


def cpu_seconds(pid):
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def status_mib(pid, key):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] if s else 0


def polls_of(log):
    """(feed, status, late_ms, articles fetched) of each poll logged."""
    return [(feed, int(s), int(late), int(fetched))
            for feed, s, late, fetched in POLL_LINE.findall(log)]


def ingest(binary, portal, feeds, timeout):
    """Fresh store, full pages: time and CPU until every feed's first poll has ended."""
    portal.reset_lists(feeds)
    portal.serve("full")
    tmp = harness.make_tmpdir("feedgate-bench-ingest-")
    daemon = harness.Daemon(binary, tmp, config_text(tmp, portal.url, feeds))
    t0, cpu0 = time.monotonic(), 0.0
    deadline = t0 + timeout
    def feeds_polled():
        return len({p[0] for p in polls_of(daemon.log_text())})

    while time.monotonic() < deadline and feeds_polled() < feeds:
        time.sleep(0.25)
    wall, cpu = time.monotonic() - t0, cpu_seconds(daemon.proc.pid) - cpu0
    hwm = status_mib(daemon.proc.pid, "VmHWM")
    polls = polls_of(daemon.log_text())
    daemon.stop()
    shutil.rmtree(tmp, ignore_errors=True)
    articles = sum(p[3] for p in polls)
    r = {"feeds": feeds, "polls": len(polls), "articles": articles, "wall": wall,
         "articles_per_s": articles / wall, "cpu_ms_per_article": 1000 * cpu / max(1, articles),
         "hwm_mib": hwm}
    print(f"ingest {feeds} feeds: {len(polls)} polls, {articles} articles in {wall:.1f} s "
          f"= {r['articles_per_s']:.1f} articles/s; {cpu:.1f} CPU s = "
          f"{r['cpu_ms_per_article']:.1f} ms per article "
          f"({1000 / max(r['cpu_ms_per_article'], 1e-9):.0f} per CPU second); VmHWM {hwm:.1f} MiB"
          + ("" if len({p[0] for p in polls}) >= feeds else f" (TIMED OUT after {timeout} s)"),
          flush=True)
    return r


def seed(binary, portal, tmp, feeds):
    """Stores every listed article from the light pages with `feedgate poll` (one round)."""
    portal.serve("light")
    config = tmp / "feedgate.yaml"
    config.write_text(config_text(tmp, portal.url, feeds), encoding="utf-8")
    t0 = time.monotonic()
    env = dict(os.environ, FEEDGATE_RECIPES=str(harness.REPO / "feeds"))
    done = subprocess.run([binary, "poll", "-c", str(config)], env=env, capture_output=True,
                          text=True)
    stored = len(re.findall(r": ok, ", done.stdout))
    print(f"seeded {stored}/{feeds} feeds from light pages in {time.monotonic() - t0:.0f} s",
          flush=True)
    if stored != feeds:
        raise SystemExit("seeding failed:\n" + done.stdout[-2000:] + done.stderr[-2000:])


def steady(binary, portal, feeds, seconds, new_per_min):
    portal.reset_lists(feeds)
    tmp = harness.make_tmpdir("feedgate-bench-poll-")
    seed(binary, portal, tmp, feeds)
    portal.serve("full")
    daemon = harness.Daemon(binary, tmp, (tmp / "feedgate.yaml").read_text(encoding="utf-8"))
    pid = daemon.proc.pid
    editor, stop = fixture.ListEditor(portal), threading.Event()
    rng = random.Random(feeds)

    def add_articles():
        while not stop.wait(60.0 / new_per_min):
            editor.add_article(rng.randrange(feeds))

    adder = threading.Thread(target=add_articles)
    started = time.monotonic()
    # Measured from when it listens: rendering every stored feed at start-up is not steady state.
    harness.wait_for(lambda: "listening" in daemon.log_text(), 600, "feedgate to listen")
    startup = time.monotonic() - started
    print(f"steady {feeds:5d} feeds: start-up (store opened, every feed rendered) "
          f"{startup:.1f} s, {cpu_seconds(pid):.1f} CPU s", flush=True)
    cpu0, t0 = cpu_seconds(pid), time.monotonic()
    adder.start()
    time.sleep(seconds)
    cpu, wall = cpu_seconds(pid) - cpu0, time.monotonic() - t0
    stop.set()
    adder.join()
    rss, hwm = status_mib(pid, "VmRSS"), status_mib(pid, "VmHWM")
    polls = polls_of(daemon.log_text())
    daemon.stop()
    shutil.rmtree(tmp, ignore_errors=True)
    late = [p[2] for p in polls]
    r = {"feeds": feeds, "polls": len(polls), "polls_per_s": len(polls) / wall,
         "new_articles": sum(p[3] for p in polls), "added": editor.added,
         "unchanged_304": sum(p[1] == 304 for p in polls),
         "cpu_per_1000_polls": 1000 * cpu / max(1, len(polls)), "cpu_share": cpu / wall,
         "rss_mib": rss, "hwm_mib": hwm, "lateness_p50_ms": percentile(late, 0.5),
         "lateness_p99_ms": percentile(late, 0.99), "lateness_max_ms": max(late, default=0)}
    print(f"steady {feeds:5d} feeds, {wall:.0f} s: {r['polls']} polls ({r['unchanged_304']} "
          f"answered 304) = {r['polls_per_s']:.1f} polls/s; {r['added']} articles added, "
          f"{r['new_articles']} fetched; {r['cpu_per_1000_polls']:.1f} CPU s per 1000 polls "
          f"({100 * r['cpu_share']:.0f}% of a core); VmRSS {rss:.1f} MiB, VmHWM {hwm:.1f} MiB; "
          f"lateness p50 {r['lateness_p50_ms']} ms, p99 {r['lateness_p99_ms']} ms, max "
          f"{r['lateness_max_ms']} ms", flush=True)
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=150, help="length of each steady run")
    ap.add_argument("--feeds", default="200,2000", help="steady runs, comma-separated")
    ap.add_argument("--ingest-feeds", type=int, default=100, help="0: no ingest phase")
    ap.add_argument("--ingest-timeout", type=int, default=300)
    ap.add_argument("--new-per-min", type=float, default=0.05,
                    help="articles added per minute, as a fraction of the feeds")
    ap.add_argument("--binary", default=str(harness.REPO / "build" / "feedgate"))
    ap.add_argument("--scratch", default="/tmp/feedgate-bench-poll-site")
    args = ap.parse_args()
    sizes = [int(n) for n in args.feeds.split(",") if n]
    portal = fixture.Portal(pathlib.Path(args.scratch), max(sizes + [args.ingest_feeds]))
    try:
        first = ingest(args.binary, portal, args.ingest_feeds, args.ingest_timeout) \
            if args.ingest_feeds else {"articles_per_s": 0.0}
        runs = [steady(args.binary, portal, n, args.seconds, max(1.0, args.new_per_min * n))
                for n in sizes]
    finally:
        portal.close()
    if len(runs) > 1:
        a, b = runs[0], runs[-1]
        print(f"cost growth {a['feeds']}→{b['feeds']} feeds: polls/s ×"
              f"{b['polls_per_s'] / max(a['polls_per_s'], 1e-9):.1f}, CPU per 1000 polls ×"
              f"{b['cpu_per_1000_polls'] / max(a['cpu_per_1000_polls'], 1e-9):.2f}, RSS ×"
              f"{b['rss_mib'] / max(a['rss_mib'], 1e-9):.1f}")
    last = runs[-1] if runs else {"polls_per_s": 0, "rss_mib": 0, "lateness_p99_ms": 0}
    print(f"polls_per_s={last['polls_per_s']:.1f} articles_per_s={first['articles_per_s']:.1f} "
          f"rss_mib={last['rss_mib']:.1f} lateness_p99_ms={last['lateness_p99_ms']}")


if __name__ == "__main__":
    main()
