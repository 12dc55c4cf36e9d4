"""SQLiteStore on real SQLite files: add/get, no-op re-adds, duplicates, all-or-nothing batches, schema."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from marsad.errors import StoreError
from marsad.model import Analysis, Argument, Document, Entity, Event, Mention, Paragraph, Provenance, Quote
from marsad.store import open_store
from marsad.store.base import Store
from marsad.store.schema_sqlite import SCHEMA_VERSION
from marsad.store.sqlite import SQLiteStore

TEXT_A = "قالت إسرائيل إن الاتفاق الأمني مع مصر لم يتغير.\nوأضاف المتحدث أن لإسرائيل الحق في الرد."
TEXT_B = "أعلنت تونس عن اتفاق جديد مع الاتحاد الأوروبي حول الهجرة."


def make(text: str, source: str = "a.txt", *, title: str | None = None, published: str | None = None,
         record: str | None = None, site: str | None = None) -> Analysis:
    """An analysis with one paragraph per line (no pipeline needed to exercise the store)."""
    doc = Document(text=text, provenance=Provenance(source=source, format="page", record=record), title=title,
                   published=published, site=site)
    analysis = Analysis(document=doc, title=title)
    start = 0
    for i, line in enumerate(text.split("\n"), 1):
        analysis.paragraphs.append(Paragraph(i, start, start + len(line)))
        start += len(line) + 1
    return analysis


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "t.db") as s:
        yield s


def count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_add_then_get_returns_the_analysis_json_and_sources(store: Store) -> None:
    a = make(TEXT_A, title="عنوان", published="2017-01-02T10:00:00+01:00")
    report = store.add([a])
    assert (report.added, report.unchanged, report.duplicates) == (1, 0, 0)
    got = store.get(a.document.id)
    assert got is not None
    expected = a.to_dict()
    for key in ("id", "title", "published", "sha256", "paragraphs", "entities", "events", "quotes"):
        assert got[key] == expected[key]
    assert got["paragraphs"][1]["text"] == "وأضاف المتحدث أن لإسرائيل الحق في الرد."
    assert [s["source"] for s in got["sources"]] == ["a.txt"]
    assert got["source"]["ingested_at"]  # set by the store


def test_get_by_unique_prefix_and_unknown_id(store: Store) -> None:
    a = make(TEXT_A)
    store.add([a])
    got = store.get(a.document.id[:6])
    assert got is not None and got["id"] == a.document.id
    assert store.get("ffffffffffffffff") is None
    assert store.get("not an id") is None
    assert store.get("\udc80\udcff") is None  # undecodable command-line bytes


def test_re_adding_the_same_content_from_the_same_source_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with open_store(path) as store:
        store.add([make(TEXT_A), make(TEXT_B, "b.txt")])
    with open_store(path) as store:
        report = store.add([make(TEXT_A), make(TEXT_B, "b.txt")])
        assert (report.added, report.unchanged, report.duplicates) == (0, 2, 0)
    assert count(path, "documents") == 2 and count(path, "copies") == 2 and count(path, "doc_fts") == 2


def test_same_content_from_another_source_is_recorded_not_stored_twice(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with open_store(path) as store:
        store.add([make(TEXT_A, "site1/a.txt")])
        report = store.add([make(TEXT_A, "site2/copy.txt")])
        assert (report.added, report.unchanged, report.duplicates) == (0, 0, 1)
        doc_id = make(TEXT_A).document.id
        assert report.duplicate_of == [(doc_id, "site2/copy.txt")]
        got = store.get(doc_id)
        assert got is not None
        assert sorted(s["source"] for s in got["sources"]) == ["site1/a.txt", "site2/copy.txt"]
        stats = store.stats()
        assert (stats["documents"], stats["sources"], stats["duplicates"]) == (1, 2, 1)
    assert count(path, "documents") == 1 and count(path, "contents") == 1 and count(path, "paragraphs") == 2


def test_duplicates_inside_one_batch_and_records_of_one_file(store: Store) -> None:
    batch = [make(TEXT_A, "f.csv", record="line 2"), make(TEXT_A, "f.csv", record="line 9"),
             make(TEXT_A, "f.csv", record="line 2")]
    report = store.add(batch)
    assert (report.added, report.unchanged, report.duplicates) == (1, 1, 1)
    assert report.duplicate_of == [(batch[0].document.id, "f.csv [line 9]")]


def test_add_batches_sums_reports(store: Store) -> None:
    docs = [make(f"{TEXT_B} رقم {i}", f"d{i}.txt") for i in range(7)]
    report = store.add_batches(docs, batch_size=3)
    assert report.added == 7 and store.stats()["documents"] == 7


def test_a_failure_mid_batch_leaves_nothing_half_written(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with open_store(path) as store:
        store.add([make(TEXT_B, "first.txt")])
        # a real SQLite failure in the middle of the inserts: a trigger that aborts on one paragraph
        with sqlite3.connect(path) as db:
            db.execute("CREATE TRIGGER boom BEFORE INSERT ON paragraphs WHEN NEW.idx = 2 "
                       "BEGIN SELECT RAISE(ABORT, 'boom'); END")
        with pytest.raises(StoreError, match="nothing from this batch was stored"):
            store.add([make("نص أول", "x.txt"), make(TEXT_A, "y.txt"), make("نص ثالث", "z.txt")])
        for table in ("documents", "contents", "copies", "doc_fts"):
            assert count(path, table) == 1, table
        assert count(path, "paragraphs") == 1
        with sqlite3.connect(path) as db:
            db.execute("DROP TRIGGER boom")
        assert store.add([make("نص أول", "x.txt"), make(TEXT_A, "y.txt")]).added == 2
        assert store.verify() == []


def test_an_iterable_that_fails_while_read_stores_nothing(store: Store) -> None:
    def analyses() -> Iterator[Analysis]:
        yield make(TEXT_A)
        raise ValueError("reader broke")

    with pytest.raises(ValueError):
        store.add(analyses())
    assert store.stats()["documents"] == 0


def test_a_malformed_analysis_names_itself_and_stops_the_batch(store: Store) -> None:
    bad = make(TEXT_B, "bad.txt")
    bad.paragraphs.append(Paragraph(2, 10, 10_000))
    with pytest.raises(StoreError, match="bad.txt"):
        store.add([make(TEXT_A), bad])
    assert store.stats()["documents"] == 0


def test_layers_go_to_their_own_tables(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    a = make(TEXT_A)
    a.mentions.append(Mention("GPE", 5, 12, "إسرائيل", 1, "اسرائيل"))
    a.entities.append(Entity("e1", "GPE", "إسرائيل", mentions=[0], variants=["إسرائيل"]))
    a.events.append(Event("STATEMENT", "010", "قالت", 0, 4, 1, 0, 48,
                          arguments=[Argument("source", "إسرائيل", 5, 12, "e1")]))
    a.quotes.append(Quote("الاتفاق الأمني مع مصر لم يتغير", 16, 46, 1, speaker="إسرائيل"))
    with open_store(path) as store:
        store.add([a])
        assert {k: store.stats()[k] for k in ("mentions", "entities", "events", "quotes")} == \
            {"mentions": 1, "entities": 1, "events": 1, "quotes": 1}
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT canonical FROM entities WHERE type = 'GPE'").fetchone() == ("إسرائيل",)
        assert db.execute("SELECT e.type FROM events e JOIN event_arguments a ON a.doc = e.doc AND "
                          "a.event = e.i WHERE a.entity_id = 'e1'").fetchone() == ("STATEMENT",)
        assert db.execute("SELECT speaker FROM quotes").fetchone() == ("إسرائيل",)


def test_stats_and_iter_documents(store: Store) -> None:
    store.add([make(TEXT_A, "news/a.txt", published="2017-01-02"),
               make(TEXT_B, "news/b.txt", published="2018-05-01T09:00:00Z", site="Goud")])
    stats = store.stats()
    assert stats["documents"] == 2 and stats["paragraphs"] == 3
    assert (stats["first_published"], stats["last_published"]) == ("2017-01-02", "2018-05-01")
    assert stats["per_source"] == {"Goud": 1, "news": 1}
    assert stats["db_bytes"] > 0 and stats["schema_version"] == SCHEMA_VERSION
    assert [d["id"] for d in store.iter_documents()] == [make(TEXT_A).document.id, make(TEXT_B).document.id]


def test_schema_is_versioned_and_wal_is_on(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    open_store(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer"):
        open_store(path)


@pytest.mark.parametrize("content", [b"this is not a database at all" * 100, b"\x00\xff" * 3000])
def test_a_file_that_is_not_a_store_is_a_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="x.db"):
        open_store(path)


def test_an_sqlite_file_of_another_program_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t(x)")
    with pytest.raises(StoreError, match="not a Marsad store"):
        open_store(path)


def test_open_store_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(StoreError, match="empty store path"):
        open_store("  ")
    with pytest.raises(StoreError, match="PostgreSQL"):
        open_store("postgresql://localhost/marsad")
    with pytest.raises(StoreError, match="no store"):
        open_store(tmp_path / "missing.db", create=False)
    store = open_store(f"sqlite:///{tmp_path / 'u.db'}")
    assert isinstance(store, SQLiteStore) and (tmp_path / "u.db").is_file()
    store.close()
    monkeypatch.setenv("MARSAD_DB", str(tmp_path / "env.db"))
    with open_store() as s:
        assert isinstance(s, SQLiteStore) and s.path == str(tmp_path / "env.db")


def test_a_writer_holding_the_lock_gives_a_clear_busy_error(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    open_store(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with SQLiteStore(path, busy_timeout_s=0.2) as store:
            with pytest.raises(StoreError, match="busy"):
                store.add([make(TEXT_A)])
            assert store.search("اسرائيل").total == 0  # readers are not blocked (WAL)
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_version_1_store_is_migrated_in_place(tmp_path: Path) -> None:
    from marsad.store.schema_sqlite import MIGRATIONS
    from marsad.store.sqlite import _statements

    path = tmp_path / "v1.db"
    with sqlite3.connect(path) as db:
        for stmt in _statements(MIGRATIONS[0]):
            db.execute(stmt)
        db.execute("INSERT INTO documents(pk, id, sha256, source, origin, format, ingested_at, n_terms) "
                   "VALUES (1, 'abc', 'abcd', 's', 's', 'page', 'now', 0)")
        db.execute("INSERT INTO paragraphs VALUES (1, 1, 0, 3, NULL), (1, 2, 4, 6, NULL)")
        db.execute("PRAGMA user_version = 1")
    with open_store(path):
        pass
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("SELECT n_paragraphs FROM documents").fetchone() == (2,)


def test_verify_finds_a_half_written_article(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with open_store(path) as store:
        store.add([make(TEXT_A), make(TEXT_B, "b.txt")])
        assert store.verify() == []
        with sqlite3.connect(path) as db:
            db.execute("DELETE FROM paragraphs WHERE idx = 2")
        assert store.verify() == ["1 documents with missing or extra paragraphs"]


def test_an_ambiguous_id_prefix_is_a_clear_error(store: Store) -> None:
    seen: dict[str, Analysis] = {}
    for i in range(100_000):  # two texts whose ids share 4 hex digits (birthday bound: a few hundred tries)
        a = make(f"{TEXT_B} {i}", f"{i}.txt")
        other = seen.setdefault(a.document.id[:4], a)
        if other is not a:
            break
    store.add([other, a])
    with pytest.raises(StoreError, match="ambiguous"):
        store.get(a.document.id[:4])
    assert store.get(a.document.id[:8]) is not None


def test_text_that_is_not_valid_unicode_is_refused_whole(store: Store) -> None:
    with pytest.raises(StoreError, match="not valid Unicode"):
        store.add([make(TEXT_A), make("نص \ud800 مكسور", "bad.txt")])
    assert store.stats()["documents"] == 0


def test_replace_swaps_the_analysis_and_keeps_id_and_sources(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with open_store(path) as store:
        store.add([make(TEXT_A, "a.txt"), make(TEXT_A, "copy.txt")])
        better = make(TEXT_A, "a.txt")
        better.mentions.append(Mention("GPE", 5, 12, "إسرائيل", 1, "اسرائيل"))
        better.paragraphs = better.paragraphs[:1]
        report = store.add([better, make(TEXT_A, "third.txt")], replace=True)
        assert (report.replaced, report.duplicates, report.added, report.unchanged) == (1, 1, 0, 0)
        got = store.get(better.document.id)
        assert got is not None and len(got["entities"]) == 1 and len(got["paragraphs"]) == 1
        assert sorted(s["source"] for s in got["sources"]) == ["a.txt", "copy.txt", "third.txt"]
        assert store.search("الرد").total == 0  # the second paragraph left the index with the old analysis
        assert store.search("اسرائيل").total == 1
        assert store.verify() == []
    assert count(path, "mentions") == 1 and count(path, "paragraphs") == 1 and count(path, "documents") == 1


def test_verify_finds_a_document_missing_from_the_index(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with open_store(path) as store:
        store.add([make(TEXT_A), make(TEXT_B, "b.txt")])
        with sqlite3.connect(path) as db:
            db.execute("DELETE FROM doc_fts WHERE rowid = 1")
        problems = store.verify()
        assert "1 documents missing from the search index" in problems


def test_searches_and_reads_do_not_wait_for_the_stores_writer(store: Store) -> None:
    import threading

    a, b = make(TEXT_A, "news/a.txt"), make(TEXT_B, "news/b.txt")
    store.add([a, b])
    results: list[tuple[int, bool]] = []

    def read() -> None:
        results.append((store.search("تونس").total, store.get(a.document.id) is not None))

    with store._lock:  # type: ignore[attr-defined]  # what an ``add`` in another thread holds while it writes
        threads = [threading.Thread(target=read) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=20)
        assert results == [(1, True)] * 4  # all done while the writer's lock was held: per-thread readers
    memory = open_store(":memory:")  # no file to open twice: reads share the store's connection
    memory.add([b])
    assert memory.search("تونس").total == 1 and memory.reader().articles()[0] == 1
    memory.close()
