#!/usr/bin/env python3
"""A hostile client against the real daemon: misframed requests (Transfer-Encoding, Host),
header limits, oversize requests, path traversal and pipelining, then 200 slowloris connections
held open while a normal reader is served (its p99 is printed). Raw sockets on 127.0.0.1."""
import os
import socket
import time
import unittest

import harness

BINARY = os.environ.get("FEEDGATE_BIN", str(harness.REPO / "build" / "feedgate"))
FEED = "/feeds/demo.atom"


def connect(port, timeout=5.0):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.settimeout(timeout)
    return s


def get(path, extra=""):
    return f"GET {path} HTTP/1.1\r\nHost: t\r\n{extra}\r\n".encode()


class Reader:
    """Reads responses (status, headers, body) off one socket, bodies per Content-Length."""

    def __init__(self, sock):
        self.sock = sock
        self.pending = b""

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            return False
        self.pending += chunk
        return True

    def response(self, no_body=False):
        """One response, or None when the server closed first."""
        try:
            while b"\r\n\r\n" not in self.pending:
                if not self._fill():
                    return None
            head, self.pending = self.pending.split(b"\r\n\r\n", 1)
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split()[1])
            headers = {k.strip().lower(): v.strip()
                       for k, v in (line.split(":", 1) for line in lines[1:])}
            length = 0 if no_body or status == 304 else int(headers.get("content-length", 0))
            while len(self.pending) < length:
                if not self._fill():
                    return None
            body, self.pending = self.pending[:length], self.pending[length:]
            return status, headers, body
        except (ConnectionResetError, socket.timeout):
            return None

    def closed(self):
        """True when the server closed with nothing more to read."""
        if self.pending:
            return False
        try:
            return self.sock.recv(1) == b""
        except ConnectionResetError:
            return True
        except socket.timeout:
            return False


class HostileHttp(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.make_tmpdir("feedgate-hostile-http-")
        cls.portal = harness.Portal(harness.copy_demo_site(cls.tmp / "portal"))
        cls.port = harness.free_port()
        cls.base = f"http://127.0.0.1:{cls.port}"
        config = f"""
server: {{ listen: "127.0.0.1:{cls.port}", threads: 2 }}
storage: {{ path: "{cls.tmp}/feedgate.db" }}
fetch: {{ timeout: 5s, max_body: 4MiB, concurrency: 2, per_host: 2, min_gap: 0s, allow_private: true }}
defaults: {{ interval: 1h, max_items: 50, timezone: Asia/Shanghai }}
feeds:
  - id: demo
    url: "{cls.portal.url('/index.html')}"
    recipe: demo
"""
        cls.daemon = harness.Daemon(BINARY, cls.tmp, config)
        harness.wait_for(lambda: harness.get(cls.base + "/healthz")[0] == 200, 15, "/healthz")
        harness.wait_for(lambda: harness.get(cls.base + FEED)[2].count(b"<entry>") > 0, 20,
                         "the demo feed's items")
        cls.feed_body = harness.get(cls.base + FEED)[2]

    @classmethod
    def tearDownClass(cls):
        code = harness.shut_down(cls.daemon, cls.portal, cls.tmp)
        assert code == 0, "feedgate did not exit cleanly on SIGTERM"

    def exchange(self, data):
        """Sends raw bytes; returns every response read until the server closes, and whether
        it closed."""
        with connect(self.port) as s:
            try:
                s.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # refused and closed before all was sent (a 1 MiB header): read the answer
            reader = Reader(s)
            responses = []
            while (r := reader.response()) is not None:
                responses.append(r)
                if r[1].get("connection") == "close":
                    break
            return responses, reader.closed()

    def assert_refused(self, data, status, why):
        responses, closed = self.exchange(data)
        self.assertEqual([r[0] for r in responses], [status], why)
        self.assertTrue(closed, f"{why}: the connection stayed open")

    def test_transfer_encoding_not_ending_in_chunked_is_400_and_nothing_is_smuggled(self):
        for coding in ("xchunked", "gzip", "identity", "chunked, identity", "chunked;x=1"):
            data = (f"GET {FEED} HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: {coding}\r\n\r\n"
                    .encode() + get("/feeds/demo.rss"))
            self.assert_refused(data, 400, f"Transfer-Encoding: {coding}")
        self.assert_refused(f"GET {FEED} HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                            "Content-Length: 3\r\n\r\n0\r\n\r\n".encode(), 400, "TE and CL")
        self.assert_refused(f"GET {FEED} HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "0\r\n\r\n".encode(), 400, "TE in HTTP/1.0")

    def test_missing_repeated_or_invalid_host_is_400(self):
        self.assert_refused(f"GET {FEED} HTTP/1.1\r\n\r\n".encode(), 400, "no Host")
        self.assert_refused(f"GET {FEED} HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n".encode(), 400,
                            "two Host lines")
        self.assert_refused(f"GET {FEED} HTTP/1.1\r\nHost: a/b\r\n\r\n".encode(), 400,
                            "invalid Host")

    def test_the_configured_header_limit_is_the_limit(self):
        def request(total, target_extra):
            head = f"GET {FEED}?{'q' * target_extra} HTTP/1.1\r\nHost: t\r\nX-Filler: "
            return (head + "f" * (total - len(head) - 4) + "\r\n\r\n").encode()

        responses, _ = self.exchange(request(8192, 0) + get(FEED, "Connection: close\r\n"))
        self.assertEqual([r[0] for r in responses], [200, 200], "8 KiB head")
        self.assert_refused(request(8193, 0), 431, "8 KiB + 1 head")
        self.assert_refused(request(12000, 2000), 431, "long line + fields just under 8 KiB")

    def test_oversize_requests_are_refused_and_the_server_keeps_serving(self):
        self.assert_refused(get(FEED, "X-Big: " + "b" * (1 << 20) + "\r\n"), 431, "1 MiB header")
        self.assert_refused(get(FEED, "Content-Length: 1048576\r\n") + b"x" * 65536, 413,
                            "1 MiB body")
        self.assert_refused(f"GET /{'a' * 5000} HTTP/1.1\r\nHost: t\r\n\r\n".encode(), 414,
                            "5,000-byte target")
        self.assert_refused(get(FEED, "".join(f"X-{i}: v\r\n" for i in range(2000))), 431,
                            "2,000 header lines")
        self.assertEqual(harness.get(self.base + FEED)[0], 200)

    def test_path_traversal_reaches_no_file(self):
        (self.tmp / "secret.txt").write_text("TOP SECRET", encoding="utf-8")
        for path in ("/../secret.txt", "/feeds/../../secret.txt", "/feeds/..%2f..%2fsecret.txt",
                     "/%2e%2e/%2e%2e/secret.txt", "/feeds/demo.atom/../../feedgate.yaml",
                     "//etc/passwd", "/feeds/..\\..\\secret.txt", "/feeds/demo/archive/../../x",
                     "/feedgate.db", "/bodies/", "/feeds/", "/feeds/demo/archive/0.atom",
                     "/feeds/demo/archive/-1.atom", "/feeds/demo/archive/99999999999999999.atom"):
            responses, _ = self.exchange(f"GET {path} HTTP/1.1\r\nHost: t\r\n"
                                         "Connection: close\r\n\r\n".encode())
            self.assertEqual(len(responses), 1, path)
            status, _, body = responses[0]
            self.assertIn(status, (400, 404), path)
            self.assertNotIn(b"TOP SECRET", body, path)
            self.assertNotIn(b"root:", body, path)

    def test_pipelined_requests_are_answered_in_order(self):
        paths = [FEED, "/healthz", "/feeds/demo.rss", "/nope", "/feeds/demo.json"] * 20
        data = b"".join(get(p) for p in paths) + get("/healthz", "Connection: close\r\n")
        responses, closed = self.exchange(data)
        self.assertEqual(len(responses), len(paths) + 1)
        self.assertTrue(closed)
        for path, (status, headers, body) in zip(paths, responses):
            if path == "/nope":
                self.assertEqual(status, 404)
            elif path == "/healthz":
                self.assertEqual(body, b"ok\n")
            else:
                self.assertEqual(status, 200, path)
                kind = path.rsplit(".", 1)[1]
                self.assertIn(kind, headers["content-type"], path)
        self.assertEqual(responses[0][2], self.feed_body)

    def test_slowloris_connections_do_not_slow_a_normal_reader(self):
        slow = []
        try:
            for i in range(200):
                s = connect(self.port)
                s.sendall(f"GET {FEED} HTTP/1.1\r\nHost: t\r\nX-a: ".encode())
                slow.append(s)
            latencies = []
            reader_sock = connect(self.port, timeout=2.0)  # a stalled reader fails the test
            reader = Reader(reader_sock)
            deadline = time.monotonic() + 4.0
            while time.monotonic() < deadline:
                for s in slow:  # the tricklers keep their requests alive, one byte at a time
                    s.sendall(b"b")
                for _ in range(20):
                    started = time.perf_counter()
                    reader_sock.sendall(get(FEED))
                    r = reader.response()
                    latencies.append(time.perf_counter() - started)
                    self.assertIsNotNone(r, "the reader was not served")
                    self.assertEqual(r[0], 200)
                    self.assertEqual(r[2], self.feed_body)
            reader_sock.close()
            latencies.sort()
            p50 = latencies[len(latencies) // 2] * 1000
            p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
            print(f"slowloris: 200 connections held open; reader: {len(latencies)} requests, "
                  f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {latencies[-1] * 1000:.2f} ms")
            # Every trickler is still held (none was answered or dropped early).
            alive = 0
            for s in slow:
                s.setblocking(False)
                try:
                    s.recv(1)  # bytes: answered; b"": closed; either way not held
                except BlockingIOError:
                    alive += 1
                except OSError:
                    pass
            self.assertEqual(alive, 200, "slowloris connections were closed before their timeout")
        finally:
            for s in slow:
                s.close()
        self.assertEqual(harness.get(self.base + "/healthz")[0], 200)


if __name__ == "__main__":
    unittest.main(verbosity=2)
