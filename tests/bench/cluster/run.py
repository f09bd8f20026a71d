#!/usr/bin/env python3
"""Cluster benchmark (run by hand, see README.md): N feeds at a 1-minute interval against the
nginx portal of tests/bench/poll, first one instance on SQLite, then one, two and three instances
sharing one PostgreSQL. Prints polls/s, lateness, CPU per instance and for PostgreSQL,
statements and transactions per poll, duplicate polls and article fetches, and a last summary
line. Everything it starts (nginx, PostgreSQL, the instances) is stopped and every folder and
database it makes is removed, also when it fails or is interrupted."""
import argparse
import os
import pathlib
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "poll"))
import portal as fixture  # noqa: E402
import run as poll_bench  # noqa: E402
from portal import harness  # noqa: E402

PG_SCRIPT = harness.REPO / "tests" / "support" / "pg_test_server.sh"
INTERVAL_S = 60
LEASE = "30s"


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
            pid = int(stat.parent.name)
            if pid == postmaster or int(fields[1]) == postmaster:
                total += poll_bench.cpu_seconds(pid)
        except (OSError, IndexError):
            continue  # a backend that ended meanwhile
    return total


class Postgres:
    """The throwaway server, with pg_stat_statements loaded to count statements; the store is
    seeded once into a template database and each run gets a copy of it."""

    def __init__(self):
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="feedgate-pg-", dir="/tmp"))
        started = self.script("start")
        self.url = started.stdout.strip()  # the "feedgate" database
        conf = self.dir / "data" / "postgresql.conf"
        with conf.open("a") as f:
            f.write("shared_preload_libraries = 'pg_stat_statements'\n")
        self.script("stop")
        self.script("resume")
        psql(self.url, "CREATE EXTENSION pg_stat_statements")

    def script(self, command):
        done = subprocess.run(["bash", str(PG_SCRIPT), command, str(self.dir)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"pg_test_server.sh {command}: {done.stderr}")
        return done

    def db_url(self, name):
        return self.url.replace("/feedgate?", f"/{name}?")

    def create(self, name, template=None):
        psql(self.url, f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return self.db_url(name)

    def drop(self, name):
        subprocess.run(["psql", self.url, "-qAtX", "-c", f"DROP DATABASE IF EXISTS {name}"],
                       capture_output=True)

    def counters(self, name):
        """(statements, transactions) run in database `name` so far."""
        statements = psql(self.url, "SELECT COALESCE(SUM(calls), 0) FROM pg_stat_statements"
                                    f" WHERE dbid = (SELECT oid FROM pg_database"
                                    f" WHERE datname = '{name}')")
        tx = psql(self.url, "SELECT xact_commit + xact_rollback FROM pg_stat_database"
                            f" WHERE datname = '{name}'")
        return int(statements), int(tx)

    def top_statements(self, name, polls, n=14):
        rows = psql(self.url, "SELECT calls, regexp_replace(left(query, 90), '\\s+', ' ', 'g')"
                              " FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database"
                              f" WHERE datname = '{name}') ORDER BY calls DESC LIMIT {n}")
        return [f"    {int(calls) / max(1, polls):5.2f}  {query}"
                for calls, query in (r.split("|", 1) for r in rows.splitlines() if "|" in r)]

    def close(self):
        subprocess.run(["bash", str(PG_SCRIPT), "stop", str(self.dir)], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


def config(tmp, url, feeds, storage):
    """tests/bench/poll's config with another storage line (and cluster.lease on PostgreSQL)."""
    lines = poll_bench.config_text(tmp, url, feeds).split("\n")
    lines = [f"storage: {storage}" if line.startswith("storage:") else line for line in lines]
    if "url:" in storage:
        lines.append(f"cluster: {{ lease: {LEASE} }}")
    return "\n".join(lines)


def seed(binary, portal, tmp, feeds, storage):
    """Stores every listed article from the light pages with `feedgate poll` (one round)."""
    portal.serve("light")
    path = tmp / "seed.yaml"
    path.write_text(config(tmp, portal.url, feeds, storage), encoding="utf-8")
    t0 = time.monotonic()
    done = subprocess.run([binary, "poll", "-c", str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit("seeding failed:\n" + done.stdout[-2000:] + done.stderr[-2000:])
    print(f"(seeded {feeds} feeds from light pages in {time.monotonic() - t0:.0f} s)", flush=True)


# Polls of one feed that started less than half an interval after the previous one: two
# instances polled it. The polls table holds every instance's polls, by start second; only the
# instances' own count (ids after the seed's: a seed poll in the second the run began is not one).
DUPLICATES = f"""SELECT COUNT(*) FROM (SELECT started - LAG(started) OVER
  (PARTITION BY feed_id ORDER BY started, id) AS gap FROM polls
  WHERE started >= {{since}} AND id > {{after_id}}) g WHERE gap < {INTERVAL_S // 2}"""
LAST_POLL_ID = "SELECT COALESCE(MAX(id), 0) FROM polls"


def count(db_url, sqlite_path, query):
    if db_url is None:
        with sqlite3.connect(sqlite_path) as db:
            return db.execute(query).fetchone()[0]
    return int(psql(db_url, query))


class Adder:
    """Adds a new article at the top of a random feed's list page, `per_min` a minute, so that
    some polls fetch an article: each must be fetched once for the whole cluster."""

    def __init__(self, portal, feeds, per_min):
        self.editor, self.stop_event = fixture.ListEditor(portal), threading.Event()
        rng = random.Random(feeds)

        def add():
            while not self.stop_event.wait(60.0 / per_min):
                self.editor.add_article(rng.randrange(feeds))

        self.thread = threading.Thread(target=add)
        self.thread.start()

    def stop(self):
        self.stop_event.set()
        self.thread.join()
        return self.editor.added


def measure(daemons, pg, db, seconds, portal, feeds, new_per_min):
    """Counters over `seconds` from now; the runs' polls from the instances' logs."""
    cpu0 = [poll_bench.cpu_seconds(d.proc.pid) for d in daemons]
    pg_cpu0 = pg_cpu_seconds(pg.dir) if db else 0.0
    if db:
        psql(pg.url, "SELECT pg_stat_statements_reset()")
    st0, tx0 = pg.counters(db) if db else (0, 0)
    t0, since, load0 = time.monotonic(), int(time.time()), os.getloadavg()[0]
    offsets = [len(d.log_text()) for d in daemons]  # polls before now are not measured
    article_log = portal.article_log_size()
    adder = Adder(portal, feeds, new_per_min)
    time.sleep(seconds)
    added = adder.stop()
    wall = time.monotonic() - t0
    cpu = [poll_bench.cpu_seconds(d.proc.pid) - c for d, c in zip(daemons, cpu0)]
    pg_cpu = pg_cpu_seconds(pg.dir) - pg_cpu0 if db else 0.0
    st, tx = pg.counters(db) if db else (0, 0)
    late = [late_ms for d, offset in zip(daemons, offsets)
            for _, _, late_ms, _ in poll_bench.polls_of(d.log_text()[offset:])]
    # Counted by the portal: an article page requested twice is a duplicate fetch.
    fetches = portal.article_fetches(article_log)
    return {"wall": wall, "cpu": cpu, "pg_cpu": pg_cpu, "statements": st - st0,
            "tx": tx - tx0, "late": late, "fetches": sum(fetches.values()),
            "distinct": len(fetches), "added": added, "since": since,
            "load": (load0, os.getloadavg()[0])}


def run(binary, portal, feeds, seconds, instances, pg, template, new_per_min):
    """One measured run; `pg` None: one instance on SQLite."""
    portal.reset_lists(feeds)
    tmp = harness.make_tmpdir("feedgate-bench-cluster-")
    db, daemons = None, []
    try:
        if pg is None:
            storage = f'{{ path: "{tmp}/feedgate.db" }}'
            seed(binary, portal, tmp, feeds, storage)
        else:
            db = f"b{int(time.time() * 1000) % 10**9}"
            storage = f'{{ url: "{pg.create(db, template)}" }}'
        db_url = pg.db_url(db) if db else None
        seed_polls_end = count(db_url, tmp / "feedgate.db", LAST_POLL_ID)
        portal.serve("full")
        for i in range(instances):
            workdir = tmp / f"i{i}"
            workdir.mkdir()
            daemons.append(harness.Daemon(binary, workdir,
                                          config(workdir, portal.url, feeds, storage)))
        for d in daemons:
            harness.wait_for(lambda: "listening" in d.log_text(), 600, "feedgate to listen")
        m = measure(daemons, pg, db, seconds, portal, feeds, new_per_min)
        dup = count(db_url, tmp / "feedgate.db",
                    DUPLICATES.format(since=m["since"], after_id=seed_polls_end))
        top = pg.top_statements(db, len(m["late"])) if db else []
    finally:
        for d in daemons:
            d.stop()
        if db:
            pg.drop(db)
        shutil.rmtree(tmp, ignore_errors=True)
    name = "sqlite x1" if pg is None else f"postgres x{instances}"
    polls, wall = len(m["late"]), m["wall"]
    r = {"name": name, "polls": polls, "polls_per_s": polls / wall,
         "p50": poll_bench.percentile(m["late"], 0.5),
         "p99": poll_bench.percentile(m["late"], 0.99),
         "cpu": [100 * c / wall for c in m["cpu"]], "pg_cpu": 100 * m["pg_cpu"] / wall,
         "st_per_poll": m["statements"] / max(1, polls), "tx_per_poll": m["tx"] / max(1, polls),
         "duplicates": dup, "article_repeats": m["fetches"] - m["distinct"], "top": top, "load": m["load"]}
    print(f"| {name} | {feeds} | {polls} | {r['polls_per_s']:.1f} | {r['p50']} / {r['p99']} |"
          f" {' + '.join(f'{c:.0f}%' for c in r['cpu'])} | {r['pg_cpu']:.0f}% |"
          f" {r['st_per_poll']:.1f} / {r['tx_per_poll']:.1f} | {dup} |"
          f" {m['fetches']} / {m['distinct']} / {m['added']} |"
          f" {m['load'][0]:.1f} → {m['load'][1]:.1f} |", flush=True)
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--feeds", type=int, default=2000)
    ap.add_argument("--seconds", type=int, default=130)
    ap.add_argument("--instances", default="1,2,3", help="PostgreSQL runs; empty: none")
    ap.add_argument("--no-sqlite", action="store_true", help="skip the SQLite baseline")
    ap.add_argument("--new-per-min", type=float, default=0.05,
                    help="articles added per minute, as a fraction of the feeds")
    ap.add_argument("--binary", default=str(harness.REPO / "build" / "feedgate"))
    ap.add_argument("--scratch", default="/tmp/feedgate-bench-poll-site")
    args = ap.parse_args()
    t_start = time.monotonic()
    new_per_min = max(1.0, args.new_per_min * args.feeds)
    portal = fixture.Portal(pathlib.Path(args.scratch), args.feeds)
    pg, tmp = None, harness.make_tmpdir("feedgate-bench-cluster-seed-")
    runs = []
    try:
        counts = [int(x) for x in args.instances.split(",") if x]
        if counts:
            pg = Postgres()
            portal.reset_lists(args.feeds)
            seed(args.binary, portal, tmp, args.feeds, f'{{ url: "{pg.create("seed")}" }}')
        print("| run | feeds | polls | polls/s | lateness p50 / p99 ms | CPU per instance |"
              " PostgreSQL CPU | statements / transactions per poll | duplicate polls |"
              " article fetches / distinct / added | load average |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        if not args.no_sqlite:
            runs.append(run(args.binary, portal, args.feeds, args.seconds, 1, None, None,
                            new_per_min))
        for n in counts:
            runs.append(run(args.binary, portal, args.feeds, args.seconds, n, pg, "seed",
                            new_per_min))
    finally:
        portal.close()
        if pg:
            pg.close()
        shutil.rmtree(tmp, ignore_errors=True)
    for r in runs:
        if r["top"]:
            print(f"{r['name']}: statements per poll, most frequent first")
            print("\n".join(r["top"]))
    last = runs[-1]
    # One instance's CPU over the feeds it polls (all of them alone; a share of them in the
    # cluster, where each also re-renders every feed another instance stored new items for).
    one = next((r for r in runs if r["name"] == "postgres x1"), runs[0])
    print(f"projected: {args.feeds / max(sum(one['cpu']) / 100, 1e-9):,.0f} feeds per instance at"
          f" one core ({one['name']}, 1-minute interval); {len(last['cpu'])} instances:"
          f" {args.feeds / max(sum(last['cpu']) / 100, 1e-9):,.0f} feeds per core of their CPU"
          f" together; PostgreSQL {last['pg_cpu'] / args.feeds * 1000:.1f}% of a core per 1,000"
          " feeds")
    print(f"duplicate article fetches (last run): {last['article_repeats']};"
          f" total {time.monotonic() - t_start:.0f} s")
    print(f"cluster_instances={len(last['cpu'])} polls_per_s={last['polls_per_s']:.1f}"
          f" lateness_p99_ms={last['p99']} pg_cpu_pct={last['pg_cpu']:.0f}"
          f" duplicate_polls={last['duplicates']}")


if __name__ == "__main__":
    main()
