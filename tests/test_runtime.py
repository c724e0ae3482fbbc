"""Scoring without scikit-learn gives the fitted scikit-learn pipeline's numbers.

``SpamClassifier`` computes with numpy only (:mod:`classifier.model`); training fits a scikit-learn Pipeline
and converts it (:func:`classifier.pipeline.from_pipeline`). The reference below is the scoring and
explanation code as it ran on the pipeline before that split (HashingVectorizer, FeatureUnion transform,
``X @ coef + intercept``, contributions from the CSR row); the converted model, saved and loaded again, must
give the same probabilities and the same reasons.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.pipeline import Pipeline

from classifier.config import TrainConfig
from classifier.documents import load_labeled, read_file
from classifier.explain import (
    INJECTED_PHRASE,
    Explanation,
    Reason,
    _merge_injected_phrase,
    _phrase_evidence,
    _top_ngrams,
    explain,
)
from classifier.featurizers.tokens import token_ngrams
from classifier.model import sigmoid
from classifier.parse import parse_document
from classifier.persist import load_model, save_model
from classifier.pipeline import build_pipeline, from_pipeline

from .conftest import GENUINE_DOCS, ROOT, SPAM_DOCS

#: Largest allowed difference of a probability or contribution between the pipeline and the runtime model.
TOLERANCE = 1e-9
#: Written pages per file the tiny pipeline is fitted on (the rest are scored).
FIT_PER_FILE = 6


# -- the reference: scoring and reasons on the fitted pipeline, as before the runtime model -----------------
def _ref_explain(pipeline: Pipeline, docs) -> list[tuple[float, list[tuple], list]]:
    """``(probability, [(feature, value, contribution, evidence)], top_ngrams)`` per document."""
    parsed = [parse_document(d) for d in docs]
    union, clf = pipeline.named_steps["features"], pipeline.named_steps["clf"]
    blocks, raw, layout, offset = [], {}, [], 0
    for name, transformer in union.transformer_list:
        if isinstance(transformer, Pipeline):
            values = transformer.named_steps["measure"].transform(parsed)
            raw[name] = values
            blocks.append(sp.csr_matrix(Pipeline(transformer.steps[1:]).transform(values)))
            width = len(transformer.named_steps["measure"].feature_names)
        else:
            vectorizer = HashingVectorizer(analyzer=token_ngrams, n_features=2**transformer.hash_bits,
                                           alternate_sign=False, binary=True, norm="l2")
            blocks.append(sp.csr_matrix(vectorizer.transform(parsed)))
            width = 2**transformer.hash_bits
        layout.append((name, transformer, offset, width))
        offset += width
    X = sp.hstack(blocks, format="csr")
    coef = clf.coef_[0]
    decisions = np.asarray(X @ coef + clf.intercept_[0]).ravel()
    out = []
    for i, doc in enumerate(parsed):
        columns = X.indices[X.indptr[i]:X.indptr[i + 1]]
        contrib = X.data[X.indptr[i]:X.indptr[i + 1]] * coef[columns]
        expl = Explanation(decision=float(decisions[i]), intercept=0.0, probability=float(sigmoid(decisions[i])))
        evidence, ngrams = {}, []
        for name, transformer, first, width in layout:
            inside = (columns >= first) & (columns < first + width)
            if isinstance(transformer, Pipeline):
                measure = transformer.named_steps["measure"]
                dense = np.zeros(width)
                dense[columns[inside] - first] = contrib[inside]
                for j, fname in enumerate(measure.feature_names):
                    expl.reasons.append(Reason(f"{name}__{fname}", float(raw[name][i, j]), float(dense[j])))
                if name == "injection":
                    _merge_injected_phrase(expl, name)
                found = measure.evidence(doc)
                evidence.update({f"{name}__{k}": v for k, v in found.items()})
                evidence[f"{name}__{INJECTED_PHRASE}"] = _phrase_evidence(found, doc)
            else:
                keep = inside & (contrib != 0)
                ngrams = _top_ngrams(transformer, doc, columns[keep] - first, contrib[keep])
                evidence[name] = ", ".join(list(dict.fromkeys(g for g, _ in ngrams))[:3])
                expl.reasons.append(Reason(name, None, float(contrib[inside].sum())))
        reasons = [(r.feature, r.value, r.contribution, evidence.get(r.feature, "")) for r in expl.reasons]
        out.append((expl.probability, reasons, ngrams))
    return out


def assert_same_scores(model, pipeline, docs) -> None:
    expected = _ref_explain(pipeline, docs)
    got = explain(model, docs)
    assert len(got) == len(expected)
    for (probability, reasons, ngrams), expl in zip(expected, got):
        assert abs(expl.probability - probability) <= TOLERANCE
        mine = [(r.feature, r.value, r.contribution, r.evidence) for r in expl.reasons]
        assert [r[0] for r in mine] == [r[0] for r in reasons]
        for a, b in zip(mine, reasons):
            assert a[1] == b[1] or (a[1] is not None and abs(a[1] - b[1]) <= TOLERANCE), (a, b)
            assert abs(a[2] - b[2]) <= TOLERANCE, (a, b)
            assert a[3] == b[3], (a, b)
        assert [g for g, _ in expl.top_ngrams] == [g for g, _ in ngrams]
        np.testing.assert_allclose([v for _, v in expl.top_ngrams], [v for _, v in ngrams], rtol=0, atol=TOLERANCE)


@pytest.fixture(scope="module")
def written():
    """The project's written pages (datasets/written), a few per file for fitting, the others for scoring."""
    files = sorted((ROOT / "datasets" / "written").glob("*.jsonl"))
    fit, rest = [], []
    for path in files:
        docs = load_labeled([str(path)]).documents
        spam = [d for d in docs if d.label == "spam"][:FIT_PER_FILE]
        genuine = [d for d in docs if d.label == "genuine"][:FIT_PER_FILE]
        fit += spam + genuine
        rest += [d for d in docs if d not in spam and d not in genuine]
    return fit, rest


@pytest.fixture(scope="module")
def fitted(written):
    fit, _ = written
    pipeline = build_pipeline(TrainConfig(hash_bits=10))
    pipeline.fit(fit, [d.label for d in fit])
    return pipeline


def test_runtime_model_gives_the_pipelines_scores_and_reasons(fitted, written, tmp_path):
    fit, rest = written
    save_model(from_pipeline(fitted, threshold=0.5), tmp_path / "m.model")
    model = load_model(tmp_path / "m.model")
    examples = [read_file(p) for p in sorted((ROOT / "datasets" / "examples").iterdir())]
    docs = fit[:20] + rest + examples + GENUINE_DOCS + SPAM_DOCS + ["", "配资", "<html><body>代开发票</body></html>"]
    assert_same_scores(model, fitted, docs)


def test_runtime_decision_is_the_pipelines_decision(fitted, written):
    _, rest = written
    model = from_pipeline(fitted)
    np.testing.assert_array_equal(model.decision_function(rest), fitted.decision_function(rest))


# -- a cold `classifier score` never imports scikit-learn, skops or scipy -----------------------------------
SCORE_AND_LIST_MODULES = textwrap.dedent(
    """
    import json, sys
    from classifier.cli import app
    sys.argv = ["classifier", "score", sys.argv[1], "--format", "jsonl"]
    try:
        app()
    except SystemExit as exc:
        code = exc.code
    heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("sklearn", "skops", "scipy"))
    print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
    """
)


def test_cli_score_imports_no_sklearn_skops_or_scipy(tmp_path):
    page = tmp_path / "one.txt"
    page.write_text("一个测试页面，今天天气很好。\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", SCORE_AND_LIST_MODULES, str(page)], capture_output=True, text=True,
                          timeout=120)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] in (0, None), done.stderr
    assert json.loads(done.stdout)["label"] in ("genuine", "spam")
    assert report["heavy"] == []
