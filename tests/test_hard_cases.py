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


CITY_DAILY_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>我市新建12所中小学今秋投用_本地新闻_江城日报网</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/news">新闻</a> <a href="/tj">推荐</a> <a href="/app">下载客户端</a> <a href="/login">登录</a> <a href="/reg">注册</a></div>
<div class="article"><h1>我市新建12所中小学今秋投用</h1>
<div class="info">2026-09-01 08:30 来源:江城日报 作者:李明 责任编辑:王芳 阅读量:3521</div>
<p>记者从市教育局获悉,今年秋季学期,全市新建、改扩建的12所中小学校将全部投入使用,新增学位约1.5万个,主要分布在城东新区和高铁片区等人口快速增长的区域。</p>
<p>市教育局相关负责人介绍,新投用的学校均按照省级标准化学校建设,配备了功能教室、室内体育馆和食堂。其中,城东第三小学占地面积约4万平方米,设计规模为48个班。</p>
<p>据了解,为缓解部分片区学位紧张问题,今年我市还将通过集团化办学的方式,由优质学校派出管理团队和骨干教师,带动新校快速提升办学质量。</p>
<p>家长可登录市教育局官网或关注“江城教育”微信公众号查询学区划分情况,咨询电话:0712-8886666。</p>
</div>
<div class="related"><h3>相关推荐</h3><ul><li><a href="/a/1">市区新增3条公交线路</a></li><li><a href="/a/2">高铁片区规划公示</a></li></ul></div>
<div class="footer">扫一扫关注江城日报微信公众号 | 下载江城日报APP,新闻随时看<br>版权所有 江城日报社 未经授权禁止转载 违法和不良信息举报电话:0712-8880000 举报邮箱:jb@jcrb.cn<br>鄂ICP备12345678号</div>
</body></html>"""


def test_genuine_article_inside_its_sites_page_stays_genuine(shipped_model, shared_dir):
    # a city daily's page: navigation with 下载客户端/登录/注册, a byline with a view counter, a related list and a
    # footer with the abuse-report phone and licence number. The model scored it 0.997 before furniture was set
    # aside; now it scores it about as the article alone
    page, = explain(shipped_model, [CITY_DAILY_PAGE])
    assert page.probability < shipped_model.threshold - 0.2
    article = "\n\n".join(
        ["我市新建12所中小学今秋投用"]
        + [p.split("</p>")[0] for p in CITY_DAILY_PAGE.split("<p>")[1:]]
    )
    assert abs(page.probability - shipped_model.predict_proba([article])[0]) < 0.1
    # and the parasite seed stays spam inside the same page furniture
    seed = read_file(next((shared_dir / "seeds" / "spam").glob("*.txt")))
    body = "".join(f"<p>{line}</p>" for line in seed.text.splitlines() if line.strip())
    nav = CITY_DAILY_PAGE.split("<body>")[1].split('<div class="article">')[0]
    tail = '<div class="related">' + CITY_DAILY_PAGE.split('<div class="related">')[1]
    wrapped = f'<html><body>{nav}<div class="article">{body}</div>{tail}'
    assert shipped_model.predict_proba([wrapped])[0] > shipped_model.threshold + 0.2
