import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from classifier.config import TrainConfig
from classifier.linear import SignConstrainedLogisticRegression
from classifier.model import fit_model
from classifier.pipeline import build_pipeline, coef_signs


def _data(seed=0):
    rng = np.random.default_rng(seed)
    tokens = sp.random(300, 200, density=0.05, random_state=seed, format="csr")
    dense = rng.normal(size=(300, 3))
    y = np.where(dense[:, 0] - dense[:, 1] + rng.normal(scale=0.5, size=300) > 0, "spam", "genuine")
    return sp.hstack([tokens, dense]).tocsr(), y, rng.uniform(0.5, 2.0, size=300)


def test_unconstrained_fit_matches_scikit_learn():
    X, y, w = _data()
    ours = SignConstrainedLogisticRegression(C=0.5, tol=1e-9).fit(X, y, sample_weight=w)
    theirs = LogisticRegression(C=0.5, tol=1e-10, max_iter=5000).fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-4)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-4)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-4)
    assert list(ours.classes_) == ["genuine", "spam"]


def test_declared_signs_hold():
    X, y, w = _data()
    free = SignConstrainedLogisticRegression(C=0.5).fit(X, y, sample_weight=w)
    assert free.coef_[0, 201] < -0.5  # column 201 is evidence of "genuine" in this data
    # declared spam-ward (+1) it gets weight 0, not a negative one; column 200 declared -1 gets weight 0 too
    bounded = SignConstrainedLogisticRegression(C=0.5, coef_signs=((200, -1), (201, 1))).fit(X, y, sample_weight=w)
    assert bounded.coef_[0, 201] == 0.0
    assert bounded.coef_[0, 200] == 0.0
    assert free.coef_[0, 200] > 0.5


def test_bad_sign_entry_is_refused():
    X, y, _ = _data()
    with pytest.raises(ValueError, match="bad coef_signs entry"):
        SignConstrainedLogisticRegression(coef_signs=((999, 1),)).fit(X, y)


def test_pipeline_signs_point_at_the_dense_columns(tiny_docs):
    config = TrainConfig(hash_bits=10)
    union = build_pipeline(config).named_steps["features"]
    signs = dict(coef_signs(union))
    # tokens take columns 0..1023 and are free; links are the next three columns, all +1
    assert min(signs) == 2**10
    assert [signs[2**10 + j] for j in range(3)] == [1, 1, 1]
    assert -1 in signs.values()  # intent's reported calls to action
    model = fit_model(tiny_docs, config)
    coef = model.coef
    assert model.coef_signs() == coef_signs(union)
    assert all(coef[c] * s >= 0 for c, s in signs.items())
    assert build_pipeline(TrainConfig(hash_bits=10, sign_constraints=False)).named_steps["clf"].coef_signs == ()



def test_shipped_model_keeps_every_declared_sign(shipped_model):
    signs = shipped_model.coef_signs()
    coef = shipped_model.coef
    # every dense signal declares a direction; one is declared free (0: intent__trust_reported_per_1k_chars)
    assert len(signs) == len(shipped_model.feature_names()) - 1
    assert shipped_model.card["config"]["sign_constraints"]
    assert all(coef[column] * sign >= 0 for column, sign in signs)
