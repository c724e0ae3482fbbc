"""Save and load a :class:`SpamClassifier` as one model file plus a JSON model card beside it.

The default format is `skops <https://skops.readthedocs.io>`_: loading it never runs code from the file.
Every type the file names must be one of scikit-learn's, numpy's and scipy's defaults that skops trusts, or
appear in :data:`ALLOWED_TYPES` (this project's own featurizers and wrappers); anything else is refused.
Pickle-based files (``.joblib``, ``.pkl``) can run arbitrary code when loaded, so they load only with
``trust_model=True`` (CLI ``--trust-model``) and an :class:`UnsafeModelWarning`.

The card (``NAME.card.json``) records the library versions, config, feature names, threshold, training data
counts and hash, metrics and how they were measured, the SHA-256 of the model file and the types the file
was checked for. Loading checks the hash and the scikit-learn release before reading the model itself.
"""

from __future__ import annotations

import hashlib
import json
import platform
import warnings
import zipfile
from importlib import metadata, resources
from pathlib import Path

from classifier.errors import ModelLoadError
from classifier.model import SpamClassifier

#: File name of the shipped default model inside ``models/`` (installed as ``classifier.shipped_models``).
DEFAULT_MODEL_NAME = "default.skops"
#: Command that rebuilds the shipped model (quoted in load errors).
RETRAIN_COMMAND = "scripts/build_default_model.sh"
#: card_path: the card of ``NAME.skops`` is ``NAME.card.json``.
CARD_SUFFIX = ".card.json"
#: card_path: model-file suffixes replaced by CARD_SUFFIX (any other name gets CARD_SUFFIX appended).
MODEL_SUFFIXES = frozenset({".skops", ".joblib", ".pkl", ".pickle"})
#: save_model: formats it writes. "skops" is safe to load; "joblib" (pickle) is kept for interchange only.
SAVE_FORMATS = ("skops", "joblib")
#: save_model: zlib level of skops' zip (ZIP_DEFLATED); 6 is zlib's default speed/size balance.
SKOPS_COMPRESSLEVEL = 6
#: save_model: joblib's compression level (the level the project always used, 3).
JOBLIB_COMPRESS = 3
#: sha256_file: bytes hashed per read.
HASH_BLOCK_BYTES = 1 << 20
#: Types a skops model file may name beyond those skops trusts by default (scikit-learn estimators, numpy
#: arrays and dtypes, scipy sparse matrices). These are this project's own classes and functions that a
#: fitted pipeline holds. ``save_model`` and ``load_model`` refuse a file naming any other type; a new
#: featurizer class must be added here by name (never by a prefix or pattern).
ALLOWED_TYPES = frozenset(
    {
        "classifier.model.SpamClassifier",
        "classifier.linear.SignConstrainedLogisticRegression",
        "classifier.parse.Parser",
        "classifier.featurizers.signed_log1p",
        "classifier.featurizers._lm.CharNgramLM",
        "classifier.featurizers.contacts.ContactFeaturizer",
        "classifier.featurizers.injection.InjectionFeaturizer",
        "classifier.featurizers.intent.IntentFeaturizer",
        "classifier.featurizers.links.LinkFeaturizer",
        "classifier.featurizers.naturalness.NaturalnessFeaturizer",
        "classifier.featurizers.stuffing.StuffingFeaturizer",
        "classifier.featurizers.tokens.TokenFeaturizer",
        "classifier.featurizers.tokens.token_ngrams",
        "classifier.segment.segment",
        # scikit-learn types of the pipeline: listed because _skops_io() imports skops without its default
        # trust in every scikit-learn estimator (which is also what makes that import 0.15 s faster).
        "sklearn.pipeline.Pipeline",
        "sklearn.pipeline.FeatureUnion",
        "sklearn.linear_model._logistic.LogisticRegression",
        "sklearn.preprocessing._data.StandardScaler",
        "sklearn.preprocessing._function_transformer.FunctionTransformer",
    }
)


def _skops_io():
    """``skops.io``, imported so that it trusts no scikit-learn estimator by default.

    skops builds its default trust list from ``sklearn.utils.all_estimators()``, which imports every
    scikit-learn module (about 0.15 s of a cold ``classifier score``). Returning no estimators while skops
    is imported makes the pipeline's scikit-learn types appear in ``get_untrusted_types``, where they are
    checked against :data:`ALLOWED_TYPES` like this project's own types. If skops was already imported
    (by the caller), its usual defaults apply; the allow-list check is the same either way.
    """
    import sys

    if "skops.io" not in sys.modules:
        import sklearn.utils

        all_estimators = sklearn.utils.all_estimators
        sklearn.utils.all_estimators = lambda *args, **kwargs: []
        try:
            import skops.io  # noqa: F401
        finally:
            sklearn.utils.all_estimators = all_estimators
    return sys.modules["skops.io"]


class UnsafeModelWarning(UserWarning):
    """A pickle-based model file is being loaded because the caller trusted it; it can run code."""


def card_path(model_path: str | Path) -> Path:
    """The model card beside ``model_path``: ``m.skops`` -> ``m.card.json``."""
    model_path = Path(model_path)
    stem = model_path.stem if model_path.suffix.lower() in MODEL_SUFFIXES else model_path.name
    return model_path.with_name(stem + CARD_SUFFIX)


def library_versions() -> dict[str, str]:
    """Versions of Python and of the libraries a saved model depends on."""
    out = {"python": platform.python_version()}
    for name in ("classifier", "scikit-learn", "numpy", "scipy", "jieba", "rjieba", "opencc", "selectolax",
                 "joblib", "skops"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(HASH_BLOCK_BYTES), b""):
            digest.update(block)
    return digest.hexdigest()


def unexpected_types(types) -> list[str]:
    """The names in ``types`` (from ``skops.io.get_untrusted_types``) that are not in :data:`ALLOWED_TYPES`."""
    return sorted(set(types) - ALLOWED_TYPES)


def save_model(model: SpamClassifier, path: str | Path, *, format: str = "skops") -> Path:
    """Write ``model`` to ``path`` and its card beside it.

    Parameters
    ----------
    model : SpamClassifier
    path : str or Path
        Model file, conventionally ``NAME.skops``; the card is written to ``NAME.card.json``.
    format : {"skops", "joblib"}
        ``"skops"`` (default) loads without running code. ``"joblib"`` is a pickle and loads only with
        ``trust_model=True``; it exists to hand models to tools that read joblib.

    Returns
    -------
    Path
        The card's path.

    Raises
    ------
    ModelLoadError
        If ``format`` is unknown, or the model holds a type outside :data:`ALLOWED_TYPES` (nothing is written).
    """
    if format not in SAVE_FORMATS:
        raise ModelLoadError(f"unknown model format {format!r}; expected one of {list(SAVE_FORMATS)}")
    path = Path(path)
    model.card["versions"] = library_versions()
    model.card["threshold"] = model.threshold
    model.card["feature_names"] = model.feature_names()
    model.card.pop("skops_types", None)
    types: list[str] = []
    if format == "skops":
        sio = _skops_io()

        data = sio.dumps(model, compression=zipfile.ZIP_DEFLATED, compresslevel=SKOPS_COMPRESSLEVEL)
        types = sio.get_untrusted_types(data=data)
        extra = unexpected_types(types)
        if extra:
            raise ModelLoadError(
                f"cannot save {path}: the model holds types outside persist.ALLOWED_TYPES: {extra}; "
                "add this project's own types there by name, or remove the object"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    else:
        import joblib

        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(model, path, compress=JOBLIB_COMPRESS)
    card = dict(model.card)
    card["model_file"] = path.name
    card["model_format"] = format
    card["model_sha256"] = sha256_file(path)
    if format == "skops":
        card["skops_types"] = sorted(types)
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


def load_model(path: str | Path | None = None, *, trust_model: bool = False) -> SpamClassifier:
    """Load a model saved by :func:`save_model`; ``None`` loads the shipped default model.

    A skops file is read without running code from it, after checking that every type it names is trusted
    by skops or in :data:`ALLOWED_TYPES`. Any other file (a pickle, e.g. ``.joblib``) is refused unless
    ``trust_model`` is true, and then loads with an :class:`UnsafeModelWarning`.

    Parameters
    ----------
    path : str, Path or None
        Model file with its ``.card.json`` beside it.
    trust_model : bool
        Allow loading a pickle-based file, which runs whatever code the file contains.

    Raises
    ------
    ModelLoadError
        If the file or its card is missing, the file's hash differs from the card's, the scikit-learn
        release differs from the one the model was saved with, a skops file names a type outside the
        allow-list, a pickle file is given without ``trust_model``, or the file does not hold a model.
    """
    import sklearn

    path = Path(path) if path is not None else default_model_path()
    if not path.is_file():
        raise ModelLoadError(f"model file not found: {path}")
    cpath = card_path(path)
    try:
        card = json.loads(cpath.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelLoadError(f"{path}: model card {cpath.name} not found beside the model") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelLoadError(f"{cpath}: unreadable model card: {exc}") from exc
    if not isinstance(card, dict):
        raise ModelLoadError(f"{cpath}: expected a JSON object as model card, got {type(card).__name__}")
    expected = card.get("model_sha256")
    actual = sha256_file(path)
    if expected != actual:
        raise ModelLoadError(f"{path}: SHA-256 {actual[:12]}... does not match the card's {str(expected)[:12]}...; refusing to load")
    versions = card.get("versions")
    saved = str(versions.get("scikit-learn", "unknown")) if isinstance(versions, dict) else "unknown"
    if _minor(saved) != _minor(sklearn.__version__):
        raise ModelLoadError(
            f"{path} was saved with scikit-learn {saved}, this is {sklearn.__version__}; "
            f"install scikit-learn=={saved} or retrain with {RETRAIN_COMMAND} (or classifier train)"
        )
    model = _load_skops(path) if zipfile.is_zipfile(path) else _load_pickle(path, trust_model)
    if not isinstance(model, SpamClassifier):
        raise ModelLoadError(f"{path}: expected a SpamClassifier, got {type(model).__name__}")
    model.card = card
    return model


def _load_skops(path: Path):
    """Read a skops file, trusting only skops' defaults and :data:`ALLOWED_TYPES`."""
    sio = _skops_io()

    try:
        types = sio.get_untrusted_types(file=path)
    except Exception as exc:  # a corrupt zip or schema: skops raises many unrelated types
        raise ModelLoadError(f"{path}: not a readable skops model file: {type(exc).__name__}: {exc}") from exc
    extra = unexpected_types(types)
    if extra:
        raise ModelLoadError(
            f"{path}: refusing to load: the file names types outside the allow-list "
            f"(classifier.persist.ALLOWED_TYPES): {extra}"
        )
    try:
        return sio.load(path, trusted=sorted(types))
    except Exception as exc:  # skops raises many unrelated types on malformed content
        raise ModelLoadError(f"{path}: cannot load model: {type(exc).__name__}: {exc}") from exc


def _load_pickle(path: Path, trust_model: bool):
    """Unpickle a joblib/pickle file, only when the caller trusts it."""
    if not trust_model:
        raise ModelLoadError(
            f"{path}: refusing to load a pickle/joblib model: loading it would run any code the file contains. "
            "Use a .skops model (classifier train writes one), or pass --trust-model "
            "(trust_model=True) if you trust where this file came from"
        )
    warnings.warn(
        f"{path}: loading a pickle/joblib model with --trust-model runs any code the file contains; "
        "convert it to .skops with classifier.persist.save_model",
        UnsafeModelWarning,
        stacklevel=3,
    )
    import joblib

    try:
        return joblib.load(path)
    except Exception as exc:  # unpickling errors have no common base class
        raise ModelLoadError(f"{path}: cannot load model: {type(exc).__name__}: {exc}") from exc


def _minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])
