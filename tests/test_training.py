import json

import pytest

from classifier.config import TrainConfig
from classifier.errors import DatasetError
from classifier.training import cross_validate, is_held_out, plain_text_variants, train_model

from .conftest import GENUINE_DOCS, SPAM_DOCS


def write_jsonl(path, sources_per_label=4):
    rows = []
    for label, texts in (("genuine", GENUINE_DOCS), ("spam", SPAM_DOCS)):
        for i, text in enumerate(texts):
            rows.append({"id": f"{label}-{i}", "text": text, "label": label, "source": f"{label}{i % sources_per_label}"})
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def test_holdout_patterns_and_card(tmp_path):
    data = write_jsonl(tmp_path / "d.jsonl")
    result = train_model(data, TrainConfig(hash_bits=12, holdout=("genuine3", "spam3")))
    assert (result.n_train, result.n_holdout) == (12, 4)
    card = result.model.card
    assert card["training_data"]["by_label"] == {"genuine": 6, "spam": 6}
    assert card["holdout"]["by_source"] == {"genuine:genuine3": 2, "spam:spam3": 2}
    assert card["holdout"]["metrics"]["metrics"]["n_docs"] == 4
    assert len(card["training_data"]["sha256"]) == 64


def test_is_held_out_globs():
    from classifier.documents import Document

    doc = Document("genuine/news_waimei/rfi/a.txt", "x", "genuine", "news_waimei/rfi")
    assert is_held_out(doc, ("news_waimei/rfi",)) and is_held_out(doc, ("*/rfi",))
    assert not is_held_out(doc, ("news_waimei/cna",))


def test_plain_text_variants():
    from classifier.documents import Document

    html = Document("a", "<html><body><p>正文一</p><p>正文二</p></body></html>", "genuine", "s")
    plain = Document("b", "标题\n\n正文", "spam", "s")
    out = plain_text_variants([html, plain], 1.0, 0)
    assert [(d.id, d.text, d.label, d.meta["augmented"]) for d in out] == [("a#plain", "正文一\n正文二", "genuine", "plain_text")]


def test_grouped_cross_validation(tmp_path):
    data = write_jsonl(tmp_path / "d.jsonl")
    result = cross_validate(data, TrainConfig(hash_bits=12), k=2)
    assert len(result.folds) == 2
    for fold in result.folds:
        train_groups = {f"{lab}{i}" for lab in ("genuine", "spam") for i in range(4)} - set(fold["test_groups"])
        assert not train_groups & set(fold["test_groups"])
        assert fold["n_train"] + fold["n_test"] == 16
    assert set(result.summary["real"]) >= {"recall", "roc_auc"}
    assert 0.0 <= result.summary["real"]["recall"]["mean"] <= 1.0
    with pytest.raises(DatasetError, match="needs at least 9 distinct source groups"):
        cross_validate(data, TrainConfig(hash_bits=12), k=9)


def test_threshold_chosen_on_validation_sources(tmp_path):
    data = write_jsonl(tmp_path / "d.jsonl")
    cfg = TrainConfig(hash_bits=12, validation=("genuine3", "spam3"), max_false_positive_rate=0.0)
    result = train_model(data, cfg)
    choice = result.model.card["threshold_choice"]
    assert choice["n_genuine"] == 2 and choice["n_spam"] == 2
    assert choice["validation_false_positive_rate"] == 0.0
    assert result.model.threshold == choice["threshold"]
    assert result.n_train == 16  # the final model is fitted on the validation sources too


def test_validation_groups_balanced_whole_sources():
    from classifier.documents import Document
    from classifier.training import validation_groups

    sizes = {"a": 5, "b": 4, "c": 3, "d": 2, "e": 1}
    docs = [Document(f"{s}{i}", "x", "genuine", s) for s, n in sizes.items() for i in range(n)]
    # largest first, each to the group with the fewest documents so far: a | b | c, then d -> c's group, e -> b's
    assert validation_groups(docs, docs, 3) == [["a"], ["b", "e"], ["c", "d"]]
    assert validation_groups(docs, docs, 1) == [["a", "b", "c", "d", "e"]]
    with pytest.raises(DatasetError, match="validation_folds=6 needs at least 6 validation sources, found 5"):
        validation_groups(docs, docs, 6)


def test_threshold_from_validation_folds_scores_every_source_out_of_fold(tmp_path, monkeypatch):
    import classifier.training as training

    fitted = []
    real_fit = training.fit_model

    def recording_fit(docs, config):
        fitted.append({str(d.source) for d in docs})
        return real_fit(docs, config)

    monkeypatch.setattr(training, "fit_model", recording_fit)
    data = write_jsonl(tmp_path / "d.jsonl")
    cfg = TrainConfig(hash_bits=12, validation=("genuine*", "spam1", "spam2"), validation_folds=2, max_false_positive_rate=0.0)
    result = train_model(data, cfg)
    choice = result.model.card["threshold_choice"]
    groups = [set(f["sources"]) for f in choice["folds"]]
    assert len(groups) == 2 and not groups[0] & groups[1]
    assert groups[0] | groups[1] == {"genuine0", "genuine1", "genuine2", "genuine3", "spam1", "spam2"}
    assert sum(f["n_genuine"] for f in choice["folds"]) == choice["n_genuine"] == 8
    # one model per group, fitted without that group's sources and with the other group's; then the final model
    assert len(fitted) == 3
    for group, sources in zip(groups, fitted[:2]):
        assert not group & sources and (groups[0] | groups[1]) - group <= sources
    assert fitted[2] >= groups[0] | groups[1]
    assert choice["validation_false_positive_rate"] == 0.0 and result.model.threshold == choice["threshold"]


def test_build_script_uses_the_threshold_recipe_of_the_measurement_scripts():
    # scripts/build_default_model.sh spells the recipe in shell; lovo.py, ablation.py and threshold_outlets.py
    # import it from scripts/_common.py: the two must not drift apart
    import re
    import sys
    from pathlib import Path

    scripts = Path(__file__).resolve().parent.parent / "scripts"
    sys.path.insert(0, str(scripts))
    try:
        import _common
    finally:
        sys.path.remove(str(scripts))
    build = (scripts / "build_default_model.sh").read_text(encoding="utf-8")
    assert float(re.search(r"--max-fpr (\S+)", build).group(1)) == _common.MAX_VALIDATION_FPR
    assert int(re.search(r"^VALIDATION_FOLDS=(\d+)$", build, re.M).group(1)) == _common.THRESHOLD_FOLDS
    assert tuple(re.findall(r"'([^']+)'", re.search(r"^VALIDATION=\((.*)\)$", build, re.M).group(1))) == (
        _common.THRESHOLD_VALIDATION
    )
    holdout = re.search(r"^HOLDOUT=\((.*?)\)$", build, re.M | re.S).group(1).split()
    assert tuple(holdout) == _common.HOLDOUT
