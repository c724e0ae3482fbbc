"""How natural the text reads, by a character trigram model fitted on the genuine training documents.

Spun text (synonyms swapped in, 伪原创), pinyin residue from script conversion and machine-stitched text put
characters where genuine news seldom has them; their surprisal is high.
"""

from __future__ import annotations

import re
from numbers import Integral, Real

import numpy as np

from classifier.estimator import Interval
from classifier.featurizers._base import DocFeaturizer, safe_ratio
from classifier.featurizers._lm import CharNgramLM, LMFeaturizer, is_cjk
from classifier.parse import ParsedDoc, parse_document

#: pinyin_residue_count: a CJK character followed by its romanization in brackets, e.g. 股(gu).
PINYIN_RESIDUE_RE = re.compile(r"[\u4e00-\u9fff]\s?[(\[]\s?[a-zü]{1,6}[1-5]?\s?[)\]]")


class NaturalnessFeaturizer(LMFeaturizer, DocFeaturizer):
    """Character-trigram surprisal statistics over the CJK characters of a document.

    Parameters
    ----------
    high_surprisal_bits : float, default=13.0
        A CJK character whose surprisal is strictly above this many bits counts as surprising (about the
        95th percentile of characters in held-out genuine news under this model).
    window_chars : int, default=20
        Width, in characters, of the sliding window for ``max_window_surprisal_bits``.
    n_folds : int, default=2
        Folds for cross-fitting during ``fit_transform``.
    random_state : int, default=0

    Features
    --------
    The first four are *excess* over genuine news: the document's value minus the mean value of the genuine
    training documents (measured out of fold), so 0 means "reads like the genuine news the model has seen".

    excess_surprisal_mean_bits, excess_surprisal_p90_bits : mean and 90th percentile surprisal of CJK chars.
    excess_high_surprisal_ratio : share of CJK characters above ``high_surprisal_bits``.
    excess_max_window_surprisal_bits : highest mean surprisal of any ``window_chars`` window (a spun passage).
    pinyin_residue_count : characters followed by bracketed pinyin (not relative).

    Attributes
    ----------
    lm_ : CharNgramLM
        Character trigram model of the genuine training documents.
    reference_ : ndarray of shape (5,)
        Mean raw values over genuine training documents (0 for ``pinyin_residue_count``).
    """

    feature_names = (
        "excess_surprisal_mean_bits",
        "excess_surprisal_p90_bits",
        "excess_high_surprisal_ratio",
        "excess_max_window_surprisal_bits",
        "pinyin_residue_count",
    )
    #: every signal of this family is evidence of spam when it is high
    feature_directions = (1, 1, 1, 1, 1)
    _parameter_constraints = {
        "high_surprisal_bits": [Interval(Real, 0, None, closed="neither")],
        "window_chars": [Interval(Integral, 2, None, closed="left")],
        "n_folds": [Interval(Integral, 2, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, high_surprisal_bits: float = 13.0, window_chars: int = 20, n_folds: int = 2, random_state=0):
        self.high_surprisal_bits = high_surprisal_bits
        self.window_chars = window_chars
        self.n_folds = n_folds
        self.random_state = random_state

    @staticmethod
    def _make_lm() -> CharNgramLM:
        return CharNgramLM(order=3)

    def fit(self, X, y=None):
        docs = [parse_document(d) for d in X]
        super().fit(docs, y)
        genuine = docs if y is None else [d for d, label in zip(docs, y) if label == "genuine"]
        self.reference_ = self._reference(np.asarray([self.measure_with(d, self.lm_) for d in genuine]).reshape(-1, 5))
        return self

    def _out_of_fold(self, rows: np.ndarray, y) -> np.ndarray:
        """The reference is the genuine documents' out-of-fold mean, so training rows are unbiased."""
        self.reference_ = self._reference(rows[np.asarray(y) == "genuine"])
        return rows - self.reference_

    @staticmethod
    def _reference(rows: np.ndarray) -> np.ndarray:
        ref = rows.mean(axis=0) if rows.size else np.zeros(5)
        ref[4] = 0.0  # pinyin residue is a plain count
        return ref

    def measure(self, doc: ParsedDoc) -> list[float]:
        return list(np.asarray(self.measure_with(doc, self.lm_)) - self.reference_)

    def measure_with(self, doc: ParsedDoc, lm: CharNgramLM) -> list[float]:
        bits, cps = lm.surprisal(doc.text)
        residue = float(len(PINYIN_RESIDUE_RE.findall(doc.text)))
        cjk_bits = bits[is_cjk(cps)] if bits.size else bits
        if cjk_bits.size == 0:
            return [0.0, 0.0, 0.0, 0.0, residue]
        if cjk_bits.size >= self.window_chars:
            window = np.convolve(cjk_bits, np.ones(self.window_chars) / self.window_chars, mode="valid").max()
        else:
            window = cjk_bits.mean()
        return [
            float(cjk_bits.mean()),
            float(np.percentile(cjk_bits, 90)),
            safe_ratio(int((cjk_bits > self.high_surprisal_bits).sum()), cjk_bits.size),
            float(window),
            residue,
        ]

    def evidence(self, doc: ParsedDoc) -> dict[str, str]:
        found = PINYIN_RESIDUE_RE.findall(doc.text)
        return {"pinyin_residue_count": ", ".join(found[:5])} if found else {}
