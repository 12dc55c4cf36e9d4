"""End-to-end: the real `marsad` console script in a subprocess, then checked through the library."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from marsad.store import open_store

REPO = Path(__file__).resolve().parent.parent
MARSAD = [sys.executable, "-m", "marsad"]


def run(*args: str, db: Path | None = None, stdin: bytes | None = None,
        timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the CLI; on timeout kill its whole process group (worker pools included) and fail."""
    env = dict(os.environ)
    if db is not None:
        env["MARSAD_DB"] = str(db)
    proc = subprocess.Popen([*MARSAD, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=REPO, start_new_session=True)
    try:
        stdout, stderr = proc.communicate(stdin.decode() if stdin else None, timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"marsad {' '.join(args)} did not finish in {timeout} s")
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def test_analyze_seed_layout_matches_expected(seed_path: Path, seed_expected: dict) -> None:
    proc = run("analyze", str(seed_path), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    layout = seed_expected["layout"]
    assert doc["title"] == layout["title"]
    assert doc["counters"] == layout["counters"]
    assert len(doc["paragraphs"]) == layout["body_paragraphs"]
    assert doc["paragraphs"][0]["text"].startswith(layout["body_first_words"])
    assert doc["paragraphs"][-1]["text"].endswith(layout["body_last_words"])
    assert doc["related_headlines"] == layout["related_headlines"]
    body = "\n".join(p["text"] for p in doc["paragraphs"])
    assert layout["related_headlines"][0] not in body
    raw = seed_path.read_text(encoding="utf-8")
    for p in doc["paragraphs"]:
        assert raw[p["start"]:p["end"]] == p["text"]
    assert [p["index"] for p in doc["paragraphs"]] == list(range(1, 12))


def test_ingest_samples_search_show_export(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    proc = run("ingest", "samples", "--json", db=db)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["skipped"] == 0 and report["added"] >= 7
    again = run("ingest", "samples", "--json", db=db)
    assert again.returncode == 0
    assert json.loads(again.stdout)["added"] == 0
    assert json.loads(again.stdout)["unchanged"] == report["added"]

    with open_store(str(db)) as store:
        assert store.stats()["documents"] == report["added"]
        some_id = next(store.iter_documents())["id"]

    shown = run("show", some_id, "--json", db=db)
    assert shown.returncode == 0 and json.loads(shown.stdout)["id"] == some_id
    missing = run("show", "ffffffffffffffff", db=db)
    assert missing.returncode == 1 and "no article" in missing.stderr

    exported = run("export", "--to", "jsonl", db=db)
    assert exported.returncode == 0
    assert len(exported.stdout.strip().splitlines()) == report["added"]
    csv_out = tmp_path / "a.csv"
    assert run("export", "--to", "csv", "-o", str(csv_out), db=db).returncode == 0
    assert csv_out.read_text(encoding="utf-8").startswith("id,title")


def test_search_is_arabic_aware_and_rejects_bad_queries(tmp_path: Path, seed_path: Path) -> None:
    db = tmp_path / "m.db"
    assert run("ingest", str(seed_path), "--quiet", db=db).returncode == 0
    for query in ("إسرائيل", "اسرائيل", "وإسرائيل", "لإسرائيل", "اتفاق", "والاتفاق", '"الاتفاق الأمني"'):
        proc = run("search", query, "--json", db=db)
        assert proc.returncode == 0, (query, proc.stderr)
        assert json.loads(proc.stdout)["total"] == 1, query
    for bad in ('"غير', "AND", "(غانتس", "غانتس OR"):
        proc = run("search", bad, db=db)
        assert proc.returncode == 2, bad
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_bad_inputs_are_one_line_each_and_the_rest_goes_in(tmp_path: Path, seed_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(seed_path.read_text(encoding="utf-8"), encoding="utf-8")
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "binary.bin").write_bytes(bytes(range(256)) * 20)
    (inputs / "broken.gz").write_bytes(gzip.compress("خبر".encode() * 1000)[:40])
    with zipfile.ZipFile(inputs / "ok.zip", "w") as zf:
        zf.writestr("x/article.txt", "عنوان الخبر\n\nوقال الوزير إن الحكومة ستفتح ثلاث مدارس جديدة في المدينة.\n")
    (inputs / "rows.csv").write_text("title,date\nعنوان,2021-01-01\n", encoding="utf-8")
    db = tmp_path / "m.db"
    proc = run("ingest", str(inputs), "--json", db=db)
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert report["added"] == 2
    assert report["skipped"] >= 4
    problems = [line for line in proc.stderr.splitlines() if line.startswith("skipped:")]
    assert len(problems) == report["skipped"]
    for name in ("empty.txt", "binary.bin", "broken.gz", "rows.csv"):
        assert any(name in line for line in problems), (name, problems)
    assert "Traceback" not in proc.stderr


def test_stdin_is_read(tmp_path: Path) -> None:
    text = "عنوان تجريبي\n\nقال المتحدث إن الاجتماع سيعقد في تونس الأسبوع المقبل.\n".encode()
    proc = run("analyze", "-", "--format", "json", stdin=text)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["title"] == "عنوان تجريبي"


@pytest.mark.slow
def test_ingest_real_corpora_reports_duplicates(tmp_path: Path, data_dir: Path) -> None:
    db = tmp_path / "news.db"
    proc = run("ingest", str(data_dir / "news" / "ant_jawharafm"), str(data_dir / "news" / "marsum_goud"),
               "--json", "--workers", "2", db=db, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert report["skipped"] == 0
    assert report["read"] == 10161 + 1981
    assert report["duplicates"] > 0
    assert report["added"] + report["duplicates"] + report["unchanged"] == report["read"]
