"""A scikit-learn-compatible estimator base that does not import scikit-learn.

Scoring never needs scikit-learn (``import sklearn`` alone costs ~0.65 s of a cold ``classifier score``), but
training puts the featurizers and the parser into scikit-learn Pipelines and FeatureUnions, which clone them
(:meth:`Transformer.get_params`), fit them (:meth:`Transformer.fit_transform`) and ask for their tags
(:meth:`Transformer.__sklearn_tags__`, which imports scikit-learn only when scikit-learn itself calls it).
:class:`Interval` replaces scikit-learn's private ``_param_validation.Interval`` with the same signature, so
``_parameter_constraints`` read as before.
"""

from __future__ import annotations

import inspect
from numbers import Integral
from typing import ClassVar

from classifier.errors import InvalidParameterError

#: Interval: the allowed values of ``closed``.
CLOSED_OPTIONS = ("left", "right", "both", "neither")


class Interval:
    """Numbers of ``type`` between ``left`` and ``right`` (``None``: unbounded on that side).

    Parameters
    ----------
    type : Integral or Real
        ``Integral`` accepts ints (not bools); ``Real`` accepts ints and floats (not bools).
    left, right : number or None
    closed : {"left", "right", "both", "neither"}
        Which bounds belong to the interval.
    """

    def __init__(self, type, left, right, *, closed: str):
        if closed not in CLOSED_OPTIONS:
            raise ValueError(f"closed must be one of {CLOSED_OPTIONS}, got {closed!r}")
        self.type = type
        self.left = left
        self.right = right
        self.closed = closed

    def is_satisfied_by(self, value) -> bool:
        if isinstance(value, bool) or not isinstance(value, self.type):
            return False
        if self.left is not None:
            if value < self.left or (value == self.left and self.closed not in ("left", "both")):
                return False
        if self.right is not None:
            if value > self.right or (value == self.right and self.closed not in ("right", "both")):
                return False
        return True

    def __str__(self) -> str:
        kind = "an int" if self.type is Integral else "a float"
        lo = "-inf" if self.left is None else self.left
        hi = "inf" if self.right is None else self.right
        lb = "[" if self.closed in ("left", "both") and self.left is not None else "("
        rb = "]" if self.closed in ("right", "both") and self.right is not None else ")"
        return f"{kind} in the range {lb}{lo}, {hi}{rb}"


def _satisfies(value, constraint) -> bool:
    """One constraint: an :class:`Interval`, a type (or ``None``), or ``"random_state"`` (None, an int or a
    numpy Generator/RandomState, as scikit-learn accepts)."""
    if isinstance(constraint, Interval):
        return constraint.is_satisfied_by(value)
    if constraint is None:
        return value is None
    if constraint == "random_state":
        if value is None or (isinstance(value, Integral) and not isinstance(value, bool)):
            return True
        import numpy as np

        return isinstance(value, np.random.RandomState | np.random.Generator)
    if isinstance(constraint, type):
        return isinstance(value, constraint)
    raise ValueError(f"unknown parameter constraint {constraint!r}")


def validate_params(params: dict, constraints: dict, owner: str) -> None:
    """Raise :class:`InvalidParameterError` for the first parameter in ``params`` that satisfies none of its
    ``constraints`` (parameters without constraints are not checked)."""
    for name, options in constraints.items():
        if name not in params:
            continue
        value = params[name]
        if not any(_satisfies(value, option) for option in options):
            allowed = " or ".join(str(o) if not isinstance(o, type) else o.__name__ for o in options)
            raise InvalidParameterError(f"the {name!r} parameter of {owner} must be {allowed}; got {value!r}")


class Transformer:
    """Base of the parser and the featurizers: scikit-learn's estimator protocol, without scikit-learn.

    Parameters are the arguments of ``__init__``, stored under the same names (scikit-learn's convention).
    Subclasses implement ``fit`` and ``transform`` and may declare ``_parameter_constraints``.
    """

    _parameter_constraints: ClassVar[dict] = {}

    @classmethod
    def _get_param_names(cls) -> list[str]:
        init = cls.__init__
        if init is object.__init__:
            return []
        params = inspect.signature(init).parameters.values()
        return sorted(p.name for p in params if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))

    def get_params(self, deep: bool = True) -> dict:
        return {name: getattr(self, name) for name in self._get_param_names()}

    def set_params(self, **params):
        valid = self._get_param_names()
        for name, value in params.items():
            if name not in valid:
                raise InvalidParameterError(f"invalid parameter {name!r} for {type(self).__name__}; valid: {valid}")
            setattr(self, name, value)
        return self

    def _validate_params(self) -> None:
        validate_params(self.get_params(deep=False), self._parameter_constraints, type(self).__name__)

    def fit(self, X, y=None):
        return self

    def fit_transform(self, X, y=None, **fit_params):
        return self.fit(X, y, **fit_params).transform(X)

    def __repr__(self) -> str:
        defaults = {
            p.name: p.default
            for p in inspect.signature(type(self).__init__).parameters.values()
            if p.default is not p.empty
        } if type(self).__init__ is not object.__init__ else {}
        changed = {k: v for k, v in self.get_params().items() if k not in defaults or defaults[k] != v}
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in changed.items())})"

    def __sklearn_tags__(self):
        """A transformer's tags for scikit-learn (imported here: only scikit-learn calls this)."""
        from sklearn.utils import Tags, TargetTags, TransformerTags

        return Tags(estimator_type=None, target_tags=TargetTags(required=False), transformer_tags=TransformerTags())
