"""Model files: json-npz by default (JSON and arrays, no code, no scikit-learn); earlier skops files converted
on load against an allow-list; pickles only when trusted."""

import io
import json
import os
import pickle
import zipfile

import joblib
import numpy as np
import pytest
from typer.testing import CliRunner

from classifier import persist
from classifier.cli import app
from classifier.config import TrainConfig
from classifier.errors import ModelLoadError
from classifier.explain import explain
from classifier.model import SpamClassifier
from classifier.persist import (
    ALLOWED_TYPES,
    UnsafeModelWarning,
    card_path,
    convert_model,
    load_model,
    save_model,
    sha256_file,
)

from .conftest import GENUINE_DOCS, ROOT, SPAM_DOCS

runner = CliRunner(env={"COLUMNS": "300"})


class PlantedPayload:
    """Unpickling this runs ``os.system`` (the attack a pickle model file can carry)."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def plant(path, payload, dump):
    """Write ``payload`` with ``dump`` and a card whose hash matches, as an attacker would."""
    dump(payload, path)
    card = {"model_sha256": sha256_file(path), "versions": persist.library_versions()}
    card_path(path).write_text(json.dumps(card), encoding="utf-8")


def rehash(path):
    """Make the card beside ``path`` match the file again (as after an edit by someone who can write both)."""
    card = json.loads(card_path(path).read_text())
    card["model_sha256"] = sha256_file(path)
    card_path(path).write_text(json.dumps(card))


def rewrite(path, edit_spec=None, edit_arrays=None):
    """Rewrite the json-npz file ``path`` with ``edit_spec(spec)`` / ``edit_arrays(arrays)`` applied."""
    with zipfile.ZipFile(path) as archive:
        spec = json.loads(archive.read("model.json"))
        with np.load(io.BytesIO(archive.read("arrays.npz"))) as loaded:
            arrays = {k: loaded[k] for k in loaded.files}
    if edit_spec:
        edit_spec(spec)
    if edit_arrays:
        edit_arrays(arrays)
    npz = io.BytesIO()
    np.savez(npz, **arrays)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("model.json", json.dumps(spec))
        archive.writestr("arrays.npz", npz.getvalue())
    rehash(path)


def legacy_skops(pipeline, path, threshold=0.5):
    """A model file as releases before json-npz wrote it: a skops dump of SpamClassifier(pipeline, ...)."""
    sio = persist._skops_io()
    old = SpamClassifier.__new__(SpamClassifier)
    old.__dict__.update(pipeline=pipeline, threshold=threshold, card={})
    path.write_bytes(sio.dumps(old))
    card = {"model_sha256": sha256_file(path), "versions": persist.library_versions(), "model_format": "skops"}
    card_path(path).write_text(json.dumps(card), encoding="utf-8")


@pytest.fixture(scope="module")
def tiny_pipeline(tiny_docs):
    from classifier.pipeline import build_pipeline

    pipeline = build_pipeline(TrainConfig(hash_bits=10))
    pipeline.fit(list(tiny_docs), [d.label for d in tiny_docs])
    return pipeline


def test_card_path_names():
    assert card_path("m/default.model").name == "default.card.json"
    assert card_path("m/default.skops").name == "default.card.json"
    assert card_path("m/old.joblib").name == "old.card.json"
    assert card_path("m/model").name == "model.card.json"


def test_json_npz_roundtrip_is_exact_and_deterministic(tiny_model, tmp_path):
    path = tmp_path / "m.model"
    save_model(tiny_model, path)
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["arrays.npz", "model.json"]
        spec = json.loads(archive.read("model.json"))
    assert spec["format"] == persist.MODEL_FORMAT and spec["format_version"] == persist.MODEL_FORMAT_VERSION
    card = json.loads(card_path(path).read_text())
    assert card["model_format"] == "json-npz" and card["model_file"] == "m.model"
    assert card["model_format_version"] == 1 and "skops_types" not in card
    loaded = load_model(path)
    docs = GENUINE_DOCS + SPAM_DOCS
    np.testing.assert_array_equal(loaded.predict_proba(docs), tiny_model.predict_proba(docs))
    assert loaded.threshold == tiny_model.threshold and loaded.intercept == tiny_model.intercept
    for a, b in zip(explain(loaded, docs), explain(tiny_model, docs)):
        assert a.reasons == b.reasons and a.top_ngrams == b.top_ngrams
    again = tmp_path / "again.model"
    save_model(loaded, again)
    assert again.read_bytes() == path.read_bytes()


@pytest.mark.parametrize("dump", [joblib.dump, lambda obj, p: p.write_bytes(pickle.dumps(obj))], ids=["joblib", "pickle"])
def test_planted_pickle_refused_without_trust(tmp_path, dump):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.joblib"
    plant(path, PlantedPayload(marker), dump)
    with pytest.raises(ModelLoadError, match="refusing to load a pickle/joblib model.*--trust-model"):
        load_model(path)
    assert not marker.exists()
    result = runner.invoke(app, ["score", "-", "--model", str(path)], input="新闻")
    assert result.exit_code == 1 and "refusing to load" in result.stderr
    assert not marker.exists()


@pytest.mark.parametrize("name", ["evil.model", "evil.skops"])
def test_planted_pickle_renamed_refused(tmp_path, name):
    marker = tmp_path / "pwned"
    path = tmp_path / name
    plant(path, PlantedPayload(marker), joblib.dump)
    with pytest.raises(ModelLoadError, match="refusing to load a pickle"):
        load_model(path)
    assert not marker.exists()


def test_trusted_joblib_loads_with_warning(tiny_model, tmp_path):
    path = tmp_path / "m.joblib"
    save_model(tiny_model, path, format="joblib")
    with pytest.warns(UnsafeModelWarning, match="runs any code"):
        loaded = load_model(path, trust_model=True)
    np.testing.assert_allclose(loaded.predict_proba(SPAM_DOCS), tiny_model.predict_proba(SPAM_DOCS))
    result = runner.invoke(app, ["score", "-", "--format", "jsonl", "--model", str(path), "--trust-model"], input="新闻")
    assert result.exit_code == 0, result.output
    assert "warning:" in result.stderr and "runs any code" in result.stderr
    assert json.loads(result.stdout)["id"] == "stdin"


def test_legacy_skops_loads_converted_and_converts_to_json_npz(tiny_pipeline, tmp_path):
    from classifier.pipeline import from_pipeline

    path = tmp_path / "old.skops"
    legacy_skops(tiny_pipeline, path, threshold=0.4)
    loaded = load_model(path)
    assert loaded.threshold == 0.4
    expected = from_pipeline(tiny_pipeline).predict_proba(SPAM_DOCS + GENUINE_DOCS)
    np.testing.assert_array_equal(loaded.predict_proba(SPAM_DOCS + GENUINE_DOCS), expected)
    cpath = convert_model(path, tmp_path / "new.model")
    card = json.loads(cpath.read_text())
    assert card["model_format"] == "json-npz" and card["converted_from"]["model_file"] == "old.skops"
    converted = load_model(tmp_path / "new.model")
    np.testing.assert_array_equal(converted.predict_proba(SPAM_DOCS + GENUINE_DOCS), expected)
    assert converted.threshold == 0.4


def test_legacy_skops_type_outside_allow_list_refused(tiny_pipeline, tmp_path, monkeypatch):
    path = tmp_path / "old.skops"
    legacy_skops(tiny_pipeline, path)
    monkeypatch.setattr(persist, "ALLOWED_TYPES", ALLOWED_TYPES - {"classifier.parse.Parser"})
    with pytest.raises(ModelLoadError, match=r"outside the allow-list.*classifier\.parse\.Parser"):
        load_model(path)


def test_legacy_skops_other_sklearn_release_refused(tiny_pipeline, tmp_path):
    path = tmp_path / "old.skops"
    legacy_skops(tiny_pipeline, path)
    card = json.loads(card_path(path).read_text())
    card["versions"]["scikit-learn"] = "0.24.2"
    card_path(path).write_text(json.dumps(card))
    with pytest.raises(ModelLoadError, match=r"saved with scikit-learn 0\.24\.2.*build_default_model"):
        load_model(path)


def test_hash_mismatch_truncated_and_corrupt_file_refused(tiny_model, tmp_path):
    path = tmp_path / "m.model"
    save_model(tiny_model, path)
    data = path.read_bytes()
    path.write_bytes(data + b"x")
    with pytest.raises(ModelLoadError, match="does not match"):
        load_model(path)
    path.write_bytes(data[: len(data) // 2])
    rehash(path)
    with pytest.raises(ModelLoadError, match=r"m\.model"):
        load_model(path)
    path.write_bytes(b"PK\x03\x04 not really a zip")
    rehash(path)
    with pytest.raises(ModelLoadError):
        load_model(path, trust_model=False)
    corrupt = bytearray(data)  # flip bytes inside the compressed arrays: a zlib or CRC error
    middle = len(corrupt) // 2
    corrupt[middle:middle + 64] = bytes(64)
    path.write_bytes(bytes(corrupt))
    rehash(path)
    with pytest.raises(ModelLoadError, match=r"m\.model: truncated or corrupt"):
        load_model(path)


def _first_dense(spec):
    return next(f for f in spec["families"] if f["kind"] == "dense")


@pytest.mark.parametrize(
    ("edit_spec", "edit_arrays", "message"),
    [
        (lambda s: s.update(format_version=2), None, r"format version 2, this classifier reads version 1"),
        (lambda s: s.update(format="something-else"), None, r"not a classifier model file"),
        (lambda s: _first_dense(s)["featurizer"].update({"class": "os.system"}), None,
         r"unknown featurizer class 'os\.system'"),
        (lambda s: _first_dense(s).update(kind="callable"), None, r"unknown family kind 'callable'"),
        (lambda s: s["families"][0]["featurizer"]["params"].update(hash_bits=99), None, r"hash_bits"),
        (lambda s: s["families"][0]["featurizer"]["params"].update(evil="x"), None, r"unknown or non-scalar"),
        (None, lambda a: a.update({k: v[:-1] for k, v in a.items() if k.endswith(".coef")}),
         r"coef has shape .*expected"),
        (None, lambda a: a.update({k: np.array([object()] * 3) for k in list(a)[:1]}),
         r"truncated or corrupt.*allow_pickle"),
        (None, lambda a: a.pop(next(iter(a))), r"missing from arrays\.npz"),
    ],
    ids=["version", "format", "class", "kind", "param", "unknown-param", "shape", "object-array", "missing-array"],
)
def test_malformed_json_npz_refused_with_its_problem(tiny_model, tmp_path, edit_spec, edit_arrays, message):
    path = tmp_path / "m.model"
    save_model(tiny_model, path)
    rewrite(path, edit_spec, edit_arrays)
    with pytest.raises(ModelLoadError, match=r"m\.model.*" + message):
        load_model(path)


def test_missing_card_unknown_format_and_legacy_name(tiny_model, tmp_path):
    path = tmp_path / "m.model"
    save_model(tiny_model, path)
    card_path(path).unlink()
    with pytest.raises(ModelLoadError, match="model card m.card.json not found"):
        load_model(path)
    with pytest.raises(ModelLoadError, match="unknown model format 'pickle'"):
        save_model(tiny_model, path, format="pickle")
    with pytest.raises(ModelLoadError, match=r"\.skops is the name of an earlier model format"):
        save_model(tiny_model, tmp_path / "m.skops")
    assert not (tmp_path / "m.skops").exists()


def test_shipped_model_is_json_npz():
    path = persist.default_model_path()
    assert path.name == "default.model" and zipfile.is_zipfile(path)
    assert not (ROOT / "models" / "default.skops").exists() and not (ROOT / "models" / "default.joblib").exists()
    card = json.loads(card_path(path).read_text())
    assert card["model_file"] == "default.model" and card["model_sha256"] == sha256_file(path)
    assert card["model_format"] == "json-npz"


def test_shipped_model_scores_parasite_page():
    result = runner.invoke(app, ["score", str(ROOT / "datasets/examples/parasite_page.txt"), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)
    assert row["label"] == "spam" and row["probability"] > 0.99
