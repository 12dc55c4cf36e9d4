"""Document-level consistency: a name tagged in one sentence gets the same type where else it appears untagged."""

from __future__ import annotations

from dataclasses import dataclass

PROPAGATE = ("PERSON", "ORG", "GPE", "LOC", "FAC", "WEAPON")


@dataclass(slots=True)
class Span:
    """A typed token span inside one sentence of a document (``sent`` indexes the document's sentences)."""

    sent: int
    start: int  # token index, inclusive
    end: int  # token index, exclusive
    type: str
    confidence: float
    source: str = "model"


def propagate(stems: list[list[str]], found: list[Span], *, surnames: bool = True,
              min_len: int = 3) -> list[Span]:
    """New spans for untagged repeats of tagged names (and, for people, of their last word)."""
    names: dict[tuple[str, ...], tuple[str, float]] = {}
    taken: set[tuple[int, int]] = set()
    for sp in found:
        for k in range(sp.start, sp.end):
            taken.add((sp.sent, k))
        if sp.type not in PROPAGATE:
            continue
        key = tuple(stems[sp.sent][sp.start:sp.end])
        if sum(len(w) for w in key) < min_len:
            continue
        best = names.get(key)
        if best is None or best[1] < sp.confidence:
            names[key] = (sp.type, sp.confidence)
        if surnames and sp.type == "PERSON" and sp.end - sp.start >= 2:
            last = (stems[sp.sent][sp.end - 1],)
            if len(last[0]) >= 3 and last not in names:
                names[last] = ("PERSON", sp.confidence * 0.9)
    if not names:
        return []
    first: dict[str, int] = {}
    for k in names:
        first[k[0]] = max(first.get(k[0], 0), len(k))
    new: list[Span] = []
    for si, sent in enumerate(stems):
        i = 0
        while i < len(sent):
            for k in range(min(first.get(sent[i], 0), len(sent) - i), 0, -1):
                hit = names.get(tuple(sent[i:i + k]))
                if hit and not any((si, j) in taken for j in range(i, i + k)):
                    new.append(Span(si, i, i + k, hit[0], hit[1], "consistency"))
                    for j in range(i, i + k):
                        taken.add((si, j))
                    i += k - 1
                    break
            i += 1
    return new
