#!/usr/bin/env python3
"""Writes the demo portal under site/ from articles.json: a channel page and article pages shaped
like a real 杭州网 article (navigation, breadcrumb, title, date line, body, byline, 『相关阅读』,
copyright block, sidebars). Some pages are GBK with the charset only in <meta>, as many portals do.
A second channel, latest.html (滚动新闻), dates its stories only on the list page and the way
portals write recent ones (刚刚, 25分钟前, 3小时前, 昨天 09:30), read against the time of reading.
Run it after editing articles.json; the generated pages are committed so the demo works offline."""
import html
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
SITE = HERE / "site"

NAV = """<div class="top"><a href="http://www.example.com/">演示网</a> <a href="#">Eng</a>|<a href="#">繁体</a></div>
<ul class="nav"><li><a href="index.html">新闻首页</a></li><li><a href="index.html">国内</a></li>
<li><a href="http://www.example.com/gj/">国际</a></li><li><a href="http://www.example.com/jj/">经济</a></li>
<li><a href="http://www.example.com/sh/">社会</a></li><li><a href="http://www.example.com/ty/">体育</a></li></ul>"""

SIDEBAR = """<div class="sidebar">
<div class="hot"><h3>热门点击</h3><ul>
<li><a href="http://www.example.com/hot/1.htm">·浙江新增新型肺炎确诊病例42例 杭州市15例</a></li>
<li><a href="http://www.example.com/hot/2.htm">·杭州市“冠状病毒肺炎”防控指挥部公告</a></li>
<li><a href="http://www.example.com/hot/3.htm">·除夕,73岁的李兰娟院士赶赴北京</a></li></ul></div>
<div class="pics"><h3>图片新闻</h3><ul><li><a href="http://www.example.com/pic/1.htm"><img src="/img/p1.jpg">期盼了8年的“民俗 ...</a></li></ul></div>
</div>"""

COPYRIGHT = """<div class="copyright"><p>演示网版权与免责声明:</p>
<p>① 凡本网注明“稿件来源:演示网”的所有文字、图片和音视频稿件,版权均属演示网所有,任何媒体、网站或个人未经本网协议授权不得转载。</p>
<p>② 本网未注明“稿件来源:演示网”的文/图等稿件均为转载稿,本网转载出于传递更多信息之目的,并不意味着赞同其观点或证实其内容的真实性。</p></div>"""


def article_page(a, others):
    charset = "gb2312" if a.get("charset") == "gbk" else "utf-8"
    body = "\n".join(f"<p>　　{html.escape(p, quote=False)}</p>" for p in a["paragraphs"])
    related = "\n".join(
        f'<li><a href="content_{o["id"]}.htm">{html.escape(o["title"][:8])}...</a></li>' for o in others)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{html.escape(a["title"])} - 演示网</title>
<script>var _hmt = _hmt || []; document.write("<div>广告</div>");</script>
<style>.nav li {{ display: inline; }}</style></head>
<body>
{NAV}
<div class="crumb">您所在的位置: <a href="http://www.example.com/">演示网</a> &gt; <a href="index.html">新闻中心</a> &gt; 国内新闻</div>
<div class="main">
<div class="article">
<h1>{html.escape(a["title"])}</h1>
{f'<div class="time">{a["time"]};演示网</div>' if a.get("time") else ""}
<div id="zoom">
{body}
<p>(原标题:{html.escape(a["title"])})</p>
</div>
<div class="byline">{html.escape(a["byline"])}</div>
<div class="related"><h3>『相关阅读』</h3><ul>
{related}
</ul></div>
{COPYRIGHT}
</div>
{SIDEBAR}
</div>
<div class="footer">Copyright © 演示网 All Rights Reserved. <a href="http://www.example.com/about/">关于我们</a></div>
</body></html>
"""


def list_page(articles, date_of=lambda a: a["time"][:10], channel="国内新闻"):
    items = "\n".join(
        f'<li><a href="content_{a["id"]}.htm" target="_blank">{html.escape(a["title"])}</a>'
        f'<span class="date">{date_of(a)}</span></li>' for a in articles)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{channel} - 演示网</title></head>
<body>
{NAV}
<div class="crumb">您所在的位置: <a href="http://www.example.com/">演示网</a> &gt; {channel}</div>
<div class="main">
<ul class="list">
{items}
</ul>
<div class="pager"><a href="index_1.html">下一页</a> <a href="index_9.html">尾页</a></div>
{SIDEBAR}
</div>
</body></html>
"""


def main():
    data = json.loads((HERE / "articles.json").read_text(encoding="utf-8"))
    arts = data["articles"]
    SITE.mkdir(exist_ok=True)
    for a in arts:
        others = [o for o in arts if o["id"] != a["id"]][:3]
        enc = "gb18030" if a["charset"] == "gbk" else "utf-8"
        (SITE / f"content_{a['id']}.htm").write_bytes(article_page(a, others).encode(enc))
    listed = [a for a in arts if not a.get("added_later")]
    newest_first = lambda xs: sorted(xs, key=lambda a: a["time"], reverse=True)
    (SITE / "index.html").write_text(list_page(newest_first(listed)), encoding="utf-8")
    # The same channel after the portal published one more article (used by the end-to-end test).
    (SITE / "index-next.html").write_text(list_page(newest_first(arts)), encoding="utf-8")
    latest = data["latest"]["articles"]
    for a in latest:
        others = [o for o in latest if o["id"] != a["id"]][:3]
        (SITE / f"content_{a['id']}.htm").write_bytes(article_page(a, others).encode("utf-8"))
    (SITE / "latest.html").write_text(
        list_page(latest, lambda a: a["list_date"], data["latest"]["channel"]), encoding="utf-8")


if __name__ == "__main__":
    main()
