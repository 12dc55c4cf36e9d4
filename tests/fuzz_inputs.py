"""Seeded generators of hostile reader inputs, shared by tests/test_fuzz_readers.py and bench/fuzz_readers.py.

Each generator takes a ``random.Random`` and returns ``(file name, bytes, format or None)``; None lets the
reader sniff. Inputs mix plausible Arabic news with the things scraped data really contains or an attacker
would send: invalid/mixed encodings, NULs, bidi and combining marks, huge lines, deep nesting, entity
expansion (billion laughs, external entities), broken quoting, zip/gzip bombs and ``../`` member names.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import tarfile
import zipfile
import zlib
from collections.abc import Callable

Sample = tuple[str, bytes, str | None]

WORDS = ("قال", "وزير", "الخارجية", "الإسرائيلي", "إن", "الاتفاق", "الأمني", "مع", "مصر", "لم", "يتغير",
         "تونس", "والمغرب", "«", "»", "،", ".", "2017", "١٩٩٩", "covid-19", "مليون", "دولار", "غزة",
         "الرئيس", "ماكرون", "جبهة", "البوليساريو", "\n", "\n\n", "«نحن هنا»", "ـــ", "ﻻ")
#: Characters that break naive code: bidi controls, combining marks, joiners, NUL, BOM, private use, astral.
ODD = ("\u202e", "\u202d", "\u2066", "\u2069", "\u200f", "\u200e", "\u061c", "\u0651", "\u064b", "\u0670",
       "\u0300", "\u200d", "\u200c", "\ufeff", "\x00", "\x1b", "\r", "\u2028", "\ue000", "\U0001f600",
       "\U000e0041", "\ufffd", "\u00a0", "&amp;", "&#0;", "&#xD800;", "&#1114112;", "<", ">", "\"", "'",
       "\\", "]]>", "<!--", "-->", "\t", "%s", "{0}", "' OR 1=1 --")
ENCODINGS = ("utf-8", "utf-8", "utf-8", "utf-8-sig", "cp1256", "iso-8859-6", "utf-16", "utf-16-le",
             "utf-16-be", "utf-32", "latin-1")
MB = 1024 * 1024


def text(rng: random.Random, n: int | None = None) -> str:
    """Arabic-news-like text with odd characters sprinkled in; now and then one huge line."""
    if n is None:
        n = rng.choice((0, 1, 3, 10, 40, 200))
    parts = [rng.choice(ODD) if rng.random() < 0.15 else rng.choice(WORDS) for _ in range(n)]
    if rng.random() < 0.05:
        parts.append(chr(rng.randrange(0x20, 0x110000)) if rng.random() < 0.5 else chr(rng.randrange(0x600, 0x700)))
    s = " ".join(parts)
    if rng.random() < 0.004:
        s += ("غزة " * rng.choice((50_000, 400_000)))  # 0.2 / 1.6 MB on one line
    return s


def encode(rng: random.Random, s: str) -> bytes:
    """Encode in a random codec (unencodable characters replaced), then maybe corrupt the bytes."""
    codec = rng.choice(ENCODINGS)
    data = s.encode(codec, "replace") if codec != "utf-8" else s.encode("utf-8", "surrogatepass")
    r = rng.random()
    if r < 0.08 and data:
        data = data[:rng.randrange(len(data))]  # cut mid-character
    elif r < 0.16 and data:
        b = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        data = bytes(b)
    elif r < 0.20:
        data = data + bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    elif r < 0.22:
        data = bytes(rng.randrange(256) for _ in range(rng.randint(0, 2048)))
    return data


def _esc(rng: random.Random, s: str) -> str:
    """XML-escape most of the time; leave raw markup in now and then."""
    if rng.random() < 0.8:
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return s


def page(rng: random.Random) -> Sample:
    lines = [text(rng) for _ in range(rng.randint(0, 12))]
    return "page.txt", encode(rng, "\n".join(lines)), rng.choice(("page", "page", None))


def html(rng: random.Random) -> Sample:
    # depth ~200 costs trafilatura seconds a page (bench/fuzz_readers.py notes it): kept, but rarer
    depth = rng.choice((0, 1, 3, 20, 60, 3000)) if rng.random() < 0.96 else rng.choice((200, 254))
    tags = ("div", "p", "span", "b", "table", "tr", "td", "ul", "li", "article", "section", "font", "a")
    opened = [rng.choice(tags) for _ in range(depth)]
    attrs = rng.choice(("", ' class="x"', " onload=alert(1)", ' style="x', " a='<'", ' href="javascript:x"'))
    head = rng.choice(("", "<meta charset=cp1256>", '<meta charset="utf-16">', "<meta charset=x-bogus>",
                       "<title>" + text(rng, 5) + "</title>", "<base href=file:///etc/>"))
    body = "".join(f"<{t}{attrs}>" for t in opened) + "<p>" + text(rng) + "</p>"
    if rng.random() < 0.7:
        body += "".join(f"</{t}>" for t in reversed(opened))
    extras = ("<script>" + text(rng, 3), "<style>p{}</style>", "<!-- " + text(rng, 3), "<![CDATA[x]]>",
              "&#0;&#xD800;&#99999999;&nbsp;", "<h1>" + text(rng, 4) + "</h1>", "<svg><svg><svg>", "</html>",
              "<iframe src=x>", "<?php ?>", "<!DOCTYPE html SYSTEM 'file:///etc/passwd'>")
    for _ in range(rng.randint(0, 4)):
        body += rng.choice(extras)
    doc = f"<html lang={rng.choice(('ar', 'en', 'xx'))}><head>{head}</head><body>{body}</body></html>"
    return "page.html", encode(rng, doc), rng.choice(("html", "html", None))


BILLION_LAUGHS = ('<!DOCTYPE rss [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                            for i in range(1, 10)) + "]>")
QUADRATIC = '<!DOCTYPE rss [<!ENTITY a "' + "غ" * 50_000 + '">]>'
XXE = '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def feed(rng: random.Random) -> Sample:
    dtd = rng.choice(("", "", BILLION_LAUGHS, QUADRATIC, XXE))
    ref = {BILLION_LAUGHS: "&lol9;", QUADRATIC: "&a;" * 200, XXE: "&xxe;"}.get(dtd, "")
    items = []
    atom = rng.random() < 0.4
    for _ in range(rng.choice((0, 1, 2, 5))):
        title, body = _esc(rng, text(rng, 6)), _esc(rng, text(rng))
        if rng.random() < 0.3:
            body = "<![CDATA[" + text(rng) + "<p>" + text(rng) + "</p>]]>"
        if ref and rng.random() < 0.7:
            body += ref
        date = rng.choice(("Mon, 06 Feb 2017 10:00:00 +0100", "2017-02-06T10:00:00Z", "yesterday", "",
                           "9999-99-99", "Mon, 32 Foo 0000 99:99:99 +9999"))
        if atom:
            items.append(f"<entry><title>{title}</title><updated>{date}</updated><content type='html'>{body}"
                         f"</content><link href='{_esc(rng, text(rng, 1))}'/></entry>")
        else:
            items.append(f"<item><title>{title}</title><pubDate>{date}</pubDate><description>{body}"
                         f"</description><link>{_esc(rng, text(rng, 1))}</link></item>")
    decl = rng.choice(('<?xml version="1.0" encoding="utf-8"?>', '<?xml version="1.0" encoding="windows-1256"?>',
                       "", '<?xml version="1.0" encoding="bogus"?>'))
    if atom:
        doc = f'{decl}{dtd}<feed xmlns="http://www.w3.org/2005/Atom"><title>{ref}x</title>{"".join(items)}</feed>'
    else:
        doc = f"{decl}{dtd}<rss version='2.0'><channel><title>{ref}x</title>{''.join(items)}</channel></rss>"
    if rng.random() < 0.1:
        doc = doc[:rng.randrange(len(doc))]
    return "feed.xml", encode(rng, doc), rng.choice(("feed", "feed", None))


def _json_value(rng: random.Random, depth: int = 0) -> object:
    r = rng.random()
    if depth > 3 or r < 0.4:
        return rng.choice((text(rng, 5), 0, -1.5, 1e308, None, True, "", [], {}, "2017-02-06", 10**30))
    if r < 0.7:
        return [_json_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(("text", "title", "date", "url", "id", "x", "")): _json_value(rng, depth + 1)
            for _ in range(rng.randint(0, 4))}


def _record(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.55:
        rec = {"title": text(rng, 5), "text": text(rng), "date": rng.choice(("2017-01-01", "x", None, 5)),
               "url": rng.choice(("http://x/a", None, 3, ["a"]))}
        if rng.random() < 0.3:
            rec[rng.choice(("text", "id", "content", "body"))] = _json_value(rng)
        return json.dumps(rec, ensure_ascii=rng.random() < 0.3)
    if r < 0.7:
        return json.dumps(_json_value(rng))
    if r < 0.75:
        n = rng.choice((100, 5000, 200_000))
        return "[" * n + "]" * n if rng.random() < 0.5 else '{"a":' * n + "1" + "}" * n  # deep nesting
    if r < 0.8:
        return '{"text": NaN, "title": Infinity}'
    return rng.choice(('{"text": "unterminated', "{", "}", "null", '"\\ud800"', '{"text": "\\ud800 x"}',
                       '{"text": "a", "text": "b"}', "\x00", text(rng, 4)))


def jsonl(rng: random.Random) -> Sample:
    lines = [_record(rng) for _ in range(rng.randint(0, 6))]
    sep = rng.choice(("\n", "\r\n", "\n\n", "\r"))
    if rng.random() < 0.2:  # one whole JSON document instead of lines
        return "docs.json", encode(rng, "[" + ",".join(lines) + "]"), rng.choice(("json", None))
    return "docs.jsonl", encode(rng, sep.join(lines)), rng.choice(("jsonl", "jsonl", None))


def csv(rng: random.Random) -> Sample:
    delim = rng.choice((",", ",", "\t", ";", "|"))
    header = rng.choice((["text", "headline"], ["title", "text", "date"], ["x", "y"], ["text"], [], ["", ""]))
    rows = [delim.join(header)]
    for _ in range(rng.randint(0, 6)):
        cells = []
        for _ in range(max(1, len(header) + rng.choice((-1, 0, 0, 0, 1)))):
            cell = text(rng, rng.choice((1, 5, 30)))
            q = rng.random()
            if q < 0.5:
                cell = '"' + cell.replace('"', '""') + '"'
            elif q < 0.6:
                cell = '"' + cell  # unbalanced quote
            elif q < 0.62:
                cell = "x" * 200_000  # over csv.field_size_limit
            cells.append(cell)
        rows.append(delim.join(cells))
    name = "docs.tsv" if delim == "\t" else "docs.csv"
    return name, encode(rng, rng.choice(("\n", "\r\n", "\r")).join(rows)), rng.choice(("csv", "csv", None))


def trec(rng: random.Random) -> Sample:
    docs = []
    for i in range(rng.randint(0, 5)):
        fields = [f"<DOCNO>{rng.choice((str(i), text(rng, 1), ''))}</DOCNO>", f"<TITLE>{text(rng, 5)}</TITLE>",
                  f"<TIME>{rng.choice(('2017-01-21', '21/01/2017', 'x', ''))}</TIME>",
                  f"<URL>{text(rng, 1)}</URL>", f"<TEXT>\n{text(rng)}<P>{text(rng)}</P>&amp;&#0;&#xD800;\n</TEXT>"]
        rng.shuffle(fields)
        k = rng.random()
        if k < 0.1:
            fields = fields[:rng.randrange(len(fields) + 1)]
        elif k < 0.15:
            fields.append("<TEXT>" * rng.choice((10, 5000)))
        elif k < 0.2:
            fields.append("<DOC><DOCNO>inner</DOCNO>")  # nested/unclosed DOC
        end = "" if rng.random() < 0.07 else "</DOC>"
        docs.append("<DOC>\n" + "\n".join(fields) + "\n" + end)
    return "docs.trec", encode(rng, "\n".join(docs)), rng.choice(("trec", "trec", None))


READERS: dict[str, Callable[[random.Random], Sample]] = {
    "page": page, "html": html, "feed": feed, "jsonl": jsonl, "csv": csv, "trec": trec}

#: Member names an attacker would use to escape an extraction folder; readers must only ever use them as names.
EVIL_NAMES = ("../../marsad_fuzz_escape.txt", "/tmp/marsad_fuzz_escape_abs.txt", "a/../../../marsad_fuzz_up.txt",
              "..\\..\\marsad_fuzz_win.txt", "ok/خبر.txt", "dir/", ".hidden.txt", "x" * 300 + ".txt",
              "README.md", "nul\x00name.txt")


def _inner(rng: random.Random) -> tuple[str, bytes]:
    name, data, _ = rng.choice(list(READERS.values()))(rng)
    return name, data


def _zip(rng: random.Random, members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=rng.choice((zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED))) as zf:
        for name, data in members:
            zf.writestr(zipfile.ZipInfo(name.replace("\x00", "_") or "empty"), data)
    return buf.getvalue()


def _tar(rng: random.Random, members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tf:
        for name, data in members:
            info = tarfile.TarInfo(name.replace("\x00", "_") or "empty")
            kind = rng.random()
            if kind < 0.1:
                info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
                tf.addfile(info)
            elif kind < 0.15:
                info.type, info.linkname = tarfile.LNKTYPE, "../../etc/passwd"
                tf.addfile(info)
            elif kind < 0.18:
                info.type = tarfile.CHRTYPE
                tf.addfile(info)
            else:
                info.size = len(data)
                tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


_BOMBS: dict[str, bytes] = {}


def bomb(kind: str) -> bytes:
    """A small file that expands past the 200 MB member cap (built once: compressing takes a second)."""
    if kind not in _BOMBS:
        zeros = b"\x00" * (8 * MB)
        if kind == "gz":
            c = zlib.compressobj(9, zlib.DEFLATED, 31)
            _BOMBS[kind] = b"".join([c.compress(zeros) for _ in range(28)] + [c.flush()])  # 224 MB of NUL
        elif kind == "zip":  # header tells the truth: refused before reading
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("bomb.txt", "w", force_zip64=True) as fh:
                for _ in range(28):
                    fh.write(zeros)
            _BOMBS[kind] = buf.getvalue()
        else:  # "ziplie": the header claims 10 bytes; the capped read must stop it anyway
            data = bytearray(bomb("zip"))
            cd = data.rfind(b"PK\x01\x02")
            data[cd + 24:cd + 28] = (10).to_bytes(4, "little")  # central directory: uncompressed size
            _BOMBS[kind] = bytes(data)
    return _BOMBS[kind]


def archive(rng: random.Random) -> Sample:
    k = rng.random()
    if k < 0.004:
        kind = rng.choice(("gz", "zip", "ziplie"))
        return f"bomb.{'gz' if kind == 'gz' else 'zip'}", bomb(kind), None
    members = [(rng.choice(EVIL_NAMES) if rng.random() < 0.4 else name, data)
               for name, data in (_inner(rng) for _ in range(rng.randint(0, 4)))]
    fmt = rng.choice(("zip", "zip", "gz", "tar", "tgz", "nested"))
    if fmt == "zip":
        data, name = _zip(rng, members), "a.zip"
    elif fmt == "gz":
        inner = members[0][1] if members else b""
        data, name = gzip.compress(inner) * rng.choice((1, 1, 2)), "a.jsonl.gz"
    elif fmt == "tar":
        data, name = _tar(rng, members), "a.tar"
    elif fmt == "tgz":
        data, name = gzip.compress(_tar(rng, members)), "a.tar.gz"
    else:  # zip in gzip in zip ... past the nesting limit
        data = _zip(rng, members)
        for _ in range(rng.randint(1, 5)):
            data = gzip.compress(data) if rng.random() < 0.5 else _zip(rng, [("in.zip", data)])
        name = "nested.zip"
    r = rng.random()
    if r < 0.1 and data:
        data = data[:rng.randrange(len(data))]
    elif r < 0.2 and data:
        b = bytearray(data)
        for _ in range(rng.randint(1, 6)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        data = bytes(b)
    return name, data, None


ALL: dict[str, Callable[[random.Random], Sample]] = {**READERS, "archive": archive}
