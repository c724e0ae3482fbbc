"""A hashed character n-gram language model, fitted on genuine text; numpy-vectorized, no per-char loops.

Used by the ``naturalness`` family (how natural the text reads: Ntoulas et al. 2006 scored pages by the
likelihood of their 3-grams) and by the ``injection`` family (does a phrase break the sentence it sits in).
"""

from __future__ import annotations

import numpy as np

#: Multiplier of the polynomial n-gram hash (a prime above the largest code point).
HASH_PRIME = np.uint64(1_114_111)
#: Unigram table: code points modulo this; 2**17 covers the BMP's CJK block without collisions.
UNIGRAM_BUCKETS = 2**17
#: Dirichlet smoothing masses: each order backs off to the next lower order with this prior weight.
BIGRAM_PRIOR = 4.0
TRIGRAM_PRIOR = 4.0


def codepoints(text: str) -> np.ndarray:
    """Code points of ``text`` as uint64."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


#: is_cjk, is_cjk_point: CJK unified ideographs, the basic block and extension A (as _base.CJK_RE).
CJK_BLOCKS = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF))


def is_cjk(cps: np.ndarray) -> np.ndarray:
    (a0, a1), (b0, b1) = CJK_BLOCKS
    return ((cps >= a0) & (cps <= a1)) | ((cps >= b0) & (cps <= b1))


def is_cjk_point(cp: int) -> bool:
    """:func:`is_cjk` of one code point, without array arithmetic (the injection family's splice test asks
    about single neighbours)."""
    (a0, a1), (b0, b1) = CJK_BLOCKS
    return a0 <= cp <= a1 or b0 <= cp <= b1


class CharNgramLM:
    """Character bigram (``order=2``) or trigram (``order=3``) model with hashed count tables.

    Parameters
    ----------
    order : {2, 3}
    bigram_bits, trigram_bits : int
        Table sizes are ``2**bits`` uint32 counters.
    """

    def __init__(self, order: int = 3, bigram_bits: int = 19, trigram_bits: int = 20):
        self.order = order
        self.bigram_bits = bigram_bits
        self.trigram_bits = trigram_bits

    def fit(self, texts) -> CharNgramLM:
        self.unigram_ = np.zeros(UNIGRAM_BUCKETS, dtype=np.uint32)
        self.bigram_ = np.zeros(2**self.bigram_bits, dtype=np.uint32)
        self.trigram_ = np.zeros(2**self.trigram_bits if self.order == 3 else 1, dtype=np.uint32)
        for text in texts:
            cps = codepoints(text)
            if cps.size == 0:
                continue
            self.unigram_ += np.bincount(cps % UNIGRAM_BUCKETS, minlength=UNIGRAM_BUCKETS).astype(np.uint32)
            if cps.size > 1:
                self.bigram_ += np.bincount(self._bi(cps), minlength=self.bigram_.size).astype(np.uint32)
            if self.order == 3 and cps.size > 2:
                self.trigram_ += np.bincount(self._tri(cps), minlength=self.trigram_.size).astype(np.uint32)
        self.total_ = float(self.unigram_.sum())
        return self

    def _bi(self, cps: np.ndarray) -> np.ndarray:
        return ((cps[:-1] * HASH_PRIME + cps[1:]) % np.uint64(self.bigram_.size)).astype(np.int64)

    def _tri(self, cps: np.ndarray) -> np.ndarray:
        return (((cps[:-2] * HASH_PRIME + cps[1:-1]) * HASH_PRIME + cps[2:]) % np.uint64(self.trigram_.size)).astype(
            np.int64
        )

    def unigram_prob(self, cps: np.ndarray) -> np.ndarray:
        return (self.unigram_[(cps % UNIGRAM_BUCKETS).astype(np.int64)] + 1.0) / (self.total_ + UNIGRAM_BUCKETS)

    def bigram_prob(self, prev: np.ndarray, nxt: np.ndarray) -> np.ndarray:
        """P(nxt | prev) for aligned arrays of code points."""
        p1 = self.unigram_prob(nxt)
        pair = ((prev * HASH_PRIME + nxt) % np.uint64(self.bigram_.size)).astype(np.int64)
        context = self.unigram_[(prev % UNIGRAM_BUCKETS).astype(np.int64)]
        return (self.bigram_[pair] + BIGRAM_PRIOR * p1) / (context + BIGRAM_PRIOR)

    def pair_prob(self, prev: int, nxt: int) -> float:
        """:meth:`bigram_prob` of one pair, in Python floats: the same operations on the same float64 values in
        the same order (uint64 hash arithmetic does not wrap for code points), so the same result."""
        p1 = (float(self.unigram_[nxt % UNIGRAM_BUCKETS]) + 1.0) / (self.total_ + UNIGRAM_BUCKETS)
        pair = (prev * int(HASH_PRIME) + nxt) % self.bigram_.size
        context = float(self.unigram_[prev % UNIGRAM_BUCKETS])
        return (float(self.bigram_[pair]) + BIGRAM_PRIOR * p1) / (context + BIGRAM_PRIOR)

    def surprisal(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Bits of surprisal of each character given the previous one or two, and the code points."""
        cps = codepoints(text)
        if cps.size == 0:
            return np.zeros(0), cps
        probs = np.empty(cps.size)
        probs[0] = self.unigram_prob(cps[:1])[0]
        if cps.size > 1:
            p2 = self.bigram_prob(cps[:-1], cps[1:])
            if self.order == 3 and cps.size > 2:
                tri = self.trigram_[self._tri(cps)]
                context = self.bigram_[self._bi(cps)[:-1]]
                p3 = (tri + TRIGRAM_PRIOR * p2[1:]) / (context + TRIGRAM_PRIOR)
                probs[1] = p2[0]
                probs[2:] = p3
            else:
                probs[1:] = p2
        return -np.log2(probs), cps


def cross_fit_rows(featurizer, docs, y, make_lm, n_folds: int, random_state: int) -> np.ndarray:
    """Out-of-fold measurements: each document measured by an LM fitted on genuine documents of the other
    folds, so training rows look like rows of unseen documents (no "the LM has read this text" leak)."""
    rng = np.random.default_rng(random_state)
    fold = rng.permutation(len(docs)) % n_folds
    genuine = np.asarray([label == "genuine" for label in y])
    rows = np.zeros((len(docs), len(featurizer.feature_names)))
    for k in range(n_folds):
        lm = make_lm().fit(docs[i].text for i in np.flatnonzero(genuine & (fold != k)))
        for i in np.flatnonzero(fold == k):
            rows[i] = featurizer.measure_with(docs[i], lm)
    return rows


class LMFeaturizer:
    """Mixin for families that measure with a CharNgramLM fitted on the genuine documents of ``fit``.

    Subclasses (also DocFeaturizers) define ``_make_lm()`` and ``measure_with(doc, lm)``, and the parameters
    ``n_folds`` and ``random_state``.
    """

    def fit(self, X, y=None):
        from classifier.parse import parse_document

        self._validate_params()
        docs = [parse_document(d) for d in X]
        keep = docs if y is None else [d for d, label in zip(docs, y) if label == "genuine"]
        self.lm_ = self._make_lm().fit(d.text for d in keep)
        return self

    def fit_transform(self, X, y=None, **fit_params):
        from classifier.parse import parse_document

        docs = [parse_document(d) for d in X]
        self.fit(docs, y)
        if y is None:
            return self.transform(docs)
        rows = cross_fit_rows(self, docs, list(y), self._make_lm, self.n_folds, self.random_state)
        return self._out_of_fold(rows, list(y))

    def _out_of_fold(self, rows, y):
        """Hook on the out-of-fold training rows (identity here)."""
        return rows

    def measure(self, doc):
        return self.measure_with(doc, self.lm_)
