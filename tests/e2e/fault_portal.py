"""A portal on one loopback address that serves the demo site until told to break, then answers
its list page (/index.html) with one named fault. Each fault gets its own address (127.0.0.N),
so per-host limits, Retry-After pauses and circuit breakers of one fault never touch another."""
import http.server
import socket
import struct
import threading
import zlib

import harness

GBK_ARTICLE = ("<html><head><title>杭州西湖景区迎来春季游客高峰 - 演示网</title></head><body>"
               "<h1>杭州西湖景区迎来春季游客高峰</h1><div class=\"time\">2020-03-01 09:30:00</div>"
               "<div id=\"zoom\"><p>随着气温回升，西湖景区的游客数量明显增加，管理部门加强了疏导。"
               "</p><p>景区提醒游客错峰出行，文明游览。</p></div></body></html>")
BAD_UTF8_ARTICLE = ("<html><head><meta charset=\"utf-8\"><title>坏字节也不能丢文章 - 演示网</title>"
                    "</head><body><h1>坏字节也不能丢文章</h1><div class=\"time\">2020-03-02 10:00:00"
                    "</div><div id=\"zoom\"><p>前半段正常。@@BAD@@后半段也必须保留下来。</p></div>"
                    "</body></html>")
EXTRA_LINK = '<ul class="list">\n<li><a href="content_9001.htm">新文章</a></li>'


class FaultPortal:
    def __init__(self, address, fault):
        self.fault = fault
        self.broken = False
        self.redirect_target = ""
        self.stopping = threading.Event()
        self.list_requests = 0
        portal = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def __init__(self, *a, **kw):
                super().__init__(*a, directory=str(harness.DEMO_SITE), **kw)

            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path == "/index.html":
                    portal.list_requests += 1
                try:
                    if portal.broken and self.path in ("/index.html", "/loop", "/content_9001.htm"):
                        return getattr(portal, "fault_" + portal.fault)(self)
                    return super().do_GET()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # feedgate hung up on purpose (a limit or a timeout)

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True
            block_on_close = False

        self.server = Server((address, 0), Handler)
        self.address = address
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path="/index.html"):
        return f"http://{self.address}:{self.port}{path}"

    def close(self):
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()

    # --- helpers
    def _head(self, h, status, headers):
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        h.end_headers()

    def _send(self, h, status, body, headers=None):
        headers = dict(headers or {})
        headers.setdefault("Content-Type", "text/html; charset=utf-8")
        headers["Content-Length"] = str(len(body))
        self._head(h, status, headers)
        h.wfile.write(body)

    def _hang(self, seconds=60):
        self.stopping.wait(seconds)

    def _list_page(self):
        return (harness.DEMO_SITE / "index.html").read_bytes()

    # --- faults (each answers the list page)
    def fault_hang_headers(self, h):
        self._hang()

    def fault_hang_body(self, h):
        self._head(h, 200, {"Content-Type": "text/html", "Content-Length": "100000"})
        h.wfile.write(b"<html><body>" + b"x" * 1000)
        h.wfile.flush()
        self._hang()

    def fault_reset(self, h):
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()
        h.close_connection = True

    def fault_s500(self, h):
        self._send(h, 500, b"<h1>Internal Server Error</h1>")

    def fault_s502(self, h):
        self._send(h, 502, b"<h1>Bad Gateway</h1>")

    def fault_s503(self, h):
        self._send(h, 503, b"<h1>Service Unavailable</h1>")

    def fault_s503_retry(self, h):
        self._send(h, 503, b"<h1>Service Unavailable</h1>", {"Retry-After": "30"})

    def fault_s429(self, h):
        self._send(h, 429, b"<h1>Too Many Requests</h1>", {"Retry-After": "30"})

    def fault_s404(self, h):
        self._send(h, 404, b"<h1>Not Found</h1>")

    def fault_redirect_loop(self, h):
        self._send(h, 302, b"", {"Location": "/loop"})

    def fault_redirect_file(self, h):
        self._send(h, 302, b"", {"Location": "file:///etc/passwd"})

    def fault_redirect_private(self, h):
        # To a loopback portal that is not among fetch.trusted_peers (the test sets the URL).
        self._send(h, 302, b"", {"Location": self.redirect_target})

    def fault_truncated_chunked(self, h):
        self._head(h, 200, {"Content-Type": "text/html; charset=utf-8",
                            "Transfer-Encoding": "chunked"})
        part = self._list_page()[:2000]
        h.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
        h.wfile.write(b"%x\r\n" % 5000 + b"y" * 100)  # a chunk cut short, then the end
        h.wfile.flush()
        h.close_connection = True

    def fault_over_max_body(self, h):
        self._send(h, 200, b"<html><body>" + b"x" * (2 << 20) + b"</body></html>")

    def fault_gzip_bomb(self, h):
        # 100 MB of zeros, compressed as it is sent (about 100 KB on the wire); never stored.
        self._head(h, 200, {"Content-Type": "text/html", "Content-Encoding": "gzip",
                            "Transfer-Encoding": "chunked"})
        z = zlib.compressobj(9, zlib.DEFLATED, 31)
        block = bytes(1 << 20)
        for _ in range(100):
            data = z.compress(block)
            if data:
                h.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        data = z.flush()
        h.wfile.write(b"%x\r\n%s\r\n0\r\n\r\n" % (len(data), data))

    def fault_wrong_length(self, h):
        body = self._list_page()
        self._head(h, 200, {"Content-Type": "text/html; charset=utf-8",
                            "Content-Length": str(len(body) + 5000)})
        h.wfile.write(body)
        h.wfile.flush()
        h.close_connection = True

    def fault_trickle(self, h):
        body = self._list_page()
        self._head(h, 200, {"Content-Type": "text/html; charset=utf-8",
                            "Content-Length": str(len(body))})
        step = max(1, len(body) // 100)
        for i in range(0, len(body), step):  # the whole page over 10 seconds
            h.wfile.write(body[i:i + step])
            h.wfile.flush()
            if self.stopping.wait(0.1):
                return

    def _with_new_article(self, h, article_bytes, content_type):
        if h.path == "/content_9001.htm":
            return self._send(h, 200, article_bytes, {"Content-Type": content_type})
        page = self._list_page().replace(b'<ul class="list">', EXTRA_LINK.encode(), 1)
        self._send(h, 200, page)

    def fault_invalid_utf8(self, h):
        body = BAD_UTF8_ARTICLE.encode().replace(b"@@BAD@@", b"\xff\xfe\xc3")
        self._with_new_article(h, body, "text/html; charset=utf-8")

    def fault_gbk_no_charset(self, h):
        self._with_new_article(h, GBK_ARTICLE.encode("gbk"), "text/html")
