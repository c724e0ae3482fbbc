"""Score files, folders and JSONL shards on a Dask cluster, writing partitioned rows into a folder.

How a run goes (:func:`score_on_dask`):

1. The client **plans** the work without reading any document: folders are walked (in the same sorted order
   as :class:`~classifier.documents.InputScanner`) and their files grouped into tasks of up to
   ``files_per_task`` files; each JSONL file is one task (a shard); stdin (``-``) is read on the client and
   sent as ready documents. A missing path or a folder that cannot be listed becomes an error row here.
2. The model **file bytes** (with its card) are scattered once to every worker (``broadcast``). A worker
   writes them to a temporary folder, loads them with :func:`classifier.persist.load_model` (every safety
   check included: allow-listed types, SHA-256 against the card, scikit-learn release) and keeps the loaded
   model for the life of the process, keyed by the file's SHA-256. The model therefore need not exist on the
   workers' disks, and every task on a worker after the first reuses it.
3. Each task reads its own files on the worker (inputs must be on storage the workers can read, e.g. a shared
   file system), scores them with :func:`classifier.scoring.score_documents` exactly as a local run does and
   writes ``part-NNNNN.jsonl`` (``N`` is the task's position in the plan) into the output folder, through a
   temporary name and an atomic rename, so a part file is whole or absent.

Concatenating the part files in name order gives, line for line, what ``classifier score --format jsonl``
prints locally for the same paths: the same ids, labels, probabilities, reasons and error rows, in the same
order. With ``fmt="parquet"`` each part is ``part-NNNNN.parquet`` with the columns of
:func:`classifier.batch.score_frame` (probability not rounded, reasons as a JSON string).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from classifier.config import DEFAULT_MAX_INPUT_BYTES
from classifier.documents import JSONL_SUFFIXES, Document, InputScanner, _walk, display_id
from classifier.errors import ClassifierError, InputError
from classifier.model import SpamClassifier

#: plan_units: plain files (.txt, .html, ...) per task. A task then takes seconds, not milliseconds, so
#: scheduling overhead stays small, yet 2,000 files still make 10 tasks to spread over the workers.
DEFAULT_FILES_PER_TASK = 200
#: plan_units: documents read from stdin on the client per task.
STDIN_ITEMS_PER_TASK = 200
#: score_on_dask: output formats of the part files.
DASK_FORMATS = ("jsonl", "parquet")
#: score_on_dask: name of part file number N.
PART_NAME = "part-{index:05d}.{fmt}"
#: score_on_dask: an address of this form starts a LocalCluster in this process ("local:4": 4 workers).
LOCAL_ADDRESS = "local"
#: _client: how long to wait for the scheduler at --dask ADDRESS before giving up (dask's own default).
CONNECT_TIMEOUT = "30s"
#: Message when the optional dependencies are missing.
INSTALL_HINT = "scoring on Dask needs the optional dependencies: pip install 'classifier[dask]'"

_WORKER_MODELS: dict[str, SpamClassifier] = {}
_WORKER_LOCK = threading.Lock()


@dataclass(frozen=True)
class ModelBlob:
    """A model file and its card as bytes: what is scattered to the workers.

    Attributes
    ----------
    name : str
        The model file's name (the card is named after it; the content decides the format).
    sha256 : str
        SHA-256 of ``model_bytes``; the key of the per-process cache on the workers.
    model_bytes, card_bytes : bytes
    trust_model : bool
        Allow a pickle-based model (``--trust-model``).
    """

    name: str
    sha256: str
    model_bytes: bytes
    card_bytes: bytes
    trust_model: bool = False


@dataclass(frozen=True)
class WorkUnit:
    """One task of a plan.

    Attributes
    ----------
    index : int
        Position in the plan; the part file is numbered by it, so part order is input order.
    files : tuple of (str, bool)
        Files read on the worker, each with ``explicit`` (named on the command line, so a FIFO is read)
        or not (met in a folder walk, so a FIFO becomes an error row as in a local run).
    items : tuple of Document or InputError
        Inputs already known on the client (stdin's documents, missing paths, unlistable folders).
    """

    index: int
    files: tuple[tuple[str, bool], ...] = ()
    items: tuple[Document | InputError, ...] = ()


@dataclass
class PartResult:
    """What one task wrote: the part file and its row counts."""

    path: str
    n_rows: int
    n_errors: int


@dataclass
class DaskScoreResult:
    """The outcome of :func:`score_on_dask`.

    Attributes
    ----------
    output_dir : Path
    parts : list of PartResult
        In plan order (= input order).
    skipped : list of (str, str)
        Files met in folders that are not documents, with the reason (as ``InputScanner.skipped``).
    n_workers : int
        Workers of the cluster when the run started.
    seconds : float
        Wall time from planning to the last part written (model scatter included).
    """

    output_dir: Path
    parts: list[PartResult] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    n_workers: int = 0
    seconds: float = 0.0

    @property
    def n_rows(self) -> int:
        return sum(p.n_rows for p in self.parts)

    @property
    def n_errors(self) -> int:
        return sum(p.n_errors for p in self.parts)


class _UnitScanner(InputScanner):
    """InputScanner over a work unit: the same reading code and error rows as a local run."""

    def __init__(self, unit: WorkUnit, max_bytes: int | None):
        super().__init__([], max_bytes=max_bytes)
        self.unit = unit

    def _items(self) -> Iterator[Document | InputError]:
        yield from self.unit.items
        for raw, explicit in self.unit.files:
            yield from self._file(Path(raw), explicit=explicit)


def plan_units(
    paths: Sequence[str],
    files_per_task: int = DEFAULT_FILES_PER_TASK,
    max_bytes: int | None = DEFAULT_MAX_INPUT_BYTES,
    stdin=None,
) -> tuple[list[WorkUnit], list[tuple[str, str]]]:
    """Split score arguments into tasks, in input order, reading no document (stdin excepted).

    Consecutive plain files share a task (up to ``files_per_task``); a JSONL file is a task of its own.
    Returns the units and the skipped non-documents met in folders.
    """
    units: list[WorkUnit] = []
    skipped: list[tuple[str, str]] = []
    pending: list[tuple[str, bool]] = []

    def flush_files() -> None:
        if pending:
            units.append(WorkUnit(index=len(units), files=tuple(pending)))
            pending.clear()

    def add_file(path: Path, explicit: bool) -> None:
        if path.suffix.lower() in JSONL_SUFFIXES:
            flush_files()
            units.append(WorkUnit(index=len(units), files=((str(path), explicit),)))
            return
        pending.append((str(path), explicit))
        if len(pending) >= files_per_task:
            flush_files()

    def add_items(items: list[Document | InputError]) -> None:
        flush_files()
        units.append(WorkUnit(index=len(units), items=tuple(items)))

    for raw in paths:
        if raw == "-":
            scanner = iter(InputScanner(["-"], max_bytes=max_bytes, stdin=stdin))
            while chunk := [item for _, item in zip(range(STDIN_ITEMS_PER_TASK), scanner)]:
                add_items(chunk)
            continue
        path = Path(raw)
        if path.is_dir():
            for entry in _walk(path, skipped):
                if isinstance(entry, InputError):
                    add_items([entry])
                else:
                    add_file(entry, explicit=False)
        elif path.exists() or path.is_symlink():
            add_file(path, explicit=True)
        else:
            add_items([InputError(display_id(raw), "unreadable: no such file or directory")])
    flush_files()
    return units, skipped


def read_model_blob(path: str | Path | None = None, trust_model: bool = False) -> ModelBlob:
    """Read a model file and its card as bytes, after checking it loads here (``None``: shipped model).

    Raises
    ------
    ModelLoadError
        As :func:`classifier.persist.load_model` (refused before any work reaches the cluster).
    """
    from classifier.persist import card_path, default_model_path, load_model

    path = Path(path) if path is not None else default_model_path()
    load_model(path, trust_model=trust_model)  # every check, on the client, before the cluster sees it
    model_bytes = path.read_bytes()
    return ModelBlob(
        name=path.name,
        sha256=hashlib.sha256(model_bytes).hexdigest(),
        model_bytes=model_bytes,
        card_bytes=card_path(path).read_bytes(),
        trust_model=trust_model,
    )


def model_from_blob(blob: ModelBlob) -> SpamClassifier:
    """The model of ``blob``, loaded once per process (cached by SHA-256) through ``load_model``."""
    from classifier.persist import card_path, load_model

    with _WORKER_LOCK:
        if blob.sha256 not in _WORKER_MODELS:
            folder = Path(tempfile.mkdtemp(prefix="classifier-model-"))
            try:
                model_path = folder / blob.name
                model_path.write_bytes(blob.model_bytes)
                card_path(model_path).write_bytes(blob.card_bytes)
                _WORKER_MODELS[blob.sha256] = load_model(model_path, trust_model=blob.trust_model)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        return _WORKER_MODELS[blob.sha256]


def worker_model_digests() -> list[str]:
    """SHA-256 of each model this process holds from :func:`model_from_blob` (run on workers to check)."""
    with _WORKER_LOCK:
        return sorted(_WORKER_MODELS)


def score_unit(
    unit: WorkUnit,
    blob: ModelBlob,
    output_dir: str,
    threshold: float | None = None,
    max_bytes: int | None = DEFAULT_MAX_INPUT_BYTES,
    fmt: str = "jsonl",
) -> PartResult:
    """Score one work unit and write its part file (runs on a worker; usable locally too)."""
    from classifier.scoring import score_documents

    model = model_from_blob(blob)
    rows = score_documents(model, _UnitScanner(unit, max_bytes), threshold)
    final = Path(output_dir) / PART_NAME.format(index=unit.index, fmt=fmt)
    temporary = final.with_name(f".{final.name}.tmp-{os.getpid()}")
    if fmt == "parquet":
        from classifier.batch import rows_to_frame

        rows = list(rows)
        rows_to_frame(rows).to_parquet(temporary, index=False)
        n_rows, n_errors = len(rows), sum(bool(r.error) for r in rows)
    else:
        from classifier.report import write_rows

        n_rows = n_errors = 0
        with open(temporary, "w", encoding="utf-8", newline="\n") as stream:  # rows streamed, not held
            for row in write_rows(rows, "jsonl", stream):
                n_rows += 1
                n_errors += bool(row.error)
    os.replace(temporary, final)
    return PartResult(path=str(final), n_rows=n_rows, n_errors=n_errors)


def _client_classes():
    """``(distributed.Client, distributed.LocalCluster)``; ClassifierError when the extra is not installed."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ClassifierError(INSTALL_HINT) from exc
    return Client, LocalCluster


def _client(address: str):
    """A new distributed.Client (and LocalCluster or None) for ``address``; the caller closes both."""
    Client, LocalCluster = _client_classes()
    if address == LOCAL_ADDRESS or address.startswith(LOCAL_ADDRESS + ":"):
        count = address.partition(":")[2]
        if count and not count.isdigit():
            raise ClassifierError(f"expected --dask local or local:N (N workers), got {address!r}")
        cluster = LocalCluster(n_workers=int(count) if count else None, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        return Client(cluster), cluster
    try:
        return Client(address, timeout=CONNECT_TIMEOUT), None
    except (OSError, TimeoutError) as exc:
        raise ClassifierError(f"cannot connect to the Dask scheduler at {address!r}: {exc}") from exc


def score_on_dask(
    paths: Sequence[str],
    address_or_client,
    output_dir: str | Path,
    *,
    model_path: str | Path | None = None,
    threshold: float | None = None,
    max_bytes: int | None = DEFAULT_MAX_INPUT_BYTES,
    fmt: str = "jsonl",
    files_per_task: int = DEFAULT_FILES_PER_TASK,
    trust_model: bool = False,
    stdin=None,
) -> DaskScoreResult:
    """Score ``paths`` on a Dask cluster; write ``part-NNNNN.{jsonl,parquet}`` files into ``output_dir``.

    Parameters
    ----------
    paths : sequence of str
        As for ``classifier score``: files, folders (recursive), JSONL files, ``-`` for stdin. Files are
        read by the workers, so they must be on storage every worker can read at the same path.
    address_or_client : str or distributed.Client
        A scheduler address (``tcp://host:8786``), ``local`` / ``local:N`` for a LocalCluster started
        here (N worker processes, one thread each) and closed at the end, or an existing Client.
    output_dir : str or Path
        Created if missing; must hold no part file yet. Workers write into it (shared storage).
    model_path : str, Path or None
        Model file (``None``: the shipped model); its bytes are scattered to every worker once.
    threshold : float, optional
        Probability above which a document is labeled spam; default: the model's.
    max_bytes : int or None
        Per-document size cap, as ``--max-bytes``.
    fmt : {"jsonl", "parquet"}
        Part format: JSONL rows exactly as ``classifier score --format jsonl``, or Parquet with the columns
        of :func:`classifier.batch.score_frame`.
    files_per_task : int
        Plain files per task (a JSONL file is always one task).
    trust_model : bool
        Allow a pickle-based model file.

    Returns
    -------
    DaskScoreResult
        Part files in input order with their row and error counts, and the skipped non-documents.

    Raises
    ------
    ClassifierError
        Unknown ``fmt``, an output folder that already holds parts, dask not installed, no scheduler at the
        address, or a task that failed on the cluster. ModelLoadError if the model cannot be loaded.
    """
    if fmt not in DASK_FORMATS:
        raise ClassifierError(f"expected a part format in {list(DASK_FORMATS)}, got {fmt!r}")
    if files_per_task < 1:
        raise ClassifierError(f"files_per_task must be at least 1, got {files_per_task}")
    if isinstance(address_or_client, str):
        _client_classes()  # fail on a missing extra before reading the model or creating the folder
    out = Path(output_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ClassifierError(f"{out}: cannot create the output folder: {exc.strerror or exc}") from exc
    existing = sorted(p.name for p in out.glob("part-*"))
    if existing:
        raise ClassifierError(f"{out}: the output folder already holds {len(existing)} part file(s) "
                              f"(e.g. {existing[0]}); choose an empty folder")
    blob = read_model_blob(model_path, trust_model)
    own = isinstance(address_or_client, str)
    client, cluster = _client(address_or_client) if own else (address_or_client, None)
    try:
        start = time.perf_counter()
        units, skipped = plan_units(paths, files_per_task, max_bytes, stdin)
        n_workers = len(client.nthreads())
        blob_future = client.scatter(blob, broadcast=True, hash=False)
        futures = client.map(
            score_unit, units, blob=blob_future, output_dir=str(out), threshold=threshold,
            max_bytes=max_bytes, fmt=fmt, pure=False,
        )
        try:
            parts = client.gather(futures)
        except ClassifierError:
            raise
        except Exception as exc:  # noqa: BLE001 - a worker can fail in many ways (killed, OOM, network)
            raise ClassifierError(f"a Dask task failed: {type(exc).__name__}: {exc}") from exc
        return DaskScoreResult(output_dir=out, parts=list(parts), skipped=skipped, n_workers=n_workers,
                               seconds=time.perf_counter() - start)
    finally:
        if own:  # a client (and cluster) made here is closed here; a caller's client is left open
            client.close()
            if cluster is not None:
                cluster.close()
