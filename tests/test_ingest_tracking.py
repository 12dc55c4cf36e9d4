"""Ingest (``marsad.workflows.ingest`` and the CLI) keeps duplicates and stories; the commands read them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from marsad.cli import app
from marsad.pipeline import Pipeline
from marsad.store import open_store
from marsad.workflows import ingest

QUAKE = ("ضرب زلزال بقوة ست درجات على مقياس ريختر جزيرة كريت اليونانية صباح اليوم الاثنين.\n\n"
         "وأعلنت السلطات اليونانية عن أضرار مادية في المباني القديمة دون تسجيل ضحايا في صفوف السكان.\n\n"
         "وقال رئيس بلدية هيراكليون إن فرق الحماية المدنية تتفقد المباني المتضررة منذ الصباح.")
QUAKE_2 = ("قالت السلطات اليونانية إن الزلزال الذي ضرب جزيرة كريت بقوة ست درجات لم يخلف ضحايا.\n\n"
           "وأضافت أن فرق الحماية المدنية تتفقد المباني المتضررة في الجزيرة وأن الدروس ستستأنف غدا.")
MATCH = ("فاز الترجي الرياضي على النجم الساحلي بهدفين دون رد في مقابلة الكلاسيكو التي دارت بملعب رادس.\n\n"
         "وبهذا الفوز يعزز الترجي صدارته لترتيب البطولة الوطنية لكرة القدم قبل ثلاث جولات من النهاية.")
RAIN = ("تهاطلت كميات هامة من الأمطار على ولايات الشمال الغربي وتسببت في قطع عدد من الطرقات.\n\n"
        "ودعت الحماية المدنية المواطنين إلى الحذر وعدم عبور الأودية خلال الساعات القادمة.")

#: (file name, jsonl record): ``marsad ingest`` reads one article per JSON line.
ARTICLES = [
    ("a1", {"title": "زلزال يضرب كريت", "text": QUAKE, "site": "site-a", "published": "2017-01-10T08:00:00"}),
    ("a2", {"title": "أمطار غزيرة في الشمال الغربي", "text": RAIN, "site": "site-a", "published": "2017-01-10T09:30:00"}),
    ("b1", {"title": "اليونان: زلزال قوي في كريت", "text": QUAKE + "\n\nتابعونا على صفحتنا.", "site": "site-b",
            "published": "2017-01-10T09:00:00"}),
    ("c1", {"title": "لا ضحايا في زلزال كريت", "text": QUAKE_2, "site": "site-c", "published": "2017-01-11T10:00:00"}),
    ("a3", {"title": "الترجي يفوز على النجم", "text": MATCH, "site": "site-a", "published": "2017-01-11T20:00:00"}),
    ("d1", {"title": "أمطار وطرقات مقطوعة", "text": RAIN + "\n\nالمصدر: وكالة الأنباء.", "site": "site-d",
            "published": "2017-01-10T11:00:00"}),
]
PIPE = ["layout", "sentences", "paragraph_dedup", "summary"]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("feed")
    out = []
    for name, record in ARTICLES:
        path = folder / f"{name}.jsonl"
        path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        out.append(str(path))
    return out


def run(*args: str) -> object:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def views(db: str) -> tuple[object, ...]:
    stories = run("stories", "--db", db, "--json", "--min-articles", "1")
    story = run("story", stories[0]["id"], "--db", db, "--json")  # type: ignore[index]
    return run("duplicates", "--db", db, "--json"), stories, story


def test_ingest_in_two_runs_equals_one_run(files: list[str], tmp_path: Path) -> None:
    one, two = str(tmp_path / "one.db"), str(tmp_path / "two.db")
    report = ingest(files, open_store(one), pipeline=Pipeline(PIPE), batch_size=2)
    assert report.added == len(files)
    ingest(files[:3], open_store(two), pipeline=Pipeline(PIPE), batch_size=2)
    ingest(files[3:], open_store(two), pipeline=Pipeline(PIPE), batch_size=2)  # a new process's store
    dup, stories, story = views(one)
    assert views(two) == (dup, stories, story)
    assert [(g["title"], [c["title"] for c in g["copies"]]) for g in dup] == [  # type: ignore[index, union-attr]
        ("زلزال يضرب كريت", ["اليونان: زلزال قوي في كريت"]), ("أمطار غزيرة في الشمال الغربي", ["أمطار وطرقات مقطوعة"])]
    quake = stories[0]  # type: ignore[index]
    assert quake["articles"] == 3 and set(quake["sources"]) == {"site-a", "site-b", "site-c"}
    assert [a["source"] for a in story["articles"]] == ["site-a", "site-b", "site-c"]  # type: ignore[index]


def test_re_ingest_changes_nothing(files: list[str], tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    ingest(files, open_store(db), pipeline=Pipeline(PIPE))
    before = views(db)
    again = ingest(files, open_store(db), pipeline=Pipeline(PIPE))
    assert again.added == 0 and again.unchanged == len(files)
    assert views(db) == before
    with open_store(db) as store:
        assert store.verify() == []


def test_cli_ingest_tracks_and_unknown_story_fails(files: list[str], tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    result = CliRunner().invoke(app, ["ingest", *files, "--db", db, "-q"])
    assert result.exit_code == 0, result.output
    assert len(run("duplicates", "--db", db, "--json")) == 2  # type: ignore[arg-type]
    result = CliRunner().invoke(app, ["story", "S999999", "--db", db])
    assert result.exit_code != 0 and "no such story" in str(result.exception)
