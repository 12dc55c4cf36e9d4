"""Pipeline stage ``quotes``: direct and partial quotations with their speakers.

1. Pair quotation marks per paragraph: «…», and “ ” " in order of appearance (scraped pages also write the
   reversed ”…“), skipping restated (duplicate) paragraphs.
2. Find the reporting verb: the nearest one before the quote in its sentence (قال, أكد, أوضح, أضاف ...,
   or حسب/وفق), else one right after the closing mark (“…”، قال الوزير / يقول / حسب ...).
3. Find the speaker (marsad.nlp.events.speakers): the verb's subject, the author of a بيان, the SVO subject;
   with no explicit subject (وأضاف / وتابع) the previous speaker of the article is carried over.
4. Keep it as a quotation only if it has a speaker-bearing verb and is not a scare quote: at least four
   words, or any length right after a colon. Offsets exclude the marks and surrounding spaces.
"""

from __future__ import annotations

from marsad.model import Analysis, Quote
from marsad.nlp.events.speakers import OWN_WORDS, Report, Speaker, Titles, channel_at, find_speaker, reports
from marsad.nlp.events.view import View, key, quote_pairs, stems, views

MIN_WORDS = 4
#: A quotation right after one of these is a title or a name, not speech: تحت عنوان: “…”, برنامج “…”.
_TITLE_WORDS = frozenset(key(w) for w in ("عنوان", "بعنوان", "شعار", "بشعار", "اسم", "باسم", "وسم", "هاشتاغ",
                                            "برنامج", "كتاب", "فيلم", "مسلسل", "أغنية", "تسمى", "يسمى", "تدعى",
                                            "يدعى", "لقب", "بلقب", "حملة", "عملية"))
_TRAILING = frozenset(key(w) for w in ("قال", "يقول", "تقول", "قالت", "أضاف", "أضافت", "يضيف", "تابع", "وفق",
                                         "حسب", "بحسب", "وفقا", "أكد", "أكدت", "يؤكد", "أوضح", "أوضحت", "ختم"))


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _words(v: View, s: int, e: int) -> int:
    return sum(1 for t in v.tokens if t.is_word and t.start >= s and t.end <= e)


def _after_quote(v: View, close: int) -> Report | None:
    """A reporting verb right after the closing mark: “…”، قال الوزير."""
    j = v.tok_at(close + 1)
    while j < len(v.tokens) and not v.tokens[j].is_word:
        j += 1
    if j >= len(v.tokens):
        return None
    k = v.keys[j]
    bare = k[1:] if k.startswith(("و", "ف")) and len(k) > 3 else k
    if k not in _TRAILING and bare not in _TRAILING:
        return None
    sp, ch, comp = find_speaker(v, j, j + 1, bare, len(v.tokens))
    if j + 1 < len(v.keys) and any(s in OWN_WORDS for _, s in stems(v.keys[j + 1])):
        sp = None  # “…” بحسب تعبيره: the speaker named before
    return Report(j, j + 1, v.text[v.tokens[j].start:v.tokens[j].end], bare, "r", sp, ch, comp)


def find_quotes(a: Analysis) -> Analysis:
    """Fill ``a.quotes`` (see the module docstring for the rules)."""
    text = a.text
    last: Speaker | None = None
    out: list[Quote] = []
    by_para: dict[int, list[View]] = {}
    all_views = views(a)
    for v in all_views:
        by_para.setdefault(v.paragraph, []).append(v)
    titles = Titles(a)
    for para, vs in by_para.items():
        pairs = quote_pairs(text, vs[0].start, vs[-1].end, unclosed=True)
        closed = set(quote_pairs(text, vs[0].start, vs[-1].end))
        for v in vs:
            inside = [(o, c) for o, c in pairs if v.start <= o < v.end]
            reps = reports(v)
            cursor = 0
            for o, c in inside:
                qs, qe = _trim(text, o + 1, c)
                if qs >= qe:
                    continue
                qtok = v.tok_at(o)
                # Speakers named before this quote update the carried speaker.
                lead = [r for r in reps if r.t1 <= qtok]
                for r in lead[cursor:]:
                    if r.speaker is not None and r.kind != "a":
                        last = r.speaker
                cursor = len(lead)
                lead_text = text[max(v.start, o - 40):o].rstrip().rstrip(":").split()
                if lead_text and key(lead_text[-1]) in _TITLE_WORDS:
                    continue
                colon = text[:o].rstrip().endswith(":")
                rep = lead[-1] if lead else None
                said = [r for r in lead if r.kind != "a"]
                if rep is not None and rep.kind == "a" and said:
                    rep = said[-1]  # وقال بحسب ما نقلته صحف عبرية إن “…”: the sayer speaks, the papers relay
                if rep is None:
                    cv = next((w for w in all_views if w.start <= c < w.end), v)
                    rep = _after_quote(cv, c)
                if rep is None:
                    continue
                if rep.kind == "a" and any(m.end <= o and not text[m.end:o].strip() for m in v.cands):
                    continue  # بحسب هيئة الإذاعة البريطانية “بي بي سي سبورت”: the name again, not speech
                if (o, c) not in closed and not colon and rep.complement < qtok - 6 and rep.t1 < qtok - 6:
                    continue  # an unclosed mark far from its verb: a name or a charge, not speech
                nwords = _words(v, qs, qe) if qe <= v.end else MIN_WORDS
                if nwords < MIN_WORDS and not colon:
                    continue  # scare quotes: “غير مسبوق”
                speaker = rep.speaker or last
                if speaker is None:
                    continue
                if speaker.entity_id is None:
                    speaker = titles.resolve(speaker, o)
                if rep.speaker is not None and rep.kind != "a":
                    last = rep.speaker
                channel = rep.channel
                if channel is None:
                    channel, _ = channel_at(v, rep.t1, qtok)
                conf = (0.85 if rep.speaker is not None else 0.6) * (1.0 if (o, c) in closed else 0.7)
                out.append(Quote(text[qs:qe], qs, qe, para, speaker.name, speaker.entity_id, rep.verb,
                                 channel, conf))
            for r in reps[cursor:]:
                if r.speaker is not None and r.kind != "a":
                    last = r.speaker
    a.quotes = out
    return a
