"""Shared contract of every featurizer: ParsedDoc list in, 2-D float array out, named columns."""

from __future__ import annotations

import re
from typing import ClassVar

import numpy as np

from classifier.estimator import Transformer
from classifier.parse import ParsedDoc, parse_document

#: CJK unified ideographs (the basic block and extension A), used by every family to count "Chinese text".
CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
CJK_RUN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
#: Sentence ends after NFKC normalization (full-width 。！？ stay, ！？ become !?).
SENTENCE_END_RE = re.compile(r"(?<=[。!?;…])")


def recall(doc, attr: str, key: tuple):
    """What :func:`remember` kept on ``doc`` under ``attr`` for ``key`` (compared item by item, by identity or
    equality: the document's text, lines, a model, parameters), or None."""
    kept = getattr(doc, attr, None)
    if kept is None:
        return None
    old, value = kept
    same = len(old) == len(key) and all(a is b or a == b for a, b in zip(old, key))
    return value if same else None


def remember(doc, attr: str, key: tuple, value):
    """Keep ``value`` on ``doc`` under the private attribute ``attr`` for ``key`` (a featurizer's findings that
    a later call, ``evidence`` after ``measure`` or an explanation after scoring, reuses); returns ``value``. A
    document that takes no attributes (slots) is simply not remembered on."""
    try:
        setattr(doc, attr, (key, value))
    except AttributeError:
        pass
    return value


def memo(doc, attr: str, key: tuple, compute):
    """``compute()`` once per document and ``key``, through :func:`recall` and :func:`remember`."""
    value = recall(doc, attr, key)
    return value if value is not None else remember(doc, attr, key, compute())


def cjk_count(text: str) -> int:
    return len(CJK_RE.findall(text))


def safe_ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, or 0.0 for an empty denominator (the empty-document guard)."""
    return float(numerator) / denominator if denominator else 0.0


class DocFeaturizer(Transformer):
    """Base of the dense feature families.

    Subclasses set ``feature_names`` and implement :meth:`measure` (one ParsedDoc -> one list of floats, in
    that order) and may implement :meth:`evidence` (the text behind a value, for reasons). ``fit`` only
    validates parameters unless a family learns something (the language-model families do).

    ``feature_directions`` gives, per feature, the direction in which it is evidence: ``+1`` the more, the
    more spam-like; ``-1`` the more, the more genuine-like; ``0`` either. With
    ``TrainConfig.sign_constraints`` the model's coefficient keeps that sign (:mod:`classifier.linear`).
    """

    feature_names: ClassVar[tuple[str, ...]] = ()
    feature_directions: ClassVar[tuple[int, ...]] = ()
    _parameter_constraints: ClassVar[dict] = {}

    def fit(self, X, y=None):
        self._validate_params()
        return self

    def transform(self, X):
        rows = [self.measure(parse_document(doc)) for doc in X]
        return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(self.feature_names))

    def measure(self, doc: ParsedDoc) -> list[float]:
        raise NotImplementedError

    def evidence(self, doc: ParsedDoc) -> dict[str, str]:
        """Human-readable evidence for some features of ``doc``: ``{feature_name: text}``."""
        return {}

    def get_feature_names_out(self, input_features=None):
        return np.asarray(self.feature_names, dtype=object)
