#!/usr/bin/env python3
"""A proxy is no way around fetch.allow_private. A portal (127.0.0.1, a trusted peer) links to and
redirects to private targets in every spelling; feedgate polls it directly, through fetch.proxy and
through http_proxy/https_proxy from the environment. The proxy is a fake on 127.0.0.1 that records
every request and answers itself: it never connects onward. No private target may reach the proxy
(or, directly, a canary listener on 127.0.0.1) and no item may come back from one.

Safety: run as root, the whole test re-runs itself in a new network namespace with only loopback,
so that even a broken policy cannot send a packet off the machine. Without one, the direct run
tries the loopback spellings only (the proxy runs never connect anywhere but to the proxy)."""
import html
import json
import os
import shutil
import subprocess
import sys
import threading
import http.server
import unittest
import urllib.parse

import harness

BINARY = os.environ.get("FEEDGATE_BIN", str(harness.REPO / "build" / "feedgate"))
IN_NETNS = os.environ.get("FG_SSRF_NETNS") == "1"
PROXY_VARS = ("http_proxy", "https_proxy", "HTTPS_PROXY", "HTTP_PROXY", "all_proxy", "ALL_PROXY",
              "no_proxy", "NO_PROXY")


def reexec_in_netns():
    """Runs this file again in a fresh network namespace (loopback only); None when impossible."""
    if IN_NETNS or os.geteuid() != 0 or shutil.which("unshare") is None:
        return None
    script = f'ip link set lo up && exec {sys.executable} {os.path.abspath(__file__)}'
    env = dict(os.environ, FG_SSRF_NETNS="1")
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        return None
    return subprocess.run(["unshare", "-n", "sh", "-c", script], env=env).returncode


def private_targets(canary):
    """(url, loopback?) pairs: every spelling the issue lists, and some more."""
    c = canary
    loopback = [f"http://127.0.0.1:{c}/a", f"http://2130706433:{c}/b", f"http://0x7f.1:{c}/c",
                f"http://017700000001:{c}/d", f"http://127.1:{c}/e", f"http://0x7f000001:{c}/f",
                f"http://0177.0.0.1:{c}/g", f"http://127.0.0.1.:{c}/h", f"http://localhost:{c}/i",
                f"http://[::1]:{c}/j", f"http://[::ffff:127.0.0.1]:{c}/k",
                f"http://[::ffff:7f00:1]:{c}/l", f"http://0.0.0.0:{c}/m", f"https://[::1]:{c}/n"]
    other = ["http://10.0.0.1/o", "http://10.1/p", "http://192.168.1.1/q", "http://3232235777/r",
             "http://172.16.0.1/s", "http://169.254.169.254/latest/meta-data/",
             "http://0xa9fea9fe/t", "http://100.64.0.1/u", "http://[fe80::1]/v",
             "http://[fd00::1]/w", "http://[::ffff:10.0.0.1]/x", "https://10.0.0.1/y",
             "https://192.168.0.1:8443/z"]
    return [(u, True) for u in loopback] + [(u, False) for u in other]


ARTICLE = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>{t}</title></head>'
           '<body><h1>{t}</h1><div id="zoom"><p>{t} body text.</p></div></body></html>')


class Site:
    """The portal's pages: a list page linking to every target directly and through /r/N."""

    def __init__(self, targets, port):
        self.targets = targets
        self.port = port

    def answer(self, path):
        if path == "/index.html":
            links = [f'<li><a href="{html.escape(u)}">direct {i}</a></li>'
                     for i, u in enumerate(self.targets)]
            links += [f'<li><a href="/r/{i}">redirect {i}</a></li>' for i in range(len(self.targets))]
            links.append('<li><a href="/ok.html">ok</a></li>')
            body = f'<html><body><ul class="list">{"".join(links)}</ul></body></html>'
            return 200, {"Content-Type": "text/html; charset=utf-8"}, body.encode()
        if path.startswith("/r/"):
            return 302, {"Location": self.targets[int(path[3:])]}, b""
        if path == "/ok.html":
            return 200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE.format(t="ok").encode()
        return 404, {}, b""


def serve(handler_class):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def make_handler(site_ref, hits, role):
    """role "portal": serves the site; "canary": records and answers REACHED; "proxy": serves the
    site for the portal's own URLs and records (and answers REACHED for) every other target."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def reply(self, status, headers, body):
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def reached(self, target):
            hits.append(target)
            self.reply(200, {"Content-Type": "text/html; charset=utf-8"},
                       ARTICLE.format(t="REACHED " + html.escape(target)).encode())

        def do_GET(self):
            site = site_ref[0]
            if role == "portal":
                return self.reply(*site.answer(self.path))
            if role == "canary":
                return self.reached(self.path)
            parts = urllib.parse.urlsplit(self.path)
            if parts.netloc == f"127.0.0.1:{site.port}":
                return self.reply(*site.answer(parts.path))
            return self.reached(self.path)

        def do_CONNECT(self):
            hits.append("CONNECT " + self.path)
            self.reply(403, {}, b"")  # never connects onward
            self.close_connection = True

    return Handler


class SsrfThroughProxy(unittest.TestCase):
    def setUp(self):
        self.tmp = harness.make_tmpdir("feedgate-ssrf-")
        self.canary_hits, self.proxy_hits = [], []
        self.site_ref = [None]
        self.canary = serve(make_handler(self.site_ref, self.canary_hits, "canary"))
        self.portal = serve(make_handler(self.site_ref, [], "portal"))
        self.proxy = serve(make_handler(self.site_ref, self.proxy_hits, "proxy"))
        self.portal_port = self.portal.server_address[1]
        self.proxy_port = self.proxy.server_address[1]
        targets = private_targets(self.canary.server_address[1])
        self.all_targets = [u for u, _ in targets]
        self.loopback_targets = [u for u, lo in targets if lo]

    def tearDown(self):
        for s in (self.canary, self.portal, self.proxy):
            s.shutdown()
            s.server_close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def poll(self, name, targets, proxy_setting=None, env_proxy=False):
        """One daemon, one poll of the portal; returns (items other than ok, requests seen)."""
        self.site_ref[0] = Site(targets, self.portal_port)
        self.canary_hits.clear()
        self.proxy_hits.clear()
        workdir = self.tmp / name
        workdir.mkdir()
        port = harness.free_port()
        proxy_line = f', proxy: "{proxy_setting}"' if proxy_setting else ""
        config = f"""
server: {{ listen: "127.0.0.1:{port}" }}
storage: {{ path: "{workdir}/feedgate.db" }}
fetch: {{ timeout: 5s, concurrency: 8, per_host: 8, min_gap: 0s, allow_private: false,
         trusted_peers: ["127.0.0.1:{self.portal_port}"]{proxy_line} }}
feeds:
  - id: portal
    url: "http://127.0.0.1:{self.portal_port}/index.html"
    interval: 1h
    max_items: 100
    links: "ul.list a"
    article: {{ title: "h1", content: "#zoom" }}
"""
        saved = {k: os.environ.pop(k) for k in PROXY_VARS if k in os.environ}
        if env_proxy:
            proxy_url = f"http://127.0.0.1:{self.proxy_port}"
            os.environ.update(http_proxy=proxy_url, https_proxy=proxy_url, all_proxy=proxy_url)
        try:
            daemon = harness.Daemon(BINARY, workdir, config)
        finally:
            for k in PROXY_VARS:
                os.environ.pop(k, None)
            os.environ.update(saved)
        base = f"http://127.0.0.1:{port}"
        try:
            feed = harness.wait_for(lambda: self.feed_with_ok(base), 60, "the poll to store ok")
        finally:
            code = daemon.stop()
            if code != 0:
                print(daemon.log_text())
        self.assertEqual(code, 0)
        others = [i["title"] for i in feed["items"] if i["title"] != "ok"]
        seen = list(self.canary_hits) + list(self.proxy_hits)
        tried = 2 * len(targets)  # each as a link and as a redirect
        print(f"{name}: {tried} private targets tried ({len(targets)} spellings, linked and "
              f"redirected to), {len(seen)} reached, {len(others)} came back as items")
        return others, seen

    @staticmethod
    def feed_with_ok(base):
        status, _, body = harness.get(base + "/feeds/portal.json")
        if status != 200:
            return None
        doc = json.loads(body)
        return doc if any(i["title"] == "ok" for i in doc["items"]) else None

    def test_no_private_target_is_reached_directly_or_through_a_proxy(self):
        direct_targets = self.all_targets if IN_NETNS else self.loopback_targets
        if not IN_NETNS:
            print("not in a network namespace of its own (needs root and unshare): the direct "
                  "run tries the loopback spellings only")
        runs = [("direct", direct_targets, None, False),
                ("fetch.proxy", self.all_targets, f"http://127.0.0.1:{self.proxy_port}", False),
                ("env http_proxy/https_proxy/all_proxy", self.all_targets, None, True)]
        failures = []
        for name, targets, proxy_setting, env_proxy in runs:
            others, seen = self.poll(name.split()[0].replace(".", "_"), targets, proxy_setting,
                                     env_proxy)
            if others or seen:
                failures.append(f"{name}: reached {seen}, items {others}")
        self.assertEqual(failures, [])


if __name__ == "__main__":
    code = reexec_in_netns()
    if code is not None:
        sys.exit(code)
    unittest.main()
