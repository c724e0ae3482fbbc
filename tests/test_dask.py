"""Scoring on a Dask LocalCluster gives, row for row, what local scoring gives (1,000+ documents)."""

from __future__ import annotations

import io
import json

import pytest

from classifier.batch import FrameScorer, score_frame
from classifier.documents import InputScanner
from classifier.errors import ClassifierError
from classifier.persist import save_model
from classifier.report import write_rows
from classifier.scoring import score_documents

from .conftest import GENUINE_DOCS, SPAM_DOCS

distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")
pq = pytest.importorskip("pyarrow.parquet")

from typer.testing import CliRunner  # noqa: E402

from classifier.cli import app  # noqa: E402
from classifier.distributed import plan_units, score_on_dask, worker_model_digests  # noqa: E402

#: make_crawl: documents in the generated crawl (the issue asks for at least 1,000).
N_DOCS = 1000
#: make_crawl: how many of them are plain files in folders; the rest go to JSONL shards.
N_FILES = 400
#: make_crawl: JSONL shards the other documents are split into.
N_SHARDS = 3
#: make_crawl: place names swapped into the texts, so no two documents are equal.
PLACES = ("市", "江城", "海州", "云港", "山阳", "临川", "北塘")
#: make_crawl: lines appended to the texts (formatted with the document number).
TAILS = ("记者 王{n} 报道。", "(编辑:李{n})", "第{n}期 更多内容请关注后续报道。", "责任编辑:张{n}", "点击查看第{n}条相关信息")


def variant(n: int) -> str:
    """Document n: a hand-written text with a place swapped, a numbered tail, sometimes as HTML."""
    base = (GENUINE_DOCS + SPAM_DOCS)[n % 16]
    text = base.replace("市", PLACES[n % len(PLACES)], 1) + "\n" + TAILS[n % len(TAILS)].format(n=n)
    if n % 4 == 3:
        title, _, body = text.partition("\n")
        paragraphs = "".join(f"<p>{line}</p>" for line in body.splitlines() if line.strip())
        text = f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{paragraphs}</body></html>"
    return text


def make_crawl(root):
    """N_DOCS documents in folders and JSONL shards, plus bad inputs that must become error rows."""
    for n in range(N_FILES):
        folder = root / "sites" / f"site{n % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        suffix = ".html" if n % 4 == 3 else ".txt"
        (folder / f"page{n:04d}{suffix}").write_text(variant(n), encoding="utf-8")
    (root / "sites" / "site0" / "gbk.txt").write_bytes(variant(5).encode("gb18030"))
    (root / "sites" / "site1" / "binary.txt").write_bytes(b"\x89PNG\x00\x00\x00")
    (root / "sites" / "site2" / "empty.txt").write_bytes(b"")
    (root / "sites" / "MANIFEST.json").write_text("{}", encoding="utf-8")  # skipped, not a row
    shards = root / "shards"
    shards.mkdir()
    numbers = list(range(N_FILES, N_DOCS))
    for s in range(N_SHARDS):
        lines = []
        for n in numbers[s::N_SHARDS]:
            record = {"text": variant(n)} if n % 2 else {"id": f"rec-{n}", "html": variant(n)}
            lines.append(json.dumps(record, ensure_ascii=False))
        lines.insert(10, "{not json")  # line 11
        lines.insert(20, json.dumps({"id": "blank", "text": "  "}))
        (shards / f"shard-{s}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(root / "sites"), str(shards)]


def local_lines(model, paths, threshold=None):
    """What ``classifier score PATHS --format jsonl`` prints, as lines."""
    stream = io.StringIO()
    for _ in write_rows(score_documents(model, InputScanner(paths), threshold), "jsonl", stream):
        pass
    return stream.getvalue().splitlines()


def part_lines(folder):
    return [line for part in sorted(folder.glob("part-*.jsonl")) for line in part.read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.fixture(scope="module")
def crawl(tmp_path_factory, tiny_model):
    root = tmp_path_factory.mktemp("crawl")
    model_path = root / "tiny.model"
    save_model(tiny_model, model_path)
    paths = make_crawl(root / "in")
    return paths, model_path, local_lines(tiny_model, paths)


def test_dask_rows_identical_to_local(client, crawl, tmp_path):
    paths, model_path, expected = crawl
    result = score_on_dask(paths, client, tmp_path / "out", model_path=model_path, files_per_task=50)
    got = part_lines(tmp_path / "out")
    assert len(expected) == N_DOCS + 3 + 2 * N_SHARDS  # + GB18030, binary and empty files, 2 bad lines per shard
    assert got == expected  # ids, labels, probabilities, reasons, errors and order, byte for byte
    rows = [json.loads(line) for line in got]
    assert {r["label"] for r in rows} == {"genuine", "spam", None}
    errors = {r["id"].rsplit("/", 1)[-1]: r["error"] for r in rows if r["error"]}
    assert errors["binary.txt"].startswith("binary content") and errors["empty.txt"] == "empty input (no text)"
    assert errors["shard-0.jsonl:11"].startswith("bad JSONL line 11") and errors["shard-0.jsonl:21"].startswith("empty input")
    assert result.n_rows == len(expected) and result.n_errors == 2 + 2 * N_SHARDS
    assert len(result.parts) == 8 + N_SHARDS + 1  # 400+1 files in tasks of 50, one task per shard
    assert result.skipped and result.skipped[0][0].endswith("MANIFEST.json")
    assert result.n_workers == 2
    digests = client.run(worker_model_digests)  # the model was loaded once on each worker, and kept
    assert len(digests) == 2 and all(len(d) == 1 for d in digests.values())


def test_cli_dask_parquet_and_errors(client, crawl, tmp_path):
    paths, model_path, expected = crawl
    out = tmp_path / "pq"
    result = CliRunner().invoke(app, ["score", *paths, "--model", str(model_path), "--dask", client.scheduler.address,
                                      "--dask-output", str(out), "--format", "parquet"])
    assert result.exit_code == 1, result.output  # error rows are there, so exit 1 as locally
    assert "could not be scored" in result.stderr and "part file(s)" in result.stderr
    parts = sorted(out.glob("part-*.parquet"))
    got = [row for p in parts for row in pq.read_table(p).to_pylist()]
    local = [json.loads(line) for line in expected]
    assert [r["id"] for r in got] == [r["id"] for r in local]
    assert [r["label"] for r in got] == [r["label"] for r in local]
    assert [r["error"] for r in got] == [r["error"] for r in local]
    rounded = [None if p is None else round(p, 6) for p in (r["probability"] for r in got)]  # null on error rows
    assert rounded == [r["probability"] for r in local]
    assert [json.loads(r["reasons"]) for r in got] == [r["reasons"] for r in local]
    again = CliRunner().invoke(app, ["score", *paths, "--dask", client.scheduler.address, "--dask-output", str(out)])
    assert again.exit_code == 1 and "already holds" in again.stderr
    usage = CliRunner().invoke(app, ["score", *paths, "--dask", client.scheduler.address])
    assert usage.exit_code == 2 and "--dask-output" in usage.output


def test_map_partitions_with_frame_scorer(client, crawl, tiny_model):
    _, model_path, _ = crawl
    records = [{"id": f"d{n}", "text": variant(n)} for n in range(200)] + [{"id": "bad", "text": ""}]
    frame = pd.DataFrame(records)
    ddf = dd.from_pandas(frame, npartitions=4)
    got = ddf.map_partitions(FrameScorer(model_path), meta=FrameScorer.meta()).compute()
    expected = score_frame(frame, tiny_model)
    pd.testing.assert_frame_equal(got, expected)


def test_plan_and_errors(tmp_path, crawl):
    paths, model_path, _ = crawl
    units, skipped = plan_units([*paths, str(tmp_path / "missing")], files_per_task=1000)
    assert [len(u.files) for u in units] == [403, 1, 1, 1, 0]
    assert units[-1].items[0].reason == "unreadable: no such file or directory"
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "part-00000.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(ClassifierError, match="already holds 1 part file"):
        score_on_dask(paths, "local", tmp_path / "out", model_path=model_path)
    with pytest.raises(ClassifierError, match=r"expected a part format in \['jsonl', 'parquet'\], got 'csv'"):
        score_on_dask(paths, "local", tmp_path / "x", fmt="csv")
    with pytest.raises(ClassifierError, match="expected --dask local or local:N"):
        score_on_dask(paths, "local:two", tmp_path / "y", model_path=model_path)
