"""Score a table of documents at once: a pandas DataFrame (or a list of records) in, a DataFrame out.

This is the shape every data-parallel engine hands to user code, so the same function serves them all:

- Dask: ``ddf.map_partitions(FrameScorer(path), meta=FrameScorer.meta())``;
- Spark: ``df.mapInPandas(lambda frames: map(scorer, frames), schema=OUTPUT_SPARK_SCHEMA)``;
- Ray Data: ``ds.map_batches(FrameScorer(path), batch_format="pandas")``.

Each output row is exactly what :func:`classifier.scoring.score_documents` gives for that input (it is
called inside): same ``id``, ``label``, ``probability`` (not rounded), ``threshold`` and reasons. The
``reasons`` column is a JSON **string** (a list of objects with ``feature``, ``value``, ``contribution``,
``evidence``), because a string column has one type in pandas, Arrow, Parquet and Spark alike, where a list of
structs would need a schema per engine. ``json.loads`` gives back the list of the JSONL output.

A model given by path (or ``None``, the shipped model) is loaded once per process and cached by path, so a
worker process that scores many partitions reads the model file once. pandas is needed (``pip install
".[dask]"``); it is imported on first use, so importing this module needs nothing beyond the package.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from classifier.documents import Document, display_id, is_utf8_text
from classifier.errors import ClassifierError, InputError
from classifier.model import SpamClassifier
from classifier.scoring import DEFAULT_BATCH_SIZE, ScoreRow, score_documents

if TYPE_CHECKING:  # pandas is an optional dependency (the dask extra)
    import pandas as pd

#: score_frame: output columns, in order (the fields of a ``classifier score`` row).
OUTPUT_COLUMNS = ("id", "label", "probability", "threshold", "reasons", "error")
#: FrameScorer.meta / empty outputs: pandas dtype of each output column (strings may be missing: label).
OUTPUT_DTYPES = {
    "id": "object",
    "label": "object",
    "probability": "float64",
    "threshold": "float64",
    "reasons": "object",
    "error": "object",
}
#: docs/DISTRIBUTED.md, Spark recipe: the output schema for ``mapInPandas`` as a DDL string.
OUTPUT_SPARK_SCHEMA = "id string, label string, probability double, threshold double, reasons string, error string"
#: records_to_inputs: columns read for the text, in order of preference (as in JSONL input).
TEXT_COLUMNS = ("text", "html")
#: records_to_inputs: error of a row without a usable text (mirrors JSONL's "expected a string field ...").
NO_TEXT_REASON = "bad record: expected a string field 'text' or 'html'"
#: records_to_inputs: error of a row whose text is blank (the same words as a blank JSONL text).
BLANK_TEXT_REASON = "empty input (the 'text' field is blank)"
#: records_to_inputs: error of a row whose text cannot be written as UTF-8.
SURROGATE_REASON = "bad record: the text has unpaired surrogate escapes (not Unicode text)"

_MODEL_CACHE: dict[tuple[str, bool], SpamClassifier] = {}
_MODEL_LOCK = threading.Lock()


def cached_model(path: str | Path | None = None, *, trust_model: bool = False) -> SpamClassifier:
    """Load a model once per process and return the same object afterwards.

    Parameters
    ----------
    path : str, Path or None
        Model file (with its card beside it); ``None`` is the shipped model. The cache key is the resolved
        path, so two spellings of one file share an entry.
    trust_model : bool
        Passed to :func:`classifier.persist.load_model` (allow a pickle-based file).

    Raises
    ------
    ModelLoadError
        As :func:`classifier.persist.load_model`.
    """
    from classifier.persist import default_model_path, load_model

    resolved = Path(path).resolve() if path is not None else default_model_path().resolve()
    key = (str(resolved), bool(trust_model))
    with _MODEL_LOCK:  # a worker with several threads loads the file once, not once per thread
        if key not in _MODEL_CACHE:
            _MODEL_CACHE[key] = load_model(resolved, trust_model=trust_model)
        return _MODEL_CACHE[key]


def clear_model_cache() -> None:
    """Forget every model :func:`cached_model` loaded in this process (e.g. after replacing a file)."""
    with _MODEL_LOCK:
        _MODEL_CACHE.clear()


def records_to_inputs(records: Iterable[Mapping[str, Any]]) -> list[Document | InputError]:
    """Turn records (dicts with ``id`` and ``text`` or ``html``) into the inputs of ``score_documents``.

    The text is ``text`` when it is a string, else ``html`` when that is a string. The id is the record's
    ``id`` (made a string); a missing or blank id becomes ``row:N`` (N counting records from 0). A record
    without a string text, with a blank text or with unpaired surrogates becomes an :class:`InputError`, so
    it yields an error row like a bad JSONL line, never an exception. Other fields are ignored (a ``label``
    column does not change the score).
    """
    inputs: list[Document | InputError] = []
    for position, record in enumerate(records):
        rid = record.get("id")
        if _missing(rid) or not str(rid).strip():
            input_id = f"row:{position}"
        else:
            input_id = display_id(str(rid))
        text = next((record[c] for c in TEXT_COLUMNS if isinstance(record.get(c), str)), None)
        if text is None:
            inputs.append(InputError(input_id, NO_TEXT_REASON))
        elif not text.strip():
            inputs.append(InputError(input_id, BLANK_TEXT_REASON))
        elif not is_utf8_text(text):
            inputs.append(InputError(input_id, SURROGATE_REASON))
        else:
            inputs.append(Document(id=input_id, text=text))
    return inputs


def _missing(value) -> bool:
    """None or a float NaN (pandas' missing value in an object column)."""
    return value is None or (isinstance(value, float) and value != value)


def rows_to_frame(rows: Iterable[ScoreRow], index=None) -> pd.DataFrame:
    """ScoreRows as a DataFrame with :data:`OUTPUT_COLUMNS`; ``reasons`` as a JSON string per row."""
    import pandas as pd

    rows = list(rows)
    columns = {
        "id": [row.id for row in rows],
        "label": [row.label for row in rows],
        "probability": [float("nan") if row.probability is None else float(row.probability) for row in rows],
        "threshold": [float(row.threshold) for row in rows],
        "reasons": [json.dumps(row.reasons, ensure_ascii=False) for row in rows],
        "error": [row.error for row in rows],
    }
    # Series built with explicit dtypes: pandas 3 would infer its ``str`` dtype and turn a None label into NaN.
    return pd.DataFrame(
        {name: pd.Series(values, dtype=OUTPUT_DTYPES[name], index=index) for name, values in columns.items()},
        index=index,
    )


def empty_output() -> pd.DataFrame:
    """A DataFrame with no rows and the output columns and dtypes (Dask's ``meta``)."""
    return rows_to_frame([])


def score_frame(
    df: pd.DataFrame | Iterable[Mapping[str, Any]],
    model: SpamClassifier | str | Path | None = None,
    threshold: float | None = None,
    *,
    trust_model: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> pd.DataFrame:
    """Score every row of ``df`` and return one output row per input row, in the same order.

    Parameters
    ----------
    df : pandas.DataFrame or iterable of dict
        Columns (keys) ``id`` and ``text`` or ``html``; other columns are ignored. See
        :func:`records_to_inputs` for missing ids and bad texts.
    model : SpamClassifier, str, Path or None
        A loaded model, or a model file loaded once per process (:func:`cached_model`); ``None`` is the
        shipped model.
    threshold : float, optional
        Probability above which a row is labeled spam; default: the model's.
    trust_model : bool
        Allow a pickle-based model file (only used when ``model`` is a path).
    batch_size : int
        Documents featurized together (memory vs speed), as in ``score_documents``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`OUTPUT_COLUMNS`: ``id`` (str), ``label`` (``genuine``/``spam``, None on an error
        row), ``probability`` (float64, NaN on an error row), ``threshold`` (float64), ``reasons`` (a JSON
        string of the list of reasons; ``"[]"`` on an error row), ``error`` (str, empty when scored). The
        index is ``df``'s index (a RangeIndex for records), so the output aligns with the input.

    Raises
    ------
    ClassifierError
        If ``df`` is neither a DataFrame nor an iterable of mappings; ModelLoadError if the model cannot
        be loaded.

    Examples
    --------
    >>> out = score_frame([{"id": "a", "text": "市图书馆宣布延长开放时间。"}, {"id": "b", "text": " "}])
    >>> list(out["id"]), out.loc[1, "error"]
    (['a', 'b'], "empty input (the 'text' field is blank)")
    """
    clf = model if isinstance(model, SpamClassifier) else cached_model(model, trust_model=trust_model)
    records, index = _records_of(df)
    rows = list(score_documents(clf, records_to_inputs(records), threshold, batch_size=batch_size))
    return rows_to_frame(rows, index=index)


def _records_of(df) -> tuple[list[Mapping[str, Any]], Any]:
    """Records and the index to give the output: the frame's own index, or None (a RangeIndex)."""
    if hasattr(df, "to_dict") and hasattr(df, "columns"):
        return df.to_dict(orient="records"), df.index
    try:
        records = list(df)
    except TypeError as exc:
        raise ClassifierError(f"expected a pandas DataFrame or an iterable of records, got {type(df).__name__}") from exc
    bad = next((type(r).__name__ for r in records if not isinstance(r, Mapping)), None)
    if bad is not None:
        raise ClassifierError(f"expected records as mappings with 'id' and 'text' or 'html', got a {bad}")
    return records, None


class FrameScorer:
    """A picklable callable ``DataFrame -> DataFrame`` for ``map_partitions``/``mapInPandas``/``map_batches``.

    It holds only the model's path, never the model, so it is cheap to pickle and send; the model is loaded
    on the worker at the first call and cached per process (:func:`cached_model`), so every partition a
    process scores after the first reuses it.

    Parameters
    ----------
    model_path : str, Path or None
        Model file readable on the workers (a shared file system, or the same path on every machine);
        ``None`` is the shipped model of the workers' installation.
    threshold : float, optional
        Probability above which a row is labeled spam; default: the model's.
    trust_model : bool
        Allow a pickle-based model file.

    Examples
    --------
    >>> scorer = FrameScorer()
    >>> scorer([{"id": "x", "text": ""}])["error"].tolist()
    ["empty input (the 'text' field is blank)"]
    """

    def __init__(self, model_path: str | Path | None = None, threshold: float | None = None, trust_model: bool = False):
        self.model_path = model_path
        self.threshold = threshold
        self.trust_model = trust_model

    def __call__(self, df) -> pd.DataFrame:
        model = cached_model(self.model_path, trust_model=self.trust_model)
        return score_frame(df, model, self.threshold)

    @staticmethod
    def meta() -> pd.DataFrame:
        """The empty output frame Dask needs as ``meta=`` (columns and dtypes)."""
        return empty_output()

    def __repr__(self) -> str:
        return f"FrameScorer(model_path={self.model_path!r}, threshold={self.threshold!r})"
