"""The public reader API the CLI and other tools call: names, keyword-only options, lazy errors."""

from __future__ import annotations

import inspect
from dataclasses import fields

from marsad import ingest
from marsad.errors import IngestError


def test_public_names() -> None:
    assert set(ingest.__all__) == {"FORMATS", "MAX_MEMBER_BYTES", "MAX_RECORD_CHARS", "FieldMap", "read",
                                   "read_blob"}
    assert all(hasattr(ingest, name) for name in ingest.__all__)
    assert ingest.FORMATS == ("page", "html", "feed", "jsonl", "json", "csv", "trec")


def test_read_signature() -> None:
    params = inspect.signature(ingest.read).parameters
    assert list(params) == ["inputs", "format", "fields"]
    assert params["format"].kind is inspect.Parameter.KEYWORD_ONLY
    assert params["fields"].kind is inspect.Parameter.KEYWORD_ONLY


def test_field_map_names() -> None:
    assert [f.name for f in fields(ingest.FieldMap)] == [
        "text_field", "title_field", "date_field", "url_field", "author_field", "id_field"]
    assert ingest.FieldMap().text_field is None


def test_errors_are_yielded_not_raised() -> None:
    out = list(ingest.read(["/nonexistent/marsad/path.txt"]))
    assert len(out) == 1 and isinstance(out[0], IngestError)
    assert out[0].one_line() == "/nonexistent/marsad/path.txt: no such file or folder"


def test_a_single_string_input_is_one_path(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "a.txt"
    path.write_text("عنوان\n\nنص.", encoding="utf-8")
    assert len(list(ingest.read(str(path)))) == 1  # type: ignore[arg-type]
