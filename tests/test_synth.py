import pytest

from classifier import synth
from classifier.synth import VERTICALS, Article, synthesize

ARTICLE = Article(
    "本市启动老旧小区改造",
    ("记者昨日从市住建局获悉,本市启动老旧小区改造三年行动,计划改造小区六百个。改造内容包括加装电梯和管网更新。",
     "据了解,改造资金由政府和居民共同承担。居民可以提取公积金用于加装电梯,相关办法下月公布。"),
)
SEED_PHRASES = ("股票配资", "互联网金融股票配资", "启泰网", "富途证券")


def test_deterministic_and_seed_dependent():
    a = synthesize(ARTICLE, "loan", "parasite", 1)
    assert a == synthesize(ARTICLE, "loan", "parasite", 1)
    assert any(synthesize(ARTICLE, "loan", "parasite", s) != a for s in range(2, 6))


def test_parasite_places_keyword_in_title_and_body():
    page = synthesize(ARTICLE, "gambling", "parasite", 3)
    lines = [line for line in page.text.split("\n") if line]
    title_lines = [line for line in lines if ARTICLE.title in line]
    assert any(page.keyword.split("哪")[0] in line for line in title_lines)
    body = "\n".join(lines[lines.index(title_lines[-1]) + 1:])
    assert page.keyword in body


def test_every_kind_and_vertical():
    assert len(VERTICALS) >= 8
    for vertical in VERTICALS:
        for kind in synth.KINDS:
            page = synthesize(ARTICLE, vertical, kind, 0)
            assert page.kind == kind and page.text


def test_seed_phrases_in_no_list():
    words = [w for v in VERTICALS.values() for ws in v.values() for w in ws] + synth.MODIFIERS + synth.QUESTION_SUFFIXES
    assert not [w for w in words for p in SEED_PHRASES if p in w]


def test_unknown_vertical():
    with pytest.raises(ValueError, match="unknown vertical 'x'"):
        synthesize(ARTICLE, "x", "parasite", 0)


def test_clean_pages_sometimes_carry_cms_lines():
    import random

    pages = [synth.render_clean(ARTICLE, random.Random(i)) for i in range(40)]
    with_counter = [p for p in pages if any(f"{label}:" in p for label in synth.COUNTER_LABELS)]
    assert 8 < len(with_counter) < 32
    assert all(ARTICLE.paragraphs[0] in p for p in pages)
    assert all(p.split("\n\n")[1] == ARTICLE.title for p in with_counter)


def test_pairs_share_page_furniture_and_template_labels():
    titles = [ARTICLE.title, "城北新建口袋公园三处", "夏季用电负荷创新高", "老年大学秋季开始报名"]
    pairs = [synth.synthesize_pair(ARTICLE, "loan", "parasite", i, f"t:{i}", titles) for i in range(60)]
    furnished = 0
    for page, clean in pairs:
        clean_lines, spam_lines = clean.split("\n"), page.text.split("\n")
        if clean_lines[1] in synth.NAV_ROWS:
            furnished += 1
            # the same rows above and the same last line below, on both pages of the pair
            assert spam_lines[:2] == clean_lines[:2] and spam_lines[-1] == clean_lines[-1]
            # a related-reading list names other articles, never the page's own
            assert clean_lines.count(ARTICLE.title) == 1
        else:
            assert clean.split("\n\n")[0] == ARTICLE.title or clean.split("\n\n")[1] == ARTICLE.title
    assert 15 < furnished < 45
    # date and counter labels come from one set for both labels: the counter label does not tell the label
    spam_labels = {label for page, _ in pairs for label in synth.COUNTER_LABELS if f"{label}:" in page.text}
    clean_labels = {label for _, clean in pairs for label in synth.COUNTER_LABELS if f"{label}:" in clean}
    assert spam_labels & clean_labels
    assert spam_labels <= set(synth.COUNTER_LABELS) and clean_labels <= set(synth.COUNTER_LABELS)
