#!/usr/bin/env python3
"""Scale-up benchmark (run by hand, see README.md): ONE instance with 20,000 feeds at a 15-minute
interval, on SQLite and then on PostgreSQL, against a light local portal (nginx serving one list
page per feed, whose links are the articles already stored: a poll fetches its list page, finds
nothing new, fetches no article).

The store is seeded first (bench_startup_seed, ITEMS items per feed; copied to PostgreSQL with
`feedgate migrate`), then `feedgate serve` is started and timed from its start:
  listen       until it answers at all
  every feed   until /healthz answers 200 (every configured feed servable), and 100 random feeds
               each answer 200 (rendered for the request when the start-up pass has not yet)
  "/"          until the status page answers 200 (every feed's state read from the store)
then the start-up pass (renders every feed no request asked for), VmRSS / VmHWM / open
descriptors after it, the same after MINUTES of polling (polls counted from the log), "/" (first
page, a search by id, the last page) and how long SIGTERM takes to stop it.

    cmake --build build --target feedgate bench_startup_seed
    python3 tests/bench/cluster/scale_up.py [--feeds 20000] [--items 20] [--minutes 3]

Last line: scale_up_feeds=N sqlite_startup_s=… sqlite_rss_mib=… pg_startup_s=… pg_rss_mib=…
(start-up: to every feed servable; RSS: the highest VmRSS seen after the pass and polling).
"""
import argparse
import importlib.util
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "poll"))
import portal as poll_portal  # noqa: E402
from portal import harness  # noqa: E402

# tests/bench/startup/run.py's helpers (loaded by path: this folder has a run.py of its own).
_spec = importlib.util.spec_from_file_location("startup_bench", HERE.parent / "startup" / "run.py")
startup_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(startup_bench)
status_of, timed_get = startup_bench.status_of, startup_bench.timed_get
sample_feeds = startup_bench.sample_feeds

PG_SCRIPT = harness.REPO / "tests" / "support" / "pg_test_server.sh"
POLL = re.compile(r"poll feed=\S+ status=(\d+) .*?fetched=(\d+)")


def loads():
    return "load %.2f %.2f %.2f" % os.getloadavg()


class ListPortal:
    """nginx on 127.0.0.1 serving /l/<i>.html: ITEMS links to /a/<i>/<j>.htm (never fetched:
    the store has them). ETags on, as a portal's list pages usually are."""

    def __init__(self, feeds, items):
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="feedgate-scale-portal-"))
        self.dir.chmod(0o755)  # nginx's workers run as another user
        (self.dir / "t").mkdir()
        (self.dir / "www" / "l").mkdir(parents=True)
        for i in range(feeds):
            links = "".join(f'<li><a href="/a/{i}/{j}.htm">杭州市推进城市更新行动 第{i}-{j}期</a>'
                            f"<span>2023-11-14</span></li>\n" for j in range(items))
            (self.dir / "www" / "l" / f"{i}.html").write_text(
                f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>频道 {i}</title></head>'
                f'<body><ul class="list">\n{links}</ul></body></html>', encoding="utf-8")
        self.port = harness.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        s = self.dir
        (s / "nginx.conf").write_text(poll_portal.nginx_conf(s, self.port, [("/", s / "www")]))
        self.proc = subprocess.Popen(["/usr/sbin/nginx", "-p", str(s), "-c", str(s / "nginx.conf")])
        harness.wait_for(lambda: status_of(f"{self.url}/l/0.html") == 200, 10, "nginx")

    def close(self):
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def config_text(port, storage, portal, feeds, items):
    lines = "".join(f'\n  - {{ id: f{i}, title: "杭州网 频道 {i}", url: "{portal.url}/l/{i}.html" }}'
                    for i in range(feeds))
    return f"""
server: {{ listen: "127.0.0.1:{port}" }}
storage: {storage}
fetch: {{ timeout: 10s, concurrency: 16, per_host: 16, min_gap: 0s, allow_private: true }}
defaults:
  interval: 15m
  max_items: {items}
  links: "ul.list a"
  article: {{ title: "h1", published: ".time", content: "#zoom" }}
feeds:{lines}"""


def proc_status(pid):
    """VmRSS and VmHWM in MiB, and the open descriptors."""
    return dict(startup_bench.memory_mib(pid), fds=len(os.listdir(f"/proc/{pid}/fd")))


def cpu_seconds(pid):
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def seed(binary, seeder, tmp, portal, feeds, items, pg):
    """The store: seeded SQLite, copied to a fresh PostgreSQL database when `pg`."""
    started = time.monotonic()
    subprocess.run([seeder, str(tmp / "seed.db"), str(feeds), str(items), portal.url], check=True)
    if pg is None:
        (tmp / "seed.db").rename(tmp / "feedgate.db")
        return f'{{ path: "{tmp}/feedgate.db" }}', time.monotonic() - started
    db = f"s{int(time.time() * 1000) % 10**9}"
    subprocess.run(["psql", pg, "-qAtX", "-c", f"CREATE DATABASE {db}"], check=True,
                   capture_output=True)
    url = pg.replace("/feedgate?", f"/{db}?")
    subprocess.run([binary, "migrate", "--from", str(tmp / "seed.db"), "--to", url], check=True,
                   capture_output=True)
    return f'{{ url: "{url}" }}', time.monotonic() - started


def run(name, binary, seeder, portal, feeds, items, minutes, pg=None):
    tmp = harness.make_tmpdir("feedgate-bench-scale-")
    try:
        storage, seeded = seed(binary, seeder, tmp, portal, feeds, items, pg)
        print(f"{name}: {feeds} feeds x {items} items seeded in {seeded:.0f} s; {loads()}",
              flush=True)
        started = time.monotonic()
        port = harness.free_port()
        base = f"http://127.0.0.1:{port}"
        daemon = harness.Daemon(binary, tmp, config_text(port, storage, portal, feeds, items))
        try:
            harness.wait_for(lambda: status_of(base + "/healthz") is not None, 600,
                             "feedgate to listen", interval=0.02)
            listen = time.monotonic() - started
            harness.wait_for(lambda: status_of(base + "/healthz") == 200, 600, "every feed",
                             interval=0.05)
            every = time.monotonic() - started
            harness.wait_for(lambda: status_of(base + "/") == 200, 600, "the status page",
                             interval=0.05)
            status_page = time.monotonic() - started
            ok, asked, sample_ms = sample_feeds(base, feeds)
            print(f"  start-up: listening {listen:.2f} s, every feed servable {every:.2f} s, "
                  f"\"/\" {status_page:.2f} s; {ok}/{asked} random "
                  f"feeds 200, {sample_ms:.1f} ms each; {loads()}", flush=True)
            pass_line = harness.wait_for(
                lambda: re.search(r"startup_rendered .*took_ms=(\d+)", daemon.log_text()), 3600,
                "the start-up pass")
            after_pass = proc_status(daemon.proc.pid)
            in_heap = "serve_bodies_in_memory" in daemon.log_text()
            print(f"  start-up pass: {int(pass_line.group(1)) / 1000:.1f} s; then VmRSS "
                  f"{after_pass['VmRSS']:.1f} MiB, VmHWM {after_pass['VmHWM']:.1f} MiB, "
                  f"{after_pass['fds']} open descriptors"
                  f"{'; BODIES IN THE HEAP' if in_heap else ''}; {loads()}", flush=True)
            cpu0, t0, log0 = cpu_seconds(daemon.proc.pid), time.monotonic(), len(daemon.log_text())
            peak = after_pass["VmRSS"]
            while time.monotonic() - t0 < minutes * 60:
                time.sleep(5)
                peak = max(peak, proc_status(daemon.proc.pid)["VmRSS"])
            polls = POLL.findall(daemon.log_text()[log0:])
            wall = time.monotonic() - t0
            cpu = 100 * (cpu_seconds(daemon.proc.pid) - cpu0) / wall
            after_polls = proc_status(daemon.proc.pid)
            ok = sum(1 for s, _ in polls if s in ("200", "304"))
            fetched = sum(int(f) for _, f in polls)
            print(f"  after {minutes} min of polling: {len(polls)} polls ({ok} answered 200/304, "
                  f"{fetched} articles fetched, {len(polls) / wall:.1f}/s), CPU {cpu:.0f}%; "
                  f"VmRSS {after_polls['VmRSS']:.1f} MiB (highest seen {peak:.1f}), VmHWM "
                  f"{after_polls['VmHWM']:.1f} MiB, {after_polls['fds']} open descriptors; "
                  f"{loads()}", flush=True)
            page = timed_get(base + "/")
            search = timed_get(f"{base}/?q=f{feeds - 1}")
            last = timed_get(f"{base}/?page={(feeds + 99) // 100}")
            print(f"  \"/\": {page[1] / 1024:.0f} KiB in {page[2]:.0f} ms; search by id "
                  f"{search[2]:.0f} ms ({search[1] / 1024:.0f} KiB); last page {last[2]:.0f} ms",
                  flush=True)
            stopping = time.monotonic()
            daemon.proc.send_signal(signal.SIGTERM)
            code = daemon.proc.wait(timeout=60)
            print(f"  SIGTERM: exited {code} after {time.monotonic() - stopping:.2f} s", flush=True)
        finally:
            daemon.stop()
        return {"startup": every, "rss": max(peak, after_polls["VmRSS"])}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def start_pg():
    pg_dir = pathlib.Path(tempfile.mkdtemp(prefix="feedgate-pg-", dir="/tmp"))
    started = subprocess.run(["bash", str(PG_SCRIPT), "start", str(pg_dir)], capture_output=True,
                             text=True)
    if started.returncode != 0:
        shutil.rmtree(pg_dir, ignore_errors=True)
        raise SystemExit(f"PostgreSQL did not start: {started.stderr}")
    return pg_dir, started.stdout.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--feeds", type=int, default=20000)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("--minutes", type=float, default=3)
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--build", default=str(harness.REPO / "build"))
    args = ap.parse_args()
    build = pathlib.Path(args.build)
    binary, seeder = build / "feedgate", build / "tests" / "bench" / "bench_startup_seed"
    for tool in (binary, seeder):
        if not tool.exists():
            sys.exit(f"build it first: {tool} missing")
    print(f"{loads()} on {os.cpu_count()} cores", flush=True)
    portal = ListPortal(args.feeds, args.items)
    results = {}
    try:
        backends = args.backends.split(",")
        if "sqlite" in backends:
            results["sqlite"] = run("SQLite", str(binary), str(seeder), portal, args.feeds,
                                    args.items, args.minutes)
        if "postgres" in backends:
            pg_dir, pg_url = start_pg()
            try:
                results["pg"] = run("PostgreSQL", str(binary), str(seeder), portal, args.feeds,
                                    args.items, args.minutes, pg_url)
            finally:
                subprocess.run(["bash", str(PG_SCRIPT), "stop", str(pg_dir)])
                shutil.rmtree(pg_dir, ignore_errors=True)
    finally:
        portal.close()
    fields = [f"scale_up_feeds={args.feeds}"]
    for key in ("sqlite", "pg"):
        if key in results:
            fields += [f"{key}_startup_s={results[key]['startup']:.2f}",
                       f"{key}_rss_mib={results[key]['rss']:.0f}"]
    print(" ".join(fields))


if __name__ == "__main__":
    main()
