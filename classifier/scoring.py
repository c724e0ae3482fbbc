"""Score a stream of inputs in batches: one :class:`ScoreRow` per input, in input order, errors included.

:class:`RowFile` is where ``score --output FILE`` writes: each row reaches the file whole or not at all, and
``--resume`` reads the ids already in FILE so that an interrupted run loses nothing and repeats nothing.
"""

from __future__ import annotations

import csv
import json
import os
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
#: RowFile: row formats that can be appended to and resumed (a table is drawn once, at the end).
RESUMABLE_FORMATS = ("jsonl", "csv")


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
    jobs: int = 1,
) -> Iterator[ScoreRow]:
    """Yield one row per input: a score for each Document, an error row for each InputError.

    Parameters
    ----------
    model : SpamClassifier
    inputs : iterable of Document or InputError
        E.g. :class:`classifier.documents.InputScanner`; consumed lazily, ``batch_size`` at a time.
    threshold : float, optional
        Overrides the model's threshold: ``spam`` when probability > threshold.
    batch_size : int, default=256
        Documents featurized together; memory is flat in the number of inputs.
    jobs : int, default=1
        Worker processes. With ``jobs > 1`` batches of at most ``min(batch_size, PARALLEL_BATCH_SIZE)``
        inputs are scored in a process pool (the model handed to each worker once, when it starts) while
        this process reads inputs and yields rows; at most ``IN_FLIGHT_PER_JOB * jobs`` batches are in
        flight, so memory stays flat too. Rows come out in input order either way, and are the same rows.
    """
    t = model.threshold if threshold is None else threshold
    if jobs > 1:
        yield from _score_parallel(model, inputs, t, max(1, min(batch_size, PARALLEL_BATCH_SIZE)), jobs)
        return
    iterator = iter(inputs)
    while batch := list(islice(iterator, batch_size)):
        docs = [item for item in batch if isinstance(item, Document)]
        yield from _merge_rows(batch, _score_batch(model, docs, t), t)


def _merge_rows(batch: list, scored_rows: list[ScoreRow], t: float) -> Iterator[ScoreRow]:
    """The batch's rows in input order: scored rows (in document order) with error rows put back in place."""
    scored = iter(scored_rows)
    for item in batch:
        if isinstance(item, InputError):
            yield ScoreRow(id=item.input_id, label=None, probability=None, threshold=t, error=item.reason)
        else:
            yield next(scored)


#: score_documents: largest batch handed to one worker. Smaller than DEFAULT_BATCH_SIZE so that the last
#: batches of a run keep every worker busy (the tail where one worker idles is at most one batch long); 64
#: documents take ~0.5 s on one core, which dwarfs the cost of sending them to the worker.
PARALLEL_BATCH_SIZE = 64
#: _score_parallel: batches submitted ahead per worker; 2 keeps every worker busy while the parent merges
#: and writes a finished batch, and bounds memory at 2 * jobs batches.
IN_FLIGHT_PER_JOB = 2

_worker_model: SpamClassifier | None = None


def _init_worker(model: SpamClassifier) -> None:
    """Process-pool initializer: keep the model for every batch this worker scores. Ctrl-C is left to the
    parent, which stops handing out batches and waits for the running ones."""
    import signal

    global _worker_model
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_model = model


def _score_batch_in_worker(docs: list[Document], t: float) -> list[ScoreRow]:
    return _score_batch(_worker_model, docs, t)


#: _warm_up: a tiny document (CJK, a link, a traditional character) that makes the lazy set-ups of parsing
#: and segmentation (rjieba's dictionary, OpenCC) run once in the parent, before the workers are forked.
WARM_UP_TEXT = "标题\n正文內容 http://example.com"


def _warm_up(model: SpamClassifier) -> None:
    """Featurize WARM_UP_TEXT once so forked workers inherit the initialised libraries (~0.15 s each)."""
    try:
        model.featurize([Document(id="warm-up", text=WARM_UP_TEXT)])
    except Exception:  # noqa: BLE001 - only an optimisation; a real document would report the same failure
        pass


def _score_parallel(
    model: SpamClassifier, inputs: Iterable[Document | InputError], t: float, batch_size: int, jobs: int
) -> Iterator[ScoreRow]:
    """Score batches in ``jobs`` processes, at most IN_FLIGHT_PER_JOB * jobs at a time, yielding in order."""
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    _warm_up(model)
    iterator = iter(inputs)
    pending: deque = deque()
    with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(model,)) as pool:
        try:
            while True:
                while len(pending) < IN_FLIGHT_PER_JOB * jobs and (batch := list(islice(iterator, batch_size))):
                    docs = [item for item in batch if isinstance(item, Document)]
                    future = pool.submit(_score_batch_in_worker, docs, t) if docs else None
                    pending.append((batch, future))
                if not pending:
                    break
                batch, future = pending.popleft()
                yield from _merge_rows(batch, future.result() if future is not None else [], t)
        finally:
            for _, future in pending:
                if future is not None:
                    future.cancel()


def _score_batch(model: SpamClassifier, docs: list[Document], t: float) -> list[ScoreRow]:
    if not docs:
        return []
    try:
        parsed, feats = model.featurize(docs)
        explanations = explain_batch(model, parsed, feats, with_evidence=False)
    except Exception as exc:  # noqa: BLE001 - one bad document must not lose the rows of the others
        if len(docs) == 1:
            what = str(exc) if isinstance(exc, ClassifierError) else f"{type(exc).__name__}: {exc}"
            return [ScoreRow(id=docs[0].id, label=None, probability=None, threshold=t, error=f"cannot score: {what}")]
        return [row for doc in docs for row in _score_batch(model, [doc], t)]  # isolate the bad document
    rows = []
    for doc, expl in zip(docs, explanations):
        label = "spam" if expl.probability > t else "genuine"
        top = expl.top(ROW_REASONS, label)
        expl.fill_evidence(top)
        reasons = [r.to_dict() for r in top]
        rows.append(ScoreRow(id=doc.id, label=label, probability=expl.probability, threshold=t, reasons=reasons))
    return rows


class RowFile:
    """A text stream for output rows that commits each row to the file whole, or not at all.

    Writes are held in memory until ``flush()`` (called by the row writers after every row), which hands
    them to the operating system in one ``os.write`` loop. A run stopped between rows leaves only whole rows;
    text written after the last flush is dropped when the file is closed by an exception.

    Parameters
    ----------
    path : str or Path
    append : bool
        Append to the file (``--resume``) instead of truncating it.
    skip_first_write : bool
        Drop the first write: a CSV header when appending to a CSV file that already has one.
    """

    def __init__(self, path, append: bool = False, skip_first_write: bool = False):
        flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
        self._fd = os.open(path, flags, 0o666)
        self._pending: list[str] = []
        self._skip = skip_first_write

    def write(self, text: str) -> int:
        if self._skip:
            self._skip = False
        else:
            self._pending.append(text)
        return len(text)

    def flush(self) -> None:
        data = "".join(self._pending).encode("utf-8")
        self._pending.clear()
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view):]

    def isatty(self) -> bool:
        return False

    def close(self, commit: bool = True) -> None:
        if self._fd < 0:
            return
        try:
            if commit:
                self.flush()
        finally:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> RowFile:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(commit=exc_type is None)


@dataclass
class ResumeState:
    """What an earlier, interrupted run already wrote to an output file.

    Attributes
    ----------
    done_ids : set of str
        Ids of the rows in the file (scored or error rows); these inputs are not scored again.
    n_errors : int
        How many of those rows are error rows (they count toward exit code 1).
    has_header : bool
        The file is CSV and starts with its header row (so appending must not repeat it).
    truncated_bytes : int
        Length of the trailing partial row removed from the file (0 when it ended with a whole row).
    """

    done_ids: set[str] = field(default_factory=set)
    n_errors: int = 0
    has_header: bool = False
    truncated_bytes: int = 0


def prepare_resume(path, fmt: str) -> ResumeState:
    """Read the rows an earlier run wrote to ``path`` and cut off a trailing partial row, if any.

    Parameters
    ----------
    path : str or Path
        The ``--output`` file; a missing or empty file means nothing was done yet.
    fmt : {"jsonl", "csv"}

    Raises
    ------
    ClassifierError
        If ``fmt`` cannot be resumed, or the file holds something other than rows of that format.
    """
    if fmt not in RESUMABLE_FORMATS:
        raise ClassifierError(f"--resume needs --format jsonl or csv, got {fmt!r}")
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return ResumeState()
    except OSError as exc:
        raise ClassifierError(f"{path}: cannot read the output file to resume: {exc.strerror or exc}") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ClassifierError(f"{path}: the output file is not UTF-8 ({exc.reason}); not a file of rows") from exc
    state = ResumeState()
    good = _read_jsonl_rows(text, state, path) if fmt == "jsonl" else _read_csv_rows(text, state, path)
    kept = len(text[:good].encode("utf-8"))
    if kept < len(data):
        state.truncated_bytes = len(data) - kept
        os.truncate(path, kept)
    return state


def _read_jsonl_rows(text: str, state: ResumeState, path) -> int:
    """Collect ids of the whole lines; return the character offset after the last whole row."""
    offset = 0
    for number, line in enumerate(_split_lines(text), start=1):
        if not line.endswith("\n"):
            break  # the partial row an interrupted run can leave
        try:
            row = json.loads(line)
            row_id, error = row["id"], row.get("error")
        except (ValueError, TypeError, KeyError) as exc:
            raise ClassifierError(f"{path}:{number}: not an output row ({exc}); cannot resume into this file") from exc
        state.done_ids.add(str(row_id))
        state.n_errors += bool(error)
        offset += len(line)
    return offset


def _read_csv_rows(text: str, state: ResumeState, path) -> int:
    """Collect ids of the whole CSV records; return the character offset after the last whole one."""
    lines = _split_lines(text)
    consumed = [0, 0]  # lines handed to the csv reader, characters in them

    def feed():
        for line in lines:
            consumed[0] += 1
            consumed[1] += len(line)
            yield line

    reader = csv.reader(feed(), strict=True)
    offset, columns = 0, None
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error:
            break  # a quoted field cut off by the interruption
        if not lines[consumed[0] - 1].endswith("\n"):
            break
        offset = consumed[1]
        if columns is None:
            if "id" not in record or "error" not in record:
                raise ClassifierError(f"{path}: the first line is not a row header with id and error; cannot resume")
            columns = {name: i for i, name in enumerate(record)}
            state.has_header = True
            continue
        if len(record) != len(columns):
            raise ClassifierError(f"{path}: line {reader.line_num} is not an output row; cannot resume")
        state.done_ids.add(record[columns["id"]])
        state.n_errors += bool(record[columns["error"]])
    return offset


def _split_lines(text: str) -> list[str]:
    """Lines ending in ``\\n`` only (a row may hold U+2028 or ``\\r``, which str.splitlines splits on)."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def open_rows(path, fmt: str, resume: bool) -> tuple[RowFile, ResumeState]:
    """Open ``path`` for rows: truncated, or (``resume``) appended after the rows already there.

    Returns the stream and the :class:`ResumeState` (empty when not resuming). Raises ClassifierError.
    """
    state = prepare_resume(path, fmt) if resume else ResumeState()
    try:
        stream = RowFile(path, append=resume, skip_first_write=resume and state.has_header)
    except OSError as exc:
        raise ClassifierError(f"{path}: cannot open the output file: {exc.strerror or exc}") from exc
    return stream, state

