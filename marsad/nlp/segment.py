"""Pipeline stage ``sentences``: split each body paragraph into sentences and tokens.

Uses the text module only (:func:`marsad.text.sentences.split_sentences`, :func:`marsad.text.tokenize`);
after all paragraphs are tokenised, rare clitic-initial words are re-split with the document's own words
as context (ببيوض → ب + بيوض when بيوض stands alone elsewhere in the article).
"""

from __future__ import annotations

from marsad.model import Analysis, Sentence, Token
from marsad.text.sentences import split_sentences
from marsad.text.tokenize import apply_document_context, tokenize

__all__ = ["segment"]


def segment(a: Analysis) -> Analysis:
    """Fill ``p.sentences`` (with tokens) for every paragraph in ``a.paragraphs``."""
    text = a.document.text
    all_tokens: list[Token] = []
    rare: list[Token] = []
    for p in a.paragraphs:
        sentences = []
        for s, e in split_sentences(text, p.start, p.end):
            tokens = tokenize(text, s, e, rare=rare)
            all_tokens.extend(tokens)
            sentences.append(Sentence(s, e, p.index, tokens))
        p.sentences = sentences
    apply_document_context(text, all_tokens, rare)
    return a
