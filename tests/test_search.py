"""Arabic full-text search through SQLiteStore: matching across spellings and clitics, operators, filters,
ranking, and snippets cut from the raw text with the hit marked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from marsad.errors import QueryError
from marsad.model import Analysis, Document, Paragraph, Provenance
from marsad.store import open_store
from marsad.store.base import Store
from marsad.store.indexing import decode_offsets, index_terms
from marsad.text import search_terms

DOCS = {
    "isr_waw": "قالت الحكومة وإسرائيل في بيان مشترك إن المحادثات ستستأنف الأسبوع المقبل.",
    "isr_lam": "وجه الوزير انتقادات لإسرائيل بسبب الاستيطان في الضفة الغربية.",
    "isr_bare": "أعلنت اسرائيل عن إجراءات جديدة على المعابر الحدودية.",
    "isr_hamza": "زار وفد من إسرائيل العاصمة للتباحث في ملفات عالقة.",
    "ittifaq_al": "وقع الطرفان الاتفاق الأمني بعد أشهر من المفاوضات الصعبة.",
    "ittifaq_wal": "رحبت الأمم المتحدة بالخطوة والاتفاق الذي تم التوصل إليه أمس.",
    "ittifaq_bare": "لم يتم التوصل إلى اتفاق نهائي بين النقابة والحكومة حول الأجور.",
    "tunis": "شهدت تونس العاصمة أمطارا غزيرة تسببت في فيضانات بعدة أحياء.",
}
TITLES = {"tunis": "أمطار غزيرة في تونس"}


def make(key: str, text: str, *, source: str | None = None, published: str | None = None,
         site: str | None = None) -> Analysis:
    doc = Document(text=text, provenance=Provenance(source=source or f"news/{key}.txt", format="page"),
                   title=TITLES.get(key), published=published, site=site)
    analysis = Analysis(document=doc, title=doc.title)
    analysis.paragraphs.append(Paragraph(1, 0, len(text)))
    return analysis


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "s.db") as s:
        s.add(make(k, t, published=f"2017-0{i + 1}-15") for i, (k, t) in enumerate(DOCS.items()))
        yield s


def ids(store: Store, query: str, **kw: object) -> set[str]:
    by_id = {make(k, t).document.id: k for k, t in DOCS.items()}
    return {by_id.get(h.id, h.id) for h in store.search(query, **kw).hits}  # type: ignore[arg-type]


ISRAEL = {"isr_waw", "isr_lam", "isr_bare", "isr_hamza"}
ITTIFAQ = {"ittifaq_al", "ittifaq_wal", "ittifaq_bare"}


@pytest.mark.parametrize("query", ["إسرائيل", "اسرائيل", "وإسرائيل", "لإسرائيل"])
def test_every_spelling_and_clitic_form_of_israel_finds_all_of_them(store: Store, query: str) -> None:
    assert ids(store, query) == ISRAEL


@pytest.mark.parametrize("query", ["الاتفاق", "والاتفاق", "اتفاق"])
def test_the_article_and_conjunction_do_not_matter(store: Store, query: str) -> None:
    assert ids(store, query) == ITTIFAQ


def test_phrase_needs_the_words_in_order(store: Store) -> None:
    assert ids(store, '"الاتفاق الأمني"') == {"ittifaq_al"}
    assert ids(store, '"الأمني الاتفاق"') == set()


def test_and_or_not_and_parentheses(store: Store) -> None:
    assert ids(store, "اتفاق الحكومة") == {"ittifaq_bare"}
    assert ids(store, "تونس OR الاستيطان") == {"tunis", "isr_lam"}
    assert ids(store, "اسرائيل -الاستيطان") == ISRAEL - {"isr_lam"}
    assert ids(store, "اسرائيل NOT (الاستيطان OR المعابر)") == ISRAEL - {"isr_lam", "isr_bare"}
    assert ids(store, "(تونس OR الضفة) (أمطار OR الغربية)") == {"tunis", "isr_lam"}


def test_a_word_that_is_nowhere_finds_nothing(store: Store) -> None:
    result = store.search("الجزائر")
    assert result.total == 0 and result.hits == []


def test_total_limit_and_offset(store: Store) -> None:
    first = store.search("اسرائيل", limit=2)
    rest = store.search("اسرائيل", limit=10, offset=2)
    assert first.total == rest.total == 4
    assert len(first.hits) == 2 and len(rest.hits) == 2
    assert {h.id for h in first.hits}.isdisjoint({h.id for h in rest.hits})


def test_filters_by_source_prefix_site_and_dates(store: Store) -> None:
    goud = make("x", "خبر عن اتفاق في المغرب.", source="goud/1.txt", site="Goud", published="2019-01-01")
    store.add([goud])
    x = goud.document.id
    assert ids(store, "اتفاق", source="goud/") == {x}
    assert ids(store, "اتفاق", source="Goud") == {x}
    assert ids(store, "اتفاق", source="news/ittifaq_a") == {"ittifaq_al"}
    assert ids(store, "اتفاق", source="goud") == {x}  # a folder name anywhere in the path
    assert ids(store, "اتفاق", source="ittifaq_wal.txt") == {"ittifaq_wal"}  # a file name
    assert ids(store, "اتفاق", source="oud") == set()  # not part of a name
    # published 2017-05-15, 2017-06-15, 2017-07-15 and 2019-01-01
    assert ids(store, "اتفاق", since="2017-06-01", until="2017-07") == {"ittifaq_wal", "ittifaq_bare"}
    assert ids(store, "اتفاق", since="2018") == {x}
    assert ids(store, "اتفاق", until="2017-05-15") == {"ittifaq_al"}


@pytest.mark.parametrize("bad", ["yesterday", "2017/01/02", "17-01-02"])
def test_a_bad_date_is_a_query_error(store: Store, bad: str) -> None:
    with pytest.raises(QueryError, match="date"):
        store.search("اتفاق", since=bad)


def test_title_matches_rank_above_body_matches(tmp_path: Path) -> None:
    with open_store(tmp_path / "r.db") as store:
        body = make("b", "تحدث التقرير عن الطقس. " * 3 + "وذكر تونس مرة واحدة.")
        titled = make("tunis", "نشرة قصيرة عن الطقس " * 3)
        store.add([body, titled])
        hits = store.search("تونس").hits
        assert [h.id for h in hits] == [titled.document.id, body.document.id]
        assert hits[0].score > hits[1].score


def test_snippet_shows_raw_text_with_the_hit_marked(store: Store) -> None:
    hit = store.search("اسرائيل", source="news/isr_waw").hits[0]
    assert "[وإسرائيل]" in hit.snippet
    assert hit.snippet.replace("[", "").replace("]", "").replace("… ", "").replace(" …", "") in DOCS["isr_waw"]
    mark = store.search("اسرائيل", source="news/isr_lam", markers=("<mark>", "</mark>")).hits[0]
    assert "<mark>لإسرائيل</mark>" in mark.snippet
    assert ("لإسرائيل", True) in mark.snippet_parts
    text = DOCS["isr_lam"]
    assert [text[s:e] for s, e in mark.highlights] == ["لإسرائيل"]


def test_snippet_keeps_tashkeel_and_marks_a_whole_phrase(tmp_path: Path) -> None:
    text = "في خبر طويل عن المنطقة. " * 10 + "وقَّعَ الطرفانِ الاتفاقَ الأمنيَّ أمس. " + "ثم انتهى الاجتماع. " * 10
    with open_store(tmp_path / "t.db") as store:
        store.add([make("t", text)])
        hit = store.search('"الاتفاق الأمني"').hits[0]
    assert "[الاتفاقَ الأمنيَّ]" in hit.snippet
    assert hit.snippet.startswith("… ") and hit.snippet.endswith(" …")
    assert len(hit.snippet) < 260


def test_snippet_without_a_body_hit_starts_the_body(store: Store) -> None:
    hit = store.search("أمطار غزيرة", source="news/tunis").hits[0]
    assert hit.snippet.startswith("شهدت تونس")


@pytest.mark.parametrize("bad", ['"اتفاق', "اتفاق OR", "(اتفاق", "-اتفاق", ""])
def test_malformed_queries_raise_query_error_not_sqlite_errors(store: Store, bad: str) -> None:
    with pytest.raises(QueryError):
        store.search(bad)


def test_indexed_terms_are_exactly_search_terms_of_the_body() -> None:
    """The index is built word by word (memoised); that must equal search_terms over the whole body."""
    for key, text in DOCS.items():
        _, body, offsets, n = index_terms(make(key, text))
        terms = body.split(" ")
        assert terms == search_terms(text) and len(terms) == n
        starts, ends = decode_offsets(offsets)
        # each term maps back to the raw word it came from
        assert [search_terms(text[s:e])[0] for s, e in zip(starts, ends)] == terms


@pytest.mark.parametrize("title", ["أمطار غزيرة في تونس: «الحصيلة» ثقيلة!", "covid-19 (F-16) و#تونس_الآن", ""])
def test_indexed_title_terms_are_search_terms_of_the_title(title: str) -> None:
    a = make("t", "نص")
    a.title = title
    assert index_terms(a)[0].split() == search_terms(title)


def test_entity_and_event_filters_and_no_snippets(tmp_path: Path) -> None:
    from marsad.model import Entity, Event

    with open_store(tmp_path / "e.db") as store:
        with_both = make("isr_waw", DOCS["isr_waw"])
        with_both.entities.append(Entity("Q801", "GPE", "إسرائيل"))
        with_both.events.append(Event("MEET", "040", "المحادثات", 40, 48, 1, 0, 70))
        store.add([with_both, make("isr_lam", DOCS["isr_lam"])])
        assert ids(store, "اسرائيل", entity="Q801") == {"isr_waw"}
        assert ids(store, "اسرائيل", entity="إسرائيل") == {"isr_waw"}
        assert ids(store, "اسرائيل", event_type="MEET") == {"isr_waw"}
        assert ids(store, "اسرائيل", event_type="FIGHT") == set()
        bare = store.search("اسرائيل", snippets=False)
        assert bare.total == 2 and all(h.snippet == "" and h.highlights == [] for h in bare.hits)


def test_a_huge_junk_word_does_not_make_a_huge_snippet(tmp_path: Path) -> None:
    text = "ا" * 200_000 + " تونس " + "ب" * 100_000
    with open_store(tmp_path / "big.db") as store:
        store.add([make("big", text)])
        hit = store.search("تونس").hits[0]
    assert "[تونس]" in hit.snippet and len(hit.snippet) < 600


@pytest.mark.parametrize(("in_text", "query"), [
    ("للرباط", "الرباط"), ("الرباط", "للرباط"), ("ببيوض", "بيوض"), ("وللمغرب", "المغرب"),
    ("بالمغرب", "والمغرب"), ("لليبيا", "ليبيا"), ("ببيروت", "بيروت"), ("لفلسطين", "وفلسطين"),
])
def test_clitic_forms_of_names_find_each_other(tmp_path: Path, in_text: str, query: str) -> None:
    text = f"وصل الوفد {in_text} صباح اليوم في زيارة رسمية."
    with open_store(tmp_path / "c.db") as store:
        store.add([make("c", text)])
        hit = store.search(query).hits
        assert len(hit) == 1 and f"[{in_text}]" in hit[0].snippet


@pytest.mark.parametrize(("in_text", "query"), [("بيروت", "يروت"), ("ليبيا", "يبيا"), ("بيوض", "يوض")])
def test_names_that_start_with_clitic_letters_are_not_cut(tmp_path: Path, in_text: str, query: str) -> None:
    with open_store(tmp_path / "n.db") as store:
        store.add([make("n", f"وصل الوفد إلى {in_text} صباح اليوم.")])
        assert store.search(query).total == 0
