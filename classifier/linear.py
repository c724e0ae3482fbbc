"""Logistic regression whose coefficients on chosen columns keep a declared sign.

Every hand-designed signal of this project has a meaning: more contact details, more stuffing, more injected
phrases mean *more* spam, never less. Fitted freely, a linear model also learns the training corpus's accidents
(links and title echoes came with the genuine outlets' HTML; e-mail spam has subjects unrelated to its body),
and then a real spam page that repeats its title keyword in every paragraph is pushed toward genuine by the
very feature meant to catch it. Declaring each signal's direction and fitting under that constraint (the
monotone constraints of gradient-boosting libraries, for a linear model: box bounds on the coefficients) keeps
the model from learning a signal backwards; a signal the data does not support gets weight 0 instead.

Loss and regularization are scikit-learn's ``LogisticRegression(penalty="l2")``: ``C * sum_i s_i * log(1 +
exp(-t_i z_i)) + ||w||^2 / 2`` with an unpenalized intercept, minimized by L-BFGS-B (which takes the bounds);
with no constrained column it finds the same coefficients as ``LogisticRegression(solver="lbfgs")`` (tested).
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, minimize
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from classifier.errors import DatasetError
from classifier.model import sigmoid  # noqa: F401 - defined beside the model; re-exported here


class SignConstrainedLogisticRegression(ClassifierMixin, BaseEstimator):
    """Binary L2 logistic regression with sign constraints on some coefficients.

    Parameters
    ----------
    C : float, default=1.0
        Inverse regularization strength, as in scikit-learn's LogisticRegression.
    coef_signs : tuple of (int, int), default=()
        ``(column, sign)`` pairs: ``sign=+1`` keeps that coefficient >= 0 (the feature can only push toward
        the second class, "spam"), ``-1`` keeps it <= 0; other columns are free.
    max_iter : int, default=3000
    tol : float, default=1e-6
        L-BFGS-B's projected-gradient tolerance.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
    coef_ : ndarray of shape (1, n_features)
    intercept_ : ndarray of shape (1,)
    n_iter_ : int
    """

    _parameter_constraints = {
        "C": [Interval(Real, 0, None, closed="neither")],
        "coef_signs": [tuple, list],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(self, C: float = 1.0, coef_signs=(), max_iter: int = 3000, tol: float = 1e-6):
        self.C = C
        self.coef_signs = coef_signs
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X, y, sample_weight=None):
        self._validate_params()
        X = sp.csr_matrix(X, dtype=np.float64)
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        if self.classes_.size != 2:
            raise DatasetError(f"need exactly two classes, got {list(self.classes_)}")
        n, d = X.shape
        target = (y == self.classes_[1]).astype(np.float64)
        weight = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        lower = np.full(d + 1, -np.inf)
        upper = np.full(d + 1, np.inf)
        for column, sign in self.coef_signs:
            if not 0 <= column < d or sign not in (-1, 1):
                raise ValueError(f"bad coef_signs entry ({column}, {sign}) for {d} columns")
            if sign > 0:
                lower[column] = 0.0
            else:
                upper[column] = 0.0
        Xt = X.T.tocsr()
        C = float(self.C)

        def loss_grad(params):
            w, b = params[:-1], params[-1]
            z = X @ w + b
            # log(1 + exp(-t z)) with t in {-1, +1}, computed stably; d/dz = sigmoid(z) - target
            margin = np.where(target > 0, z, -z)
            loss = C * float(weight @ np.logaddexp(0.0, -margin)) + 0.5 * float(w @ w)
            residual = C * weight * (sigmoid(z) - target)
            grad = np.empty_like(params)
            grad[:-1] = Xt @ residual + w
            grad[-1] = residual.sum()
            return loss, grad

        result = minimize(
            loss_grad, np.zeros(d + 1), jac=True, method="L-BFGS-B", bounds=Bounds(lower, upper),
            options={"maxiter": self.max_iter, "gtol": self.tol, "maxcor": 30},
        )
        self.coef_ = result.x[:-1].reshape(1, -1)
        self.intercept_ = result.x[-1:].copy()
        self.n_iter_ = int(result.nit)
        self.n_features_in_ = d
        return self

    def decision_function(self, X) -> np.ndarray:
        check_is_fitted(self)
        return np.asarray(X @ self.coef_[0] + self.intercept_[0]).ravel()

    def predict_proba(self, X) -> np.ndarray:
        p = sigmoid(self.decision_function(X))
        return np.column_stack([1.0 - p, p])

    def predict(self, X) -> np.ndarray:
        return self.classes_[(self.decision_function(X) > 0).astype(int)]

