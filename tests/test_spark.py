"""marsad.spark: units listed on the driver, the partition function, and a real local-mode Spark job whose
Parquet tables equal what the same function writes in one process."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from marsad.spark import analyse_units, list_units
from marsad.store.parquet_tables import TABLES, write_tables

ARTICLES = {
    "a.txt": "وزير الخارجية التونسي يلتقي نظيره الجزائري في تونس\n\nالتقى وزير الخارجية التونسي نظيره الجزائري "
             "أمس في تونس العاصمة، وبحث الطرفان التعاون الأمني على الحدود.",
    "b.txt": "الأمم المتحدة تدعو إلى وقف إطلاق النار\n\nدعا الأمين العام للأمم المتحدة إلى وقف فوري لإطلاق النار "
             "في غزة، وقال إن \"المدنيين يدفعون الثمن\".",
    "c.txt": "أمطار غزيرة في المغرب\n\nشهدت مدينة الدار البيضاء أمطارا غزيرة تسببت في فيضانات بعدة أحياء.",
}
RECORDS = [
    {"title": "اتفاق تجاري بين مصر والسعودية", "text": "وقعت مصر والسعودية اتفاقا تجاريا جديدا في القاهرة.",
     "date": "2021-03-04"},
    {"title": "زيارة رسمية", "text": "زار الرئيس الفرنسي الجزائر في زيارة رسمية استمرت يومين.",
     "date": "2021-03-05"},
]


@pytest.fixture
def inputs(tmp_path: Path) -> list[str]:
    folder = tmp_path / "news"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "README.md").write_text("documentation, skipped like `marsad ingest` skips it", encoding="utf-8")
    lines = [json.dumps(r, ensure_ascii=False) for r in RECORDS]
    (tmp_path / "feed.jsonl").write_text(lines[0] + "\n{not json\n" + lines[1] + "\n", encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "more.zip", "w") as zf:
        zf.writestr("z/a-copy.txt", ARTICLES["a.txt"])
        zf.writestr("z/d.txt", "انتخابات بلدية في الأردن\n\nأجرى الأردن انتخابات بلدية وسط إقبال متوسط.")
    return [str(folder), str(tmp_path / "feed.jsonl"), str(tmp_path / "more.zip"), str(tmp_path / "missing")]


def test_units_are_files_and_archive_members_in_reading_order(inputs: list[str]) -> None:
    units, errors = list_units(inputs)
    names = [(kind, Path(name).name) for kind, name, _ in units]
    assert names == [("path", "a.txt"), ("path", "b.txt"), ("path", "c.txt"), ("path", "feed.jsonl"),
                     ("blob", "a-copy.txt"), ("blob", "d.txt")]
    assert units[4][1].endswith("more.zip!z/a-copy.txt") and units[4][2] == ARTICLES["a.txt"].encode()
    assert [(Path(r[0]).name, r[2], r[3]) for _, r in errors] == [("missing", "read", "no such file or folder")]


def rows_by_table(rows: Iterator[tuple[str, tuple[object, ...]]]) -> dict[str, list[tuple[object, ...]]]:
    out: dict[str, list[tuple[object, ...]]] = {t: [] for t in TABLES}
    for table, row in rows:
        out[table].append(row)
    return out


def test_the_partition_function_makes_store_rows_and_error_rows(inputs: list[str]) -> None:
    units, _ = list_units(inputs)
    got = rows_by_table(analyse_units(units, now="2024-01-01T00:00:00+00:00"))
    docs = got["documents"]
    assert len(docs) == 7 and len({d[0] for d in docs}) == 6  # a.txt and its zipped copy: one content
    assert all(len(d) == len(TABLES["documents"]) for d in docs)
    assert got["paragraphs"] and got["mentions"] and got["entities"]
    assert {r[0] for r in got["entities"]} <= {d[0] for d in docs}
    (bad,) = got["errors"]
    assert bad[0].endswith("feed.jsonl") and bad[2] == "read" and "JSON" in bad[3]


def _read(folder: Path, table: str) -> list[tuple[object, ...]]:
    import pyarrow.parquet as pq

    data = pq.read_table(folder / table)
    assert data.schema.names == [c for c, _ in TABLES[table]]
    return [tuple(r.values()) for r in data.to_pylist()]


@pytest.mark.slow
def test_spark_local_mode_writes_the_same_tables_as_one_process(inputs: list[str], tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        pytest.skip("Spark needs Java 17+ (apt-get install default-jre-headless)")
    from marsad.spark import spark_ingest

    report = spark_ingest(inputs, str(tmp_path / "spark"), master="local[2]")
    units, errors = list_units(inputs)
    write_tables(iter([*analyse_units(units, now="x"), *errors]), str(tmp_path / "single"))
    assert report.units == 6 and report.counts["documents"] == 7 and report.counts["errors"] == 2
    manifest = json.loads((tmp_path / "spark" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["rows"] == report.counts
    for table in TABLES:
        spark_rows, single_rows = _read(tmp_path / "spark", table), _read(tmp_path / "single", table)
        if table == "documents":  # identical but for the ingestion time stamped into each row
            spark_rows = [(*r[:11], *r[12:23], *r[24:]) for r in spark_rows]
            single_rows = [(*r[:11], *r[12:23], *r[24:]) for r in single_rows]
        assert sorted(map(repr, spark_rows)) == sorted(map(repr, single_rows)), table
