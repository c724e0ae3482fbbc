"""Model files: skops by default and checked against an allow-list; pickles only when trusted."""

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
from classifier.errors import ModelLoadError
from classifier.persist import (
    ALLOWED_TYPES,
    UnsafeModelWarning,
    card_path,
    load_model,
    save_model,
    sha256_file,
)

from .conftest import ROOT, SPAM_DOCS

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


def test_card_path_names():
    assert card_path("m/default.skops").name == "default.card.json"
    assert card_path("m/old.joblib").name == "old.card.json"
    assert card_path("m/model").name == "model.card.json"


def test_skops_roundtrip_records_checked_types(tiny_model, tmp_path):
    path = tmp_path / "m.skops"
    save_model(tiny_model, path)
    assert zipfile.is_zipfile(path)
    card = json.loads(card_path(path).read_text())
    assert card["model_format"] == "skops" and card["model_file"] == "m.skops"
    assert "classifier.model.SpamClassifier" in card["skops_types"]
    assert set(card["skops_types"]) <= ALLOWED_TYPES
    loaded = load_model(path)
    np.testing.assert_allclose(loaded.predict_proba(SPAM_DOCS), tiny_model.predict_proba(SPAM_DOCS))


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


def test_planted_pickle_renamed_skops_refused(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.skops"
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


def test_skops_type_outside_allow_list_refused(tiny_model, tmp_path, monkeypatch):
    path = tmp_path / "m.skops"
    save_model(tiny_model, path)
    monkeypatch.setattr(persist, "ALLOWED_TYPES", ALLOWED_TYPES - {"classifier.parse.Parser"})
    with pytest.raises(ModelLoadError, match=r"outside the allow-list.*classifier\.parse\.Parser"):
        load_model(path)
    with pytest.raises(ModelLoadError, match=r"cannot save .*classifier\.parse\.Parser"):
        save_model(tiny_model, tmp_path / "n.skops")
    assert not (tmp_path / "n.skops").exists()


def test_hash_mismatch_and_corrupt_file_refused(tiny_model, tmp_path):
    path = tmp_path / "m.skops"
    save_model(tiny_model, path)
    path.write_bytes(path.read_bytes() + b"x")
    with pytest.raises(ModelLoadError, match="does not match"):
        load_model(path)
    path.write_bytes(b"PK\x03\x04 not really a zip")
    card = json.loads(card_path(path).read_text())
    card["model_sha256"] = sha256_file(path)
    card_path(path).write_text(json.dumps(card))
    with pytest.raises(ModelLoadError):
        load_model(path, trust_model=False)


def test_missing_card_and_unknown_format(tiny_model, tmp_path):
    path = tmp_path / "m.skops"
    save_model(tiny_model, path)
    card_path(path).unlink()
    with pytest.raises(ModelLoadError, match="model card m.card.json not found"):
        load_model(path)
    with pytest.raises(ModelLoadError, match="unknown model format 'pickle'"):
        save_model(tiny_model, path, format="pickle")


def test_shipped_model_is_skops():
    path = persist.default_model_path()
    assert path.name == "default.skops" and zipfile.is_zipfile(path)
    assert not (ROOT / "models" / "default.joblib").exists()
    card = json.loads(card_path(path).read_text())
    assert card["model_file"] == "default.skops" and card["model_sha256"] == sha256_file(path)


def test_shipped_model_scores_parasite_page():
    result = runner.invoke(app, ["score", str(ROOT / "datasets/examples/parasite_page.txt"), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)
    assert row["label"] == "spam" and row["probability"] > 0.99
