"""Token columns without scikit-learn: ``mmh3`` gives scikit-learn's murmurhash3_32, and TokenFeaturizer gives
HashingVectorizer(analyzer=token_ngrams, alternate_sign=False, binary=True, norm="l2")'s matrix, exactly."""

from __future__ import annotations

import random

import mmh3
import pytest
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32

from classifier.featurizers.tokens import TokenFeaturizer, ngram_bucket, token_ngrams
from classifier.parse import parse_text

from .conftest import GENUINE_DOCS, SPAM_DOCS


def _ngrams_for_hashing() -> list[str]:
    """N-grams of the test pages, and random strings over ASCII, CJK, astral-plane and control characters."""
    grams = {g for text in GENUINE_DOCS + SPAM_DOCS for g in token_ngrams(parse_text(text))}
    rng = random.Random(7)
    alphabet = "aZ0 \x00\t配资平台新闻" + "".join(chr(c) for c in (0x20000, 0x1F600, 0x10FFFF, 0xE000, 0x3400, 0xFFFD))
    for _ in range(3000):
        grams.add("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9))))
    grams |= {"", "c:配资", "𠀀𠀁", "😀 😀", "x" * 1000}
    return sorted(grams)


def _string_hashing_to_min_int32() -> str:
    """An ASCII string whose MurmurHash3_x86_32 (seed 0) is -2**31: the last 4-byte block solved backwards
    from the hash through the (invertible) mixing steps, trying prefixes until that block is ASCII."""
    mask = 0xFFFFFFFF
    c1, c2 = 0xCC9E2D51, 0x1B873593

    def rotl(x, r):
        return ((x << r) | (x >> (32 - r))) & mask

    def rotr(x, r):
        return ((x >> r) | (x << (32 - r))) & mask

    def unxorshift(x, shift):
        result = x
        for _ in range(32 // shift + 1):
            result = x ^ (result >> shift)
        return result & mask

    def unfmix(h):
        h = unxorshift(h, 16)
        h = (h * pow(0xC2B2AE35, -1, 2**32)) & mask
        h = unxorshift(h, 13)
        h = (h * pow(0x85EBCA6B, -1, 2**32)) & mask
        return unxorshift(h, 16)

    def mix_block(h, k):
        k = (rotl((k * c1) & mask, 15) * c2) & mask
        h ^= k
        return (rotl(h, 13) * 5 + 0xE6546B64) & mask

    for n in range(100000):
        prefix = f"{n:04d}".encode()[-4:]
        h1 = mix_block(0, int.from_bytes(prefix, "little"))
        h2 = unfmix(0x80000000) ^ 8  # the state after both blocks, before the length and the finalizer
        h2 = (((h2 - 0xE6546B64) * pow(5, -1, 2**32)) & mask)
        k = rotr(h2, 13) ^ h1
        k = (rotr((k * pow(c2, -1, 2**32)) & mask, 15) * pow(c1, -1, 2**32)) & mask
        block = k.to_bytes(4, "little")
        if all(b < 0x80 for b in block):
            return (prefix + block).decode("ascii")
    raise AssertionError("no ASCII preimage found")


def test_mmh3_is_sklearns_murmurhash():
    grams = _ngrams_for_hashing()
    assert len(grams) > 2000
    assert [mmh3.hash(g, 0, True) for g in grams] == [murmurhash3_32(g, seed=0) for g in grams]


@pytest.mark.parametrize("hash_bits", [10, 18, 24])
def test_token_columns_are_hashing_vectorizers(hash_bits):
    grams = _ngrams_for_hashing()
    n_features = 2**hash_bits
    vectorizer = HashingVectorizer(analyzer=lambda gram: [gram], n_features=n_features, alternate_sign=False)
    X = vectorizer.transform(grams).tocsr()
    assert [int(X.indices[X.indptr[i]]) for i in range(len(grams))] == [ngram_bucket(g, n_features) for g in grams]


def test_min_int32_hash_edge():
    text = _string_hashing_to_min_int32()
    assert murmurhash3_32(text, seed=0) == -(2**31) == mmh3.hash(text, 0, True)
    for hash_bits in (10, 18, 24):
        n_features = 2**hash_bits
        X = HashingVectorizer(analyzer=lambda t: [t], n_features=n_features, alternate_sign=False).transform([text])
        assert X.indices.tolist() == [ngram_bucket(text, n_features)]
    for n_features in (3, 1000, 12345):  # not a power of two: abs(-2**31) % n is not 0
        X = HashingVectorizer(analyzer=lambda t: [t], n_features=n_features, alternate_sign=False, norm=None).transform([text])
        assert X.indices.tolist() == [ngram_bucket(text, n_features)]


def test_token_featurizer_rows_are_hashing_vectorizers():
    docs = [parse_text(t) for t in GENUINE_DOCS + SPAM_DOCS + ["", "𠀀𠀁 abc 123"]]
    tok = TokenFeaturizer(hash_bits=12).fit(docs)
    mine = tok.transform(docs)
    theirs = HashingVectorizer(analyzer=token_ngrams, n_features=2**12, alternate_sign=False, binary=True,
                               norm="l2").transform(docs)
    assert (mine.indptr == theirs.indptr).all() and (mine.indices == theirs.indices).all()
    assert (mine.data == theirs.data).all()
