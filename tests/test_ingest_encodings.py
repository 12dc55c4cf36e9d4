"""Encoding detection: UTF-8 (BOM or not), UTF-16 (LE/BE, BOM or not), Windows-1256, ISO-8859-6."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.errors import IngestError
from marsad.ingest import read
from marsad.ingest.decode import ByteOffsets, decode
from marsad.model import Document

# Letters that sit at different codes in cp1256 and ISO-8859-6 (ف ق ك ل م ن ه و ى ي), plus ، and ؟
ARTICLE = ("وزير الخارجية يلتقي نظيره التونسي في الرباط\n\n"
           "التقى وزير الخارجية، صباح اليوم، نظيره التونسي لبحث التعاون الاقتصادي بين البلدين.\n\n"
           "وقال الوزير إن اللقاء كان مثمرا، فهل تتبعه اتفاقيات جديدة؟\n")
SHORT = "قال الوزير: كفى."

ENCODINGS = [
    ("utf-8", b"", "utf-8", "utf-8"),
    ("utf-8", b"\xef\xbb\xbf", "utf-8-sig", "utf-8"),
    ("utf-16-le", b"\xff\xfe", "utf-16-le", "utf-16-le"),
    ("utf-16-be", b"\xfe\xff", "utf-16-be", "utf-16-be"),
    ("utf-16-le", b"", "utf-16-le", "utf-16-le"),
    ("utf-16-be", b"", "utf-16-be", "utf-16-be"),
    ("cp1256", b"", "cp1256", "cp1256"),
    ("iso-8859-6", b"", "iso-8859-6", "iso-8859-6"),
]


@pytest.mark.parametrize("codec,bom,expected,_", ENCODINGS)
def test_decode_detects_encoding(codec: str, bom: bytes, expected: str, _: str) -> None:
    dec = decode("x", bom + ARTICLE.encode(codec))
    assert dec.encoding == expected
    assert dec.text == ARTICLE


@pytest.mark.parametrize("codec,bom,expected,_", ENCODINGS)
def test_page_file_in_each_encoding(tmp_path: Path, codec: str, bom: bytes, expected: str, _: str) -> None:
    path = tmp_path / f"article-{expected}.txt"
    path.write_bytes(bom + ARTICLE.replace("\n", "\r\n").encode(codec))
    (doc,) = list(read([str(path)]))
    assert isinstance(doc, Document)
    assert doc.text == ARTICLE.replace("\n", "\r\n") and doc.provenance.encoding == expected


# A few letters without any of و ي ه ى ف ق ك غ ـ read as Arabic in both code pages («كتاب» in
# ISO-8859-6 is «متاب» in cp1256); «ال» breaks the tie, and an article always has some of them.
@pytest.mark.parametrize("text", [SHORT, "الكتاب", "مرحبا بكم في المغرب", "ليلى", "يوم", "تونس"])
def test_short_legacy_texts_are_told_apart(text: str) -> None:
    assert decode("x", text.encode("cp1256")).text == text
    assert decode("x", text.encode("iso-8859-6")).text == text


def test_cp1256_with_latin_letters_stays_cp1256() -> None:
    text = "شركة Renault تفتتح مصنعا في طنجة، حسب بيان للوزارة."
    dec = decode("x", text.encode("cp1256"))
    assert dec.encoding == "cp1256" and dec.text == text


def test_jsonl_in_cp1256_keeps_byte_ranges(tmp_path: Path) -> None:
    lines = ['{"text": "نص أول."}', '{"text": "نص ثان، أطول قليلا."}']
    raw = "\n".join(lines).encode("cp1256")
    path = tmp_path / "legacy.jsonl"
    path.write_bytes(raw)
    docs = list(read([str(path)]))
    assert [d.text for d in docs] == ["نص أول.", "نص ثان، أطول قليلا."]  # type: ignore[union-attr]
    second = docs[1].provenance  # type: ignore[union-attr]
    assert raw[second.byte_start:second.byte_end].decode("cp1256") == lines[1]


@pytest.mark.parametrize("codec,bom", [("utf-16-le", b"\xff\xfe"), ("utf-8", b"\xef\xbb\xbf"), ("utf-8", b"")])
def test_trec_byte_ranges_in_multibyte_encodings(tmp_path: Path, codec: str, bom: bytes) -> None:
    doc = "<DOC>\n<DOCNO>D{n}</DOCNO>\n<TITLE>عنوان {n}</TITLE>\n<TEXT>\nنص الخبر رقم {n}.\n</TEXT>\n</DOC>\n"
    text = doc.format(n=1) + doc.format(n=2)
    raw = bom + text.encode(codec)
    path = tmp_path / "docs.txt"
    path.write_bytes(raw)
    docs = list(read([str(path)]))
    assert [d.provenance.record for d in docs] == ["D1", "D2"]  # type: ignore[union-attr]
    for d in docs:
        p = d.provenance  # type: ignore[union-attr]
        assert raw[p.byte_start:p.byte_end].decode(codec) == doc.format(n=p.record[1]).rstrip("\n")


def test_byte_offsets_going_backwards() -> None:
    dec = decode("x", "أب cd هو".encode())
    offsets = ByteOffsets(dec)
    assert offsets.at(3) == 5 and offsets.at(1) == 2 and offsets.at(8) == 12


def test_invalid_utf8_is_reported_not_guessed() -> None:
    data = ARTICLE.encode("utf-8")
    cut = len(ARTICLE[:20].encode("utf-8"))
    broken = data[:cut] + b"\xff\xfe\xfd" + data[cut:]
    with pytest.raises(IngestError, match=rf"invalid UTF-8 bytes at byte {cut} "):
        decode("bad.txt", broken)


def test_invalid_utf16_after_bom() -> None:
    with pytest.raises(IngestError, match="invalid UTF-16-LE"):
        decode("x", b"\xff\xfe" + "نص".encode("utf-16-le") + b"\x00\xdc")


@pytest.mark.parametrize("declared", ['<?xml version="1.0" encoding="windows-1256"?>\n', '<?xml version="1.0"?>\n', ""])
def test_cp1256_feed_with_or_without_declaration(tmp_path: Path, declared: str) -> None:
    feed = (declared + "<rss version=\"2.0\"><channel><title>جريدة</title><item><title>عنوان الخبر</title>"
            "<description>نص الخبر في سطر واحد.</description></item></channel></rss>")
    path = tmp_path / "legacy.xml"
    path.write_bytes(feed.encode("cp1256"))
    (doc,) = list(read([str(path)]))
    assert isinstance(doc, Document)
    assert (doc.title, doc.text, doc.site) == ("عنوان الخبر", "نص الخبر في سطر واحد.", "جريدة")
    assert doc.provenance.encoding == "cp1256"


def test_iso_8859_6_html_page(tmp_path: Path) -> None:
    body = "".join(f"<p>{line}</p>" for line in ARTICLE.split("\n\n")[1:])
    page = (f'<html lang="ar"><head><meta charset="iso-8859-6"><title>{ARTICLE.splitlines()[0]}</title></head>'
            f"<body><article><h1>{ARTICLE.splitlines()[0]}</h1>{body}</article></body></html>")
    path = tmp_path / "legacy.html"
    path.write_bytes(page.encode("iso-8859-6"))
    (doc,) = list(read([str(path)]))
    assert isinstance(doc, Document) and doc.provenance.encoding == "iso-8859-6"
    assert doc.title == ARTICLE.splitlines()[0]
    assert doc.text.split("\n\n")[0] == ARTICLE.split("\n\n")[1]
