"""Command line: ``classifier train | score | evaluate | explain | synth``.

Each command validates its options, calls one library function and hands the result to :mod:`report`.
Exit codes: 0 success (every input scored); 1 some inputs became error rows, or the library raised a
ClassifierError (message on stderr); 2 usage error (bad option, missing path), as Click does.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from classifier import report
from classifier.config import ALL_FAMILIES, DEFAULT_MAX_INPUT_BYTES, load_config
from classifier.errors import ClassifierError

app = typer.Typer(
    help="Tell genuine Chinese news from SEO spam (parasite pages, promotion spam, site-farm pages).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True)


def _out() -> Console:
    """stdout console: the terminal's width, or 160 columns and no wrapping of plain lines when piped."""
    return Console(soft_wrap=True) if sys.stdout.isatty() else Console(width=160, soft_wrap=True)

ModelOpt = Annotated[
    Path | None,
    typer.Option("--model", "-m", help="Model file (.joblib with its .card.json); default: the shipped model.",
                 exists=True, dir_okay=False),
]
ThresholdOpt = Annotated[
    float | None,
    typer.Option("--threshold", "-t", min=0.0, max=1.0,
                 help="Probability of spam above which a document is labeled spam; default: the model's."),
]


def _fail(exc: ClassifierError) -> typer.Exit:
    err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
    return typer.Exit(1)


def _check_paths(paths: list[str]) -> None:
    for p in paths:
        if p != "-" and not Path(p).exists() and not Path(p).is_symlink():
            raise typer.BadParameter(f"path {p!r} does not exist", param_hint="PATH")


@app.command()
def train(
    data: Annotated[list[str], typer.Argument(help="Folders with genuine/ and spam/ subfolders, or JSONL files.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the model (.joblib); the card goes beside it.", dir_okay=False)],
    config: Annotated[Path | None, typer.Option(help="TOML file of TrainConfig fields.", exists=True, dir_okay=False)] = None,
    holdout: Annotated[list[str] | None, typer.Option(help="Glob on source or id held out of training and evaluated (repeatable).")] = None,
    probe: Annotated[list[Path] | None, typer.Option(help="Files or folders scored after training and recorded in the card.", exists=True)] = None,
    families: Annotated[str | None, typer.Option(help=f"Comma-separated feature families (default all: {','.join(ALL_FAMILIES)}).")] = None,
    c: Annotated[float | None, typer.Option("--c", help="Inverse regularization strength of the logistic regression.")] = None,
    threshold: ThresholdOpt = None,
) -> None:
    """Train a model on labeled documents and save it with its model card."""
    from classifier.persist import save_model
    from classifier.training import train_model

    _check_paths(data)
    try:
        cfg = load_config(config).replace(
            holdout=tuple(holdout) if holdout else None,
            families=tuple(families.split(",")) if families else None,
            regularization_c=c,
            threshold=threshold,
        )
        result = train_model(data, cfg, probes=probe)
        card = save_model(result.model, out)
    except ClassifierError as exc:
        raise _fail(exc) from exc
    console = _out()
    for e in result.errors:
        err.print(f"unreadable: {e}", highlight=False)
    report.render_train(result, console)
    console.print(f"model written to {out} (card: {card})")


@app.command()
def score(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive), .jsonl files, or - for stdin.")],
    model: ModelOpt = None,
    threshold: ThresholdOpt = None,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="table, jsonl or csv (default: table on a terminal, jsonl otherwise).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write rows to this file instead of stdout.", dir_okay=False)] = None,
    max_bytes: Annotated[int, typer.Option(help="Inputs larger than this many bytes become error rows.", min=1)] = DEFAULT_MAX_INPUT_BYTES,
) -> None:
    """Score documents: one row per input (id, label, probability, threshold, reasons, error)."""
    from classifier.documents import InputScanner
    from classifier.persist import load_model
    from classifier.scoring import score_documents

    _check_paths(paths)
    if fmt is None:
        fmt = "table" if sys.stdout.isatty() and output is None else "jsonl"
    if fmt not in ("table", "jsonl", "csv"):
        raise typer.BadParameter(f"expected one of table, jsonl, csv; got {fmt!r}", param_hint="--format")
    try:
        clf = load_model(model)
        scanner = InputScanner(paths, max_bytes=max_bytes)
        stream = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            n_errors = sum(bool(row.error) for row in report.write_rows(score_documents(clf, scanner, threshold), fmt, stream))
        finally:
            if output:
                stream.close()
    except ClassifierError as exc:
        raise _fail(exc) from exc
    for path, reason in scanner.skipped:
        err.print(f"skipped {path}: {reason}", highlight=False)
    if n_errors:
        err.print(f"{n_errors} input(s) could not be scored (see the error field)", highlight=False)
        raise typer.Exit(1)


@app.command()
def evaluate(
    data: Annotated[list[str], typer.Argument(help="Labeled folders or JSONL files.")],
    model: ModelOpt = None,
    threshold: ThresholdOpt = None,
    json_path: Annotated[Path | None, typer.Option("--json", help="Also write every number as JSON here.", dir_okay=False)] = None,
    sweep: Annotated[bool, typer.Option(help="Add precision/recall/false-positive rate at thresholds 0 to 1.")] = False,
) -> None:
    """Precision, recall, F1, confusion matrix, ROC-AUC, PR-AUC and more on labeled data."""
    from classifier.documents import load_labeled
    from classifier.evaluate import evaluate_model
    from classifier.persist import load_model

    _check_paths(data)
    try:
        clf = load_model(model)
        labeled = load_labeled(data)
        result = evaluate_model(clf, labeled.documents, threshold, sweep=sweep)
    except ClassifierError as exc:
        raise _fail(exc) from exc
    for e in labeled.errors:
        err.print(f"unreadable: {e}", highlight=False)
    report.render_eval(result, _out())
    if json_path:
        json_path.write_text(report.eval_json(result) + "\n", encoding="utf-8")


@app.command()
def explain(
    file: Annotated[str, typer.Argument(help="A document file, or - for stdin.")],
    model: ModelOpt = None,
    threshold: ThresholdOpt = None,
) -> None:
    """Show why a document scored as it did: every signal's contribution, evidence, highlighted text."""
    from classifier.documents import InputScanner
    from classifier.errors import InputError
    from classifier.explain import explain_document
    from classifier.persist import load_model

    _check_paths([file])
    try:
        clf = load_model(model)
        item = next(iter(InputScanner([file])), None)
        if isinstance(item, InputError) or item is None:
            raise item or InputError(file, "no document found")
        result = explain_document(clf, item, threshold)
    except ClassifierError as exc:
        raise _fail(exc) from exc
    report.render_explanation(result.id, result.text, result.explanation, result.threshold, result.spans, _out())


def main() -> None:  # pragma: no cover
    app()


@app.command()
def synth(
    data: Annotated[list[str], typer.Argument(help="Labeled data whose genuine articles are made into spam pages.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for synth-<vertical>.jsonl (keep it outside the repository).", file_okay=False)],
    per_vertical: Annotated[int, typer.Option(help="Spam pages (each with its clean pair) per vertical.", min=1)] = 100,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same set.")] = 0,
    source: Annotated[list[str] | None, typer.Option(help="Glob on source: only these genuine articles are used (repeatable).")] = None,
    vertical: Annotated[list[str] | None, typer.Option(help="Only these verticals (repeatable).")] = None,
) -> None:
    """Write a labeled set of synthesized parasite, spun and keyword-list pages (marked synthetic)."""
    from classifier.synth import make_synthetic_set

    _check_paths(data)
    try:
        counts = make_synthetic_set(data, out, per_vertical, seed, sources=source, verticals=vertical)
    except (ClassifierError, ValueError) as exc:
        raise _fail(ClassifierError(str(exc))) from exc
    _out().print(f"wrote {sum(counts.values())} spam pages and their clean pairs to {out}: {counts}")
