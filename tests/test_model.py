import json

import numpy as np
import pytest

from classifier.documents import Document, read_file
from classifier.errors import DatasetError, ModelLoadError
from classifier.explain import explain
from classifier.model import fit_model, source_weights
from classifier.persist import card_path, load_model, save_model

from .conftest import GENUINE_DOCS, SPAM_DOCS


def test_source_weights_balance_labels():
    w = source_weights(["spam"] * 4 + ["genuine"] * 2, ["a", "a", "a", "b", "c", "c"])
    assert w[:4].sum() == pytest.approx(3.0) and w[4:].sum() == pytest.approx(3.0)
    assert w[3] == pytest.approx(w[0] * 3**0.5)  # a single-doc source weighs sqrt(3) more per doc


def test_fit_needs_both_labels():
    with pytest.raises(DatasetError, match="both labels"):
        fit_model([Document("a", "新闻", "genuine", "s")])


def test_tiny_model_separates_training_docs(tiny_model, tiny_docs):
    proba = tiny_model.predict_proba(tiny_docs)
    assert (proba[:8] < 0.5).all() and (proba[8:] > 0.5).all()


def test_contributions_add_up_to_decision(tiny_model):
    docs = GENUINE_DOCS + SPAM_DOCS + [t[: len(t) // 2] for t in GENUINE_DOCS[:2] + SPAM_DOCS[:2]]
    assert len(docs) == 20
    decisions = tiny_model.decision_function(docs)
    for expl, decision in zip(explain(tiny_model, docs), decisions):
        total = expl.intercept + sum(r.contribution for r in expl.reasons)
        assert abs(total - decision) < 1e-6
        assert abs(sum(expl.families.values()) + expl.intercept - decision) < 1e-6


def test_save_load_roundtrip_and_hash_check(tiny_model, tmp_path):
    path = tmp_path / "m.model"
    save_model(tiny_model, path)
    loaded = load_model(path)
    np.testing.assert_allclose(loaded.predict_proba(SPAM_DOCS), tiny_model.predict_proba(SPAM_DOCS))
    card = json.loads(card_path(path).read_text())
    assert card["threshold"] == 0.5 and "scikit-learn" in card["versions"]
    path.write_bytes(path.read_bytes() + b"x")
    with pytest.raises(ModelLoadError, match="does not match"):
        load_model(path)


def test_json_npz_model_loads_under_any_sklearn_release(tiny_model, tmp_path):
    """The json-npz file holds numbers, not scikit-learn objects: the release recorded in the card does not
    matter (legacy skops files are still checked: test_persist.py)."""
    path = tmp_path / "m.model"
    save_model(tiny_model, path)
    card = json.loads(card_path(path).read_text())
    card["versions"]["scikit-learn"] = "0.24.2"
    card_path(path).write_text(json.dumps(card))
    np.testing.assert_array_equal(load_model(path).predict_proba(SPAM_DOCS), tiny_model.predict_proba(SPAM_DOCS))


# --- the shipped model -------------------------------------------------------------------------------
ARTICLE_TITLE = "本市启动老旧小区改造三年行动"
ARTICLE_PARAS = [
    "本报讯 记者昨日从市住房和城乡建设局获悉,本市正式启动老旧小区改造三年行动,计划改造小区六百个,惠及居民约十五万户。",
    "市住建局有关负责人介绍,改造内容分为基础类、完善类和提升类三类,包括水电气管网更新、加装电梯、增设停车位和充电设施等。",
    "据了解,改造资金采取政府补助、居民出资和社会资本参与相结合的方式。居民可以提取住房公积金用于加装电梯。",
    "该负责人表示,改造将坚持先征求意见再实施的原则,每个项目开工前都要经过居民议事会讨论,确保改造符合群众需要。",
]


def test_shipped_model_loads_and_scores(shipped_model):
    assert shipped_model.card["model_sha256"]
    p = shipped_model.predict_proba([ARTICLE_TITLE + "\n\n" + "\n".join(ARTICLE_PARAS)])[0]
    assert p < shipped_model.threshold


def test_format_invariance(shipped_model):
    txt = ARTICLE_TITLE + "\n\n" + "\n\n".join(ARTICLE_PARAS)
    md = f"---\ntitle: {ARTICLE_TITLE}\n---\n# {ARTICLE_TITLE}\n\n" + "\n\n".join(ARTICLE_PARAS)
    html = f"<html><head><title>{ARTICLE_TITLE}</title></head><body><h1>{ARTICLE_TITLE}</h1>" + "".join(
        f"<p>{p}</p>" for p in ARTICLE_PARAS
    ) + "</body></html>"
    proba = shipped_model.predict_proba([txt, md, html])
    labels = shipped_model.predict([txt, md, html])
    assert len(set(labels)) == 1
    assert proba.max() - proba.min() <= 0.05


def test_script_invariance(shipped_model):
    import opencc

    simplified = ARTICLE_TITLE + "\n\n" + "\n".join(ARTICLE_PARAS)
    traditional = opencc.OpenCC("s2t").convert(simplified)
    assert traditional != simplified
    proba = shipped_model.predict_proba([simplified, traditional])
    assert abs(proba[0] - proba[1]) <= 0.05


def test_seeds(shipped_model, shared_dir):
    genuine = read_file(next((shared_dir / "seeds" / "genuine").glob("*.txt")))
    spam = read_file(next((shared_dir / "seeds" / "spam").glob("*.txt")))
    p_genuine, p_spam = shipped_model.predict_proba([genuine, spam])
    t = shipped_model.threshold
    assert p_genuine <= t - 0.2
    assert p_spam >= t + 0.2
    top = explain(shipped_model, [spam])[0].top(3, "spam")
    assert any(r.feature.startswith("injection__") for r in top)


def test_cropped_genuine_fpr(tiny_model, tiny_docs):
    from classifier.training import cropped_genuine_fpr

    result = cropped_genuine_fpr(tiny_model, tiny_docs)
    assert result["n"] == 8 and result["crop_chars"] == 1000
    assert result["false_positive_rate"] == 0.0 and result["false_positive_rate_full_text"] == 0.0


def test_load_config_toml(tmp_path):
    from classifier.config import load_config
    from classifier.errors import ConfigError

    path = tmp_path / "c.toml"
    path.write_text('families = ["tokens", "links"]\nregularization_c = 2.0\n', encoding="utf-8")
    cfg = load_config(path)
    assert cfg.families == ("tokens", "links") and cfg.regularization_c == 2.0
    path.write_text("colour = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown config keys \\['colour'\\]"):
        load_config(path)
