"""Train end to end: load labeled data, hold out sources, fit, evaluate the held-out part, write the card."""

from __future__ import annotations

import fnmatch
import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from classifier.config import TrainConfig
from classifier.documents import Document, LabeledData, load_labeled, read_file
from classifier.errors import DatasetError, InputError
from classifier.evaluate import EvalResult, evaluate_model
from classifier.model import SpamClassifier, fit_model


@dataclass
class TrainResult:
    """What ``classifier train`` reports.

    Attributes
    ----------
    model : SpamClassifier
        Fitted, with its card filled in.
    n_train, n_holdout : int
    holdout_eval : EvalResult or None
        Evaluation on the held-out sources (never seen in training), if any were held out.
    errors : list of InputError
        Inputs that could not be read (reported, not silently dropped).
    skipped : list of (str, str)
        Files that are not documents.
    """

    model: SpamClassifier
    n_train: int
    n_holdout: int
    holdout_eval: EvalResult | None = None
    errors: list[InputError] = field(default_factory=list)
    skipped: list = field(default_factory=list)


@dataclass
class OutOfFoldScores:
    """Validation documents scored out of fold (:func:`out_of_fold_scores`): per group of sources, its genuine
    documents of the basis (real ones when there are any) and its spam documents, each with the probabilities a
    model fitted without that group gave them."""

    groups: list[list[str]]
    basis_kind: str
    genuine: list[tuple[list[Document], object]]
    spam: list[tuple[list[Document], object]]


def out_of_fold_scores(train: list[Document], config: TrainConfig) -> OutOfFoldScores:
    """Score the ``config.validation`` documents of ``train``, each by a model fitted without it: one model fitted
    without all of them, or with ``config.validation_folds`` > 1 one model per group of validation sources
    (:func:`validation_groups`), fitted without that group.

    Raises
    ------
    DatasetError
        If the validation patterns select no genuine document or every training document, or there are fewer
        validation sources than folds.
    """
    in_val = [is_held_out(d, config.validation) for d in train]
    val = [d for d, v in zip(train, in_val) if v]
    genuine = [d for d in val if d.label == "genuine"]
    if not genuine or len(val) == len(train):
        raise DatasetError(f"validation patterns {list(config.validation)} select no genuine documents or all of them")
    real = [d for d in genuine if not d.synthetic]
    basis = real or genuine
    groups = validation_groups(val, basis, config.validation_folds)
    out = OutOfFoldScores(groups, "real" if real else "synthetic", [], [])
    for sources in groups:
        held = set(sources)
        rest = [d for d, v in zip(train, in_val) if not (v and str(d.source) in held)]
        model = fit_model(rest + plain_text_variants(rest, config.plain_text_augmentation, config.random_state), config)
        for docs, bucket in (
            ([d for d in basis if str(d.source) in held], out.genuine),
            ([d for d in val if d.label == "spam" and str(d.source) in held], out.spam),
        ):
            bucket.append((docs, model.predict_proba(docs) if docs else np.zeros(0)))
    return out


def choose_threshold(train: list[Document], config: TrainConfig) -> tuple[TrainConfig, dict]:
    """Pick the lowest threshold at which at most ``config.max_false_positive_rate`` of the ``config.validation``
    genuine documents (real ones when there are any) score above it, each scored out of fold
    (:func:`out_of_fold_scores`, then :func:`threshold_choice`).

    Returns the config with that threshold and a record of the choice for the model card.

    Raises
    ------
    DatasetError
        As :func:`out_of_fold_scores`.
    """
    choice = threshold_choice(out_of_fold_scores(train, config), config)
    return config.replace(threshold=choice["threshold"]), choice


def threshold_choice(scored: OutOfFoldScores, config: TrainConfig) -> dict:
    """The threshold the out-of-fold scores give (the lowest keeping at most ``config.max_false_positive_rate``
    of the genuine ones above it) and the record of the choice for the model card (key ``threshold``)."""
    genuine_scores = [scores for _, scores in scored.genuine]
    proba = np.sort(np.concatenate(genuine_scores))[::-1]
    allowed = int(np.floor(config.max_false_positive_rate * proba.size))
    threshold = float(min(0.99, max(config.threshold if allowed >= proba.size else proba[allowed], 0.01)))
    spam = np.concatenate([scores for _, scores in scored.spam])
    folds = [
        {
            "sources": sources,
            "n_genuine": len(genuine_docs),
            "n_spam": len(spam_docs),
            "false_positive_rate": float((scores > threshold).mean()) if scores.size else None,
        }
        for sources, (genuine_docs, scores), (spam_docs, _) in zip(scored.groups, scored.genuine, scored.spam)
    ]
    choice = {
        "validation": list(config.validation),
        "max_false_positive_rate": config.max_false_positive_rate,
        "threshold": threshold,
        "n_genuine": int(proba.size),
        "genuine_kind": scored.basis_kind,
        "validation_false_positive_rate": float((proba > threshold).mean()),
        "n_spam": int(spam.size),
        "validation_spam_recall": float((spam > threshold).mean()) if spam.size else None,
        "folds": folds,
        "how": (
            "a model fitted without the validation sources; "
            if len(scored.groups) == 1
            else f"the validation sources in {len(scored.groups)} groups, each group scored by a model fitted without it; "
        )
        + "the lowest threshold keeping the genuine false-positive rate at most the target; the final model is "
        "then fitted on all training documents",
    }
    return choice


def validation_groups(val: list[Document], basis: list[Document], k: int) -> list[list[str]]:
    """The sources of the validation documents ``val`` in ``k`` groups of whole sources, balanced by their number
    of ``basis`` (genuine) documents: largest source first, each to the group with the fewest so far (ties to
    the first). Deterministic; with ``k == 1`` one group of every source.

    Raises
    ------
    DatasetError
        If there are fewer sources than groups.
    """
    sources = sorted({str(d.source) for d in val})
    if k == 1:
        return [sources]
    if len(sources) < k:
        raise DatasetError(f"validation_folds={k} needs at least {k} validation sources, found {len(sources)}")
    size = Counter(str(d.source) for d in basis)
    groups: list[list[str]] = [[] for _ in range(k)]
    totals = [0] * k
    for source in sorted(sources, key=lambda s: (-size[s], s)):
        i = totals.index(min(totals))
        groups[i].append(source)
        totals[i] += size[source]
    return [sorted(g) for g in groups]


def _card_metrics(evaluation: EvalResult | None) -> dict | None:
    """The evaluation for the card, without the long per-score curve (kept in ``classifier evaluate --json``)."""
    if evaluation is None:
        return None
    return {k: v for k, v in evaluation.to_dict().items() if k not in ("pr_curve", "sweep")}


def plain_text_variants(docs: list[Document], share: float, seed: int) -> list[Document]:
    """For ``share`` of the HTML/markdown/e-mail documents, the same document as plain visible text (id
    ``ID#plain``): format augmentation, so markup and anchors cannot stand in for the label."""
    import random

    from classifier.parse import parse_document

    rng = random.Random(seed)
    out = []
    for d in docs:
        if share and rng.random() < share:
            parsed = parse_document(d)
            if parsed.format != "plain":
                meta = {**d.meta, "augmented": "plain_text"}
                out.append(Document(id=f"{d.id}#plain", text=parsed.text, label=d.label, source=d.source, meta=meta))
    return out


def is_held_out(doc: Document, patterns: tuple[str, ...]) -> bool:
    """True when the document's source (or id) matches one of the glob ``patterns``."""
    return any(fnmatch.fnmatch(doc.source or "", p) or fnmatch.fnmatch(doc.id, p) for p in patterns)


def data_fingerprint(docs: list[Document]) -> str:
    """SHA-256 over ids, labels and texts, in order: identifies the exact training data."""
    digest = hashlib.sha256()
    for d in docs:
        digest.update(f"{d.id}\t{d.label}\t".encode())
        digest.update(hashlib.sha256(d.text.encode("utf-8", "surrogatepass")).digest())
    return digest.hexdigest()


def train_model(
    paths, config: TrainConfig | None = None, probes: list[str | Path] | None = None
) -> TrainResult:
    """Train a model on labeled data at ``paths``, holding out sources matching ``config.holdout``.

    Parameters
    ----------
    paths : path or list of paths
        Folders with ``genuine/``/``spam/`` subfolders, JSONL files, or folders of JSONL files.
    config : TrainConfig
    probes : list of paths, optional
        Single documents (e.g. the seeds) scored after training and recorded in the card.

    Raises
    ------
    DatasetError
        If no training documents remain after the holdout, or only one label does.
    """
    config = config or TrainConfig()
    data: LabeledData = load_labeled(paths)
    train = [d for d in data.documents if not is_held_out(d, config.holdout)]
    held = [d for d in data.documents if is_held_out(d, config.holdout)]
    if not train:
        raise DatasetError(f"holdout patterns {list(config.holdout)} leave no training documents")
    threshold_choice = None
    if config.validation:
        config, threshold_choice = choose_threshold(train, config)
    augmented = plain_text_variants(train, config.plain_text_augmentation, config.random_state)
    started = time.perf_counter()
    model = fit_model(train + augmented, config)
    seconds = time.perf_counter() - started
    if threshold_choice:
        model.card["threshold_choice"] = threshold_choice
    holdout_eval = evaluate_model(model, held) if held else None
    cropped = cropped_genuine_fpr(model, held)
    model.card.update(
        {
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "training_data": {
                "paths": [str(p) for p in ([paths] if isinstance(paths, (str, Path)) else paths)],
                "n_documents": len(train),
                "plain_text_variants_added": len(augmented),
                "by_label": dict(Counter(d.label for d in train)),
                "synthetic_documents": sum(d.synthetic for d in train),
                "synthetic_share": round(sum(d.synthetic for d in train) / len(train), 4),
                "by_source": dict(sorted(Counter(f"{d.label}:{d.source}" for d in train).items())),
                "sha256": data_fingerprint(train),
                "unreadable_inputs": len(data.errors),
                "fit_seconds": round(seconds, 1),
            },
            "holdout": {
                "patterns": list(config.holdout),
                "n_documents": len(held),
                "by_source": dict(sorted(Counter(f"{d.label}:{d.source}" for d in held).items())),
                "how_measured": "evaluate_model() on the held-out sources after fitting on the rest; "
                "real and synthetic documents reported apart",
                "metrics": _card_metrics(holdout_eval),
                "cropped_genuine": cropped,
            },
        }
    )
    if probes:
        model.card["probes"] = score_probes(model, probes)
    return TrainResult(model, len(train), len(held), holdout_eval, data.errors, data.skipped)


#: cropped_genuine_fpr: real web spam in the corpus is often a ~1,000-character snippet; genuine news rarely is.
CROP_CHARS = 1000


def cropped_genuine_fpr(model: SpamClassifier, held: list[Document]) -> dict | None:
    """False-positive rate on held-out real genuine documents cut to their first 1,000 characters of plain
    text (the parsed title and lines), so length and format cannot stand in for the signal."""
    from classifier.parse import parse_document

    genuine = [d for d in held if d.label == "genuine" and not d.synthetic]
    if not genuine:
        return None
    crops = [Document(id=d.id, text=parse_document(d).text[:CROP_CHARS]) for d in genuine]
    proba = model.predict_proba(crops)
    full = model.predict_proba(genuine)
    return {
        "n": len(genuine),
        "crop_chars": CROP_CHARS,
        "false_positive_rate": float((proba > model.threshold).mean()),
        "false_positive_rate_full_text": float((full > model.threshold).mean()),
    }


def score_probes(model: SpamClassifier, probes) -> list[dict]:
    """Score single files (e.g. the seeds) for the record: id, probability, label."""
    out = []
    for path in probes:
        for file in sorted(Path(path).rglob("*")) if Path(path).is_dir() else [Path(path)]:
            if not file.is_file():
                continue
            doc = read_file(file)
            p = float(model.predict_proba([doc])[0])
            out.append({"id": str(file), "probability": round(p, 4), "label": "spam" if p > model.threshold else "genuine"})
    return out


#: cross_validate: metrics summarized over folds (mean and standard deviation).
CV_METRICS = ("precision", "recall", "f1", "false_positive_rate", "roc_auc", "pr_auc")


@dataclass
class CVResult:
    """Grouped cross-validation: per-fold metrics and their mean and spread, real and synthetic apart.

    Attributes
    ----------
    folds : list of dict
        Per fold: ``fold``, ``test_groups``, ``n_train``, ``n_test`` and ``{"real": {...}, "synthetic": {...}}``.
    summary : dict
        ``{subset: {metric: {"mean": m, "std": s, "n_folds": k}}}`` over folds where the subset has both labels
        (roc/pr-AUC) or the needed support.
    """

    k: int
    group_by: str
    folds: list = field(default_factory=list)
    summary: dict = field(default_factory=dict)


def cross_validate(paths, config: TrainConfig | None = None, k: int = 5, group_by: str = "source") -> CVResult:
    """K-fold cross-validation where no group (``source``, or a ``meta`` field such as ``pair``) sits on both
    sides of a split (scikit-learn's StratifiedGroupKFold, shuffled with ``config.random_state``).

    Raises
    ------
    DatasetError
        If there are fewer groups than folds.
    """
    from sklearn.model_selection import StratifiedGroupKFold

    config = config or TrainConfig()
    docs = load_labeled(paths).documents
    groups = [str(d.source if group_by == "source" else d.meta.get(group_by, d.id)) for d in docs]
    if len(set(groups)) < k:
        raise DatasetError(f"--cv {k} needs at least {k} distinct {group_by} groups, found {len(set(groups))}")
    labels = [d.label for d in docs]
    splitter = StratifiedGroupKFold(n_splits=k, shuffle=True, random_state=config.random_state)
    result = CVResult(k=k, group_by=group_by)
    for fold, (train_idx, test_idx) in enumerate(splitter.split(docs, labels, groups)):
        train = [docs[i] for i in train_idx]
        test = [docs[i] for i in test_idx]
        if len({d.label for d in train}) < 2:
            continue
        model = fit_model(train + plain_text_variants(train, config.plain_text_augmentation, config.random_state), config)
        evaluation = evaluate_model(model, test)
        result.folds.append(
            {
                "fold": fold,
                "test_groups": sorted({groups[i] for i in test_idx}),
                "n_train": len(train),
                "n_test": len(test),
                **{name: _metric_subset(m) for name, m in evaluation.subsets.items()},
            }
        )
    for subset in ("real", "synthetic"):
        rows = [f[subset] for f in result.folds if subset in f]
        summary = {}
        for metric in CV_METRICS:
            values = [r[metric] for r in rows if r.get(metric) is not None]
            if values:
                summary[metric] = {"mean": float(np.mean(values)), "std": float(np.std(values)), "n_folds": len(values)}
        if summary:
            result.summary[subset] = summary
    return result


def _metric_subset(m) -> dict:
    """Per-fold metrics; precision is None without predicted spam, recall None without spam support."""
    predicted_spam = m.confusion["tp"] + m.confusion["fp"]
    return {
        "precision": m.precision if predicted_spam else None,
        "recall": m.recall if m.support_spam else None,
        "f1": m.f1 if m.support_spam else None,
        "false_positive_rate": m.false_positive_rate if m.support_genuine else None,
        "roc_auc": m.roc_auc,
        "pr_auc": m.pr_auc,
        "n_docs": m.n_docs,
    }
