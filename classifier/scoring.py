"""Score a stream of inputs in batches: one :class:`ScoreRow` per input, in input order, errors included."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from classifier.documents import Document
from classifier.errors import ClassifierError, InputError
from classifier.explain import explain_batch
from classifier.model import SpamClassifier

#: score_documents: documents featurized together; memory stays flat in the number of inputs.
DEFAULT_BATCH_SIZE = 256
#: ScoreRow.reasons: how many reasons each row carries (issue 2: "the top 3 features").
ROW_REASONS = 3


@dataclass
class ScoreRow:
    """One output row. ``label``/``probability`` are None when ``error`` is set.

    Fields, the same in every output format: ``id``, ``label`` (genuine/spam), ``probability`` (of spam, 0
    to 1), ``threshold``, ``reasons`` (top features with value, contribution and evidence), ``error``.
    """

    id: str
    label: str | None
    probability: float | None
    threshold: float
    reasons: list[dict] = field(default_factory=list)
    error: str = ""

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "probability": None if self.probability is None else round(self.probability, 6),
            "threshold": self.threshold,
            "reasons": self.reasons,
            "error": self.error,
        }


def score_documents(
    model: SpamClassifier,
    inputs: Iterable[Document | InputError],
    threshold: float | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> Iterator[ScoreRow]:
    """Yield one row per input: a score for each Document, an error row for each InputError.

    Parameters
    ----------
    model : SpamClassifier
    inputs : iterable of Document or InputError
        E.g. :class:`classifier.documents.InputScanner`; consumed lazily, ``batch_size`` at a time.
    threshold : float, optional
        Overrides the model's threshold: ``spam`` when probability > threshold.
    """
    t = model.threshold if threshold is None else threshold
    iterator = iter(inputs)
    while batch := list(islice(iterator, batch_size)):
        docs = [item for item in batch if isinstance(item, Document)]
        scored = dict(zip(map(id, docs), _score_batch(model, docs, t)))
        for item in batch:
            if isinstance(item, InputError):
                yield ScoreRow(id=item.input_id, label=None, probability=None, threshold=t, error=item.reason)
            else:
                yield scored[id(item)]


def _score_batch(model: SpamClassifier, docs: list[Document], t: float) -> list[ScoreRow]:
    if not docs:
        return []
    try:
        parsed, feats = model.featurize(docs)
        explanations = explain_batch(model, parsed, feats)
    except (ClassifierError, ValueError, TypeError) as exc:
        if len(docs) == 1:
            return [ScoreRow(id=docs[0].id, label=None, probability=None, threshold=t, error=f"cannot score: {exc}")]
        return [row for doc in docs for row in _score_batch(model, [doc], t)]  # isolate the bad document
    rows = []
    for doc, expl in zip(docs, explanations):
        label = "spam" if expl.probability > t else "genuine"
        reasons = [r.to_dict() for r in expl.top(ROW_REASONS, label)]
        rows.append(ScoreRow(id=doc.id, label=label, probability=expl.probability, threshold=t, reasons=reasons))
    return rows
