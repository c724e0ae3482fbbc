"""The training pipeline in scikit-learn, and its conversion into the numpy-only :class:`SpamClassifier`.

``Pipeline(parse, FeatureUnion(families), SignConstrainedLogisticRegression)`` is what training fits; a dense
family is ``Pipeline(measure, FunctionTransformer(signed_log1p), StandardScaler)``, the token family a
:class:`TokenFeaturizer`. :func:`from_pipeline` keeps of a fitted pipeline exactly what scoring needs. This
module imports scikit-learn; scoring never imports it.
"""

from __future__ import annotations

from sklearn.pipeline import Pipeline

from classifier.config import TrainConfig
from classifier.errors import DatasetError, ModelLoadError
from classifier.featurizers import TokenFeaturizer, build_featurizer, signed_log1p
from classifier.linear import SignConstrainedLogisticRegression
from classifier.model import DenseFamily, SpamClassifier, TokenFamily
from classifier.parse import Parser

#: from_pipeline: the classes the fitted logistic regression must have, in this order (spam is class 1).
CLASSES = ["genuine", "spam"]


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


def from_pipeline(pipeline: Pipeline, threshold: float = 0.5, card: dict | None = None) -> SpamClassifier:
    """The :class:`SpamClassifier` of a fitted ``Pipeline(parse, features, clf)``.

    Raises
    ------
    DatasetError
        If the classifier's classes are not genuine/spam.
    ModelLoadError
        If the pipeline is not of the shape :func:`build_pipeline` makes (a family step that is not
        measure -> signed_log1p -> StandardScaler, or a token step that is not a TokenFeaturizer).
    """
    clf = pipeline.named_steps["clf"]
    if list(clf.classes_) != CLASSES:
        raise DatasetError(f"unexpected classes {clf.classes_}")
    coef = clf.coef_[0]
    families, offset = [], 0
    for name, transformer in pipeline.named_steps["features"].transformer_list:
        if isinstance(transformer, Pipeline):
            steps = transformer.named_steps
            if list(steps) != ["measure", "log", "scale"] or getattr(steps["log"], "func", None) is not signed_log1p:
                raise ModelLoadError(f"family {name!r}: expected steps measure, log (signed_log1p), scale")
            scaler = steps["scale"]
            if not (scaler.with_mean and scaler.with_std):
                raise ModelLoadError(f"family {name!r}: the StandardScaler must center and scale")
            width = len(steps["measure"].feature_names)
            families.append(
                DenseFamily(name=name, featurizer=steps["measure"], mean=scaler.mean_.astype(float).copy(),
                            scale=scaler.scale_.astype(float).copy(), coef=coef[offset:offset + width].copy())
            )
        elif isinstance(transformer, TokenFeaturizer):
            width = 2**transformer.hash_bits
            families.append(TokenFamily(name=name, featurizer=transformer, coef=coef[offset:offset + width].copy()))
        else:
            raise ModelLoadError(f"family {name!r}: unexpected step {type(transformer).__name__}")
        offset += width
    if offset != coef.size:
        raise ModelLoadError(f"the families have {offset} columns, the classifier {coef.size}")
    return SpamClassifier(families=families, intercept=float(clf.intercept_[0]), threshold=threshold,
                          card=dict(card or {}))
