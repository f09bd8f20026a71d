#!/usr/bin/env python3
"""Cluster benchmark (run by hand, see README.md): N feeds at a 1-minute interval against the
nginx portal of tests/bench/poll, first one instance on SQLite, then one, two and three instances
sharing one PostgreSQL. Prints polls/s, lateness, CPU per instance and for PostgreSQL,
transactions per poll, duplicate polls and article fetches, and a last summary line."""
import argparse
import pathlib
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "poll"))
import portal as fixture  # noqa: E402
import run as poll_bench  # noqa: E402
from portal import harness  # noqa: E402

PG_SCRIPT = harness.REPO / "tests" / "support" / "pg_test_server.sh"
INTERVAL_S = 60


def psql(url, sql):
    out = subprocess.run(["psql", url, "-qAtX", "-c", sql], check=True, capture_output=True,
                         text=True)
    return out.stdout.strip()


def pg_cpu_seconds(pg_dir):
    """utime+stime of the server and every backend (children of the postmaster), so far."""
    postmaster = int((pg_dir / "data" / "postmaster.pid").read_text().split()[0])
    total = 0.0
    for stat in pathlib.Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        if pid == postmaster or int(fields[1]) == postmaster:
            total += poll_bench.cpu_seconds(pid)
    return total


def config(tmp, url, feeds, storage):
    """tests/bench/poll's config with another storage line (and cluster.lease on PostgreSQL)."""
    lines = poll_bench.config_text(tmp, url, feeds).split("\n")
    lines = [f"storage: {storage}" if line.startswith("storage:") else line for line in lines]
    if "url:" in storage:
        lines.append("cluster: { lease: 30s }")
    return "\n".join(lines)


# Polls of one feed that started less than half an interval after the previous one: two
# instances polled it. The polls table holds every instance's polls, by start second.
DUPLICATES = f"""SELECT COUNT(*) FROM (SELECT started - LAG(started) OVER
  (PARTITION BY feed_id ORDER BY started, id) AS gap FROM polls WHERE started >= {{since}}) g
  WHERE gap < {INTERVAL_S // 2}"""


def duplicates(pg, tmp, since):
    if pg is None:
        with sqlite3.connect(tmp / "feedgate.db") as db:
            return db.execute(DUPLICATES.format(since=since)).fetchone()[0]
    return int(psql(pg["db_url"], DUPLICATES.format(since=since)))


def run(binary, portal, feeds, seconds, instances, pg):
    """One measured run; `pg` None: one instance on SQLite."""
    portal.reset_lists(feeds)
    tmp = harness.make_tmpdir("feedgate-bench-cluster-")
    if pg is None:
        storage = f'{{ path: "{tmp}/feedgate.db" }}'
    else:
        db = f"b{int(time.time() * 1000) % 10**9}"
        psql(pg["url"], f"CREATE DATABASE {db}")
        storage = f'{{ url: "{pg["url"].replace("/feedgate?", f"/{db}?")}" }}'
        pg["db_url"] = pg["url"].replace("/feedgate?", f"/{db}?")
    (tmp / "feedgate.yaml").write_text(config(tmp, portal.url, feeds, storage), encoding="utf-8")
    portal.serve("light")
    seeded = subprocess.run([binary, "poll", "-c", str(tmp / "feedgate.yaml")],
                            capture_output=True, text=True)
    if seeded.returncode != 0:
        raise SystemExit("seeding failed:\n" + seeded.stdout[-2000:] + seeded.stderr[-2000:])
    portal.serve("full")
    daemons = []
    for i in range(instances):
        workdir = tmp / f"i{i}"
        workdir.mkdir()
        text = config(workdir, portal.url, feeds, storage)
        daemons.append(harness.Daemon(binary, workdir, text))
    for d in daemons:
        harness.wait_for(lambda: "listening" in d.log_text(), 600, "feedgate to listen")
    cpu0 = [poll_bench.cpu_seconds(d.proc.pid) for d in daemons]
    pg0 = pg_cpu_seconds(pg["dir"]) if pg else 0.0
    tx0 = int(psql(pg["db_url"], "SELECT xact_commit + xact_rollback FROM pg_stat_database"
                                 " WHERE datname = current_database()")) if pg else 0
    t0, since = time.monotonic(), int(time.time())
    offsets = [len(d.log_text()) for d in daemons]  # polls before now are not measured
    time.sleep(seconds)
    wall = time.monotonic() - t0
    cpu = [poll_bench.cpu_seconds(d.proc.pid) - c for d, c in zip(daemons, cpu0)]
    pg_cpu = pg_cpu_seconds(pg["dir"]) - pg0 if pg else 0.0
    tx = int(psql(pg["db_url"], "SELECT xact_commit + xact_rollback FROM pg_stat_database"
                                " WHERE datname = current_database()")) - tx0 if pg else 0
    polls, fetched = [], 0
    for d, offset in zip(daemons, offsets):
        for late, articles in ((int(p[2]), p[3])
                               for p in poll_bench.polls_of(d.log_text()[offset:])):
            polls.append(late)
            fetched += articles
    dup = duplicates(pg, tmp, since)
    for d in daemons:
        d.stop()
    shutil.rmtree(tmp, ignore_errors=True)
    name = "sqlite x1" if pg is None else f"postgres x{instances}"
    r = {"name": name, "polls": len(polls), "polls_per_s": len(polls) / wall,
         "p50": poll_bench.percentile(polls, 0.5), "p99": poll_bench.percentile(polls, 0.99),
         "cpu": [100 * c / wall for c in cpu], "pg_cpu": 100 * pg_cpu / wall,
         "tx_per_poll": tx / max(1, len(polls)), "duplicates": dup,
         "articles": fetched}
    print(f"| {name} | {feeds} | {r['polls']} | {r['polls_per_s']:.1f} | {r['p50']} / {r['p99']} |"
          f" {' + '.join(f'{c:.0f}%' for c in r['cpu'])} | {r['pg_cpu']:.0f}% |"
          f" {r['tx_per_poll']:.1f} | {r['duplicates']} | {r['articles']} |", flush=True)
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--feeds", type=int, default=2000)
    ap.add_argument("--seconds", type=int, default=130)
    ap.add_argument("--instances", default="1,2,3")
    ap.add_argument("--binary", default=str(harness.REPO / "build" / "feedgate"))
    ap.add_argument("--scratch", default="/tmp/feedgate-bench-poll-site")
    args = ap.parse_args()
    pg_dir = pathlib.Path(tempfile.mkdtemp(prefix="feedgate-pg-", dir="/tmp"))
    started = subprocess.run(["bash", str(PG_SCRIPT), "start", str(pg_dir)], capture_output=True,
                             text=True)
    if started.returncode != 0:
        raise SystemExit(started.stderr)
    pg = {"dir": pg_dir, "url": started.stdout.strip()}
    portal = fixture.Portal(pathlib.Path(args.scratch), args.feeds)
    print("| run | feeds | polls | polls/s | lateness p50 / p99 ms | CPU per instance |"
          " PostgreSQL CPU | transactions per poll | duplicate polls | article fetches |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    try:
        runs = [run(args.binary, portal, args.feeds, args.seconds, 1, None)]
        for n in [int(x) for x in args.instances.split(",")]:
            runs.append(run(args.binary, portal, args.feeds, args.seconds, n, pg))
    finally:
        portal.close()
        subprocess.run(["bash", str(PG_SCRIPT), "stop", str(pg_dir)])
        shutil.rmtree(pg_dir, ignore_errors=True)
    last = runs[-1]
    per_core = args.feeds / max(sum(last["cpu"]) / 100 / max(1, len(last["cpu"])), 1e-9)
    print(f"projected: {per_core:,.0f} feeds per instance at one core (1-minute interval);"
          f" PostgreSQL {last['pg_cpu'] / args.feeds * 1000:.1f}% of a core per 1,000 feeds")
    print(f"cluster_instances={len(last['cpu'])} polls_per_s={last['polls_per_s']:.1f}"
          f" lateness_p99_ms={last['p99']} pg_cpu_pct={last['pg_cpu']:.0f}"
          f" duplicate_polls={last['duplicates']}")


if __name__ == "__main__":
    main()
