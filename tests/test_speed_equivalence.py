"""The sped-up featurizers and parallel scoring give exactly what the code before them gave.

The shipped model was fitted on the old outputs, so every featurizer must stay numerically identical. The
``_ref_*`` functions below are the implementations as they were before the speed work (issue "Crawl-scale
speed"), kept verbatim apart from names; each test compares the current code with them on ~300 documents:
the hand-written corpora of conftest.py plus programmatic variants built for the edge cases of the faster
code (repeated phrases and ties, digits and case folding, NUL and Greek sigma, contacts split over lines).
"""

from __future__ import annotations

import random
import re
import zlib
from collections import Counter

import mmh3
import numpy as np
import pytest
from sklearn.feature_extraction.text import HashingVectorizer

from classifier import parse as parse_mod
from classifier import segment as segment_mod
from classifier.documents import Document
from classifier.errors import InputError
from classifier.featurizers import ContactFeaturizer, IntentFeaturizer, StuffingFeaturizer, TokenFeaturizer
from classifier.featurizers import _lm as lm_mod
from classifier.featurizers import contacts as contacts_mod
from classifier.featurizers import injection as injection_mod
from classifier.featurizers import intent as intent_mod
from classifier.featurizers import tokens as tokens_mod
from classifier.featurizers._base import CJK_RE, safe_ratio
from classifier.featurizers.tokens import ngram_bucket, token_ngrams
from classifier.parse import parse_text
from classifier.scoring import score_documents

from .conftest import GENUINE_DOCS, SPAM_DOCS

RTOL, ATOL = 1e-9, 1e-12


# -- reference implementations (the code before the speed work) ------------------------------------------
_REF_WORD_RE = re.compile(r"[\u3400-\u9fffA-Za-z]")
_REF_DIGIT_RE = re.compile(r"\d+")
_REF_CJK_RUN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{2,}")


def _ref_token_ngrams(doc) -> list[str]:
    words = [_REF_DIGIT_RE.sub("0", t.lower()) for t in doc.tokens if _REF_WORD_RE.search(t) or t.isdigit()]
    grams = list(words)
    grams.extend(f"{a} {b}" for a, b in zip(words, words[1:]))
    for run in _REF_CJK_RUN_RE.findall(doc.text):
        grams.extend("c:" + run[i:i + 2] for i in range(len(run) - 1))
    return grams


def _ref_bucket_ngrams(doc, hash_bits: int, wanted=None) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    n_features = 2**hash_bits
    for gram in dict.fromkeys(_ref_token_ngrams(doc)):
        bucket = ngram_bucket(gram, n_features)
        if wanted is None or bucket in wanted:
            out.setdefault(bucket, []).append(gram)
    return out


def _ref_longest_repeated_phrase(words: list[str], min_phrase_repeats: int) -> str:
    best = ""
    n = 1
    while n <= len(words):
        counts = Counter(zip(*(words[i:] for i in range(n))))
        repeated = [g for g, c in counts.items() if c >= min_phrase_repeats]
        if not repeated:
            break
        longest = max(("".join(g) for g in repeated), key=len)
        if len(longest) > len(best):
            best = longest
        n += 1
    return best


def _ref_compression_gain(data: bytes) -> float:
    if len(data) < 200:
        return 0.0
    half = len(data) // 2
    parts = len(zlib.compress(data[:half])) + len(zlib.compress(data[half:]))
    return 1.0 - safe_ratio(len(zlib.compress(data)), parts)


def _ref_stuffing(featurizer: StuffingFeaturizer, doc) -> list[float]:
    words = [t for t in doc.tokens if CJK_RE.search(t) or t.isalnum()]
    total_chars = sum(len(w) for w in words)
    top_ratio = 0.0
    for n in range(2, featurizer.max_ngram_tokens + 1):
        counts = Counter(zip(*(words[i:] for i in range(n))))
        if not counts:
            break
        gram, count = counts.most_common(1)[0]
        if count > 1:
            top_ratio = max(top_ratio, safe_ratio(sum(len(w) for w in gram) * count, total_chars))
    phrase = _ref_longest_repeated_phrase(words, featurizer.min_phrase_repeats)
    return [
        top_ratio,
        float(len(CJK_RE.findall(phrase))),
        _ref_compression_gain(doc.text.encode("utf-8")),
        featurizer._title_repeat(doc),
        featurizer._duplicate_line_ratio(doc),
    ]


def _ref_separators_removed(text: str) -> tuple[str, list[str]]:
    c = contacts_mod
    runs = [m.group(0) for m in c.SPELLED_ID_RE.finditer(text)]
    for run in runs:
        text = text.replace(run, re.sub(r"[ \-—.·_~]+", "", run), 1)
    spelled = [r for r in runs if re.search("[A-Za-z]", r) and re.search(r"\d", r)]
    return c.DIGIT_SEPARATOR_RE.sub("", text), spelled


def _ref_contacts(doc) -> list[float]:
    c = contacts_mod
    text, spelled = _ref_separators_removed(doc.text)
    lines = text.split("\n")
    contact_lines = sum(
        bool(
            c.QQ_RE.search(line) or c.WECHAT_RE.search(line) or c.MESSENGER_RE.search(line)
            or c.PHONE_RE.search(line) or c.EMAIL_RE.search(line)
        )
        for line in lines
    )
    return [
        float(len(c.QQ_RE.findall(text))),
        float(len(c.WECHAT_RE.findall(text))),
        float(len(c.MESSENGER_RE.findall(text))),
        float(len(c.PHONE_RE.findall(text))),
        float(len(c.EMAIL_RE.findall(text))),
        float(len(c.DISGUISE_RE.findall(text)) + len(spelled)),
        safe_ratio(contact_lines, len(lines)),
    ]


def _ref_intent(doc) -> list[float]:
    m = intent_mod
    text, size, lines = doc.text, len(doc.text), doc.lines

    def rate(pattern):
        return safe_ratio(len(pattern.findall(text)) * 1000, size)

    quotes = [q.span() for q in m.QUOTE_RE.finditer(text)]

    def quoted(pos):
        return any(start <= pos < end for start, end in quotes)

    def advised(pos):
        # an official's advice earlier in the same sentence: scan back to the sentence start
        start = pos
        while start > 0 and text[start - 1] not in "。!?;\n" and pos - start < m.ADVICE_CHARS:
            start -= 1
        sentence = text[start:pos]
        return any(m.ADVICE_RE.match(sentence, i) is not None for i in range(len(sentence)))

    def guided(pos):
        before = text[max(0, pos - m.GUIDANCE_CHARS):pos]
        return any(m.GUIDANCE_RE.match(before, i) is not None for i in range(len(before)))

    reported = [
        hit for hit in _REF_CTA_RE.finditer(text)
        if m.REPORT_CUE_RE.search(text[max(0, hit.start() - m.REPORT_CUE_CHARS):hit.start()])
        or m.WARNING_AFTER_RE.match(text[hit.end():])
        or quoted(hit.start())
        or advised(hit.start())
        or guided(hit.start())
    ]
    def trust_reported_at(pos):
        return (
            quoted(pos) or advised(pos)
            or m.TRUST_REPORT_CUE_RE.search(text[max(0, pos - m.REPORT_CUE_CHARS):pos]) is not None
        )

    trust_reported = sum(trust_reported_at(hit.start()) for hit in _REF_TRUST_RE.finditer(text))
    def names(t):
        # the name runs from after the last function character before its suffix; a source's site or a name
        # with fewer than BRAND_MIN_CORE characters before the suffix is none
        out = []
        for hit in m.BRAND_RE.finditer(t):
            whole = hit.group(0)
            suffix = next(x for x in ("平台", "官网", "在线", "app", "APP", "宝", "网") if whole.endswith(x))
            core = whole[: len(whole) - len(suffix)]
            while any(ch in "的在是了等跨从对把被将于或让给就也都还又可即须需请均内后前与及据" for ch in core) or any(
                w in core for w in ("通过", "登录", "进入", "访问", "使用", "关注", "打开")
            ):
                core = core[1:]
            start = hit.end() - len(suffix) - len(core)
            before = t[max(0, start - m.SOURCE_CONTEXT_CHARS):start]
            cited = m.SOURCE_BEFORE_RE.search(before) or m.SOURCE_AFTER_RE.match(t[hit.end():])
            if len(core) >= m.BRAND_MIN_CORE and not m.GENERIC_BRAND_RE.search(core + suffix) and not cited:
                out.append(core + suffix)
        return out

    brands = names(text)

    def has_brand(line):
        return bool(names(line))

    return [
        safe_ratio((len(_REF_CTA_RE.findall(text)) - len(reported)) * 1000, size),
        safe_ratio(len(reported) * 1000, size),
        float(len({hit.group(0) for hit in _REF_TRUST_RE.finditer(text) if not trust_reported_at(hit.start())})),
        safe_ratio(trust_reported * 1000, size),
        rate(m.SECOND_PERSON_RE),
        safe_ratio(len(brands) * 1000, size),
        float(sum(bool(m.NUMBERED_LINE_RE.match(line) and has_brand(line)) for line in lines)),
        float(len(_ref_qa_lines(lines))),
        float(sum(bool(m.POLL_LINE_RE.match(line)) for line in lines)),
        rate(m.EXCLAMATION_RE),
    ]


def _ref_qa_lines(lines) -> list[str]:
    """Q&A lines, without answer lines where a reporter or host asks (the rule as specified, line by line)."""
    m = intent_mod
    interview = any(m.INTERVIEWER_LINE_RE.match(line) for line in lines)
    return [line for line in lines if m.QA_LINE_RE.match(line) and not (interview and m.QA_ANSWER_RE.match(line))]


# -- ~300 varied documents --------------------------------------------------------------------------------
EXTRA_LINES = [
    "点击次数:1234 浏览量 56",
    "该团伙打着“正规平台 立即到账”的旗号,「包过」,嫌疑人诱导事主下载。",
    "1. 鑫盛平台 安全可靠",
    "市体彩中心提醒广大购彩者,请到正规实体网点购彩,切勿相信“十大平台”,可致电咨询。",
    "切勿轻信网红推荐,该店号称正规,被评为十大品牌,债务咨询工作。",
    "这些平台和社交平台、某游戏平台都不是品牌,资金安全有保障的恒达宝才是。",
    "来源:海川网。海川网北京11月20日电 她曾打进美网女单4强,在罗马网球赛晋级,可查市考试院官网和德国之声中文网。",
    "公司发布的云图平台近日开放,覆盖抖音等平台,支持跨平台同步,鑫盛在线。推荐阅读:报名截止,咨询电话。",
    "观众可通过公众号预约,共设3万个名额,免费开放。据电影数据平台,跑者须通过赛事官网报名,医生在线接诊,全程网办。",
    "用户可立即注册,名额有限,免费领取。",
    "2、恒达官网:正规靠谱",
    "第一名 宝宝在线",
    "问:怎么开户?",
    "答:加微信 vx:abc12345 即可",
    "Q1: 你们靠谱吗?",
    "A. 百家乐",
    "投票:您会选择哪一个?",
    "联系QQ\n12345678",
    "电话 138-0013-8000 或 400 800 1234,邮箱 kefu@example.com",
    "扣扣 88665544 薇信 fp2024 加V:abcde",
    "ΟΔΟΣ ΣΟΦΟΣ Σ ΑΣ σ",
    "İSTANBUL KELVIN K ǅ ﬁ",
    "Ⅻ ① ² ٣٤٥ 2024年 ３月",
    "MiXeD CaSe Word WORD word",
    "a\x00b 中\x00文",
    "好好好好好好好好",
    "!!!你你你您您!",
    "访问 www.example.com 或 [官网](http://x.cn) 了解",
]


def _variants() -> list[str]:
    rng = random.Random(0)
    base = GENUINE_DOCS + SPAM_DOCS
    lines = [line for doc in base for line in doc.split("\n") if line.strip()] + EXTRA_LINES
    docs = list(base) + ["", " ", "\n\n", "标题", "一二三四五六七八九十" * 3]
    for _ in range(120):  # shuffled mixtures of lines, titles included
        docs.append("\n".join(rng.sample(lines, rng.randint(1, 12))))
    for _ in range(60):  # stuffing: a phrase repeated 2-6 times among other text, ties of equal length
        phrase = rng.choice(lines)[: rng.randint(2, 30)]
        other = rng.sample(lines, 3)
        parts = other + [phrase] * rng.randint(2, 6) + [rng.choice(lines)[:8]] * 3
        rng.shuffle(parts)
        docs.append(rng.choice(["", "。", " ", "\n"]).join(parts))
    for _ in range(40):  # a whole document repeated (long repeated phrases), with small edits
        doc = rng.choice(base)
        docs.append((doc + "\n") * rng.randint(2, 4) + rng.choice(EXTRA_LINES))
    for _ in range(40):  # character noise: digits, case, full-width forms, punctuation
        doc = list(rng.choice(base))
        for _ in range(rng.randint(1, 20)):
            doc.insert(rng.randrange(len(doc) + 1), rng.choice("0123456789ABCxyzΣ!?:\n ０１２"))
        docs.append("".join(doc))
    for _ in range(20):  # HTML and markdown wrappers
        doc = rng.choice(base).split("\n")
        body = "".join(f"<p>{line}</p>" for line in doc[1:])
        docs.append(f"<html><head><title>{doc[0]}</title></head><body><div>{body}<a href='http://a.cn'>链接</a></div></body></html>")
    return docs


DOCS = _variants()


@pytest.fixture(scope="module")
def parsed():
    return [parse_text(text, f"v{i}") for i, text in enumerate(DOCS)]


def _assert_rows_equal(new_rows, ref_rows):
    new, ref = np.asarray(new_rows, dtype=np.float64), np.asarray(ref_rows, dtype=np.float64)
    assert new.shape == ref.shape
    assert np.allclose(new, ref, rtol=RTOL, atol=ATOL), np.argwhere(~np.isclose(new, ref, rtol=RTOL, atol=ATOL))


def test_enough_varied_documents(parsed):
    assert len(parsed) >= 290
    assert sum(bool(p.tokens) for p in parsed) >= 280


def test_token_ngrams_identical(parsed):
    for doc in parsed:
        assert token_ngrams(doc) == _ref_token_ngrams(doc)
        assert token_ngrams(doc) == _ref_token_ngrams(doc)  # the cached list too


def test_token_matrix_identical(parsed):
    featurizer = TokenFeaturizer(hash_bits=12).fit(parsed)
    fresh = [parse_text(text) for text in DOCS]
    ref = HashingVectorizer(analyzer=_ref_token_ngrams, n_features=2**12, alternate_sign=False, binary=True, norm="l2")
    new_x, ref_x = featurizer.transform(fresh), ref.transform(fresh)
    assert (new_x != ref_x).nnz == 0


@pytest.mark.parametrize("hash_bits", [10, 18])
def test_bucket_ngrams_identical(parsed, hash_bits):
    featurizer = TokenFeaturizer(hash_bits=hash_bits).fit(parsed)
    for doc in parsed:
        full = _ref_bucket_ngrams(doc, hash_bits)
        assert featurizer.bucket_ngrams(doc) == full
        wanted = set(list(full)[:8])
        assert featurizer.bucket_ngrams(doc, wanted) == _ref_bucket_ngrams(doc, hash_bits, wanted)


@pytest.mark.parametrize("params", [{}, {"max_ngram_tokens": 2, "min_phrase_repeats": 2}, {"max_ngram_tokens": 8, "min_phrase_repeats": 10}])
def test_stuffing_identical(parsed, params):
    featurizer = StuffingFeaturizer(**params).fit(parsed)
    _assert_rows_equal(featurizer.transform(parsed), [_ref_stuffing(featurizer, d) for d in parsed])
    for doc in parsed:
        words = [t for t in doc.tokens if CJK_RE.search(t) or t.isalnum()]
        assert featurizer._longest_repeated_phrase(words) == _ref_longest_repeated_phrase(
            words, featurizer.min_phrase_repeats
        )


def test_contacts_identical(parsed):
    _assert_rows_equal(ContactFeaturizer().fit(parsed).transform(parsed), [_ref_contacts(d) for d in parsed])


def test_intent_identical(parsed):
    _assert_rows_equal(IntentFeaturizer().fit(parsed).transform(parsed), [_ref_intent(d) for d in parsed])


def _inputs():
    items: list = []
    for i, text in enumerate(DOCS[:60]):
        items.append(Document(id=f"d{i}", text=text))
        if i % 17 == 0:
            items.append(InputError(f"bad{i}", "binary content"))
    return [InputError("first", "unreadable")] + items + [InputError("last", "too large")]


def test_parallel_scoring_same_rows_in_order(tiny_model):
    inputs = _inputs()
    serial = [r.to_dict() for r in score_documents(tiny_model, inputs, batch_size=7)]
    parallel = [r.to_dict() for r in score_documents(tiny_model, iter(inputs), batch_size=7, jobs=2)]
    assert parallel == serial
    assert [r["id"] for r in parallel][:2] == ["first", "d0"]
    assert [r["id"] for r in parallel if r["error"]] == ["first", "bad0", "bad17", "bad34", "bad51", "last"]


def test_parallel_scoring_only_errors_and_empty(tiny_model):
    errors = [InputError(f"e{i}", "unreadable") for i in range(5)]
    assert [r.id for r in score_documents(tiny_model, errors, batch_size=2, jobs=2)] == [f"e{i}" for i in range(5)]
    assert list(score_documents(tiny_model, [], jobs=2)) == []


@pytest.mark.parametrize(
    ("text", "phrase"),
    [("好好好好好", "好好"), ("配资平台配资平台x配资平台", "配资平台"), ("", "abc"), ("abcabc", "abcd"), ("a.b.a.b", "a.b")],
)
def test_injection_occurrences_match_finditer(text, phrase):
    assert injection_mod._occurrences(text, phrase) == [m.start() for m in re.finditer(re.escape(phrase), text)]


def test_injection_occurrences_on_documents(parsed):
    for doc in parsed:
        for line in doc.lines[:3]:
            for phrase in {line[:2], line[1:5], line[-3:]} - {""}:
                expected = [m.start() for m in re.finditer(re.escape(phrase), doc.text)]
                assert injection_mod._occurrences(doc.text, phrase) == expected


# -- second round (scoring speed): the code before it, kept as references ---------------------------------
def _ref_contacts_evidence(doc) -> dict[str, str]:
    c = contacts_mod
    text, spelled = _ref_separators_removed(doc.text)
    out = {}
    for name, pattern in (
        ("qq_count", c.QQ_RE),
        ("wechat_count", c.WECHAT_RE),
        ("messenger_count", c.MESSENGER_RE),
        ("phone_count", c.PHONE_RE),
        ("email_count", c.EMAIL_RE),
        ("disguised_contact_count", c.DISGUISE_RE),
    ):
        found = pattern.findall(text) + (spelled if pattern is c.DISGUISE_RE else [])
        if found:
            out[name] = ", ".join(found[:3])
    return out


def _ref_clean_lines(text: str) -> list[str]:
    out = []
    for line in text.split("\n"):
        line = parse_mod.SPACE_RUN_RE.sub(" ", line).strip()
        if line:
            out.append(line)
    return out


def _ref_bigram_prob(lm, prev, nxt):
    p1 = lm.unigram_prob(nxt)
    pair = ((prev * lm_mod.HASH_PRIME + nxt) % np.uint64(lm.bigram_.size)).astype(np.int64)
    context = lm.unigram_[(prev % lm_mod.UNIGRAM_BUCKETS).astype(np.int64)]
    return (lm.bigram_[pair] + lm_mod.BIGRAM_PRIOR * p1) / (context + lm_mod.BIGRAM_PRIOR)


def _fresh(texts):
    """Newly parsed documents (no n-gram, contact or phrase caches from an earlier test)."""
    return [parse_text(text, f"f{i}") for i, text in enumerate(texts)]


def test_murmur3_matches_mmh3():
    rng = random.Random(3)
    alphabet = "aZ0 \x00\t配资平台新闻é" + "".join(chr(c) for c in (0x20000, 0x1F600, 0x10FFFF, 0xE000, 0x3400, 0x7FF, 0x800))
    strings = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    strings += ["x" * n for n in range(0, 700, 13)] + ["", "c:配资"]  # past MAX_VECTOR_HASH_BYTES too
    encoded = [s.encode("utf-8") for s in strings]
    sizes = np.asarray([len(e) for e in encoded])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    data = b"".join(encoded)
    got = tokens_mod.murmur3_32(data, starts, sizes)
    assert got.dtype == np.int32
    assert got.tolist() == [mmh3.hash(s, 0, True) for s in strings]
    # arbitrary (overlapping, unordered) slices of one buffer
    picks = [(rng.randrange(len(data)), rng.randint(0, 300)) for _ in range(2000)]
    picks = [(s, min(n, len(data) - s)) for s, n in picks]
    got = tokens_mod.murmur3_32(data, np.asarray([s for s, _ in picks]), np.asarray([n for _, n in picks]))
    assert got.tolist() == [mmh3.hash(data[s:s + n], 0, True) for s, n in picks]
    assert tokens_mod.murmur3_32(b"", np.zeros(0), np.zeros(0)).size == 0


@pytest.mark.parametrize("hash_bits", [10, 18])
def test_hashed_ngrams_are_token_ngrams(hash_bits):
    docs = _fresh(DOCS)
    hashed = tokens_mod.hashed_ngrams(docs)  # one batch
    for doc, h in zip(docs, hashed):
        grams = _ref_token_ngrams(doc)
        assert [h.gram(k) for k in range(len(grams))] == grams
        assert (h.hashes % 2**hash_bits).tolist() == [ngram_bucket(g, 2**hash_bits) for g in grams]
        assert tokens_mod.hashed_ngrams([doc])[0] is h  # cached on the document


def test_token_columns_per_document_and_in_batches():
    docs = _fresh(DOCS)
    featurizer = TokenFeaturizer(hash_bits=12).fit(docs)
    indptr, indices, _ = featurizer.rows(docs)
    for i, doc in enumerate(docs):
        expected = sorted({ngram_bucket(g, 2**12) for g in _ref_token_ngrams(doc)})
        assert indices[indptr[i]:indptr[i + 1]].tolist() == expected
        assert featurizer.columns(doc).tolist() == expected


def test_contacts_evidence_identical():
    featurizer = ContactFeaturizer()
    measured = _fresh(DOCS)
    for doc in measured:
        featurizer.measure(doc)  # evidence then reuses the matches measure found
    for doc, fresh in zip(measured, _fresh(DOCS)):
        assert featurizer.evidence(doc) == _ref_contacts_evidence(doc)
        assert featurizer.evidence(fresh) == _ref_contacts_evidence(fresh)


@pytest.mark.parametrize("params", [{}, {"max_ngram_tokens": 2, "min_phrase_repeats": 2}, {"max_ngram_tokens": 8, "min_phrase_repeats": 10}])
def test_stuffing_evidence_identical(params):
    featurizer = StuffingFeaturizer(**params)
    other = StuffingFeaturizer(min_phrase_repeats=5 if featurizer.min_phrase_repeats != 5 else 4)
    for doc in _fresh(DOCS):
        words = [t for t in doc.tokens if CJK_RE.search(t) or t.isalnum()]
        phrase = _ref_longest_repeated_phrase(words, featurizer.min_phrase_repeats)
        expected = {"longest_repeated_phrase_chars": phrase} if phrase else {}
        assert featurizer.evidence(doc) == expected  # not measured yet
        featurizer.measure(doc)
        assert featurizer.evidence(doc) == expected  # from the phrase measure kept
        other_phrase = _ref_longest_repeated_phrase(words, other.min_phrase_repeats)
        assert other.evidence(doc) == ({"longest_repeated_phrase_chars": other_phrase} if other_phrase else {})


def test_clean_lines_identical():
    texts = [*DOCS, " a \t b \u3000\n\n\xa0 c\u200b \ufeff\n\t\n", "x\r\ny", "\u2028 a \u2029 b \x1c c \x85 d"]
    for text in texts:
        assert parse_mod._clean_lines(text) == _ref_clean_lines(text)


def test_lm_single_pair_identical():
    lm = lm_mod.CharNgramLM(order=2, bigram_bits=12).fit(GENUINE_DOCS)
    cps = lm_mod.codepoints("".join(GENUINE_DOCS + SPAM_DOCS) + "a\x00😀𠀀")
    rng = random.Random(5)
    for _ in range(2000):
        i, j = rng.randrange(cps.size), rng.randrange(cps.size)
        prev, nxt = cps[i:i + 1], cps[j:j + 1]
        assert lm.pair_prob(int(prev[0]), int(nxt[0])) == _ref_bigram_prob(lm, prev, nxt)[0]
        cp = int(prev[0])
        assert lm_mod.is_cjk_point(cp) == (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF)
    assert np.array_equal(
        lm_mod.is_cjk(cps), ((cps >= 0x4E00) & (cps <= 0x9FFF)) | ((cps >= 0x3400) & (cps <= 0x4DBF))
    )
    assert np.array_equal(lm.bigram_prob(cps[:-1], cps[1:]), _ref_bigram_prob(lm, cps[:-1], cps[1:]))


def test_segment_drops_only_whitespace_tokens():
    segment_mod.segment("")  # initialises the backend
    for text in DOCS[:80]:
        assert segment_mod.segment(text) == [t for t in segment_mod._cut(text) if not t.isspace()]


# -- third round (intent and injection): the code before it, kept as references ---------------------------
#: CTA_RE and TRUST_RE as they were before their alternatives were made to open with a literal
_REF_CTA_RE = re.compile(
    r"(?:咨询|开户|下载|加微信|立即|点击|注册|领取|免费|预约|扫码|添加|私聊|私信|抢购|限时|(?<![个\d万])名额|马上|赶快|火速|"
    r"联系客服|在线客服|客服热线|详询|致电|报名|入驻|申请通道|速来)"
    r"(?!公司|师|员|机构|资本|信息|费|服务|地址|记录|环节|窗口|链接|量|数|人数|从业|工作|业务|行业|顾问|"
    r"截止|时间|条件|方式|入口|须知|电话|热线|通知|公告|简章|开放)"
)
_REF_TRUST_RE = re.compile(
    r"排名|十大|排行|榜单|靠谱|正规|可靠|(?<!相关|热门|编辑|精彩|今日)推荐(?!阅读|新闻|文章|视频|内容|栏目)|"
    r"口碑|放心|无风险|稳赚|包过|包成功|"
    r"成功率|零风险|低门槛|专业团队|老品牌|大品牌|信誉|实力雄厚|诚信|"
    r"(?:资金|账户|交易|支付|隐私|绝对|百分百|非常|十分)安全|安全(?:正规|放心|无忧|靠谱|稳定|省心)|"
    r"有保障|品质保障|售后保障|全程保障|资金保障"
)


def _ref_split_calls_to_action(text, quotes):
    m = intent_mod
    made, reported = [], []
    for hit in _REF_CTA_RE.finditer(text):
        is_reported = (
            m._is_reported(text, hit, quotes, m.REPORT_CUE_RE)
            or m.WARNING_AFTER_RE.match(text, hit.end())
            or m._in_guidance(text, hit.start())
        )
        (reported if is_reported else made).append(hit)
    return made, reported


def _ref_split_trust_words(text, quotes):
    m = intent_mod
    asserted, reported = [], []
    for hit in _REF_TRUST_RE.finditer(text):
        (reported if m._is_reported(text, hit, quotes, m.TRUST_REPORT_CUE_RE) else asserted).append(hit)
    return asserted, reported


def _ref_brand_names(text: str) -> list[str]:
    m = intent_mod
    names = []
    for hit in m.BRAND_RE.finditer(text):
        suffix = m.BRAND_SUFFIX_RE.search(hit.group(0)).group(0)
        core = m.BRAND_FUNCTION_CHAR_RE.split(hit.group(0)[: -len(suffix)])[-1]
        name = core + suffix
        if (
            len(core) >= m.BRAND_MIN_CORE
            and not m.GENERIC_BRAND_RE.search(name)
            and not m.SOURCE_BEFORE_RE.search(text, max(0, hit.end() - len(name) - m.SOURCE_CONTEXT_CHARS), hit.end() - len(name))
            and not m.SOURCE_AFTER_RE.match(text, hit.end())
        ):
            names.append(name)
    return names


def _ref_intent_evidence(doc) -> dict[str, str]:
    m = intent_mod
    text = doc.text
    out = {}
    quotes = m._quoted_spans(text)
    made, reported = _ref_split_calls_to_action(text, quotes)
    if made:
        out["cta_per_1k_chars"] = ", ".join(list(dict.fromkeys(hit.group(0) for hit in made))[:5])
    if reported:
        out["cta_reported_per_1k_chars"] = " | ".join(
            text[max(0, hit.start() - 6):hit.end()].replace("\n", " ") for hit in reported[:3]
        )
    for name, found in zip(("trust_ranking_words", "trust_reported_per_1k_chars"), _ref_split_trust_words(text, quotes)):
        if found:
            out[name] = ", ".join(list(dict.fromkeys(hit.group(0) for hit in found))[:5])
    for name, found in (
        ("brand_name_per_1k_chars", _ref_brand_names(text)),
        ("second_person_per_1k_chars", m.SECOND_PERSON_RE.findall(text)),
    ):
        found = list(dict.fromkeys(found))
        if found:
            out[name] = ", ".join(found[:5])
    ranked = [line[:24] for line in doc.lines if m.NUMBERED_LINE_RE.match(line) and _ref_brand_names(line)]
    if ranked:
        out["numbered_brand_line_count"] = " | ".join(ranked[:3])
    qa = [line[:16] for line in _ref_qa_lines(doc.lines)]
    if qa:
        out["qa_line_count"] = " | ".join(qa[:3])
    polls = [line[:16] for line in doc.lines if m.POLL_LINE_RE.match(line)]
    if polls:
        out["poll_line_count"] = " | ".join(polls[:3])
    return out


def _ref_repeated_phrases(text: str, cps: np.ndarray) -> set[str]:
    m = injection_mod
    n = cps.size
    if n < 2 * m.MIN_PHRASE_CJK:
        return set()
    cjk = lm_mod.is_cjk(cps)
    ok = cjk[:-3] & cjk[1:-2] & cjk[2:-1] & cjk[3:]
    h = ((cps[:-3] * lm_mod.HASH_PRIME + cps[1:-2]) * lm_mod.HASH_PRIME + cps[2:-1]) * lm_mod.HASH_PRIME + cps[3:]
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        return set()
    _, inverse, counts = np.unique(h[idx], return_inverse=True, return_counts=True)
    rep = idx[counts[inverse] >= 2]
    if rep.size == 0:
        return set()
    breaks = np.flatnonzero(np.diff(rep) != 1)
    starts = rep[np.r_[0, breaks + 1]]
    ends = rep[np.r_[breaks, rep.size - 1]] + m.MIN_PHRASE_CJK
    return {text[s:e] for s, e in zip(starts.tolist(), ends.tolist())}


def _ref_subheadline(title):
    """The last part of a title split at affix separators, when whitespace alone sets it off and it is not the
    longest part."""
    parts = [p for p in injection_mod.AFFIX_SPLIT_RE.split(title) if p]
    if len(parts) < 2 or parts[-1] == max(parts, key=len):
        return None
    m = re.search(r"([^\s|_｜\-—–])\s+" + re.escape(parts[-1]) + r"\s*$", title)
    return parts[-1] if m else None


class _RefInjection(injection_mod.InjectionFeaturizer):
    """The injection family before the third round: measured and explained from scratch on every call, with
    array arithmetic in ``_is_spliced`` and ``np.unique`` in the repeated phrases."""

    def measure_with(self, doc, lm):
        m = injection_mod
        prefixes, suffixes, affix_body = self._title_affixes(doc, lm)
        spliced = self.spliced_phrases(doc, lm)
        return [
            float(max((m._cjk_len(p) for p in prefixes), default=0)),
            float(max((m._cjk_len(s) for s in suffixes), default=0)),
            float(affix_body),
            float(sum(len(v["spliced_at"]) for v in spliced.values())),
            float(max((v["count"] for v in spliced.values()), default=0)),
            float(len(m._lone_numbered(doc.lines))),
        ]

    def _title_affixes(self, doc, lm=None):
        m = injection_mod
        lm = lm if lm is not None else self.lm_
        header, start = m.header_lines(doc)
        opening = "\n".join(doc.lines[start:start + m.OPENING_LINES])[:m.OPENING_CHARS]
        body_lines = doc.lines[start:]
        prefixes, suffixes, counts = set(), set(), {}
        for line in header:
            parts = [p for p in m.AFFIX_SPLIT_RE.split(line) if p]
            if len(parts) < 2:
                continue
            longest = max(parts, key=len)
            body = "\n".join(
                b for b in body_lines
                if longest not in b and len(b) >= m.PARAGRAPH_MIN_CHARS and m.SENTENCE_PUNCT_RE.search(b)
            )
            for part, bucket in ((parts[0], prefixes), (parts[-1], suffixes)):
                if part == longest or not m.AFFIX_CHARS_RE.fullmatch(part) or m._cjk_len(part) < m.MIN_PHRASE_CJK:
                    continue
                if self._is_novel(part, opening, lm):
                    bucket.add(part)
                    n = body.count(part)
                    if bucket is suffixes and _ref_subheadline(line) == part:
                        cps = lm_mod.codepoints(body)
                        n = 0
                        for x in re.finditer(re.escape(part), body):
                            a, b = x.start(), x.end()
                            n += not ((a > 0 and lm_mod.is_cjk(cps[a - 1:a])[0]) or (b < cps.size and lm_mod.is_cjk(cps[b:b + 1])[0]))
                    counts[part] = max(n, counts.get(part, 0))
        prefixes = {a for a in prefixes if counts[a] >= m.MIN_AFFIX_BODY_COUNT}
        suffixes = {a for a in suffixes if counts[a] >= m.MIN_AFFIX_BODY_COUNT}
        return prefixes, suffixes, sum(counts[a] for a in prefixes | suffixes)

    def spliced_phrases(self, doc, lm=None):
        m = injection_mod
        lm = lm if lm is not None else self.lm_
        text = doc.text
        cps = lm_mod.codepoints(text)
        header, start = m.header_lines(doc)
        header_text = "\n".join(header)
        body_offset = len(header_text) + 1 if header else 0
        parts = [p for p in m.AFFIX_SPLIT_RE.split(header[0]) if p] if header else []
        headline = max(parts, key=len) if parts else None
        spans = [(x.start(), x.end()) for x in re.finditer(re.escape(headline), header_text)] if headline else []

        sub = _ref_subheadline(header[0]) if header else None
        sub_spans = [(x.start(), x.end()) for x in re.finditer(re.escape(sub), header_text)] if sub else []

        def own(p, end):
            if any(a <= p and end <= b for a, b in sub_spans):
                return True
            near_cjk = (p > 0 and lm_mod.is_cjk(cps[p - 1:p])[0]) or (end < cps.size and lm_mod.is_cjk(cps[end:end + 1])[0])
            inside = any(a <= p and end <= b for a, b in spans)
            return bool(inside and near_cjk and not self._is_spliced(cps, p, end, lm))

        out = {}
        for phrase in sorted(_ref_repeated_phrases(text, cps)):
            if phrase not in header_text:
                continue
            positions = m._occurrences(text, phrase)
            if all(own(p, p + len(phrase)) for p in positions if p < body_offset):
                continue
            spliced = [p for p in positions if p >= body_offset and self._is_spliced(cps, p, p + len(phrase), lm)]
            if spliced and len(spliced) >= m.MIN_SPLICED_SHARE * len(positions):
                line_starts = m._line_starts(text)
                out[phrase] = {
                    "count": len(positions),
                    "spliced_at": [m.bisect_right(line_starts, p) - 1 for p in spliced],
                    "all_at": [m.bisect_right(line_starts, p) - 1 for p in positions],
                }
        return out

    def _is_spliced(self, cps, start, end, lm):
        left = cps[start - 1:start] if start > 0 else cps[:0]
        right = cps[end:end + 1]
        left_cjk = bool(left.size and lm_mod.is_cjk(left)[0])
        right_cjk = bool(right.size and lm_mod.is_cjk(right)[0])
        if not (left_cjk or right_cjk):
            return False
        bits = []
        if left_cjk:
            bits.append(-np.log2(lm.bigram_prob(left, cps[start:start + 1])[0]))
        if right_cjk:
            bits.append(-np.log2(lm.bigram_prob(cps[end - 1:end], right)[0]))
        boundary = float(np.mean(bits))
        if left.size and right.size:
            join = float(-np.log2(lm.bigram_prob(left, right)[0]))
        else:
            join = boundary - self.min_gain_bits
        return boundary >= self.min_boundary_bits and boundary - join >= self.min_gain_bits

    def evidence(self, doc):
        m = injection_mod
        out = {}
        spliced = self.spliced_phrases(doc)
        if spliced:
            phrase, info = max(spliced.items(), key=lambda kv: (len(kv[1]["spliced_at"]), kv[1]["count"]))
            where = ", ".join(m._where(i) for i in dict.fromkeys(info["all_at"]))
            out["spliced_phrase_count"] = f"{phrase} x{info['count']}: {where}"
            out["spliced_phrase_max_repeat"] = out["spliced_phrase_count"]
        prefixes, suffixes, _ = self._title_affixes(doc)
        if prefixes:
            out["title_prefix_novel_chars"] = " / ".join(sorted(prefixes))
        if suffixes:
            out["title_suffix_novel_chars"] = " / ".join(sorted(suffixes))
        if prefixes or suffixes:
            out["title_affix_body_count"] = " / ".join(sorted(prefixes | suffixes))
        lone = [line[:30] for line in m._lone_numbered(doc.lines)]
        if lone:
            out["lone_numbered_line_count"] = " | ".join(lone[:3])
        return out


#: texts at the edges of the rewritten scans: 名额 and 推荐 at the start and after their excluded neighbours,
#: the words before 安全, brand suffixes inside one another (官网, app), names at the start and the end
SCAN_EDGE_TEXTS = [
    "名额有限", "个名额", "3名额 万名额 有名额", "推荐阅读 相关推荐 今日推荐好 推荐", "好推荐新闻 编辑推荐",
    "资金安全 十分安全 十大 百分百安全 非常 安全正规 绝对安全可靠", "推", "名", "安全",
    "恒达官网 官网网 鑫盛网官网 XXapp aapp 在线在线 宝宝宝 平台平台平台", "网", "ab网", "abcdefgh网 abcdefg官网",
    "落网 联网 上网购 美网4强 网球赛 罗马网球赛 鑫盛在线办理 鑫盛在线。", "来源:海川网\n鑫盛网",
]


def _intent_texts(parsed):
    return [doc.text for doc in parsed] + [line for doc in parsed for line in doc.lines] + SCAN_EDGE_TEXTS


def test_intent_scans_find_the_same_matches(parsed):
    m = intent_mod
    assert _REF_CTA_RE.pattern != m.CTA_RE.pattern and _REF_TRUST_RE.pattern != m.TRUST_RE.pattern
    spans = lambda hits: [(hit.span(), hit.group(0)) for hit in hits]  # noqa: E731
    found = Counter()
    for text in _intent_texts(parsed):
        assert spans(m.CTA_RE.finditer(text)) == spans(_REF_CTA_RE.finditer(text))
        assert spans(m.TRUST_RE.finditer(text)) == spans(_REF_TRUST_RE.finditer(text))
        assert spans(m._brand_matches(text)) == spans(m.BRAND_RE.finditer(text))
        assert m._brand_names(text) == _ref_brand_names(text)
        quotes = m._quoted_spans(text)
        for new, ref in ((m.split_calls_to_action(text, quotes), _ref_split_calls_to_action(text, quotes)),
                         (m.split_trust_words(text, quotes), _ref_split_trust_words(text, quotes))):
            assert [spans(part) for part in new] == [spans(part) for part in ref]
        found.update(cta=bool(m.CTA_RE.search(text)), trust=bool(m.TRUST_RE.search(text)), brand=bool(_ref_brand_names(text)))
    assert min(found.values()) > 20


def test_intent_evidence_identical():
    featurizer = IntentFeaturizer()
    measured = _fresh(DOCS)
    rows = [featurizer.measure(doc) for doc in measured]  # evidence then reuses what measure found
    _assert_rows_equal(rows, [_ref_intent(doc) for doc in measured])
    expected = [_ref_intent_evidence(doc) for doc in measured]
    assert [featurizer.evidence(doc) for doc in measured] == expected
    assert [featurizer.evidence(doc) for doc in _fresh(DOCS)] == expected  # not measured first
    assert all(any(name in e for e in expected) for name in IntentFeaturizer.feature_names[:-1])


def test_intent_cache_follows_the_text():
    featurizer = IntentFeaturizer()
    doc = parse_text("立即开户\n恒达官网,正规靠谱。")
    featurizer.measure(doc)
    doc.lines = ["1. 鑫盛平台 安全可靠", "你们好"]
    doc._text = None  # a changed document: its cached findings are not reused
    assert featurizer.measure(doc) == _ref_intent(doc)
    assert featurizer.evidence(doc) == _ref_intent_evidence(doc)


COVERAGE: Counter = Counter()


def _synthesized() -> list[str]:
    """Parasite, spun and keyword pages made from the genuine documents (title affixes, spliced phrases)."""
    from classifier.synth import KINDS, VERTICALS, Article, synthesize

    out = []
    for i, text in enumerate(GENUINE_DOCS):
        lines = [line for line in text.split("\n") if line]
        article = Article(lines[0], tuple(lines[1:]))
        for j, vertical in enumerate(sorted(VERTICALS)):
            out.extend(synthesize(article, vertical, kind, i * 10 + j).text for kind in KINDS)
    return out


INJECTION_DOCS = DOCS + _synthesized()


def _injection_pair(params=None):
    genuine = [parse_text(text) for text in GENUINE_DOCS]
    new = injection_mod.InjectionFeaturizer(**(params or {})).fit(genuine)
    ref = _RefInjection(**(params or {})).fit(genuine)
    return new, ref


@pytest.mark.parametrize("params", [{}, {"min_boundary_bits": 8.0, "min_gain_bits": 2.0}, {"min_boundary_bits": 0.0, "min_gain_bits": -5.0}])
def test_injection_identical(params):
    new, ref = _injection_pair(params)
    measured = _fresh(INJECTION_DOCS)
    rows = [new.measure(doc) for doc in measured]  # evidence then reuses what measure found
    _assert_rows_equal(rows, [ref.measure(doc) for doc in measured])
    expected = [ref.evidence(doc) for doc in measured]
    assert [new.evidence(doc) for doc in measured] == expected
    assert [new.evidence(doc) for doc in _fresh(INJECTION_DOCS)] == expected  # not measured first
    for doc in measured:
        assert new.spliced_phrases(doc) == ref.spliced_phrases(doc)
        assert new._title_affixes(doc) == ref._title_affixes(doc)
    COVERAGE.update(
        spliced=sum(bool(e.get("spliced_phrase_count")) for e in expected),
        affixes=sum(bool(e.get("title_prefix_novel_chars") or e.get("title_suffix_novel_chars")) for e in expected),
        lone=sum(bool(e.get("lone_numbered_line_count")) for e in expected),
    )


def test_injection_cases_covered():
    """The documents of test_injection_identical (over its parameters) had every kind of evidence."""
    if len(COVERAGE) < 3:
        pytest.skip("run with test_injection_identical")
    assert min(COVERAGE.values()) > 5, COVERAGE


def test_injection_cache_follows_model_and_thresholds():
    new, ref = _injection_pair()
    other = injection_mod.InjectionFeaturizer._make_lm().fit(SPAM_DOCS)
    for doc in _fresh(INJECTION_DOCS[::3]):
        first = new.measure_with(doc, new.lm_)
        assert new.measure_with(doc, other) == ref.measure_with(doc, other)  # another model: measured again
        assert new.measure_with(doc, new.lm_) == first
        new.min_boundary_bits, ref.min_boundary_bits = 4.0, 4.0  # other thresholds: measured again
        assert new.measure(doc) == ref.measure(doc)
        assert new.evidence(doc) == ref.evidence(doc)
        new.min_boundary_bits, ref.min_boundary_bits = 16.0, 16.0


def test_injection_repeated_phrases_identical():
    texts = [doc.text for doc in _fresh(INJECTION_DOCS)] + ["好好好好好好好好", "配资平台配资平台", "甲乙丙丁戊" * 3 + "a甲乙丙丁", ""]
    for text in texts:
        cps = lm_mod.codepoints(text)
        assert injection_mod._repeated_phrases(text, cps) == _ref_repeated_phrases(text, cps)
    assert sum(bool(_ref_repeated_phrases(t, lm_mod.codepoints(t))) for t in texts) > 50
