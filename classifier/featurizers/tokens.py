"""Token n-grams, hashed: word 1-2 grams and character 2-grams of the normalized text.

No vocabulary is stored (hashing, as scikit-learn's ``HashingVectorizer(alternate_sign=False, binary=True,
norm="l2")``, whose columns these are exactly: tested); an explanation recovers the names of a bucket from the
document's own n-grams (:meth:`TokenFeaturizer.bucket_ngrams`). Hashing is ``mmh3``'s MurmurHash3_x86_32,
the function scikit-learn's ``murmurhash3_32`` wraps, so scoring needs no scikit-learn.
"""

from __future__ import annotations

import re
from numbers import Integral

import mmh3
import numpy as np

from classifier.estimator import Interval, Transformer
from classifier.parse import ParsedDoc, parse_document

#: token_ngrams: a token is kept as a word when it contains a CJK character or a Latin letter.
WORD_RE = re.compile(r"[\u3400-\u9fffA-Za-z]")
DIGIT_RE = re.compile(r"\d+")
#: token_ngrams: prefix that keeps character bigrams apart from one-character words in the hash space.
CHAR_PREFIX = "c:"
#: token_ngrams: every CJK character bigram of the text, overlapping (the bigrams of each run of 2+ CJK
#: characters, in text order), found in one regex pass.
CJK_BIGRAM_RE = re.compile(r"(?=([\u3400-\u4dbf\u4e00-\u9fff]{2}))")
#: token_ngrams: joins the kept tokens so that lower() and the digit folding run once per document.
JOIN_SEPARATOR = "\x00"
#: token_ngrams: private attribute of a ParsedDoc holding its n-grams once computed.
NGRAM_CACHE_ATTR = "_token_ngrams_cache"


def token_ngrams(doc) -> list[str]:
    """Word unigrams and bigrams (digits folded to ``0``) plus CJK character bigrams of a ParsedDoc.

    Module-level (not a lambda) so that a fitted model pickles. The list is computed once per ParsedDoc and
    cached on it (explanations ask for it again to name hash buckets); callers must not modify it.

    Examples
    --------
    >>> from classifier.parse import parse_text
    >>> token_ngrams(parse_text("配资平台2024"))[:4]
    ['配资', '平台', '0', '配资 平台']
    """
    doc = parse_document(doc)
    cached = getattr(doc, NGRAM_CACHE_ATTR, None)
    if cached is not None:
        return cached
    tokens = doc.tokens
    search = WORD_RE.search
    keep = {t: bool(search(t) or t.isdigit()) for t in set(tokens)}
    kept = [t for t in tokens if keep[t]]
    if any(JOIN_SEPARATOR in t for t in keep):
        words = [DIGIT_RE.sub("0", t.lower()) for t in kept]
    else:
        # One lower() and one digit substitution over all words at once; the separator is neither cased nor
        # case-ignorable and not a digit, so each word comes out as it would alone.
        words = DIGIT_RE.sub("0", JOIN_SEPARATOR.join(kept).lower()).split(JOIN_SEPARATOR) if kept else []
    grams = words + [f"{a} {b}" for a, b in zip(words, words[1:])]
    grams += [CHAR_PREFIX + g for g in CJK_BIGRAM_RE.findall(doc.text)]
    try:
        setattr(doc, NGRAM_CACHE_ATTR, grams)
    except AttributeError:  # a ParsedDoc without a __dict__ (slots) is simply not cached
        pass
    return grams


def ngram_bucket(ngram: str, n_features: int) -> int:
    """The column HashingVectorizer(alternate_sign=False) gives ``ngram``: scikit-learn's murmurhash3_32 (the
    signed MurmurHash3_x86_32 of the UTF-8 bytes, seed 0), its absolute value, modulo ``n_features``.

    For the hash -2**31, whose absolute value does not fit an int32, scikit-learn's loop computes
    ``(2**31 - 1 - (n_features - 1)) % n_features``, which is ``2**31 % n_features``: what ``abs`` gives here.
    """
    return abs(mmh3.hash(ngram, 0, True)) % n_features


def _hash_buckets(grams: list[str], n_features: int) -> list[int]:
    """``[ngram_bucket(g, n_features) for g in grams]``, with the lookups hoisted out of the loop."""
    hash_ = mmh3.hash
    return [abs(hash_(g, 0, True)) % n_features for g in grams]


class TokenFeaturizer(Transformer):
    """Hashed, L2-normalized binary bag of word and character n-grams.

    Parameters
    ----------
    hash_bits : int, default=18
        Number of columns is ``2**hash_bits`` (10 to 24).
    """

    _parameter_constraints = {"hash_bits": [Interval(Integral, 10, 24, closed="both")]}

    def __init__(self, hash_bits: int = 18):
        self.hash_bits = hash_bits

    def fit(self, X, y=None):
        self._validate_params()
        self.n_features_out_ = 2**self.hash_bits
        return self

    def columns(self, doc) -> np.ndarray:
        """The non-empty columns of ``doc``, ascending; each holds ``1 / sqrt(len(columns))``."""
        grams = list(dict.fromkeys(token_ngrams(doc)))
        return np.unique(np.asarray(_hash_buckets(grams, 2**self.hash_bits), dtype=np.int64))

    def rows(self, docs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """CSR arrays ``(indptr, indices, data)`` of ``docs``: the columns of each document and their values
        (binary, then L2-normalized: every value of a row is ``1 / sqrt(its number of columns)``)."""
        per_doc = [self.columns(doc) for doc in docs]
        sizes = np.asarray([c.size for c in per_doc], dtype=np.int64)
        indptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        indices = np.concatenate(per_doc) if per_doc else np.zeros(0, dtype=np.int64)
        norms = np.sqrt(sizes.astype(np.float64), where=sizes > 0, out=np.ones(sizes.size))
        data = np.repeat(1.0 / norms, sizes)
        return indptr, indices, data

    def transform(self, X):
        """A ``scipy.sparse`` CSR matrix of ``2**hash_bits`` columns (for training in scikit-learn)."""
        import scipy.sparse as sp

        indptr, indices, data = self.rows(X)
        return sp.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, 2**self.hash_bits))

    def get_feature_names_out(self, input_features=None):
        width = len(str(2**self.hash_bits))
        return np.asarray([f"ngram_bucket_{i:0{width}d}" for i in range(2**self.hash_bits)], dtype=object)

    def bucket_ngrams(self, doc: ParsedDoc, wanted: set[int] | None = None) -> dict[int, list[str]]:
        """Map each non-empty column of ``doc`` (or only the ``wanted`` ones) to the document's own n-grams
        hashed into it."""
        out: dict[int, list[str]] = {}
        grams = list(dict.fromkeys(token_ngrams(doc)))
        if not grams:
            return out
        buckets = _hash_buckets(grams, 2**self.hash_bits)
        for gram, bucket in zip(grams, buckets):
            if wanted is None or bucket in wanted:
                out.setdefault(bucket, []).append(gram)
        return out
