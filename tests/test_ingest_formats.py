"""Each reader on the shipped samples, format sniffing, and field mapping."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.errors import IngestError
from marsad.ingest import FieldMap, read
from marsad.ingest.sniff import sniff
from marsad.model import Analysis, Document
from marsad.nlp.layout import layout

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _docs(*inputs: str | Path, **kw: object) -> list[Document]:
    out = list(read([str(i) for i in inputs], **kw))  # type: ignore[arg-type]
    errors = [o for o in out if isinstance(o, IngestError)]
    assert not errors, errors
    return out  # type: ignore[return-value]


def _errors(*inputs: str | Path, **kw: object) -> list[IngestError]:
    return [o for o in read([str(i) for i in inputs], **kw) if isinstance(o, IngestError)]  # type: ignore[arg-type]


@pytest.mark.parametrize("name,fmt,count", [
    ("page_tramway_rabat.txt", "page", 1),
    ("html_barrage_nabeul.html", "html", 1),
    ("feed_rss.xml", "feed", 2),
    ("feed_atom.xml", "feed", 2),
    ("articles.jsonl", "jsonl", 3),
    ("articles.csv", "csv", 2),
    ("trec_docs.trec", "trec", 2),
])
def test_sample_reads_with_sniffed_format(name: str, fmt: str, count: int) -> None:
    docs = _docs(SAMPLES / name)
    assert len(docs) == count
    assert {d.provenance.format for d in docs} == {fmt}
    assert all(d.provenance.encoding == "utf-8" for d in docs)
    assert all(d.layout == ("page" if fmt == "page" else "body") for d in docs)


def test_samples_folder_reads_all_and_skips_readme() -> None:
    docs = _docs(SAMPLES)
    assert len(docs) == 13
    assert not any(d.provenance.source.endswith("README.md") for d in docs)


@pytest.mark.parametrize("name,fmt", [
    ("page_tramway_rabat.txt", "page"), ("html_barrage_nabeul.html", "html"), ("feed_rss.xml", "feed"),
    ("feed_atom.xml", "feed"), ("articles.jsonl", "jsonl"), ("articles.csv", "csv"), ("trec_docs.trec", "trec"),
])
def test_content_sniffing_without_extension(tmp_path: Path, name: str, fmt: str) -> None:
    text = (SAMPLES / name).read_text(encoding="utf-8")
    assert sniff("noext", text) == fmt


def test_page_sample_layout() -> None:
    (doc,) = _docs(SAMPLES / "page_tramway_rabat.txt")
    a = layout(Analysis(document=doc))
    assert a.title == "ترامواي الرباط يمدد خطه الثاني نحو حي يعقوب المنصور قبل نهاية السنة"
    assert a.counters == [3, 1487]
    assert a.related_headlines == ["حافلات كهربائية جديدة تدخل الخدمة في الدار البيضاء",
                                   "مجلس مدينة سلا يصادق على ميزانية النقل الحضري"]
    assert len(a.paragraphs) == 4
    assert doc.title is None  # a page's headline is inside its text, found by the layout stage


def test_html_main_text_and_metadata() -> None:
    (doc,) = _docs(SAMPLES / "html_barrage_nabeul.html")
    assert doc.title == "امتلاء سد بني مطير بنسبة 80 بالمائة بعد أمطار الأسبوع"
    assert doc.author == "ليلى الورغي"
    assert doc.url == "https://akhbar-aljihat.example/ar/article/1024"
    assert doc.published and doc.published.startswith("2024-02-14")
    assert doc.language == "ar"
    paras = doc.text.split("\n\n")
    assert len(paras) == 3 and paras[0].startswith("أفادت المندوبية")
    for boilerplate in ("الرئيسية", "جميع الحقوق", "الأكثر قراءة", doc.title):
        assert boilerplate not in doc.text


def test_rss_items() -> None:
    first, second = _docs(SAMPLES / "feed_rss.xml")
    assert first.title == "البنك المركزي يبقي سعر الفائدة الرئيسي دون تغيير"
    assert first.url == "https://nashra.example/economie/2024/03/19/taux"
    assert first.published == "2024-03-19T17:05:00+01:00"
    assert first.category == "اقتصاد" and first.site == "نشرة الأخبار الاقتصادية" and first.language == "ar"
    assert first.text.count("\n\n") == 1 and "<p>" not in first.text  # full content, not the summary
    assert first.provenance.record == "item 1" and second.provenance.record == "item 2"
    assert second.text.startswith("ارتفعت صادرات الحوامض") and "<" not in second.text


def test_atom_entries() -> None:
    first, second = _docs(SAMPLES / "feed_atom.xml")
    assert first.author == "محمد الطرابلسي" and first.category == "كرة القدم"
    assert first.published == "2024-04-07T21:55:00+01:00"
    assert first.text.split("\n\n")[1].startswith("وسجل هدفي اللقاء")
    assert second.published == "2024-04-06T19:30:00+01:00"  # no <published>: <updated>
    assert second.text.startswith("حطمت العداءة المغربية")


def test_jsonl_records_and_byte_ranges() -> None:
    path = SAMPLES / "articles.jsonl"
    docs = _docs(path)
    raw = path.read_bytes()
    for i, d in enumerate(docs, 1):
        p = d.provenance
        assert p.record == f"line {i}"
        assert p.byte_start is not None and p.byte_end is not None
        assert json.loads(raw[p.byte_start:p.byte_end])["text"] == d.text
    assert docs[0].author == "نادية بوزيد" and docs[0].meta["id"] == "wa-2024-0311-01"
    assert docs[0].category == "ثقافة" and docs[1].published == "2024-03-12T08:15:00+01:00"


def test_trec_fields_and_byte_ranges() -> None:
    path = SAMPLES / "trec_docs.trec"
    first, second = _docs(path)
    assert first.provenance.record == "MRS-politique-1-20240215"
    assert first.published == "2024-02-15"  # dd/mm/yyyy -> ISO
    assert first.meta["abstract"].startswith("صادق مجلس النواب")
    assert first.author is None and second.author == "سمير الحداد"
    raw = path.read_bytes()
    for d in (first, second):
        chunk = raw[d.provenance.byte_start:d.provenance.byte_end].decode("utf-8")
        assert chunk.startswith("<DOC>") and chunk.endswith("</DOC>") and d.text in chunk


def test_csv_multiline_quoted_text() -> None:
    first, second = _docs(SAMPLES / "articles.csv")
    assert first.text.count("\n\n") == 1 and first.meta["id"] == "gz-101"
    assert second.title == "وزارة الصحة تطلق حملة تلقيح ضد الحصبة"
    assert second.provenance.record == "row 2"


def test_space_delimited_csv_with_summary_as_title(tmp_path: Path) -> None:
    # MArSum's shape: header "text summary", space-delimited, every field quoted, .txt extension
    path = tmp_path / "marsum_like.txt"
    path.write_text('text summary\n"نص الخبر الأول، فيه فاصلة. وجملة ثانية." "عنوان أول"\n'
                    '"نص الخبر الثاني." "عنوان ثان"\n', encoding="utf-8")
    docs = _docs(path)
    assert [d.title for d in docs] == ["عنوان أول", "عنوان ثان"]
    assert docs[0].text == "نص الخبر الأول، فيه فاصلة. وجملة ثانية."
    assert docs[0].meta["summary"] == "عنوان أول" and docs[0].provenance.format == "csv"


def test_tsv(tmp_path: Path) -> None:
    path = tmp_path / "a.tsv"
    path.write_text("headline\tbody\nعنوان\tنص الخبر، مع فاصلة.\n", encoding="utf-8")
    (doc,) = _docs(path)
    assert doc.title == "عنوان" and doc.text == "نص الخبر، مع فاصلة."


def test_field_map_names_custom_fields(tmp_path: Path) -> None:
    path = tmp_path / "custom.jsonl"
    path.write_text(json.dumps({"matn": "نص الخبر.", "unwan": "عنوان", "tarikh": "2024-05-01", "rabit": "u",
                                "katib": "كاتب", "raqm": 7}, ensure_ascii=False) + "\n", encoding="utf-8")
    fm = FieldMap(text_field="matn", title_field="unwan", date_field="tarikh", url_field="rabit",
                  author_field="katib", id_field="raqm")
    (doc,) = _docs(path, fields=fm)
    assert (doc.text, doc.title, doc.published, doc.url, doc.author, doc.meta["id"]) == (
        "نص الخبر.", "عنوان", "2024-05-01", "u", "كاتب", "7")
    (err,) = _errors(path)  # without the map there is no known text field
    assert "no text field" in err.reason and err.record == "line 1"


@pytest.mark.parametrize("payload,count", [
    ('[{"text": "أ."}, {"content": "ب."}]', 2),
    ('{"text": "نص واحد.", "title": "عنوان"}', 1),
    ('{"articles": [{"body": "أ."}, {"body": "ب."}, {"body": "ج."}]}', 3),
])
def test_json_shapes(tmp_path: Path, payload: str, count: int) -> None:
    path = tmp_path / "x.json"
    path.write_text(payload, encoding="utf-8")
    docs = _docs(path)
    assert len(docs) == count and docs[-1].provenance.record == f"item {count}"


def test_text_as_list_of_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"text": ["فقرة أولى.", "فقرة ثانية."]}\n', encoding="utf-8")
    (doc,) = _docs(path)
    assert doc.text == "فقرة أولى.\n\nفقرة ثانية."


def test_explicit_format_overrides_sniffing(tmp_path: Path) -> None:
    path = tmp_path / "looks_like_page.txt"
    path.write_text('{"text": "هذا سطر JSON"}\n', encoding="utf-8")
    (doc,) = _docs(path, format="page")
    assert doc.layout == "page" and doc.text.startswith("{")
    (doc,) = _docs(path)
    assert doc.provenance.format == "jsonl" and doc.text == "هذا سطر JSON"


def test_unknown_format_is_an_error() -> None:
    with pytest.raises(IngestError, match="unknown format"):
        read(["x"], format="docx")


def test_trec_text_only_headline_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("<DOC>\n<DOCNO>X-1</DOCNO>\n<TITLE>عنوان فقط</TITLE>\n<TEXT>\n</TEXT>\n</DOC>\n", encoding="utf-8")
    (doc,) = _docs(path)
    assert doc.title == "عنوان فقط" and doc.text == ""


def test_trec_classic_tags(tmp_path: Path) -> None:
    path = tmp_path / "classic.sgml"
    path.write_text("<DOC>\n<DOCNO>AFA-1</DOCNO>\n<HEADLINE>عنوان &amp; خبر</HEADLINE>\n<DATE>2001-09-12</DATE>\n"
                    "<TEXT>\n<P>\nفقرة أولى.\n</P>\n<P>\nفقرة ثانية.\n</P>\n</TEXT>\n</DOC>\n", encoding="utf-8")
    (doc,) = _docs(path)
    assert doc.title == "عنوان & خبر" and doc.published == "2001-09-12"
    assert doc.text == "فقرة أولى.\n\nفقرة ثانية."


@pytest.mark.parametrize("text", ["[فيديو] الأمطار تغمر شوارع المدينة\n\nنص الخبر.", "{عاجل} عنوان\n\nنص.",
                                  "<<حصري>> عنوان الخبر\n\nنص.", "text of an English page, no header\n"])
def test_pages_that_open_like_other_formats_stay_pages(text: str) -> None:
    assert sniff("x.txt", text) == "page"


@pytest.mark.parametrize("text,fmt", [('[\n  {"text": "أ"}\n]', "json"), ('{"text": "أ"}\n{"text": "ب"}', "jsonl"),
                                      ('{\n "text": "أ"\n}', "json"), ("<?xml version='1.0'?>\n<rss>", "feed"),
                                      ("\ufeff<DOC>\n<DOCNO>1</DOCNO>", "trec")])
def test_sniff_content(text: str, fmt: str) -> None:
    assert sniff("-", text) == fmt


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_csv_rows_keep_byte_ranges(tmp_path: Path, newline: str) -> None:
    text = (SAMPLES / "articles.csv").read_text(encoding="utf-8").replace("\n", newline)
    path = tmp_path / "rows.csv"
    path.write_bytes(text.encode("utf-8"))
    first, second = _docs(path)
    raw = path.read_bytes()
    row1 = raw[first.provenance.byte_start:first.provenance.byte_end].decode("utf-8")
    row2 = raw[second.provenance.byte_start:second.provenance.byte_end].decode("utf-8")
    assert row1.startswith("gz-101,") and row1.endswith('البحر الأحمر."')
    assert row2.startswith("gz-102,") and row2.endswith('والمؤسسات التعليمية."')


def test_json_array_items_keep_byte_ranges(tmp_path: Path) -> None:
    items = [{"title": "عنوان أول", "text": "نص أول."}, {"title": "عنوان ثان", "text": "نص ثان."}]
    path = tmp_path / "a.json"
    path.write_text(json.dumps(items, ensure_ascii=False, indent=2), encoding="utf-8")
    docs = _docs(path)
    raw = path.read_bytes()
    assert [json.loads(raw[d.provenance.byte_start:d.provenance.byte_end]) for d in docs] == items


@pytest.mark.parametrize("payload,reads,reason", [
    ('[{"text": "أ."}, {"text": "ب."}, {"text": "ج}, {"text": "د."}]', 2, "item 3"),
    ('[{"text": "أ."} {"text": "ب."}]', 1, "item 1"),
    ('[{"text": "أ."}, {"text": "ب."}', 2, None),
    ('[{"text": "أ."}] trailing', 1, None),
])
def test_json_array_reads_items_before_a_break(tmp_path: Path, payload: str, reads: int, reason: str | None) -> None:
    path = tmp_path / "broken.json"
    path.write_text(payload, encoding="utf-8")
    out = list(read([str(path)]))
    errors = [o for o in out if isinstance(o, IngestError)]
    assert len(out) - len(errors) == reads and len(errors) == 1
    assert "malformed JSON" in errors[0].reason and errors[0].record == reason
