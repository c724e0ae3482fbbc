"""Commercial intent: calls to action, ranking and trust words, brand names, second person, Q&A and polls.

Every word list here is the project's own, generic to selling; none names a vertical's product (no 配资,
贷款, 博彩, 代孕, 发票 ...), so leave-one-vertical-out evaluation stays honest.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from classifier.featurizers._base import DocFeaturizer, memo, safe_ratio
from classifier.parse import ParsedDoc

#: Rates are per this many characters of text.
CHARS_PER_RATE_UNIT = 1000
#: cta_per_1k_chars / cta_reported_per_1k_chars: calls to action; not where the word starts a noun
#: compound (咨询公司, 注册资本, 咨询师, 预约量, 债务咨询工作: a report names a firm, a trade or a figure, a
#: promotion page asks for an action), nor where it names when, how or where to act (报名截止, 注册时间, 预约方式,
#: 咨询电话, 咨询热线, 报名通知, 免费开放: public notices in news give them; a phone number itself is the contacts
#: family's); 名额 after a number (3万个名额) is a quota reported, 名额有限 a pitch. Every alternative opens with
#: a literal (the lookbehind of 名额 sits after its 名), so the regex engine skips to the characters that can
#: start a match instead of trying the whole pattern at every position (about 7x faster; same matches).
CTA_RE = re.compile(
    r"(?:咨询|开户|下载|加微信|立即|点击|注册|领取|免费|预约|扫码|添加|私聊|私信|抢购|限时|名(?<![个\d万]名)额|马上|赶快|火速|"
    r"联系客服|在线客服|客服热线|详询|致电|报名|入驻|申请通道|速来)"
    r"(?!公司|师|员|机构|资本|信息|费|服务|地址|记录|环节|窗口|链接|量|数|人数|从业|工作|业务|行业|顾问|"
    r"截止|时间|条件|方式|入口|须知|电话|热线|通知|公告|简章|开放)"
)
#: cta_reported_per_1k_chars: a call to action *reported* rather than made: in the same clause, within
#: REPORT_CUE_CHARS before it, a cue that someone else is doing the urging (诱导, 谎称, 冒充, 以...为名), a
#: victim or suspect, an illegal act, or a warning (切勿, 警惕); or right after it, the advice news gives
#: (立即报警, 立即停止). A report on a scam describes the scam's calls to action; a promotion page makes them.
REPORT_CUE_CHARS = 20
REPORT_CUE_RE = re.compile(
    r"(?:诱导|引诱|诱骗|诱使|骗|谎称|冒充|假冒|声称|号称|自称|被|不要|切勿|勿|千万别|别再|别信|警惕|谨慎|防范|涉嫌|非法|"
    r"嫌疑人|受害人|被害人|事主|要求|指使|以.{0,6}为(?:名|由|幌子)|所谓|记者)[^。!?;\n]{0,12}$"
)
WARNING_AFTER_RE = re.compile(r"[^。!?;\n]{0,4}(?:报警|停止|挂断|终止|核实|拨打)")
#: cta_reported_per_1k_chars / trust_reported_per_1k_chars: an official's advice. An institution or official
#: (警方, 公安, 局, 院 (法院, 医院, 考试院), 校, 办, 中心, 部门, 监管, 负责人 ...) that 提醒/提示/呼吁/告诫 earlier in the same sentence, within
#: ADVICE_CHARS: the calls to action and trust words in that sentence (市体彩中心提醒...请到正规网点购彩, 人社局提醒...
#: 可拨打12333咨询) are the advice a report relays, not the page's own pitch. Promotion pages cite advisers too
#: (业内人士提醒, 编辑部提醒, 温馨提示), so only an official subject counts. On the corpus and the written set
#: (`python scripts/intent_rates.py --advice`): none of the real web spam's 430 calls to action and trust words
#: and none of the written promotion pages' 1,642 sit in such a sentence; 39 of the written reports' 546 do, and
#: 4 of 1,506 in the news outlets' articles.
ADVICE_CHARS = 80
ADVICE_RE = re.compile(
    r"(?:警方|公安|民警|机关|[局厅委署院校办]|派出所|中心|部门|监管|负责人|法官|检察官|当局|政府|协会|公会|学会|工会)"
    r"[^。!?;\n]{0,6}(?:提醒|提示|呼吁|告诫|劝告)[^。!?;\n]*$"
)
#: cta_reported_per_1k_chars / trust_reported_per_1k_chars: public guidance. A public group (市民, 考生, 游客, 观众,
#: 职工 ...) that can or must act, earlier in the same sentence within GUIDANCE_CHARS (观众可通过公众号预约, 跑者须通过
#: 官网报名): news relays how the public uses a service. Not customers (用户, 客户, 投资者, 会员, 玩家), 读者 or 您:
#: that is how a promotion page speaks to its buyers (本文读者可添加...); not 患者 either (medical promotion pages
#: address patients). Calls to action only: 家长可以放心 is a reassurance, not guidance.
GUIDANCE_CHARS = 40
GUIDANCE_RE = re.compile(
    r"(?:市民|居民|群众|职工|考生|游客|旅客|乘客|观众|跑者|参赛者|选手|家长|学生|师生|老人|老年人|村民|申请人|纳税人|"
    r"车主|公众|参观者)[^。!?;\n]{0,16}(?:可|须|需|应|均可|即可|将可|能够)[^。!?;\n]*$"
)
#: trust_reported_per_1k_chars: a trust word after a warning or someone else's claim in its clause (切勿轻信网红推荐,
#: 警惕所谓“十大平台”, 号称正规): the report cues that fit a claim (not 被, 要求, 记者: 被评为十大 is a boast).
TRUST_REPORT_CUE_RE = re.compile(
    r"(?:切勿|勿|不要|千万别|别信|轻信|警惕|谨防|谨慎|谎称|声称|号称|自称|冒充|假冒|所谓|以.{0,6}为(?:名|由|幌子))"
    r"[^。!?;\n]{0,12}$"
)
#: _quoted_spans: a quotation (up to 40 characters inside “”, 「」, 『』 or straight quotes, on one line). News
#: quotes the claims it reports (以“包过”为噱头, 打着“正规平台”的旗号); a promotion page asserts them.
QUOTE_RE = re.compile(r"“[^”\n]{1,40}”|「[^」\n]{1,40}」|『[^』\n]{1,40}』|\"[^\"\n]{1,40}\"")
#: trust_ranking_words / trust_reported_per_1k_chars: ranking, trust and reassurance words. 安全 and 保障
#: alone are the vocabulary of news (国家安全, 食品安全, 安全保障对话, 社会保障): bare 安全 is in 30% of the
#: training outlets' articles and 18% of the real web spam, so only their claim forms count (资金安全, 安全可靠,
#: 有保障 ...). 权威 (权威人士, 威权) and 首选 are not in the list: news uses them as often as the spam trained on
#: (training outlets 1.7% and 0.8% of articles; the spam sites' pages 0% and 0%, trec06c spam 0.3% and 0.7%).
#: With bare 安全 and 保障 and those two, trust words asserted fired on 38% of the training outlets' articles; now
#: on 8% (`python scripts/intent_rates.py --words`). 推荐 as a news page's navigation (推荐阅读, 相关推荐, 编辑推荐)
#: is furniture, not a recommendation. Every alternative opens with a literal, as in CTA_RE.
TRUST_RE = re.compile(
    r"排名|十大|排行|榜单|靠谱|正规|可靠|推(?<!相关推|热门推|编辑推|精彩推|今日推)荐(?!阅读|新闻|文章|视频|内容|栏目)|"
    r"口碑|放心|无风险|稳赚|包过|包成功|"
    r"成功率|零风险|低门槛|专业团队|老品牌|大品牌|信誉|实力雄厚|诚信|"
    r"资金安全|账户安全|交易安全|支付安全|隐私安全|绝对安全|百分百安全|非常安全|十分安全|安全(?:正规|放心|无忧|靠谱|稳定|省心)|"
    r"有保障|品质保障|售后保障|全程保障|资金保障"
)
#: second_person_per_1k_chars: direct address.
SECOND_PERSON_RE = re.compile(r"您|你们|你")
#: qa_line_count: lines opening a question/answer block (问:/答:/Q:/A:/常见问题/Q1).
QA_LINE_RE = re.compile(r"^\s*(?:问|答|提问|回答|q\d*|a\d*|常见问题|问题\s*\d+)\s*[::.、]", re.I)
#: qa_line_count: an answer line (答:/回答:/A:), which counts only on a page where no reporter or host asks.
QA_ANSWER_RE = re.compile(r"^\s*(?:答|回答|a\d*)\s*[::.、]", re.I)
#: qa_line_count: a reporter's or host's question line (记者:/本报记者:/主持人:). In an interview the answers
#: (答:) follow a reporter's questions; a promotion page's Q&A asks its own (问:/Q:). Such lines open a line in
#: 56 of the 2,017 training outlets' articles and in none of the 2,081 real spam pages and e-mails trained on or
#: of the 240 written promotion pages (one interview among the 53 held-out Common Crawl spam pages).
INTERVIEWER_LINE_RE = re.compile(r"^\s*(?:本报记者|记者|主持人|采访者|编者)\s*[::]")
#: poll_line_count: poll prompts and lettered options. 投票 counts only in a line that turns to the reader (你/您,
#: 读者, 网友, 彩友, 选项, 留言, 【投票】, 参与投票 but not 参与投票的选民): election news votes on every line
#: (选民投票, 投票站, 邮寄投票). With 投票 alone the signal fired on 6.3% of the training outlets' articles, as often
#: as on the spam sites' own pages (6.2%); now on 0.9%, with the spam pages and the written promotion pages
#: (19.6%) unchanged (`python scripts/intent_rates.py`).
POLL_LINE_RE = re.compile(
    r"^\s*(?:[A-Da-d][.、)):]\s*\S|.*(?:您会选择|你会选择|欢迎留言|评论区|你更倾向|您更倾向)"
    r"|(?=.*投票)(?=.*(?:你|您|读者|网友|彩友|选项|留言|【投票】|参与投票(?!的选民))))"
)
#: BRAND_RE, BRAND_SUFFIX_RE, BRAND_SUFFIX_START_RE: the suffixes that end a brand-like name. BRAND_RE spells them
#: out again with the context each needs (a test keeps the two in step); the other two are built from this.
BRAND_SUFFIXES = ("平台", "官网", "在线", "app", "APP", "宝", "网")
#: numbered_brand_line_count / brand_name_per_1k_chars: a brand-like name (2-6 CJK or Latin characters
#: ending in a platform suffix) and list-numbered lines carrying one.
#: Not a brand: 网 in 落网 (arrested), 联网, 入网, 电网, 法网, 上网, nor 网上 (online), 网购, 网贷, 网点 (a
#: branch), 网格, 网警, 网红, 网课, 网约车, 网信办, nor a tennis tournament (罗马网球赛, 女网赛, 美网4强, 美网女单,
#: 美网决赛), nor 在线 before a verb (可在线办理, 医生在线接诊: online, an adverb) or 网办 (handled online).
#: Nor 宝 in a word (宝座, 宝宝, 宝贵, 宝石, 宝藏, 宝岛, 宝剑, 宝典, 宝物, 宝库) or a name (夏宝龙), nor 网 in 断网, 无线网,
#: 净网, 鱼死网破 or a tennis major (美网, 澳网, 温网 like 法网): on the training outlets' articles these made 53 of the
#: 529 brand-like names found (登上总统宝座 read as 登上总统宝; ad-hoc count, a name once per article); the articles
#: with a brand-like name went from 16.1% to
#: 14.6%, the written promotion pages from 58.8% to 55.0% (`python scripts/intent_rates.py`): the 9 pages that lost
#: theirs had only 宝宝 (baby, on surrogacy pages) or 宝贵 read as a name.
#: Nor 网 as a net or a network named by its kind: 收网 (police closing in: 20 of the 348 written reports), 撒网, 拖网,
#: 捕网, 漏网, 丝网, 管网 (pipes), 路网, 光网, 水网, 天网 (surveillance), 暗网, 全网 (the whole web), 局域网: with them,
#: articles with a brand-like name went from 14.6% to 13.6% of the training outlets' and 34.8% to 31.9% of the
#: written reports, the real web spam and the written promotion pages unchanged (`python scripts/intent_rates.py`).
BRAND_RE = re.compile(
    r"[\u4e00-\u9fffA-Za-z0-9]{2,6}(?:平台|官网|在线(?![\u4e00-\u9fff])|app|APP|(?<!宝)宝(?![座宝贵石藏岛剑典物库龙])"
    r"|(?<![落联入电法上渔断线净美澳温收管路光水丝漏撒拖捕暗全天域])网(?!破))"
    r"(?![\u4e00-\u9fff]{0,1}(?:站|络|民|友|页|上|购|贷|点|格|警|红|课|约|信|球|赛|办))"
    r"(?!\d+强|[男女][单双]|决赛|冠军)"
)
#: _brand_names: a name runs from after the last function character or channel verb in the match (发布的大模型平台
#: -> 大模型平台, 都无法在微信平台 -> 微信平台, 须通过赛事官网 -> 赛事官网, 时间内登录平台 -> none); with fewer than BRAND_MIN_CORE characters before its suffix left (等平台, 跨平台)
#: it is no name.
BRAND_FUNCTION_CHAR_RE = re.compile(
    r"[的在是了等跨从对把被将于或让给就也都还又可即须需请均内后前与及据]|通过|登录|进入|访问|使用|关注|打开"
)
BRAND_MIN_CORE = 2
BRAND_SUFFIX_RE = re.compile(f"(?:{'|'.join(BRAND_SUFFIXES)})$")
#: _brand_names: nor a site cited as a news source: after 来源/据/转自 ... (来源：人民网, 据某某网报道) or before a
#: dateline or byline (某某网北京11月20日电, 某某网讯, 某某网消息, 某某网记者).
SOURCE_CONTEXT_CHARS = 4
SOURCE_BEFORE_RE = re.compile(r"(?:来源|来自|转自|稿源|原载|据)[:：\s]*$")
SOURCE_AFTER_RE = re.compile(r"(?:[\u4e00-\u9fff]{0,4}\d{1,2}月\d{1,2}日电|讯|消息|记者|报道)")
#: _brand_names: nor a platform named by its kind or pointed at rather than by a name: a determiner or a generic
#: category right before the suffix (部分平台, 这些平台, 社交平台, 短视频平台, 招聘平台, 官方平台), or a name
#: with 某 (某游戏平台, 黄某网: news anonymizes). Both are how reports speak of platforms; a promotion page names
#: its own. Nor a news outlet's site or app (德国之声中文网, XX新闻网, 打开XX日报APP: a mobile news page's prompt)
#: or a public institution's or event's (考试院官网, 统计局官网, 博物馆官网, 组委会官网, 赛事官网): news cites them as
#: sources and points readers to them. No category here names a vertical's product (no 赌博平台, 借贷平台: see the
#: module docstring).
GENERIC_BRAND_RE = re.compile(
    r"某|(?:部分|一些|很多|不少|这些|那些|这个|那个|该|此|其|各|每家|一家|其他|相关|多家|各大|"
    r"社交|网络|视频|电商|直播|购物|交易|服务|信息|查询|查验|举报|招聘|用工|官方|政务|互联网|第三方|"
    r"游戏|支付|媒体|影音)(?:平台|官网|在线|app|APP|网)$"
    r"|(?:新闻|中文|日报|晚报|时报|早报|电视|广播|之声|融媒)(?:网|app|APP)$"
    r"|(?:[院局部委厅署办馆会]|中心|政府|大学|学校|赛事|景区)(?:平台|官网|网)$"
)
NUMBERED_LINE_RE = re.compile(r"^\s*(?:\d{1,2}\s*[.、)）:]|[一二三四五六七八九十]{1,2}\s*[、.]|第[一二三四五六七八九十\d]+[名位])")
#: exclamation_per_1k_chars
EXCLAMATION_RE = re.compile(r"!")
#: _brand_matches: where a suffix of BRAND_RE can start (平台, 官网 and the 网 inside it, 在线, app, APP, 宝,
#: 网). A brand-like name has 2-6 characters before its suffix, so BRAND_RE is tried only 2-6 characters before
#: each of these, never in the runs of text between them. A suffix that ends with another (官网 with 网) is searched
#: by its head (官), so that the other one's start inside it is found too.
BRAND_SUFFIX_START_RE = re.compile(
    "|".join(
        next((s[: -len(t)] for t in BRAND_SUFFIXES if t != s and s.endswith(t)), s) for s in BRAND_SUFFIXES
    )
)
#: _brand_matches: BRAND_RE's shortest and longest run of characters before the suffix.
BRAND_CORE_CHARS = (2, 6)
#: IntentFeaturizer: private attribute of a ParsedDoc holding what ``measure`` found (the calls to action, trust
#: words, brand names and matching lines), which ``evidence`` reuses instead of searching the text again.
FOUND_CACHE_ATTR = "_intent_found_cache"


class IntentFeaturizer(DocFeaturizer):
    """Signals that a page sells rather than reports.

    Features
    --------
    cta_per_1k_chars : calls to action the page makes, per 1,000 characters (咨询, 开户, 下载, 加微信, 立即,
        点击 ...; not in noun compounds like 咨询公司, and not the reported ones counted next).
    cta_reported_per_1k_chars : calls to action the page reports or warns against, per 1,000 characters
        (诱导她下载..., 切勿扫码, 应立即报警, inside quotation marks, or in an official's advice: 警方提醒...; see
        ``REPORT_CUE_RE`` and ``ADVICE_RE``).
    trust_ranking_words : how many different ranking and trust words the page asserts (排名, 十大, 靠谱, 正规,
        资金安全 ...; not the reported ones counted next). Different words, not a rate: a promotion
        page piles up reassurances (靠谱, 正规, 口碑, 排名), a news article mentions one (a 排名 in a short report
        was a rate high enough to flag it); 2 or more are in 1% of the training outlets' articles, 9% of the real
        web spam, 45% of the written promotion pages and 5% of the written reports (``scripts/intent_rates.py``).
    trust_reported_per_1k_chars : the same words inside quotation marks (打着“正规平台”的旗号), in an official's
        advice (中心提醒...请到正规网点购彩) or after a warning or another's claim (切勿轻信...推荐, 号称正规), per 1,000
        characters.
    second_person_per_1k_chars : 你/您 per 1,000 characters.
    brand_name_per_1k_chars : brand-like names (XX平台, XX官网, XX宝 ...; not 这些平台, 社交平台, 某游戏平台) per
        1,000 characters.
    numbered_brand_line_count : list-numbered lines that carry a brand-like name (a ranking of platforms).
    qa_line_count : lines opening a Q&A item (问:/答:/Q1:/常见问题); not the answers (答:) on a page where a
        reporter or host asks the questions (记者:, 主持人:): that is an interview.
    poll_line_count : poll prompts and lettered options (A. B. C.).
    exclamation_per_1k_chars : exclamation marks per 1,000 characters.
    """

    feature_names = (
        "cta_per_1k_chars",
        "cta_reported_per_1k_chars",
        "trust_ranking_words",
        "trust_reported_per_1k_chars",
        "second_person_per_1k_chars",
        "brand_name_per_1k_chars",
        "numbered_brand_line_count",
        "qa_line_count",
        "poll_line_count",
        "exclamation_per_1k_chars",
    )
    #: all evidence of selling when high, but reported calls to action (evidence of a report) and reported trust
    #: words (a report quotes the claims it reports, a promotion page quotes slogans too: no known direction)
    feature_directions = (1, -1, 1, 0, 1, 1, 1, 1, 1, 1)

    def measure(self, doc: ParsedDoc) -> list[float]:
        found = _found(doc)
        size = len(doc.text)

        def rate(count: int) -> float:
            return safe_ratio(count * CHARS_PER_RATE_UNIT, size)

        brands = len(found.brands)
        # A brand name inside one line is also one in the whole text (the lookahead sees "\n" there, which it
        # rejects as it rejects the end of the line), so without any, no line is a numbered brand line.
        numbered_brand = len(found.ranked_lines()) if brands else 0
        text = doc.text
        return [
            rate(len(found.made)),
            rate(len(found.reported)),
            float(len({m.group(0) for m in found.asserted})),
            rate(len(found.reported_trust)),
            # SECOND_PERSON_RE (您|你们|你) matches once per 您 and once per 你.
            rate(text.count("您") + text.count("你")),
            rate(brands),
            float(numbered_brand),
            float(len(found.qa_lines())),
            float(len(found.poll_lines())),
            rate(text.count("!")),
        ]

    def evidence(self, doc: ParsedDoc) -> dict[str, str]:
        found = _found(doc)
        text = doc.text
        out = {}
        made, reported = found.made, found.reported
        if made:
            out["cta_per_1k_chars"] = ", ".join(list(dict.fromkeys(m.group(0) for m in made))[:5])
        if reported:
            out["cta_reported_per_1k_chars"] = " | ".join(
                text[max(0, m.start() - 6):m.end()].replace("\n", " ") for m in reported[:3]
            )
        for name, words in zip(("trust_ranking_words", "trust_reported_per_1k_chars"), (found.asserted, found.reported_trust)):
            if words:
                out[name] = ", ".join(list(dict.fromkeys(m.group(0) for m in words))[:5])
        for name, names in (
            ("brand_name_per_1k_chars", found.brands),
            # SECOND_PERSON_RE finds nothing in a text without 你 and 您
            ("second_person_per_1k_chars", SECOND_PERSON_RE.findall(text) if "你" in text or "您" in text else []),
        ):
            names = list(dict.fromkeys(names))
            if names:
                out[name] = ", ".join(names[:5])
        ranked = [line[:24] for line in found.ranked_lines()]
        if ranked:
            out["numbered_brand_line_count"] = " | ".join(ranked[:3])
        qa = [line[:16] for line in found.qa_lines()]
        if qa:
            out["qa_line_count"] = " | ".join(qa[:3])
        polls = [line[:16] for line in found.poll_lines()]
        if polls:
            out["poll_line_count"] = " | ".join(polls[:3])
        return out


class _Found:
    """What the intent family finds in one document, computed once (lines on first use) and kept on the
    ParsedDoc for ``evidence``."""

    def __init__(self, doc: ParsedDoc):
        text = self.text = doc.text
        self.lines = doc.lines
        quotes = _quoted_spans(text)
        self.made, self.reported = split_calls_to_action(text, quotes)
        self.asserted, self.reported_trust = split_trust_words(text, quotes)
        self.brands = _brand_names(text)
        self._ranked = self._qa = self._polls = None

    def ranked_lines(self) -> list[str]:
        """List-numbered lines that carry a brand-like name."""
        if self._ranked is None:
            # a brand name in a line has its suffix there, and so in the text
            if BRAND_SUFFIX_START_RE.search(self.text) is None:
                self._ranked = []
            else:
                self._ranked = [line for line in self.lines if NUMBERED_LINE_RE.match(line) and _brand_names(line)]
        return self._ranked

    def qa_lines(self) -> list[str]:
        """Lines opening a Q&A item, without the answers to a reporter's questions (``INTERVIEWER_LINE_RE``)."""
        if self._qa is None:
            match = QA_LINE_RE.match
            self._qa = [line for line in self.lines if match(line)]
            if self._qa and any(INTERVIEWER_LINE_RE.match(line) for line in self.lines):
                self._qa = [line for line in self._qa if not QA_ANSWER_RE.match(line)]
        return self._qa

    def poll_lines(self) -> list[str]:
        if self._polls is None:
            match = POLL_LINE_RE.match
            self._polls = [line for line in self.lines if match(line)]
        return self._polls


def _found(doc: ParsedDoc) -> _Found:
    """The document's :class:`_Found`, computed once per document text and lines."""
    return memo(doc, FOUND_CACHE_ATTR, (doc.text, doc.lines), lambda: _Found(doc))


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in QUOTE_RE.finditer(text)]


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``position`` falls inside one of the sorted, non-overlapping ``spans``."""
    i = bisect_right(spans, (position, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= position < spans[i][1]


def _brand_matches(text: str) -> list[re.Match]:
    """What ``BRAND_RE.finditer(text)`` finds, trying BRAND_RE only where a match can start: 2-6 characters
    before a place where a suffix can start (``BRAND_SUFFIX_START_RE``), left to right, each try after the end
    of the last match. A loop over those places, not over characters."""
    out = []
    match = BRAND_RE.match
    shortest, longest = BRAND_CORE_CHARS
    pos = 0
    for suffix in BRAND_SUFFIX_START_RE.finditer(text):
        last = suffix.start() - shortest
        start = max(pos, suffix.start() - longest)
        while start <= last:
            m = match(text, start)
            if m is None:
                start += 1
            else:
                out.append(m)
                start = pos = m.end()
    return out


def _brand_names(text: str) -> list[str]:
    """Brand-like names (``BRAND_RE``) that are not a kind of platform or an anonymized one (``GENERIC_BRAND_RE``)."""
    names = []
    for m in _brand_matches(text):
        suffix = BRAND_SUFFIX_RE.search(m.group(0)).group(0)
        core = BRAND_FUNCTION_CHAR_RE.split(m.group(0)[: -len(suffix)])[-1]
        name = core + suffix
        if (
            len(core) >= BRAND_MIN_CORE
            and not GENERIC_BRAND_RE.search(name)
            and not SOURCE_BEFORE_RE.search(text, max(0, m.end() - len(name) - SOURCE_CONTEXT_CHARS), m.end() - len(name))
            and not SOURCE_AFTER_RE.match(text, m.end())
        ):
            names.append(name)
    return names


def _in_advice(text: str, position: int) -> bool:
    """Whether ``position`` is in a sentence where an official advises (``ADVICE_RE``) before it."""
    return ADVICE_RE.search(text, max(0, position - ADVICE_CHARS), position) is not None


def _in_guidance(text: str, position: int) -> bool:
    """Whether ``position`` is in a sentence where a public group is told what it can or must do
    (``GUIDANCE_RE``) before it."""
    return GUIDANCE_RE.search(text, max(0, position - GUIDANCE_CHARS), position) is not None


def _is_reported(text: str, m: re.Match, quotes: list[tuple[int, int]], cue_re: re.Pattern) -> bool:
    """The test both splitters share: a cue (``cue_re``) before the match in its clause, within
    REPORT_CUE_CHARS, the match inside quotation marks, or in an official's advice."""
    start = m.start()
    return (
        cue_re.search(text, max(0, start - REPORT_CUE_CHARS), start) is not None
        or _inside(start, quotes)
        or _in_advice(text, start)
    )


def split_calls_to_action(text: str, quotes: list[tuple[int, int]] | None = None) -> tuple[list[re.Match], list[re.Match]]:
    """The call-to-action matches of ``text``, split into (made, reported): reported after a report cue
    (``REPORT_CUE_RE``), before a warning (``WARNING_AFTER_RE``), inside quotation marks (``quotes``, the
    spans of ``QUOTE_RE``; found here when not given), in an official's advice (``ADVICE_RE``) or in guidance to
    a public group (``GUIDANCE_RE``).

    Examples
    --------
    >>> made, reported = split_calls_to_action("立即扫码开户。骗子诱导她下载软件,警方提醒应立即报警。")
    >>> [m.group(0) for m in made], [m.group(0) for m in reported]
    (['立即', '扫码', '开户'], ['下载', '立即'])
    >>> made, reported = split_calls_to_action("人社局提醒,求职者遇到可疑情况可拨打12333咨询。")
    >>> [m.group(0) for m in made], [m.group(0) for m in reported]
    ([], ['咨询'])
    """
    quotes = _quoted_spans(text) if quotes is None else quotes
    made, reported = [], []
    for m in CTA_RE.finditer(text):
        is_reported = (
            _is_reported(text, m, quotes, REPORT_CUE_RE)
            or WARNING_AFTER_RE.match(text, m.end())
            or _in_guidance(text, m.start())
        )
        (reported if is_reported else made).append(m)
    return made, reported


def split_trust_words(text: str, quotes: list[tuple[int, int]] | None = None) -> tuple[list[re.Match], list[re.Match]]:
    """The trust-word matches of ``text``, split into (asserted, reported): reported inside quotation marks, in
    an official's advice (``ADVICE_RE``) or after a warning or someone else's claim (``TRUST_REPORT_CUE_RE``).

    Examples
    --------
    >>> asserted, reported = split_trust_words("本平台资金安全有保障。中心提醒,请到正规网点购买,勿信“十大平台”。")
    >>> [m.group(0) for m in asserted], [m.group(0) for m in reported]
    (['资金安全', '有保障'], ['正规', '十大'])
    >>> [m.group(0) for m in split_trust_words("切勿轻信网红推荐,该店号称正规。")[1]]
    ['推荐', '正规']
    """
    quotes = _quoted_spans(text) if quotes is None else quotes
    asserted, reported = [], []
    for m in TRUST_RE.finditer(text):
        (reported if _is_reported(text, m, quotes, TRUST_REPORT_CUE_RE) else asserted).append(m)
    return asserted, reported
