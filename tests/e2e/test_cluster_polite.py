#!/usr/bin/env python3
"""Politeness across three feedgate instances sharing one PostgreSQL, seen by three portal hosts
(127.0.0.1, .2 and .3) that log when each request arrives: no two requests to a host start closer
than fetch.min_gap, whichever instances send them; a 503 with Retry-After to one instance keeps
every instance off that host until it ends; and when a tripped breaker's cooldown ends, one probe
request arrives (not one per feed or per instance), and its failure opens the breaker again."""
import http.server
import os
import shutil
import subprocess
import threading
import time
import unittest

import harness

BINARY = os.environ.get("FEEDGATE_BIN", str(harness.REPO / "build" / "feedgate"))
INTERVAL = 6      # seconds, every feed
MIN_GAP = 1.0     # seconds: fetch.min_gap, for every host
TOLERANCE = 0.25  # seconds: a request's arrival at the portal against its start
RETRY_AFTER = 4   # seconds, asked for by the 503
COOLDOWN = 3      # seconds: the breaker's open period in this test (set in the database)
FEEDS = {"gap": 3, "busy": 3, "down": 2}  # list pages per host


class HostPortal:
    """List pages /<name><k>/index.html linking one article each, on its own loopback address;
    logs (arrival time, path) of every request. Every answer closes its connection, so curl never
    retries a request on a reused one. `mode`: "ok"; "busy_once": the next list page is answered
    503 with Retry-After; "hang_up": each request is read, logged and left unanswered (the
    connection closed: a connection failure)."""

    def __init__(self, address, name):
        self.name = name
        self.lock = threading.Lock()
        self.log = []
        self.mode = "ok"
        self.busy_at = None
        portal = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *args):
                pass

            def do_GET(self):
                with portal.lock:
                    at = time.monotonic()
                    portal.log.append((at, self.path))
                    mode = portal.mode
                    busy = mode == "busy_once" and self.path.endswith("/index.html")
                    if busy:
                        portal.mode, portal.busy_at = "ok", at
                if mode == "hang_up":
                    self.close_connection = True
                    return
                headers = [("Content-Type", "text/html; charset=utf-8")]
                if busy:
                    headers.append(("Retry-After", str(RETRY_AFTER)))
                harness.reply(self, 503 if busy else 200, portal.page(self.path).encode("utf-8"),
                              headers)

        self.server = harness.serve(Handler, address)
        self.base = f"http://{address}:{self.server.server_address[1]}"

    def page(self, path):
        feed = path.strip("/").split("/")[0]
        if path.endswith("/index.html"):
            return (f'<html><body><ul class="list"><li><a href="content_1.htm">{feed} 新闻'
                    f'</a></li></ul></body></html>')
        return (f'<html><head><meta charset="utf-8"><title>{feed}</title></head><body>'
                f'<h1>{feed} 新闻</h1><div class="time">2026-12-01 09:30:00</div>'
                f'<div id="zoom"><p>{feed} 的新闻正文。</p></div></body></html>')

    def arrivals(self, after=0.0):
        with self.lock:
            return [at for at, _ in self.log if at > after]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class ClusterPoliteness(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pg, cls.pg_url = harness.start_postgres()
        cls.tmp = harness.make_tmpdir("feedgate-polite-")
        cls.portals = {name: HostPortal(f"127.0.0.{i + 1}", name)
                       for i, name in enumerate(FEEDS)}
        cls.daemons = []

    @classmethod
    def tearDownClass(cls):
        for daemon in cls.daemons:
            if daemon.stop() != 0:
                print(f"--- {daemon.workdir.name} ---\n{daemon.log_text()[-4000:]}")
        harness.stop_postgres(cls.pg)
        for portal in cls.portals.values():
            portal.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def config(self, port):
        feeds = "".join(f"""
  - id: {name}{k}
    url: "{portal.base}/{name}{k}/index.html"
    recipe: demo""" for name, portal in self.portals.items() for k in range(FEEDS[name]))
        return f"""
server: {{ listen: "127.0.0.1:{port}", base_url: "http://feeds.example" }}
storage: {{ url: "{self.pg_url}", pool: 4 }}
cluster: {{ lease: 5s }}
fetch: {{ timeout: 5s, concurrency: 4, per_host: 2, min_gap: {int(MIN_GAP * 1000)}ms,
          allow_private: true }}
defaults: {{ interval: {INTERVAL}s, max_items: 10 }}
feeds:{feeds}"""

    def start_all(self):
        ports = []
        for name in ("a", "b", "c"):
            port = harness.free_port()
            workdir = self.tmp / name
            workdir.mkdir()
            self.daemons.append(harness.Daemon(BINARY, workdir, self.config(port)))
            ports.append(port)
        for port in ports:
            harness.wait_for(lambda: harness.get(f"http://127.0.0.1:{port}/healthz")[0] == 200,
                             30, f"instance on {port}")

    def trip_breaker(self, host):
        """Opens `host`'s shared breaker as a trip does (cooldown COOLDOWN s) and makes its feeds
        due, so that without a single probe they would all be claimed when it ends. It does so
        only while no poll of the host holds a lease (its rows locked meanwhile): a poll that
        began before the trip and succeeded would close the breaker again, as it should."""
        trip = f"""DO $$ BEGIN
            PERFORM 1 FROM feed_schedule WHERE host = '{host}' FOR UPDATE;
            IF EXISTS (SELECT 1 FROM feed_schedule WHERE host = '{host}'
                       AND lease_expiry > now()) THEN
              RAISE EXCEPTION 'a poll of {host} is in flight';
            END IF;
            INSERT INTO hosts(host) VALUES('{host}') ON CONFLICT(host) DO NOTHING;
            UPDATE hosts SET paused_until = now() + interval '{COOLDOWN} s', trips = 1,
              connection_failures = 0, probe_feed = NULL, probe_until = '-infinity'
              WHERE host = '{host}';
            UPDATE feed_schedule SET next_due = now() WHERE host = '{host}';
          END $$"""

        def tripped():
            try:
                return harness.psql(self.pg_url, trip) is not None
            except subprocess.CalledProcessError:
                return False
        harness.wait_for(tripped, 2 * INTERVAL, f"no poll of {host} in flight, to trip it")

    def test_politeness_is_the_clusters(self):
        self.start_all()
        gap, busy, down = (self.portals[n] for n in ("gap", "busy", "down"))
        harness.wait_for(lambda: len(gap.arrivals()) >= 2 * (FEEDS["gap"] + 1), 4 * INTERVAL,
                         "the gap host's pages polled")

        # A 503 with Retry-After to whichever instance polls the busy host next; meanwhile the
        # down host's breaker trips.
        down.mode = "hang_up"
        busy.mode = "busy_once"
        self.trip_breaker("127.0.0.3")
        tripped_at = time.monotonic()
        harness.wait_for(lambda: busy.busy_at, 2 * INTERVAL, "the busy host's 503")
        quiet_until = busy.busy_at + RETRY_AFTER
        harness.wait_for(lambda: busy.arrivals(quiet_until), RETRY_AFTER + 2 * INTERVAL,
                         "requests to the busy host after its pause")
        during = [round(at - busy.busy_at, 2) for at in busy.arrivals(busy.busy_at)
                  if at < quiet_until]
        print(f"busy host: 503 with Retry-After {RETRY_AFTER}; requests from any instance"
              f" within it: {during}; first after it at"
              f" +{busy.arrivals(quiet_until)[0] - busy.busy_at:.2f}s")
        self.assertTrue(all(t >= RETRY_AFTER - TOLERANCE for t in during), during)

        time.sleep(max(0.0, tripped_at + COOLDOWN + INTERVAL - time.monotonic()))
        probes = [round(at - tripped_at, 2) for at in down.arrivals(tripped_at + 0.3)]
        state = harness.psql(self.pg_url, "SELECT trips, paused_until > now() + interval '60 s'"
                                          " FROM hosts WHERE host = '127.0.0.3'")
        print(f"down host: breaker open {COOLDOWN}s; requests after it: {probes} (s after the"
              f" trip); then trips|open for long: {state}")
        self.assertEqual(len(probes), 1, probes)
        self.assertGreaterEqual(probes[0], COOLDOWN - TOLERANCE)
        self.assertEqual(state, "2|t")  # the failed probe opened it again, for twice as long

        for portal in self.portals.values():
            starts = portal.arrivals()
            gaps = [b - a for a, b in zip(starts, starts[1:])]
            self.assertTrue(gaps, f"{portal.name}: fewer than two requests")
            print(f"{portal.name} host: {len(starts)} requests from 3 instances, closest two"
                  f" {min(gaps):.3f}s apart (min_gap {MIN_GAP}s)")
            self.assertGreaterEqual(min(gaps), MIN_GAP - TOLERANCE, portal.name)
        for daemon in self.daemons:
            self.assertNotIn("cluster_turn_failed", daemon.log_text())


if __name__ == "__main__":
    harness.run_tests()
