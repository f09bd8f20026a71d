#!/usr/bin/env python3
"""Polling benchmark (run by hand, not part of `make test`): a generated fixture portal on
127.0.0.1 with N list pages × 20 articles, feedgate polling N feeds at a 1-minute interval.
Prints polls/s, articles fetched+extracted per second, CPU seconds per 1,000 polls, resident
memory and scheduling lateness (due → start, from the daemon's `late_ms=` log field), for 200
feeds and then for 2,000 feeds. Last line: polls_per_s=… articles_per_s=… rss_mib=…
lateness_p99_ms=… (of the 2,000-feed run).

    build/feedgate must exist:  python3 tests/bench/poll/run.py [--seconds 90] [--feeds 200,2000]
"""
import argparse
import http.server
import os
import pathlib
import re
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "e2e"))
import harness  # noqa: E402

ARTICLES = 20
STAMP = "Sun, 01 Mar 2020 08:00:00 GMT"  # every page's Last-Modified: polls after the first get 304
PARAGRAPH = "<p>" + "杭州市今天召开新闻发布会，介绍了全市重点项目的最新进展情况。" * 8 + "</p>\n"


def list_page(feed):
    links = "".join(f'<li><a href="/a/{feed}/{j}.htm">第{feed}频道 新闻{j}</a></li>\n'
                    for j in range(ARTICLES))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>频道 {feed}</title></head>
<body><div class="nav"><a href="/">首页</a></div><ul class="list">
{links}</ul></body></html>""".encode()


def article_page(feed, j):
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>第{feed}频道 新闻{j}</title>
</head><body><h1>第{feed}频道 新闻{j}</h1><div class="time">2020-03-01 {j % 24:02d}:00:00</div>
<div id="zoom">{PARAGRAPH * 12}</div></body></html>""".encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.headers.get("If-Modified-Since") == STAMP:
            self.send_response(304)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        m = re.fullmatch(r"/l/(\d+)\.html", self.path) or re.fullmatch(r"/a/(\d+)/(\d+)\.htm",
                                                                        self.path)
        if not m:
            self.send_error(404)
            return
        body = list_page(int(m[1])) if len(m.groups()) == 1 else article_page(int(m[1]), int(m[2]))
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Last-Modified", STAMP)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def cpu_seconds(pid):
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values, q):
    if not values:
        return 0
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def run(binary, feeds, seconds):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    portal = f"http://127.0.0.1:{server.server_address[1]}"
    tmp = harness.make_tmpdir("feedgate-bench-poll-")
    feed_lines = "".join(f'\n  - {{ id: f{i}, url: "{portal}/l/{i}.html" }}' for i in range(feeds))
    config = f"""
server: {{ listen: "127.0.0.1:{harness.free_port()}" }}
storage: {{ path: "{tmp}/feedgate.db" }}
fetch: {{ timeout: 20s, concurrency: 16, per_host: 16, min_gap: 0s, allow_private: true }}
defaults:
  interval: 1m
  max_items: {ARTICLES}
  links: "ul.list a"
  article: {{ title: "h1", published: ".time", content: "#zoom" }}
feeds:{feed_lines}"""
    daemon = harness.Daemon(binary, tmp, config)
    pid = daemon.proc.pid
    time.sleep(0.5)
    cpu0, t0, peak = cpu_seconds(pid), time.monotonic(), 0.0
    while time.monotonic() - t0 < seconds:
        time.sleep(1)
        peak = max(peak, rss_mib(pid))
    cpu, wall = cpu_seconds(pid) - cpu0, time.monotonic() - t0
    log = daemon.log_text()
    daemon.stop()
    server.shutdown()
    polls = re.findall(r"poll feed=\S+ status=(\d+) bytes=\d+ late_ms=(\d+) links=\d+ "
                       r"fetched=(\d+)", log)
    late = [int(p[1]) for p in polls]
    articles = sum(int(p[2]) for p in polls)
    r = {"feeds": feeds, "polls": len(polls), "polls_per_s": len(polls) / wall,
         "articles_per_s": articles / wall, "cpu_per_1000_polls": 1000 * cpu / max(1, len(polls)),
         "cpu_share": cpu / wall, "rss_mib": peak, "lateness_p50_ms": percentile(late, 0.5),
         "lateness_p99_ms": percentile(late, 0.99), "unchanged_304": sum(p[0] == "304" for p in polls)}
    print(f"{feeds:5d} feeds, {wall:.0f} s: {r['polls']} polls ({r['unchanged_304']} answered 304), "
          f"{r['polls_per_s']:.1f} polls/s, {r['articles_per_s']:.1f} articles/s, "
          f"{r['cpu_per_1000_polls']:.1f} CPU s per 1000 polls ({100 * r['cpu_share']:.0f}% of a "
          f"core), RSS {r['rss_mib']:.1f} MiB, lateness p50 {r['lateness_p50_ms']} ms "
          f"p99 {r['lateness_p99_ms']} ms", flush=True)
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=90)
    ap.add_argument("--feeds", default="200,2000")
    ap.add_argument("--binary", default=str(harness.REPO / "build" / "feedgate"))
    args = ap.parse_args()
    results = [run(args.binary, int(n), args.seconds) for n in args.feeds.split(",")]
    if len(results) > 1:
        a, b = results[0], results[-1]
        print(f"cost growth {a['feeds']}→{b['feeds']} feeds: polls/s ×"
              f"{b['polls_per_s'] / max(a['polls_per_s'], 1e-9):.1f}, RSS ×"
              f"{b['rss_mib'] / max(a['rss_mib'], 1e-9):.1f}, CPU per 1000 polls ×"
              f"{b['cpu_per_1000_polls'] / max(a['cpu_per_1000_polls'], 1e-9):.2f}")
    last = results[-1]
    print(f"polls_per_s={last['polls_per_s']:.1f} articles_per_s={last['articles_per_s']:.1f} "
          f"rss_mib={last['rss_mib']:.1f} lateness_p99_ms={last['lateness_p99_ms']}")


if __name__ == "__main__":
    main()
