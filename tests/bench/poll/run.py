#!/usr/bin/env python3
"""Polling benchmark (run by hand, not part of `make test`): nginx serves a generated fixture
portal on 127.0.0.1 (N list pages × 20 articles of ~100 KB, static files written once to a
scratch dir, ETag on so re-polls get 304); feedgate polls N feeds at a 1-minute interval.
Prints polls/s, articles fetched+extracted per second, CPU seconds per 1,000 polls, resident
memory (VmRSS now and VmHWM peak) and scheduling lateness (due → start, from the daemon's
`late_ms=` log field), for 200 feeds and then for 2,000 feeds. Last line: polls_per_s=…
articles_per_s=… rss_mib=… lateness_p99_ms=… (of the last run).

    build/feedgate and /usr/sbin/nginx (deploy/install-deps.sh --with-bench) must exist:
    python3 tests/bench/poll/run.py [--seconds 150] [--feeds 200,2000] [--scratch DIR]
Extra environment for the daemon (e.g. MALLOC_ARENA_MAX=2) can be given as --env K=V.
"""
import argparse
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "e2e"))
import harness  # noqa: E402

ARTICLES = 20
SENTENCE = "杭州市今天召开新闻发布会，介绍了全市重点项目的最新进展情况，市民普遍关注。"
NAV = "".join(f'<li><a href="/channel/{i}/">栏目{i}</a></li>' for i in range(60))
SIDEBAR = "".join(f'<li><a href="/a/hot/{i}.htm" title="{SENTENCE[:20]}">{SENTENCE[:24]}</a>'
                  f'<span class="date">2020-03-01</span></li>\n' for i in range(150))
SCRIPT = "<script>var _hmt=_hmt||[];(function(){var hm=document.createElement('script');" \
    "hm.src='/js/stat.js';})();</script>\n"
# Inline styles and scripts, as portals ship them: the bulk of a ~100 KB page that is not text.
STYLE = "<style>" + "".join(f".c{i}{{margin:0 auto;width:{i}px;font:12px/1.5 'Microsoft YaHei'}}"
                            for i in range(400)) + "</style>\n"
BIG_SCRIPT = "<script>var cfg=" + repr([f"item{i}" for i in range(1500)]) + ";</script>\n"


def list_page(feed):
    links = "".join(f'<li><a href="/a/{feed}/{j}.htm">第{feed}频道 新闻{j}</a>'
                    f'<span>2020-03-01</span></li>\n' for j in range(ARTICLES))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>频道 {feed}</title>
{SCRIPT}</head><body><div class="nav"><ul>{NAV}</ul></div><ul class="list">
{links}</ul><div class="side"><ul>{SIDEBAR[:6000]}</ul></div></body></html>"""


def article_page(feed, j):
    body = "".join(f'<p style="text-indent:2em">{SENTENCE * 3}（{k}）</p>\n' for k in range(12))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="keywords" content="杭州,新闻"><title>第{feed}频道 新闻{j}_杭州网</title>
<link rel="stylesheet" href="/css/main.css">{STYLE}{BIG_SCRIPT}{SCRIPT * 4}</head><body>
<div class="top"><div class="nav"><ul>{NAV}</ul></div></div>
<div class="main"><div class="crumb"><a href="/">首页</a> &gt; <a href="/l/{feed}.html">频道{feed}</a></div>
<h1>第{feed}频道 新闻{j}</h1><div class="time">2020-03-01 {j % 24:02d}:00:00 来源：杭州日报</div>
<div id="zoom">{body}</div>
<div class="editor">责任编辑：张三</div></div>
<div class="side"><h3>热点新闻</h3><ul>{SIDEBAR}</ul></div>
<div class="links"><ul>{SIDEBAR}</ul></div><div class="footer">杭州网 版权所有 浙ICP备00000000号 {SCRIPT}</div></body></html>"""


def write_site(root, feeds):
    """Writes list and article files once; a marker records how many feeds are there."""
    if any(int(m.stem.split("-")[1]) >= feeds for m in root.glob("site-*.done")):
        return
    marker = root / f"site-{feeds}.done"
    t0 = time.monotonic()
    for i in range(feeds):
        (root / "a" / str(i)).mkdir(parents=True, exist_ok=True)
        (root / "l").mkdir(exist_ok=True)
        (root / "l" / f"{i}.html").write_text(list_page(i), encoding="utf-8")
        for j in range(ARTICLES):
            (root / "a" / str(i) / f"{j}.htm").write_text(article_page(i, j), encoding="utf-8")
    marker.touch()
    size = (root / "a" / "0" / "0.htm").stat().st_size
    print(f"wrote {feeds} list pages × {ARTICLES} articles of {size / 1024:.0f} KiB in "
          f"{time.monotonic() - t0:.0f} s", flush=True)


def start_nginx(scratch, site):
    port = harness.free_port()
    conf = scratch / "nginx.conf"
    conf.write_text(f"""daemon off; worker_processes 1; pid {scratch}/nginx.pid;
error_log {scratch}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off; sendfile on; etag on; keepalive_requests 100000;
  client_body_temp_path {scratch}/t; proxy_temp_path {scratch}/t; fastcgi_temp_path {scratch}/t;
  uwsgi_temp_path {scratch}/t; scgi_temp_path {scratch}/t;
  types {{ text/html html htm; }}
  charset utf-8;
  server {{ listen 127.0.0.1:{port}; root {site}; }}
}}
""")
    proc = subprocess.Popen(["/usr/sbin/nginx", "-p", str(scratch), "-c", str(conf)])
    harness.wait_for(lambda: harness.get(f"http://127.0.0.1:{port}/l/0.html")[0] == 200, 10,
                     "nginx to serve the fixture portal")
    return proc, f"http://127.0.0.1:{port}"


def proc_stat(pid):
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def status_mib(pid, key):
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values, q):
    if not values:
        return 0
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def run(binary, portal, feeds, seconds, extra_env):
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
    saved = {k: os.environ.get(k) for k in extra_env}
    os.environ.update(extra_env)
    daemon = harness.Daemon(binary, tmp, config)
    for k, v in saved.items():
        os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    pid = daemon.proc.pid
    time.sleep(0.5)
    cpu0, t0 = proc_stat(pid), time.monotonic()
    while time.monotonic() - t0 < seconds:
        time.sleep(1)
    cpu, wall = proc_stat(pid) - cpu0, time.monotonic() - t0
    rss, hwm = status_mib(pid, "VmRSS"), status_mib(pid, "VmHWM")
    log = daemon.log_text()
    daemon.stop()
    polls = re.findall(r"poll feed=\S+ status=(\d+) bytes=\d+ late_ms=(\d+) links=\d+ "
                       r"fetched=(\d+)", log)
    late = [int(p[1]) for p in polls]
    articles = sum(int(p[2]) for p in polls)
    r = {"feeds": feeds, "polls": len(polls), "polls_per_s": len(polls) / wall,
         "articles": articles, "articles_per_s": articles / wall,
         "cpu_per_1000_polls": 1000 * cpu / max(1, len(polls)), "cpu_share": cpu / wall,
         "rss_mib": rss, "hwm_mib": hwm, "lateness_p50_ms": percentile(late, 0.5),
         "lateness_p99_ms": percentile(late, 0.99),
         "unchanged_304": sum(p[0] == "304" for p in polls)}
    print(f"{feeds:5d} feeds, {wall:.0f} s: {r['polls']} polls ({r['unchanged_304']} answered 304), "
          f"{r['polls_per_s']:.1f} polls/s, {articles} articles = {r['articles_per_s']:.1f}/s, "
          f"{r['cpu_per_1000_polls']:.1f} CPU s per 1000 polls ({100 * r['cpu_share']:.0f}% of a "
          f"core), VmRSS {rss:.1f} MiB VmHWM {hwm:.1f} MiB, lateness p50 "
          f"{r['lateness_p50_ms']} ms p99 {r['lateness_p99_ms']} ms", flush=True)
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=150)
    ap.add_argument("--feeds", default="200,2000")
    ap.add_argument("--binary", default=str(harness.REPO / "build" / "feedgate"))
    ap.add_argument("--scratch", default="/tmp/feedgate-bench-poll-site")
    ap.add_argument("--env", action="append", default=[], help="K=V for the daemon")
    args = ap.parse_args()
    sizes = [int(n) for n in args.feeds.split(",")]
    scratch = pathlib.Path(args.scratch)
    (scratch / "t").mkdir(parents=True, exist_ok=True)
    write_site(scratch / "site", max(sizes))
    nginx, portal = start_nginx(scratch, scratch / "site")
    extra_env = dict(kv.split("=", 1) for kv in args.env)
    try:
        results = [run(args.binary, portal, n, args.seconds, extra_env) for n in sizes]
    finally:
        nginx.terminate()
        nginx.wait()
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
