"""The seed article: events and quotes of expected.json, on hand-built mentions and on the full pipeline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from marsad.model import Analysis, Document, Entity, Mention, Paragraph, Provenance
from marsad.nlp.events import find_events
from marsad.nlp.quotes import find_quotes
from marsad.text import fold

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "samples" / "seed"
pytestmark = pytest.mark.skipif(not (SEED / "article.txt").exists(), reason="shared seed sample not present")

#: (type, canonical, surfaces) — the entity layer the NER and linking stages are expected to produce.
SEED_ENTITIES = [
    ("PERSON", "عبد الرحيم بيوض", ["عبد الرحيم بيوض", "بيوض"]),
    ("PERSON", "بيني غانتس", ["بيني غانتس", "غانتس"]),
    ("PERSON", "عبد اللطيف لوديي", ["عبد اللطيف لوديي"]),
    ("GPE", "المغرب", ["المملكة المغربية", "المغرب"]),
    ("GPE", "إسرائيل", ["إسرائيل", "اسرائيل"]),
    ("GPE", "الرباط", ["الرباط", "للرباط"]),
    ("ORG", "الصناعات الجوية الإسرائيلية", ["الصناعات الجوية الإسرائيلية"]),
    ("ORG", "هارتس", ["هارتس"]),
    ("ORG", "القيادة العامة للقوات المسلحة الملكية", ["القيادة العامة للقوات المسلحة الملكية", "للقيادة العامة للقوات المسلحة الملكية"]),
    ("ORG", "الشركات الإسرائيلية", ["الشركات الإسرائيلية"]),
    ("ORG", "تويتر", ["تويتر"]),
    ("WEAPON", "هاروف", ["هاروف"]),
    ("WEAPON", "باراك 8", ["باراك 8"]),
    ("WEAPON", "سكاي لوك", ["سكاي لوك"]),
    ("WEAPON", "F5", ["F5"]),
    ("MONEY", "22 مليون دولار", ["22 مليون دولار"]),
    ("DATE", "الأربعاء المنصرم", ["الأربعاء المنصرم"]),
    ("DATE", "الأسبوع المنصرم", ["الأسبوع المنصرم"]),
    ("DATE", "الأسبوع الماضي", ["الأسبوع الماضي"]),
    ("QUANTITY", "وحدتين", ["وحدتين"]),
]


def _word_re(surface: str) -> re.Pattern[str]:
    """The surface as a whole word, allowing Arabic proclitics before it (left outside the mention)."""
    return re.compile(r"(?<![^\W_])(?:وال|بال|فال|وب|ول|لل|و|ب|ل|ف)?(" + re.escape(surface) + r")(?![^\W_])")


def seed_analysis(with_mentions: bool = True) -> Analysis:
    """The seed page with hand-built layout (body paragraphs, paragraph 9 restating 6) and mentions."""
    text = (SEED / "article.txt").read_text(encoding="utf-8")
    doc = Document(text, Provenance(str(SEED / "article.txt"), "page"), layout="page", published="2021-12-01")
    a = Analysis(doc)
    lines = [m for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    body = lines[3:-1]  # title, two counters ... related headline
    a.paragraphs = [Paragraph(i + 1, m.start(), m.start() + len(m.group().rstrip())) for i, m in enumerate(body)]
    a.paragraphs[8].duplicate_of = 6
    if not with_mentions:
        return a
    taken: list[tuple[int, int]] = []
    for n, (type_, canon, surfaces) in enumerate(SEED_ENTITIES):
        ent = Entity(f"e{n}", type_, canon)
        for surface in sorted(surfaces, key=len, reverse=True):
            for p in a.paragraphs:
                for m in _word_re(surface).finditer(text, p.start, p.end):
                    s, e = m.start(1), m.end(1)
                    if any(s < te and ts < e for ts, te in taken):
                        continue
                    taken.append((s, e))
                    ent.mentions.append(len(a.mentions))
                    a.mentions.append(Mention(type_, s, e, text[s:e], p.index, fold(text[s:e]),
                                              entity_id=ent.id, canonical=canon))
        a.entities.append(ent)
    return a


def expected() -> dict:
    return json.loads((SEED / "expected.json").read_text(encoding="utf-8"))


def _score(a: Analysis):
    from marsad.nlp.events.evaluate import Report, score_article

    report = Report()
    score_article(a, expected(), report, "seed")
    return report


def _check_seed(a: Analysis) -> None:
    exp = expected()
    from marsad.nlp.events.evaluate import event_matches, quote_matches

    for g in exp["events"]["must"]:
        hits = [e for e in a.events if event_matches(a, e, g)]
        assert hits, f"must event not found: {g}"
        assert any(e.paragraph == g["paragraph"] for e in hits), f"wrong paragraph for {g['type']}"
    for g in exp["quotes"]["must"]:
        assert any(quote_matches(a, q, g) and q.paragraph == g["paragraph"] for q in a.quotes), g
    assert not [e for e in a.events if e.paragraph == 9], "paragraph 9 restates paragraph 6"
    signs = [frozenset(x.entity_id or x.text for x in e.arguments if x.role == "participants")
             for e in a.events if e.type == "SIGN_AGREEMENT"]
    assert len(signs) == len(set(signs)), "the same signing counted twice"
    for g in exp["quotes"]["must_not"]:
        assert not [q for q in a.quotes if fold(q.text).strip() == fold(g["text"])], g


def test_seed_on_hand_built_mentions() -> None:
    a = find_events(find_quotes(seed_analysis()))
    _check_seed(a)


@pytest.mark.parametrize("field_,value", [("when", "الأربعاء المنصرم"), ("modality", "asserted")])
def test_seed_signing_details(field_: str, value: str) -> None:
    a = find_events(find_quotes(seed_analysis()))
    sign = next(e for e in a.events if e.type == "SIGN_AGREEMENT" and e.paragraph == 6)
    assert getattr(sign, field_) == value
    assert a.text[sign.trigger_start:sign.trigger_end] == sign.trigger == "ووقع"


def test_seed_arms_deal_details() -> None:
    a = find_events(find_quotes(seed_analysis()))
    deal = next(e for e in a.events if e.type == "ARMS_TRANSFER")
    assert deal.cameo == "062" and deal.paragraph == 5 and deal.status == "ordered"
    assert deal.attributed_to == "هارتس"
    sellers = [x.text for x in deal.arguments if x.role == "seller"]
    assert sellers == ["الصناعات الجوية الإسرائيلية"], "one seller: the company, not Israel"


def test_seed_quote_details() -> None:
    a = find_quotes(seed_analysis())
    q = next(q for q in a.quotes if q.paragraph == 2)
    assert (q.speaker, q.verb, q.channel) == ("بيني غانتس", "قال", "تويتر")
    assert a.text[q.start - 1] in "“”\"" and a.text[q.end] in "“”\""  # offsets exclude the marks
    carried = [q for q in a.quotes if q.paragraph == 11]
    assert carried and carried[0].speaker == "القيادة العامة للقوات المسلحة الملكية"  # وأضاف carries


def test_seed_may_items_reached() -> None:
    report = _score(find_events(find_quotes(seed_analysis())))
    may_events = sum(s.may_found for s in report.events.values())
    assert may_events >= 3 and report.quotes.may_found == 2
    assert report.total_events().errors == 0 and report.quotes.errors == 0


def test_seed_without_mentions_still_finds_quotes() -> None:
    a = find_events(find_quotes(seed_analysis(with_mentions=False)))
    q = next(q for q in a.quotes if q.paragraph == 2)
    assert q.speaker == "غانتس" and q.text.startswith("كان من دواعي سروري اليوم")


def _pipeline_seed() -> Analysis:
    from marsad.ingest import read
    from marsad.pipeline import analyze

    doc = next(d for d in read([str(SEED / "article.txt")]) if isinstance(d, Document))
    return analyze(doc)


@pytest.mark.slow
def test_seed_full_pipeline() -> None:
    a = _pipeline_seed()
    if not any(m.type == "PERSON" for m in a.mentions):
        pytest.skip("entity stage produces no PERSON mention on the seed yet (NER/segment stages not landed)")
    _check_seed(a)


@pytest.mark.slow
def test_seed_full_pipeline_event_inventory() -> None:
    a = _pipeline_seed()
    if not any(m.type == "PERSON" for m in a.mentions):
        pytest.skip("entity stage produces no PERSON mention on the seed yet")
    kinds = [e.type for e in a.events]
    assert kinds.count("ARMS_TRANSFER") == 1 and kinds.count("SIGN_AGREEMENT") == 1  # وقعه: the same signing
    visit = next(e for e in a.events if e.type == "VISIT")
    assert visit.where == "الرباط"
    for e in a.events:  # every argument is a span of the raw text
        assert all(a.text[x.start:x.end] == x.text for x in e.arguments)
        assert a.text[e.trigger_start:e.trigger_end] == e.trigger
    for q in a.quotes:
        assert a.text[q.start:q.end] == q.text
