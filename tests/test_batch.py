"""classifier.batch: score_frame and FrameScorer give, row for row, what score_documents gives."""

from __future__ import annotations

import json
import pickle

import pytest

from classifier.batch import (
    BLANK_TEXT_REASON,
    NO_TEXT_REASON,
    OUTPUT_COLUMNS,
    FrameScorer,
    cached_model,
    clear_model_cache,
    records_to_inputs,
    score_frame,
)
from classifier.documents import Document
from classifier.errors import ClassifierError, InputError
from classifier.persist import save_model
from classifier.scoring import score_documents

from .conftest import GENUINE_DOCS, SPAM_DOCS

pd = pytest.importorskip("pandas")


def sample_frame():
    texts = GENUINE_DOCS + SPAM_DOCS
    return pd.DataFrame({"id": [f"doc-{i}" for i in range(len(texts))], "text": texts})


def assert_same_rows(frame, rows):
    """Every field of the frame equals the ScoreRow's (probability exactly, reasons through JSON)."""
    assert len(frame) == len(rows)
    for (_, got), row in zip(frame.iterrows(), rows):
        assert got["id"] == row.id
        assert got["label"] == row.label
        if row.probability is None:
            assert got["probability"] != got["probability"]  # NaN
        else:
            assert got["probability"] == row.probability
        assert got["threshold"] == row.threshold
        assert json.loads(got["reasons"]) == row.reasons
        assert got["error"] == row.error


def test_score_frame_equals_score_documents(tiny_model):
    df = sample_frame()
    out = score_frame(df, tiny_model)
    expected = list(score_documents(tiny_model, [Document(id=i, text=t) for i, t in zip(df["id"], df["text"])]))
    assert list(out.columns) == list(OUTPUT_COLUMNS)
    assert_same_rows(out, expected)
    assert set(out["label"]) == {"genuine", "spam"}
    assert out.loc[out["id"] == "doc-8", "label"].item() == "spam"  # SPAM_DOCS[0]


def test_score_frame_threshold_and_index(tiny_model):
    df = sample_frame().set_index(pd.Index(range(100, 116)))
    out = score_frame(df, tiny_model, threshold=0.0)
    assert list(out.index) == list(range(100, 116))
    assert set(out["label"]) == {"spam"} and set(out["threshold"]) == {0.0}


def test_bad_records_become_error_rows(tiny_model):
    records = [
        {"id": "blank", "text": "   "},
        {"id": "none", "text": None},
        {"id": "number", "text": 42},
        {"id": "html", "html": "<p>" + SPAM_DOCS[3] + "</p>"},
        {"text": GENUINE_DOCS[0]},
        {"id": "", "text": GENUINE_DOCS[1]},
    ]
    out = score_frame(records, tiny_model)
    assert list(out["id"]) == ["blank", "none", "number", "html", "row:4", "row:5"]
    assert list(out["error"]) == [BLANK_TEXT_REASON, NO_TEXT_REASON, NO_TEXT_REASON, "", "", ""]
    assert out.loc[0, "label"] is None and out.loc[0, "reasons"] == "[]"
    assert out.loc[3, "label"] == "spam"
    inputs = records_to_inputs(records)
    assert isinstance(inputs[0], InputError) and inputs[3].text.startswith("<p>")


def test_frame_missing_values_fall_back_to_html(tiny_model):
    df = pd.DataFrame({"id": ["a", None], "text": [None, GENUINE_DOCS[2]], "html": ["<p>" + SPAM_DOCS[1] + "</p>", None]})
    out = score_frame(df, tiny_model)
    assert list(out["id"]) == ["a", "row:1"] and list(out["error"]) == ["", ""]


def test_score_frame_rejects_non_records(tiny_model):
    with pytest.raises(ClassifierError, match="expected a pandas DataFrame or an iterable of records, got int"):
        score_frame(3, tiny_model)
    with pytest.raises(ClassifierError, match="expected records as mappings .* got a str"):
        score_frame(["text"], tiny_model)


def test_frame_scorer_pickles_and_loads_once(tiny_model, tmp_path):
    path = tmp_path / "tiny.model"
    save_model(tiny_model, path)
    clear_model_cache()
    scorer = FrameScorer(path, threshold=0.5)
    clone = pickle.loads(pickle.dumps(scorer))
    assert clone.model_path == path and len(pickle.dumps(scorer)) < 1000  # the path travels, not the model
    df = sample_frame()
    out = clone(df)
    assert_same_rows(out, list(score_documents(tiny_model, [Document(id=i, text=t) for i, t in zip(df["id"], df["text"])], 0.5)))
    assert cached_model(path) is cached_model(str(path))  # cached by resolved path
    first = cached_model(path)
    clear_model_cache()
    assert cached_model(path) is not first
    assert FrameScorer.meta().empty and list(FrameScorer.meta().columns) == list(OUTPUT_COLUMNS)
