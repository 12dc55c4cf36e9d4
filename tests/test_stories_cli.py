"""`marsad duplicates`, `marsad stories`, `marsad story ID` through the real CLI over a real SQLite store."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from marsad.cli import app
from marsad.model import Document, Provenance
from marsad.pipeline import Pipeline
from marsad.store import open_store

QUAKE = ("ضرب زلزال بقوة ست درجات على مقياس ريختر جزيرة كريت اليونانية صباح اليوم الاثنين.\n\n"
         "وأعلنت السلطات اليونانية عن أضرار مادية في المباني القديمة دون تسجيل ضحايا في صفوف السكان.\n\n"
         "وقال رئيس بلدية هيراكليون إن فرق الحماية المدنية تتفقد المباني المتضررة منذ الصباح.")
QUAKE_2 = ("قالت السلطات اليونانية إن الزلزال الذي ضرب جزيرة كريت بقوة ست درجات لم يخلف ضحايا.\n\n"
           "وأضافت أن فرق الحماية المدنية تتفقد المباني المتضررة في الجزيرة وأن الدروس ستستأنف غدا.")
MATCH = ("فاز الترجي الرياضي على النجم الساحلي بهدفين دون رد في مقابلة الكلاسيكو التي دارت بملعب رادس.\n\n"
         "وبهذا الفوز يعزز الترجي صدارته لترتيب البطولة الوطنية لكرة القدم قبل ثلاث جولات من النهاية.")


def doc(text: str, title: str, site: str, published: str) -> Document:
    return Document(text=text, provenance=Provenance(source=f"{site}/{title}", format="jsonl"), title=title,
                    published=published, site=site)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("stories") / "news.db")
    pipe = Pipeline(["layout", "sentences", "paragraph_dedup", "summary"])
    docs = [
        doc(QUAKE, "زلزال يضرب كريت", "site-a", "2017-01-10T08:00:00"),
        doc(QUAKE + "\n\nتابعونا على صفحتنا.", "اليونان: زلزال قوي في كريت", "site-b", "2017-01-10T09:00:00"),
        doc(QUAKE_2, "لا ضحايا في زلزال كريت", "site-c", "2017-01-11T10:00:00"),
        doc(MATCH, "الترجي يفوز على النجم", "site-a", "2017-01-11T20:00:00"),
    ]
    with open_store(path) as store:
        store.add([pipe(d) for d in docs])
    return path


def run(*args: str) -> object:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_duplicates_groups_the_repost_under_the_first_article(db: str) -> None:
    groups = run("duplicates", "--db", db, "--json")
    assert len(groups) == 1
    g = groups[0]
    assert g["title"] == "زلزال يضرب كريت"
    assert [c["title"] for c in g["copies"]] == ["اليونان: زلزال قوي في كريت"]
    assert g["copies"][0]["source"] == "site-b" and g["copies"][0]["jaccard"] > 0.5


def test_stories_lists_the_quake_story_with_three_sources(db: str) -> None:
    items = run("stories", "--db", db, "--json")
    assert len(items) == 1
    s = items[0]
    assert s["articles"] == 3 and set(s["sources"]) == {"site-a", "site-b", "site-c"}
    assert s["first"].startswith("2017-01-10") and s["last"].startswith("2017-01-11")
    assert run("stories", "--db", db, "--json", "--min-articles", "1", "--since", "2017-01-11")  # still active
    assert run("stories", "--db", db, "--json", "--entity", "لا يوجد") == []


def test_story_shows_articles_and_a_summary(db: str) -> None:
    sid = run("stories", "--db", db, "--json")[0]["id"]
    item = run("story", sid, "--db", db, "--json")
    assert [a["source"] for a in item["articles"]] == ["site-a", "site-b", "site-c"]
    assert 1 <= len(item["summary"]) <= 3
    assert all(line in QUAKE or line in QUAKE_2 for line in item["summary"])  # sentences from the text


def test_unknown_story_is_a_one_line_error(db: str) -> None:
    result = CliRunner().invoke(app, ["story", "S999999", "--db", db])
    assert result.exit_code != 0
    assert "no such story" in str(result.exception)


@pytest.mark.parametrize("command", ["duplicates", "stories", "story"])
def test_help_has_an_example(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Example: marsad " + command in result.output


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_brief_formats(db: str, fmt: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / f"brief.{fmt}"
    result = CliRunner().invoke(app, ["brief", "--db", db, "--format", fmt, "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    if fmt == "json":
        b = json.loads(text)
        assert b["articles"] == 4 and b["stories"][0]["articles"] == 3
        ref = b["headline"][0]["ref"]
        assert ref["start"] is not None and ref["end"] > ref["start"]
    elif fmt == "html":
        assert text.startswith("<!DOCTYPE html>") and 'dir="rtl"' in text and "<script" not in text
        assert "http" not in text.split("<body>")[0]  # self-contained: nothing fetched
    else:
        assert text.startswith("# موجز") and "## Key events" in text


def test_brief_filters(db: str) -> None:
    b = run("brief", "--db", db, "--format", "json", "--since", "2017-01-11")
    assert b["articles"] == 2
    b = run("brief", "--db", db, "--format", "json", "--topic", "الترجي")
    assert b["articles"] == 1 and b["query"]["topic"] == "الترجي"
