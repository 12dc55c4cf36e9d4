"""Arabic text rules, in one place: normalisation (with offsets), tokens and clitics, sentences,
numbers and dates. Indexing, querying, NER features, dedup and linking all call these functions."""

from marsad.text.normalize import Normalized, fold, normalize
from marsad.text.sentences import split_sentences
from marsad.text.tokenize import (
    apply_document_context,
    document_words,
    search_terms,
    split_clitics,
    tokenize,
    word_start,
)

__all__ = [
    "Normalized",
    "apply_document_context",
    "document_words",
    "fold",
    "normalize",
    "search_terms",
    "split_clitics",
    "split_sentences",
    "tokenize",
    "word_start",
]
