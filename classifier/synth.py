"""Spam synthesizer: a pure function of (article, vertical, kind, seed) -> spam page, for training and tests.

Kinds (issue 3): ``parasite`` (kind 1: a genuine article with a commercial phrase put before the headline,
doubled as a question title, spliced into 1-6 sentences, with site banners, a template counter line and a
numbered ad line with contact details), ``spun`` (kind 2: synonym swaps, traditional script with pinyin
residue, "(资料图)" prefixes, shuffled sentences, a site-farm header and a left-in copyright line) and
``keywords`` (kind 4: a long-tail keyword list page with recycled snippets).

Pages come in pairs (``synthesize_pair``): the spam page and its clean article (label genuine), which go to the
same side of every split. Whatever a page carries besides the spam itself is drawn alike for both labels: site
names, date and counter lines, and (half of the pairs) the same page furniture around both pages, so that no
template line tells the label.

Every word list below is the project's own writing. None contains the seed page's phrases. Pages made from
corpus articles contain the corpus's sentences, so they are written to a cache folder, never committed.
"""

from __future__ import annotations

import dataclasses
import random
import re
from dataclasses import dataclass

#: Per vertical: core keywords, modifiers that make long-tail phrases, and service descriptions for ad lines.
VERTICALS: dict[str, dict[str, list[str]]] = {
    "peizi": {
        "keywords": ["期货配资", "杠杆炒股", "配资开户", "按天配资", "在线配资", "配资公司", "融资炒股平台", "炒股加杠杆"],
        "services": ["十倍杠杆当天到账", "低息按月配资", "免费体验操盘资金"],
    },
    "gambling": {
        "keywords": ["真人娱乐城", "体育投注", "百家乐平台", "网上赌场", "彩票计划群", "时时彩技巧", "足球外围", "电子游艺"],
        "services": ["注册就送彩金", "首存百分百返利", "专业导师带单"],
    },
    "surrogacy": {
        "keywords": ["试管代孕", "代孕中介", "助孕机构", "供卵试管", "包成功代孕", "海外试管婴儿", "代怀生子", "三代试管包性别"],
        "services": ["全程包成功", "不成功全额退款", "私人定制助孕方案"],
    },
    "invoice": {
        "keywords": ["代开发票", "增值税专用发票", "普通发票代开", "开票公司", "各类发票", "专票代开", "发票点数", "真票代开"],
        "services": ["全国可开可验", "点数低当天出票", "各行业票据齐全"],
    },
    "loan": {
        "keywords": ["网贷口子", "秒下款", "黑户贷款", "无视征信贷款", "小额借款平台", "身份证借钱", "急用钱借款", "不看征信的口子"],
        "services": ["三分钟到账不查征信", "凭身份证即可下款", "新口子秒批"],
    },
    "certificate": {
        "keywords": ["办证", "学历证书代办", "驾驶证代办", "资格证包过", "毕业证书补办", "代考包过", "职称证书办理", "学信网可查"],
        "services": ["全国联网可查", "不过全额退款", "三天出证"],
    },
    "brushing": {
        "keywords": ["刷单兼职", "手机兼职日结", "网络兼职", "宝妈兼职", "点赞赚钱", "打字员兼职", "在家兼职", "任务佣金"],
        "services": ["一单一结日赚三百", "手机就能做", "无需押金当天结算"],
    },
    "medical": {
        "keywords": ["壮阳药", "减肥药", "伟哥代购", "男科医院", "特效药", "处方药网购", "丰胸产品", "增高药"],
        "services": ["三个疗程根治", "无效退款隐私发货", "专家一对一指导"],
    },
}
#: parasite: title suffixes that make a second, question-like headline.
QUESTION_SUFFIXES = ["哪家好", "靠谱吗", "怎么选", "哪个平台正规", "多少钱", "有哪些", "是真的吗", "怎么样"]
#: long-tail modifiers.
MODIFIERS = ["正规", "靠谱的", "专业", "本地", "2024年", "最新", "十大", "北京", "上海", "深圳", "广州", "杭州", "成都"]
#: banners: site-name endings.
SITE_ENDINGS = ["网", "门户", "资讯网", "在线", "之家", "信息港", "导航"]
BRAND_SYLLABLES = list("鑫盛恒泰富华瑞丰金宏达安信博源汇通联创优佳美辰星")
#: spun: synonym swaps of the kind 伪原创 tools make (a common word -> an odd near-synonym).
SYNONYMS = {
    "表示": "透露表明", "发展": "成长", "经济": "经济体", "企业": "商家", "政府": "当局部门", "增长": "增添",
    "市场": "商场", "重要": "紧要", "问题": "疑问", "工作": "任务", "推动": "鞭策", "加强": "增强化",
    "提高": "进步", "公司": "企业单位", "记者": "新闻工作者", "国家": "国度", "目前": "现阶段时期",
    "已经": "早已经", "影响": "作用影响力", "认为": "觉得以为", "进行": "开展进行", "需要": "需求",
    "一些": "部分一些", "情况": "状况环境", "民众": "群众大众", "宣布": "公告发表", "调查": "查询",
}
#: spun: a few characters with the pinyin a careless script conversion leaves behind.
PINYIN = {"国": "guo", "中": "zhong", "市": "shi", "发": "fa", "经": "jing", "民": "min", "业": "ye", "会": "hui"}
#: spun: a content farm's repost disclaimer (the project's own wording, in the forms such sites use).
COPYRIGHT_LINES = [
    "版权声明:本文来源于网络,如有侵权请联系删除", "本站部分内容转载自网络,仅供参考", "免责声明:文章内容不代表本站观点",
    "文章来源:网络整理,侵删", "图文来自网络,如涉及侵权请与本站联系", "(内容收集于互联网,版权归原作者所有,如有侵权请告知)",
    "本站资讯均来源于网络,只为传递更多信息", "声明:本站文章均为采集整理,侵权必删",
]
#: spun: share of spun pages that carry a repost disclaimer (not all content farms print one).
DISCLAIMER_SHARE = 0.8
#: spun: picture labels a scraper leaves glued in front of the headline.
CAPTION_LABELS = ["(资料图)", "(图)", "【组图】", "(资料照片)", "[图文]"]
KINDS = ("parasite", "spun", "keywords")
SENTENCE_RE = re.compile(r"(?<=[。!?！？])")


@dataclass(frozen=True)
class Article:
    """A genuine article: headline and paragraphs (plain text)."""

    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class SynthPage:
    text: str
    kind: str
    vertical: str
    keyword: str


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _disguise(rng: random.Random, digits: str) -> str:
    """Contact digits as spammers write them: plain, full-width, or split by spaces or dashes."""
    style = rng.randrange(4)
    if style == 1:
        return digits.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if style == 2:
        return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))
    if style == 3:
        return "-".join(digits[i:i + 3] for i in range(0, len(digits), 3))
    return digits


def contact_line(rng: random.Random) -> str:
    kind = rng.randrange(3)
    if kind == 0:
        return f"{rng.choice(['QQ', '扣扣', 'Q号'])}:{_disguise(rng, _digits(rng, rng.randint(8, 10)))}"
    if kind == 1:
        wid = rng.choice(["vip", "kf", "zx", "hd"]) + _digits(rng, rng.randint(4, 7))
        return f"{rng.choice(['微信', '薇信', '加V', 'vx'])}:{wid}"
    return f"{rng.choice(['热线', '电话', '手机'])}:{_disguise(rng, '1' + rng.choice('3589') + _digits(rng, 9))}"


def brand(rng: random.Random) -> str:
    return "".join(rng.sample(BRAND_SYLLABLES, 2))


def keyword_phrase(rng: random.Random, vertical: str) -> str:
    kw = rng.choice(VERTICALS[vertical]["keywords"])
    return kw if rng.random() < 0.4 else rng.choice(MODIFIERS) + kw


def _sentences(paragraph: str) -> list[str]:
    return [s for s in SENTENCE_RE.split(paragraph) if s]


def _splice(rng: random.Random, paragraph: str, phrase: str) -> str:
    """Put ``phrase`` at a sentence boundary or inside a sentence (between two characters of a clause)."""
    sentences = _sentences(paragraph)
    i = rng.randrange(len(sentences))
    s = sentences[i]
    if rng.random() < 0.5 or len(s) < 12:
        sentences[i] = s[:-1] + phrase + s[-1:] if s[-1:] in "。!?！？" else s + phrase
    else:
        cut = rng.randrange(4, len(s) - 4)
        sentences[i] = s[:cut] + phrase + s[cut:]
    return "".join(sentences)


def synthesize(article: Article, vertical: str, kind: str, seed: int) -> SynthPage:
    """Make one spam page of ``kind`` for ``vertical`` from ``article``; deterministic given ``seed``.

    Examples
    --------
    >>> a = Article("市政府发布新规", ("市政府今天发布新规定。新规定下月实施。", "记者了解到,各区已经开始准备。"))
    >>> synthesize(a, "loan", "parasite", 1) == synthesize(a, "loan", "parasite", 1)
    True
    """
    if vertical not in VERTICALS:
        raise ValueError(f"unknown vertical {vertical!r}; valid: {sorted(VERTICALS)}")
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; valid: {list(KINDS)}")
    rng = random.Random(f"{seed}:{vertical}:{kind}:{article.title}")
    phrase = keyword_phrase(rng, vertical)
    return {"parasite": _parasite, "spun": _spun, "keywords": _keyword_page}[kind](rng, article, vertical, phrase)


def _parasite(rng, article, vertical, phrase) -> SynthPage:
    paragraphs = list(article.paragraphs)
    lines = []
    if rng.random() < 0.8:
        site = site_name(rng)
        lines.append(site)
        if rng.random() < 0.6:
            lines.append(rng.choice(VERTICALS[vertical]["keywords"]) + rng.choice(["平台", "网", "服务中心"]))
    placement = rng.randrange(3)
    if placement == 0:
        title = f"{phrase} {article.title}"
    elif placement == 1:
        title = f"{article.title}_{phrase}"
    else:
        title = f"{phrase}{rng.choice(QUESTION_SUFFIXES)} {article.title}"
    lines.append(title)
    if rng.random() < 0.6:
        lines.append(cms_info_line(rng))
    if rng.random() < 0.5:
        lines.append(title)
    if rng.random() < 0.7:
        services = VERTICALS[vertical]["services"]
        lines.append(f"{rng.randint(1, 3)}. {brand(rng)}{rng.choice(['平台', '官网', '在线'])}:{rng.choice(services)},{contact_line(rng)}")
    for _ in range(rng.randint(1, 6)):
        k = rng.randrange(len(paragraphs))
        paragraphs[k] = _splice(rng, paragraphs[k], phrase)
    lines.extend(paragraphs)
    if rng.random() < 0.3:
        lines.append(" ".join(keyword_phrase(rng, vertical) for _ in range(rng.randint(3, 8))))
    return SynthPage("\n\n".join(lines), "parasite", vertical, phrase)


def _spun(rng, article, vertical, phrase) -> SynthPage:
    paragraphs = []
    for p in article.paragraphs:
        for word, odd in SYNONYMS.items():
            if word in p and rng.random() < 0.7:
                p = p.replace(word, odd)
        sentences = _sentences(p)
        if len(sentences) > 2 and rng.random() < 0.5:
            rng.shuffle(sentences)
        paragraphs.append("".join(sentences))
    if rng.random() < 0.4:
        import opencc

        from classifier.parse import to_simplified  # noqa: F401  (OpenCC is initialised the same way)

        converter = opencc.OpenCC("s2t")
        paragraphs = [converter.convert(p) for p in paragraphs]
        paragraphs = [
            re.sub("[" + "".join(PINYIN) + "]", lambda m: m.group(0) + (f"({PINYIN[m.group(0)]})" if rng.random() < 0.15 else ""), p)
            for p in paragraphs
        ]
    lines = [brand(rng) + rng.choice(SITE_ENDINGS) + " - " + phrase]
    lines.append((rng.choice(CAPTION_LABELS) if rng.random() < 0.5 else "") + article.title)
    lines.extend(paragraphs)
    if rng.random() < DISCLAIMER_SHARE:
        lines.append(rng.choice(COPYRIGHT_LINES))
    if rng.random() < 0.5:
        lines.append("相关推荐:" + " ".join(keyword_phrase(rng, vertical) for _ in range(4)))
    return SynthPage("\n".join(lines), "spun", vertical, phrase)


def _keyword_page(rng, article, vertical, phrase) -> SynthPage:
    lines = [f"{phrase}_{brand(rng)}{rng.choice(SITE_ENDINGS)}"]
    for _ in range(rng.randint(8, 30)):
        kw = rng.choice(VERTICALS[vertical]["keywords"])
        tail = rng.choice(["", "哪家好", "电话", "联系方式", "价格", "怎么样", "官网", "推荐", "排行榜", "多少钱"])
        lines.append(f"{rng.choice(MODIFIERS)}{kw}{tail}")
    snippets = [s for p in article.paragraphs for s in _sentences(p)]
    rng.shuffle(snippets)
    lines.extend(snippets[: rng.randint(2, 6)])
    if rng.random() < 0.6:
        lines.append(contact_line(rng))
    return SynthPage("\n".join(lines), "keywords", vertical, phrase)


#: render_clean: share of clean pages rendered as a CMS page (site name line, date and view-counter line),
#: as many genuine Chinese sites print them; so banners and counters alone do not mark a page as spam.
CLEAN_CMS_SHARE = 0.5
OUTLET_ENDINGS = ["日报", "新闻网", "晚报", "融媒体中心", "政府网", "大学新闻网"]


def render_clean(article: Article, rng: random.Random) -> str:
    """The genuine side of a pair: the article as plain text, or (CLEAN_CMS_SHARE of the time) with the
    template lines a genuine CMS page carries."""
    lines = [article.title, *article.paragraphs]
    if rng.random() < CLEAN_CMS_SHARE:
        header = [site_name(rng), article.title, cms_info_line(rng)]
        lines = header + list(article.paragraphs)
    return "\n\n".join(lines)


def site_name(rng: random.Random) -> str:
    """A site's name as a page's banner prints it, from one pool for parasite pages and genuine CMS pages
    (SITE_ENDINGS and OUTLET_ENDINGS): parasites pose as news sites (the seed's banner ends in 新闻网) and news
    sites are called 网 and 在线 too. With separate pools, the banner's tokens told the label, and the model
    learned that a counter line without a news outlet's name on the page is spam."""
    return brand(rng) + rng.choice(SITE_ENDINGS + OUTLET_ENDINGS)


#: cms_info_line: the date and view-counter labels of a CMS page, one set for spam and genuine pages alike (with
#: 点击次数 on spam pages only and three other labels on clean ones, the labels' tokens told the label).
DATE_LABELS = ["发布日期", "发布时间", "日期", "时间"]
COUNTER_LABELS = ["点击次数", "浏览次数", "阅读量", "点击量", "浏览量", "人气"]


def cms_info_line(rng: random.Random) -> str:
    """A CMS page's date and view-counter line, as spam and genuine pages both print it."""
    return (f"{rng.choice(DATE_LABELS)}:20{rng.randint(19, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
            f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}  {rng.choice(COUNTER_LABELS)}:{rng.randint(12, 9999)}")


#: synthesize_pair: share of pairs served inside a site's page furniture, the same furniture on both pages of the
#: pair, so that navigation rows, bylines, related-reading lists, app and account prompts and footers with a
#: phone number carry no label: genuine sites print them as spam sites do. Without them every training page
#: with such furniture was spam (the spam sites' own pages) and the model flagged genuine articles served
#: in a whole page (scripts/page_invariance.py, whose furniture wording is written apart from this).
FURNITURE_SHARE = 0.5
NAV_ROWS = ["资讯 民生 财经 文旅 视频 客户端 登录", "首页 | 时政 | 区县 | 图片 | 专题 | 注册", "返回首页 > 新闻中心 > 正文",
            "新闻 经济 社会 教育 健康 直播 更多"]
RELATED_HEADINGS = ["相关阅读", "延伸阅读", "猜你喜欢", "更多报道", "往期回顾"]
APP_LINES = ["打开{site}APP,阅读体验更佳", "长按识别二维码,关注{site}官方微信", "{site}客户端 | 微信 | 微博 | 抖音号",
             "下载{site}新闻客户端,第一时间获取本地资讯"]
ROADS = ["人民", "解放", "建设", "中山", "文化", "新华", "和平", "滨江"]


def page_furniture(rng: random.Random, titles: list[str]) -> tuple[list[str], list[str]]:
    """(lines above, lines below) a page: a site name and navigation row; a related-reading list of other
    ``titles``, an app or account prompt, an editor line and a footer with the site's phone and address."""
    site = site_name(rng)
    area = f"0{rng.randint(10, 999)}"
    top = [site, rng.choice(NAV_ROWS)]
    bottom = []
    if titles and rng.random() < 0.7:
        bottom += [rng.choice(RELATED_HEADINGS), *rng.sample(titles, min(len(titles), rng.randint(2, 5)))]
    if rng.random() < 0.7:
        bottom.append(rng.choice(APP_LINES).format(site=site))
    bottom.append(f"{rng.choice(['编辑', '责任编辑', '审核'])}:{''.join(rng.sample(BRAND_SYLLABLES, 2))}")
    if rng.random() < 0.7:
        bottom.append(f"联系电话:{area}-{_digits(rng, 7)} 地址:{rng.choice(ROADS)}路{rng.randint(1, 399)}号")
    if rng.random() < 0.5:
        bottom.append(f"Copyright © 20{rng.randint(15, 25)} {site} 版权所有")
    return top, bottom


def synthesize_pair(article: Article, vertical: str, kind: str, seed: int, pair_seed: str,
                    titles: list[str] = ()) -> tuple[SynthPage, str]:
    """A spam page of ``vertical`` and ``kind`` made from ``article`` (``synthesize`` with ``seed``) and its
    clean page (``render_clean``), both inside the same page furniture FURNITURE_SHARE of the time
    (``page_furniture``; related-reading titles drawn from ``titles``, the article's own left out).
    Deterministic given ``seed`` and ``pair_seed``."""
    page = synthesize(article, vertical, kind, seed)
    clean = render_clean(article, random.Random(f"{pair_seed}:clean"))
    rng = random.Random(f"{pair_seed}:furniture")
    if rng.random() < FURNITURE_SHARE:
        top, bottom = page_furniture(rng, [t for t in titles if t != article.title])
        page = dataclasses.replace(page, text="\n".join([*top, page.text, *bottom]))
        clean = "\n".join([*top, clean, *bottom])
    return page, clean


def article_from_parsed(parsed) -> Article | None:
    """An Article from a ParsedDoc: its title and the lines that read as paragraphs (None if too short)."""
    paragraphs = tuple(line for line in parsed.lines if len(line) >= 30 and re.search("[。!?]", line))
    if not parsed.title or len(paragraphs) < 2:
        return None
    return Article(parsed.title, paragraphs)


def write_synthetic_set(docs, out_dir, per_vertical: int, seed: int, verticals=None, kinds=KINDS) -> dict:
    """Write ``synth-<vertical>.jsonl`` files of spam pages made from genuine ``docs``, each with its clean
    pair (label genuine). Returns counts per vertical. Both pages of a pair share ``pair`` and ``source``."""
    import json
    from pathlib import Path

    from classifier.parse import parse_document

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    articles = [(d, a) for d in docs if d.label in (None, "genuine") and (a := article_from_parsed(parse_document(d)))]
    if not articles:
        raise ValueError("no usable genuine articles (need a title and 2+ paragraphs)")
    rng = random.Random(seed)
    counts = {}
    for vertical in verticals or sorted(VERTICALS):
        picks = rng.sample(articles, min(per_vertical, len(articles)))
        titles = [article.title for _, article in picks]
        with open(out_dir / f"synth-{vertical}.jsonl", "w", encoding="utf-8") as handle:
            for n, (doc, article) in enumerate(picks):
                kind = kinds[n % len(kinds)]
                pair = f"{vertical}-{n:05d}"
                page, clean = synthesize_pair(article, vertical, kind, seed + n, f"{seed}:{pair}", titles)
                common = {"synthetic": True, "vertical": vertical, "pair": pair, "origin": doc.id, "source": doc.source}
                handle.write(json.dumps({"id": f"synth:{pair}:spam", "label": "spam", "kind": kind, "text": page.text, **common}, ensure_ascii=False) + "\n")
                handle.write(json.dumps({"id": f"synth:{pair}:clean", "label": "genuine", "kind": "clean", "text": clean, **common}, ensure_ascii=False) + "\n")
        counts[vertical] = len(picks)
    return counts


def make_synthetic_set(paths, out_dir, per_vertical: int, seed: int, sources=None, verticals=None) -> dict:
    """Load labeled data, keep genuine documents whose source matches ``sources`` globs, write the set."""
    import fnmatch

    from classifier.documents import load_labeled

    docs = [
        d
        for d in load_labeled(paths).documents
        if d.label == "genuine" and not d.synthetic and (not sources or any(fnmatch.fnmatch(d.source or "", s) for s in sources))
    ]
    return write_synthetic_set(docs, out_dir, per_vertical, seed, verticals=verticals)
