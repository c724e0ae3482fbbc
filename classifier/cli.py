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
    typer.Option("--model", "-m", help="Model file (.model with its .card.json; an earlier release's .skops also loads); default: the shipped model.",
                 exists=True, dir_okay=False),
]
ThresholdOpt = Annotated[
    float | None,
    typer.Option("--threshold", "-t", min=0.0, max=1.0,
                 help="Probability of spam above which a document is labeled spam; default: the model's."),
]


TrustModelOpt = Annotated[
    bool,
    typer.Option("--trust-model", help="Allow a pickle/joblib model file, which runs any code it contains when "
                 "loaded. Only for files you trust; .model and .skops files never need it."),
]


def _load_model(path: Path | None, trust_model: bool):
    """persist.load_model, with its UnsafeModelWarning printed to stderr."""
    import warnings

    from classifier.persist import load_model

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        clf = load_model(path, trust_model=trust_model)
    for warning in caught:
        err.print(f"[yellow]warning:[/yellow] {warning.message}", markup=True, highlight=False)
    return clf


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
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the model (NAME.model); the card goes beside it (NAME.card.json).", dir_okay=False)],
    config: Annotated[Path | None, typer.Option(help="TOML file of TrainConfig fields.", exists=True, dir_okay=False)] = None,
    holdout: Annotated[list[str] | None, typer.Option(help="Glob on source or id held out of training and evaluated (repeatable).")] = None,
    probe: Annotated[list[Path] | None, typer.Option(help="Files or folders scored after training and recorded in the card.", exists=True)] = None,
    families: Annotated[str | None, typer.Option(help=f"Comma-separated feature families (default all: {','.join(ALL_FAMILIES)}).")] = None,
    c: Annotated[float | None, typer.Option("--c", help="Inverse regularization strength of the logistic regression.")] = None,
    threshold: ThresholdOpt = None,
    validation: Annotated[list[str] | None, typer.Option(help="Glob on source or id of training documents on which the threshold is chosen (repeatable).")] = None,
    max_fpr: Annotated[float | None, typer.Option("--max-fpr", min=0.0, max=0.99, help="With --validation: the largest false-positive rate allowed on its genuine documents (default 0.01).")] = None,
    validation_folds: Annotated[int | None, typer.Option("--validation-folds", min=1, help="With --validation: split its sources into this many groups, each scored by a model fitted without it, and choose the threshold on all of them (default 1: one model fitted without every validation source).")] = None,
    cv: Annotated[int | None, typer.Option("--cv", min=2, help="Grouped K-fold cross-validation instead of one fit (no model is written).")] = None,
    group_by: Annotated[str, typer.Option(help="Group for --cv: 'source' or a JSONL field such as 'pair'.")] = "source",
) -> None:
    """Train a model on labeled documents and save it with its model card (or cross-validate with --cv)."""
    from classifier.persist import check_save_path, save_model
    from classifier.training import train_model

    _check_paths(data)
    try:
        if not cv:
            check_save_path(out)  # before minutes of training, not after
        cfg = load_config(config).replace(
            holdout=tuple(holdout) if holdout else None,
            families=tuple(families.split(",")) if families else None,
            regularization_c=c,
            threshold=threshold,
            validation=tuple(validation) if validation else None,
            max_false_positive_rate=max_fpr,
            validation_folds=validation_folds,
        )
        if cv:
            from classifier.training import cross_validate

            cv_result = cross_validate(data, cfg, k=cv, group_by=group_by)
            report.render_cv(cv_result, _out())
            return
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
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="table, jsonl or csv (default: table on a terminal; with --output, csv for a .csv file, else jsonl).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write rows to this file instead of stdout; each row is written whole, then flushed.", dir_okay=False)] = None,
    max_bytes: Annotated[int, typer.Option(help="Inputs (a file, or one JSONL line) larger than this many bytes become error rows.", min=1)] = DEFAULT_MAX_INPUT_BYTES,
    resume: Annotated[bool, typer.Option(help="Append to --output, skipping inputs whose id is already in it (after cutting off a partial last row).")] = False,
    trust_model: TrustModelOpt = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes scoring batches in parallel (rows still come out in input order).")] = 1,
    dask: Annotated[str | None, typer.Option("--dask", metavar="ADDRESS", help="Score on a Dask cluster: a scheduler address (tcp://host:8786), or local / local:N for a LocalCluster of N processes. Needs --dask-output and the optional dask dependencies (the 'dask' extra).")] = None,
    dask_output: Annotated[Path | None, typer.Option("--dask-output", help="With --dask: folder (empty, readable by you, writable by the workers) for part-NNNNN.jsonl files (or .parquet with --format parquet); cat them in name order for the local row order.", file_okay=False)] = None,
) -> None:
    """Score documents: one row per input (id, label, probability, threshold, reasons, error)."""
    from classifier.documents import InputScanner
    from classifier.scoring import open_rows, score_documents

    _check_paths(paths)
    if dask_output is not None and dask is None:
        raise typer.BadParameter("--dask-output is only used with --dask ADDRESS", param_hint="--dask-output")
    if dask is not None:
        if dask_output is None:
            raise typer.BadParameter("--dask needs --dask-output DIR (the workers write part files there)", param_hint="--dask-output")
        if output is not None or resume:
            raise typer.BadParameter("--output and --resume are for local runs; with --dask rows go to --dask-output", param_hint="--output")
        if jobs != 1:
            raise typer.BadParameter("--jobs is for local runs; with --dask the cluster's workers set the parallelism", param_hint="--jobs")
        if fmt not in (None, "jsonl", "parquet"):
            raise typer.BadParameter(f"with --dask expected jsonl or parquet; got {fmt!r}", param_hint="--format")
        from classifier.distributed import score_on_dask

        try:
            result = score_on_dask(paths, dask, dask_output, model_path=model, threshold=threshold,
                                   max_bytes=max_bytes, fmt=fmt or "jsonl", trust_model=trust_model)
        except ClassifierError as exc:
            raise _fail(exc) from exc
        for path, reason in result.skipped:
            err.print(f"skipped {path}: {reason}", highlight=False)
        err.print(f"wrote {result.n_rows} row(s) in {len(result.parts)} part file(s) to {result.output_dir} "
                  f"({result.n_workers} Dask worker(s), {result.seconds:.1f} s)", highlight=False)
        if result.n_errors:
            err.print(f"{result.n_errors} input(s) could not be scored (see the error field)", highlight=False)
            raise typer.Exit(1)
        return
    if fmt is None:
        if output is not None:
            fmt = "csv" if output.suffix.lower() == ".csv" else "jsonl"
        else:
            fmt = "table" if sys.stdout.isatty() else "jsonl"
    if fmt not in ("table", "jsonl", "csv"):
        raise typer.BadParameter(f"expected one of table, jsonl, csv; got {fmt!r}", param_hint="--format")
    if resume and output is None:
        raise typer.BadParameter("--resume needs --output FILE (the rows already written)", param_hint="--resume")
    if resume and fmt == "table":
        raise typer.BadParameter("--resume needs --format jsonl or csv", param_hint="--format")
    try:
        clf = _load_model(model, trust_model)
        if output is not None:
            stream, done = open_rows(output, fmt, resume)
        else:
            stream, done = sys.stdout, None
        scanner = InputScanner(paths, max_bytes=max_bytes, skip_ids=done.done_ids if done else ())
        try:
            rows = report.write_rows(score_documents(clf, scanner, threshold, jobs=jobs), fmt, stream)
            n_errors = sum(bool(row.error) for row in rows)
        except BaseException:
            if output is not None:
                stream.close(commit=False)
            raise
        if output is not None:
            stream.close()
    except ClassifierError as exc:
        raise _fail(exc) from exc
    for path, reason in scanner.skipped:
        err.print(f"skipped {path}: {reason}", highlight=False)
    if done is not None and done.truncated_bytes:
        err.print(f"resumed {output}: removed a partial last row ({done.truncated_bytes} bytes)", highlight=False)
    if done is not None and done.done_ids:
        err.print(f"resumed {output}: {len(done.done_ids)} input(s) already scored were skipped", highlight=False)
    n_errors += done.n_errors if done is not None else 0
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
    target_precision: Annotated[float | None, typer.Option(min=0.0, max=1.0, help="Choose the lowest threshold with at least this precision (on real documents).")] = None,
    target_recall: Annotated[float | None, typer.Option(min=0.0, max=1.0, help="Choose the highest threshold with at least this recall (on real documents).")] = None,
    write_model: Annotated[Path | None, typer.Option(help="Write a copy of the model deciding at the chosen threshold, the choice recorded in its card.", dir_okay=False)] = None,
    plot: Annotated[Path | None, typer.Option(help="Write a PNG: precision-recall curve with the threshold marked, and calibration (needs matplotlib).", dir_okay=False)] = None,
) -> None:
    """Precision, recall, F1, confusion matrix, ROC-AUC, PR-AUC, calibration and per-source numbers on labeled
    data; optionally choose a threshold for a target precision or recall and save it into a copy of the model."""
    from classifier.documents import load_labeled
    from classifier.evaluate import evaluate_model

    _check_paths(data)
    if target_precision is not None and target_recall is not None:
        raise typer.BadParameter("give --target-precision or --target-recall, not both", param_hint="--target-precision")
    if write_model and target_precision is None and target_recall is None and threshold is None:
        raise typer.BadParameter("--write-model needs --target-precision, --target-recall or --threshold", param_hint="--write-model")
    try:
        if write_model:
            from classifier.persist import check_save_path

            check_save_path(write_model)
        clf = _load_model(model, False)
        labeled = load_labeled(data)
        result = evaluate_model(clf, labeled.documents, threshold, sweep=sweep,
                                target_precision=target_precision, target_recall=target_recall)
        if plot:
            report.plot_curves(result, plot)
        if write_model:
            from classifier.model import with_threshold
            from classifier.persist import save_model

            reason = result.target or {"threshold": threshold, "chosen_on": "--threshold"}
            reason = {**reason, "data": [str(d) for d in data]}
            save_model(with_threshold(clf, result.metrics.threshold, reason), write_model)
    except ClassifierError as exc:
        raise _fail(exc) from exc
    for e in labeled.errors:
        err.print(f"unreadable: {e}", highlight=False)
    report.render_eval(result, _out())
    if json_path:
        json_path.write_text(report.eval_json(result) + "\n", encoding="utf-8")
    if write_model:
        _out().print(f"model deciding at threshold {result.metrics.threshold:.4f} written to {write_model}")


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
    report.render_explanation(result, _out())


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
