"""Shared pieces of the end-to-end tests: a fixture portal on 127.0.0.1, a feedgate daemon
started with a generated config, and HTTP helpers. Everything listens on loopback only."""
import http.server
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import unittest
import urllib.request

REPO = pathlib.Path(__file__).resolve().parents[2]
DEMO_SITE = REPO / "feeds" / "demo" / "site"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Portal:
    """Serves a copy of a folder over HTTP. `faults` maps a path to a function returning
    (status, headers, body) that replaces the file, so tests can break a page mid-run."""

    def __init__(self, root):
        self.root = pathlib.Path(root)
        self.faults = {}
        self.requests = []
        portal = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **kw):
                super().__init__(*a, directory=str(portal.root), **kw)

            def log_message(self, *args):
                pass

            def do_GET(self):
                portal.requests.append(self.path)
                fault = portal.faults.get(self.path)
                if fault is None:
                    return super().do_GET()
                status, headers, body = fault()
                # feedgate may hang up on purpose (e.g. a body over max_body)
                reply(self, status, body, headers.items())

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def copy_demo_site(dest):
    shutil.copytree(DEMO_SITE, dest)
    return pathlib.Path(dest)


def touch_later(path, seconds=5):
    """Moves a file's mtime forward so Last-Modified changes even within the same second."""
    st = os.stat(path)
    os.utime(path, (st.st_atime + seconds, st.st_mtime + seconds))


class Daemon:
    def __init__(self, binary, workdir, config_text):
        self.workdir = pathlib.Path(workdir)
        self.config = self.workdir / "feedgate.yaml"
        self.config.write_text(config_text, encoding="utf-8")
        self.log = open(self.workdir / "feedgate.log", "w+b")
        env = dict(os.environ, FEEDGATE_RECIPES=str(REPO / "feeds"))
        self.proc = subprocess.Popen([binary, "serve", "-c", str(self.config)],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env)

    def base(self, port):
        return f"http://127.0.0.1:{port}"

    def log_text(self):
        return (self.workdir / "feedgate.log").read_text(errors="replace")

    def stop(self):
        """SIGTERM, then the exit code (None if it had to be killed)."""
        code = self.proc.returncode
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                code = self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                code = None
        self.log.close()
        return code


def reply(handler, status, body, headers=()):
    """Sends a whole response (with Content-Length) from a BaseHTTPRequestHandler; a client
    that hung up meanwhile (a daemon killed or timing out) is not an error."""
    handler.send_response(status)
    for name, value in headers:
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    try:
        handler.wfile.write(body)
    except (BrokenPipeError, ConnectionResetError):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    """A threading HTTP server whose clients may hang up mid-request without a traceback."""
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):
        pass


def serve(handler, address="127.0.0.1"):
    """A QuietServer for `handler` on a free port of `address`, serving on a daemon thread."""
    server = QuietServer((address, 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def shut_down(daemon, portal, tmp):
    """A test class's teardown: SIGTERM the daemon, close the portal, remove the temp folder;
    prints the daemon's log when it did not exit cleanly, and returns its exit code."""
    code = daemon.stop()
    portal.close()
    if code != 0:
        print(daemon.log_text())
    shutil.rmtree(tmp, ignore_errors=True)
    return code


def get(url, headers=None, timeout=5):
    """Returns (status, headers, body bytes); never raises for HTTP statuses."""
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def wait_for(predicate, timeout, what, interval=0.2):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except (OSError, urllib.error.URLError) as e:
            last = e
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


PG_SCRIPT = REPO / "tests" / "support" / "pg_test_server.sh"


def pg_script(*args):
    """Runs tests/support/pg_test_server.sh (start|stop|resume DIR)."""
    return subprocess.run(["bash", str(PG_SCRIPT), *args], capture_output=True, text=True)


def start_postgres():
    """A throwaway PostgreSQL: (its folder, its database URL). Raises unittest.SkipTest with the
    reason where it cannot start; stop_postgres(folder) stops it and removes the folder."""
    folder = pathlib.Path(tempfile.mkdtemp(prefix="feedgate-pg-", dir="/tmp"))
    started = pg_script("start", str(folder))
    if started.returncode != 0:
        stop_postgres(folder)
        reason = started.stderr.strip().removeprefix("SKIPPED: ")
        raise unittest.SkipTest(reason or f"pg_test_server.sh exited {started.returncode}")
    return folder, started.stdout.strip()


def stop_postgres(folder):
    pg_script("stop", str(folder))
    shutil.rmtree(folder, ignore_errors=True)


def psql(url, sql):
    """One statement through psql; its output, unaligned and without headers."""
    out = subprocess.run(["psql", url, "-qAtX", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                         capture_output=True, text=True)
    return out.stdout.strip()


def make_tmpdir(prefix):
    return pathlib.Path(tempfile.mkdtemp(prefix=prefix))


SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)')


def parse_prometheus(text):
    """Prometheus text format: `# HELP`/`# TYPE` lines and `name{labels} value` samples.
    Returns {(name, frozenset(labels)): value}; fails on any line that is neither."""
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        m = SAMPLE.match(line)
        if not m:
            raise ValueError(f"not Prometheus text: {line!r}")
        labels_text = m.group(2) or ""
        labels = LABEL.findall(labels_text)
        if "".join(f'{k}="{v}",' for k, v in labels).rstrip(",") != labels_text:
            raise ValueError(f"bad labels: {line!r}")
        samples[(m.group(1), frozenset(labels))] = float(m.group(3))
    return samples


def run_tests():
    """unittest's main for a test file whose cases skip when a tool is missing: exits 77 (ctest's
    SKIPPED) with the reason when every case skipped, so the run never passes empty-handed."""
    result = unittest.main(exit=False).result
    if result.skipped and result.testsRun <= len(result.skipped):
        print(f"SKIPPED: {result.skipped[0][1]}")
        sys.exit(77)
    sys.exit(0 if result.wasSuccessful() else 1)
