"""Hostile input through every reader: each outcome is a Document or a one-line IngestError, never another
exception; memory stays bounded; nothing is written outside the store. (bench/fuzz_readers.py: 10,000 a reader.)"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from fuzz_inputs import ALL, BILLION_LAUGHS, EVIL_NAMES, XXE, bomb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.errors import IngestError, MarsadError
from marsad.ingest import read, read_blob
from marsad.ingest.sources import Blob
from marsad.model import Document

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
#: Examples per reader in CI; the slow readers (HTML, feeds, archives: ~10-20 inputs/s) get fewer.
EXAMPLES = {"page": 300, "jsonl": 300, "csv": 300, "trec": 300, "html": 120, "feed": 120, "archive": 120}


def outcomes(name: str, data: bytes, fmt: str | None) -> list[Document | IngestError]:
    items = list(read_blob(Blob(name, data), format=fmt))
    for item in items:
        assert isinstance(item, (Document, IngestError)), item
        if isinstance(item, IngestError):
            assert "\n" not in str(item) and "\r" not in str(item), str(item)
        else:
            for value in (item.text, item.title, item.url, item.published, item.author, item.site):
                if value is not None:
                    value.encode("utf-8")  # never a lone surrogate: the store could not keep it
    return items


@pytest.mark.slow
@pytest.mark.parametrize("reader", sorted(ALL))
def test_every_outcome_is_a_document_or_a_one_line_error(reader: str) -> None:
    @settings(max_examples=EXAMPLES[reader], deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(seed=SEEDS)
    def run(seed: int) -> None:
        outcomes(*ALL[reader](random.Random(seed)))

    run()


# -- regressions: each of these raised (or yielded a broken Document) before the fix --------------------------

@pytest.mark.parametrize("ref", ["&#xD800;", "&#1114112;", "&#0;", "&#x110000;", "&#99999999999;"])
def test_feed_with_a_character_reference_naming_no_character(ref: str) -> None:
    feed = (f"<rss version='2.0'><channel><title>x</title><item><title>خبر</title><description>"
            f"قال {ref} الوزير</description></item></channel></rss>").encode()
    [doc] = outcomes("f.xml", feed, "feed")
    assert isinstance(doc, Document) and "الوزير" in doc.text


@pytest.mark.parametrize("nested", ["[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000])
def test_jsonl_line_nested_too_deeply_is_one_error_and_the_rest_goes_in(nested: str) -> None:
    data = "\n".join([nested, json.dumps({"text": "خبر سليم"})]).encode()
    bad, good = outcomes("d.jsonl", data, "jsonl")
    assert isinstance(bad, IngestError) and bad.record == "line 1" and "nested" in bad.reason
    assert isinstance(good, Document) and good.text == "خبر سليم"


@pytest.mark.parametrize("nested", ["[" * 100_000 + "]" * 100_000, '{"a":' * 100_000 + "1" + "}" * 100_000])
def test_sniffing_a_deeply_nested_json_line_is_not_a_crash(nested: str) -> None:
    # no format and no telling extension (as for an archive member): the sniffer parsed the first line and
    # raised RecursionError out of read()
    data = "\n".join([nested, json.dumps({"text": "خبر سليم"})]).encode()
    items = outcomes("member", data, None)
    assert any(isinstance(i, IngestError) and "nested too deeply" in i.reason for i in items)


@pytest.mark.parametrize("seed", [1003697, 1004452])
def test_zip_with_a_corrupt_member_offset_is_one_error(seed: int, tmp_path: Path) -> None:
    # archive fuzz: a member header offset before the start made zipfile raise "ValueError: negative seek value"
    name, data, fmt = ALL["archive"](random.Random(seed))
    (tmp_path / name).write_bytes(data)
    items = list(read([str(tmp_path / name)], format=fmt))
    assert any(isinstance(i, IngestError) and "cannot read zip member" in i.reason for i in items)
    assert all(isinstance(i, (Document, IngestError)) for i in items)


@pytest.mark.parametrize("field", ["text", "title"])
def test_lone_surrogate_escape_is_an_error_not_a_document(field: str) -> None:
    rec = {"text": "خبر", "title": "عنوان"}
    line = json.dumps(rec).replace(json.dumps(rec[field]), '"\\ud800 x"')
    [item] = outcomes("d.jsonl", line.encode(), "jsonl")
    assert isinstance(item, IngestError) and "surrogate" in item.reason


def test_billion_laughs_feed_is_not_expanded() -> None:
    feed = (BILLION_LAUGHS + "<rss version='2.0'><channel><title>x</title><item><title>t</title>"
            "<description>خبر &lol9;</description></item></channel></rss>").encode()
    tracemalloc.start()
    try:
        items = outcomes("bl.xml", feed, "feed")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20
    assert all(len(i.text) < 10_000 for i in items if isinstance(i, Document))


def test_external_entity_in_a_feed_reads_no_local_file() -> None:
    feed = (XXE + "<rss version='2.0'><channel><title>x</title><item><title>t</title>"
            "<description>خبر &xxe;</description></item></channel></rss>").encode()
    for item in outcomes("xxe.xml", feed, "feed"):
        assert not isinstance(item, Document) or "root:" not in item.text


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def test_archive_member_names_never_touch_the_filesystem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "cwd"
    work.mkdir()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in EVIL_NAMES:
            zf.writestr(zipfile.ZipInfo(name.replace("\x00", "_")), "قال الوزير إن الاتفاق قائم".encode())
    (work / "evil.zip").write_bytes(buf.getvalue())
    (work / "evil.jsonl.gz").write_bytes(gzip.compress(b'{"text": "\\u062e\\u0628\\u0631"}'))
    monkeypatch.chdir(work)
    before = _tree(tmp_path)
    items = list(read(["evil.zip", "evil.jsonl.gz"]))
    assert _tree(tmp_path) == before
    assert not os.path.exists("/tmp/marsad_fuzz_escape_abs.txt")
    docs = [i for i in items if isinstance(i, Document)]
    assert any(d.provenance.source == "evil.zip!../../marsad_fuzz_escape.txt" for d in docs)  # only a name
    assert all(isinstance(i, (Document, IngestError)) for i in items)


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "name", "limit_mb"), [("gz", "bomb.gz", 300), ("zip", "bomb.zip", 30),
                                                         ("ziplie", "bomb.zip", 300)])
def test_bombs_are_one_error_with_bounded_memory(kind: str, name: str, limit_mb: int) -> None:
    data = bomb(kind)
    assert len(data) < 1_000_000  # a small file ...
    tracemalloc.start()
    try:
        items = outcomes(name, data, None)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(items) == 1 and isinstance(items[0], IngestError), items  # ... that expands past the cap
    assert peak < limit_mb * 2**20, f"peak {peak / 2**20:.0f} MB"


@pytest.mark.slow
@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(seed=SEEDS, reader=st.sampled_from(["page", "jsonl", "csv", "trec", "feed"]))
def test_fuzzed_documents_through_the_pipeline(seed: int, reader: str) -> None:
    from marsad.pipeline import default_pipeline

    pipe = default_pipeline()
    for item in outcomes(*ALL[reader](random.Random(seed))):
        if isinstance(item, Document) and len(item.text) < 20_000:
            try:
                pipe(item)
            except MarsadError:
                pass  # a clear, typed error is fine; anything else fails the test
