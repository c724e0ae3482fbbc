"""Token n-grams, hashed: word 1-2 grams and character 2-grams of the normalized text.

No vocabulary is stored (``HashingVectorizer``); an explanation recovers the names of a bucket from the
document's own n-grams (:meth:`TokenFeaturizer.bucket_ngrams`).
"""

from __future__ import annotations

import re
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32
from sklearn.utils._param_validation import Interval

from classifier.parse import ParsedDoc, parse_document

#: token_ngrams: a token is kept as a word when it contains a CJK character or a Latin letter.
WORD_RE = re.compile(r"[\u3400-\u9fffA-Za-z]")
DIGIT_RE = re.compile(r"\d+")
CJK_RUN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{2,}")
#: token_ngrams: prefix that keeps character bigrams apart from one-character words in the hash space.
CHAR_PREFIX = "c:"


def token_ngrams(doc) -> list[str]:
    """Word unigrams and bigrams (digits folded to ``0``) plus CJK character bigrams of a ParsedDoc.

    Module-level (not a lambda) so that a fitted model pickles.

    Examples
    --------
    >>> from classifier.parse import parse_text
    >>> token_ngrams(parse_text("配资平台2024"))[:4]
    ['配资', '平台', '0', '配资 平台']
    """
    doc = parse_document(doc)
    words = [DIGIT_RE.sub("0", t.lower()) for t in doc.tokens if WORD_RE.search(t) or t.isdigit()]
    grams = list(words)
    grams.extend(f"{a} {b}" for a, b in zip(words, words[1:]))
    for run in CJK_RUN_RE.findall(doc.text):
        grams.extend(CHAR_PREFIX + run[i:i + 2] for i in range(len(run) - 1))
    return grams


def ngram_bucket(ngram: str, n_features: int) -> int:
    """The column HashingVectorizer(alternate_sign=False) gives ``ngram`` (sklearn's murmurhash, seed 0)."""
    return abs(murmurhash3_32(ngram, seed=0)) % n_features


class TokenFeaturizer(TransformerMixin, BaseEstimator):
    """Hashed, L2-normalized binary bag of word and character n-grams.

    Parameters
    ----------
    hash_bits : int, default=18
        Number of columns is ``2**hash_bits`` (10 to 24).
    """

    _parameter_constraints = {"hash_bits": [Interval(Integral, 10, 24, closed="both")]}

    def __init__(self, hash_bits: int = 18):
        self.hash_bits = hash_bits

    def _vectorizer(self) -> HashingVectorizer:
        return HashingVectorizer(
            analyzer=token_ngrams,
            n_features=2**self.hash_bits,
            alternate_sign=False,
            binary=True,
            norm="l2",
        )

    def fit(self, X, y=None):
        self._validate_params()
        self.n_features_out_ = 2**self.hash_bits
        return self

    def transform(self, X):
        return self._vectorizer().transform(X)

    def get_feature_names_out(self, input_features=None):
        width = len(str(2**self.hash_bits))
        return np.asarray([f"ngram_bucket_{i:0{width}d}" for i in range(2**self.hash_bits)], dtype=object)

    def bucket_ngrams(self, doc: ParsedDoc, wanted: set[int] | None = None) -> dict[int, list[str]]:
        """Map each non-empty column of ``doc`` (or only the ``wanted`` ones) to the document's own n-grams
        hashed into it."""
        out: dict[int, list[str]] = {}
        n_features = 2**self.hash_bits
        for gram in dict.fromkeys(token_ngrams(doc)):
            bucket = ngram_bucket(gram, n_features)
            if wanted is None or bucket in wanted:
                out.setdefault(bucket, []).append(gram)
        return out
