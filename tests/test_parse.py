from classifier.parse import normalize, parse_text
from classifier.segment import segment


def test_front_matter_is_metadata_not_link():
    raw = '---\ntitle: "测试标题"\nfrom: https://example.com/a\n---\n<!--123-->\n<div><p>第一段。</p><p>第二段。</p></div>'
    doc = parse_text(raw)
    assert doc.title == "测试标题"
    assert doc.meta["from"] == "https://example.com/a"
    assert doc.links == []
    assert doc.lines == ["第一段。", "第二段。"]
    assert doc.format == "markdown"


def test_email_headers_stripped():
    raw = "Received: from x\nFrom: a@b.com\nSubject: =?utf-8?B?5L2g5aW9?=\nTo: c@d.com\n\n正文第一行\n正文第二行"
    doc = parse_text(raw)
    assert doc.format == "email"
    assert doc.title == "你好"
    assert doc.lines == ["正文第一行", "正文第二行"]


def test_html_title_anchors_and_invisible_text():
    raw = "<html><head><title>页面标题</title><script>var x='隐藏';</script></head><body><h1>页面标题</h1><p>正文 <a href='http://a.cn/x'>链接文字</a></p></body></html>"
    doc = parse_text(raw)
    assert doc.title == "页面标题"
    assert doc.lines == ["正文 链接文字"]
    assert [(link.text, link.url, link.kind) for link in doc.links] == [("链接文字", "http://a.cn/x", "html")]


def test_plain_text_title_markdown_and_bare_urls():
    doc = parse_text("标题行\n\n见 [文档](http://a.cn) 和 www.spam.com 。")
    assert doc.title == "标题行"
    assert sorted((link.text, link.kind) for link in doc.links) == [("www.spam.com", "bare"), ("文档", "markdown")]


def test_normalize_width_and_script():
    assert normalize("ＱＱ：１２３４５ 經濟發展") == "QQ:12345 经济发展"


def test_segment_hmm_off():
    assert segment("深圳发布新政策") == ["深圳", "发布", "新", "政策"]


FURNISHED_PAGE = """<html><head><title>湖滨公园改造完工_临川晚报</title></head><body>
<div class="top-nav"><a href="/">首页</a> <a href="/app">下载客户端</a> <a href="/reg">注册</a></div>
<div class="main"><h1>湖滨公园改造完工</h1><p>临川市湖滨公园改造工程日前完工,新增步道三公里,周末起恢复开放。</p>
<div class="share-bar">分享到 微信 微博</div></div>
<aside><h3>热门排行</h3><ol><li><a href="/a/1">1. 地铁三号线试运行</a></li></ol></aside>
<div id="footer">版权所有 临川晚报社 违法和不良信息举报电话:0791-5550000</div></body></html>"""


def test_html_page_furniture_is_dropped_with_its_links():
    doc = parse_text(FURNISHED_PAGE)
    # navigation, share bar, sidebar and footer go, with their anchors; the article stays
    assert doc.lines == ["湖滨公园改造完工", "临川市湖滨公园改造工程日前完工,新增步道三公里,周末起恢复开放。"]
    assert doc.links == []
    # what was dropped is kept aside for the explanation, each element once (the sidebar is an <aside> with a
    # furniture class too)
    assert doc.furniture[0] == "首页 下载客户端 注册" and doc.furniture[-1].startswith("版权所有 临川晚报社")
    assert len(doc.furniture) == len(set(doc.furniture))
    sidebar = parse_text(FURNISHED_PAGE.replace("<aside>", '<aside class="sidebar">'))
    assert sidebar.furniture.count("热门排行") == 1 and sidebar.lines == doc.lines
    # a page whose markup names nearly everything furniture is kept whole rather than emptied
    odd = '<html><body><div class="sidebar-wrap"><p>全文都在这个容器里,共有二十多个字的正文内容。</p></div><p>短</p></body></html>'
    # an article column named like furniture holds most of the text: it stays, the navigation inside it goes
    column = (
        '<html><head><title>标题</title></head><body><div class="left-side"><nav>首页 财经 登录</nav>'
        "<p>临川市湖滨公园改造工程日前完工,新增步道三公里,周末起恢复开放,市民可前往游览。</p></div>"
        '<div class="footer">版权所有</div></body></html>'
    )
    assert parse_text(column).lines == ["临川市湖滨公园改造工程日前完工,新增步道三公里,周末起恢复开放,市民可前往游览。"]
    kept = parse_text(odd)
    assert (kept.title, kept.lines) == ("全文都在这个容器里,共有二十多个字的正文内容。", ["短"])


def test_furniture_lines_set_aside_in_any_format():
    text = (
        "社区食堂开张\n首页 | 本地 | 社会 | 财经 | 登录\n社区食堂今天开张,老人用餐可享八折。\n"
        "版权所有 某某日报社 鄂ICP备12345678号\n配资 股票配资 配资平台 配资开户\n分享到:微信 微博"
    )
    doc = parse_text(text)
    assert doc.lines == ["社区食堂今天开张,老人用餐可享八折。", "配资 股票配资 配资平台 配资开户"]
    assert doc.furniture == ["首页 | 本地 | 社会 | 财经 | 登录", "版权所有 某某日报社 鄂ICP备12345678号", "分享到:微信 微博"]
    # a whole page run into one line is content, copyright notice and all
    run_on = "配资开户 杠杆炒股 " * 10 + "Copyright © 2025 All rights reserved"
    assert parse_text("标题\n" + run_on).lines == [run_on.strip()]
