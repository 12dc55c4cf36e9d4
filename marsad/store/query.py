"""The search query language, parsed here into a small AST and compiled to a SAFE FTS5 MATCH string.

Syntax (case matters for operators, so the English words "or"/"and" stay searchable):

    words            all must occur (implicit AND; ``AND`` may be written)
    "a phrase"       the words in this order (« », “ ” work too)
    a OR b           either
    NOT w, -w        exclude documents with w (needs something to exclude from)
    ( ... )          grouping
    word*            prefix of the (normalised) word

Every word goes through ``marsad.text.search_terms`` — the function that built the index — so the query is
normalised and clitic-split exactly like the text (وإسرائيل, لإسرائيل and اسرائيل are one term). Every term
is emitted double-quoted, so nothing a user types can reach FTS5 as an operator or column filter. Anything
malformed raises ``QueryError`` with a message meant for the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from marsad.errors import QueryError
from marsad.text import search_terms

MAX_CHARS = 2000  # longer is not a search, and the lexer should not spend seconds on a pasted book
MAX_TERMS = 64  # FTS5 and the planner cope with far more; a human query never needs it
#: Arabic names an English place name expands to at most.
MAX_EXPANSIONS = 6
MAX_DEPTH = 32  # recursion guard: '((((…' must be a QueryError, not a RecursionError

_OPERATORS = {"OR": "OR", "AND": "AND", "NOT": "NOT", "|": "OR"}


@dataclass(frozen=True, slots=True)
class Term:
    """A word or phrase: one or more consecutive index terms; ``prefix`` marks the last as a prefix."""

    terms: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


Node = Term | And | Or | Not


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    query: str
    ast: Node
    match: str  # FTS5 MATCH expression, every term quoted

    @property
    def terms(self) -> set[str]:
        """Index terms that a matching document may contain (excluded words left out)."""
        return positive_terms(self.ast)


@dataclass(slots=True)
class _Tok:
    kind: str  # WORD PHRASE LPAREN RPAREN OR AND NOT
    text: str
    pos: int


_QUOTES = frozenset('"“”„‟«»＂〝〞″')


def _lex(query: str) -> list[_Tok]:
    """Tokens of the raw query (words stay raw: the clitic splitter reads hamza forms)."""
    toks: list[_Tok] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            toks.append(_Tok("LPAREN" if ch == "(" else "RPAREN", ch, i))
            i += 1
        elif ch in _QUOTES:
            close = next((j for j in range(i + 1, n) if query[j] in _QUOTES), -1)
            if close < 0:
                raise QueryError(query, "unbalanced quote: a phrase opened with a quote mark is never closed")
            toks.append(_Tok("PHRASE", query[i + 1:close], i))
            i = close + 1
        elif ch == "-" and (i + 1 >= n or query[i + 1].isspace() or query[i + 1] == ")"):
            raise QueryError(query, "stray '-': write it right before the word to exclude, as in -word")
        elif ch == "-":
            toks.append(_Tok("NOT", "-", i))
            i += 1
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in "()" and query[j] not in _QUOTES:
                j += 1
            word = query[i:j]
            op = _OPERATORS.get(word)
            toks.append(_Tok(op, word, i) if op else _Tok("WORD", word, i))
            i = j
    return toks


class _Parser:
    def __init__(self, query: str, toks: list[_Tok]) -> None:
        self.query, self.toks, self.i, self.depth, self.nterms = query, toks, 0, 0, 0

    def error(self, reason: str) -> QueryError:
        return QueryError(self.query, reason)

    def peek(self) -> str | None:
        return self.toks[self.i].kind if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node | None:
        node = self.parse_or()
        if self.peek() == "RPAREN":
            raise self.error("unbalanced parenthesis: ')' without a matching '('")
        return node

    def parse_or(self) -> Node | None:
        parts = [self.parse_and()]
        while self.peek() == "OR":
            self.take()
            parts.append(self.parse_and())
        kept = [p for p in parts if p is not None]
        if len(parts) > 1 and any(isinstance(p, Not) for p in kept):
            raise self.error("an excluded word (NOT/-) cannot be one side of OR; exclude it from the whole group")
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else Or(tuple(kept))

    def parse_and(self) -> Node | None:
        items: list[Node | None] = []
        while self.peek() not in (None, "RPAREN", "OR"):
            if self.peek() == "AND":
                if not items:
                    raise self.error("AND needs a word before it")
                self.take()
                if self.peek() in (None, "RPAREN", "OR", "AND"):
                    raise self.error("AND needs a word after it")
            items.append(self.parse_unary())
        if not items:
            prev = self.toks[self.i - 1].kind if self.i > 0 else None
            if prev == "OR" or self.peek() == "OR":
                raise self.error("OR needs a word on both sides")
            if self.peek() == "RPAREN" and self.depth == 0:
                raise self.error("unbalanced parenthesis: ')' without a matching '('")
            if not self.toks:
                raise self.error("empty query")
            raise self.error("unexpected end of query")
        kept = [x for x in items if x is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else And(tuple(kept))

    def parse_unary(self) -> Node | None:
        if self.peek() == "NOT":
            tok = self.take()
            if self.peek() == "NOT":
                raise self.error("double negation: exclude a word once")
            if self.peek() in (None, "RPAREN", "OR", "AND"):
                raise self.error(f"{'NOT' if tok.text == 'NOT' else '-'} needs a word after it")
            child = self.parse_unary()
            return None if child is None else Not(child)
        return self.parse_primary()

    def parse_primary(self) -> Node | None:
        tok = self.take()
        if tok.kind == "LPAREN":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error(f"too deeply nested (more than {MAX_DEPTH} parentheses)")
            if self.peek() == "RPAREN":
                raise self.error("empty parentheses")
            node = self.parse_or()
            if self.peek() != "RPAREN":
                raise self.error("unbalanced parenthesis: '(' is never closed")
            self.take()
            self.depth -= 1
            return node
        if tok.kind in ("WORD", "PHRASE"):
            return self.term(tok)
        raise self.error(f"unexpected {tok.text!r}")  # pragma: no cover - callers peek first

    def term(self, tok: _Tok) -> Node | None:
        text, prefix = tok.text, False
        if tok.kind == "WORD" and text.endswith("*"):
            text, prefix = text.rstrip("*"), True
        terms = tuple(t for t in search_terms(text) if t)
        if not terms:
            return None  # punctuation only: nothing to search for
        self.nterms += len(terms)
        if self.nterms > MAX_TERMS:
            raise self.error(f"too many words (more than {MAX_TERMS})")
        node = Term(terms, prefix)
        if prefix or not _LATIN_NAME.fullmatch(text) or not (len(text) >= 4 or (text.isupper() and len(text) >= 2)):
            return node  # short lower-case Latin words (or, and, the) are not place names
        alternatives = [node]  # an English place name also finds its Arabic names: Morocco -> المغرب …
        for name in _arabic_names(text):
            arabic = tuple(t for t in search_terms(name) if t)
            if arabic and Term(arabic) not in alternatives:
                alternatives.append(Term(arabic))
                self.nterms += len(arabic)
        return node if len(alternatives) == 1 else Or(tuple(alternatives))


_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z .'-]*")


def _arabic_names(text: str) -> list[str]:
    """Arabic names of a place named in English, from the shipped gazetteer (loaded on first use)."""
    from marsad.gazetteer import load_gazetteer

    return load_gazetteer().arabic_names(text)[:MAX_EXPANSIONS]


def parse(query: str) -> Node:
    """Parse ``query`` into an AST; raise ``QueryError`` when it is malformed or has nothing to search."""
    if not isinstance(query, str):
        raise QueryError(repr(query), "a query must be text")
    if len(query) > MAX_CHARS:
        raise QueryError(query[:80] + "…", f"query too long ({len(query)} characters; at most {MAX_CHARS})")
    check_text(query, "query")
    toks = _lex(query)
    node = _Parser(query, toks).parse()
    if node is None:
        raise QueryError(query, "no searchable words in the query")
    _check_negation(query, node)
    return node


def check_text(value: str, name: str) -> None:
    """Reject strings SQLite cannot take (lone surrogates, NUL) with a QueryError instead of a crash."""
    if "\x00" in value:
        raise QueryError(value, f"{name} contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise QueryError(value.encode("utf-8", "replace").decode(), f"{name} is not valid Unicode text") from None


def _check_negation(query: str, node: Node) -> None:
    if isinstance(node, Not):
        raise QueryError(query, "a query cannot consist only of excluded words; add a word to search for")
    if isinstance(node, And):
        if all(isinstance(c, Not) for c in node.children):
            raise QueryError(query, "a group cannot consist only of excluded words; add a word to search for")
        for c in node.children:
            _check_negation(query, c.child if isinstance(c, Not) else c)
    elif isinstance(node, Or):
        for c in node.children:
            _check_negation(query, c)


def to_match(node: Node) -> str:
    """The FTS5 MATCH expression for a checked AST (all terms quoted, fully parenthesised)."""
    if isinstance(node, Term):
        quoted = '"' + " ".join(t.replace('"', '""') for t in node.terms) + '"'
        return quoted + "*" if node.prefix else quoted
    if isinstance(node, Or):
        return "(" + " OR ".join(to_match(c) for c in node.children) + ")"
    if isinstance(node, And):
        pos = [to_match(c) for c in node.children if not isinstance(c, Not)]
        expr = pos[0] if len(pos) == 1 else "(" + " AND ".join(pos) + ")"
        for c in node.children:
            if isinstance(c, Not):
                expr = f"({expr} NOT {to_match(c.child)})"
        return expr
    raise TypeError(f"cannot compile {node!r}")  # Not at top level is rejected by parse()


def positive_terms(node: Node) -> set[str]:
    """Terms outside any NOT: the words a hit can be highlighted on."""
    if isinstance(node, Term):
        return set(node.terms)
    if isinstance(node, Not):
        return set()
    out: set[str] = set()
    for c in node.children:
        out |= positive_terms(c)
    return out


def compile_query(query: str) -> CompiledQuery:
    """Parse and compile ``query``; the one entry point the stores use."""
    node = parse(query)
    return CompiledQuery(query, node, to_match(node))
