"""[model] The spam model: parse -> feature families -> logistic regression, plus one decision threshold.

Training fits a scikit-learn Pipeline (:mod:`classifier.pipeline`) and converts it into the
:class:`SpamClassifier` below, which is what is saved, loaded, scored and explained. It holds, per feature
family, the fitted featurizer and the family's slice of the coefficients, and for a dense family the
standardization the pipeline learned (signed log, then the StandardScaler's ``mean_`` and ``scale_``); plus
the intercept, the threshold and the model card. It computes with numpy only, so scoring imports neither
scikit-learn nor scipy, and it gives the fitted pipeline's numbers (tested).

The decision value is a sum over features (``coef · x + intercept``), so every score decomposes exactly
into per-feature contributions (:mod:`classifier.explain`).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from classifier.config import LABELS, TrainConfig
from classifier.documents import Document
from classifier.errors import DatasetError
from classifier.featurizers import TokenFeaturizer, signed_log1p
from classifier.featurizers._base import DocFeaturizer
from classifier.parse import ParsedDoc, parse_document

#: source_weights: each document weighs 1/n_source**SOURCE_WEIGHT_POWER, so a folder of 2,000 e-mails counts
#: more than one of 9 pages, but far less than 200 times more (0 = no balancing, 1 = every source equal).
SOURCE_WEIGHT_POWER = 0.5


def sigmoid(z):
    """The logistic function ``1 / (1 + exp(-z))``, written with tanh so that large ``|z|`` never overflows.
    The one definition for fitting, scoring, explanations and evaluation."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def source_weights(labels: Sequence[str], sources: Sequence[str | None]) -> np.ndarray:
    """Sample weights: tempered per-source balancing, then both labels rescaled to the same total weight."""
    keys = [(label, source or "") for label, source in zip(labels, sources)]
    sizes = Counter(keys)
    weights = np.asarray([sizes[k] ** -SOURCE_WEIGHT_POWER for k in keys], dtype=float)
    labels_arr = np.asarray(labels)
    for label in LABELS:
        mask = labels_arr == label
        if mask.any():
            weights[mask] *= (len(labels) / len(LABELS)) / weights[mask].sum()
    return weights


@dataclass
class DenseFamily:
    """A family of named features: measured, signed-log scaled, standardized, weighted.

    Attributes
    ----------
    name : str
    featurizer : DocFeaturizer
        Fitted; ``measure`` gives the raw values.
    mean, scale : ndarray of shape (n_features,)
        The standardization of the signed-log values (scikit-learn's ``StandardScaler.mean_``/``scale_``).
    coef : ndarray of shape (n_features,)
        The logistic regression's coefficients of these columns.
    """

    name: str
    featurizer: DocFeaturizer
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray

    @property
    def feature_names(self) -> tuple[str, ...]:
        return tuple(self.featurizer.feature_names)

    @property
    def width(self) -> int:
        return len(self.coef)

    def standardize(self, raw: np.ndarray) -> np.ndarray:
        """``(signed_log1p(raw) - mean) / scale``, in the operations (and so the rounding) of the pipeline's
        FunctionTransformer and StandardScaler."""
        values = np.array(signed_log1p(raw), dtype=np.float64)
        values -= self.mean
        values /= self.scale
        return values


@dataclass
class TokenFamily:
    """The hashed n-gram family: ``2**hash_bits`` columns, L2-normalized binary values.

    Attributes
    ----------
    name : str
    featurizer : TokenFeaturizer
    coef : ndarray of shape (2**hash_bits,)
    """

    name: str
    featurizer: TokenFeaturizer
    coef: np.ndarray

    @property
    def width(self) -> int:
        return len(self.coef)


@dataclass
class TokenRows:
    """The stored entries of a token family for a batch, in CSR layout (row ``i`` is
    ``indices[indptr[i]:indptr[i + 1]]``, ascending, with values ``data[...]``)."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        start, end = self.indptr[i], self.indptr[i + 1]
        return self.indices[start:end], self.data[start:end]

    def subset(self, rows: np.ndarray) -> TokenRows:
        parts = [self.row(int(i)) for i in rows]
        sizes = [len(p[0]) for p in parts]
        indptr = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]).astype(np.int64)
        indices = np.concatenate([p[0] for p in parts]) if parts else self.indices[:0]
        data = np.concatenate([p[1] for p in parts]) if parts else self.data[:0]
        return TokenRows(indptr, indices, data)


@dataclass
class Featurized:
    """Model inputs of a batch.

    Attributes
    ----------
    n : int
        Number of documents.
    raw : dict of str to ndarray
        Each dense family's measured values, shape (n, n_features): the ``value`` of a reason.
    dense : dict of str to ndarray
        Each dense family's standardized values, the columns its coefficients multiply.
    tokens : dict of str to TokenRows
        Each token family's stored entries.
    """

    n: int
    raw: dict[str, np.ndarray] = field(default_factory=dict)
    dense: dict[str, np.ndarray] = field(default_factory=dict)
    tokens: dict[str, TokenRows] = field(default_factory=dict)

    def subset(self, rows) -> Featurized:
        """The rows ``rows`` (indices) of this batch, in that order."""
        rows = np.asarray(rows, dtype=np.int64)
        return Featurized(
            n=len(rows),
            raw={k: v[rows] for k, v in self.raw.items()},
            dense={k: v[rows] for k, v in self.dense.items()},
            tokens={k: v.subset(rows) for k, v in self.tokens.items()},
        )


@dataclass
class SpamClassifier:
    """A fitted model: feature families, intercept, decision threshold and model card.

    Attributes
    ----------
    families : list of DenseFamily or TokenFamily
        In column order (the order of ``TrainConfig.families``).
    intercept : float
    threshold : float
        Probability above which a document is flagged as spam (``probability > threshold``).
    card : dict
        Model card: versions, config, data counts and hash, metrics and how they were measured.
    """

    families: list
    intercept: float
    threshold: float = 0.5
    card: dict = field(default_factory=dict)

    @property
    def coef(self) -> np.ndarray:
        """All coefficients in column order (the fitted pipeline's ``clf.coef_[0]``)."""
        return np.concatenate([f.coef for f in self.families]) if self.families else np.zeros(0)

    def family(self, name: str):
        return next(f for f in self.families if f.name == name)

    def featurize(self, docs: Sequence[Document | ParsedDoc | str]) -> tuple[list[ParsedDoc], Featurized]:
        """Parse and featurize once, keeping dense raw values for reasons."""
        parsed = [parse_document(d) for d in docs]
        feats = Featurized(n=len(parsed))
        for fam in self.families:
            if isinstance(fam, TokenFamily):
                feats.tokens[fam.name] = TokenRows(*fam.featurizer.rows(parsed))
            else:
                raw = fam.featurizer.transform(parsed)
                feats.raw[fam.name] = raw
                feats.dense[fam.name] = fam.standardize(raw)
        return parsed, feats

    def decision_from(self, feats: Featurized) -> np.ndarray:
        """``coef · x + intercept`` per document, summed in column order (as a CSR product would)."""
        total = np.zeros(feats.n)
        for fam in self.families:
            if isinstance(fam, TokenFamily):
                rows = feats.tokens[fam.name]
                row_of = np.repeat(np.arange(feats.n), np.diff(rows.indptr))
                tokens = np.bincount(row_of, weights=rows.data * fam.coef[rows.indices], minlength=feats.n)
                total += tokens
            else:
                values = feats.dense[fam.name]
                for j in range(fam.width):
                    total += values[:, j] * fam.coef[j]
        return total + self.intercept

    def decision_function(self, docs) -> np.ndarray:
        return self.decision_from(self.featurize(docs)[1])

    def predict_proba(self, docs) -> np.ndarray:
        """Probability of spam for each document, 0 to 1."""
        return sigmoid(self.decision_function(docs))

    def predict(self, docs, threshold: float | None = None) -> list[str]:
        t = self.threshold if threshold is None else threshold
        return ["spam" if p > t else "genuine" for p in self.predict_proba(docs)]

    def feature_names(self) -> list[str]:
        """``family__feature`` names of the dense families, in column order after the token block."""
        return [f"{fam.name}__{f}" for fam in self.families if isinstance(fam, DenseFamily) for f in fam.feature_names]

    def coef_signs(self) -> tuple[tuple[int, int], ...]:
        """``(column, sign)`` of every dense feature with a declared direction (see :mod:`classifier.linear`)."""
        signs, offset = [], 0
        for fam in self.families:
            if isinstance(fam, DenseFamily):
                directions = fam.featurizer.feature_directions or (0,) * fam.width
                signs.extend((offset + j, d) for j, d in enumerate(directions) if d)
            offset += fam.width
        return tuple(signs)


def fit_model(docs: Sequence[Document], config: TrainConfig | None = None) -> SpamClassifier:
    """Fit the scikit-learn pipeline (:func:`classifier.pipeline.build_pipeline`) on labeled documents and
    convert it into a :class:`SpamClassifier`.

    Raises
    ------
    DatasetError
        If a document has no label or only one label is present.
    """
    from classifier.pipeline import build_pipeline, from_pipeline

    config = config or TrainConfig()
    labels = [d.label for d in docs]
    missing = [d.id for d in docs if d.label not in LABELS]
    if missing:
        raise DatasetError(f"{len(missing)} documents have no label in {list(LABELS)}, e.g. {missing[0]}")
    present = sorted(set(labels))
    if present != sorted(LABELS):
        raise DatasetError(f"training needs both labels {list(LABELS)}, got only {present}")
    pipeline = build_pipeline(config)
    weights = source_weights(labels, [d.source for d in docs]) if config.balance_sources else None
    pipeline.fit(list(docs), labels, clf__sample_weight=weights)
    return from_pipeline(pipeline, threshold=config.threshold, card={"config": config.to_dict()})


def with_threshold(model: SpamClassifier, threshold: float, reason: dict) -> SpamClassifier:
    """A copy of ``model`` deciding at ``threshold``, with the choice (``reason``) recorded in its card."""
    import copy

    if not 0.0 <= threshold <= 1.0:
        raise DatasetError(f"threshold must be in [0, 1], got {threshold}")
    card = copy.deepcopy(model.card)
    card.setdefault("threshold_history", []).append({"from": model.threshold, "to": threshold, **reason})
    card["threshold"] = threshold
    return dataclasses.replace(model, threshold=threshold, card=card)
