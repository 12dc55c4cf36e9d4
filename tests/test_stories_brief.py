"""Briefings from stored records: facts carry their article and sentence; events merge across sources."""

from __future__ import annotations

from marsad.brief import build_brief, render_html, render_md

TEXT = "التقى وزير الخارجية نظيره الفرنسي في باريس. وقال الوزير إن العلاقات ممتازة."


def record(doc_id: str, site: str, published: str, quote_speaker: str | None = "الوزير") -> dict:
    return {
        "id": doc_id, "title": "لقاء في باريس", "published": published, "url": f"https://{site}/{doc_id}",
        "site": site, "sources": [], "summary": ["التقى وزير الخارجية نظيره الفرنسي في باريس."],
        "paragraphs": [{"index": 1, "start": 0, "end": len(TEXT), "text": TEXT, "duplicate_of": None,
                        "sentences": [[0, 43], [44, len(TEXT)]]}],
        "canonical_entities": [{"id": "e1", "type": "GPE", "canonical": "باريس", "variants": ["باريس"]},
                               {"id": "e2", "type": "PERSON", "canonical": "وزير الخارجية", "variants": []}],
        "events": [{"type": "MEET", "trigger": "التقى", "trigger_start": 0, "trigger_end": 5, "paragraph": 1,
                    "sentence_start": 0, "sentence_end": 43, "where": "باريس",
                    "arguments": [{"role": "source", "text": "وزير الخارجية", "start": 6, "end": 19,
                                   "entity_id": "e2"}]}],
        "quotes": [{"text": "العلاقات ممتازة", "start": 58, "end": 73, "paragraph": 1, "speaker": quote_speaker,
                    "confidence": 0.9}],
    }


def test_events_merge_across_sources_with_evidence() -> None:
    b = build_brief([record("a1", "site-a", "2017-01-10"), record("b1", "site-b", "2017-01-10")])
    assert b["articles"] == 2
    [ev] = b["events"]
    assert ev["type"] == "MEET" and ev["sources"] == 2 and ev["actors"] == ["وزير الخارجية"]
    assert ev["where"] == "باريس"
    assert {(r["article"], r["start"], r["end"]) for r in ev["refs"]} == {("a1", 0, 43), ("b1", 0, 43)}
    assert len(b["quotes"]) == 1 and b["quotes"][0]["ref"]["start"] == 44  # same quote once, its sentence
    assert b["stories"][0]["sources"] == 2
    assert b["headline"][0]["text"] == TEXT[0:43]


def test_entity_and_since_filters() -> None:
    recs = [record("a1", "site-a", "2017-01-01"), record("b1", "site-b", "2017-01-10")]
    assert build_brief(recs, since="3d")["articles"] == 1
    assert build_brief(recs, entity="باريس")["articles"] == 2
    assert build_brief(recs, entity="لندن")["articles"] == 0


def test_renderers_escape_and_cite() -> None:
    rec = record("a1", "site-a", "2017-01-10", quote_speaker="<script>x</script>")
    b = build_brief([rec])
    page = render_html(b)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'data-article="a1"' in page and "[a1:0-43]" in page
    md = render_md(b)
    assert "[a1:0-43](https://site-a/a1)" in md


def test_empty_selection_renders() -> None:
    b = build_brief([])
    assert b["articles"] == 0 and b["headline"] == []
    assert "موجز" in render_md(b) and "</html>" in render_html(b)
