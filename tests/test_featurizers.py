import pickle

import numpy as np
import pytest
from sklearn.base import clone

from classifier.featurizers import (
    ContactFeaturizer,
    InjectionFeaturizer,
    IntentFeaturizer,
    LinkFeaturizer,
    NaturalnessFeaturizer,
    ProvenanceFeaturizer,
    StuffingFeaturizer,
    TokenFeaturizer,
)
from classifier.featurizers.tokens import ngram_bucket, token_ngrams
from classifier.parse import parse_text

from .conftest import GENUINE_DOCS, SPAM_DOCS


def values(featurizer, text):
    doc = parse_text(text)
    return dict(zip(featurizer.feature_names, featurizer.measure(doc)))


def test_links_exact():
    v = values(LinkFeaturizer(), "标题\n\n正文十个字正文十个字 www.spam.com")
    assert v["bare_url_count"] == 1.0
    # visible non-space chars: 2 (title) + 10 + 12 (url) = 24; link chars 12
    assert v["link_char_ratio"] == pytest.approx(12 / 24)
    assert values(LinkFeaturizer(), "无链接")["link_char_ratio"] == 0.0


def test_compression_gain_is_about_length_neutral():
    from classifier.featurizers.stuffing import _compression_gain

    varied = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(400)).encode()
    assert _compression_gain(varied) == pytest.approx(0.0, abs=0.05)
    assert _compression_gain(varied[: len(varied) // 2] * 2) > 0.3  # second half repeats the first
    assert _compression_gain("短".encode()) == 0.0


def test_stuffing_exact():
    v = values(StuffingFeaturizer(), "标题\n\n第一行重复内容\n第一行重复内容\n另一行不同内容")
    assert v["duplicate_line_ratio"] == pytest.approx(1 / 3)
    empty = values(StuffingFeaturizer(), "字")
    assert empty["top_ngram_char_ratio"] == 0.0 and empty["longest_repeated_phrase_chars"] == 0.0


def test_contacts_disguised():
    v = values(ContactFeaturizer(), "联系我们\n扣扣:１２３４５６７８\n薇信:abc12345\n电话:138 0013 8000")
    assert (v["qq_count"], v["wechat_count"], v["phone_count"]) == (1.0, 1.0, 1.0)
    assert v["disguised_contact_count"] == 2.0
    assert v["contact_line_ratio"] == pytest.approx(3 / 4)


def test_contacts_spelled_out_ids():
    # an id spelled out one character at a time reads as one id after its marker, and is a disguise itself
    v = values(ContactFeaturizer(), "上岸经历\n顾问的微信是 r m q t _ 4 0 6 2,说是我介绍的\n进群加群主微:w d - 7 7 1 9 3")
    assert (v["wechat_count"], v["disguised_contact_count"]) == (2.0, 2.0)
    assert ContactFeaturizer().evidence(parse_text("x\n微信是 r m q t _ 4 0 6 2"))["wechat_count"] == "微信是 rmqt4062"
    # spaced digits alone, a spelled-out word and a table of figures are no disguise
    other = values(ContactFeaturizer(), "数据\n名单见 p e a c e 一文,增幅依次为 4.9 5.2 3.2 6.0,编号 3 1 4 1 5。")
    assert (other["wechat_count"], other["disguised_contact_count"]) == (0.0, 0.0)


def test_contacts_messenger_ids():
    v = values(ContactFeaturizer(), "客服\nLINE：lucky-tw88\n飞机@vipkefu\n详见 t.me/luckygroup\nLINE官方帳號：@lucky-fa")
    assert v["messenger_count"] == 4.0
    assert v["contact_line_ratio"] == pytest.approx(4 / 5)
    # an aircraft model, "online" and a date are no messenger ids
    news = values(ContactFeaturizer(), "航展\n这架飞机A320今日首飞,online直播观看人数超过十万。")
    assert news["messenger_count"] == 0.0


def test_intent_signals():
    v = values(IntentFeaturizer(), SPAM_DOCS[0])
    assert v["numbered_brand_line_count"] == 2.0
    assert v["cta_per_1k_chars"] > 0 and v["trust_ranking_words"] > 0
    g = values(IntentFeaturizer(), GENUINE_DOCS[0])
    assert g["numbered_brand_line_count"] == 0.0 and g["qa_line_count"] == 0.0
    assert values(IntentFeaturizer(), SPAM_DOCS[1])["qa_line_count"] == 2.0
    assert values(IntentFeaturizer(), SPAM_DOCS[4])["poll_line_count"] == 4.0


def test_intent_interview_answers_are_not_promotion_qa():
    # an interview: the reporter asks (记者:), the interviewee answers (答:); a promotion page asks its own
    # questions (问:) and answers them. Only the second is a Q&A block of selling
    interview = (
        "专访社区调解员\n\n记者:一年要调解多少起纠纷?\n答:去年一共一百多起,多数是邻里之间的小事。\n"
        "记者:最难的是哪一类?\n答:家庭财产的纠纷,往往拖了好几年。"
    )
    v = values(IntentFeaturizer(), interview)
    assert v["qa_line_count"] == 0.0
    assert "qa_line_count" not in IntentFeaturizer().evidence(parse_text(interview))
    promo = "常见问题\n\n问:多久能办好?\n答:三天即可。\n问:需要什么材料?\n答:一张身份证就够了。"
    assert values(IntentFeaturizer(), promo)["qa_line_count"] == 4.0
    # with a reporter on the page, a 问: line is still a question the page asks
    mixed = "访谈\n\n记者:您好。\n问:多久能办好?\n答:三天即可。"
    assert values(IntentFeaturizer(), mixed)["qa_line_count"] == 1.0


def test_intent_reported_calls_to_action_apart():
    # a report on a scam: the scam's calls to action are reported (诱导...下载, 以...为由...添加), the advice is
    # a warning (立即报警), and 咨询公司 / 注册资本 are nouns; none of them is a call the page makes
    report = (
        "警方通报一起兼职诈骗案\n\n嫌疑人以高佣金为由诱导受害人下载一款任务软件,随后要求其添加客服。"
        "该咨询公司注册资本仅三万元。警方提醒,遇到此类情况应立即报警。"
    )
    v = values(IntentFeaturizer(), report)
    size = len(parse_text(report).text)
    assert v["cta_per_1k_chars"] == 0.0
    assert v["cta_reported_per_1k_chars"] == pytest.approx(3 * 1000 / size)  # 下载, 添加, 立即
    # a quoted slogan is reported too, and so are quoted trust words
    quoted = values(IntentFeaturizer(), "调查\n\n该团伙打着“正规平台 立即到账”的旗号,宣称资金安全。")
    assert (quoted["cta_per_1k_chars"], quoted["trust_reported_per_1k_chars"] > 0) == (0.0, True)
    assert quoted["trust_ranking_words"] > 0  # 资金安全, outside the quotes
    promo = "限时福利\n\n立即扫码添加客服,免费领取开户礼包!"
    p = values(IntentFeaturizer(), promo)
    assert p["cta_reported_per_1k_chars"] == 0.0 and p["trust_reported_per_1k_chars"] == 0.0
    assert p["cta_per_1k_chars"] == pytest.approx(7 * 1000 / len(parse_text(promo).text))  # 限时 立即 扫码 添加 免费 领取 开户



def test_intent_official_advice_is_reported():
    # a bureau's advice relays calls to action and trust words (请到正规网点, 可拨打...咨询); an adviser a promotion
    # page cites (业内人士提醒) is no official, so its pitch still counts as made
    advice = "人社局发布求职提示\n\n市人社局提醒,求职者应通过正规招聘渠道求职,遇到可疑情况可拨打12333咨询。"
    a = values(IntentFeaturizer(), advice)
    size = len(parse_text(advice).text)
    assert (a["cta_per_1k_chars"], a["trust_ranking_words"]) == (0.0, 0.0)
    assert a["cta_reported_per_1k_chars"] == pytest.approx(1000 / size)  # 咨询
    assert a["trust_reported_per_1k_chars"] == pytest.approx(1000 / size)  # 正规
    pitch = "开户指南\n\n业内人士提醒,选择正规平台,立即咨询客服。"
    p = values(IntentFeaturizer(), pitch)
    assert (p["cta_reported_per_1k_chars"], p["trust_reported_per_1k_chars"]) == (0.0, 0.0)
    assert p["trust_ranking_words"] > 0 and p["cta_per_1k_chars"] > 0
    # a warning or another's claim before a trust word makes it reported too; a boast (被评为) does not
    w = values(IntentFeaturizer(), "提醒\n\n切勿轻信网红推荐,该店号称正规。")
    assert (w["trust_ranking_words"], w["trust_reported_per_1k_chars"] > 0) == (0.0, True)
    assert values(IntentFeaturizer(), "喜讯\n\n本店被评为十大品牌。")["trust_ranking_words"] == 1.0
    # the advice ends with its sentence: the next sentence's pitch is the page's own
    after = values(IntentFeaturizer(), "提示\n\n警方提醒市民注意防范。立即咨询正规平台!")
    assert (after["cta_reported_per_1k_chars"], after["trust_reported_per_1k_chars"]) == (0.0, 0.0)


def test_intent_safety_words_count_only_as_claims():
    # 安全 and 保障 are news vocabulary (national security, social security); their claim forms are selling
    news = values(IntentFeaturizer(), "防长会谈\n\n两国将加强安全合作,举行安全保障对话,完善社会保障。")
    assert news["trust_ranking_words"] == 0.0
    claim = "理财\n\n本平台资金安全有保障,安全可靠。"
    c = values(IntentFeaturizer(), claim)
    assert c["trust_ranking_words"] == 3.0  # 资金安全, 有保障, 可靠


def test_intent_generic_platforms_are_not_brands():
    generic = values(IntentFeaturizer(), "调查\n\n这些平台在社交平台引流,某游戏平台被查,销售网点已整改。")
    assert generic["brand_name_per_1k_chars"] == 0.0
    named = "推荐\n\n1. 恒达宝:老牌\n2. 鑫盛平台:低息"
    n = values(IntentFeaturizer(), named)
    assert n["brand_name_per_1k_chars"] == pytest.approx(2 * 1000 / len(parse_text(named).text))
    assert n["numbered_brand_line_count"] == 2.0



def test_intent_news_sources_tournaments_and_institutions_are_not_brands():
    # a news page cites its sources (来源:某某网, 某某网北京11月20日电, 某某中文网), reports tennis (罗马网球赛,
    # 美网女单, 美网4强) and points readers to public institutions' sites (考试院官网); none is a brand it sells
    news = (
        "网球快讯\n\n海川网北京11月20日电 选手今天在罗马网球赛晋级,此前她曾打进美网女单4强。"
        "德国之声中文网报道,赛事门票可在市体育局官网查询。\n来源:海川网"
    )
    assert values(IntentFeaturizer(), news)["brand_name_per_1k_chars"] == 0.0
    # a name runs from after the last function character: 发布的云图平台 is 云图平台; 等平台 and 跨平台 are no names
    text = "科技\n\n公司发布的云图平台近日开放,覆盖抖音等平台,支持跨平台同步。"
    assert IntentFeaturizer().evidence(parse_text(text))["brand_name_per_1k_chars"] == "云图平台"


def test_intent_page_furniture_and_notice_details_are_not_pitches():
    # 推荐阅读 is a news page's navigation, 报名截止 / 咨询电话 are the when and how of a public notice, and a
    # school's or a court's advice (考试院提醒) is an official's: none is the page's own pitch
    notice = (
        "考试报名通知\n\n报名截止时间为12月10日。市教育考试院提醒,考生应按时缴费,可拨打咨询电话询问。\n"
        "推荐阅读:\n多地发布招生政策"
    )
    v = values(IntentFeaturizer(), notice)
    assert (v["cta_per_1k_chars"], v["trust_ranking_words"]) == (0.0, 0.0)
    pitch = values(IntentFeaturizer(), "好物\n\n强烈推荐这款理财,立即报名,名额有限!")
    assert (pitch["trust_ranking_words"], pitch["cta_per_1k_chars"] > 0) == (1.0, True)


def test_intent_public_guidance_is_reported():
    # news tells a public group how to use a service (观众可通过公众号预约, 跑者须通过赛事官网报名); a promotion page
    # tells its customers (用户可立即注册); a quota with its number (3万个名额) is reported, 名额有限 is a pitch
    news = "博物馆开放\n\n新馆免费开放,观众可通过公众号预约参观,跑者须通过赛事官网报名,共设3万个名额。"
    v = values(IntentFeaturizer(), news)
    assert v["cta_per_1k_chars"] == 0.0 and v["brand_name_per_1k_chars"] == 0.0
    assert v["cta_reported_per_1k_chars"] == pytest.approx(2 * 1000 / len(parse_text(news).text))  # 预约, 报名
    pitch = "新人必看\n\n用户可立即注册,名额有限。"
    assert values(IntentFeaturizer(), pitch)["cta_per_1k_chars"] == pytest.approx(3 * 1000 / len(parse_text(pitch).text))
PARASITE = (
    "鑫达资讯网\n\n在线炒股加杠杆 本市加快推进老旧小区改造\n\n"
    "1. 恒泰平台:低息加杠杆,热线:13900001111\n\n"
    "本报讯 今年本市计划改造老旧小区二百个,涉及居民四万户。市住建局负责人介绍,改造内容包括加装电梯和管网更新。\n"
    "据介绍,改造资金由市区两级财政共同承担,居民也可以申请公积金支持。\n"
    "市民王女士说,小区加装电梯以后,老人上下楼方便多了在线炒股加杠杆,大家都很满意。"
)


def test_injection_title_prefix_and_ad_line():
    inj = InjectionFeaturizer().fit([parse_text(t) for t in GENUINE_DOCS], ["genuine"] * len(GENUINE_DOCS))
    v = values(inj, PARASITE)
    assert v["title_prefix_novel_chars"] == 7.0  # 在线炒股加杠杆
    assert v["title_affix_body_count"] == 1.0
    assert v["lone_numbered_line_count"] == 1.0
    assert inj.evidence(parse_text(PARASITE))["title_prefix_novel_chars"] == "在线炒股加杠杆"
    clean = values(inj, GENUINE_DOCS[0])
    assert clean["title_prefix_novel_chars"] == 0.0 and clean["lone_numbered_line_count"] == 0.0


def test_injection_site_name_and_lead_in_are_no_injected_affix():
    inj = InjectionFeaturizer().fit([parse_text(t) for t in GENUINE_DOCS], ["genuine"] * len(GENUINE_DOCS))
    body = "<p>深圳市政府今天公布上半年经济数据,全市生产总值同比增长百分之五。</p><p>市统计局表示,下半年将继续扩大内需。</p>"
    for title in ("深圳上半年经济平稳增长_深圳新闻网", "图解上半年成绩单 深圳经济平稳增长"):
        v = values(inj, f"<html><head><title>{title}</title></head><body>{body}</body></html>")
        # novel, but found in the title alone: a site name, a headline's lead-in; not a keyword put into the page
        assert (v["title_prefix_novel_chars"], v["title_suffix_novel_chars"], v["title_affix_body_count"]) == (0, 0, 0)


def test_injection_title_copies_are_not_the_body_repeating_an_affix():
    inj = InjectionFeaturizer().fit([parse_text(t) for t in GENUINE_DOCS], ["genuine"] * len(GENUINE_DOCS))
    title = "夜读计划启动 市图书馆借阅人次增长两成"
    body = ["市图书馆今天公布年度数据,今年新增藏书三万册,全年借阅人次同比增长两成,少儿读物最受欢迎。",
            "馆方表示,明年将在各区新建十家分馆,并把周末开放时间延长到晚上九点,方便上班族借阅。"]
    # the page prints its title again below the article (a CMS footer): no body repetition of 夜读计划启动
    v = values(inj, "\n".join([title, *body, "上一篇:" + title]))
    assert (v["title_prefix_novel_chars"], v["title_affix_body_count"]) == (0.0, 0.0)
    # nor does a short line of page furniture naming it (an app prompt, a byline)
    v = values(inj, "\n".join([title, *body, "打开夜读计划启动专题,查看更多"]))
    assert (v["title_prefix_novel_chars"], v["title_affix_body_count"]) == (0.0, 0.0)
    # the same words in a body paragraph do count
    v = values(inj, "\n".join([title, *body, "另据了解,夜读计划启动后,晚间客流明显增加,不少市民下班后专程来到图书馆阅读和自习。"]))
    assert (v["title_prefix_novel_chars"], v["title_affix_body_count"]) == (6.0, 1.0)


def test_injection_numbered_headings_far_apart_are_a_list():
    paragraph = "市政府今天公布了新的城市更新计划,涉及交通、医疗和教育多个方面,各区将在年内陆续推进实施。"
    article = "\n".join(["城市更新计划公布", "1. 交通", *[paragraph] * 6, "2. 医疗", *[paragraph] * 6, "3. 教育", paragraph])
    inj = InjectionFeaturizer().fit([parse_text(t) for t in GENUINE_DOCS], ["genuine"] * len(GENUINE_DOCS))
    assert values(inj, article)["lone_numbered_line_count"] == 0.0
    # an ad line numbered 5 in the same article has no 4 or 6 anywhere: lone
    assert values(inj, article + "\n5. 鑫盛平台:低息配资,热线:13900001111")["lone_numbered_line_count"] == 1.0


def test_naturalness_pinyin_and_surprisal():
    nat = NaturalnessFeaturizer().fit([parse_text(t) for t in GENUINE_DOCS], ["genuine"] * len(GENUINE_DOCS))
    v = values(nat, "标题\n\n中(zhong)国市(shi)场今天开放。")
    assert v["pinyin_residue_count"] == 2.0
    assert nat.reference_[4] == 0.0 and nat.reference_[0] > 0
    seen = values(nat, GENUINE_DOCS[1])["excess_surprisal_mean_bits"]
    shuffled = values(nat, "雨暴城袭区多击条路道现出水积")["excess_surprisal_mean_bits"]
    assert shuffled > seen


SCRAPED_PAGE = """鑫达资讯网 - 行业动态
（组图）老城区改造项目启动 首批两百户居民签约
记者从区住建局获悉，老城区改造项目本周正式启动，首批两百户居民已完成签约，预计明年底前完工。
区住建局负责人说，改造将同步更新供水、燃气管线，并增设停车位和健身设施。
声明：本文内容来源于网络，版权归原作者所有，如有侵权请联系我们删除。"""

REPORT_ON_COPYRIGHT = """法院审结一起图片侵权案 涉事网站被判赔偿两万元
（资料图）
本报讯 区人民法院近日审结一起著作权纠纷案。某摄影师发现，一家网站未经许可使用其拍摄的十二张照片，并在页面底部注明“图片来源于网友上传”。
法院认为，网站不能以页面上的声明免除审查义务，判决其赔偿经济损失两万元。"""


def test_provenance_repost_disclaimer_and_caption_label():
    v = values(ProvenanceFeaturizer(), SCRAPED_PAGE)
    assert v == {"repost_disclaimer_count": 2.0, "caption_label_title_count": 1.0}
    evidence = ProvenanceFeaturizer().evidence(parse_text(SCRAPED_PAGE))
    assert evidence["repost_disclaimer_count"] == "内容来源于网络, 如有侵权"
    assert evidence["caption_label_title_count"].startswith("(组图)老城区改造项目启动")
    # the header zone is the injection family's: a long headline without sentence punctuation is still header
    long_title = "(资料图)老城区改造项目本周正式启动 首批两百户居民完成签约 预计明年底前全部完工交付使用"
    assert len(long_title) >= 40
    v = values(ProvenanceFeaturizer(), SCRAPED_PAGE.replace("（组图）老城区改造项目启动 首批两百户居民签约", long_title))
    assert v["caption_label_title_count"] == 1.0


def test_provenance_reporting_on_copyright_is_not_a_disclaimer():
    # a news report about a copyright case names 侵权 and 图片来源 without disclaiming anything, and its picture
    # label stands alone on its line (a genuine layout)
    v = values(ProvenanceFeaturizer(), REPORT_ON_COPYRIGHT)
    assert v == {"repost_disclaimer_count": 0.0, "caption_label_title_count": 0.0}
    assert values(ProvenanceFeaturizer(), "") == {"repost_disclaimer_count": 0.0, "caption_label_title_count": 0.0}


def test_token_buckets_match_hashing_vectorizer():
    tok = TokenFeaturizer(hash_bits=12).fit(None)
    doc = parse_text(SPAM_DOCS[0])
    X = tok.transform([doc])
    assert set(X.indices) == {ngram_bucket(g, 2**12) for g in token_ngrams(doc)}


@pytest.mark.parametrize(
    "featurizer",
    [LinkFeaturizer(), StuffingFeaturizer(max_ngram_tokens=3), ContactFeaturizer(), IntentFeaturizer(),
     InjectionFeaturizer(min_gain_bits=5.0), NaturalnessFeaturizer(window_chars=10), ProvenanceFeaturizer(),
     TokenFeaturizer(hash_bits=10)],
    ids=lambda f: type(f).__name__,
)
def test_transformer_contract(featurizer):
    docs = [parse_text(t) for t in GENUINE_DOCS + SPAM_DOCS]
    y = ["genuine"] * len(GENUINE_DOCS) + ["spam"] * len(SPAM_DOCS)
    cloned = clone(featurizer)
    assert cloned.get_params() == featurizer.get_params()
    assert cloned.fit(docs, y) is cloned
    X = cloned.transform(docs)
    assert X.shape == (len(docs), len(cloned.get_feature_names_out()))
    again = pickle.loads(pickle.dumps(cloned)).transform(docs)
    dense = lambda m: m.toarray() if hasattr(m, "toarray") else m  # noqa: E731
    np.testing.assert_array_equal(dense(X), dense(again))


def test_invalid_parameter_rejected_in_fit():
    with pytest.raises(ValueError, match="max_ngram_tokens"):
        StuffingFeaturizer(max_ngram_tokens=1).fit([parse_text("字")])


@pytest.mark.parametrize(
    "featurizer",
    [LinkFeaturizer(), StuffingFeaturizer(), InjectionFeaturizer(), ContactFeaturizer(), IntentFeaturizer(), NaturalnessFeaturizer(),
     ProvenanceFeaturizer()],
    ids=lambda f: type(f).__name__,
)
def test_every_signal_declares_its_direction(featurizer):
    assert len(featurizer.feature_directions) == len(featurizer.feature_names)
    assert set(featurizer.feature_directions) <= {-1, 0, 1}


def test_article_subject_at_one_odd_boundary_is_not_spliced(monkeypatch):
    # an article's subject recurs naturally many times; one occurrence at a rare boundary does not make it an
    # injected phrase (fewer than MIN_SPLICED_SHARE of its occurrences are spliced); a phrase found a few times
    # and spliced once is one
    from classifier.featurizers import injection

    f = InjectionFeaturizer().fit([parse_text(t) for t in GENUINE_DOCS])
    subject = "湖滨湿地公园"

    def page(mentions: int) -> str:
        lines = [f"{subject}:今日开园", f"{subject}位于城市东部,占地三百亩,是本市今年面积最大的新建公园,周末起向市民免费开放。"]
        lines += [
            f"据介绍,{subject}的第{i}期工程已经完成,园内新建步道和观鸟平台,市民可以在开放时间内前往参观游览。"
            for i in range(1, mentions - 2)
        ]
        return "\n".join(lines + [f"开园当天,不少市民带着孩子来到记者看{subject}。"])

    # the boundary model says: only the occurrence after 记者看 is spliced
    def last_only(self, cps, start, end, lm):
        return "".join(map(chr, cps[start - 3:start].tolist())) == "记者看"

    monkeypatch.setattr(InjectionFeaturizer, "_is_spliced", last_only)
    subject_page, short_page = parse_text(page(12)), parse_text(page(4))
    assert (subject_page.text.count(subject), short_page.text.count(subject)) == (12, 4)
    assert subject not in f.spliced_phrases(subject_page)  # 1 of 12 < 1/8
    assert f.spliced_phrases(short_page)[subject]["count"] == 4  # 1 of 4
    assert injection.MIN_SPLICED_SHARE == 0.125


def test_headline_phrase_restated_in_the_body_is_no_splice(monkeypatch):
    # a phrase the headline itself says (inside the headline, natural boundaries there) and the body restates
    # at one rare boundary is the article's wording; the same phrase put apart before the headline, or on a
    # site-name line, is a parasite's keyword
    f = InjectionFeaturizer().fit([parse_text(t) for t in GENUINE_DOCS])
    phrase = "三种情形"
    body = (
        f"记者就此采访了多位律师,他们认为消费者维权时最常遇到的困难来自举证环节。\n"
        f"律师表示,可以重点看{phrase}。一是商家拒不提供票据,二是合同条款含糊,三是售后电话长期无人接听。"
    )

    # the boundary model says: the body's occurrence (after 重点看) is spliced, the title's is not
    def body_only(self, cps, start, end, lm):
        return "".join(map(chr, cps[start - 3:start].tolist())) == "重点看"

    monkeypatch.setattr(InjectionFeaturizer, "_is_spliced", body_only)
    own = parse_text(f"消费维权怎么办?律师:先查{phrase} 再定对策\n\n{body}")
    assert f.spliced_phrases(own) == {}
    # the second half of a two-part headline (after a space) is the headline's too
    second_half = parse_text(f"消费维权怎么办?律师谈举证难 {phrase}\n\n{body}")
    assert f.spliced_phrases(second_half) == {} and f._title_affixes(second_half) == (set(), set(), 0)
    for title in (f"{phrase} 消费维权怎么办?律师谈举证难", f"消费维权怎么办?律师谈举证难_{phrase}"):
        page = parse_text(f"{title}\n\n{body}")
        assert f.spliced_phrases(page)[phrase]["count"] == 2, title
    site_line = parse_text(f"消费维权怎么办?律师谈{phrase}\n{phrase}服务中心\n\n{body}")
    assert phrase in f.spliced_phrases(site_line)


def test_second_half_of_a_two_part_headline_restated_is_no_affix(monkeypatch):
    # a headline's second half after a space, restated inside a sentence of the article, is the article's
    # wording; the same phrase after an underscore, or standing apart in the body, still counts as an affix
    f = InjectionFeaturizer().fit([parse_text(t) for t in GENUINE_DOCS])
    monkeypatch.setattr(InjectionFeaturizer, "_is_spliced", lambda self, cps, start, end, lm: False)
    half = "守好两道关口"
    opening = (
        "近年来,冒用他人身份办理业务的案件时有发生,手法不断翻新,让不少老人蒙受损失。记者采访了多位基层民警。\n"
        "记者:遇到自称工作人员的来电,普通人应当怎样判断真假?民警表示,这类电话往往先报出准确的个人信息。"
    )
    restated = f"答:一是接到电话先核实对方身份,二是任何时候都不向陌生账户转账,总之要{half}。"
    for title, body, expected in (
        (f"冒名办业务怎么防?民警:认清四类话术 {half}", restated, set()),
        (f"冒名办业务怎么防?民警:认清四类话术_{half}", restated, {half}),
        (f"冒名办业务怎么防?民警:认清四类话术 {half}", f"答:一是接到电话先核实对方身份,二是任何时候都不向陌生账户转账,{half},切记。", {half}),
    ):
        prefixes, suffixes, _ = f._title_affixes(parse_text(f"{title}\n\n{opening}\n{body}"))
        assert (prefixes, suffixes) == (set(), expected), title


def test_brand_suffixes_written_once():
    # BRAND_RE spells the suffixes out with their context rules; every suffix of BRAND_SUFFIXES ends a name
    # there, and BRAND_RE accepts no other ending (a name is cut at its suffix by BRAND_SUFFIX_RE)
    from classifier.featurizers import intent

    for suffix in intent.BRAND_SUFFIXES:
        m = intent.BRAND_RE.match(f"鑫旺{suffix}。")
        assert m is not None and m.group(0) == f"鑫旺{suffix}", suffix
        assert intent.BRAND_SUFFIX_START_RE.search(suffix).start() == 0
    assert intent.BRAND_RE.match("鑫旺公司。") is None
    assert intent.BRAND_SUFFIX_START_RE.findall("某某官网") == ["官", "网"]  # the 网 inside 官网 is a start too


def test_nets_and_networks_are_no_brands():
    # 网 as a net or a network of some kind (a police operation closing in, pipes, roads) is not a site's name
    news = "城市\n\n警方经过三个月侦查后收网,同时推进城区供水管网和公路路网改造,全网热议。"
    assert values(IntentFeaturizer(), news)["brand_name_per_1k_chars"] == 0.0
    assert IntentFeaturizer().evidence(parse_text("x\n\n登录鑫旺网领取奖励"))["brand_name_per_1k_chars"] == "鑫旺网"


def test_news_outlet_apps_are_not_brands():
    # a mobile news page asks readers to open the outlet's app: not a platform it sells
    assert values(IntentFeaturizer(), "城市\n\n打开江城日报APP,查看更多精彩内容")["brand_name_per_1k_chars"] == 0.0
    assert IntentFeaturizer().evidence(parse_text("理财\n\n下载恒信APP,注册就送体验金"))["brand_name_per_1k_chars"] == "下载恒信APP"


def test_intent_election_votes_are_no_poll():
    news = ("州议会选举结果出炉\n\n数十万选民周二前往投票站投票,邮寄投票的点票工作仍在进行。"
            "参与投票的选民人数创下历史新高,投票率超过六成。")
    assert values(IntentFeaturizer(), news)["poll_line_count"] == 0.0
    # the prompts that turn to the reader count (a question without 投票 or 你会选择 does not)
    poll = "读者调查\n\n看完对比,你会怎么选?\n参与投票领取体验名额\n投票请至留言区回复选项"
    assert values(IntentFeaturizer(), poll)["poll_line_count"] == 2.0


def test_intent_words_and_names_ending_in_bao_or_wang_are_no_brands():
    news = ("要闻\n\n他在大选后登上总统宝座,称投票权太宝贵。这位球星宣布不参加美网,"
            "当地一度直接断网。年轻父母带着宝宝接种疫苗。")
    assert values(IntentFeaturizer(), news)["brand_name_per_1k_chars"] == 0.0
    pitch = "理财\n\n鑫盛宝年化收益高,恒达网每天更新。"
    assert IntentFeaturizer().evidence(parse_text(pitch))["brand_name_per_1k_chars"] == "鑫盛宝, 恒达网"


def test_contacts_pet_names_are_no_disguised_contact():
    v = values(ContactFeaturizer(), "家事\n\n邻居家的球球今年三岁,名单上有两个名字显示为口口。")
    assert (v["disguised_contact_count"], v["qq_count"]) == (0.0, 0.0)
    v = values(ContactFeaturizer(), "咨询\n\n加扣扣详聊,球球:123456789")
    assert (v["disguised_contact_count"], v["qq_count"]) == (1.0, 1.0)
