"""Feature families, combined by :func:`build_featurizer` into a named FeatureUnion (``family__feature``).

The families import without scikit-learn (scoring never needs it); only :func:`build_featurizer`, which
training calls, imports scikit-learn's Pipeline, FeatureUnion and preprocessing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from classifier.config import TrainConfig
from classifier.featurizers.contacts import ContactFeaturizer
from classifier.featurizers.injection import InjectionFeaturizer
from classifier.featurizers.intent import IntentFeaturizer
from classifier.featurizers.links import LinkFeaturizer
from classifier.featurizers.naturalness import NaturalnessFeaturizer
from classifier.featurizers.provenance import ProvenanceFeaturizer
from classifier.featurizers.stuffing import StuffingFeaturizer
from classifier.featurizers.tokens import TokenFeaturizer

if TYPE_CHECKING:
    from sklearn.pipeline import FeatureUnion, Pipeline

__all__ = [
    "ContactFeaturizer",
    "InjectionFeaturizer",
    "IntentFeaturizer",
    "LinkFeaturizer",
    "NaturalnessFeaturizer",
    "ProvenanceFeaturizer",
    "StuffingFeaturizer",
    "TokenFeaturizer",
    "build_featurizer",
    "signed_log1p",
]


def signed_log1p(x):
    """``sign(x) * log(1 + |x|)``: tames counts (a page with 500 links) before standard scaling."""
    return np.sign(x) * np.log1p(np.abs(x))


def _dense(featurizer) -> Pipeline:
    """measure -> signed log -> standardize; contributions are computed on the standardized values."""
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    return Pipeline(
        [
            ("measure", featurizer),
            ("log", FunctionTransformer(signed_log1p, feature_names_out="one-to-one")),
            ("scale", StandardScaler()),
        ]
    )


def build_featurizer(config: TrainConfig | None = None) -> FeatureUnion:
    """The FeatureUnion of the families named in ``config.families``, in ``ALL_FAMILIES`` order."""
    from sklearn.pipeline import FeatureUnion

    config = config or TrainConfig()
    makers = {
        "tokens": lambda: TokenFeaturizer(hash_bits=config.hash_bits),
        "links": lambda: _dense(LinkFeaturizer()),
        "stuffing": lambda: _dense(StuffingFeaturizer()),
        "injection": lambda: _dense(InjectionFeaturizer(random_state=config.random_state)),
        "contacts": lambda: _dense(ContactFeaturizer()),
        "intent": lambda: _dense(IntentFeaturizer()),
        "naturalness": lambda: _dense(NaturalnessFeaturizer(random_state=config.random_state)),
        "provenance": lambda: _dense(ProvenanceFeaturizer()),
    }
    return FeatureUnion([(name, makers[name]()) for name in config.families])
