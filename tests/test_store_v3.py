"""Schema v3: near-duplicates and stories observed at ingest, kept as rows and rebuilt after a restart."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from marsad.errors import StoreError
from marsad.model import Analysis, Document, Paragraph, Provenance
from marsad.store.schema_sqlite import SCHEMA_VERSION
from marsad.store.sqlite import SQLiteStore
from marsad.stories import IngestTracker, StoryClusterer

TOPICS = [
    ["الحكومة", "التونسية", "البرلمان", "الميزانية", "الوزير", "المالية", "الضرائب", "الإصلاح"],
    ["المنتخب", "الوطني", "المباراة", "الهدف", "الملعب", "المدرب", "البطولة", "الفريق"],
    ["الأمطار", "الفيضانات", "الولاية", "الحماية", "المدنية", "الطرقات", "الأودية", "السكان"],
    ["الانتخابات", "البلدية", "الهيئة", "المستقلة", "القائمات", "المترشحين", "الاقتراع", "الدائرة"],
]
FILLER = ["في", "من", "على", "إلى", "أن", "قد", "كان", "هذا", "التي", "الذي", "يوم", "بعد", "قبل", "خلال", "حسب", "مصدر", "أكد", "أعلن", "قال"]


def make(text: str, source: str, *, title: str, published: str | None) -> Analysis:
    """An analysis with one paragraph per line (the store needs no pipeline)."""
    doc = Document(text=text, provenance=Provenance(source=source, format="page"), title=title, published=published)
    a = Analysis(document=doc, title=title)
    start = 0
    for i, line in enumerate(text.split("\n"), 1):
        a.paragraphs.append(Paragraph(i, start, start + len(line)))
        start += len(line) + 1
    return a


def corpus(n: int = 48, seed: int = 7) -> list[Analysis]:
    """Articles on four topics over six weeks; every fifth one re-posts an earlier article with edits."""
    rng = random.Random(seed)
    out: list[Analysis] = []
    for i in range(n):
        day = 1 + (i * 40) // n
        when = f"2017-{1 + day // 28:02d}-{1 + day % 28:02d}"
        if i % 5 == 4 and out:
            orig = out[rng.randrange(len(out))]
            text = orig.text + "\nوأضاف المصدر أن التفاصيل ستنشر لاحقا في بلاغ رسمي من الوزارة المعنية"
            out.append(make(text, f"copy{i}.txt", title="نقلا: " + (orig.title or ""), published=when))
            continue
        words = TOPICS[i % len(TOPICS)]
        paras = [" ".join(rng.choice(words if rng.random() < 0.6 else FILLER) for _ in range(25))
                 for _ in range(3)]
        out.append(make("\n".join(paras), f"a{i}.txt", title=" ".join(rng.sample(words, 4)), published=when))
    return out


TABLES = {
    "doc_signatures": "SELECT d.id, s.seq, s.size, s.digest, s.sig FROM doc_signatures s JOIN documents d ON "
                      "d.pk = s.doc ORDER BY s.seq",
    "near_duplicates": "SELECT d.id, c.id, x.id, n.jaccard, n.containment FROM near_duplicates n JOIN documents d "
                       "ON d.pk = n.doc JOIN documents c ON c.pk = n.canonical JOIN documents x ON x.pk = n.nearest "
                       "ORDER BY d.id",
    "story_members": "SELECT d.id, m.story_id, m.seq FROM story_members m JOIN documents d ON d.pk = m.doc "
                     "ORDER BY m.seq",
    "stories": "SELECT * FROM stories ORDER BY id",
    "story_df": "SELECT * FROM story_df ORDER BY term",
    "tracker_meta": "SELECT * FROM tracker_meta ORDER BY key",
}


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as db:
        return {name: db.execute(sql).fetchall() for name, sql in TABLES.items()}


def add_in_batches(store: SQLiteStore, items: list[Analysis], size: int = 6) -> None:
    for k in range(0, len(items), size):
        store.add(items[k:k + size])


@pytest.fixture(autouse=True)
def frequent_sweeps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sweep quiet stories every 7 articles, so the expiry state is exercised by a small corpus."""
    monkeypatch.setattr(StoryClusterer, "sweep_every", 7)


@pytest.fixture(scope="module")
def docs() -> list[Analysis]:
    return corpus()


def test_schema_is_v3_with_the_tracking_tables(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "t.db") as store:
        assert store.stats()["schema_version"] == SCHEMA_VERSION >= 3
    assert all(rows == [] for rows in dump(tmp_path / "t.db").values())


def test_stored_observations_equal_the_in_memory_tracker(tmp_path: Path, docs: list[Analysis]) -> None:
    ref = IngestTracker()
    expected = {}
    for a in docs:  # the corpus holds one exact re-post (same content): observed once, like the store does
        expected.setdefault(a.document.id, ref.observe(a.document.id, a))
    with SQLiteStore(tmp_path / "t.db") as store:
        add_in_batches(store, docs)
        assert store.verify() == []
        groups = store.near_duplicate_groups()
        stories = {s.id: s for s in store.list_stories()}
    t = dump(tmp_path / "t.db")
    assert {r[0]: r[1] for r in t["near_duplicates"]} == {i: o.canonical for i, o in expected.items() if o.canonical}
    assert {r[0]: r[1] for r in t["story_members"]} == {i: o.story for i, o in expected.items()}
    assert len(t["near_duplicates"]) >= 5  # the corpus's re-posts were found
    assert {c["id"] for g in groups for c in g["copies"]} == {r[0] for r in t["near_duplicates"]}
    assert stories.keys() == ref.stories.stories.keys()
    for sid, s in ref.stories.stories.items():
        got = stories[sid]
        assert (got.title, got.first, got.last, got.articles) == (s.title, s.first, s.last, s.articles)
        assert got.centroid == s.centroid and got.entities == s.entities and got.events == s.events
        # sources: the site, else the file it was read from (these articles have no site)
        assert sum(got.sources.values()) == len(s.articles) and "" not in got.sources


def test_restart_half_way_equals_one_run(tmp_path: Path, docs: list[Analysis]) -> None:
    with SQLiteStore(tmp_path / "one.db") as store:
        add_in_batches(store, docs)
    half = len(docs) // 2 + 1
    with SQLiteStore(tmp_path / "two.db") as store:
        add_in_batches(store, docs[:half])
    with SQLiteStore(tmp_path / "two.db") as store:  # a new process: the tracker is rebuilt from the rows
        add_in_batches(store, docs[half:])
        assert store.verify() == []
    one, two = dump(tmp_path / "one.db"), dump(tmp_path / "two.db")
    assert one["tracker_meta"] and dict(one["tracker_meta"])["swept"] != "0"  # sweeps happened
    assert any(r[9] for r in one["stories"])  # and some stories left the candidate index
    for name in TABLES:
        assert two[name] == one[name], name


def test_two_writers_on_one_file_stay_consistent(tmp_path: Path, docs: list[Analysis]) -> None:
    with SQLiteStore(tmp_path / "one.db") as store:
        add_in_batches(store, docs)
    a, b = SQLiteStore(tmp_path / "two.db"), SQLiteStore(tmp_path / "two.db")
    for k in range(0, len(docs), 6):
        (a if (k // 6) % 2 else b).add(docs[k:k + 6])  # each sees the other's writes: rebuilds first
    a.close()
    b.close()
    assert dump(tmp_path / "two.db") == dump(tmp_path / "one.db")


def test_re_ingest_is_a_no_op_for_tracking_too(tmp_path: Path, docs: list[Analysis]) -> None:
    with SQLiteStore(tmp_path / "t.db") as store:
        add_in_batches(store, docs)
    before = dump(tmp_path / "t.db")
    with SQLiteStore(tmp_path / "t.db") as store:
        report = store.add(docs)
        assert report.added == 0 and report.unchanged == len(docs)
    assert dump(tmp_path / "t.db") == before


def test_a_failure_mid_batch_leaves_tracking_consistent(tmp_path: Path, docs: list[Analysis]) -> None:
    with SQLiteStore(tmp_path / "one.db") as store:
        add_in_batches(store, docs)
    path = tmp_path / "two.db"
    store = SQLiteStore(path)
    add_in_batches(store, docs[:12])
    victim = docs[15].document.id
    with sqlite3.connect(path) as db:  # fail inside the transaction, after articles and some tracking rows
        db.execute("CREATE TRIGGER boom BEFORE INSERT ON story_members WHEN "
                   f"(SELECT id FROM documents WHERE pk = NEW.doc) = '{victim}' "
                   "BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
    with pytest.raises(Exception, match="injected failure"):
        store.add(docs[12:18])
    assert store.verify() == []
    assert store.stats()["documents"] == 12 == len(dump(path)["doc_signatures"])
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER boom")
    add_in_batches(store, docs[12:])  # the in-memory tracker forgot the rolled-back batch
    store.close()
    assert dump(path) == dump(tmp_path / "one.db")


def test_upgrade_observes_the_stored_backlog(tmp_path: Path, docs: list[Analysis]) -> None:
    path = tmp_path / "t.db"
    with SQLiteStore(path, track=False) as store:  # like a store filled before schema v3
        add_in_batches(store, docs[:20])
        assert any("not yet observed" in p for p in store.verify())
    with SQLiteStore(path) as store:
        assert store.update_tracking() == len({a.document.id for a in docs[:20]})
        assert store.update_tracking() == 0
        add_in_batches(store, docs[20:])
        assert store.verify() == []
        assert sum(len(s.articles) for s in store.list_stories()) == len({a.document.id for a in docs})
        assert store.near_duplicate_groups()


def test_reads_story_by_id_and_groups_shape(tmp_path: Path, docs: list[Analysis]) -> None:
    with SQLiteStore(tmp_path / "t.db") as store:
        add_in_batches(store, docs)
        big = store.list_stories(min_articles=2)
        assert big and all(len(s.articles) >= 2 for s in big)
        s = store.story(big[0].id)
        assert s is not None and s.articles == big[0].articles
        assert store.story("S999999") is None
        g = store.near_duplicate_groups()[0]
        assert set(g) == {"id", "title", "source", "exact_sources", "copies"}
        assert set(g["copies"][0]) == {"id", "title", "source", "jaccard", "containment"}


# -- entity table inputs and corrections ---------------------------------------------------------------

ENTITY_ARTICLES = [  # (published, text, mentions)
    ("2021-11-24", "قال وزير الدفاع بيني غانتس في المغرب إن", [("PERSON", "بيني غانتس"), ("GPE", "المغرب")]),
    ("2021-11-25", "وصل غانتس إلى الرباط عاصمة المملكة المغربية", [("PERSON", "غانتس"), ("GPE", "الرباط"),
                                                               ("GPE", "المملكة المغربية")]),
    ("2021-12-02", "أكد بيني جانتس أن المغرب يوم 2 ديسمبر", [("PERSON", "بيني جانتس"), ("GPE", "المغرب"),
                                                         ("DATE", "2 ديسمبر")]),
    ("2021-12-03", "لا أسماء في هذا الخبر", []),
]


def entity_analyses() -> list[Analysis]:
    from marsad.model import Mention
    from marsad.nlp.link import link_entities
    from marsad.text import fold

    out = []
    for k, (day, text, spans) in enumerate(ENTITY_ARTICLES):
        a = Analysis(Document(text, Provenance(f"art{k}.txt", "page"), published=day, title=f"t{k}"))
        pos = 0
        for typ, surface in spans:
            s = text.index(surface, pos)
            a.mentions.append(Mention(typ, s, s + len(surface), surface, 1, fold(surface)))
            pos = s + len(surface)
        out.append(link_entities(a))
    return out


def test_entity_rows_build_the_same_table_as_the_stored_json(tmp_path: Path) -> None:
    from marsad.nlp.entity_table import EntityTable

    with SQLiteStore(tmp_path / "t.db") as store:
        store.add(entity_analyses())
        rows = list(store.iter_entity_rows())
        from_json = EntityTable.build(store.iter_documents())
    assert [r["title"] for r in rows] == ["t0", "t1", "t2"]  # the article without entities is skipped
    assert rows[2]["entities"][2]["text"] == "2 ديسمبر"  # mention texts by their index
    from_rows = EntityTable.build(rows)
    assert [e.summary() for e in from_rows.top(n=50)] == [e.summary() for e in from_json.top(n=50)]
    got = from_rows.detail(from_rows.find("غانتس").gid)  # type: ignore[union-attr]
    want = from_json.detail(from_json.find("غانتس").gid)  # type: ignore[union-attr]
    # the rows carry the stored title (the document's when the analysis has none); the JSON only the analysis's
    assert [a["title"] for a in got.pop("articles_list")] == ["t2", "t1", "t0"]
    want.pop("articles_list")
    assert got == want


def test_entity_overrides_survive_reopen_and_re_ingest(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with SQLiteStore(path) as store:
        store.add(entity_analyses())
        store.add_entity_override("merge", "a1", "b2")
        store.add_entity_override("split", "c3", variants=["بيني جانتس"])
        with pytest.raises(StoreError):
            store.add_entity_override("merge", "a1")  # a merge needs two ids
        with pytest.raises(StoreError):
            store.add_entity_override("join", "a1", "b2")
    with SQLiteStore(path) as store:
        store.add(entity_analyses())
        got = store.entity_overrides()
    assert [(r["kind"], r["a"], r["b"], r["variants"]) for r in got] == [
        ("merge", "a1", "b2", None), ("split", "c3", None, ["بيني جانتس"])]
    with sqlite3.connect(path) as db, pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO entity_overrides(kind, a, created_at) VALUES ('rename', 'x', 'now')")


def test_sidecar_corrections_move_into_the_store_once(tmp_path: Path) -> None:
    import json

    from marsad.commands.entities import migrate_sidecar

    path = tmp_path / "news.db"
    sidecar = tmp_path / "news.entities.json"
    sidecar.write_text(json.dumps({"merges": [["a1", "b2"]], "splits": [["c3", ["غانتس"]]]}), encoding="utf-8")
    with SQLiteStore(path) as store:
        assert migrate_sidecar(store, sidecar) == 2
        assert not sidecar.exists() and (tmp_path / "news.entities.json.migrated").exists()
        assert migrate_sidecar(store, sidecar) == 0
        assert [r["kind"] for r in store.entity_overrides()] == ["merge", "split"]


def test_layer_queries_match_the_web_app(tmp_path: Path) -> None:
    from marsad.model import Argument, Event, Quote

    items = entity_analyses()
    items[0].events.append(Event("MEET", None, "قال", 0, 3, 1, 0, 39, [Argument("actor", "بيني غانتس", 16, 26)]))
    items[0].quotes.append(Quote("إن", 37, 39, 1, speaker="بيني غانتس"))
    path = tmp_path / "t.db"
    with SQLiteStore(path) as store:
        store.add(items)
        web = store.reader()
        assert store.entity_counts() == web.entities()
        assert store.entity_counts(type="PLACE", q="المغرب") == web.entities(type="PLACE", q="المغرب")
        assert store.entity_counts(type="PERSON")[0] >= 1
        assert store.events() == web.events() and store.events()[0] == 1
        assert store.events(type="MEET", since="2021-11", until="2021-11") == web.events(
            type="MEET", since="2021-11", until="2021-11")
        assert store.events(type="ATTACK") == (0, [])
        assert store.quotes(speaker="بيني غانتس") == web.quotes(speaker="بيني غانتس")
        assert store.quotes(speaker="بيني غانتس")[1][0]["text"] == "إن"
        web.close()


def test_a_v3_store_upgrades_to_v4_keeping_every_row(tmp_path: Path, docs: list[Analysis]) -> None:
    from marsad.store import schema_sqlite

    with SQLiteStore(tmp_path / "new.db") as store:
        add_in_batches(store, docs)
    old = tmp_path / "old.db"
    real = schema_sqlite.MIGRATIONS
    try:  # a store written by the release that shipped schema v3
        schema_sqlite.MIGRATIONS = real[:3]
        import marsad.store.sqlite as sqlite_mod

        sqlite_mod.MIGRATIONS, sqlite_mod.SCHEMA_VERSION = real[:3], 3
        with SQLiteStore(old) as store:
            add_in_batches(store, docs)
            assert store.stats()["schema_version"] == 3
    finally:
        schema_sqlite.MIGRATIONS = real
        sqlite_mod.MIGRATIONS, sqlite_mod.SCHEMA_VERSION = real, len(real)
    with SQLiteStore(old) as store:
        assert store.stats()["schema_version"] == len(real) == 4
        assert store.verify() == []
    assert dump(old) == dump(tmp_path / "new.db")
    with sqlite3.connect(old) as db:
        assert "WITHOUT ROWID" not in db.execute("SELECT sql FROM sqlite_master WHERE name = 'stories'").fetchone()[0]
