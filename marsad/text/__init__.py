"""Arabic text rules, in one place: normalisation (with offsets), tokens and clitics, sentences,
numbers and dates. Indexing, querying, NER features, dedup and linking all call these functions."""

from marsad.text.normalize import Normalized, fold, normalize
from marsad.text.tokenize import search_terms, split_clitics, tokenize

__all__ = ["Normalized", "fold", "normalize", "search_terms", "split_clitics", "tokenize"]
