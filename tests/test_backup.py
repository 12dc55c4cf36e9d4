"""Durability: analysis_from_dict inverts to_dict; backup/restore and export -> import lose nothing
(counts and checksums compared); restore refuses to overwrite a non-empty store without --force."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from marsad.backup import export_checksum, import_jsonl
from marsad.errors import IngestError
from marsad.model import (
    Analysis,
    Argument,
    Document,
    Entity,
    Event,
    Mention,
    Paragraph,
    Provenance,
    Quote,
    Sentence,
)
from marsad.serialize import analysis_from_dict, document_dict
from marsad.store import open_store


def handmade(text: str, title: str | None, fmt: str) -> Analysis:
    """Every layer filled, None values included (to_dict drops them: from_dict must put them back)."""
    a = Analysis(Document(text=text, provenance=Provenance(source="h.txt", format=fmt, record="r 1"), title=title,
                          published="2017-02-06", site="موقع"), title=title or text.split("\n")[0])
    start = 0
    for i, line in enumerate(text.split("\n"), 1):
        p = Paragraph(i, start, start + len(line), duplicate_of=1 if i == 3 else None)
        p.sentences.append(Sentence(start, start + len(line), i))
        a.paragraphs.append(p)
        start += len(line) + 1
    first = text.split()[0]
    a.mentions.append(Mention("GPE", 0, len(first), first, 1, first, value=None, entity_id="e1", canonical=first))
    a.entities.append(Entity("e1", "GPE", first, [0], [first], latin="X", lat=1.5))
    a.events.append(Event("MEET", None, first, 0, len(first), 1, 0, len(first),
                          [Argument("source", first, 0, len(first), "e1")], modality="planned"))
    a.quotes.append(Quote(first, 0, len(first), 1, speaker=None, confidence=0.7))
    a.summary = [1]
    a.counters = [3, 12]
    return a


@pytest.mark.parametrize(("text", "title", "fmt"), [
    ("تونس تستضيف القمة\nقال الوزير إن «الاتفاق» قائم.\nقال الوزير إن «الاتفاق» قائم.", None, "page"),
    ("الرباط: وصل الوفد المصري.\nوأضاف المتحدث أن لإسرائيل الحق في الرد.", "عنوان الخبر", "jsonl"),
    ("القاهرة \u202eنص\u202c مع تشكيل: مُحَمَّد\nسطر ثان", "عنوان", "feed"),
])
def test_to_dict_from_dict_to_dict_is_identity(text: str, title: str | None, fmt: str) -> None:
    a = handmade(text, title, fmt)
    d = json.loads(json.dumps(document_dict(a), ensure_ascii=False))
    b = analysis_from_dict(d)
    assert document_dict(b) == d
    assert b.document.sha256 == a.document.sha256 and b.document.title == a.document.title


@pytest.mark.slow
def test_pipeline_output_round_trips(seed_path: Path) -> None:
    from marsad.ingest import read
    from marsad.pipeline import default_pipeline

    [doc] = list(read([str(seed_path)]))
    d = json.loads(json.dumps(document_dict(default_pipeline()(doc)), ensure_ascii=False))
    assert document_dict(analysis_from_dict(d)) == d


@pytest.mark.parametrize(("change", "reason"), [
    (lambda d: d.pop("text"), "no raw text"),
    (lambda d: d.update(text=d["text"] + "x"), "sha256"),
    (lambda d: d.update(schema=99), "schema"),
    (lambda d: d["entities"][0].update(bogus=1), "bogus"),
    (lambda d: d["paragraphs"][0].update(text="غير"), "does not match"),
])
def test_altered_records_are_refused_with_a_reason(change, reason: str) -> None:  # type: ignore[no-untyped-def]
    d = document_dict(handmade("تونس اليوم\nسطر", None, "page"))
    d["paragraphs"][0]["text"] = "تونس اليوم"
    change(d)
    with pytest.raises(IngestError, match=reason):
        analysis_from_dict(d, source="x.jsonl [line 1]")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1")
    env.pop("MARSAD_DB", None)
    return subprocess.run([sys.executable, "-m", "marsad", *args], check=False, capture_output=True, text=True, env=env,
                          timeout=300)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of handmade analyses: every layer, one content seen from two sources."""
    db = tmp_path_factory.mktemp("bk") / "src.db"
    items = [handmade(f"مدينة{i} تستضيف القمة رقم {i}\nقال الوزير إن الاتفاق قائم.", f"عنوان {i}" if i % 2 else None,
                      "jsonl") for i in range(30)]
    again = handmade("مدينة3 تستضيف القمة رقم 3\nقال الوزير إن الاتفاق قائم.", "عنوان 3", "jsonl")
    again.document.provenance = Provenance(source="other.jsonl", format="jsonl", record="line 9")
    with open_store(db) as store:
        store.add(items)
        assert store.add([again]).duplicates == 1
    return db


@pytest.mark.slow
def test_export_then_import_loses_nothing(filled: Path, tmp_path: Path) -> None:
    export = tmp_path / "all.jsonl"
    assert run("export", "--db", str(filled), "--to", "jsonl", "-o", str(export)).returncode == 0
    assert all("text" in json.loads(line) for line in export.read_text("utf-8").splitlines())  # the raw text too
    new = tmp_path / "new.db"
    proc = run("import", str(export), "--db", str(new), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"read": 30, "added": 30, "unchanged": 0, "sources": 1, "skipped": 0}
    with open_store(filled) as a, open_store(new) as b:
        assert export_checksum(a) == export_checksum(b)  # same count, same sha256 over every field
        sa, sb = a.stats(), b.stats()
        for key in ("documents", "sources", "paragraphs", "mentions", "entities", "events", "quotes"):
            assert sa[key] == sb[key], key
        assert b.search("الاتفاق").total == 30 and b.verify() == []
    again = run("import", str(export), "--db", str(new), "--json")
    assert json.loads(again.stdout)["unchanged"] == 31  # re-importing is a no-op


@pytest.mark.slow
def test_import_reports_bad_lines_and_keeps_the_rest(filled: Path, tmp_path: Path) -> None:
    with open_store(filled) as store:
        good = [json.dumps(d, ensure_ascii=False) for d in store.iter_documents()][:2]
    old = json.loads(good[1])
    del old["text"]  # an export from before the raw text was kept
    src = tmp_path / "mixed.jsonl"
    src.write_text("\n".join([good[0], "{broken", json.dumps(old, ensure_ascii=False), "[" * 50_000]) + "\n",
                   encoding="utf-8")
    with open_store(tmp_path / "m.db") as store:
        report = import_jsonl(src, store)
    assert (report.read, report.added, len(report.problems)) == (4, 1, 3)
    assert all("\n" not in p and "line" in p for p in report.problems)
    proc = run("import", str(src), "--db", str(tmp_path / "m2.db"))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_backup_and_restore(filled: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    proc = run("backup", "--db", str(filled), str(copy))
    assert proc.returncode == 0 and "30 articles" in proc.stdout, proc.stderr
    refused = run("backup", "--db", str(filled), str(copy))
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "--force" in refused.stderr
    target = tmp_path / "target.db"
    assert run("restore", str(copy), "--db", str(target)).returncode == 0  # a new store
    with open_store(filled) as a, open_store(target) as b:
        assert export_checksum(a) == export_checksum(b) and b.verify() == []
    other = tmp_path / "other.db"
    with open_store(other) as s:
        s.add([handmade("بيروت مدينة\nسطر", None, "page")])
    refused = run("restore", str(copy), "--db", str(other))
    assert refused.returncode == 2 and "holds 1 documents" in refused.stderr and "Traceback" not in refused.stderr
    assert run("restore", str(copy), "--db", str(other), "--force").returncode == 0
    with open_store(filled) as a, open_store(other) as b:
        assert export_checksum(a) == export_checksum(b)


@pytest.mark.slow
def test_restore_refuses_a_file_that_is_not_a_store(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"not sqlite at all" * 100)
    proc = run("restore", str(bogus), "--db", str(tmp_path / "t.db"))
    assert proc.returncode == 2 and "not a Marsad store" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.postgres
def test_postgres_backup_and_restore_with_pg_dump(tmp_path: Path) -> None:
    base = os.environ.get("MARSAD_TEST_PG")
    if not base:
        pytest.skip("MARSAD_TEST_PG not set (a PostgreSQL server URL whose user may create databases)")
    psycopg = pytest.importorskip("psycopg")
    import uuid

    names = [f"marsad_bk_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    with psycopg.connect(base, autocommit=True) as con:
        for name in names:
            con.execute(f"CREATE DATABASE {name}")
    src, dst = (base.rsplit("/", 1)[0] + "/" + name for name in names)
    try:
        with open_store(src) as store:
            store.add([handmade(f"مدينة{i} تستضيف القمة\nقال الوزير إن الاتفاق قائم.", None, "jsonl")
                       for i in range(12)])
        dump = tmp_path / "pg.dump"
        assert run("backup", "--db", src, str(dump)).returncode == 0 and dump.stat().st_size > 0
        with open_store(dst) as store:
            store.add([handmade("بيروت مدينة\nسطر", None, "page")])
        refused = run("restore", str(dump), "--db", dst)
        assert refused.returncode == 2 and "--force" in refused.stderr and "Traceback" not in refused.stderr
        proc = run("restore", str(dump), "--db", dst, "--force")
        assert proc.returncode == 0, proc.stderr
        with open_store(src) as a, open_store(dst) as b:
            assert export_checksum(a) == export_checksum(b) and b.verify() == []
            assert b.search("الاتفاق").total == 12
    finally:
        with psycopg.connect(base, autocommit=True) as con:
            for name in names:
                con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.postgres
@pytest.mark.slow
def test_export_import_round_trip_through_postgres(filled: Path, tmp_path: Path) -> None:
    """SQLite → export → import into PostgreSQL → export from PostgreSQL: same documents, same checksums."""
    base = os.environ.get("MARSAD_TEST_PG")
    if not base:
        pytest.skip("MARSAD_TEST_PG not set (a PostgreSQL server URL whose user may create databases)")
    psycopg = pytest.importorskip("psycopg")
    import uuid

    name = f"marsad_rt_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name}")
    pg = base.rsplit("/", 1)[0] + "/" + name
    try:
        first, second = tmp_path / "sqlite.jsonl", tmp_path / "pg.jsonl"
        assert run("export", "--db", str(filled), "--to", "jsonl", "-o", str(first)).returncode == 0
        proc = run("import", str(first), "--db", pg, "--json")
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["added"] == 30
        assert run("export", "--db", pg, "--to", "jsonl", "-o", str(second)).returncode == 0
        assert all("text" in json.loads(line) for line in second.read_text("utf-8").splitlines())
        with open_store(filled) as a, open_store(pg) as b:
            assert export_checksum(a) == export_checksum(b)
            sa, sb = a.stats(), b.stats()
            for key in ("documents", "sources", "paragraphs", "mentions", "entities", "events", "quotes"):
                assert sa[key] == sb[key], key
            assert b.verify() == []
        back = tmp_path / "back.db"  # and PostgreSQL's export re-creates the SQLite store
        assert run("import", str(second), "--db", str(back), "--json").returncode == 0
        with open_store(filled) as a, open_store(back) as c:
            assert export_checksum(a) == export_checksum(c)
    finally:
        with psycopg.connect(base, autocommit=True) as con:
            con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
