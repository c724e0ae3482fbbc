"""[model] The spam model: parse -> feature families -> logistic regression, plus one decision threshold.

The decision value is a sum over features (``coef · x + intercept``), so every score decomposes exactly
into per-feature contributions (:mod:`classifier.explain`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.pipeline import Pipeline

from classifier.config import LABELS, TrainConfig
from classifier.documents import Document
from classifier.errors import DatasetError
from classifier.featurizers import build_featurizer
from classifier.linear import SignConstrainedLogisticRegression, sigmoid
from classifier.parse import ParsedDoc, Parser, parse_document

#: source_weights: each document weighs 1/n_source**SOURCE_WEIGHT_POWER, so a folder of 2,000 e-mails counts
#: more than one of 9 pages, but far less than 200 times more (0 = no balancing, 1 = every source equal).
SOURCE_WEIGHT_POWER = 0.5


def build_pipeline(config: TrainConfig) -> Pipeline:
    """The unfitted Pipeline(parse, features, clf) for ``config``."""
    features = build_featurizer(config)
    signs = coef_signs(features) if config.sign_constraints else ()
    clf = SignConstrainedLogisticRegression(C=config.regularization_c, coef_signs=signs, max_iter=config.max_iter)
    return Pipeline([("parse", Parser()), ("features", features), ("clf", clf)])


def coef_signs(union) -> tuple[tuple[int, int], ...]:
    """``(column, sign)`` for every dense feature with a declared direction, in the union's column order."""
    signs, offset = [], 0
    for _, transformer in union.transformer_list:
        if isinstance(transformer, Pipeline):
            measure = transformer.named_steps["measure"]
            directions = measure.feature_directions or (0,) * len(measure.feature_names)
            signs.extend((offset + j, d) for j, d in enumerate(directions) if d)
            offset += len(measure.feature_names)
        else:
            offset += 2**transformer.hash_bits
    return tuple(signs)


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
class Featurized:
    """Model inputs of a batch: the final matrix and each dense family's raw measurements."""

    X: sp.csr_matrix
    raw: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass
class SpamClassifier:
    """A fitted pipeline with its decision threshold and model card.

    Attributes
    ----------
    pipeline : sklearn.pipeline.Pipeline
        Steps ``parse`` -> ``features`` (FeatureUnion) -> ``clf`` (SignConstrainedLogisticRegression).
    threshold : float
        Probability above which a document is flagged as spam (``probability > threshold``).
    card : dict
        Model card: versions, config, data counts and hash, metrics and how they were measured.
    """

    pipeline: Pipeline
    threshold: float = 0.5
    card: dict = field(default_factory=dict)

    @property
    def union(self):
        return self.pipeline.named_steps["features"]

    @property
    def clf(self) -> SignConstrainedLogisticRegression:
        return self.pipeline.named_steps["clf"]

    def featurize(self, docs: Sequence[Document | ParsedDoc | str]) -> tuple[list[ParsedDoc], Featurized]:
        """Parse and featurize once, keeping dense raw values for reasons (same columns as the union)."""
        parsed = [parse_document(d) for d in docs]
        blocks, raw = [], {}
        for name, transformer in self.union.transformer_list:
            if isinstance(transformer, Pipeline):
                values = transformer.named_steps["measure"].transform(parsed)
                raw[name] = values
                rest = Pipeline(transformer.steps[1:])
                blocks.append(sp.csr_matrix(rest.transform(values)))
            else:
                blocks.append(sp.csr_matrix(transformer.transform(parsed)))
        return parsed, Featurized(sp.hstack(blocks, format="csr"), raw)

    def decision_from(self, feats: Featurized) -> np.ndarray:
        return np.asarray(feats.X @ self.clf.coef_[0] + self.clf.intercept_[0]).ravel()

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
        names = []
        for name, transformer in self.union.transformer_list:
            if isinstance(transformer, Pipeline):
                names.extend(f"{name}__{f}" for f in transformer.named_steps["measure"].feature_names)
        return names


def fit_model(docs: Sequence[Document], config: TrainConfig | None = None) -> SpamClassifier:
    """Fit a :class:`SpamClassifier` on labeled documents.

    Raises
    ------
    DatasetError
        If a document has no label or only one label is present.
    """
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
    if list(pipeline.named_steps["clf"].classes_) != ["genuine", "spam"]:
        raise DatasetError(f"unexpected classes {pipeline.named_steps['clf'].classes_}")
    return SpamClassifier(pipeline=pipeline, threshold=config.threshold, card={"config": config.to_dict()})


def with_threshold(model: SpamClassifier, threshold: float, reason: dict) -> SpamClassifier:
    """A copy of ``model`` deciding at ``threshold``, with the choice (``reason``) recorded in its card."""
    import copy

    if not 0.0 <= threshold <= 1.0:
        raise DatasetError(f"threshold must be in [0, 1], got {threshold}")
    card = copy.deepcopy(model.card)
    card.setdefault("threshold_history", []).append({"from": model.threshold, "to": threshold, **reason})
    card["threshold"] = threshold
    return SpamClassifier(pipeline=model.pipeline, threshold=threshold, card=card)
