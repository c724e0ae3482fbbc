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
    with_counter = [p for p in pages if "发布时间:" in p]
    assert 8 < len(with_counter) < 32
    assert all(ARTICLE.paragraphs[0] in p for p in pages)
    assert all(p.split("\n\n")[1] == ARTICLE.title for p in with_counter)
