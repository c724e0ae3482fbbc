import codecs
import io
import json

import pytest

from classifier.documents import InputScanner, decode_bytes, load_labeled
from classifier.errors import DatasetError, InputError

TEXT = "臺灣新聞報導今天的天氣很好,民眾出門踏青。"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("big5"),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "big5", "utf16le-bom", "utf16be-bom"],
)
def test_decode_known_text(data):
    assert decode_bytes(data, "x") == TEXT


def test_decode_gb18030():
    text = "深圳新闻报道今天天气很好,市民外出游玩,公园里人很多。"
    assert decode_bytes(text.encode("gb18030"), "x") == text


def test_decode_binary_and_empty():
    with pytest.raises(InputError, match="binary content"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "img.png")
    with pytest.raises(InputError, match="empty input"):
        decode_bytes(b"  \n", "blank.txt")


def test_scanner_rows_for_every_input(tmp_path):
    (tmp_path / "a.txt").write_text("标题\n\n正文内容。", encoding="utf-8")
    (tmp_path / "b.bin").write_bytes(b"\x00\x01")
    (tmp_path / "c.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "MANIFEST.json").write_text("{}", encoding="utf-8")
    lines = [json.dumps({"text": "一"}), "not json", json.dumps({"id": "own", "text": "二"})]
    (tmp_path / "d.jsonl").write_text("\n".join(lines), encoding="utf-8")
    scanner = InputScanner([str(tmp_path)])
    items = list(scanner)
    ids = [i.id if not isinstance(i, InputError) else i.input_id for i in items]
    assert ids == [f"{tmp_path}/a.txt", f"{tmp_path}/c.txt", f"{tmp_path}/d.jsonl:1", f"{tmp_path}/d.jsonl:2", "own"]
    assert isinstance(items[1], InputError) and "binary" in items[1].reason
    assert isinstance(items[3], InputError) and "bad JSONL line" in items[3].reason
    assert sorted(p.rsplit("/", 1)[1] for p, _ in scanner.skipped) == ["MANIFEST.json", "b.bin"]


def test_scanner_stdin_jsonl_and_text():
    rows = list(InputScanner(["-"], stdin=io.BytesIO(b'{"text": "a"}\n{"text": "b"}\n')))
    assert [r.id for r in rows] == ["stdin:1", "stdin:2"]
    rows = list(InputScanner(["-"], stdin=io.BytesIO("新闻".encode())))
    assert [r.id for r in rows] == ["stdin"]


def test_scanner_too_large_and_missing(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("字" * 100, encoding="utf-8")
    items = list(InputScanner([str(big), str(tmp_path / "nope.txt")], max_bytes=50))
    assert "too large" in items[0].reason
    assert "no such file" in items[1].reason


def test_load_labeled_folder_sources(tmp_path):
    (tmp_path / "genuine" / "outlet_a").mkdir(parents=True)
    (tmp_path / "spam").mkdir()
    (tmp_path / "genuine" / "outlet_a" / "1.txt").write_text("新闻一", encoding="utf-8")
    (tmp_path / "spam" / "2.html").write_text("<p>广告</p><p>广告</p>", encoding="utf-8")
    (tmp_path / "spam" / "MANIFEST.json").write_text("[]", encoding="utf-8")
    (tmp_path / "SOURCES.md").write_text("not a document", encoding="utf-8")
    data = load_labeled(tmp_path)
    assert [(d.id, d.label, d.source) for d in data.documents] == [
        ("genuine/outlet_a/1.txt", "genuine", "outlet_a"),
        ("spam/2.html", "spam", "spam"),
    ]
    assert len(data.skipped) == 1


def test_load_labeled_jsonl_errors(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "a", "label": "spam"}\n{"text": "b"}\n{"text": "c", "label": "ham"}\n', encoding="utf-8")
    data = load_labeled(path)
    assert [d.source for d in data.documents] == ["d"]
    assert [e.input_id for e in data.errors] == [f"{path}:2", f"{path}:3"]
    assert "missing 'label'" in data.errors[0].reason and "'ham' is not one of" in data.errors[1].reason
    with pytest.raises(DatasetError, match="expected a folder with genuine/ and spam/"):
        load_labeled(tmp_path / "missing")
