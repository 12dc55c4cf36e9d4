"""The entity stage over sentences of words: CRF spans, typing, weapon/NORP gazetteers, consistency.

``find_spans`` is shared by the pipeline stage (``marsad.nlp.ner.recognize``) and by evaluation on
token-level corpora, so the figures measure exactly what runs.
"""

from __future__ import annotations

from marsad.model import Analysis, Document, Mention, Paragraph, Provenance, Token
from marsad.model import Sentence as SentenceModel
from marsad.nlp.ner.consistency import Span, propagate
from marsad.nlp.ner.corpora import Sentence, spans
from marsad.nlp.ner.evaluate import SCHEMES, remap, score
from marsad.nlp.ner.features import _TRIGGER_OF
from marsad.nlp.ner.model import Tagger
from marsad.text import fold, normalize

CRF_TYPES = {"PERS": "PERSON", "PERSON": "PERSON", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC",
             "WEAPON": "WEAPON", "GPE": "GPE", "FAC": "FAC"}
NATURAL_HEADS = {"بحر", "نهر", "جبل", "جبال", "خليج", "محيط", "صحراء", "جزيرة", "جزر", "وادي", "بحيرة", "هضبة",
                 "سهل", "شبه", "قارة", "قطاع", "ضفة", "منطقة", "شرق", "غرب", "شمال", "جنوب", "مضيق", "قناة"}
FAC_HEADS = {"مطار", "ميناء", "قاعدة", "مسجد", "جامع", "قصر", "سجن", "ملعب", "فندق", "مستشفي", "جسر", "شارع",
             "ساحة", "ميدان", "قلعة", "برج", "كنيسة", "معبر", "سد", "محطة", "مجمع", "مبني", "مفاعل", "معتقل"}
CONTINENTS = {"افريقيا", "اسيا", "اوروبا", "اوربا", "امريكا اللاتينية", "امريكا الجنوبية", "امريكا الشمالية",
              "الشرق الاوسط", "الشرق الادني", "استراليا", "المغرب العربي", "الخليج", "القطب الشمالي"}
_PLACES = frozenset({"CTRY", "CITY"})
_DORG = frozenset({"DORG"})
_ADJ_OK = {"مسلحة", "جوية", "بحرية", "برية", "ملكية", "خاصة", "عامة", "عليا", "مركزية", "عسكرية", "وطنية"}
QUOTES = {'"', "'", "“", "”", "«", "»", "„"}


def _place_type(stems: list[str], norms: list[str], res_words: dict[str, frozenset[str]],
                res_phrases: dict[tuple[str, ...], frozenset[str]]) -> str:
    """GPE, LOC or FAC for a place span (ANERcorp has one LOC type)."""
    joined = " ".join(norms)
    if joined in CONTINENTS or joined.removeprefix("ال") in CONTINENTS:
        return "LOC"
    head = stems[0]
    if head in FAC_HEADS:
        return "FAC"
    if head in NATURAL_HEADS:
        return "LOC"
    return "GPE"


def _weapon_spans(stems: list[str], norms: list[str], tagger: Tagger) -> list[tuple[int, int, int]]:
    """Weapon names (start, end, clitic cut): gazetteer phrases, quoted names after a weapon noun, طراز X."""
    out: list[tuple[int, int, int]] = []
    n = len(stems)
    i = 0
    while i < n:
        hit, cut = _weapon_at(stems, i, tagger), 0
        if not hit and norms[i][:1] == "و" and len(norms[i]) > 2:  # وسام 7: the conjunction stayed on
            first = stems[i]
            stems[i] = norms[i][1:]
            hit, cut = _weapon_at(stems, i, tagger), 1
            stems[i] = first
        if hit:
            out.append((i, i + hit, cut))
            i += hit
            continue
        if _TRIGGER_OF.get(stems[i]) == "WT" or _TRIGGER_OF.get(norms[i]) == "WT":
            span = _quoted_after(norms, i + 1) or _model_name_after(stems, norms, i, tagger)
            if span:
                out.append((span[0], span[1], 0))
                i = span[1]
                continue
        i += 1
    return out


def _weapon_at(stems: list[str], i: int, tagger: Tagger) -> int:
    """Length of the weapon-gazetteer phrase starting at ``i`` (0 if none, or a bare word with no cue)."""
    res = tagger.res
    for k in range(min(res.starts.get(stems[i], 0), len(stems) - i), 0, -1):
        classes = res.phrases.get(tuple(stems[i:i + k]))
        if classes and "WEAPON" in classes:
            # One-word entries need a weapon noun just before (طائرات من طراز هاروف); many are also names.
            if k > 1 or _near_trigger(stems, i):
                return k
            return 0
    return 0


def _quoted_after(norms: list[str], j: int) -> tuple[int, int] | None:
    """A short quoted name within three words after a weapon noun: نظام “سكاي لوك”, منظومة تدعى ”...”."""
    n = len(norms)
    for q in range(j, min(j + 3, n)):
        if norms[q] in QUOTES:
            k = q + 1
            while k < n and k - q <= 4 and norms[k] not in QUOTES and norms[k].isalnum():
                k += 1
            if k < n and k > q + 1 and norms[k] in QUOTES:
                return q + 1, k
            return None
        if not norms[q].isalnum():
            return None
    return None


def _model_name_after(stems: list[str], norms: list[str], i: int, tagger: Tagger) -> tuple[int, int] | None:
    """طراز X: a name the lexicon does not know (or Latin), with a trailing number (طراز ميراج 2000)."""
    if norms[i] != "طراز" or i + 1 >= len(stems):  # من طراز X, not الطراز الأول
        return None
    w = stems[i + 1]
    if not w.isalpha() or norms[i + 1].startswith("ال") or (w not in tagger.res.profiles and not w.isascii()):
        return None  # a name seen in the raw news, or Latin (طراز ميراج, طراز Su-35), not an unseen word
    if tagger.res.lexicon.get(w) == "known" and not w.isascii():
        return None
    end = i + 2
    while end < len(stems) and end - i <= 3 and (norms[end].isdigit() or norms[end].isascii() and norms[end].isalnum()):
        end += 1
    return i + 1, end


def _phrases(stems: list[str], tagger: Tagger, want: frozenset[str], min_len: int = 2) -> list[tuple[int, int]]:
    """Gazetteer phrases of the classes ``want`` (longest first): المملكة المغربية, لوكهيد مارتن."""
    res = tagger.res
    out: list[tuple[int, int]] = []
    i, n = 0, len(stems)
    while i < n:
        step = 1
        for k in range(min(res.starts.get(stems[i], 0), n - i), min_len - 1, -1):
            classes = res.phrases.get(tuple(stems[i:i + k]))
            if classes and not want.isdisjoint(classes):
                out.append((i, i + k))
                step = k
                break
        i += step
    return out


def _command_spans(stems: list[str], norms: list[str]) -> list[tuple[int, int]]:
    """Military commands: القيادة العامة للقوات المسلحة الملكية, هيئة الأركان العامة (head + attributes)."""
    out: list[tuple[int, int]] = []
    n = len(stems)
    for i in range(n - 1):
        if (stems[i] == "قيادة" and stems[i + 1] == "عامة") or (stems[i] in ("هيئة", "رئاسة") and stems[i + 1] == "اركان"):
            j = i + 2
            while j < n and (stems[j] in _ADJ_OK or stems[j] in ("قوات", "اركان", "جيش")
                             or (stems[j].endswith("ية") and norms[j].startswith("ال"))):
                j += 1
            out.append((i, j))
    return out


def _split_at_conjunction(keys: list[tuple[str, str, str]], s: int, e: int) -> list[tuple[int, int]]:
    """Cut a model span before an inner word that starts with the conjunction و (كاسياس وراموس: two names).

    ``keys`` are ``word_key`` triples; the text module's lexicon-checked clitic split decides whether the
    و is a conjunction (وليد, وائل keep it)."""
    if not SPLIT_CONJUNCTION:
        return [(s, e)]
    out: list[tuple[int, int]] = []
    a = s
    for k in range(s + 1, e):
        if keys[k][1][:1] == "و" and len(keys[k][2]) >= 3:
            out.append((a, k))
            a = k
    out.append((a, e))
    return out


SPLIT_CONJUNCTION = True
TRIM_PERSON = True
_NUMBER_WORDS = frozenset({"صفر", "واحد", "اثنين", "ثلاثة"})


# Moroccan Arabic (Darija) function words the MSA lexicon does not know, so they look like names to the CRF
# (Goud.ma news). Words that are also names or parts of names (هادي, ديما, ديك تشيني, لي) are left out.
DARIJA = frozenset({
    "ديال", "ديالو", "ديالها", "ديالهم", "ديالي", "ديالنا", "ديالك", "هاد", "هادا", "هادشي", "هذشي", "هادوك",
    "هاديك", "الشي", "كاين", "كاينة", "كاينين", "ماكاين", "ماكايناش", "ماكاينش", "حيت", "بزاف",
    "جوج", "اللي", "داير", "دايرة", "دايرين", "غادي", "غادية", "واش", "علاش", "فين", "كيفاش", "شنو",
    "دابا", "مزيان", "مزيانة", "عندو", "عندها", "ماعندكش", "ماعندوش", "بحال", "والو", "شحال", "تاني", "باش",
    "ماشي", "راه", "راني", "راهم", "خاص", "خاصو", "بغا", "بغيت", "كنت", "كيفما", "ملي", "فاش", "حنا", "نتا",
})


def _darija_word(key: tuple[str, str, str]) -> bool:
    """A Darija function word, or a Darija present-tense plural verb (كيديرو, كيطالبو, كيحاولو)."""
    low, _, stem = key
    if low in DARIJA or stem in DARIJA:
        return True
    return len(low) >= 6 and low.startswith("كي") and low.endswith("و")


def _trim_person(keys: list[tuple[str, str, str]], s: int, e: int, lexicon: dict[str, str]) -> int:
    """Drop trailing ordinary words the CRF glued to a name: accusatives (قدم مها أحمد برنامجا), scores
    (ليون صفر); returns the new end (``s``: nothing left)."""
    if not TRIM_PERSON:
        return e
    while e > s:
        _, _, stem = keys[e - 1]
        if stem in _NUMBER_WORDS or (len(stem) >= 4 and stem.endswith("ا") and not stem.endswith("يا")
                                      and lexicon.get(stem) == "known"):
            e -= 1
            continue
        break
    return e


def _near_trigger(stems: list[str], i: int) -> bool:
    return any(_TRIGGER_OF.get(stems[j]) == "WT" for j in range(max(0, i - 3), i))


def find_spans(tagger: Tagger, sentences: list[list[str]], *, consistency: bool = True,
               extras: bool = True, keep_misc: bool = True) -> tuple[list[Span], list[list[str]]]:
    """Typed token spans for a document given as sentences of words; also returns the stems used.

    Without ``keep_misc`` (Marsad's own output has no MISC) the model's MISC spans are dropped before the
    consistency pass, so such a guess cannot stop a name tagged elsewhere from being tagged there too.
    """
    from marsad.nlp.ner.features import word_key

    res = tagger.res
    found: list[Span] = []
    all_stems: list[list[str]] = []
    for si, (words, (tags, probs)) in enumerate(zip(sentences, tagger.tag_document(sentences))):
        keys = [word_key(w) for w in words]
        norms = [k[0] for k in keys]
        stems = [k[2] for k in keys]
        all_stems.append(stems)
        sent_spans: list[Span] = []
        for s, e, typ in sorted(spans(tags)):
            conf = sum(probs[s:e]) / (e - s)
            t = CRF_TYPES.get(typ, typ)
            if t == "LOC":
                t = _place_type(stems[s:e], norms[s:e], res.words, res.phrases)
            if t == "PERSON":
                e = _trim_person(keys, s, e, res.lexicon)
                while e > s and _darija_word(keys[e - 1]):
                    e -= 1
                while s < e and _darija_word(keys[s]):
                    s += 1
                if e == s:
                    continue
            for a, b in _split_at_conjunction(keys, s, e):
                sent_spans.append(Span(si, a, b, t, round(conf, 3)))
        if extras:
            for s, e in _phrases(stems, tagger, _PLACES):
                # Only where the model saw nothing: it knows local conventions (دولة قطر -> قطر).
                if not any(sp.start < e and s < sp.end for sp in sent_spans):
                    sent_spans.append(Span(si, s, e, "GPE", 0.9, "gazetteer"))
            for s, e in _phrases(stems, tagger, _DORG, 1) + _command_spans(stems, norms):
                overlap = [sp for sp in sent_spans if sp.start < e and s < sp.end]
                # A curated multi-word name wins over model fragments (لوكهيد + مارتن عقدا).
                if e - s > 1 or all(s <= sp.start and sp.end <= e for sp in overlap):
                    sent_spans = [sp for sp in sent_spans if sp not in overlap]
                    sent_spans.append(Span(si, s, e, "ORG", 0.85, "gazetteer"))
            for s, e, cut in _weapon_spans(stems, norms, tagger):
                overlap = [sp for sp in sent_spans if sp.start < e and s < sp.end]
                if all(sp.type in ("MISC", "PERSON", "ORG", "GPE", "LOC") for sp in overlap):
                    sent_spans = [sp for sp in sent_spans if sp not in overlap]
                    sent_spans.append(Span(si, s, e, "WEAPON", 0.9, "gazetteer", cut))
            covered = {k for sp in sent_spans for k in range(sp.start, sp.end)}
            for k, st in enumerate(stems):
                if k not in covered and "NORP" in res.words.get(norms[k], res.words.get(st, ())):
                    sent_spans.append(Span(si, k, k + 1, "NORP", 0.9, "gazetteer"))
        found.extend(sent_spans)
    if not keep_misc:
        found = [sp for sp in found if sp.type != "MISC"]
    if consistency:
        new, replaced = propagate(all_stems, found)
        gone = {id(sp) for sp in replaced}
        found = [sp for sp in found if id(sp) not in gone] + new
    found.sort(key=lambda sp: (sp.sent, sp.start))
    return found, all_stems


def to_bio(spans_: list[Span], lengths: list[int]) -> list[list[str]]:
    """BIO tag lists for each sentence from typed spans."""
    out = [["O"] * n for n in lengths]
    for sp in spans_:
        out[sp.sent][sp.start] = "B-" + sp.type
        for k in range(sp.start + 1, sp.end):
            out[sp.sent][k] = "I-" + sp.type
    return out


def analysis_from_words(sentences: list[list[str]], *, published: str | None = None) -> Analysis:
    """An Analysis whose text is the words joined by spaces, one token per word, one paragraph (for corpora)."""
    from marsad.text import split_clitics

    parts: list[str] = []
    sents: list[SentenceModel] = []
    pos = 0
    for words in sentences:
        toks: list[Token] = []
        s0 = pos
        for k, w in enumerate(words):
            norm = fold(w)
            is_word = any(ch.isalnum() for ch in w)
            prefix, stem = split_clitics(w) if is_word else ("", norm)
            off = normalize(w).index[len(prefix)] if prefix and len(prefix) < len(norm) else 0
            toks.append(Token(pos, pos + len(w), norm, stem, prefix, pos + off, is_word))
            parts.append(w)
            parts.append("\n" if k == len(words) - 1 else " ")  # one separator after every word
            pos += len(w) + 1
        sents.append(SentenceModel(s0, max(s0, pos - 1), 1, toks))
    text = "".join(parts)
    doc = Document(text=text, provenance=Provenance(source="corpus", format="conll"), published=published)
    return Analysis(document=doc, paragraphs=[Paragraph(1, 0, len(text), sentences=sents)])


def tag_corpus(tagger: Tagger, sents: list[Sentence], *, scheme: str = "anercorp",
               gold_map: dict[str, str | None] | None = None, doc_size: int = 20, consistency: bool = True,
               extras: bool = True, types: list[str] | None = None) -> dict[str, object]:
    """Run the whole entity stage over a token-level corpus and score exact spans.

    ``doc_size`` consecutive sentences form one pseudo-document (the corpora keep no article boundaries);
    mentions map back to the corpus tokens they overlap.
    """
    import time

    from marsad.nlp.ner import mentions_for

    words = [[w for w, _ in s] for s in sents]
    gold = [[t for _, t in s] for s in sents]
    if gold_map is not None:
        gold = [[t if t == "O" else (f"{t[:2]}{gold_map[t[2:]]}" if gold_map.get(t[2:]) else "O") for t in g]
                for g in gold]
    pred: list[list[str]] = []
    step = doc_size or 1
    elapsed = 0.0
    for d in range(0, len(words), step):
        chunk = words[d:d + step]
        a = analysis_from_words(chunk)
        t0 = time.perf_counter()
        ms = mentions_for(a, tagger, keep_misc=scheme == "anercorp", consistency=consistency and doc_size > 1, extras=extras,
                          rules=scheme != "anercorp")  # ANERcorp has no MONEY/DATE types
        elapsed += time.perf_counter() - t0
        pred.extend(_bio_from_mentions(a, ms))
    mapping = SCHEMES.get(scheme)
    result = score([remap(g, mapping) for g in gold], [remap(p, mapping) for p in pred], types=types)
    result["tokens_per_s"] = round(sum(map(len, words)) / elapsed) if elapsed else 0
    return result


def _bio_from_mentions(a: Analysis, mentions: list[Mention]) -> list[list[str]]:
    out: list[list[str]] = []
    for s in a.paragraphs[0].sentences:
        tags = ["O"] * len(s.tokens)
        for m in mentions:
            idx = [k for k, t in enumerate(s.tokens) if t.start < m.end and m.start < t.end]
            if idx and all(tags[k] == "O" for k in idx):
                tags[idx[0]] = "B-" + m.type
                for k in idx[1:]:
                    tags[k] = "I-" + m.type
        out.append(tags)
    return out
