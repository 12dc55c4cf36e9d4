"""Cross-article entity table and the entity commands, through a real SQLite store and the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from marsad.cli import app
from marsad.model import Analysis, Document, Mention, Provenance
from marsad.nlp.entity_table import EntityTable, Overrides
from marsad.nlp.link import link_entities
from marsad.store import open_store
from marsad.text import fold

ARTICLES = [  # (published, text, mentions)
    ("2021-11-24", "قال وزير الدفاع بيني غانتس في المغرب إن", [("PERSON", "بيني غانتس"), ("GPE", "المغرب")]),
    ("2021-11-25", "وصل غانتس إلى الرباط عاصمة المملكة المغربية", [("PERSON", "غانتس"), ("GPE", "الرباط"),
                                                               ("GPE", "المملكة المغربية")]),
    ("2021-12-02", "أكد بيني جانتس أن المغرب", [("PERSON", "بيني جانتس"), ("GPE", "المغرب")]),
    ("2017-01-21", "قال الباجي قائد السبسي إن حافظ قائد السبسي", [("PERSON", "الباجي قائد السبسي"),
                                                               ("PERSON", "حافظ قائد السبسي")]),
    ("2017-01-22", "وأضاف السبسي في تونس", [("PERSON", "السبسي"), ("GPE", "تونس")]),
    ("2017-05-08", "فاز إيمانويل ماكرون", [("PERSON", "إيمانويل ماكرون")]),
    ("2017-05-09", "هنأ الملك إمانويل ماكرون", [("PERSON", "إمانويل ماكرون")]),
]


def analyses() -> list[Analysis]:
    out = []
    for k, (day, text, spans) in enumerate(ARTICLES):
        a = Analysis(Document(text, Provenance(f"art{k}.txt", "page"), published=day, title=f"t{k}"))
        pos = 0
        for typ, surface in spans:
            s = text.index(surface, pos)
            a.mentions.append(Mention(typ, s, s + len(surface), surface, 1, fold(surface)))
            pos = s + len(surface)
        out.append(link_entities(a))
    return out


@pytest.fixture()
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "news.db")
    with open_store(path) as store:
        store.add(analyses())
    return path


def table(db: str) -> EntityTable:
    with open_store(db, create=False) as store:
        return EntityTable.build(store.iter_entity_rows(), Overrides.from_rows(store.entity_overrides()))


def test_cross_article_identity(db: str) -> None:
    t = table(db)
    gantz = t.find("بيني غانتس")
    assert gantz is not None and len(gantz.docs) == 3  # full name, spelling جانتس, and the unique surname
    assert set(gantz.variants) == {"بيني غانتس", "غانتس", "بيني جانتس"}
    assert len(gantz.via_surname) == 1
    morocco = t.find("Morocco")
    assert morocco is not None and morocco.canonical == "المغرب" and len(morocco.docs) == 3
    assert morocco.variants["المملكة المغربية"] == 1
    # السبسي alone: two full names end with it, so it is attached to neither
    beji, hafedh, bare = t.find("الباجي قائد السبسي"), t.find("حافظ قائد السبسي"), t.find("السبسي")
    assert len({beji.gid, hafedh.gid, bare.gid}) == 3  # type: ignore[union-attr]
    assert t.find("Benny Gantz") is gantz
    macron = t.find("إيمانويل ماكرون")  # first names one letter apart, same surname: one person
    assert macron is not None and len(macron.docs) == 2 and t.find("إمانويل ماكرون") is macron


def test_cli_entities_and_entity(db: str) -> None:
    r = CliRunner().invoke(app, ["entities", "--db", db, "--type", "PERSON", "--top", "3", "--json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert rows[0]["canonical"] == "بيني غانتس" and rows[0]["articles"] == 3
    r = CliRunner().invoke(app, ["entity", "غانتس", "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["canonical"] == "بيني غانتس" and d["first_seen"] == "2021-11-24" and d["last_seen"] == "2021-12-02"
    assert d["roles"] == {"وزير الدفاع": 1}
    assert {c["canonical"] for c in d["cooccurring"]} >= {"المغرب", "الرباط"}
    assert d["timeline"] == {"2021-11": 2, "2021-12": 1}
    r = CliRunner().invoke(app, ["entities", "--db", db])
    assert r.exit_code == 0 and "المغرب" in r.stdout
    r = CliRunner().invoke(app, ["entity", "لا أحد", "--db", db])
    assert r.exit_code == 1


def test_merge_and_split_survive_reingest(db: str) -> None:
    runner = CliRunner()
    r = runner.invoke(app, ["entities", "merge", "حافظ قائد السبسي", "السبسي", "--db", db])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["entities", "split", "بيني غانتس", "بيني جانتس", "--db", db])
    assert r.exit_code == 0, r.output
    with open_store(db) as store:  # re-ingest the same articles: a no-op for the store
        store.add(analyses())
    t = table(db)
    assert t.find("السبسي").gid == t.find("حافظ قائد السبسي").gid  # type: ignore[union-attr]
    assert t.find("الباجي قائد السبسي").gid != t.find("حافظ قائد السبسي").gid  # type: ignore[union-attr]
    gantz = t.find("بيني غانتس")
    assert gantz is not None and "بيني جانتس" not in gantz.variants and len(gantz.docs) == 2
    split_off = t.find("بيني جانتس")
    assert split_off is not None and split_off.gid != gantz.gid
    r = runner.invoke(app, ["entities", "split", "بيني غانتس", "ليس متغيرا", "--db", db])
    assert r.exit_code == 1
