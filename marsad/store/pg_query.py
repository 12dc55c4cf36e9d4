"""Compile the search AST of :mod:`marsad.store.query` into a PostgreSQL ``tsquery`` string.

The parser (and so the normalisation and clitic splitting of every word) is the SQLite store's; only the
output differs. Every index term is emitted as a single-quoted ``tsquery`` operand, so nothing a user
types reaches PostgreSQL as an operator, and the string is passed as a bind parameter to
``to_tsquery('simple', %s)``: ``'simple'`` parses each operand exactly as ``to_tsvector('simple', …)``
parsed the indexed term string, so the two sides agree term for term.

    a b          'a' & 'b'
    "a b"        'a' <-> 'b'
    a OR b       ( 'a' | 'b' )
    a -b         'a' & !'b'
    word*        'word':*
"""

from __future__ import annotations

from marsad.store.query import And, CompiledQuery, Node, Not, Or, Term, parse

#: Text-search configuration of the index and the queries (migrations/postgres/0001_initial.sql).
TS_CONFIG = "simple"


def quote_lexeme(term: str) -> str:
    """``term`` as a quoted tsquery operand (quotes doubled, backslashes escaped)."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def to_tsquery(node: Node) -> str:
    """The tsquery text for a checked AST (fully parenthesised)."""
    if isinstance(node, Term):
        ops = [quote_lexeme(t) for t in node.terms]
        if node.prefix:
            ops[-1] += ":*"
        return ops[0] if len(ops) == 1 else "(" + " <-> ".join(ops) + ")"
    if isinstance(node, Or):
        return "(" + " | ".join(to_tsquery(c) for c in node.children) + ")"
    if isinstance(node, And):
        pos = [to_tsquery(c) for c in node.children if not isinstance(c, Not)]
        neg = ["!" + to_tsquery(c.child) for c in node.children if isinstance(c, Not)]
        parts = pos + neg
        return parts[0] if len(parts) == 1 else "(" + " & ".join(parts) + ")"
    raise TypeError(f"cannot compile {node!r}")  # a bare Not is rejected by parse()


def highlight_phrases(node: Node) -> set[tuple[tuple[str, ...], bool]]:
    """(terms, last-is-prefix) of every word or phrase outside any NOT: what a snippet marks."""
    if isinstance(node, Term):
        return {(node.terms, node.prefix)}
    if isinstance(node, Not):
        return set()
    out: set[tuple[tuple[str, ...], bool]] = set()
    for c in node.children:
        out |= highlight_phrases(c)
    return out


def compile_pg(query: str) -> CompiledQuery:
    """Parse ``query`` (raising ``QueryError`` like the SQLite store) and compile it to tsquery text."""
    node = parse(query)
    return CompiledQuery(query, node, to_tsquery(node))
