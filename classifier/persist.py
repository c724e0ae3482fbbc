"""Save and load a :class:`SpamClassifier` as one model file plus a JSON model card beside it.

The model file (``NAME.model``, format ``json-npz``) is a zip archive of two members: ``model.json`` (format
name and version, intercept, threshold, and per feature family its name, its featurizer's class, parameters
and fitted state) and ``arrays.npz`` (every array: coefficients, standardization, language-model tables),
read with ``np.load(..., allow_pickle=False)``. Loading reads JSON and numbers only: a featurizer class is
looked up by its name in a fixed table (:data:`FEATURIZER_CLASSES`, never an import of a name read from the
file), its parameters are validated, and nothing from the file is run. Loading needs neither scikit-learn nor
skops, which is what keeps a cold ``classifier score`` fast.

Files of earlier releases still load, converted on the way in (these paths import scikit-learn):
``.skops`` files through skops, when every type the file names is one skops trusts by default or in
:data:`ALLOWED_TYPES`; pickle-based files (``.joblib``, ``.pkl``), which can run arbitrary code when loaded,
only with ``trust_model=True`` (CLI ``--trust-model``) and an :class:`UnsafeModelWarning`. Both are refused
when saved with another scikit-learn minor release. :func:`convert_model` writes such a file in the current
format (``scripts/convert_model.py``).

The card (``NAME.card.json``) records the library versions, config, feature names, threshold, training data
counts and hash, metrics and how they were measured, and the SHA-256 of the model file. Loading checks the
hash before reading the model itself.
"""

from __future__ import annotations

import hashlib
import io
import json
import platform
import warnings
import zipfile
from importlib import metadata, resources
from pathlib import Path

import numpy as np

from classifier.errors import ClassifierError, InvalidParameterError, ModelLoadError
from classifier.model import DenseFamily, SpamClassifier, TokenFamily

#: File name of the shipped default model inside ``models/`` (installed as ``classifier.shipped_models``).
DEFAULT_MODEL_NAME = "default.model"
#: Command that rebuilds the shipped model (quoted in load errors).
RETRAIN_COMMAND = "scripts/build_default_model.sh"
#: card_path: the card of ``NAME.model`` is ``NAME.card.json``.
CARD_SUFFIX = ".card.json"
#: card_path: model-file suffixes replaced by CARD_SUFFIX (any other name gets CARD_SUFFIX appended).
MODEL_SUFFIXES = frozenset({".model", ".skops", ".joblib", ".pkl", ".pickle"})
#: save_model: formats it writes. "json-npz" loads without running code and without scikit-learn; "joblib"
#: (a pickle of the SpamClassifier) is kept for interchange only and loads only when trusted.
SAVE_FORMATS = ("json-npz", "joblib")
#: save_model: suffixes of earlier formats that a json-npz file must not be named with (it would read as one).
LEGACY_SUFFIXES = frozenset({".skops", ".joblib", ".pkl", ".pickle"})
#: model.json: the "format" value of a json-npz model file, and the version this code writes and reads.
MODEL_FORMAT = "classifier-json-npz"
MODEL_FORMAT_VERSION = 1
#: Names of the two members of a json-npz model file.
MODEL_JSON = "model.json"
ARRAYS_NPZ = "arrays.npz"
#: _read_json_npz: largest uncompressed member accepted (a 2**24-column token family is 128 MiB of
#: coefficients), so a small crafted file cannot make loading allocate without bound.
MAX_MEMBER_BYTES = 1 << 30
#: save_model: zlib level of the model zip (ZIP_DEFLATED); 6 is zlib's default speed/size balance.
ZIP_COMPRESSLEVEL = 6
#: save_model: fixed member timestamp, so the same model always gives the same bytes (and SHA-256).
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)
#: save_model: joblib's compression level (the level the project always used, 3).
JOBLIB_COMPRESS = 3
#: sha256_file: bytes hashed per read.
HASH_BLOCK_BYTES = 1 << 20
#: Family kinds of model.json and the model class of each.
FAMILY_KINDS = {"dense": DenseFamily, "tokens": TokenFamily}
#: Types a legacy skops model file may name beyond those skops trusts by default (scikit-learn estimators,
#: numpy arrays and dtypes, scipy sparse matrices). These are this project's own classes and functions that a
#: fitted pipeline held. ``load_model`` refuses a skops file naming any other type.
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
        "classifier.featurizers.provenance.ProvenanceFeaturizer",
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


def featurizer_classes() -> dict[str, type]:
    """The featurizer classes a model file may name, by class name: a fixed table, never extended from a file.
    A new feature family's class must be added here."""
    from classifier.featurizers import (
        ContactFeaturizer,
        InjectionFeaturizer,
        IntentFeaturizer,
        LinkFeaturizer,
        NaturalnessFeaturizer,
        ProvenanceFeaturizer,
        StuffingFeaturizer,
        TokenFeaturizer,
    )

    classes = (ContactFeaturizer, InjectionFeaturizer, IntentFeaturizer, LinkFeaturizer, NaturalnessFeaturizer,
               ProvenanceFeaturizer, StuffingFeaturizer, TokenFeaturizer)
    return {cls.__name__: cls for cls in classes}


def state_classes() -> dict[str, type]:
    """Classes whose instances may appear in a featurizer's fitted state, by class name (a fixed table)."""
    from classifier.featurizers._lm import CharNgramLM

    return {cls.__name__: cls for cls in (CharNgramLM,)}


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
    for name in ("classifier", "scikit-learn", "numpy", "scipy", "mmh3", "jieba", "rjieba", "opencc", "selectolax",
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


def save_model(model: SpamClassifier, path: str | Path, *, format: str = "json-npz") -> Path:
    """Write ``model`` to ``path`` and its card beside it.

    Parameters
    ----------
    model : SpamClassifier
    path : str or Path
        Model file, conventionally ``NAME.model``; the card is written to ``NAME.card.json``.
    format : {"json-npz", "joblib"}
        ``"json-npz"`` (default) loads without running code and without scikit-learn. ``"joblib"`` is a
        pickle and loads only with ``trust_model=True``; it exists to hand models to tools that read joblib.

    Returns
    -------
    Path
        The card's path.

    Raises
    ------
    ModelLoadError
        If ``format`` is unknown, a json-npz file would get the suffix of an earlier format (``.skops``,
        ``.joblib``, ...), or the model holds something the format cannot (nothing is written then).
    """
    if format not in SAVE_FORMATS:
        raise ModelLoadError(f"unknown model format {format!r}; expected one of {list(SAVE_FORMATS)}")
    path = check_save_path(path, format)
    model.card["versions"] = library_versions()
    model.card["threshold"] = model.threshold
    model.card["feature_names"] = model.feature_names()
    model.card.pop("skops_types", None)
    if format == "json-npz":
        data = model_to_bytes(model, path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    else:
        import joblib

        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(model, path, compress=JOBLIB_COMPRESS)
    card = dict(model.card)
    card["model_file"] = path.name
    card["model_format"] = format
    if format == "json-npz":
        card["model_format_version"] = MODEL_FORMAT_VERSION
    else:
        card.pop("model_format_version", None)
    card["model_sha256"] = sha256_file(path)
    cpath = card_path(path)
    cpath.write_text(json.dumps(card, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    return cpath


def check_save_path(path: str | Path, format: str = "json-npz") -> Path:
    """``path`` as a Path, if :func:`save_model` can write ``format`` there (called before training, too).

    Raises
    ------
    ModelLoadError
        If a json-npz file would get the suffix of an earlier format (it would be read as one).
    """
    path = Path(path)
    if format == "json-npz" and path.suffix.lower() in LEGACY_SUFFIXES:
        raise ModelLoadError(
            f"cannot save {path}: {path.suffix} is the name of an earlier model format; "
            f"name the file NAME.model (or save with format='joblib' for a pickle)"
        )
    return path


def model_to_bytes(model: SpamClassifier, path: str | Path = "model") -> bytes:
    """The json-npz file of ``model`` (``path`` only names the file in errors).

    Raises
    ------
    ModelLoadError
        If a featurizer's parameter or fitted state is not a number, string, array or allow-listed object.
    """
    arrays: dict[str, np.ndarray] = {}
    families = []
    for k, fam in enumerate(model.families):
        kind = next((name for name, cls in FAMILY_KINDS.items() if isinstance(fam, cls)), None)
        if kind is None:
            raise ModelLoadError(f"cannot save {path}: family {k} is a {type(fam).__name__}")
        prefix = f"{k}.{fam.name}"
        entry = {"name": fam.name, "kind": kind, "featurizer": _encode_featurizer(fam.featurizer, prefix, arrays, path)}
        fields = ("mean", "scale", "coef") if kind == "dense" else ("coef",)
        for name in fields:
            arrays[f"{prefix}.{name}"] = np.asarray(getattr(fam, name), dtype=np.float64)
            entry[name] = {"array": f"{prefix}.{name}"}
        families.append(entry)
    spec = {
        "format": MODEL_FORMAT,
        "format_version": MODEL_FORMAT_VERSION,
        "intercept": float(model.intercept),
        "threshold": float(model.threshold),
        "families": families,
    }
    npz = io.BytesIO()
    with zipfile.ZipFile(npz, "w", zipfile.ZIP_STORED) as inner:
        for key, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, array, allow_pickle=False)
            inner.writestr(zipfile.ZipInfo(key + ".npy", ZIP_DATE_TIME), buffer.getvalue())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_COMPRESSLEVEL) as outer:
        try:
            text = json.dumps(spec, ensure_ascii=False, indent=1, allow_nan=False)
        except ValueError as exc:  # a NaN or infinite parameter or intercept
            raise ModelLoadError(f"cannot save {path}: {exc}") from exc
        outer.writestr(_member(MODEL_JSON), text.encode("utf-8"))
        outer.writestr(_member(ARRAYS_NPZ), npz.getvalue())
    return out.getvalue()


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, ZIP_DATE_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _encode_featurizer(featurizer, prefix: str, arrays: dict, path) -> dict:
    """``{"class", "params", "state"}`` of a fitted featurizer; arrays go to ``arrays`` under ``prefix``."""
    name = type(featurizer).__name__
    if featurizer_classes().get(name) is not type(featurizer):
        raise ModelLoadError(f"cannot save {path}: {name} is not a featurizer class of persist.featurizer_classes()")
    params = featurizer.get_params(deep=False)
    for key, value in params.items():
        if not _is_json_scalar(value):
            raise ModelLoadError(f"cannot save {path}: parameter {name}.{key} is a {type(value).__name__}")
    state = {k: v for k, v in vars(featurizer).items() if k not in params and not k.startswith("_")}
    return {"class": name, "params": params, "state": _encode_state(state, f"{prefix}.{name}", arrays, path)}


def _encode_state(state: dict, prefix: str, arrays: dict, path) -> dict:
    out = {}
    for key, value in state.items():
        where = f"{prefix}.{key}"
        if isinstance(value, np.ndarray):
            if value.dtype.hasobject:
                raise ModelLoadError(f"cannot save {path}: {where} is an array of Python objects")
            arrays[where] = value
            out[key] = {"array": where}
        elif isinstance(value, np.generic) and not isinstance(value, np.object_):
            out[key] = {"value": value.item()}
        elif _is_json_scalar(value):
            out[key] = {"value": value}
        elif state_classes().get(type(value).__name__) is type(value):
            out[key] = {"object": type(value).__name__, "state": _encode_state(vars(value), where, arrays, path)}
        else:
            raise ModelLoadError(f"cannot save {path}: {where} is a {type(value).__name__}, which the model format cannot hold")
    return out


def _is_json_scalar(value) -> bool:
    return value is None or isinstance(value, bool | int | float | str)


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

    A json-npz file is read as JSON and numpy arrays (no code from the file runs, no scikit-learn is
    imported). A file of an earlier release is converted on load (this imports scikit-learn): a skops file
    after checking that every type it names is trusted by skops or in :data:`ALLOWED_TYPES`; a pickle
    (e.g. ``.joblib``) only if ``trust_model`` is true, and then with an :class:`UnsafeModelWarning`.

    Parameters
    ----------
    path : str, Path or None
        Model file with its ``.card.json`` beside it.
    trust_model : bool
        Allow loading a pickle-based file, which runs whatever code the file contains.

    Raises
    ------
    ModelLoadError
        If the file or its card is missing, the file's hash differs from the card's, the file is truncated
        or corrupt, is of an unknown format or format version, names a featurizer class outside the fixed
        table, a legacy file was saved with another scikit-learn release or names a type outside the
        allow-list, a pickle file is given without ``trust_model``, or the file does not hold a model.
    """
    path = Path(path) if path is not None else default_model_path()
    if not path.is_file():
        raise ModelLoadError(f"model file not found: {path}")
    cpath = card_path(path)
    try:
        card = json.loads(cpath.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelLoadError(f"{path}: model card {cpath.name} not found beside the model") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelLoadError(f"{path}: unreadable model card: {exc}") from exc
    if not isinstance(card, dict):
        raise ModelLoadError(f"{cpath}: expected a JSON object as model card, got {type(card).__name__}")
    expected = card.get("model_sha256")
    actual = sha256_file(path)
    if expected != actual:
        raise ModelLoadError(f"{path}: SHA-256 {actual[:12]}... does not match the card's {str(expected)[:12]}...; refusing to load")
    members = _zip_members(path)
    if members is not None and MODEL_JSON in members:
        model = _read_json_npz(path)
    else:
        _check_sklearn_release(path, card)
        model = _load_skops(path) if members is not None else _load_pickle(path, trust_model)
        model = _from_legacy(model, path)
    model.card = card
    return model


def _zip_members(path: Path) -> set[str] | None:
    """Names in the zip archive ``path``, or None when it is not a zip archive (a pickle)."""
    if not zipfile.is_zipfile(path):
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ModelLoadError(f"{path}: truncated or corrupt model file: {exc}") from exc


def _read_json_npz(path: Path) -> SpamClassifier:
    """Read a json-npz model file: JSON, arrays without pickles, classes from the fixed tables only."""
    try:
        with zipfile.ZipFile(path) as archive:
            for name in (MODEL_JSON, ARRAYS_NPZ):
                try:
                    size = archive.getinfo(name).file_size
                except KeyError:
                    raise ModelLoadError(f"{path}: truncated or corrupt model file: no {name} inside") from None
                if size > MAX_MEMBER_BYTES:
                    raise ModelLoadError(f"{path}: {name} is {size} bytes uncompressed, more than {MAX_MEMBER_BYTES}")
            spec = json.loads(archive.read(MODEL_JSON).decode("utf-8"))
            npz = archive.read(ARRAYS_NPZ)
        with np.load(io.BytesIO(npz), allow_pickle=False) as loaded:
            arrays = {key: loaded[key] for key in loaded.files}
    except ModelLoadError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, UnicodeDecodeError) as exc:
        # zlib/CRC errors, a cut-off archive, malformed JSON or .npy headers, an object array (allow_pickle)
        raise ModelLoadError(f"{path}: truncated or corrupt model file: {type(exc).__name__}: {exc}") from exc
    return model_from_spec(spec, arrays, path)


def model_from_spec(spec, arrays: dict[str, np.ndarray], path: str | Path = "model") -> SpamClassifier:
    """The :class:`SpamClassifier` described by ``model.json`` (``spec``) and its arrays.

    Raises
    ------
    ModelLoadError
        Naming ``path`` and the problem: another format or format version, an unknown family kind or
        featurizer class, an invalid parameter, a missing array or one of the wrong shape.
    """
    if not isinstance(spec, dict) or spec.get("format") != MODEL_FORMAT:
        raise ModelLoadError(f"{path}: not a classifier model file (model.json has no format {MODEL_FORMAT!r})")
    version = spec.get("format_version")
    if version != MODEL_FORMAT_VERSION:
        raise ModelLoadError(
            f"{path}: model format version {version!r}, this classifier reads version {MODEL_FORMAT_VERSION}; "
            f"use the classifier release that wrote it, or retrain with {RETRAIN_COMMAND} (or classifier train)"
        )
    try:
        families = [_decode_family(entry, arrays, path) for entry in spec["families"]]
        model = SpamClassifier(families=families, intercept=_number(spec["intercept"], "intercept", path),
                               threshold=_number(spec["threshold"], "threshold", path))
    except (KeyError, TypeError, AttributeError) as exc:
        raise ModelLoadError(f"{path}: malformed model.json: {type(exc).__name__}: {exc}") from exc
    names = [fam.name for fam in families]
    if len(set(names)) != len(names):
        raise ModelLoadError(f"{path}: a family name appears twice: {names}")
    return model


def _number(value, what: str, path) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ModelLoadError(f"{path}: {what} must be a number, got {value!r}")
    return float(value)


def _decode_family(entry: dict, arrays: dict, path):
    kind = entry["kind"]
    if kind not in FAMILY_KINDS:
        raise ModelLoadError(f"{path}: unknown family kind {kind!r} (known: {sorted(FAMILY_KINDS)})")
    name = str(entry["name"])
    featurizer = _decode_featurizer(entry["featurizer"], arrays, path)
    vectors = {key: _array(entry[key], arrays, path) for key in (("mean", "scale", "coef") if kind == "dense" else ("coef",))}
    if kind == "dense":
        width = len(featurizer.feature_names)
        if not hasattr(featurizer, "measure") or isinstance(featurizer, featurizer_classes()["TokenFeaturizer"]):
            raise ModelLoadError(f"{path}: family {name!r}: {type(featurizer).__name__} is not a dense featurizer")
    else:
        if not isinstance(featurizer, featurizer_classes()["TokenFeaturizer"]):
            raise ModelLoadError(f"{path}: family {name!r}: {type(featurizer).__name__} is not a token featurizer")
        width = 2**featurizer.hash_bits
    for key, vector in vectors.items():
        if vector.shape != (width,) or vector.dtype != np.float64:
            raise ModelLoadError(
                f"{path}: family {name!r}: {key} has shape {vector.shape} and dtype {vector.dtype}, "
                f"expected ({width},) float64"
            )
    return FAMILY_KINDS[kind](name=name, featurizer=featurizer, **vectors)


def _decode_featurizer(entry: dict, arrays: dict, path):
    name = entry["class"]
    classes = featurizer_classes()
    if name not in classes:
        raise ModelLoadError(f"{path}: unknown featurizer class {name!r} (known: {sorted(classes)})")
    cls = classes[name]
    params = entry["params"]
    unknown = sorted(set(params) - set(cls._get_param_names()))
    if unknown or not all(_is_json_scalar(v) for v in params.values()):
        raise ModelLoadError(f"{path}: {name}: unknown or non-scalar parameters {unknown or params}")
    featurizer = cls(**params)
    try:
        featurizer._validate_params()
    except InvalidParameterError as exc:
        raise ModelLoadError(f"{path}: {name}: {exc}") from exc
    for key, value in _decode_state(entry["state"], arrays, path).items():
        setattr(featurizer, key, value)
    return featurizer


def _decode_state(state: dict, arrays: dict, path) -> dict:
    """A featurizer's fitted attributes (names ending in '_'): values, arrays, or allow-listed objects."""
    out = {}
    for key, value in state.items():
        if not isinstance(key, str) or not key.endswith("_") or key.startswith("_"):
            raise ModelLoadError(f"{path}: fitted attribute names end with '_', got {key!r}")
        if isinstance(value, dict) and "object" in value:
            classes = state_classes()
            if value["object"] not in classes:
                raise ModelLoadError(f"{path}: unknown class {value['object']!r} in fitted state (known: {sorted(classes)})")
            cls = classes[value["object"]]
            obj = cls.__new__(cls)  # the attributes are set from the file's values; no method runs
            for attr, item in value["state"].items():
                if not isinstance(attr, str) or attr.startswith("_"):
                    raise ModelLoadError(f"{path}: bad attribute name {attr!r} in fitted state")
                setattr(obj, attr, _decode_value(item, arrays, path, f"{key}.{attr}"))
            out[key] = obj
        else:
            out[key] = _decode_value(value, arrays, path, key)
    return out


def _decode_value(value, arrays: dict, path, where: str):
    """An ``{"array": key}`` or ``{"value": number or string}`` entry."""
    if isinstance(value, dict) and "array" in value:
        return _array(value, arrays, path)
    if isinstance(value, dict) and "value" in value and _is_json_scalar(value["value"]):
        return value["value"]
    raise ModelLoadError(f"{path}: {where}: expected an array or a number or string, got {value!r}")


def _array(ref, arrays: dict, path) -> np.ndarray:
    key = ref.get("array") if isinstance(ref, dict) else None
    if key not in arrays:
        raise ModelLoadError(f"{path}: truncated or corrupt model file: array {key!r} missing from {ARRAYS_NPZ}")
    return arrays[key]


def _check_sklearn_release(path: Path, card: dict) -> None:
    """Refuse a legacy (skops or pickle) file saved with another scikit-learn minor release."""
    import sklearn

    versions = card.get("versions")
    saved = str(versions.get("scikit-learn", "unknown")) if isinstance(versions, dict) else "unknown"
    if _minor(saved) != _minor(sklearn.__version__):
        raise ModelLoadError(
            f"{path} was saved with scikit-learn {saved}, this is {sklearn.__version__}; "
            f"install scikit-learn=={saved} or retrain with {RETRAIN_COMMAND} (or classifier train)"
        )


def _from_legacy(obj, path: Path) -> SpamClassifier:
    """A loaded legacy object as a :class:`SpamClassifier`: a model of this release passes through; one of
    an earlier release (its fitted scikit-learn ``pipeline``) is converted with
    :func:`classifier.pipeline.from_pipeline`."""
    if not isinstance(obj, SpamClassifier):
        raise ModelLoadError(f"{path}: expected a SpamClassifier, got {type(obj).__name__}")
    state = vars(obj)
    if "families" in state:
        return obj
    if "pipeline" not in state:
        raise ModelLoadError(f"{path}: a SpamClassifier without families or pipeline")
    from classifier.pipeline import from_pipeline

    try:
        return from_pipeline(state["pipeline"], threshold=float(state.get("threshold", 0.5)))
    except (ClassifierError, AttributeError, KeyError, TypeError, IndexError) as exc:
        raise ModelLoadError(f"{path}: cannot convert the model: {type(exc).__name__}: {exc}") from exc


def convert_model(source: str | Path, target: str | Path, *, trust_model: bool = False) -> Path:
    """Load a model file of any readable format (e.g. a ``.skops`` file of an earlier release) and write it
    as json-npz to ``target``, its card carried over with a record of the conversion. Returns the card path.

    Raises
    ------
    ModelLoadError
        As :func:`load_model` and :func:`save_model`.
    """
    source = Path(source)
    model = load_model(source, trust_model=trust_model)
    card = dict(model.card)
    card["converted_from"] = {
        "model_file": source.name,
        "model_format": card.get("model_format"),
        "model_sha256": card.get("model_sha256"),
        "versions": card.get("versions"),
    }
    for key in ("model_file", "model_format", "model_sha256", "skops_types"):
        card.pop(key, None)
    model.card = card
    return save_model(model, target)


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
            "Use a .model file (classifier train writes one), or pass --trust-model "
            "(trust_model=True) if you trust where this file came from"
        )
    warnings.warn(
        f"{path}: loading a pickle/joblib model with --trust-model runs any code the file contains; "
        "convert it to a .model file with scripts/convert_model.py (classifier.persist.convert_model)",
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
