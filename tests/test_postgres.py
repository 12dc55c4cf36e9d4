"""PostgresStore against a real PostgreSQL server (env MARSAD_TEST_PG): the store contract, migrations,
concurrent ingest, and search that agrees with SQLite. Each test gets a fresh database."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from marsad.errors import QueryError, StoreError
from marsad.model import Analysis, Argument, Document, Entity, Event, Mention, Paragraph, Provenance, Quote
from marsad.store import open_store
from marsad.store.base import Store

psycopg = pytest.importorskip("psycopg")
pytestmark = pytest.mark.postgres

TEXT_A = "قالت إسرائيل إن الاتفاق الأمني مع مصر لم يتغير.\nوأضاف المتحدث أن لإسرائيل الحق في الرد."
TEXT_B = "أعلنت تونس عن اتفاق جديد مع الاتحاد الأوروبي حول الهجرة."
DOCS = {
    "isr_waw": "قالت الحكومة وإسرائيل في بيان مشترك إن المحادثات ستستأنف الأسبوع المقبل.",
    "isr_lam": "وجه الوزير انتقادات لإسرائيل بسبب الاستيطان في الضفة الغربية.",
    "isr_bare": "أعلنت اسرائيل عن إجراءات جديدة على المعابر الحدودية.",
    "ittifaq_al": "وقع الطرفان الاتفاق الأمني بعد أشهر من المفاوضات الصعبة.",
    "ittifaq_wal": "رحبت الأمم المتحدة بالخطوة والاتفاق الذي تم التوصل إليه أمس.",
    "ittifaq_bare": "لم يتم التوصل إلى اتفاق نهائي بين النقابة والحكومة حول الأجور.",
    "tunis": "شهدت تونس العاصمة أمطارا غزيرة تسببت في فيضانات بعدة أحياء.",
    "latin": "قال مسؤول إن covid-19 وطائرات F-16 في قلب المحادثات O'Brien.",
}
TITLES = {"tunis": "أمطار غزيرة في تونس"}


def make(text: str, source: str = "a.txt", *, title: str | None = None, published: str | None = None,
         record: str | None = None, site: str | None = None) -> Analysis:
    doc = Document(text=text, provenance=Provenance(source=source, format="page", record=record), title=title,
                   published=published, site=site)
    analysis = Analysis(document=doc, title=title)
    start = 0
    for i, line in enumerate(text.split("\n"), 1):
        analysis.paragraphs.append(Paragraph(i, start, start + len(line)))
        start += len(line) + 1
    return analysis


def corpus() -> list[Analysis]:
    return [make(t, f"news/{k}.txt", title=TITLES.get(k), published=f"2017-0{i + 1}-15",
                 site="Goud" if k == "tunis" else None) for i, (k, t) in enumerate(DOCS.items())]


def fresh_database(base: str) -> Iterator[str]:
    """A new, empty database on the server of ``base``; dropped afterwards."""
    name = "marsad_t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as db:
        db.execute(f"CREATE DATABASE {name}")
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(base, autocommit=True) as db:
            db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pg_url() -> Iterator[str]:
    base = os.environ.get("MARSAD_TEST_PG")
    if not base:
        pytest.skip("MARSAD_TEST_PG not set (e.g. postgresql://postgres@127.0.0.1:55432/postgres); "
                    "scripts/test.sh starts a server and sets it")
    yield from fresh_database(base)


@pytest.fixture
def store(pg_url: str) -> Iterator[Store]:
    with open_store(pg_url) as s:
        yield s


def one(url: str, sql: str) -> object:
    with psycopg.connect(url) as db:
        return db.execute(sql).fetchone()[0]  # type: ignore[index]


def test_add_then_get_returns_the_analysis_json_and_sources(store: Store) -> None:
    a = make(TEXT_A, title="عنوان", published="2017-01-02T10:00:00+01:00")
    assert store.add([a]).added == 1
    got = store.get(a.document.id)
    assert got is not None
    expected = a.to_dict()
    for key in ("id", "title", "published", "sha256", "paragraphs", "entities", "events", "quotes"):
        assert got[key] == expected[key]
    assert list(got) == list(expected) + ["sources"]  # key order kept (JSON stored as text)
    assert [s["source"] for s in got["sources"]] == ["a.txt"]
    assert store.get(a.document.id[:6])["id"] == a.document.id  # type: ignore[index]
    assert store.get("ffffffffffffffff") is None and store.get("not an id") is None
    assert store.get("\udc80\udcff") is None


def test_re_add_is_a_no_op_and_another_source_is_a_duplicate(pg_url: str) -> None:
    with open_store(pg_url) as store:
        store.add([make(TEXT_A, "site1/a.txt"), make(TEXT_B, "b.txt")])
    with open_store(pg_url) as store:
        report = store.add([make(TEXT_A, "site1/a.txt"), make(TEXT_B, "b.txt")])
        assert (report.added, report.unchanged, report.duplicates) == (0, 2, 0)
        report = store.add([make(TEXT_A, "site2/copy.txt")])
        assert (report.added, report.unchanged, report.duplicates) == (0, 0, 1)
        assert report.duplicate_of == [(make(TEXT_A).document.id, "site2/copy.txt")]
        stats = store.stats()
        assert (stats["documents"], stats["sources"], stats["duplicates"]) == (2, 3, 1)
    assert one(pg_url, "SELECT count(*) FROM doc_fts") == 2 and one(pg_url, "SELECT count(*) FROM paragraphs") == 3


def test_duplicates_inside_one_batch(store: Store) -> None:
    batch = [make(TEXT_A, "f.csv", record="line 2"), make(TEXT_A, "f.csv", record="line 9"),
             make(TEXT_A, "f.csv", record="line 2")]
    report = store.add(batch)
    assert (report.added, report.unchanged, report.duplicates) == (1, 1, 1)


def test_a_failure_mid_batch_leaves_nothing_half_written(pg_url: str) -> None:
    with open_store(pg_url) as store:
        store.add([make(TEXT_B, "first.txt")])
        with psycopg.connect(pg_url, autocommit=True) as db:  # a real server-side failure mid-COPY
            db.execute("ALTER TABLE paragraphs ADD CONSTRAINT boom CHECK (idx <> 2)")
        with pytest.raises(StoreError, match="nothing from this batch was stored"):
            store.add([make("نص أول", "x.txt"), make(TEXT_A, "y.txt"), make("نص ثالث", "z.txt")])
        for table in ("documents", "contents", "copies", "doc_fts", "paragraphs"):
            assert one(pg_url, f"SELECT count(*) FROM {table}") == 1, table
        with psycopg.connect(pg_url, autocommit=True) as db:
            db.execute("ALTER TABLE paragraphs DROP CONSTRAINT boom")
        assert store.add([make("نص أول", "x.txt"), make(TEXT_A, "y.txt")]).added == 2
        assert store.verify() == []


def test_bad_analyses_name_themselves_and_store_nothing(store: Store) -> None:
    bad = make(TEXT_B, "bad.txt")
    bad.paragraphs.append(Paragraph(2, 10, 10_000))
    with pytest.raises(StoreError, match="bad.txt"):
        store.add([make(TEXT_A), bad])
    with pytest.raises(StoreError, match="NUL"):
        store.add([make("نص\x00مع صفر", "nul.txt")])
    assert store.stats()["documents"] == 0


def test_layers_replace_stats_and_iter_documents(pg_url: str) -> None:
    a = make(TEXT_A, "news/a.txt", published="2017-01-02")
    a.mentions.append(Mention("GPE", 5, 12, "إسرائيل", 1, "اسرائيل"))
    a.entities.append(Entity("e1", "GPE", "إسرائيل", mentions=[0], variants=["إسرائيل"]))
    a.events.append(Event("STATEMENT", "010", "قالت", 0, 4, 1, 0, 48,
                          arguments=[Argument("source", "إسرائيل", 5, 12, "e1")]))
    a.quotes.append(Quote("الاتفاق الأمني مع مصر لم يتغير", 16, 46, 1, speaker="إسرائيل"))
    with open_store(pg_url) as store:
        store.add([a, make(TEXT_B, "news/b.txt", published="2018-05-01T09:00:00Z", site="Goud")])
        stats = store.stats()
        assert {k: stats[k] for k in ("documents", "paragraphs", "mentions", "entities", "events", "quotes")} == \
            {"documents": 2, "paragraphs": 3, "mentions": 1, "entities": 1, "events": 1, "quotes": 1}
        assert (stats["first_published"], stats["last_published"]) == ("2017-01-02", "2018-05-01")
        assert stats["per_source"] == {"Goud": 1, "news": 1} and stats["db_bytes"] > 0
        assert [d["id"] for d in store.iter_documents()] == [a.document.id, make(TEXT_B).document.id]
        assert store.search("الاتفاق", entity="e1", event_type="STATEMENT").total == 1
        plain = make(TEXT_A, "news/a.txt", published="2017-01-02")
        assert store.add([plain], replace=True).replaced == 1
        assert store.stats()["entities"] == 0 and store.verify() == []
    assert one(pg_url, "SELECT count(*) FROM event_arguments") == 0


def test_migrations_are_versioned_and_a_newer_schema_is_refused(pg_url: str) -> None:
    open_store(pg_url).close()
    open_store(pg_url).close()  # reopening applies nothing twice
    from marsad.store.postgres import migrations

    assert one(pg_url, "SELECT max(version) FROM schema_version") == len(migrations()) == 2
    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("INSERT INTO schema_version(version, name) VALUES (99, 'future')")
    with pytest.raises(StoreError, match="newer"):
        open_store(pg_url)


def test_other_programs_tables_and_missing_servers_are_clear_errors(pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("CREATE TABLE documents (x int)")
    with pytest.raises(StoreError, match="not a Marsad store"):
        open_store(pg_url)
    with pytest.raises(StoreError, match="cannot connect"):
        open_store("postgresql://postgres@127.0.0.1:1/none")


def test_concurrent_ingest_from_threads_stores_each_content_once(pg_url: str) -> None:
    texts = [f"{TEXT_B} رقم {i}" for i in range(40)]
    errors: list[BaseException] = []

    def worker(k: int) -> None:
        try:
            with open_store(pg_url) as s:
                for i in range(0, 40, 5):  # every worker adds every text, from its own source
                    s.add([make(t, f"w{k}/{j}.txt") for j, t in enumerate(texts[i:i + 5], i)])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with open_store(pg_url) as s:
        stats = s.stats()
        assert (stats["documents"], stats["sources"]) == (40, 160) and s.verify() == []
        assert s.search("الهجرة").total == 40


QUERIES = ["اسرائيل", "وإسرائيل", "لإسرائيل", "الاتفاق", '"الاتفاق الأمني"', '"الأمني الاتفاق"', "اتفاق OR تونس",
           "اتفاق -الأمني", "(اتفاق OR اسرائيل) NOT الحكومة", "اسرا*", "تونس", "covid-19", "F-16", "O'Brien",
           "المحادثات", "غير_موجود"]


def test_search_finds_and_marks_what_sqlite_finds(store: Store, tmp_path: Path) -> None:
    store.add(corpus())
    with open_store(tmp_path / "s.db") as lite:
        lite.add(corpus())
        for query in QUERIES:
            want = lite.search(query, limit=50)
            got = store.search(query, limit=50)
            assert got.total == want.total, query
            assert {h.id for h in got.hits} == {h.id for h in want.hits}, query
            by_id = {h.id: h for h in want.hits}
            for hit in got.hits:
                assert hit.highlights == by_id[hit.id].highlights, query
                assert hit.snippet == by_id[hit.id].snippet, query


def test_filters_ranking_paging_and_snippets(store: Store) -> None:
    store.add(corpus())
    assert store.search("اسرائيل", since="2017-02", until="2017-02-28").total == 1
    assert store.search("تونس", source="goud").total == 1
    assert store.search("اسرائيل", source="news/").total == 3
    assert store.search("اسرائيل", source="isr_lam.txt").total == 1
    page = store.search("اسرائيل", limit=2, offset=2)
    assert page.total == 3 and len(page.hits) == 1
    hit = store.search("لإسرائيل").hits[0]
    assert "[" in hit.snippet and hit.snippet_parts and hit.highlights
    assert store.search("تونس OR غزيرة").hits[0].title == TITLES["tunis"]  # title weight
    assert store.search("اسرائيل", snippets=False).hits[0].snippet == ""


def test_malformed_queries_raise_query_error(store: Store) -> None:
    for bad in ['"اتفاق', "اتفاق OR", "(اتفاق", "-اتفاق", "", "\x00"]:
        with pytest.raises(QueryError):
            store.search(bad)
    with pytest.raises(QueryError):
        store.search("اتفاق", since="yesterday")


def test_searches_and_reads_do_not_wait_for_the_stores_writer(store: Store) -> None:
    docs = corpus()
    store.add(docs)
    results: list[int] = []

    def read() -> None:
        results.append(store.search("تونس").total + (store.get(docs[-2].document.id) is not None))

    with store._lock:  # type: ignore[attr-defined]  # what an ``add`` in another thread holds while it writes
        threads = [threading.Thread(target=read) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=20)
        assert results == [2] * 4  # all done while the writer's lock was held: pooled read connections


def test_get_many_equals_get_in_the_order_asked(store: Store) -> None:
    docs = corpus()
    store.add(docs)
    ids = [a.document.id for a in reversed(docs)] + ["0" * 16]
    assert store.get_many(ids) == [store.get(i) for i in ids[:-1]]
