"""[report] Render results as Rich tables, JSON Lines, CSV or JSON. The only library module that prints."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # evaluate pulls in sklearn.metrics; score does not need it
    from classifier.evaluate import EvalResult, Metrics
    from classifier.explain import DocumentExplanation
    from classifier.scoring import ScoreRow

ROW_FIELDS = ("id", "label", "probability", "threshold", "reasons", "error")


def reason_text(reason: dict) -> str:
    from classifier.explain import Reason  # here, not at the top: `classifier --help` need not import sklearn

    return Reason(**reason).as_text()


def write_rows(rows: Iterable[ScoreRow], fmt: str, stream, console: Console | None = None) -> Iterator[ScoreRow]:
    """Write rows as they come (jsonl, csv) or as one table at the end; yields each row after writing it."""
    if fmt == "jsonl":
        for row in rows:
            stream.write(json.dumps(row.to_dict(), ensure_ascii=False) + "\n")
            stream.flush()
            yield row
    elif fmt == "csv":
        writer = csv.writer(stream)
        writer.writerow(ROW_FIELDS)
        for row in rows:
            d = row.to_dict()
            d["reasons"] = "; ".join(reason_text(r) for r in row.reasons)
            writer.writerow([("" if d[k] is None else d[k]) for k in ROW_FIELDS])
            stream.flush()
            yield row
    else:
        table = Table(show_lines=False)
        for name in ("id", "label", "probability", "reasons", "error"):
            table.add_column(name, overflow="fold")
        for row in rows:
            style = {"spam": "red", "genuine": "green"}.get(row.label or "", "yellow")
            table.add_row(
                row.id,
                Text(row.label or "-", style=style),
                "-" if row.probability is None else f"{row.probability:.3f}",
                "\n".join(reason_text(r) for r in row.reasons),
                row.error,
            )
            yield row
        (console or Console(file=stream)).print(table)


def _metric_rows(name: str, m: Metrics) -> list[str]:
    fmt = lambda v: "-" if v is None else f"{v:.4f}"  # noqa: E731
    return [
        name,
        str(m.n_docs),
        f"{m.support_spam}/{m.support_genuine}",
        fmt(m.precision),
        fmt(m.recall),
        fmt(m.f1),
        fmt(m.false_positive_rate),
        fmt(m.roc_auc),
        fmt(m.pr_auc),
        fmt(m.brier),
    ]


def render_eval(result: EvalResult, console: Console) -> None:
    """Metrics (all / real / synthetic apart), confusion matrix, calibration, per-source, worst errors."""
    table = Table(title=f"Spam class at threshold {result.metrics.threshold:.3f}")
    for col in ("subset", "docs", "spam/genuine", "precision", "recall", "f1", "fp_rate", "roc_auc", "pr_auc", "brier"):
        table.add_column(col, justify="right" if col != "subset" else "left")
    table.add_row(*_metric_rows("all", result.metrics))
    for name, m in result.subsets.items():
        table.add_row(*_metric_rows(name, m))
    console.print(table)
    c = result.metrics.confusion
    cm = Table(title="Confusion matrix (rows: true, columns: predicted)")
    cm.add_column("")
    cm.add_column("spam", justify="right")
    cm.add_column("genuine", justify="right")
    cm.add_row("spam", str(c["tp"]), str(c["fn"]))
    cm.add_row("genuine", str(c["fp"]), str(c["tn"]))
    console.print(cm)
    cal = Table(title="Calibration (reliability)")
    for col in ("bin", "n", "mean_probability", "spam_rate"):
        cal.add_column(col, justify="right")
    for row in result.calibration:
        if row["n"]:
            cal.add_row(row["bin"], str(row["n"]), f"{row['mean_probability']:.3f}", f"{row['spam_rate']:.3f}")
    console.print(cal)
    src = Table(title="Per source (recall for spam sources, false-positive rate for genuine ones)")
    for col in ("source", "label", "kind", "n", "flagged", "mean_probability"):
        src.add_column(col, justify="left" if col in ("source", "label", "kind") else "right")
    for row in result.per_source:
        src.add_row(
            row["source"], row["label"], "synthetic" if row["synthetic"] else "real", str(row["n"]),
            f"{row['flagged']:.3f}", f"{row['mean_probability']:.3f}",
        )
    console.print(src)
    if result.worst_errors:
        worst = Table(title=f"Worst {len(result.worst_errors)} errors")
        for col in ("id", "label", "probability", "reasons"):
            worst.add_column(col, overflow="fold")
        for row in result.worst_errors:
            worst.add_row(row["id"], row["label"], f"{row['probability']:.3f}", "\n".join(row["reasons"]))
        console.print(worst)
    if result.sweep:
        sweep = Table(title="Threshold sweep")
        for col in ("threshold", "precision", "recall", "false_positive_rate"):
            sweep.add_column(col, justify="right")
        for row in result.sweep[::5]:
            sweep.add_row(*(f"{row[k]:.3f}" for k in ("threshold", "precision", "recall", "false_positive_rate")))
        console.print(sweep)


def eval_json(result: EvalResult) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2)


def render_explanation(result: DocumentExplanation, console: Console) -> None:
    """Probability and threshold, family contributions, all non-zero reasons, top n-grams, highlighted text, and
    the page furniture lines set aside (not scored)."""
    doc_id, expl, threshold = result.id, result.explanation, result.threshold
    label = "spam" if expl.probability > threshold else "genuine"
    console.print(f"{doc_id}: {label}  probability {expl.probability:.4f}  threshold {threshold:.3f}")
    console.print(f"decision value {expl.decision:+.4f} = intercept {expl.intercept:+.4f} + sum of contributions")
    fam = Table(title="Contribution by family")
    fam.add_column("family")
    fam.add_column("contribution", justify="right")
    for name, value in sorted(expl.families.items(), key=lambda kv: -abs(kv[1])):
        fam.add_row(name, f"{value:+.4f}")
    console.print(fam)
    reasons = Table(title="Signals (largest first)")
    for col in ("feature", "value", "contribution", "evidence"):
        reasons.add_column(col, overflow="fold")
    for r in sorted(expl.reasons, key=lambda r: -abs(r.contribution)):
        if abs(r.contribution) < 1e-9:
            continue
        reasons.add_row(r.feature, "-" if r.value is None else f"{r.value:.4g}", f"{r.contribution:+.4f}", r.evidence)
    console.print(reasons)
    if expl.top_ngrams:
        console.print("top n-grams: " + ", ".join(f"{g}({c:+.3f})" for g, c in expl.top_ngrams))
    body = Text(result.text)
    for start, end, style in result.spans:
        body.stylize(style, start, end)
    console.print("text (injected phrases bold red, contact details underlined):")
    console.print(body)
    if result.furniture:
        console.print(f"page furniture set aside, not scored ({len(result.furniture)} lines):")
        console.print(Text("\n".join(result.furniture), style="dim"))


def render_train(result, console: Console) -> None:
    console.print(f"trained on {result.n_train} documents, held out {result.n_holdout}")
    choice = result.model.card.get("threshold_choice")
    if choice:
        render_threshold_choice(choice, console)
    if result.holdout_eval is not None:
        render_eval(result.holdout_eval, console)


def render_threshold_choice(choice: dict, console: Console) -> None:
    """The threshold chosen on the validation sources and, per group of sources, the false-positive rate it
    gives there (a group's documents scored by a model fitted without that group)."""
    console.print(
        f"threshold {choice['threshold']:.3f}: at most {choice['max_false_positive_rate']:.1%} of "
        f"{choice['n_genuine']} {choice['genuine_kind']} genuine validation documents flagged "
        f"(measured {choice['validation_false_positive_rate']:.2%})"
    )
    folds = choice.get("folds") or []
    if len(folds) > 1:
        table = Table(title="False positives at the threshold per validation group (each scored by a model fitted without it)")
        for col in ("sources", "genuine", "false-positive rate"):
            table.add_column(col, justify="left" if col == "sources" else "right")
        for fold in folds:
            rate = fold["false_positive_rate"]
            table.add_row(", ".join(fold["sources"]), str(fold["n_genuine"]), "-" if rate is None else f"{rate:.2%}")
        console.print(table)


def metrics_dict(m: Metrics) -> dict:
    return asdict(m)


def plot_curves(result: EvalResult, path) -> None:
    """Write a PNG: the precision-recall curve with the decision threshold marked, and a calibration plot.

    Needs matplotlib (``pip install ".[plot]"``); raises ``ClassifierError`` when it is missing.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        from classifier.errors import ClassifierError

        raise ClassifierError('--plot needs matplotlib: pip install ".[plot]"') from exc
    fig, (ax_pr, ax_cal) = plt.subplots(1, 2, figsize=(11, 4.8))
    curve = result.pr_curve
    if curve:
        ax_pr.plot(curve["recall"], curve["precision"], color="tab:blue", label="precision-recall")
        m = result.metrics
        ax_pr.scatter([m.recall], [m.precision], color="tab:red", zorder=3,
                      label=f"threshold {m.threshold:.3f}: P={m.precision:.3f} R={m.recall:.3f}")
    ax_pr.set_xlabel("recall (spam)")
    ax_pr.set_ylabel("precision (spam)")
    ax_pr.set_xlim(0, 1.01)
    ax_pr.set_ylim(0, 1.01)
    ax_pr.set_title(f"Precision-recall (PR-AUC {result.metrics.pr_auc or 0:.3f}, n={result.metrics.n_docs})")
    ax_pr.legend(loc="lower left")
    ax_pr.grid(alpha=0.3)
    rows = [r for r in result.calibration if r["n"]]
    ax_cal.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfectly calibrated")
    ax_cal.plot([r["mean_probability"] for r in rows], [r["spam_rate"] for r in rows], marker="o", color="tab:green",
                label=f"model (Brier {result.metrics.brier:.3f})")
    ax_cal.set_xlabel("mean predicted probability of spam")
    ax_cal.set_ylabel("observed share of spam")
    ax_cal.set_title("Calibration (reliability)")
    ax_cal.legend(loc="upper left")
    ax_cal.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def render_cv(result, console: Console) -> None:
    """Per-fold and mean ± standard deviation of the cross-validation metrics, real and synthetic apart."""
    console.print(f"{result.k}-fold cross-validation grouped by {result.group_by} ({len(result.folds)} folds run)")
    for subset, metrics in result.summary.items():
        table = Table(title=f"{subset} documents: mean ± std over folds")
        for col in ("metric", "mean", "std", "folds"):
            table.add_column(col, justify="left" if col == "metric" else "right")
        for name, v in metrics.items():
            table.add_row(name, f"{v['mean']:.4f}", f"{v['std']:.4f}", str(v["n_folds"]))
        console.print(table)
