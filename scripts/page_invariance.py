"""Does a genuine article stay genuine when it is served as a whole web page? An invariance check.

Crawlers fetch whole pages: a genuine article arrives inside its site's navigation bar, a byline line with a
view counter, share buttons, a "related news" or "most read" list, and a footer with the site's licence number
and the abuse-report phone number every Chinese news site must print. None of that says anything about spam,
so a good model scores the article about the same with and without it.

Each genuine article (the written check pages ``datasets/checks/everyday_news.jsonl``, never trained on, and
the held-out outlets' articles: real text in a synthetic page) is scored bare (title and paragraphs, plain
text) and inside each of PAGE_TEMPLATES: three HTML pages (a city daily, a government portal, a news portal
with a ranked sidebar), two whose extra parts are named nothing parsing sets aside (a mobile page with "open
the app" prompts, readers' comments below the article), one with a text ad mid-article (ads are kept: an ad slot
is where a parasite page puts its ad line), and the plain-text capture of a page. Printed per
template: how many cross the model's threshold, against the bare articles, and the change in probability. The furniture wording here is the
check's own, written apart from the template lines ``classifier.synth`` puts on training pages, so the check
does not test the generator on its own lines. The same is done with spam pages synthesized from held-out
articles (every line kept), which should stay spam. Everything but the article text is synthetic; the numbers
are an invariance check, not real-world quality.

Usage: python scripts/page_invariance.py [MODEL] [--corpus ../shared/corpus] [--checks datasets/checks/everyday_news.jsonl]
"""

from __future__ import annotations

import html
import random

import numpy as np
from _invariance import arguments, page_groups

from classifier.persist import load_model
from classifier.synth import Article

#: the check's invented sites (outlet name, host, area code)
SITES = [("江城日报", "jcrb.cn", "0712"), ("南屿晚报", "nyw.com.cn", "0596"), ("青川融媒", "qcrm.cn", "0839"),
         ("海陵新闻网", "hlxw.cn", "0523"), ("北堤都市报", "bdds.cn", "0315")]


def _related(rng: random.Random, titles: list[str], k: int = 4) -> list[str]:
    return rng.sample(titles, min(k, len(titles)))


def _info(rng: random.Random, site: tuple[str, str, str]) -> str:
    return (f"20{rng.randint(20, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(6, 22):02d}:"
            f"{rng.randint(0, 59):02d} 来源:{site[0]} 作者:{rng.choice('赵钱孙李周吴郑王')}{rng.choice('晓明立新文静海涛')} "
            f"责任编辑:{rng.choice('冯陈褚卫蒋沈韩杨')}{rng.choice('丽军婷强芳磊')} "
            f"{rng.choice(['阅读量', '浏览次数', '点击数'])}:{rng.randint(200, 90000)}")


def _footer(rng: random.Random, site: tuple[str, str, str]) -> list[str]:
    name, host, area = site
    return [
        "关于我们 | 联系我们 | 广告服务 | 网站地图 | 招聘信息",
        f"版权所有 {name} 未经书面授权不得转载、摘编",
        f"违法和不良信息举报电话:{area}-{rng.randint(2000000, 8999999)} 举报邮箱:jubao@{host}",
        f"互联网新闻信息服务许可证编号:{rng.randint(10000000000, 99999999999)} 备案号:ICP备{rng.randint(10000000, 99999999)}号",
    ]


def city_daily(article: Article, titles: list[str], rng: random.Random) -> str:
    site = rng.choice(SITES)
    related = "".join(f'<li><a href="/a/{i}.html">{html.escape(t)}</a></li>' for i, t in enumerate(_related(rng, titles)))
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
    footer = "<br>".join(html.escape(line) for line in _footer(rng, site))
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(article.title)}_{site[0]}</title></head><body>"
        "<div class='nav'><a href='/'>首页</a> <a href='/bd'>本地</a> <a href='/gn'>国内</a> <a href='/cj'>财经</a> "
        "<a href='/ty'>体育</a> <a href='/sp'>视频</a> <a href='/app'>下载客户端</a> <a href='/login'>登录</a> "
        "<a href='/reg'>注册</a></div>"
        f"<div class='article'><h1>{html.escape(article.title)}</h1><div class='info'>{html.escape(_info(rng, site))}</div>"
        f"{paragraphs}<div class='share'>分享到: <a href='#'>微信</a> <a href='#'>微博</a> <a href='#'>QQ空间</a></div></div>"
        f"<div class='related'><h3>相关新闻</h3><ul>{related}</ul></div>"
        f"<div class='footer'>{footer}</div></body></html>"
    )


def government_portal(article: Article, titles: list[str], rng: random.Random) -> str:
    site = rng.choice(SITES)
    city = site[0][:2]
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
    return (
        f"<html><head><title>{html.escape(article.title)} - {city}市人民政府</title></head><body>"
        f"<header><div class='logo'>{city}市人民政府</div><nav><ul><li><a href='/'>网站首页</a></li><li><a href='/zwgk'>政务公开</a></li>"
        "<li><a href='/zwfw'>政务服务</a></li><li><a href='/hdjl'>互动交流</a></li><li><a href='/zjwm'>走进本市</a></li></ul></nav></header>"
        "<div class='breadcrumb'>当前位置:<a href='/'>首页</a> > <a href='/zwgk'>政务公开</a> > 工作动态</div>"
        f"<div class='content'><h2>{html.escape(article.title)}</h2>"
        f"<div class='meta'>发布时间:20{rng.randint(20, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} "
        f"信息来源:{city}市政府办公室 访问量:{rng.randint(50, 9000)} 字号:[大 中 小] 打印本页 关闭窗口</div>{paragraphs}</div>"
        f"<footer><p>主办单位:{city}市人民政府办公室 联系电话:{site[2]}-{rng.randint(2000000, 8999999)}</p>"
        f"<p>网站标识码:{rng.randint(1000000000, 9999999999)} 公网安备 {rng.randint(10000000000000, 99999999999999)}号</p></footer>"
        "</body></html>"
    )


def news_portal(article: Article, titles: list[str], rng: random.Random) -> str:
    site = rng.choice(SITES)
    ranked = "".join(f"<li>{i}. <a href='/h/{i}'>{html.escape(t)}</a></li>" for i, t in enumerate(_related(rng, titles, 5), 1))
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
    footer = "<br>".join(html.escape(line) for line in _footer(rng, site))
    return (
        f"<html><head><title>{html.escape(article.title)}|{site[0]}</title></head><body>"
        f"<div id='top-bar'><a href='/'>{site[0]}</a> <a href='/search'>搜索</a> <a href='/user'>个人中心</a></div>"
        f"<article><h1>{html.escape(article.title)}</h1><p class='byline'>{html.escape(_info(rng, site))}</p>{paragraphs}</article>"
        f"<aside class='sidebar'><h3>24小时热榜</h3><ol>{ranked}</ol>"
        f"<div class='app'>扫码下载{site[0]}客户端 新闻随时看</div><div class='wx'>关注{site[0]}微信公众号</div></aside>"
        f"<div id='footer'>{footer}</div></body></html>"
    )


#: mobile_page / reader_comments: markup named nothing parsing knows as furniture, so the model itself sees it
COMMENTS = ["家门口的变化看得见,点赞!", "希望后续配套能跟上,周末带孩子去看看。", "去年就说要建,总算落地了。",
            "请问周边停车方便吗?", "这样的新闻多来点。"]


def mobile_page(article: Article, titles: list[str], rng: random.Random) -> str:
    site = rng.choice(SITES)
    first, rest = article.paragraphs[0], article.paragraphs[1:]
    return (
        f"<html><head><title>{html.escape(article.title)}</title></head><body>"
        f"<div class='m-head'><span>{site[0]}</span> <a href='/app'>打开APP</a></div>"
        f"<h1>{html.escape(article.title)}</h1><p class='src'>{html.escape(site[0])} "
        f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日</p><p>{html.escape(first)}</p>"
        "<div class='fold-box'>" + "".join(f"<p>{html.escape(p)}</p>" for p in rest) + "</div>"
        "<div class='unfold'>展开全文</div>"
        f"<div class='open-app'>打开{site[0]}APP,查看更多精彩内容 立即打开</div>"
        "</body></html>"
    )


def reader_comments(article: Article, titles: list[str], rng: random.Random) -> str:
    picks = rng.sample(COMMENTS, 3)
    comments = "".join(
        f"<li><b>网友{rng.randint(1000, 9999)}</b> {html.escape(c)} <span>{rng.randint(1, 99)}赞 回复</span></li>"
        for c in picks
    )
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
    return (
        f"<html><head><title>{html.escape(article.title)}</title></head><body><h1>{html.escape(article.title)}</h1>"
        f"{paragraphs}<div class='discuss'><h3>网友留言({rng.randint(3, 200)})</h3><ul>{comments}</ul>"
        "<p>我来说两句</p></div></body></html>"
    )


#: ad_in_article: text ads a news page may carry mid-article (kept by parsing: an ad slot is where a parasite
#: page puts its own ad line)
TEXT_ADS = ["海棠湾壹号 城芯精装三居 火爆认购中 咨询热线:400-820-1234", "暑期特惠 海岛五日游 立即预订 立减500元",
            "某某银行信用卡 新户首刷礼 扫码申请"]


def ad_in_article(article: Article, titles: list[str], rng: random.Random) -> str:
    paragraphs = [f"<p>{html.escape(p)}</p>" for p in article.paragraphs]
    paragraphs.insert(max(1, len(paragraphs) // 2), f"<div class='ad-box'>{html.escape(rng.choice(TEXT_ADS))}</div>")
    return (f"<html><head><title>{html.escape(article.title)}</title></head><body><h1>{html.escape(article.title)}</h1>"
            f"{''.join(paragraphs)}</body></html>")


def plain_capture(article: Article, titles: list[str], rng: random.Random) -> str:
    site = rng.choice(SITES)
    lines = [f"{site[0]} 首页 本地 国内 财经 体育 下载客户端 登录", article.title, _info(rng, site), *article.paragraphs,
             "分享到: 微信 微博 QQ空间", "相关新闻", *_related(rng, titles), *_footer(rng, site)]
    return "\n".join(lines)


def bare(article: Article, titles: list[str], rng: random.Random) -> str:
    return "\n\n".join([article.title, *article.paragraphs])


PAGE_TEMPLATES = {"city daily (HTML)": city_daily, "government portal (HTML)": government_portal,
                  "news portal with ranked sidebar (HTML)": news_portal,
                  "mobile page with app prompts (HTML)": mobile_page,
                  "readers' comments below (HTML)": reader_comments, "a text ad mid-article (HTML)": ad_in_article,
                  "plain-text page capture": plain_capture}


def main() -> None:
    args = arguments(__doc__)
    model = load_model(args.model)
    print(f"model threshold {model.threshold:.3f}")
    for name, articles in page_groups(args).items():
        _report(model, name, articles, args.seed)


def _report(model, name: str, articles: list[Article], seed: int) -> None:
    """Print how many of ``articles`` the model flags bare and inside each page template."""
    titles = [a.title for a in articles]
    base = model.predict_proba([bare(a, titles, None) for a in articles])
    flagged_bare = int(np.sum(base > model.threshold))
    print(f"\n{name}: {len(articles)} pages; bare: {flagged_bare} flagged\n")
    print("| page template | flagged | flagged, bare | mean change in probability | change range |")
    print("|---|---|---|---|---|")
    for template_name, render in PAGE_TEMPLATES.items():
        rng = random.Random(f"{seed}:{template_name}")
        proba = model.predict_proba([render(a, [t for t in titles if t != a.title], rng) for a in articles])
        change = proba - base
        print(f"| {template_name} | {int(np.sum(proba > model.threshold))} | {flagged_bare} "
              f"| {change.mean():+.3f} | {change.min():+.3f} to {change.max():+.3f} |")


if __name__ == "__main__":
    main()
