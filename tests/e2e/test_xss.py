#!/usr/bin/env python3
"""End to end, hostile content: a portal on 127.0.0.1 whose articles carry XSS vectors as text, as
raw markup, in attributes and URLs, in titles, bylines and the site name; `feedgate serve` polls
it; every field of the served RSS, Atom and JSON Feed that a reader may render as HTML is parsed
by a real HTML5 parser (html5lib) and checked. Prints, per format and field, the vectors tried and
the vectors that survived; every count of survivors must be 0.

What "survived" means: in a field that carries text (RSS description, Atom summary, titles,
names), any element at all; in a field that carries sanitized HTML (content:encoded, Atom content,
content_html), a script-capable or embedding element, an event-handler or style attribute, or a
URL attribute whose scheme, normalized as a browser does, is javascript:, vbscript: or data:."""
import html
import json
import os
import pathlib
import sys
import unittest
import xml.etree.ElementTree as ET

import harness

try:
    import html5lib
except ImportError:  # pragma: no cover
    print("SKIPPED: python3-html5lib is not installed (deploy/install-deps.sh --with-tests)")
    sys.exit(77)

BINARY = os.environ.get("FEEDGATE_BIN", str(harness.REPO / "build" / "feedgate"))
ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
HTML_NS = "{http://www.w3.org/1999/xhtml}"

# Payloads, each run as live markup by some browser or reader if a field passes it on unchanged.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://127.0.0.1:9/x.js></SCRIPT>",
    "<script>alert(String.fromCharCode(88,83,83))</script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<img src=x onerror=\"alert(1)\"/>",
    "<img/src=x/onerror=alert(1)>",
    "<img src=\"x\" onerror = alert(1) >",
    "<img src=`x` onerror=alert(1)>",
    "<img src=javascript:alert(1)>",
    "<img src=\"jav&#x09;ascript:alert(1)\">",
    "<img dynsrc=javascript:alert(1) lowsrc=javascript:alert(1)>",
    "<img srcset=\"javascript:alert(1) 1x\" src=x>",
    "<image src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=20 y=20>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math href=\"javascript:alert(1)\">x</math>",
    "<body onload=alert(1)>",
    "<body background=\"javascript:alert(1)\">",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
    "<frameset><frame src=\"javascript:alert(1)\"></frameset>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<embed src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
    "<applet code=\"x\" codebase=\"javascript:alert(1)\"></applet>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\" javascript:alert(1)\">x</a>",
    "<a href=\"\tjava\tscript:alert(1)\">x</a>",
    "<a href=\"java\nscript:alert(1)\">x</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
    "<a href=\"&#x6A;avascript&colon;alert(1)\">x</a>",
    "<a href=\"javascript&#58;alert(1)\">x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<a href=\"data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<a href=\"\x01javascript:alert(1)\">x</a>",
    "<a href=x onmouseover=alert(1)>x</a>",
    "<a href=\"http://x/\" onclick=\"alert(1)\">x</a>",
    "<a href=\"http://x/\" style=\"background:url(javascript:alert(1))\">x</a>",
    "<div style=\"width:expression(alert(1))\">x</div>",
    "<p style=\"behavior:url(x.htc)\">x</p>",
    "<style>*{background:url(javascript:alert(1))}</style>",
    "<style>@import 'http://127.0.0.1:9/x.css';</style>",
    "<link rel=stylesheet href=\"javascript:alert(1)\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<button formaction=\"javascript:alert(1)\">x</button>",
    "<input onfocus=alert(1) autofocus>",
    "<input type=image src=x onerror=alert(1)>",
    "<textarea onfocus=alert(1) autofocus>x</textarea>",
    "<select onfocus=alert(1) autofocus><option>x</select>",
    "<keygen onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>x</details>",
    "<video src=x onerror=alert(1)></video>",
    "<video><source onerror=alert(1)></video>",
    "<video poster=\"javascript:alert(1)\" src=\"http://x/v.mp4\"></video>",
    "<audio src=x onerror=alert(1)></audio>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<isindex type=image src=1 onerror=alert(1)>",
    "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
    "<td background=\"javascript:alert(1)\">x</td>",
    "<blockquote cite=\"javascript:alert(1)\">x</blockquote>",
    "<q cite=\"javascript:alert(1)\">x</q>",
    "<div onmouseover=\"alert(1)\">x</div>",
    "<span onclick=alert(1)>x</span>",
    "<p onpointerenter=alert(1)>x</p>",
    "<x onclick=alert(1)>x</x>",
    "<custom-element onfocus=alert(1) tabindex=1>x</custom-element>",
    "<template><script>alert(1)</script></template>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<noembed><img title=\"</noembed><img src=x onerror=alert(1)>\"></noembed>",
    "<xmp><img title=\"</xmp><img src=x onerror=alert(1)>\"></xmp>",
    "<listing>&lt;img src=x onerror=alert(1)&gt;</listing>",
    "<plaintext><img src=x onerror=alert(1)>",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->",
    "<![CDATA[<img src=x onerror=alert(1)>]]>",
    "<?xml-stylesheet href=\"javascript:alert(1)\"?>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</style><script>alert(1)</script>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "\" onmouseover=\"alert(1)",
    "' onfocus='alert(1)' autofocus='",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)//",
    "<img src=x onerror=alert(1)\x00>",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    "<ul><li>a<section><li><img src=x onerror=alert(1)></li></section></li></ul>",
    "<p>a<marquee><a href=\"http://x/\"><a href=\"javascript:alert(1)\">x</a></a></marquee></p>",
    "<h1>a<span><h2><img src=x onerror=alert(1)></h2></span></h1>",
    "<table><tr><td><a href=\"javascript:alert(1)\">x</a></td></tr></table>",
    "<div><div><div><a href=\"javascript:alert(1)\"><img src=x onerror=alert(1)></a></div></div></div>",
    "<a href=\"http://127.0.0.1/\"></a><script>alert(1)</script>",
    "&lt;img src=x onerror=alert(1)&gt;",
    "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;",
    "\\u003cimg src=x onerror=alert(1)\\u003e",
    "<img src=x onerror=alert(1)>]]><script>alert(1)</script>",
]

SCRIPT_CAPABLE = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
                  "base", "link", "meta", "form", "input", "button", "textarea", "select",
                  "keygen", "isindex", "svg", "math", "template", "noscript", "xmp", "noembed",
                  "noframes", "plaintext", "portal", "image"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "cite", "background", "data",
                  "codebase", "srcset", "xlink:href", "ping", "longdesc", "lowsrc", "dynsrc",
                  "manifest", "icon"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")


def url_is_dangerous(value):
    """As a browser's URL parser: C0 controls and spaces trimmed, tabs and newlines removed,
    case folded (the HTML parser has already decoded entities)."""
    v = value.strip("".join(chr(c) for c in range(0x21)))
    v = v.replace("\t", "").replace("\n", "").replace("\r", "").lower()
    return v.startswith(BAD_SCHEMES)


def elements(fragment_html):
    fragment = html5lib.parseFragment(fragment_html, container="div", namespaceHTMLElements=True)
    return [e for e in fragment.iter() if e is not fragment and isinstance(e.tag, str)]


def local(tag):
    return tag.split("}", 1)[1] if "}" in tag else tag


def dangers(fragment_html, text_only):
    """What in `fragment_html`, read as HTML, would be live; empty when nothing."""
    found = []
    for e in elements(fragment_html):
        name = local(e.tag)
        if text_only:
            found.append(f"<{name}>")
            continue
        if not e.tag.startswith(HTML_NS) or name in SCRIPT_CAPABLE:
            found.append(f"<{name}>")
        for attr, value in e.attrib.items():
            a = local(attr).lower()
            if a.startswith("on") or a in ("style", "srcdoc"):
                found.append(f"{name}[{a}]")
            elif a in URL_ATTRIBUTES and url_is_dangerous(value):
                found.append(f"{name}[{a}={value!r}]")
    return found


def article_page(number, vector):
    """One article: the vector as text (escaped) in the title, byline, site name and a
    paragraph, in attribute values and URLs, and last as raw markup inside the content."""
    text = html.escape(vector, quote=False)
    attr = html.escape(vector, quote=True)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{text} - 演示网</title>
<meta property="og:site_name" content="演示网 {attr}"></head>
<body><div class="article">
<h1>第{number}条 {text}</h1>
<div class="time">2020-01-29 01:17:24</div>
<div class="byline">来源: 新华网 {text} 作者: 记者{text} 编辑: 陈东</div>
<div id="zoom">
<p>　　第{number}条新闻正文 {text} 结束。</p>
<p title="{attr}"><a href="{attr}">链接 {text}</a> <img src="{attr}" alt="{attr}"></p>
<p><a href="http://127.0.0.1/ok?q={attr}">链接二</a><img src="http://127.0.0.1/i.jpg" data-src="{attr}"></p>
<div class="raw">{vector}</div>
</div></div></body></html>
"""


def list_page(count):
    items = "\n".join(f'<li><a href="content_{n}.htm">第{n}条</a></li>' for n in range(count))
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>列表</title></head>
<body><ul class="list">
{items}
</ul></body></html>
"""


class Tally:
    """Per (format, field): vectors tried and vectors that survived."""

    def __init__(self):
        self.tried, self.survived, self.examples = {}, {}, {}

    def check(self, fmt, field, vector, value, text_only):
        if value is None:
            return
        key = (fmt, field)
        self.tried.setdefault(key, set()).add(vector)
        found = dangers(value, text_only)
        if found:
            self.survived.setdefault(key, set()).add(vector)
            self.examples.setdefault(key, []).append((vector, found, value[:200]))

    def table(self):
        lines = [f"{'format':<6} {'field':<22} {'tried':>6} {'survived':>9}"]
        for key in sorted(self.tried):
            lines.append(f"{key[0]:<6} {key[1]:<22} {len(self.tried[key]):>6} "
                         f"{len(self.survived.get(key, ())):>9}")
        return "\n".join(lines)


class XssThroughTheDaemon(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = harness.make_tmpdir("feedgate-xss-")
        site = cls.tmp / "portal"
        site.mkdir()
        (site / "index.html").write_text(list_page(len(PAYLOADS)), encoding="utf-8")
        for n, vector in enumerate(PAYLOADS):
            (site / f"content_{n}.htm").write_text(article_page(n, vector), encoding="utf-8")
        cls.portal = harness.Portal(site)
        cls.port = harness.free_port()
        cls.base = f"http://127.0.0.1:{cls.port}"
        config = f"""
server: {{ listen: "127.0.0.1:{cls.port}" }}
storage: {{ path: "{cls.tmp}/feedgate.db" }}
fetch: {{ timeout: 10s, concurrency: 4, per_host: 4, min_gap: 0s, allow_private: true }}
defaults: {{ interval: 1h, max_items: 1000, timezone: Asia/Shanghai }}
feeds:
  - id: xss
    title: "XSS 语料"
    url: "{cls.portal.url('/index.html')}"
    links: "ul.list li > a"
    link_pattern: 'content_\\d+\\.htm$'
    article:
      title: "h1"
      published: ".time"
      author: ".byline"
      source: ".byline"
      content: "#zoom"
"""
        cls.daemon = harness.Daemon(BINARY, cls.tmp, config)
        harness.wait_for(lambda: harness.get(cls.base + "/healthz")[0] == 200, 10, "/healthz")
        harness.wait_for(lambda: cls.item_count() == len(PAYLOADS), 90, "every article polled")

    @classmethod
    def tearDownClass(cls):
        harness.shut_down(cls.daemon, cls.portal, cls.tmp)

    @classmethod
    def item_count(cls):
        status, _, body = harness.get(cls.base + "/feeds/xss.json")
        return status == 200 and len(json.loads(body)["items"])

    def vector_of(self, url):
        return PAYLOADS[int(url.rsplit("_", 1)[1].split(".")[0])]

    def test_no_vector_survives_in_any_field_of_any_format(self):
        tally = Tally()
        rss = ET.fromstring(harness.get(self.base + "/feeds/xss.rss")[2])
        channel = rss.find("channel")
        for field in ("title", "description"):
            tally.check("rss", "channel/" + field, "-", channel.findtext(field), True)
        for item in channel.findall("item"):
            v = self.vector_of(item.findtext("link"))
            tally.check("rss", "title", v, item.findtext("title"), True)
            tally.check("rss", "description", v, item.findtext("description"), True)
            tally.check("rss", "dc:creator", v, item.findtext(DC + "creator"), True)
            tally.check("rss", "content:encoded", v, item.findtext(CONTENT + "encoded"), False)

        atom = ET.fromstring(harness.get(self.base + "/feeds/xss.atom")[2])
        summary_types = set()
        tally.check("atom", "feed/author/name", "-", atom.findtext(f"{ATOM}author/{ATOM}name"),
                    True)
        for entry in atom.findall(ATOM + "entry"):
            v = self.vector_of(entry.findtext(ATOM + "id"))
            tally.check("atom", "title", v, entry.findtext(ATOM + "title"), True)
            summary = entry.find(ATOM + "summary")
            if summary is not None:
                # Read as HTML whatever its type says: many readers render every summary so.
                summary_types.add(summary.get("type"))
                tally.check("atom", "summary", v, summary.text or "", True)
            tally.check("atom", "content", v, entry.findtext(ATOM + "content"), False)
            tally.check("atom", "author/name", v, entry.findtext(f"{ATOM}author/{ATOM}name"),
                        True)

        feed = json.loads(harness.get(self.base + "/feeds/xss.json")[2])
        for item in feed["items"]:
            v = self.vector_of(item["url"])
            for field in ("title", "summary", "content_text"):
                tally.check("json", field, v, item.get(field), True)
            tally.check("json", "content_html", v, item.get("content_html"), False)
            for author in item.get("authors", []):
                tally.check("json", "authors/name", v, author.get("name"), True)
            for key, value in item.get("_feedgate", {}).items():
                tally.check("json", "_feedgate/" + key, v, value, True)
        for author in feed.get("authors", []):
            tally.check("json", "feed/authors/name", "-", author.get("name"), True)

        print("\nXSS vectors through the daemon, parsed by html5lib "
              f"({len(PAYLOADS)} vectors; '-' rows are feed-level fields):")
        print(tally.table())
        item_fields = [k for k in tally.tried if k[1] in ("description", "summary",
                                                           "content_html", "content")]
        for key in item_fields:
            self.assertEqual(len(tally.tried[key]), len(PAYLOADS), f"{key}: not every vector tried")
        details = "\n".join(f"{k}: {e}" for k, ex in tally.examples.items() for e in ex[:3])
        self.assertEqual(sum(len(s) for s in tally.survived.values()), 0, details)
        # Escaped text typed html: readers that honour the type show the text as written.
        self.assertEqual(summary_types, {"html"})


if __name__ == "__main__":
    unittest.main(verbosity=2)
