"""Readers for the NER corpora (ANERcorp CoNLL, WikiFANE, Wojood) into one shape: sentences of (token, BIO tag).

Every reader returns tags in the corpus's own type names; ``map_tags`` converts them to a target scheme.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from marsad.errors import ModelError

Sentence = list[tuple[str, str]]

# WikiFANE fine classes (ACE-style) -> Marsad types; None = not an entity for us.
WIKIFANE_TYPES: dict[str, str | None] = {
    **{c: "PERSON" for c in ("Politician", "Religious_PER", "Artist", "Other_PER", "Scientist", "Athlete",
                             "Businessperson", "Engineer", "Lawyer", "Police")},
    "Group": "NORP",
    **{c: "ORG" for c in ("Government", "Commercial", "Educational", "Media", "Religious_ORG", "Sports",
                          "Non-Governmental", "Entertainment", "Medical-Science")},
    **{c: "GPE" for c in ("Continent", "Nation", "State-or-Province", "Population-Center",
                          "County-or-District", "GPE-Cluster")},
    **{c: "LOC" for c in ("Water-Body", "Land-Region-Natural", "Celestial")},
    **{c: "FAC" for c in ("Building-Grounds", "Airport", "Path", "Subarea-Facility", "Plant")},
    **{c: "WEAPON" for c in ("Projectile", "Shooting", "Exploding", "Nuclear", "Blunt", "Sharp", "Chemical")},
    **{c: "VEHICLE" for c in ("Air", "Land", "Water")},
    **{c: "PRODUCT" for c in ("Book", "Movie", "Sound", "Software", "Hardware", "Food", "Drug")},
}

# Wojood types -> Marsad types (outer layer); the rest (OCC, EVENT, LAW, ORDINAL, ...) are not ours.
WOJOOD_TYPES: dict[str, str | None] = {
    "PERS": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "FAC": "FAC", "NORP": "NORP",
    "DATE": "DATE", "TIME": "TIME", "MONEY": "MONEY", "PERCENT": "PERCENT", "QUANTITY": "QUANTITY",
    "CARDINAL": "QUANTITY", "PRODUCT": "PRODUCT",
}

ANERCORP_TYPES: dict[str, str | None] = {"PERS": "PERSON", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The shared data folder: ``explicit``, else env MARSAD_DATA, else <repo>/../shared/data."""
    if explicit:
        path = Path(explicit)
    elif os.environ.get("MARSAD_DATA"):
        path = Path(os.environ["MARSAD_DATA"])
    else:
        path = Path(__file__).resolve().parents[3].parent / "shared" / "data"
    if not path.is_dir():
        raise ModelError(f"data folder not found: {path} (set MARSAD_DATA or pass --data)")
    return path


def _lines(path: Path) -> Iterator[str]:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            for line in fh:
                yield line.rstrip("\r\n").replace("\u200e", "").replace("\u200f", "")
    except OSError as exc:
        raise ModelError(f"cannot read corpus {path}: {exc}") from exc


def _blocks(path: Path, split: Callable[[str], list[str]]) -> Iterator[list[list[str]]]:
    block: list[list[str]] = []
    for line in _lines(path):
        if not line.strip():
            if block:
                yield block
                block = []
            continue
        block.append(split(line))
    if block:
        yield block


def read_conll(path: str | os.PathLike[str]) -> list[Sentence]:
    """ANERcorp style: ``token TAG`` per line (space or tab), blank line between sentences."""
    out: list[Sentence] = []
    for block in _blocks(Path(path), lambda s: s.split()):
        sent = [(cols[0], _bio(cols[-1]) if len(cols) > 1 else "O") for cols in block if cols]
        if sent:
            out.append(sent)
    return out


def read_wikifane(path: str | os.PathLike[str]) -> list[Sentence]:
    """WikiFANE Gold: ``token<TAB>TAG`` with fine classes, CRLF, LRM marks; blank line between sentences."""
    out: list[Sentence] = []
    for block in _blocks(Path(path), lambda s: s.split("\t")):
        sent = [(c[0].strip(), _bio(c[1].strip()) if len(c) > 1 else "O") for c in block if c[0].strip()]
        if sent:
            out.append(sent)
    return out


def read_wojood(path: str | os.PathLike[str], *, inner: frozenset[str] = frozenset()) -> list[Sentence]:
    """Wojood nested BIO: ``token TAG [TAG ...]``; keep the outer layer, or an inner one of a type in ``inner``."""
    out: list[Sentence] = []
    for block in _blocks(Path(path), lambda s: s.split()):
        sent: Sentence = []
        for cols in block:
            if not cols or cols[0] == "$#$":
                continue
            tags = [t for t in cols[1:] if t != "O"] or ["O"]
            chosen = next((t for t in tags if t[2:] in inner), tags[0])
            sent.append((cols[0], _bio(chosen)))
        if sent:
            out.append(_repair(sent))
    return out


def read_any(path: str | os.PathLike[str], fmt: str = "auto") -> tuple[list[Sentence], dict[str, str | None]]:
    """Read a corpus file, guessing its format from the name; returns sentences and the type map for it."""
    p = Path(path)
    name = p.name.lower()
    if fmt == "auto":
        fmt = "wikifane" if "fane" in name else "wojood" if p.parent.name.startswith("wojood") else "conll"
    if fmt == "wikifane":
        return read_wikifane(p), WIKIFANE_TYPES
    if fmt == "wojood":  # nested: per token, the outermost layer of a type Marsad has
        return read_wojood(p, inner=frozenset(k for k, v in WOJOOD_TYPES.items() if v)), WOJOOD_TYPES
    if fmt in ("conll", "anercorp"):
        return read_conll(p), ANERCORP_TYPES
    raise ModelError(f"unknown corpus format {fmt!r} (conll, wikifane, wojood)")


def _bio(tag: str) -> str:
    if tag == "O" or len(tag) < 3 or tag[1] != "-" or tag[0] not in "BI":
        return "O"
    return tag


def _repair(sent: Sentence) -> Sentence:
    """Turn an I- that does not continue its type into B- (after picking one nested layer)."""
    out: Sentence = []
    prev = "O"
    for tok, tag in sent:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append((tok, tag))
        prev = tag
    return out


def map_tags(sents: list[Sentence], mapping: dict[str, str | None]) -> list[Sentence]:
    """Rename entity types through ``mapping`` (unknown or None -> O), repairing BIO afterwards."""
    out: list[Sentence] = []
    for sent in sents:
        mapped: Sentence = []
        for tok, tag in sent:
            if tag == "O":
                mapped.append((tok, tag))
                continue
            new = mapping.get(tag[2:])
            mapped.append((tok, f"{tag[:2]}{new}" if new else "O"))
        out.append(_repair(mapped))
    return out


def spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """CoNLL-style exact spans (start, end, type) from a BIO tag list; a stray I- starts a span."""
    out: set[tuple[int, int, str]] = set()
    start, typ = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if tag == "O" or tag.startswith("B-") or (tag.startswith("I-") and tag[2:] != typ):
            if start >= 0:
                out.add((start, i, typ))
                start, typ = -1, ""
            if tag != "O":
                start, typ = i, tag[2:]
    return out
