"""Frozen training configuration with documented defaults, optionally read from a TOML file."""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from classifier.errors import ConfigError

#: The two labels, in folders, JSONL, rows, metrics and code alike.
LABELS = ("genuine", "spam")

#: Feature families in the order of the FeatureUnion; each can be removed by name for an ablation.
ALL_FAMILIES = ("tokens", "links", "stuffing", "injection", "contacts", "intent", "naturalness", "provenance")

#: Inputs larger than this are refused with an error row (documents.read_path); issue 7 sets 20 MB.
DEFAULT_MAX_INPUT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class TrainConfig:
    """Hyperparameters of :func:`classifier.model.train_model`.

    Parameters
    ----------
    families : tuple of str
        Feature families to use, a subset of ``ALL_FAMILIES``. Removing one is an ablation.
    hash_bits : int, default=18
        The token family hashes n-grams into ``2**hash_bits`` columns (no vocabulary is stored).
    regularization_c : float, default=0.5
        Inverse L2 regularization strength of the logistic regression (``C`` in scikit-learn).
    max_iter : int, default=3000
        Iteration cap of the L-BFGS-B solver.
    sign_constraints : bool, default=True
        Fit each dense signal's coefficient with the sign its family declares (``feature_directions``: more
        stuffing, more contact details... can only push toward spam; see :mod:`classifier.linear`). False
        fits every coefficient freely, as plain logistic regression.
    balance_sources : bool, default=True
        Weight documents so that every ``source`` contributes the same total weight within its label,
        so one large folder (2,000 spam e-mails) cannot make "looks like e-mail" the signal.
    threshold : float, default=0.5
        Probability of spam above which a document is labeled ``spam``; saved with the model.
    random_state : int, default=0
        Seed for the cross-fitted language model folds and for format augmentation.
    plain_text_augmentation : float, default=0.5
        Share (0 to 1) of HTML/markdown training documents also added as their plain visible text (same label
        and source), so the presence of markup or anchors cannot stand in for the label. 0 disables it.
    holdout : tuple of str
        Globs on source or id held out of training and evaluated after fitting.
    validation : tuple of str
        Globs on source or id of training documents used to choose the threshold: a first model is fitted
        without them, the threshold is chosen on them (see ``max_false_positive_rate``), then the final model
        is fitted on all training documents with that threshold. Empty: keep ``threshold``.
    max_false_positive_rate : float, default=0.01
        With ``validation``: the threshold is the lowest at which at most this share of the validation's
        genuine documents (real ones, if any) scores above it.
    validation_folds : int, default=1
        With ``validation``: the validation sources are split into this many groups of whole sources, and each
        group's documents are scored by a model fitted without that group, so every validation document is
        scored out of fold and the threshold rests on all of them (1: one model fitted without all of them).
        A threshold at a 0.5% false-positive rate on 450 articles is set by the third highest score; at 1% of
        2,017 (the shipped recipe: 12 outlets in 4 groups) by the twenty-first.
    """

    families: tuple[str, ...] = ALL_FAMILIES
    hash_bits: int = 18
    regularization_c: float = 0.5
    max_iter: int = 3000
    sign_constraints: bool = True
    balance_sources: bool = True
    threshold: float = 0.5
    random_state: int = 0
    plain_text_augmentation: float = 0.5
    holdout: tuple[str, ...] = field(default_factory=tuple)
    validation: tuple[str, ...] = field(default_factory=tuple)
    max_false_positive_rate: float = 0.01
    validation_folds: int = 1

    def __post_init__(self) -> None:
        unknown = [f for f in self.families if f not in ALL_FAMILIES]
        if unknown or not self.families:
            raise ConfigError(
                f"families must be a non-empty subset of {list(ALL_FAMILIES)}, got {list(self.families)}"
            )
        if not 10 <= self.hash_bits <= 24:
            raise ConfigError(f"hash_bits must be in [10, 24], got {self.hash_bits}")
        if not self.regularization_c > 0:
            raise ConfigError(f"regularization_c must be > 0, got {self.regularization_c}")
        if not 0.0 <= self.plain_text_augmentation <= 1.0:
            raise ConfigError(f"plain_text_augmentation must be in [0, 1], got {self.plain_text_augmentation}")
        if not 0.0 <= self.max_false_positive_rate < 1.0:
            raise ConfigError(f"max_false_positive_rate must be in [0, 1), got {self.max_false_positive_rate}")
        if self.validation_folds < 1:
            raise ConfigError(f"validation_folds must be >= 1, got {self.validation_folds}")
        if not 0.0 < self.threshold < 1.0:
            raise ConfigError(f"threshold must be in (0, 1), got {self.threshold}")

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def replace(self, **changes) -> TrainConfig:
        """A copy with the non-None ``changes`` applied (how the CLI overrides single fields)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


def load_config(path: str | Path | None) -> TrainConfig:
    """Read a ``TrainConfig`` from a TOML file (keys as the field names); ``None`` gives the defaults.

    Raises
    ------
    ConfigError
        If the file cannot be read, is not TOML, or names an unknown key.
    """
    if path is None:
        return TrainConfig()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from exc
    known = {f.name for f in dataclasses.fields(TrainConfig)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"{path}: unknown config keys {unknown}; valid keys: {sorted(known)}")
    for key in ("families", "holdout", "validation"):
        if key in data:
            data[key] = tuple(data[key])
    return TrainConfig(**data)
