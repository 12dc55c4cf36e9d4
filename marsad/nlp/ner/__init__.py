"""Named entities: the pipeline stage ``recognize(a) -> a`` that fills ``a.mentions``.

Model spans (CRF over the sentence tokens of the segment stage) are typed, completed by the weapon and
demonym gazetteers and document-level consistency, then merged with the MONEY/DATE/QUANTITY/PERCENT
rules of ``marsad.nlp.rules`` when that module exists. Mentions exclude proclitics (ببيوض -> بيوض) but keep
the article (والمغرب -> المغرب); ``text == raw[start:end]`` always.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from marsad.model import Analysis, Mention, Token
from marsad.text import fold, normalize, split_clitics

if TYPE_CHECKING:
    from marsad.nlp.ner.model import Tagger

_word_start: Callable[[str, Token], int] | None
try:  # the text module's "where does the word start, keeping the article" (newer versions)
    from marsad.text.tokenize import word_start as _word_start
except ImportError:  # pragma: no cover - older text module
    _word_start = None

log = logging.getLogger(__name__)

#: Types the stage emits from the tagger (MISC is ANERcorp's catch-all, used only for evaluation).
OUTPUT_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "WEAPON", "NORP"})
_RULES_MISSING = object()
_rules_fn: object = None

__all__ = ["OUTPUT_TYPES", "mentions_for", "recognize"]


def _rule_mentions(a: Analysis) -> list[Mention]:
    """MONEY/DATE/TIME/QUANTITY/PERCENT mentions from marsad.nlp.rules, if that module exists yet."""
    global _rules_fn
    if _rules_fn is None:
        try:
            _rules_fn = importlib.import_module("marsad.nlp.rules").rule_mentions
        except (ImportError, AttributeError):
            _rules_fn = _RULES_MISSING
    if _rules_fn is _RULES_MISSING:
        return []
    return list(_rules_fn(a))  # type: ignore[operator]


def _name_start(raw: str, tok: Token, vocab: set[str], doc_bare: set[str]) -> int:
    """Raw offset where a name starts inside its first token: after proclitics, before the article."""
    if _word_start is not None and tok.stem_start >= 0:
        return int(_word_start(raw, tok))  # the text module's own decision (lexicon-checked clitics)
    norm = tok.norm or fold(raw[tok.start:tok.end])
    prefix, stem = (tok.prefix, tok.stem) if tok.prefix else split_clitics(norm)
    if not prefix or prefix == "ال":
        return tok.start
    if prefix.endswith("ال") and prefix not in ("لل",):
        cut = len(prefix) - 2  # keep the article: والمغرب -> المغرب
    elif prefix.endswith("لل"):
        cut = len(prefix)  # للرباط -> رباط (the article's alef is not written)
    elif stem in doc_bare or (stem in vocab and norm not in vocab):
        cut = len(prefix)  # ببيوض -> بيوض, when بيوض is attested
    else:
        return tok.start  # بيوض itself: ب is part of the name
    n = normalize(raw[tok.start:tok.end], offset=tok.start)
    return n.index[cut] if cut < len(n.text) else tok.start


def recognize(a: Analysis) -> Analysis:
    """Fill ``a.mentions`` from ``a.paragraphs[*].sentences[*].tokens``."""
    from marsad.nlp.ner.model import shipped

    a.mentions = mentions_for(a, shipped())
    return a


def mentions_for(a: Analysis, tagger: Tagger, *, keep_misc: bool = False, consistency: bool = True,
                 extras: bool = True, rules: bool = True) -> list[Mention]:
    """All entity mentions of an analysed document (``keep_misc`` keeps ANERcorp's MISC, for evaluation)."""
    from marsad.nlp.ner.stage import find_spans

    raw = a.text
    sentences = [s for p in a.paragraphs for s in p.sentences if s.tokens]
    words = [[raw[t.start:t.end] for t in s.tokens] for s in sentences]
    found, _ = find_spans(tagger, words, consistency=consistency, extras=extras, keep_misc=keep_misc)
    doc_bare = {t.norm for s in sentences for t in s.tokens if t.is_word}
    mentions: list[Mention] = []
    for sp in found:
        if sp.type not in OUTPUT_TYPES and not (keep_misc and sp.type == "MISC"):
            continue
        toks = sentences[sp.sent].tokens[sp.start:sp.end]
        while toks and not toks[0].is_word:
            toks = toks[1:]
        while toks and not toks[-1].is_word:
            toks = toks[:-1]
        if not toks:
            continue
        if sp.cut and toks[0] is sentences[sp.sent].tokens[sp.start]:
            start = normalize(raw[toks[0].start:toks[0].end], offset=toks[0].start).index[sp.cut]
        else:
            start = _name_start(raw, toks[0], tagger.vocab, doc_bare)
        end = toks[-1].end
        text = raw[start:end]
        mentions.append(Mention(type=sp.type, start=start, end=end, text=text,
                                paragraph=sentences[sp.sent].paragraph, normalized=fold(text),
                                confidence=sp.confidence, source=sp.source))
    return _merge(mentions, _rule_mentions(a) if rules else [], keep_misc=keep_misc)


def _merge(model: list[Mention], rules: list[Mention], *, keep_misc: bool = False) -> list[Mention]:
    """Rule mentions win over overlapping model mentions (they carry values); sorted by offset."""
    kept = [m for m in model if (keep_misc and m.type == "MISC")
            or not any(r.start < m.end and m.start < r.end for r in rules)]
    return sorted(kept + rules, key=lambda m: (m.start, m.end))
