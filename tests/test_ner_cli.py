"""`marsad eval ner` through the real CLI runner, then checked against the library."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from marsad.cli import app
from marsad.nlp.ner.corpora import read_conll
from marsad.nlp.ner.model import shipped
from marsad.nlp.ner.stage import tag_corpus

CONLL = """وقال O
الرئيس O
الفرنسي O
إيمانويل B-PERS
ماكرون I-PERS
في O
باريس B-LOC
إن O
شركة O
مايكروسوفت B-ORG
ستستثمر O
100 O
مليون O
دولار B-MISC
. O

وصل O
الوزير O
إلى O
القاهرة B-LOC
. O
"""


def test_eval_json_shape(tmp_path: Path) -> None:
    f = tmp_path / "mini.txt"
    f.write_text(CONLL, encoding="utf-8")
    res = CliRunner().invoke(app, ["eval", "ner", str(f), "--scheme", "anercorp", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert set(out) >= {"micro", "macro_f1", "per_type", "tokens_per_s"}
    assert set(out["micro"]) == {"p", "r", "f1"}
    for v in out["per_type"].values():
        assert set(v) == {"p", "r", "f1", "support"}
    assert out["per_type"]["LOC"]["support"] == 2
    lib = tag_corpus(shipped(), read_conll(f), scheme="anercorp", doc_size=20)
    assert lib["micro"] == out["micro"]


def test_eval_rejects_unknown_scheme(tmp_path: Path) -> None:
    f = tmp_path / "mini.txt"
    f.write_text(CONLL, encoding="utf-8")
    res = CliRunner().invoke(app, ["eval", "ner", str(f), "--scheme", "nope"])
    assert res.exit_code != 0


def test_help_has_examples() -> None:
    for cmd in (["train", "ner", "--help"], ["eval", "ner", "--help"]):
        res = CliRunner().invoke(app, cmd)
        assert res.exit_code == 0 and "Example: marsad" in res.stdout


def test_a_bad_mode_is_one_error_before_any_document(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    docs = []
    for k in range(3):
        docs.append(tmp_path / f"a{k}.txt")
        docs[-1].write_text("قال وزير الدفاع الإسرائيلي بيني غانتس في الرباط.\n", encoding="utf-8")
    env = {**os.environ, "MARSAD_NER_MODE": "turbo"}
    r = subprocess.run([sys.executable, "-m", "marsad.cli", "analyze", *map(str, docs)], env=env, check=False,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        "marsad: error: MARSAD_NER_MODE='turbo' is not a mode (use one of: fast, accurate)"]
    assert r.stdout == ""
