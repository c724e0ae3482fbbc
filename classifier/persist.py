"""Save and load a :class:`SpamClassifier` as one joblib file plus a JSON model card beside it.

The card (``NAME.card.json``) records the library versions, config, feature names, threshold, training data
counts and hash, metrics and how they were measured, and the SHA-256 of the model file. Loading checks the
hash and the scikit-learn release before unpickling anything.
"""

from __future__ import annotations

import hashlib
import json
import platform
from importlib import metadata, resources
from pathlib import Path

from classifier.errors import ModelLoadError
from classifier.model import SpamClassifier

#: File name of the shipped default model inside ``models/`` (installed as ``classifier.shipped_models``).
DEFAULT_MODEL_NAME = "default.joblib"
#: Command that rebuilds the shipped model (quoted in load errors).
RETRAIN_COMMAND = "scripts/build_default_model.sh"
CARD_SUFFIX = ".card.json"


def card_path(model_path: str | Path) -> Path:
    model_path = Path(model_path)
    return model_path.with_name(model_path.name.removesuffix(".joblib") + CARD_SUFFIX)


def library_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in ("classifier", "scikit-learn", "numpy", "scipy", "jieba", "rjieba", "opencc", "selectolax", "joblib"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_model(model: SpamClassifier, path: str | Path) -> Path:
    """Write ``model`` to ``path`` (joblib, compressed) and its card beside it; returns the card path."""
    import joblib

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    model.card["versions"] = library_versions()
    model.card["threshold"] = model.threshold
    model.card["feature_names"] = model.feature_names()
    joblib.dump(model, path, compress=3)
    card = dict(model.card)
    card["model_file"] = path.name
    card["model_sha256"] = sha256_file(path)
    cpath = card_path(path)
    cpath.write_text(json.dumps(card, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    return cpath


def default_model_path() -> Path:
    """The shipped model: installed package data, or ``models/`` of a source checkout."""
    try:
        candidate = Path(str(resources.files("classifier.shipped_models") / DEFAULT_MODEL_NAME))
        if candidate.exists():
            return candidate
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / "models" / DEFAULT_MODEL_NAME


def load_model(path: str | Path | None = None) -> SpamClassifier:
    """Load a model saved by :func:`save_model`; ``None`` loads the shipped default model.

    Raises
    ------
    ModelLoadError
        If the file or its card is missing, the file's hash differs from the card's, or the scikit-learn
        release differs from the one the model was saved with.
    """
    import joblib
    import sklearn

    path = Path(path) if path is not None else default_model_path()
    if not path.is_file():
        raise ModelLoadError(f"model file not found: {path}")
    cpath = card_path(path)
    try:
        card = json.loads(cpath.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelLoadError(f"{path}: model card {cpath.name} not found beside the model") from exc
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelLoadError(f"{cpath}: unreadable model card: {exc}") from exc
    expected = card.get("model_sha256")
    actual = sha256_file(path)
    if expected != actual:
        raise ModelLoadError(f"{path}: SHA-256 {actual[:12]}... does not match the card's {str(expected)[:12]}...; refusing to load")
    saved = card.get("versions", {}).get("scikit-learn", "unknown")
    if _minor(saved) != _minor(sklearn.__version__):
        raise ModelLoadError(
            f"{path} was saved with scikit-learn {saved}, this is {sklearn.__version__}; "
            f"install scikit-learn=={saved} or retrain with {RETRAIN_COMMAND} (or classifier train)"
        )
    try:
        model = joblib.load(path)
    except Exception as exc:  # unpickling errors have no common base class
        raise ModelLoadError(f"{path}: cannot load model: {type(exc).__name__}: {exc}") from exc
    if not isinstance(model, SpamClassifier):
        raise ModelLoadError(f"{path}: expected a SpamClassifier, got {type(model).__name__}")
    model.card = card
    return model


def _minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])
