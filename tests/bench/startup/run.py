#!/usr/bin/env python3
"""Start-up benchmark (run by hand, not part of `make test`): one instance with N feeds at a
15-minute interval on SQLite, its store seeded with ITEMS items per feed (bench_startup_seed, no
polling), started as `feedgate serve`. The feeds' list pages are on a closed port of 127.0.0.1,
so every poll fails at once (as many feeds as the scheduler starts: "failing first" on "/").

For each N (default 2,000 then 20,000), from the process's start:
  listen       until it answers at all (/healthz, any status)
  last feed    until the last configured feed's Atom document answers 200
  every feed   until /healthz answers 200: every configured feed servable
then 100 random feeds' Atom documents (all must answer 200; each not rendered yet is rendered for
its request), the start-up pass that renders the rest (its end, from the log), VmRSS and VmHWM
after it, and "/" (bytes, ms), a search "/?q=<last id>" and the last page of "/"; then a reload
(SIGHUP with the last feed retitled): until it is logged, until the new title is served, and
until the reload's render pass ends.

    cmake --build build --target feedgate bench_startup_seed
    python3 tests/bench/startup/run.py [--feeds 2000,20000] [--items 20]

Last line: startup_s_20000=… rss_mib_20000=… startup_ratio=… (20,000 against 2,000 feeds).
"""
import argparse
import os
import pathlib
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "e2e"))
import harness  # noqa: E402


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when this returns: connections are refused


def config_text(tmp, port, feeds, items):
    dead = closed_port()
    lines = "".join(f'\n  - {{ id: f{i}, title: "杭州网 频道 {i}", url: "http://127.0.0.1:{dead}/l/{i}.html" }}'
                    for i in range(feeds))
    return f"""
server: {{ listen: "127.0.0.1:{port}" }}
storage: {{ path: "{tmp}/feedgate.db" }}
fetch: {{ timeout: 5s, concurrency: 16, per_host: 16, min_gap: 0s, allow_private: true }}
defaults:
  interval: 15m
  max_items: {items}
feeds:{lines}"""


def status_of(url):
    try:
        return harness.get(url, timeout=30)[0]
    except OSError:
        return None


def sample_feeds(base, feeds):
    """Asks for up to 100 random feeds (the same ones for a feed count): how many answered 200
    of how many, and the mean ms each took."""
    sample = random.Random(feeds).sample(range(feeds), min(100, feeds))
    before = time.monotonic()
    ok = sum(status_of(f"{base}/feeds/f{i}.atom") == 200 for i in sample)
    return ok, len(sample), (time.monotonic() - before) * 1000 / len(sample)


def memory_mib(pid):
    out = {}
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


def timed_get(url):
    started = time.monotonic()
    status, _, body = harness.get(url, timeout=60)
    return status, len(body), (time.monotonic() - started) * 1000


def measure_reload(daemon, base, feeds):
    """SIGHUP after the last feed's title changed in the config: until the reload is logged,
    until the feed's Atom document carries the new title, and until the reload's render pass
    ends (every feed's documents rendered again under the new config)."""
    last = f"f{feeds - 1}"
    daemon.config.write_text(daemon.config.read_text().replace(
        f"杭州网 频道 {feeds - 1}\"", "改过的标题\""), encoding="utf-8")
    started = time.monotonic()
    daemon.proc.send_signal(signal.SIGHUP)
    marks = {}
    harness.wait_for(lambda: "reloaded " in daemon.log_text(), 3600, "the reload")
    marks["reloaded"] = time.monotonic() - started
    harness.wait_for(lambda: "改过的标题" in harness.get(f"{base}/feeds/{last}.atom", timeout=60)[2]
                     .decode(), 3600, "the new title")
    marks["retitled"] = time.monotonic() - started
    harness.wait_for(lambda: "reload_rendered " in daemon.log_text(), 3600, "the reload's pass")
    marks["pass"] = time.monotonic() - started
    return marks


def run(binary, seeder, feeds, items):
    tmp = harness.make_tmpdir("feedgate-bench-startup-")
    try:
        started = time.monotonic()
        subprocess.run([seeder, str(tmp / "feedgate.db"), str(feeds), str(items)], check=True)
        seeded = time.monotonic() - started
        port = harness.free_port()
        base = f"http://127.0.0.1:{port}"
        started = time.monotonic()
        daemon = harness.Daemon(binary, tmp, config_text(tmp, port, feeds, items))
        try:
            marks = {}
            for name, url, done in [
                    ("listen", base + "/healthz", lambda s: s is not None),
                    ("last feed", f"{base}/feeds/f{feeds - 1}.atom", lambda s: s == 200),
                    ("every feed", base + "/healthz", lambda s: s == 200)]:
                harness.wait_for(lambda: done(status_of(url)), 1200, name, interval=0.05)
                marks[name] = time.monotonic() - started
            memory = memory_mib(daemon.proc.pid)
            ok, asked, sample_ms = sample_feeds(base, feeds)
            print(f"{feeds:6d} feeds x {items} items (seeded in {seeded:.1f} s): listen "
                  f"{marks['listen']:.2f} s, last feed servable {marks['last feed']:.2f} s, every feed "
                  f"servable {marks['every feed']:.2f} s (VmRSS {memory['VmRSS']:.1f} MiB); "
                  f"{ok} of {asked} random feeds answered 200,  "
                  f"{sample_ms:.1f} ms each", flush=True)
            # The pass that renders every feed no request asked for, on its own thread.
            line = harness.wait_for(lambda: re.search(r"startup_rendered .*took_ms=(\d+)",
                                                      daemon.log_text()), 3600, "the start-up pass")
            marks["pass"] = time.monotonic() - started
            after_pass = memory_mib(daemon.proc.pid)
            in_heap = "serve_bodies_in_memory" in daemon.log_text()
            page = timed_get(base + "/")
            search = timed_get(f"{base}/?q=f{feeds - 1}")
            last_page = timed_get(f"{base}/?page={(feeds + 99) // 100}")
            reload = measure_reload(daemon, base, feeds)
        finally:
            daemon.stop()
        print(f"{'':6s} start-up pass done at {marks['pass']:.1f} s (its own count: "
              f"{int(line.group(1)) / 1000:.1f} s); then VmRSS {after_pass['VmRSS']:.1f} MiB, "
              f"VmHWM {after_pass['VmHWM']:.1f} MiB"
              f"{'; bodies went to the heap: the body file failed' if in_heap else ''}", flush=True)
        print(f"{'':6s} \"/\" {page[1] / 1024:.0f} KiB in {page[2]:.0f} ms; search {search[2]:.0f} ms "
              f"({search[1] / 1024:.0f} KiB); last page {last_page[2]:.0f} ms", flush=True)
        print(f"{'':6s} reload (SIGHUP, one feed retitled): \"reloaded\" logged after "
              f"{reload['reloaded']:.2f} s, the new title served after {reload['retitled']:.2f} s, "
              f"its pass done after {reload['pass']:.1f} s", flush=True)
        return {"startup": marks["every feed"], "rss": after_pass["VmRSS"], "bad": asked - ok,
                "pass": marks["pass"], "reload": reload["retitled"]}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=str(harness.REPO / "build"))
    parser.add_argument("--feeds", default="2000,20000")
    parser.add_argument("--items", type=int, default=20)
    args = parser.parse_args()
    build = pathlib.Path(args.build)
    binary, seeder = build / "feedgate", build / "tests" / "bench" / "bench_startup_seed"
    for tool in (binary, seeder):
        if not tool.exists():
            sys.exit(f"build it first: {tool} missing")
    print(f"uptime: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} "
          f"(load on {os.cpu_count()} cores)", flush=True)
    # Every body shares one open file (serve/body_file.hpp), so this no longer limits the feed
    # count; were that file to fail, bodies would stay in the heap (said below).
    print(f"open files limit (hard): {resource.getrlimit(resource.RLIMIT_NOFILE)[1]}", flush=True)
    results = {n: run(str(binary), str(seeder), n, args.items)
               for n in (int(x) for x in args.feeds.split(","))}
    small, large = min(results), max(results)
    ratio = results[large]["startup"] / results[small]["startup"]
    print(f"startup_s_{large}={results[large]['startup']:.2f} rss_mib_{large}="
          f"{results[large]['rss']:.1f} pass_s_{large}={results[large]['pass']:.1f} "
          f"reload_s_{large}={results[large]['reload']:.2f} "
          f"startup_s_{small}={results[small]['startup']:.2f} startup_ratio={ratio:.2f}")


if __name__ == "__main__":
    main()
