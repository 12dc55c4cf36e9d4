"""Bad input: one clear one-line error naming the file (and record) and the reason; the batch goes on."""

from __future__ import annotations

import gzip
import json
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from marsad.errors import IngestError
from marsad.ingest import MAX_RECORD_CHARS, read
from marsad.model import Document

GOOD = "عنوان سليم\n\nهذا خبر سليم يجب أن يقرأ رغم الملفات السيئة.\n"


def _one_error(tmp_path: Path, name: str, data: bytes, **kw: object) -> IngestError:
    """Read a bad file between two good ones: exactly one error, both good files still read."""
    bad = tmp_path / name
    bad.write_bytes(data)
    good1, good2 = tmp_path / "good1.txt", tmp_path / "good2.txt"
    good1.write_text(GOOD, encoding="utf-8")
    good2.write_text(GOOD, encoding="utf-8")
    out = list(read([str(good1), str(bad), str(good2)], **kw))  # type: ignore[arg-type]
    errors = [o for o in out if isinstance(o, IngestError)]
    docs = [o for o in out if isinstance(o, Document)]
    assert [d.provenance.source for d in docs if "good" in d.provenance.source] == [str(good1), str(good2)]
    assert len(errors) == 1, errors
    err = errors[0]
    assert err.source.startswith(str(bad))
    line = err.one_line()
    assert "\n" not in line and str(bad) in line
    return err


@pytest.mark.parametrize("data,reason", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary file (PNG image)"),
    (bytes(range(256)) * 64, "binary file"),
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "binary file (ELF"),
])
def test_binary_file(tmp_path: Path, data: bytes, reason: str) -> None:
    assert reason in _one_error(tmp_path, "blob.txt", data).reason


@pytest.mark.parametrize("data,reason", [(b"", "empty file"), (b"  \n\r\n\t\n", "empty file")])
def test_empty_file(tmp_path: Path, data: bytes, reason: str) -> None:
    assert reason in _one_error(tmp_path, "empty.txt", data).reason


def test_invalid_bytes(tmp_path: Path) -> None:
    data = ("عنوان\n\n" + "نص عربي سليم. " * 20).encode("utf-8")
    data = data[:30] + b"\xc3\x28\xff" + data[30:]
    assert "invalid UTF-8 bytes at byte 30" in _one_error(tmp_path, "broken.txt", data).reason


def test_truncated_gzip(tmp_path: Path) -> None:
    data = gzip.compress(("عنوان\n\n" + "نص " * 5000).encode("utf-8"))
    assert "truncated gzip" in _one_error(tmp_path, "cut.txt.gz", data[: len(data) // 2]).reason


def test_corrupt_gzip(tmp_path: Path) -> None:
    data = gzip.compress(GOOD.encode("utf-8"))
    data = data[:12] + b"\xff" * 8 + data[20:]
    assert "gzip" in _one_error(tmp_path, "bad.txt.gz", data).reason


def test_truncated_zip(tmp_path: Path) -> None:
    full = tmp_path / "full.zip"
    with zipfile.ZipFile(full, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", GOOD * 50)
        zf.writestr("b.txt", GOOD * 50)
    data = full.read_bytes()
    full.unlink()
    err = _one_error(tmp_path, "cut.zip", data[: len(data) - 40])
    assert "truncated or corrupt zip" in err.reason


def test_fifty_megabyte_single_line(tmp_path: Path) -> None:
    line = ("كلمة " * (50 * 1024 * 1024 // 9)).encode("utf-8")
    assert len(line) >= 50 * 1024 * 1024 - 16
    tracemalloc.start()
    try:
        err = _one_error(tmp_path, "huge.txt", line)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "record too large" in err.reason and f"{MAX_RECORD_CHARS:,}" in err.reason
    assert peak < 5 * len(line)  # bytes + one decoded copy, not a blow-up


def test_fifty_megabyte_jsonl_line_names_the_line(tmp_path: Path) -> None:
    big = json.dumps({"text": "ن" * (6 * 1024 * 1024)})
    data = ('{"text": "سطر أول."}\n' + big + '\n{"text": "سطر ثالث."}\n').encode("utf-8")
    path = tmp_path / "big.jsonl"
    path.write_bytes(data)
    out = list(read([str(path)]))
    assert [type(o).__name__ for o in out] == ["Document", "IngestError", "Document"]
    assert out[1].record == "line 2" and "record too large" in out[1].reason  # type: ignore[union-attr]


def test_csv_without_text_column(tmp_path: Path) -> None:
    data = "title,date\nعنوان,2024-01-01\n".encode()
    err = _one_error(tmp_path, "notext.csv", data)
    assert "no text field" in err.reason and "title, date" in err.reason and "--text-field" in err.reason


def test_csv_row_with_empty_text_names_the_row(tmp_path: Path) -> None:
    data = "title,text\nأ,نص أول.\nب,\nج,نص ثالث.\n".encode()
    path = tmp_path / "rows.csv"
    path.write_bytes(data)
    out = list(read([str(path)]))
    assert [type(o).__name__ for o in out] == ["Document", "Document", "Document"]  # title-only row kept
    data = "text,title,category\nنص أول.,أ,x\n,,سياسة\nنص ثالث.,ج,x\n".encode()
    path.write_bytes(data)
    out = list(read([str(path)]))
    errors = [o for o in out if isinstance(o, IngestError)]
    assert len(out) == 3 and len(errors) == 1 and errors[0].record == "row 2"


def test_malformed_json_line(tmp_path: Path) -> None:
    data = '{"text": "سطر سليم."}\n{"text": "سطر مكسور\n{"text": "سطر سليم آخر."}\n'.encode()
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(data)
    out = list(read([str(path)]))
    errors = [o for o in out if isinstance(o, IngestError)]
    assert len(out) == 3 and len(errors) == 1
    assert errors[0].record == "line 2" and "malformed JSON" in errors[0].reason
    assert errors[0].one_line().startswith(f"{path} [line 2]: malformed JSON")


def test_json_line_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "list.jsonl"
    path.write_text('{"text": "أ."}\n[1, 2]\n', encoding="utf-8")
    errors = [o for o in read([str(path)]) if isinstance(o, IngestError)]
    assert len(errors) == 1 and "not an object" in errors[0].reason


def test_malformed_json_file(tmp_path: Path) -> None:
    assert "malformed JSON" in _one_error(tmp_path, "bad.json", b'[{"text": "x"},').reason


@pytest.mark.parametrize("data", [b"this is not a feed, just words", "<rss><channel><item><title>ع".encode()])
def test_feed_that_is_not_xml(tmp_path: Path, data: bytes) -> None:
    err = _one_error(tmp_path, "news.rss", data, format=None)
    assert "feed" in err.reason


def test_trec_unterminated_doc(tmp_path: Path) -> None:
    doc = "<DOC>\n<DOCNO>D{n}</DOCNO>\n<TEXT>\nنص {n}.\n</TEXT>\n</DOC>\n"
    data = doc.format(n=1) + doc.format(n=2)[:-8] + "\n" + doc.format(n=3) + "<DOC>\n<DOCNO>D4</DOCNO>\n<TEXT>\nنص"
    path = tmp_path / "cut.trec"
    path.write_text(data, encoding="utf-8")
    out = list(read([str(path)]))
    assert [o.provenance.record for o in out if isinstance(o, Document)] == ["D1", "D3"]
    errors = [o for o in out if isinstance(o, IngestError)]
    assert len(errors) == 2 and all("unterminated <DOC>" in e.reason for e in errors)


def test_html_without_main_text(tmp_path: Path) -> None:
    assert "no main text" in _one_error(tmp_path, "empty.html", b"<html><head><title>t</title></head><body></body></html>").reason


def test_messages_are_one_line_and_name_file_and_record(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"title": "no text"}\n', encoding="utf-8")
    (err,) = list(read([str(path)]))
    assert isinstance(err, IngestError)
    assert err.one_line() == f"{path} [line 1]: no text field (tried text, content, body, article; fields: " \
                             "title); name it with --text-field"


def test_empty_zip(tmp_path: Path) -> None:
    full = tmp_path / "x.zip"
    with zipfile.ZipFile(full, "w") as zf:
        zf.writestr("README.md", "docs only")
    data = full.read_bytes()
    full.unlink()
    assert "no readable files" in _one_error(tmp_path, "empty.zip", data).reason
