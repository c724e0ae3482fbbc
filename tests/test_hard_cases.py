"""Hard cases against the shipped model: promotion spam versus reporting on the same topic, and parasite
pages with a vertical the model never saw. Texts are the project's own writing."""

from classifier.documents import read_file
from classifier.explain import explain

CRACKDOWN_REPORT = """证监局联合公安机关查处三起非法配资案件

记者从某省证监局获悉,今年以来,该局会同省公安厅经侦总队开展打击非法场外配资专项行动,查处三起利用手机应用程序从事非法配资的案件,涉案资金约四亿元,抓获犯罪嫌疑人二十一名。

据办案民警介绍,涉案团伙通过搭建虚拟交易系统,以"低门槛、高杠杆"为幌子吸引投资者入金。部分投资者的资金并未进入证券市场,而是被团伙直接截留。一名受害人说,自己投入的本金在两周内"爆仓"清零,事后才发现交易记录系后台伪造。

证监局有关负责人表示,场外配资不受法律保护,投资者一旦出现纠纷,往往难以维权。该负责人提醒,投资者应通过依法设立的证券公司参与融资融券业务,发现非法配资线索可向监管部门举报。

据了解,下一步,监管部门将继续加强与公安、网信等部门的协作,依法清理非法配资平台及其推广信息。"""

PLATFORM_RANKING = """2025年配资平台排行榜 十大正规配资平台推荐

在股市这片波涛汹涌的大海上,一艘可靠的船决定了你能走多远。很多朋友问我,配资平台那么多,到底哪家靠谱?今天就为你盘点口碑最好的十大平台,看完再选不踩坑!

1. 金盛宝:老品牌,资金安全有保障,最高十倍杠杆,当天到账
2. 恒信在线:利息低至月息八厘,新用户开户送体验金
3. 汇丰达平台:操作简单,手机就能交易,客服全天在线
4. 瑞通宝:实力雄厚,十年零投诉,提现秒到

业内人士指出,选择配资平台一定要看资质和口碑。以上平台均经过我们实测,安全可靠,您可以放心选择。

常见问题
问:新手能做配资吗?
答:完全可以,平台有专业导师一对一指导。
问:最低多少钱起配?
答:两千元即可开户。

名额有限,立即咨询领取开户福利!加微信:pz88866 或扣扣:２２３３４４５５６"""


def ranking_contribution(expl, feature):
    return next(r.contribution for r in expl.reasons if r.feature == feature)


def test_crackdown_report_genuine_ranking_spam(shipped_model):
    report, ranking = explain(shipped_model, [CRACKDOWN_REPORT, PLATFORM_RANKING])
    t = shipped_model.threshold
    assert report.probability < t
    assert ranking.probability > t
    assert any(r.feature.startswith("intent__") for r in ranking.top(3, "spam"))
    # the report lacks the calls to action and direct address promotion pages have; these intent signals push
    # it toward genuine (its quoted "低门槛" pushes the other way: reporting quotes the scam's words)
    intent = {r.feature: r.contribution for r in report.reasons if r.feature.startswith("intent__")}
    assert intent["intent__cta_per_1k_chars"] < 0
    assert intent["intent__second_person_per_1k_chars"] < 0
    assert intent["intent__trust_ranking_words"] < ranking_contribution(ranking, "intent__trust_ranking_words")


def test_seed_with_unseen_vertical_keyword_still_spam(shipped_model, shared_dir):
    seed = read_file(next((shared_dir / "seeds" / "spam").glob("*.txt")))
    assert "股票配资" in seed.text
    swapped = seed.text.replace("股票配资", "代写论文")  # essay ghost-writing: no vertical of ours
    assert shipped_model.predict_proba([swapped])[0] > shipped_model.threshold


def test_genuine_seed_with_margin_sentence_still_genuine(shipped_model, shared_dir):
    seed = read_file(next((shared_dir / "seeds" / "genuine").glob("*.txt")))
    anchor = "开局良好。"
    assert anchor in seed.text
    sentence = "他还提到,近期证券市场融资融券余额有所回升,监管部门将继续依法打击场外非法配资活动。"
    added = seed.text.replace(anchor, anchor + sentence, 1)
    assert shipped_model.predict_proba([added])[0] < shipped_model.threshold


def test_seed_top_reason_names_injected_phrase(shipped_model, shared_dir):
    seed = read_file(next((shared_dir / "seeds" / "spam").glob("*.txt")))
    expl = explain(shipped_model, [seed])[0]
    top = expl.top(3, "spam")[0]
    assert top.feature == "injection__injected_phrase", [r.as_text() for r in expl.top(3, "spam")]
    assert top.evidence == "互联网金融股票配资 x3: line 2, line 4, line 31"
