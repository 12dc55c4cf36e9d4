"""CRF features for one sentence of words, from the text module's normalisation and clitic split.

Word-level features are computed once per distinct normalised word (cached); context features copy a few
short keys from the neighbours. Everything is plain strings, as python-crfsuite wants them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from marsad.text import fold, split_clitics

# Words that announce a neighbouring name (normalised stems, article removed by split_clitics).
TRIGGERS: dict[str, tuple[str, ...]] = {
    "PT": ("رئيس", "رئيسة", "وزير", "وزيرة", "سيد", "سيدة", "شيخ", "ملك", "ملكة", "أمير", "أميرة", "دكتور", "د",
           "نائب", "نائبة", "مستشار", "سفير", "عاهل", "جنرال", "لواء", "عقيد", "عميد", "مدير", "أمين", "زعيم",
           "مرشد", "فنان", "فنانة", "مطرب", "مطربة", "لاعب", "مدرب", "كاتب", "مخرج", "شاعر", "نجم", "نجمة",
           "قائد", "متحدث", "ناطق", "مبعوث", "مندوب", "بابا", "إمام", "حاكم", "سلطان", "مراسل", "زميل", "ولي",
           "عضو", "نقيب", "وكيل", "محافظ", "قاضي", "محامي", "سيناتور", "فريق", "مشير", "ضابط", "أستاذ",
           "بروفيسور", "مهندس", "الرئيس", "المستشار", "الشيخ", "حجة", "آية", "الأمير", "خليفة", "القس", "الأب"),
    "PV": ("قال", "قالت", "أكد", "أكدت", "أعلن", "أعلنت", "أضاف", "أضافت", "صرح", "صرحت", "أوضح", "أوضحت",
           "أشار", "أشارت", "ذكر", "ذكرت", "التقى", "استقبل", "استقبلت", "بحث", "دعا", "دعت", "طالب", "يقول",
           "وصف", "نفى", "اعتبر", "اعتبرت", "حسب", "بحسب", "وفق", "وفقا", "زار", "غادر", "وصل", "تابع"),
    "PN": ("بن", "ابن", "أبو", "أبي", "أم", "بنت", "عبد", "ولد", "آل", "بو", "آيت", "دي", "دو", "فان", "فون"),
    "OT": ("وكالة", "شركة", "مجلس", "منظمة", "حزب", "حركة", "جامعة", "وزارة", "مؤسسة", "بنك", "مصرف", "جمعية",
           "اتحاد", "لجنة", "صحيفة", "جريدة", "قناة", "هيئة", "جبهة", "نادي", "فريق", "منتخب", "مجموعة", "مركز",
           "معهد", "محكمة", "برلمان", "أمم", "قوات", "جيش", "مكتب", "إدارة", "كتائب", "تنظيم", "تحالف", "إذاعة",
           "تلفزيون", "مجلة", "مصنع", "شركات", "بورصة", "صندوق", "نقابة", "رابطة", "ديوان", "قيادة", "مديرية",
           "مصلحة", "أكاديمية", "كلية", "مجمع", "بعثة", "سفارة", "قنصلية", "حكومة", "نادى"),
    "LT": ("مدينة", "بلدة", "قرية", "محافظة", "ولاية", "منطقة", "إقليم", "جزيرة", "بحر", "نهر", "جبل", "خليج",
           "عاصمة", "دولة", "بلاد", "شمال", "جنوب", "شرق", "غرب", "مقاطعة", "جمهورية", "مملكة", "إمارة", "مخيم",
           "حي", "ضاحية", "صحراء", "واحة", "سهل", "هضبة", "وادي", "ميناء", "مطار", "شارع", "عاصمتها", "بلدية"),
    "WT": ("نظام", "منظومة", "طائرات", "طائرة", "صواريخ", "صاروخ", "مقاتلات", "مقاتلة", "دبابات", "دبابة",
           "مروحيات", "مروحية", "طراز", "قاذفات", "قاذفة", "بطاريات", "غواصات", "غواصة", "فرقاطة", "فرقاطات",
           "مسيرة", "مسيرات", "درون", "راجمات", "مدافع", "مدفع", "بنادق", "بندقية", "قنابل", "قنبلة"),
}
_TRIGGER_OF: dict[str, str] = {}
for _kind, _words in TRIGGERS.items():
    for _w in _words:
        _TRIGGER_OF.setdefault(fold(_w), _kind)


@dataclass(slots=True)
class Resources:
    """Everything the featuriser looks up: gazetteer phrases, word clusters, lexicon flags."""

    phrases: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict)  # stem tuple -> classes
    max_phrase: int = 1
    starts: dict[str, int] = field(default_factory=dict)  # first stem of a phrase -> its longest length
    words: dict[str, frozenset[str]] = field(default_factory=dict)  # single stem -> classes (any token)
    clusters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # word -> cluster ids (coarse..fine)
    lexicon: dict[str, str] = field(default_factory=dict)  # word -> "unk" | "prop" | "known"
    profiles: dict[str, tuple[str, str]] = field(default_factory=dict)  # word -> (trigger-rate bins, freq bin)


_KEYS: dict[str, tuple[str, str, str]] = {}


def word_key(word: str) -> tuple[str, str, str]:
    """(normalised word, proclitics, stem) of a raw word, through the text module (cached)."""
    hit = _KEYS.get(word)
    if hit is None:
        low = fold(word).lower()
        prefix, stem = split_clitics(low)
        hit = (low, prefix, stem)
        if len(_KEYS) > 300_000:
            _KEYS.clear()
        _KEYS[word] = hit
    return hit


def _shape(w: str) -> str:
    out: list[str] = []
    for ch in w:
        c = "d" if ch.isdigit() else "L" if "a" <= ch.lower() <= "z" else "a" if ch.isalpha() else "p"
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out[:4])


#: Words whose features are kept (~2.5 KB each, neighbour strings included). A cap of 500,000 let one long
#: ingest grow by ~1 GB (100k articles, bench/scale_bench.py); cleared when full, the frequent words come back
#: within a few articles.
CACHE_MAX = 50_000


_OFFSETS = (-2, -1, 1, 2)  # neighbours whose context features a word sees
_EDGE = ("-2BOS", "-1BOS", "1EOS", "2EOS")


class Featurizer:
    """Turns sentences of words into crfsuite feature lists; caches per distinct word."""

    def __init__(self, res: Resources) -> None:
        self.res = res
        self._cache: dict[str, tuple[list[str], tuple[list[str], ...], str]] = {}

    def _word(self, word: str) -> tuple[list[str], tuple[list[str], ...], str]:
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        low, prefix, stem = word_key(word)
        res = self.res
        f = ["b", "w=" + low, "s=" + stem, "p=" + prefix, "sh=" + _shape(low),
             "s2=" + stem[:2], "s3=" + stem[:3], "e2=" + stem[-2:], "e3=" + stem[-3:], "e1=" + stem[-1:]]
        n = len(stem)
        f.append("len=" + (str(n) if n < 6 else "6+"))
        trig = _TRIGGER_OF.get(stem) or _TRIGGER_OF.get(low)
        if trig:
            f.append("t=" + trig)
        # sorted: a frozenset's order follows Python's per-process string hashing, and the order of features
        # reaches the models' float sums, so an unsorted build is not bit-reproducible
        for cls in sorted(res.words.get(stem, ()) or res.words.get(low, ())):
            f.append("g=" + cls)
        cl = res.clusters.get(stem) or res.clusters.get(low)
        ctx = ["s=" + stem]
        if cl:
            for i, c in enumerate(cl):
                f.append(f"c{i}={c}")
            ctx.append("c=" + cl[-1])
            ctx.append("k=" + cl[0])
        else:
            f.append("c=none")
        lex = res.lexicon.get(stem) or res.lexicon.get(low)
        f.append("x=" + (lex or "oov"))
        prof = res.profiles.get(stem)
        if prof:
            bins, freq = prof
            f += ["pp=" + bins[0], "pv=" + bins[1], "lp=" + bins[2], "op=" + bins[3], "ar=" + bins[4],
                  "fq=" + freq, "pp|pv=" + bins[:2]]
        if trig:
            ctx.append("t=" + trig)
        # what this word adds to each neighbour's features, built once: [-2, -1, +1, +2]
        out = (f, tuple([f"{off}{x}" for x in ctx] for off in _OFFSETS), stem)
        if len(self._cache) >= CACHE_MAX:
            self._cache.clear()  # bounded: a long ingest meets new word forms forever (numbers, names)
        self._cache[word] = out
        return out

    def phrase_features(self, stems: list[str]) -> list[list[str]]:
        """BIO gazetteer-phrase features: longest match first, left to right."""
        res = self.res
        out: list[list[str]] = [[] for _ in stems]
        if res.max_phrase < 2:
            return out
        i, n = 0, len(stems)
        starts = res.starts
        while i < n:
            longest = starts.get(stems[i], 0)
            for k in range(min(longest, n - i), 1, -1):
                classes = res.phrases.get(tuple(stems[i:i + k]))
                if classes:
                    for c in sorted(classes):
                        out[i].append("gB=" + c)
                        for j in range(i + 1, i + k):
                            out[j].append("gI=" + c)
                    i += k - 1
                    break
            i += 1
        return out

    def word_features(self, words: list[str]) -> tuple[list[list[str]], list[str]]:
        """Each word's own features (no neighbours) with its gazetteer-phrase features, and its stem."""
        info = [self._word(w) for w in words]
        stems = [s for _, _, s in info]
        return [f + g for (f, _, _), g in zip(info, self.phrase_features(stems))], stems

    def sentence(self, words: list[str]) -> list[list[str]]:
        """Feature lists for each word of a sentence."""
        info = [self._word(w) for w in words]
        stems = [s for _, _, s in info]
        gaz = self.phrase_features(stems)
        n = len(words)
        feats: list[list[str]] = []
        for i in range(n):
            f = info[i][0] + gaz[i]
            for k, off in enumerate(_OFFSETS):
                j = i + off
                if 0 <= j < n:
                    f += info[j][1][k]
                else:
                    f.append(_EDGE[k])
            if i > 0:
                f.append("bg=" + stems[i - 1] + "|" + stems[i])
            if i + 1 < n:
                f.append("bg+=" + stems[i] + "|" + stems[i + 1])
            feats.append(f)
        return feats
