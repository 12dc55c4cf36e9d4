"""Seed acceptance for the entity stage: every `must` mention of expected.json, none of `must_not`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.model import Analysis, Document, Mention, Paragraph, Provenance, Sentence
from marsad.nlp.ner import recognize
from marsad.text import fold, tokenize

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "samples" / "seed"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not SEED.is_dir(), reason="needs ../shared/samples/seed")]


def _analysis() -> Analysis:
    """One paragraph (and sentence) per non-empty line: independent of the layout/segment stages."""
    text = (SEED / "article.txt").read_text(encoding="utf-8")
    paras: list[Paragraph] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            n = len(paras) + 1
            sent = Sentence(pos, pos + len(line), n, tokenize(text, pos, pos + len(line)))
            paras.append(Paragraph(n, pos, pos + len(line), sentences=[sent]))
        pos += len(line) + 1
    a = Analysis(document=Document(text=text, provenance=Provenance("seed", "page")), paragraphs=paras)
    return recognize(a)


def _pipeline() -> Analysis:
    """The whole pipeline (layout and segment stages included), as `marsad analyze` runs it."""
    from marsad.pipeline import analyze

    text = (SEED / "article.txt").read_text(encoding="utf-8")
    return analyze(Document(text=text, provenance=Provenance("seed", "page"), layout="page"))


@pytest.fixture(scope="module", params=[("lines", "fast"), ("pipeline", "fast"), ("lines", "accurate"),
                                        ("pipeline", "accurate")], ids="-".join)
def seed(request: pytest.FixtureRequest) -> tuple[Analysis, dict]:
    """The seed analysed one line per sentence or by the whole pipeline, in each entity-stage mode."""
    expected = json.loads((SEED / "expected.json").read_text(encoding="utf-8"))["entities"]
    how, mode = request.param
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MARSAD_NER_MODE", mode)
        return (_analysis() if how == "lines" else _pipeline()), expected


def _key(s: str) -> str:
    return fold(s, ta_marbuta=True)


def _occurrences(a: Analysis, form: str) -> list[tuple[int, int]]:
    """Raw spans where the tokens' stems spell ``form`` (so للرباط and ببيوض count as occurrences)."""
    want = [t.stem for t in tokenize(form) if t.is_word]
    out = []
    for s in a.sentences():
        toks = [t for t in s.tokens if t.is_word]
        for i in range(len(toks) - len(want) + 1):
            if [_key(t.stem) for t in toks[i:i + len(want)]] == [_key(w) for w in want]:
                out.append((toks[i].stem_start, toks[i + len(want) - 1].end))
    return out


def _covering(a: Analysis, span: tuple[int, int], typ: str) -> list[Mention]:
    return [m for m in a.mentions if m.type == typ and m.start <= span[0] + 2 and m.end >= span[1]
            and m.start < span[1]]


def test_text_is_raw_slice(seed: tuple[Analysis, dict]) -> None:
    a, _ = seed
    assert a.mentions
    for m in a.mentions:
        assert m.text == a.text[m.start:m.end]
        assert m.normalized == fold(m.text)


def test_every_must_mention_found_with_its_type(seed: tuple[Analysis, dict]) -> None:
    a, expected = seed
    missing = []
    for ent in expected["must"]:
        if ent["type"] == "MONEY":
            continue
        for form in ent["mentions"]:
            occ = _occurrences(a, form)
            assert occ, f"{form} not in the seed text?"
            missing += [(ent["type"], form, a.text[s:e]) for s, e in occ if not _covering(a, (s, e), ent["type"])]
    assert not missing


@pytest.mark.parametrize("form", ["بيوض", "غانتس"])
def test_clitic_and_quoted_surnames(seed: tuple[Analysis, dict], form: str) -> None:
    a, _ = seed
    for s, e in _occurrences(a, form):
        assert any(m.text == form or m.text.endswith(form) for m in _covering(a, (s, e), "PERSON"))


def test_bebyoud_mention_excludes_the_preposition(seed: tuple[Analysis, dict]) -> None:
    a, _ = seed
    i = a.text.index("ببيوض")
    assert any(m.start == i + 1 and m.text == "بيوض" for m in a.mentions)


def test_money_from_rules(seed: tuple[Analysis, dict]) -> None:
    a, _ = seed
    money = [m for m in a.mentions if m.type == "MONEY"]
    assert any(m.value == 22_000_000 and m.currency == "USD" for m in money)


def test_must_not(seed: tuple[Analysis, dict]) -> None:
    a, expected = seed
    for item in expected["must_not"]:
        hits = [m for m in a.mentions if _key(item["text"]) in _key(m.text)
                and ("as_type" not in item or m.type == item["as_type"])]
        if item["text"].isdigit():
            hits = [m for m in a.mentions if m.text.strip() == item["text"]]
        assert not hits, item
    title_role = [m for m in a.mentions if m.type == "PERSON" and "وزير" in m.text]
    assert not title_role
