import numpy as np
import pytest

from classifier.errors import DatasetError
from classifier.evaluate import (
    calibration_table,
    compute_metrics,
    evaluate_model,
    sweep_thresholds,
    threshold_for,
)


def test_known_confusion_matrix():
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0], bool)
    p = np.array([0.9, 0.8, 0.7, 0.2, 0.6, 0.1, 0.1, 0.1, 0.1, 0.1])
    m = compute_metrics(y, p, 0.5)
    assert m.confusion == {"tp": 3, "fp": 1, "tn": 5, "fn": 1}
    assert (m.precision, m.recall) == (0.75, 0.75)
    assert m.false_positive_rate == pytest.approx(1 / 6)
    assert m.roc_auc == pytest.approx(23 / 24)


def test_threshold_for_targets():
    y = np.array([1, 1, 1, 0, 0], bool)
    p = np.array([0.9, 0.8, 0.3, 0.7, 0.1])
    assert threshold_for(y, p, target_precision=1.0) == 0.7
    assert threshold_for(y, p, target_recall=2 / 3) == 0.7
    assert threshold_for(y, p, target_recall=1.0) == 0.1
    with pytest.raises(DatasetError, match="exactly one"):
        threshold_for(y, p)


def test_sweep_and_calibration_shapes():
    y = np.array([1, 0], bool)
    p = np.array([0.95, 0.05])
    sweep = sweep_thresholds(y, p, steps=11)
    assert [round(r["threshold"], 1) for r in sweep][:3] == [0.0, 0.1, 0.2]
    assert sweep[5]["precision"] == 1.0 and sweep[5]["recall"] == 1.0
    cal = calibration_table(y, p, bins=10)
    assert (cal[0]["n"], cal[9]["n"], cal[9]["spam_rate"]) == (1, 1, 1.0)


def test_evaluate_model_on_training_docs(tiny_model, tiny_docs):
    result = evaluate_model(tiny_model, tiny_docs)
    assert result.metrics.n_docs == 16
    assert result.metrics.support_spam == 8
    assert result.metrics.recall == 1.0 and result.metrics.precision == 1.0
    assert {row["source"] for row in result.per_source} == {"news", "promo"}
    assert list(result.subsets) == ["real"]


def test_evaluate_with_target_precision(tiny_model, tiny_docs):
    result = evaluate_model(tiny_model, tiny_docs, target_precision=1.0)
    assert result.target["target_precision"] == 1.0 and result.target["chosen_on"] == "real documents"
    assert result.metrics.threshold == result.target["threshold"]
    assert result.metrics.precision == 1.0 and result.metrics.recall == 1.0
    assert len(result.pr_curve["precision"]) == len(result.pr_curve["recall"])


def test_with_threshold_records_choice(tiny_model):
    from classifier.model import with_threshold

    copy = with_threshold(tiny_model, 0.8, {"target_precision": 0.99})
    assert copy.threshold == 0.8 and tiny_model.threshold == 0.5
    assert copy.card["threshold_history"][-1] == {"from": 0.5, "to": 0.8, "target_precision": 0.99}
    assert "threshold_history" not in tiny_model.card


def test_plot_png_shows_curves(tiny_model, tiny_docs, tmp_path):
    pytest.importorskip("matplotlib")
    import matplotlib.image as mpimg

    from classifier.report import plot_curves

    path = tmp_path / "curves.png"
    plot_curves(evaluate_model(tiny_model, tiny_docs), path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = mpimg.imread(path)
    assert pixels.shape[1] > pixels.shape[0] > 400  # two panels side by side
    blue = (pixels[..., 2] > 0.6) & (pixels[..., 0] < 0.3)  # the tab:blue curve is drawn
    assert blue.sum() > 100
