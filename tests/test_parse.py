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
