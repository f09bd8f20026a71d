"""The benchmark's fixture portal: generated list and article pages, served by nginx on
127.0.0.1. Article pages come in two forms with the same URLs: `full` (~113 KB, inline style
and script, 60-link nav, 150-link sidebar twice, ~4.5 KB of text) and `light` (the same title,
date and text without the boilerplate), so that a store can be seeded quickly and then polled
against the full pages. Every article URL /a/FEED/N.htm is answered from one template per form
(nginx SSI fills in FEED and N), so the portal costs two files on disk at any number of feeds,
and the bytes served are those a file per article held (4.4 GB at 2,000 feeds). List pages, the
articles added during a run and nginx's files live in a folder per run (removed at the end)."""
import collections
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "e2e"))
import harness  # noqa: E402

ARTICLES = 20
LISTS_MTIME = 1583020800  # 2020-03-01, the pages' date
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


def list_page(feed, links):
    """`links`: (href, text) newest first."""
    items = "".join(f'<li><a href="{href}">{text}</a><span>2020-03-01</span></li>\n'
                    for href, text in links)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>频道 {feed}</title>
{SCRIPT}</head><body><div class="nav"><ul>{NAV}</ul></div><ul class="list">
{items}</ul><div class="side"><ul>{SIDEBAR[:6000]}</ul></div></body></html>"""


def initial_links(feed):
    return [(f"/a/{feed}/{j}.htm", f"第{feed}频道 新闻{j}") for j in range(ARTICLES)]


def article_page(feed, j, light=False):
    return article_text(feed, j, f"{j % 24:02d}", light)


def article_text(feed, j, hour, light):
    """`feed`, `j` and `hour` are put in as given: numbers, or SSI echo commands (the template)."""
    body = "".join(f'<p style="text-indent:2em">{SENTENCE * 3}（{k}）</p>\n' for k in range(12))
    head_extra = "" if light else f"{STYLE}{BIG_SCRIPT}{SCRIPT * 4}"
    nav = "" if light else NAV
    side = "" if light else SIDEBAR
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="keywords" content="杭州,新闻"><title>第{feed}频道 新闻{j}_杭州网</title>
<link rel="stylesheet" href="/css/main.css">{head_extra}</head><body>
<div class="top"><div class="nav"><ul>{nav}</ul></div></div>
<div class="main"><div class="crumb"><a href="/">首页</a> &gt; <a href="/l/{feed}.html">频道{feed}</a></div>
<h1>第{feed}频道 新闻{j}</h1><div class="time">2020-03-01 {hour}:00:00 来源：杭州日报</div>
<div id="zoom">{body}</div>
<div class="editor">责任编辑：张三</div></div>
<div class="side"><h3>热点新闻</h3><ul>{side}</ul></div>
<div class="links"><ul>{side}</ul></div><div class="footer">杭州网 版权所有 浙ICP备00000000号 {SCRIPT}</div></body></html>"""


def echo(var):
    return f'<!--# echo var="{var}" encoding="none" -->'


def write_templates(root):
    """The full and the light article page, with SSI commands where the feed and number go."""
    root.mkdir(parents=True, exist_ok=True)
    for form in ("full", "light"):
        page = article_text(echo("feed"), echo("art"), echo("hour"), form == "light")
        (root / f"article-{form}.htm").write_text(page, encoding="utf-8")


def nginx_conf(folder, port, locations, http_extra="", server_extra=""):
    """An nginx.conf serving 127.0.0.1:`port` with its pid, logs and temp files in `folder`;
    `locations`: (prefix, root folder) pairs; `http_extra`, `server_extra`: more directives
    for those blocks. ETags on, as portals' pages usually have."""
    s = folder
    served = "".join(f"    location {prefix} {{ root {root}; }}\n" for prefix, root in locations)
    served += f"    {server_extra}" if server_extra else ""
    return f"""daemon off; worker_processes 1; pid {s}/nginx.pid;
error_log {s}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off; sendfile on; etag on; keepalive_requests 100000;
  client_body_temp_path {s}/t; proxy_temp_path {s}/t; fastcgi_temp_path {s}/t;
  uwsgi_temp_path {s}/t; scgi_temp_path {s}/t;
  types {{ text/html html htm; }}
  charset utf-8;
  {http_extra}
  server {{
    listen 127.0.0.1:{port};
{served}  }}
}}
"""


class Portal:
    """nginx on 127.0.0.1: /a/FEED/N.htm from the full or the light article template, everything
    else (list pages, articles added during a run) from a per-run folder. ETags on, so an
    unchanged list page answers 304. `feeds` is how many feeds the run may have (any number
    works: the articles are templates)."""

    def __init__(self, scratch, feeds=None):
        scratch.mkdir(parents=True, exist_ok=True)
        # Everything a run changes lives in a folder of its own, so runs never share state.
        self.run_dir = pathlib.Path(tempfile.mkdtemp(prefix="run-", dir=scratch))
        self.run_dir.chmod(0o755)  # nginx's workers run as another user
        (self.run_dir / "t").mkdir()
        self.templates = self.run_dir / "templates"
        write_templates(self.templates)
        self.run_root = self.run_dir / "www"
        self.port = harness.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.conf = self.run_dir / "nginx.conf"
        self.proc = None

    def reset_lists(self, feeds):
        """Fresh list pages (20 links each) for a run. Their mtime, and so nginx's ETag and
        Last-Modified, is the same every time, so a store seeded before an earlier reset still
        gets 304 for them; a page ListEditor changes gets a new one."""
        shutil.rmtree(self.run_root, ignore_errors=True)
        (self.run_root / "l").mkdir(parents=True)
        for i in range(feeds):
            page = self.run_root / "l" / f"{i}.html"
            page.write_text(list_page(i, initial_links(i)), encoding="utf-8")
            os.utime(page, (LISTS_MTIME, LISTS_MTIME))

    def serve(self, articles):
        """Starts nginx, or makes it serve `articles` ("full" or "light") with a reload."""
        s = self.run_dir
        # The article number's hour ("%02d" of N % 24) as article_page writes it; the 20 listed
        # articles are 0-19, so the hour is N with a leading zero below 10.
        articles_log = f"access_log {s}/articles.log;"
        self.conf.write_text(nginx_conf(
            s, self.port, [("/", self.run_root)],
            http_extra="map $art $hour { ~^(?<one>[0-9])$ 0$one; default $art; }",
            server_extra=f"""location ~ ^/a/(?<feed>[0-9]+)/(?<art>[0-9]+)\\.htm$ {{
      ssi on; alias {self.templates}/article-{articles}.htm; {articles_log}
    }}
    location /n/ {{ root {self.run_root}; {articles_log} }}
"""))
        if self.proc is None:
            self.proc = subprocess.Popen(["/usr/sbin/nginx", "-p", str(s), "-c", str(self.conf)])
        else:
            self.proc.send_signal(signal.SIGHUP)
        want = article_page(7, 3, light=articles == "light").encode("utf-8")
        harness.wait_for(lambda: harness.get(f"{self.url}/a/7/3.htm")[2] == want, 10,
                         f"nginx to serve the {articles} articles")

    def article_log_size(self):
        log = self.run_dir / "articles.log"
        return log.stat().st_size if log.exists() else 0

    def article_fetches(self, since=0):
        """Requests for article pages (seeded /a/ and added /n/) after byte `since` of nginx's
        log of them, by path."""
        log = self.run_dir / "articles.log"
        if not log.exists():
            return collections.Counter()
        with log.open("rb") as f:
            f.seek(since)
            lines = f.read().decode("utf-8", "replace").splitlines()
        return collections.Counter(line.split('"')[1].split()[1] for line in lines
                                   if line.count('"') >= 2 and len(line.split('"')[1].split()) > 1)

    def close(self):
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait()
        shutil.rmtree(self.run_dir, ignore_errors=True)


class ListEditor:
    """Adds a new (full-size) article at the top of a feed's list page, as a portal does."""

    def __init__(self, portal):
        self.portal = portal
        self.links = {}
        self.added = 0

    def add_article(self, feed):
        links = self.links.setdefault(feed, initial_links(feed))
        n = self.added
        self.added += 1
        folder = self.portal.run_root / "n" / str(feed)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{n}.htm").write_text(article_page(feed, 1000 + n), encoding="utf-8")
        links.insert(0, (f"/n/{feed}/{n}.htm", f"第{feed}频道 新增新闻{n}"))
        del links[ARTICLES:]
        page = self.portal.run_root / "l" / f"{feed}.html"
        tmp = page.with_suffix(".tmp")
        tmp.write_text(list_page(feed, links), encoding="utf-8")
        os.replace(tmp, page)
