"""Layout stage: headline, page counters, body paragraphs and related-article headlines, as offsets.

For ``layout == "page"`` (a whole scraped page, like the seed article), in order:

1. The first non-empty line is the headline (``title_start``/``title_end`` point at it).
2. Bare number lines right under the headline (only digits, maybe thousands separators; blank lines
   between them allowed) are page counters (comments, views ...): metadata, never body.
3. A marker line («اقرأ أيضا», «مواضيع ذات صلة», «المزيد», «مقالات ذات صلة» ...) after the first body
   line opens a block of related-article headlines: the text after «اقرأ أيضا:» on the marker line
   itself and every following line of at most 25 words. A longer line (a real paragraph) closes the
   block and the body goes on (sites put «اقرأ أيضا» links mid-article too).
4. Without a marker, a trailing run of at most 5 *headline-like* lines is taken as related headlines
   when the line before the run ends a sentence. Headline-like: 3-20 words, no sentence-final
   punctuation at its end or inside, not ending in ``:`` or ``،``, starting with a letter, digit or
   quote (not ``-``/``*``/``(``), not a byline/credit line (المصدر، بقلم، صور ...), not opening with a
   discourse connective that starts body paragraphs (وأضاف، وقال، يذكر أن، كما ...), no phone number.
   The last body paragraph of a real article almost always ends with . ! ? ؟ or a closing quote after
   one, and a link list never does; a body that did not end a sentence leaves the run in the body.
5. The rest is the body. If the body uses blank lines, blank-line-separated blocks are paragraphs
   (single newlines inside stay); otherwise each line is a paragraph.

For ``layout == "body"`` the title comes from ``document.title`` (when the text repeats it as its first
line, that line is the title span, not a paragraph) and step 5 alone makes paragraphs.
Paragraph offsets are trimmed of surrounding whitespace; CRLF, CR and LF all end lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from marsad.model import Analysis, Paragraph
from marsad.text import fold

_STRIP = " \t\f\v\u00a0\u200b\u200e\u200f\ufeff\u2028\u2029"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_COUNTER = re.compile(r"^[0-9\u0660-\u0669\u06f0-\u06f9]{1,3}(?:[,\u066c. ]?[0-9\u0660-\u0669\u06f0-\u06f9]{3})*$|"
                      r"^[0-9\u0660-\u0669\u06f0-\u06f9]{1,12}$")
_SEPARATORS = str.maketrans("", "", ",\u066c. ")
_MAX_COUNTERS = 6
_MAX_RELATED_RUN = 5
_MAX_HEADLINE_WORDS = 25

#: Marker lines (folded with marsad.text.fold, punctuation stripped) that introduce related links.
_MARKERS = tuple(fold(m) for m in (
    "اقرأ أيضا", "اقرأ أيضاً", "إقرأ أيضا", "اقرأ كذلك", "اقرأ المزيد", "طالع أيضا", "شاهد أيضا",
    "مواضيع ذات صلة", "مقالات ذات صلة", "أخبار ذات صلة", "ذات صلة", "مواضيع متعلقة", "المزيد",
    "للمزيد", "المزيد من الأخبار", "الأكثر قراءة",
))
#: Markers that may be followed on the same line by a headline («اقرأ أيضا: ...»).
_INLINE_MARKERS = tuple(m for m in _MARKERS if m.startswith(("اقرا", "طالع", "شاهد")))
_MARKER_PUNCT = " :：-–—|»«\"'“”()[]<>.…•*"
_SENTENCE_END = ".!?؟…۔"
_CLOSERS = " \"'”’»)]}›"
_BYLINE_START = tuple(fold(w) for w in (
    "المصدر", "مصدر", "بقلم", "متابعة", "تحرير", "إعداد", "ترجمة", "وكالات", "المراسل", "عن ", "نقلا عن",
    "صور ", "صورة", "الصورة", "الصور", "ملاحظة", "فيديو", "آخر تحديث", "تاريخ النشر", "نشر في",
))
#: Discourse openers that start body paragraphs («وأضاف», «يذكر أن» ...) and almost never a headline.
_OPENERS = frozenset(fold(w) for w in (
    "وقال", "وقالت", "وأضاف", "وأضافت", "وأكد", "وأكدت", "وأوضح", "وأوضحت", "وأشار", "وأشارت", "وكان",
    "وكانت", "وقد", "وتم", "ويذكر", "يذكر", "وتجدر", "تجدر", "وأفاد", "وأفادت", "وذكر", "وذكرت", "وأعلن",
    "وأعلنت", "وتابع", "وتابعت", "ولفت", "واعتبر", "واعتبرت", "وشدد", "وشددت", "ودعا", "ودعت", "وتدعو",
    "ويأتي", "وجاء", "ويشار", "كما", "علما", "وفي", "ومن", "وعلى", "وبحسب", "وحسب", "وأوقف", "وأوقفت",
    "فالرجاء", "الرجاء", "ويرجى", "وأمام", "وخلص", "وختم", "وختاما", "وبين", "وبينت", "ونوه", "و",
))
_LONG_NUMBER = re.compile(r"\d[\d. ]{6,}\d")
_INNER_STOP = re.compile(r"[.!?؟][\"'”»)]*\s+\S")


@dataclass(slots=True)
class _Line:
    start: int  # trimmed span of the line's content
    end: int
    blank_before: bool  # at least one blank line separates it from the previous non-empty line


def _lines(text: str) -> list[_Line]:
    """Non-empty lines with trimmed offsets, noting which follow a blank line."""
    out: list[_Line] = []
    blank = False
    for m in _LINE.finditer(text):
        s, e = m.start(), m.end()
        if s == e:
            break
        content = m.group().rstrip("\r\n")
        stripped = content.strip(_STRIP)
        if not stripped:
            blank = True
            continue
        lead = len(content) - len(content.lstrip(_STRIP))
        start = s + lead
        out.append(_Line(start, start + len(stripped), blank and bool(out)))
        blank = False
    return out


def _counter(s: str) -> int | None:
    if len(s) > 16 or not _COUNTER.match(s):
        return None
    return int(s.translate(_SEPARATORS))  # int() reads Arabic-Indic and Persian digits too


def _marker(s: str) -> tuple[bool, str]:
    """(is a related-links marker line, headline text written after the marker on the same line)."""
    if len(s) > 200:
        return False, ""
    key = fold(s).strip(_MARKER_PUNCT)
    key = " ".join(key.split())
    if key in _MARKERS:
        return True, ""
    for m in _INLINE_MARKERS:
        if key.startswith(m) and len(key) > len(m) and key[len(m)] in _MARKER_PUNCT:
            # keep the raw headline text after the marker and its punctuation
            rest = s.split(":", 1)[1] if ":" in s else s.split(None, 2)[-1]
            return True, rest.strip(_MARKER_PUNCT + _STRIP)
    return False, ""


def ends_sentence(s: str) -> bool:
    """True when ``s`` ends with sentence-final punctuation (possibly followed by closing quotes)."""
    s = s.rstrip(_CLOSERS + _STRIP)
    return bool(s) and s[-1] in _SENTENCE_END


def _headline_like(s: str) -> bool:
    """Could ``s`` be a link to another article (see rule 4 of the module docstring)?"""
    words = s.split()
    if not 3 <= len(words) <= 20 or ends_sentence(s) or s.rstrip(_CLOSERS)[-1:] in ":،,;؛":
        return False
    if not (s[0].isalnum() or s[0] in "«\"“'"):  # "- أ ف ب -", "* ملاحظة", "(صور)": notes, not links
        return False
    folded = fold(s)
    if folded.startswith(_BYLINE_START) or folded.split(None, 1)[0] in _OPENERS:
        return False
    # a full stop inside ("... الغابة. المصدر") or a phone number: a paragraph or notice, not a title
    return not (_INNER_STOP.search(s) or _LONG_NUMBER.search(s))


def _block_headline(s: str) -> bool:
    """A line inside a marker block that is a link, not the article resuming (looser than rule 4)."""
    words = s.split()
    return (len(words) <= _MAX_HEADLINE_WORDS and not _INNER_STOP.search(s)
            and fold(words[0]) not in _OPENERS)


def _paragraphs(text: str, lines: list[_Line]) -> list[Paragraph]:
    """Blank-line-separated blocks when the body uses blank lines, else one paragraph per line."""
    if not lines:
        return []
    blocks = any(ln.blank_before for ln in lines[1:])
    paras: list[Paragraph] = []
    start, end = lines[0].start, lines[0].end
    for ln in lines[1:]:
        if blocks and not ln.blank_before:
            end = ln.end
            continue
        paras.append(Paragraph(index=len(paras) + 1, start=start, end=end))
        start, end = ln.start, ln.end
    paras.append(Paragraph(index=len(paras) + 1, start=start, end=end))
    return paras


def _page(a: Analysis) -> None:
    text = a.document.text
    lines = _lines(text)
    if not lines:
        return
    head = lines[0]
    a.title, a.title_start, a.title_end = text[head.start:head.end], head.start, head.end
    i = 1
    while i < len(lines) and len(a.counters) < _MAX_COUNTERS:
        value = _counter(text[lines[i].start:lines[i].end])
        if value is None:
            break
        a.counters.append(value)
        i += 1
    body, related = _split_related(text, lines[i:])
    a.related_headlines = related
    a.paragraphs = _paragraphs(text, body)


def _split_related(text: str, lines: list[_Line]) -> tuple[list[_Line], list[str]]:
    """Body lines and related headlines: marker blocks anywhere after the first body line, then a tail run."""
    body: list[_Line] = []
    related: list[str] = []
    in_block = resumed = False
    for ln in lines:
        s = text[ln.start:ln.end]
        if body:
            is_marker, inline = _marker(s)
            if is_marker:
                in_block = True
                related.extend([inline] if inline else [])
                continue
        if in_block:
            if _block_headline(s):
                related.append(s)
                continue
            in_block, resumed = False, True  # a full paragraph: the article goes on after the link block
            ln = _Line(ln.start, ln.end, True)
        body.append(ln)
    if in_block and not resumed:
        return body, related
    run = 0
    while run < min(_MAX_RELATED_RUN, len(body) - 1) and _headline_like(text[body[-1 - run].start:body[-1 - run].end]):
        run += 1
    if run and ends_sentence(text[body[-1 - run].start:body[-1 - run].end]):
        related.extend(text[ln.start:ln.end] for ln in body[len(body) - run:])
        body = body[:len(body) - run]
    return body, related


def layout(a: Analysis) -> Analysis:
    """Fill title, counters, related_headlines and paragraphs (offsets into the raw text)."""
    doc = a.document
    a.title = doc.title
    a.title_start = a.title_end = None
    a.counters, a.related_headlines, a.paragraphs = [], [], []
    if doc.layout == "page":
        _page(a)
        if a.title is None:
            a.title = doc.title
    else:
        lines = _lines(doc.text)
        if doc.title and lines and " ".join(doc.text[lines[0].start:lines[0].end].split()) == " ".join(
                doc.title.split()):
            # the source repeated its headline as the first line: point at it, keep it out of the body
            a.title_start, a.title_end = lines[0].start, lines[0].end
            lines = lines[1:]
        a.paragraphs = _paragraphs(doc.text, lines)
    return a
