"""[parse] Raw document text -> :class:`ParsedDoc` (title, normalized visible text, links, metadata).

The format is decided from the content, not the file name: YAML front matter goes to ``meta`` (a
``from:``/``url:`` field is metadata, never a link of the body); e-mail headers are stripped (the Subject
becomes the title); markdown links count as links; HTML gives visible text, ``<title>`` and ``<a>`` anchors
through selectolax; in plain text the first non-empty line is the title. Then every piece of text is
normalized: NFKC (full-width to half-width) and traditional to simplified (OpenCC ``t2s``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from email.header import decode_header, make_header

from classifier.documents import Document
from classifier.estimator import Transformer
from classifier.segment import segment

#: _strip_front_matter: a leading block between '---' lines (Jekyll/Hugo posts, the genuine seed's format).
FRONT_MATTER_RE = re.compile(r"\A\s*---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
#: _strip_email_headers: header names that mark an RFC 822 header block at the top of a document.
EMAIL_HEADER_NAMES = frozenset(
    "return-path received from to cc subject date message-id mime-version content-type reply-to "
    "delivered-to sender x-mailer x-originating-ip content-transfer-encoding content-length".split()
)
#: _strip_email_headers: at least this many known header names before the first blank line (one "From:"
#: line in an article is not an e-mail).
MIN_EMAIL_HEADERS = 2
HEADER_LINE_RE = re.compile(r"^([A-Za-z][A-Za-z0-9-]*):")
#: parse_text: markdown links and images.
MD_IMAGE_RE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
MD_LINK_RE = re.compile(r"\[([^\]\n]{1,500})\]\(([^)\s\n]{1,2000})(?:\s+\"[^\"\n]*\")?\)")
#: parse_text: setext underlines and other rule lines of markdown.
MD_RULE_RE = re.compile(r"^[ \t]*(?:-{3,}|={3,}|\*{3,})[ \t]*$", re.M)
MD_HEADING_RE = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M)
MD_EMPHASIS_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
#: _looks_like_html: tags that only HTML has; two of them make a document HTML.
HTML_TAG_RE = re.compile(
    r"<(?:!doctype|html|head|body|div|p|br|span|a|table|tr|td|li|ul|ol|h[1-6]|meta|title|section|article|"
    r"img|font|strong|em|b|i|header|footer|nav|form|script|style|link)\b[^>]*>",
    re.I,
)
MIN_HTML_TAGS = 2
#: _html_to_text: tags that start a new line of visible text.
BLOCK_TAG_RE = re.compile(
    r"<(?=/?(?:p|div|br|li|ul|ol|h[1-6]|tr|table|section|article|header|footer|nav|blockquote|pre|dd|dt|"
    r"title|form|hr)\b)",
    re.I,
)
#: _html_to_text: elements whose content is never visible.
INVISIBLE_TAGS = ["script", "style", "noscript", "template", "head", "svg", "iframe", "object"]
#: _html_to_text: page furniture elements (trafilatura drops the same): navigation, footers and sidebars, and
#: elements whose class or id names them (nav, menu, footer, sidebar, breadcrumb, copyright, share, related,
#: toolbar ...). A crawled page of a genuine news site carries a navigation bar with 下载客户端/登录/注册, a
#: "related" or "most read" list, and a footer with the site's licence number and the abuse-report phone number
#: Chinese news sites must print; none of it is the article, and a model trained on archived article bodies read
#: all of it as selling (scripts/page_invariance.py: the shipped model flagged 800 of 800 held-out articles
#: inside a city daily's page, 1 bare). Ads and banners are kept: they are a spam page's business.
FURNITURE_TAGS = frozenset({"nav", "footer", "aside"})
FURNITURE_NAMES = (
    "nav", "navbar", "nav-bar", "navigation", "menu", "footer", "foot", "sidebar", "side-bar", "breadcrumb",
    "breadcrumbs", "crumb", "crumbs", "copyright", "share", "sharing", "related", "recommend", "toolbar", "topbar",
    "top-bar", "login", "comment", "comments",
)
#: _is_furniture: a FURNITURE_NAMES word in a class or id, not inside a longer word (canvas, football, shared)
FURNITURE_NAME_RE = re.compile(
    r"(?<![a-z])(?:" + "|".join(sorted(FURNITURE_NAMES, key=len, reverse=True)) + r")(?![a-z])", re.I
)
#: _html_to_text: the CSS selector that finds the candidates natively (the furniture tags, and class or id
#: attributes containing a FURNITURE_NAMES word); FURNITURE_NAME_RE then decides on their names.
FURNITURE_SELECTOR = ", ".join(
    [*sorted(FURNITURE_TAGS)] + [f"[{key}*={name} i]" for name in FURNITURE_NAMES for key in ("class", "id")]
)
#: _html_to_text: an element holding more than this share of the page's visible text is the content, whatever its
#: name (an article column called "left-side" or "main-nav-content"), and is kept; furniture inside it still goes.
MAX_FURNITURE_SHARE = 0.5
#: _visible_chars: whitespace characters, one match each
WHITESPACE_RE = re.compile(r"\s")
#: _html_to_text: if dropping furniture leaves less than this share of the page's visible text, the page is
#: kept whole (the markup named its content oddly: no text is better evidence than all of it).
MIN_CONTENT_SHARE = 0.2
#: _split_furniture: lines that are a site's furniture in any format (a crawl saved as text keeps them): the
#: licence and filing numbers, copyright and abuse-report lines, "about us" link rows, share and print
#: controls, "you are here" trails. Generic to every Chinese site, spam or not; no product word.
FURNITURE_LINE_RE = re.compile(
    r"ICP[备证]|公网安备|网站标识码|新闻信息服务许可证|增值电信业务经营许可证|版权所有|"
    r"[Cc][Oo][Pp][Yy][Rr][Ii][Gg][Hh][Tt]\s*(?:©|\([Cc]\)|\d{4})|[Aa][Ll][Ll] [Rr][Ii][Gg][Hh][Tt][Ss] [Rr][Ee][Ss][Ee][Rr][Vv][Ee][Dd]|"
    r"违法和不良信息举报|举报电话|举报邮箱|关于我们\s*[|｜丨]|网站地图|关闭窗口"
)
#: _split_furniture: a furniture line is short; a longer line holding a copyright notice is a whole page run
#: into one line (plain-text captures often are: 10 of the 21 Common Crawl 2025 spam pages), not furniture.
FURNITURE_MAX_CHARS = 100
#: _split_furniture: the same, for what opens a line (share and print controls, "you are here" trails). Both
#: patterns open every alternative with a literal and spell case out, so the regex engine skips ahead to where
#: a match can start (3x faster than one case-insensitive pattern with anchored alternatives).
FURNITURE_LINE_START_RE = re.compile(r"分享到|打印本页|(?:当前位置|您的位置|你的位置|当前的位置)\s*[:：]")
#: _split_furniture: a navigation row is at least NAV_MIN_ITEMS items (split on spaces and |) of which at least
#: NAV_MIN_SHARE are site sections or account links (NAV_WORDS); a keyword list of a spam page is not.
NAV_WORDS = frozenset(
    "首页 网站首页 新闻 要闻 国内 国际 本地 地方 社会 财经 经济 体育 娱乐 科技 军事 汽车 房产 教育 健康 旅游 文化 时尚 "
    "视频 图片 专题 评论 观点 直播 政务 政务公开 政务服务 互动交流 办事服务 数据 登录 注册 退出 搜索 个人中心 客户端 "
    "下载客户端 关于我们 联系我们 广告服务 网站地图 招聘信息 English 更多 返回顶部".split()
)
NAV_MIN_ITEMS = 4
NAV_MIN_SHARE = 0.6
NAV_SPLIT_RE = re.compile(r"\s*[|｜丨/]\s*|\s+")
#: _is_furniture_line: a line with sentence punctuation is no navigation row (checked before splitting it).
SENTENCE_MARK_RE = re.compile(r"[。,!?;]")
#: find_bare_urls: URLs with a scheme, www. hosts, and bare domains with a common TLD.
URL_RE = re.compile(
    r"(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.)[A-Za-z0-9\-._~:/?#@!$&*+=%]+"
    r"|\b[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63})*\.(?:com|net|org|cn|cc|top|xyz|vip|info|me|tv|co|io|hk|tw)\b"
    r"(?:/[A-Za-z0-9\-._~:/?#@!$&*+=%]*)?"
)
#: _clean_lines: runs of horizontal whitespace collapse to one space.
SPACE_RUN_RE = re.compile(r"[ \t\u3000\xa0\u200b\ufeff]+")
#: parse_text: lone UTF-16 surrogates (only from str built in code, never from decoding) become U+FFFD;
#: OpenCC cannot encode them and raised UnicodeEncodeError (found by fuzzing, tests/test_robustness.py).
SURROGATE_RE = re.compile("[\ud800-\udfff]")
#: parse_text: a first line longer than this is not taken as a title (whitespace-collapsed snippets).
MAX_TITLE_CHARS = 120

_opencc = None


def to_simplified(text: str) -> str:
    """Traditional to simplified Chinese with OpenCC's ``t2s`` (initialised on first use)."""
    global _opencc
    if _opencc is None:
        import opencc

        _opencc = opencc.OpenCC("t2s")
    return _opencc.convert(text)


def normalize(text: str) -> str:
    """NFKC (full-width letters, digits and punctuation to half-width) then traditional -> simplified.

    Examples
    --------
    >>> normalize("ＱＱ：１２３ 經濟")
    'QQ:123 经济'
    """
    return to_simplified(unicodedata.normalize("NFKC", text))


@dataclass
class Link:
    """A link found in the body: its visible text, its target, and how it was written."""

    text: str
    url: str
    kind: str  # "html", "markdown" or "bare"


@dataclass
class ParsedDoc:
    """A document ready for featurizers: normalized title, body lines and links; tokens on first use.

    Attributes
    ----------
    title : str
        ``<title>``, front-matter ``title``, e-mail Subject, or the first line of plain text ("" if none).
    lines : list of str
        Non-empty lines of visible body text, whitespace collapsed, without a leading repeat of the title and
        without page furniture.
    furniture : list of str
        Lines set aside as the site's furniture, not scored: first the text of the HTML navigation, footers and
        sidebars dropped (``FURNITURE_SELECTOR``), then the lines found in the text (navigation rows, licence,
        copyright and report lines: ``FURNITURE_LINE_RE``, ``NAV_WORDS``).
    links : list of Link
    format : str
        ``"html"``, ``"markdown"``, ``"email"`` or ``"plain"``.
    meta : dict
        Front-matter fields and e-mail headers kept as metadata.
    """

    title: str
    lines: list[str]
    links: list[Link] = field(default_factory=list)
    format: str = "plain"
    meta: dict = field(default_factory=dict)
    id: str = ""
    furniture: list[str] = field(default_factory=list)
    _tokens: list[str] | None = field(default=None, repr=False)
    _text: str | None = field(default=None, repr=False)

    @property
    def body(self) -> str:
        return "\n".join(self.lines)

    @property
    def text(self) -> str:
        """Title and body, one line each: what a reader sees."""
        if self._text is None:
            self._text = "\n".join([self.title, *self.lines]) if self.title else self.body
        return self._text

    @property
    def tokens(self) -> list[str]:
        """jieba tokens of :attr:`text`, computed once and shared by every featurizer."""
        if self._tokens is None:
            self._tokens = segment(self.text)
        return self._tokens


def parse_text(raw: str, doc_id: str = "") -> ParsedDoc:
    """Parse decoded document text of any supported format into a :class:`ParsedDoc`.

    Examples
    --------
    >>> d = parse_text("标题\\n\\n正文见 [链接](http://a.cn) 。")
    >>> d.title, d.lines, [(x.text, x.kind) for x in d.links]
    ('标题', ['正文见 链接 。'], [('链接', 'markdown')])
    """
    meta: dict = {}
    fmt = "plain"
    title = ""
    text = SURROGATE_RE.sub("\ufffd", raw).replace("\r\n", "\n").replace("\r", "\n")
    text, front = _strip_front_matter(text)
    if front is not None:
        meta.update(front)
        fmt = "markdown"
        title = front.get("title", "")
    text, headers = _strip_email_headers(text)
    if headers is not None:
        meta.update(headers)
        fmt = "email"
        title = headers.get("subject", "")
    links: list[Link] = []
    text = MD_IMAGE_RE.sub("", text)
    md_links = MD_LINK_RE.findall(text)
    if md_links:
        links.extend(Link(normalize(t).strip(), u, "markdown") for t, u in md_links)
        text = MD_LINK_RE.sub(lambda m: m.group(1), text)
        if fmt == "plain":
            fmt = "markdown"
    text = MD_RULE_RE.sub("", text)
    dropped = ""
    if _looks_like_html(text):
        body_text, html_title, anchors, dropped = _html_to_text(text)
        links.extend(anchors)
        title = title or html_title
        if fmt == "plain":
            fmt = "html"
    else:
        body_text = text
        if fmt in ("markdown", "plain"):
            body_text = MD_EMPHASIS_RE.sub(r"\2", MD_HEADING_RE.sub("", body_text))
    lines, furniture = _split_furniture(_clean_lines(normalize(body_text)))
    if dropped:
        furniture = _clean_lines(normalize(dropped)) + furniture
    title = SPACE_RUN_RE.sub(" ", normalize(title)).strip()
    if not title and lines and len(lines[0]) <= MAX_TITLE_CHARS:
        title = lines.pop(0)
    elif title and lines and lines[0] == title:
        lines.pop(0)
    permalink = meta.get("from") or meta.get("url")
    if permalink:  # the archiver's headline permalink repeats front-matter metadata; it is not a body link
        links = [link for link in links if link.url != permalink]
    anchor_texts = {link.text for link in links}
    for line in lines:
        for match in URL_RE.finditer(line):
            if match.group(0) not in anchor_texts:
                links.append(Link(match.group(0), match.group(0), "bare"))
    return ParsedDoc(title=title, lines=lines, links=links, format=fmt, meta=meta, id=doc_id, furniture=furniture)


def _strip_front_matter(text: str) -> tuple[str, dict | None]:
    match = FRONT_MATTER_RE.match(text)
    if not match:
        return text, None
    fields = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "\t", "-")):
            fields[key.strip().lower()] = value.strip().strip("\"'")
    return text[match.end():], fields


def _strip_email_headers(text: str) -> tuple[str, dict | None]:
    head, sep, rest = text.lstrip("\n").partition("\n\n")
    names = [m.group(1).lower() for line in head.split("\n") if (m := HEADER_LINE_RE.match(line))]
    if not names or names[0] not in EMAIL_HEADER_NAMES:
        return text, None
    if sum(name in EMAIL_HEADER_NAMES for name in names) < MIN_EMAIL_HEADERS:
        return text, None
    headers = {}
    current = None
    for line in head.split("\n"):
        match = HEADER_LINE_RE.match(line)
        if match:
            current = match.group(1).lower()
            headers[current] = line[match.end():].strip()
        elif current and line[:1] in (" ", "\t"):
            headers[current] += " " + line.strip()
    if "subject" in headers:
        headers["subject"] = _decode_mime_words(headers["subject"])
    body = _strip_mime_parts(rest) if sep else ""
    return body, headers


def _decode_mime_words(value: str) -> str:
    try:
        return str(make_header(decode_header(value)))
    except (LookupError, UnicodeDecodeError, ValueError):
        return value


#: _strip_mime_parts: MIME boundary lines and part headers inside an e-mail body.
MIME_LINE_RE = re.compile(r"^(?:--\S+|Content-[A-Za-z-]+:.*|\s+(?:boundary|charset|name)=.*)$", re.M)


def _strip_mime_parts(body: str) -> str:
    return MIME_LINE_RE.sub("", body)


def _looks_like_html(text: str) -> bool:
    count = 0
    for _ in HTML_TAG_RE.finditer(text):
        count += 1
        if count >= MIN_HTML_TAGS:
            return True
    return False


def _html_to_text(html: str) -> tuple[str, str, list[Link], str]:
    """(visible text without furniture, <title>, anchors outside furniture, the furniture's text)."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(BLOCK_TAG_RE.sub("\n<", html))
    title_node = tree.css_first("title")
    title = title_node.text(strip=True) if title_node is not None else ""
    tree.strip_tags(INVISIBLE_TAGS)
    body = _visible_text(tree)
    most = MAX_FURNITURE_SHARE * len(body.strip())
    texts = {}  # mem_id -> text of each furniture element, measured once
    for node in tree.css(FURNITURE_SELECTOR):
        if _is_furniture(node):
            text = node.text(deep=True, separator="")
            if len(text.strip()) <= most:
                texts[node.mem_id] = (node, text)
    dropped = ""
    if texts:
        outermost = _outermost([node for node, _ in texts.values()])
        dropped = "\n".join(texts[node.mem_id][1] for node in outermost)
        # the outermost elements' texts are disjoint parts of the page's text: what stays is the rest, so the
        # page is kept whole (nothing removed) without removing first and restoring a copy
        kept_chars = _visible_chars(body) - sum(_visible_chars(texts[node.mem_id][1]) for node in outermost)
        if kept_chars < MIN_CONTENT_SHARE * _visible_chars(body):
            dropped = ""
        else:
            for node in outermost:
                node.decompose(recursive=True)
            body = _visible_text(tree)
    anchors = []
    for node in tree.css("a"):
        anchor_text = SPACE_RUN_RE.sub(" ", normalize(node.text(deep=True))).strip()
        if anchor_text:
            anchors.append(Link(anchor_text, node.attributes.get("href") or "", "html"))
    return body, title, anchors, dropped


def _visible_chars(text: str) -> int:
    """Characters of ``text`` other than whitespace (the tag breaks inserted as newlines do not count)."""
    return len(text) - len(WHITESPACE_RE.findall(text))


def _visible_text(tree) -> str:
    root = tree.body if tree.body is not None else tree.root
    return root.text(deep=True, separator="") if root is not None else ""


def _is_furniture(node) -> bool:
    """A navigation, footer or sidebar element, or one whose class or id names such furniture."""
    if node.tag in FURNITURE_TAGS:
        return True
    attributes = node.attributes
    names = " ".join(value for key in ("class", "id") if (value := attributes.get(key)))
    return bool(names) and FURNITURE_NAME_RE.search(names) is not None


def _outermost(nodes: list) -> list:
    """The nodes not inside another of ``nodes`` (each is removed once, with what it holds)."""
    ids = {node.mem_id for node in nodes}
    out = []
    for node in nodes:
        parent = node.parent
        while parent is not None and parent.mem_id not in ids:
            parent = parent.parent
        if parent is None:
            out.append(node)
    return out


def _split_furniture(lines: list[str]) -> tuple[list[str], list[str]]:
    """(content lines, furniture lines): site furniture lines (``FURNITURE_LINE_RE``) and navigation rows
    (``NAV_WORDS``) set aside.

    >>> _split_furniture(["首页 | 国内 | 财经 | 登录", "正文。", "版权所有 某某日报社"])
    (['正文。'], ['首页 | 国内 | 财经 | 登录', '版权所有 某某日报社'])
    """
    content, furniture = [], []
    for line in lines:
        (furniture if _is_furniture_line(line) else content).append(line)
    return content, furniture


def _is_furniture_line(line: str) -> bool:
    if len(line) > FURNITURE_MAX_CHARS:
        return False
    if FURNITURE_LINE_RE.search(line) or FURNITURE_LINE_START_RE.match(line):
        return True
    if SENTENCE_MARK_RE.search(line):
        return False
    items = [item for item in NAV_SPLIT_RE.split(line) if item]
    return len(items) >= NAV_MIN_ITEMS and sum(item in NAV_WORDS for item in items) >= NAV_MIN_SHARE * len(items)


def _clean_lines(text: str) -> list[str]:
    # one substitution over the whole text: SPACE_RUN_RE never matches "\n", so each line comes out as it would
    # alone
    stripped = [line.strip() for line in SPACE_RUN_RE.sub(" ", text).split("\n")]
    return [line for line in stripped if line]


def parse_document(doc: Document | ParsedDoc | str) -> ParsedDoc:
    """Parse a :class:`Document` (or raw string); a ParsedDoc passes through unchanged."""
    if isinstance(doc, ParsedDoc):
        return doc
    if isinstance(doc, Document):
        return parse_text(doc.text, doc.id)
    return parse_text(str(doc))


class Parser(Transformer):
    """First step of the model pipeline: Documents or strings in, :class:`ParsedDoc` list out."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return [parse_document(d) for d in X]
