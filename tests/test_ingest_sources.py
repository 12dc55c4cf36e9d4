"""Input expansion: folders, globs, stdin, .gz and .zip archives (member names never touch the disk)."""

from __future__ import annotations

import gzip
import io
import sys
import zipfile
from pathlib import Path

import pytest

from marsad.errors import IngestError
from marsad.ingest import read, sources
from marsad.model import Document

PAGE = "عنوان الخبر\n\nنص الخبر الأول، وهو قصير.\n"
JSONL = '{"title": "عنوان", "text": "نص السطر الأول."}\n{"title": "عنوان 2", "text": "نص السطر الثاني."}\n'


def _split(items: list[object]) -> tuple[list[Document], list[IngestError]]:
    docs = [i for i in items if isinstance(i, Document)]
    errs = [i for i in items if isinstance(i, IngestError)]
    return docs, errs


def test_folder_is_read_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / "a.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "b" / "deep" / "c.jsonl").write_text(JSONL, encoding="utf-8")
    (tmp_path / "LICENSE").write_text("Apache License", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(PAGE, encoding="utf-8")
    docs, errs = _split(list(read([str(tmp_path)])))
    assert not errs
    assert [Path(d.provenance.source).name for d in docs] == ["a.txt", "c.jsonl", "c.jsonl"]


def test_explicit_file_named_like_documentation_is_read(tmp_path: Path) -> None:
    path = tmp_path / "README.txt"
    path.write_text(PAGE, encoding="utf-8")
    docs, _ = _split(list(read([str(path)])))
    assert len(docs) == 1


def test_glob(tmp_path: Path) -> None:
    for n in range(3):
        (tmp_path / f"p{n}.txt").write_text(PAGE.replace("الأول", str(n)), encoding="utf-8")
    (tmp_path / "other.jsonl").write_text(JSONL, encoding="utf-8")
    docs, errs = _split(list(read([str(tmp_path / "p*.txt")])))
    assert len(docs) == 3 and not errs
    _, errs = _split(list(read([str(tmp_path / "nothing*.txt")])))
    assert len(errs) == 1 and "matched no files" in errs[0].reason


def test_missing_path_is_one_error(tmp_path: Path) -> None:
    _, errs = _split(list(read([str(tmp_path / "absent.txt"), str(tmp_path)])))
    assert len(errs) == 2 and "no such file" in errs[0].reason and "no readable files" in errs[1].reason


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(JSONL.encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    docs, errs = _split(list(read(["-"])))
    assert not errs and [d.title for d in docs] == ["عنوان", "عنوان 2"]
    assert docs[0].provenance.source == "-" and docs[0].provenance.format == "jsonl"


def test_gzip_member_keeps_format_by_inner_extension(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl.gz"
    path.write_bytes(gzip.compress(JSONL.encode("utf-8")))
    docs, errs = _split(list(read([str(path)])))
    assert not errs and len(docs) == 2
    assert docs[1].provenance.source == str(path) and docs[1].provenance.record == "line 2"
    raw = JSONL.encode("utf-8")
    p = docs[1].provenance
    assert raw[p.byte_start:p.byte_end].decode("utf-8") == JSONL.splitlines()[1]


def test_zip_members(tmp_path: Path) -> None:
    path = tmp_path / "batch.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("news/one.txt", PAGE)
        zf.writestr("news/two.jsonl", JSONL)
        zf.writestr("news/", "")
        zf.writestr("nested.txt.gz", gzip.compress(PAGE.encode("utf-8")))
    docs, errs = _split(list(read([str(path)])))
    assert not errs
    assert [d.provenance.source for d in docs] == [f"{path}!news/one.txt", f"{path}!news/two.jsonl",
                                                   f"{path}!news/two.jsonl", f"{path}!nested.txt.gz"]


def test_zip_member_names_are_only_names(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    path = work / "evil.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("../../escaped.txt", PAGE)
        zf.writestr("/abs/path.txt", PAGE)
    docs, errs = _split(list(read([str(path)])))
    assert not errs and len(docs) == 2
    assert docs[0].provenance.source == f"{path}!../../escaped.txt"
    assert not (tmp_path / "escaped.txt").exists() and sorted(p.name for p in work.iterdir()) == ["evil.zip"]


def test_zip_bomb_member_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_MEMBER_BYTES", 1024 * 1024)
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.txt", "ا" * (2 * 1024 * 1024))
        zf.writestr("ok.txt", PAGE)
    docs, errs = _split(list(read([str(path)])))
    assert len(docs) == 1 and len(errs) == 1
    assert errs[0].source == f"{path}!big.txt" and "zip bomb" in errs[0].reason


def test_gzip_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_MEMBER_BYTES", 1024 * 1024)
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * (3 * 1024 * 1024)))
    docs, errs = _split(list(read([str(path)])))
    assert not docs and len(errs) == 1 and "zip bomb" in errs[0].reason


def test_stream_cap_does_not_trust_declared_sizes() -> None:
    # archive members are read through this cap, whatever size their header declares
    data = sources._read_capped(io.BytesIO(b"x" * 999), 1000, "n", "member")
    assert len(data) == 999
    with pytest.raises(IngestError, match="larger than"):
        sources._read_capped(io.BytesIO(b"x" * 1001), 1000, "n", "member")


def _tar(members: dict[str, bytes]) -> bytes:
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_tar_gz_members(tmp_path: Path) -> None:
    path = tmp_path / "batch.tar.gz"
    path.write_bytes(gzip.compress(_tar({"a/one.txt": PAGE.encode(), "../two.jsonl": JSONL.encode()})))
    docs, errs = _split(list(read([path])))  # type: ignore[list-item]  # os.PathLike works too
    assert not errs
    assert [d.provenance.source for d in docs] == [f"{path}!a/one.txt", f"{path}!../two.jsonl",
                                                   f"{path}!../two.jsonl"]
    assert not (tmp_path.parent / "two.jsonl").exists()


def test_truncated_tar(tmp_path: Path) -> None:
    path = tmp_path / "cut.tar"
    path.write_bytes(_tar({"one.txt": (PAGE * 200).encode()})[:1500])
    docs, errs = _split(list(read([str(path)])))
    assert not docs and len(errs) == 1 and "truncated" in errs[0].reason


def _jsonl_lines(n: int) -> list[str]:
    return [f'{{"title": "عنوان {i}", "text": "نص الخبر رقم {i}، وهو خبر قصير."}}' for i in range(n)]


def test_big_jsonl_is_streamed_with_the_same_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(_jsonl_lines(400)) + "\n", encoding="utf-8")
    whole = list(read([str(path)]))
    monkeypatch.setattr(sources, "STREAM_BYTES", 1000)
    streamed = list(read([str(path)]))
    assert len(streamed) == 400 and streamed == whole  # same texts, records and byte ranges


def test_streamed_jsonl_bad_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from marsad.ingest import records

    monkeypatch.setattr(sources, "STREAM_BYTES", 1000)
    monkeypatch.setattr(records, "MAX_LINE_BYTES", 5000)
    lines = [line.encode("utf-8") for line in _jsonl_lines(60)]
    lines[10] = b'{"text": "' + "ن".encode() * 4000 + b'"}'  # 8 KB line
    lines[20] = b'{"text": "broken'
    lines[30] = b'{"text": "\xff\xfe"}'
    path = tmp_path / "big.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    out = list(read([str(path)]))
    errors = {e.record: e.reason for e in out if isinstance(e, IngestError)}
    assert len(out) == 60 and set(errors) == {"line 11", "line 21", "line 31"}
    assert "record too large" in errors["line 11"] and "malformed JSON" in errors["line 21"]
    assert "invalid utf-8 bytes" in errors["line 31"]
    last = out[-1]
    assert isinstance(last, Document) and last.provenance.record == "line 60"
    raw = path.read_bytes()
    assert raw[last.provenance.byte_start:last.provenance.byte_end] == lines[59]


def test_big_file_of_another_format_is_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "STREAM_BYTES", 100)
    path = tmp_path / "page.txt"
    path.write_text(PAGE * 20, encoding="utf-8")
    (doc,) = list(read([str(path)]))
    assert isinstance(doc, Document) and doc.text == PAGE * 20
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 1000)
    (err,) = list(read([str(path)]))
    assert isinstance(err, IngestError) and "only JSONL is read in a stream" in err.reason


def test_multi_member_gzip_larger_than_one_chunk_is_read_whole(tmp_path: Path) -> None:
    # regression: the first member's end came while its output exceeded one read chunk, and the reader looped
    # forever over the next member's bytes (bench/fuzz_readers.py, archive seed 1000195)
    body = (JSONL * 20_000).encode("utf-8")
    assert len(body) > 2 * sources._CHUNK
    path = tmp_path / "two.jsonl.gz"
    path.write_bytes(gzip.compress(body) + gzip.compress(JSONL.encode("utf-8")))
    assert sources._gunzip(str(path), path.read_bytes()) == body + JSONL.encode("utf-8")
