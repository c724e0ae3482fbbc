"""Tiny hand-written corpora (the project's own writing) and shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from classifier.config import TrainConfig
from classifier.documents import Document
from classifier.model import fit_model

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

GENUINE_DOCS = [
    "市政府发布新规支持小微企业\n\n本报讯 市政府昨日发布支持小微企业发展的十条措施,涉及减税、融资担保和用地保障。市发展改革委负责人表示,措施将于下月起实施。\n记者了解到,全市目前有小微企业约十二万家。",
    "暴雨导致多条道路积水\n\n昨天下午,一场暴雨袭击城区,多条道路出现积水。交警部门提醒市民绕行低洼路段,注意出行安全。\n气象台预计,今晚到明天仍有中到大雨。",
    "警方破获一起非法集资案\n\n市公安局经侦支队近日破获一起非法集资案,抓获犯罪嫌疑人五名。经查,该团伙以高额回报为诱饵,吸收公众资金三千余万元。\n警方提醒,投资理财要选择正规渠道。",
    "大学生创新创业大赛落幕\n\n第五届大学生创新创业大赛昨日在会展中心落幕,来自三十所高校的二百支队伍参赛。\n评委介绍,今年参赛项目中人工智能和新能源方向占比最高。",
    "港口货物吞吐量同比增长\n\n海关数据显示,前三季度港口货物吞吐量同比增长百分之六点二,其中集装箱吞吐量增长较快。\n业内人士分析,外贸企业订单回暖是主要原因。",
    "法院审结一起合同纠纷案\n\n区人民法院近日审结一起房屋买卖合同纠纷案,判决被告返还原告定金二十万元。\n法官提醒,签订合同前应仔细核实对方资质。",
    "新能源汽车销量创新高\n\n行业协会公布的数据显示,上月新能源汽车销量达到八十万辆,再创历史新高。\n分析人士认为,充电设施的完善带动了消费者的购买意愿。",
    "图书馆延长开放时间\n\n市图书馆宣布,从下周起工作日开放时间延长至晚上九点,方便读者下班后借阅。\n馆方表示,将根据读者反馈继续优化服务。",
]
SPAM_DOCS = [
    "正规配资平台哪家好 十大靠谱平台排名\n\n在投资的海洋中,选对平台就是成功的一半。立即开户,免费领取体验金!\n1. 鑫盛在线:低息十倍杠杆,当天到账\n2. 恒达平台:安全可靠,口碑第一\n咨询微信:vip88886 QQ:12345678",
    "网贷口子秒下款 黑户也能借\n\n急用钱?点击下载,三分钟到账,不看征信!\n常见问题\n问:需要什么资料?\n答:只要身份证即可。\n立即咨询热线:138 0013 8000",
    "代开发票 全国可开可验\n\n各类发票代开,点数低,当天出票。专业团队,诚信经营,老品牌值得信赖。\n联系扣扣:８８６６５５４４ 加V:fp2024kf",
    "宝妈兼职日结 手机就能做\n\n在家兼职,一单一结,日赚三百!无需押金,马上报名,名额有限。\n你还在犹豫什么?添加客服微信:jz66688 立即入驻",
    "真人娱乐城 注册就送彩金\n\n首存百分百返利,专业导师带单,稳赚不赔!\n投票:你最喜欢哪种玩法?\nA. 百家乐\nB. 体育投注\nC. 电子游艺\n点击注册领取彩金",
    "试管代孕包成功 不成功全额退款\n\n想要宝宝?我们是专业助孕机构,成功率高达百分之九十八,全程保障您的隐私。\n立即预约专家一对一咨询,电话:13911112222",
    "办证 学历证书 学信网可查\n\n三天出证,全国联网可查,不过全额退款。靠谱正规,十年老店,放心选择。\n详询薇信:bz8899zx",
    "特效减肥药 三个疗程根治\n\n你还在为肥胖烦恼吗?权威专家推荐,无效退款,隐私发货,限时抢购!\n立即咨询客服热线:400 800 1234",
]


def labeled(texts, label, source):
    return [Document(id=f"{source}-{i}", text=t, label=label, source=source) for i, t in enumerate(texts)]


@pytest.fixture(scope="session")
def tiny_docs():
    return labeled(GENUINE_DOCS, "genuine", "news") + labeled(SPAM_DOCS, "spam", "promo")


@pytest.fixture(scope="session")
def tiny_model(tiny_docs):
    return fit_model(tiny_docs, TrainConfig(hash_bits=12))


@pytest.fixture(scope="session")
def shared_dir():
    """../shared beside the repository; skipped when absent unless CLASSIFIER_REQUIRE_SHARED is set (CI)."""
    if not (SHARED / "seeds").is_dir():
        if os.environ.get("CLASSIFIER_REQUIRE_SHARED"):
            pytest.fail(f"{SHARED} is required (CLASSIFIER_REQUIRE_SHARED is set) but missing")
        pytest.skip(f"{SHARED} not found beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def shipped_model():
    from classifier.persist import load_model

    return load_model()
