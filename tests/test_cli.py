import json

from typer.testing import CliRunner

from classifier.cli import app

from .conftest import GENUINE_DOCS, ROOT, SPAM_DOCS

runner = CliRunner(env={"COLUMNS": "300"})


def write_corpus(root):
    for label, texts in (("genuine", GENUINE_DOCS), ("spam", SPAM_DOCS)):
        folder = root / label / "src"
        folder.mkdir(parents=True)
        for i, t in enumerate(texts):
            (folder / f"{i}.txt").write_text(t, encoding="utf-8")


def test_score_jsonl_rows(tmp_path):
    (tmp_path / "a.txt").write_text(SPAM_DOCS[0], encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x00binary")
    result = runner.invoke(app, ["score", str(tmp_path), "--format", "jsonl"])
    assert result.exit_code == 1
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    assert set(rows[0]) == {"id", "label", "probability", "threshold", "reasons", "error"}
    assert rows[0]["label"] in ("genuine", "spam") and len(rows[0]["reasons"]) <= 3 and rows[0]["error"] == ""
    assert rows[1]["label"] is None and "binary content" in rows[1]["error"]
    assert "could not be scored" in result.stderr


def test_score_stdin_csv_threshold():
    result = runner.invoke(app, ["score", "-", "--format", "csv", "--threshold", "0.99"], input=GENUINE_DOCS[0])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "id,label,probability,threshold,reasons,error"
    assert lines[1].startswith("stdin,genuine,") and ",0.99," in lines[1]


def test_missing_path_is_usage_error(tmp_path):
    result = runner.invoke(app, ["score", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_train_evaluate_explain(tmp_path):
    write_corpus(tmp_path / "data")
    model = tmp_path / "m.model"
    result = runner.invoke(app, ["train", str(tmp_path / "data"), "--out", str(model)])
    assert result.exit_code == 0, result.output
    assert "trained on 16 documents" in result.stdout
    report = tmp_path / "eval.json"
    result = runner.invoke(app, ["evaluate", str(tmp_path / "data"), "--model", str(model), "--json", str(report)])
    assert result.exit_code == 0, result.output
    metrics = json.loads(report.read_text())["metrics"]
    assert (metrics["support_spam"], metrics["support_genuine"], metrics["recall"]) == (8, 8, 1.0)
    assert "Confusion matrix" in result.stdout
    doc = tmp_path / "data" / "spam" / "src" / "0.txt"
    result = runner.invoke(app, ["explain", str(doc), "--model", str(model)])
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{doc}: spam  probability ")
    assert "= intercept" in result.stdout and "Contribution by family" in result.stdout
    assert "intent__numbered_brand_line_count" in result.stdout
    assert "page furniture set aside" not in result.stdout  # none on this page
    # a page with a site footer: the furniture is listed as set aside, not scored
    page = tmp_path / "page.txt"
    page.write_text("社区食堂开张\n社区食堂今天开张,老人用餐可享八折。\n版权所有 某某日报社 鄂ICP备12345678号\n", encoding="utf-8")
    result = runner.invoke(app, ["explain", str(page), "--model", str(model)])
    assert result.exit_code == 0, result.output
    tail = result.stdout.split("page furniture set aside, not scored (1 lines):")[1]
    assert tail.strip() == "版权所有 某某日报社 鄂ICP备12345678号"


def test_evaluate_bad_data_exit_1(tmp_path):
    (tmp_path / "x.jsonl").write_text('{"text": "a"}\n', encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(tmp_path / "x.jsonl")])
    assert result.exit_code == 1
    assert "no labeled documents" in result.stderr


def test_evaluate_target_writes_model_copy_and_plot(tmp_path):
    import pytest

    pytest.importorskip("matplotlib")
    write_corpus(tmp_path / "data")
    model = tmp_path / "m.model"
    assert runner.invoke(app, ["train", str(tmp_path / "data"), "--out", str(model)]).exit_code == 0
    copy, png = tmp_path / "tuned.model", tmp_path / "pr.png"
    result = runner.invoke(app, ["evaluate", str(tmp_path / "data"), "--model", str(model), "--target-precision", "1.0",
                                 "--write-model", str(copy), "--plot", str(png)])
    assert result.exit_code == 0, result.output
    card = json.loads((tmp_path / "tuned.card.json").read_text())
    assert card["threshold_history"][-1]["target_precision"] == 1.0
    assert card["threshold"] == card["threshold_history"][-1]["to"]
    assert png.stat().st_size > 10_000
    both = runner.invoke(app, ["evaluate", str(tmp_path / "data"), "--model", str(model), "--target-precision", "0.9",
                               "--target-recall", "0.9"])
    assert both.exit_code == 2


def write_four_sources(root):
    """The test documents as label/srcN/i.txt: four sources per label, two documents each."""
    for label, texts in (("genuine", GENUINE_DOCS), ("spam", SPAM_DOCS)):
        for i, t in enumerate(texts):
            folder = root / label / f"src{i % 4}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{i}.txt").write_text(t, encoding="utf-8")


def test_train_cv(tmp_path):
    write_four_sources(tmp_path / "data")
    result = runner.invoke(app, ["train", str(tmp_path / "data"), "--out", str(tmp_path / "m.model"), "--cv", "2"])
    assert result.exit_code == 0, result.output
    assert "2-fold cross-validation grouped by source (2 folds run)" in result.stdout
    assert "real documents: mean ± std over folds" in result.stdout
    assert not (tmp_path / "m.model").exists()


def test_train_prints_the_threshold_chosen_per_validation_group(tmp_path):
    write_four_sources(tmp_path / "data")
    args = ["train", str(tmp_path / "data"), "--out", str(tmp_path / "m.model"), "--validation", "src1",
            "--validation", "src2", "--validation", "src3", "--validation-folds", "2", "--max-fpr", "0"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "of 6 real genuine validation documents flagged (measured 0.00%)" in result.stdout
    assert "False positives at the threshold per validation group" in result.stdout
    rows = [line for line in result.stdout.splitlines() if "src" in line and "%" in line]
    assert len(rows) == 2 and all(line.rstrip(" │").endswith("0.00%") for line in rows), rows
    failed = runner.invoke(app, [*args[:-4], "--validation-folds", "9"])
    assert failed.exit_code == 1 and "validation_folds=9 needs at least 9 validation sources, found 3" in failed.stderr


def test_train_refuses_a_legacy_model_name_before_training(tmp_path):
    result = runner.invoke(app, ["train", str(ROOT / "datasets" / "written"), "--out", str(tmp_path / "m.skops")])
    assert result.exit_code == 1 and "earlier model format" in result.stderr
    assert "trained on" not in result.stdout and not (tmp_path / "m.skops").exists()
