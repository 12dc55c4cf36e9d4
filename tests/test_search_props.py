"""Property tests of the whole index → search → snippet round trip, and of concurrent writers."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.model import Analysis, Document, Paragraph, Provenance
from marsad.store import open_store
from marsad.text import search_terms

STEMS = ["إسرائيل", "اتفاق", "تونس", "حكومة", "مفاوضات", "رئيس", "أمطار", "مدينة", "قطاع", "غزة", "برلمان"]
FORMS = st.tuples(st.sampled_from(["", "و", "ف", "ب", "ل", "ال", "وال", "بال"]), st.sampled_from(STEMS),
                  st.sampled_from(["", "", "\u064e", "\u0640"]))
WORD = FORMS.map(lambda t: t[0] + (t[1][:2] + t[2] + t[1][2:] if t[2] else t[1]))
FILLER = st.sampled_from(["قال", "إن", "في", "من", "على", "أمس", "،", ".", "«", "»", ":", "2017", "\n"])
TEXT = st.lists(st.one_of(WORD, FILLER), min_size=1, max_size=80).map(" ".join)


def analysis(text: str, source: str) -> Analysis:
    a = Analysis(document=Document(text=text, provenance=Provenance(source=source, format="page")))
    a.paragraphs.append(Paragraph(1, 0, len(text)))
    return a


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(TEXT, min_size=1, max_size=5), stem=st.sampled_from(STEMS))
def test_every_document_with_the_term_is_found_and_highlighted_in_raw_text(
        tmp_path_factory: pytest.TempPathFactory, texts: list[str], stem: str) -> None:
    path = tmp_path_factory.mktemp("p") / "p.db"
    (term,) = search_terms(stem)
    with open_store(path) as store:
        store.add(analysis(t, f"{i}.txt") for i, t in enumerate(texts))
        result = store.search(stem, limit=100)
        by_id = {analysis(t, "x").document.id: t for t in texts}
        expected = {i for i, t in by_id.items() if term in search_terms(t)}
        assert {h.id for h in result.hits} == expected and result.total == len(expected)
        for hit in result.hits:
            raw = by_id[hit.id]
            assert hit.highlights and "[" in hit.snippet  # a body match is always shown marked
            for start, end in hit.highlights:  # every mark is a raw word holding the term
                assert term in search_terms(raw[start:end])


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    open_store(path).close()
    errors: list[Exception] = []

    def writer(name: str) -> None:
        try:
            with open_store(path) as store:
                for k in range(10):
                    store.add([analysis(f"خبر {name} رقم {k} رقم {j} عن تونس", f"{name}/{k}/{j}.txt")
                               for j in range(20)])
        except Exception as exc:  # noqa: BLE001 - any error in a thread is reported by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("a", "b", "c")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with open_store(path) as store:
        assert store.stats()["documents"] == 600
        assert store.search("تونس").total == 600
        assert store.verify() == []


def test_one_store_shared_by_threads_reads_while_it_writes(tmp_path: Path) -> None:
    errors: list[Exception] = []
    with open_store(tmp_path / "shared.db") as store:
        store.add([analysis("خبر أول عن تونس", "first.txt")])

        def reader() -> None:
            try:
                for _ in range(50):
                    assert store.search("تونس").total >= 1
            except Exception as exc:  # noqa: BLE001 - any error in a thread is reported by the assert below
                errors.append(exc)

        threads = [threading.Thread(target=reader) for _ in range(3)]
        for t in threads:
            t.start()
        for k in range(10):
            store.add([analysis(f"خبر {k} رقم {j} عن تونس", f"{k}/{j}.txt") for j in range(10)])
        for t in threads:
            t.join()
        assert errors == [] and store.search("تونس").total == 101
