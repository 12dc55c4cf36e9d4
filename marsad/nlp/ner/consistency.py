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
    cut: int = 0  # normalised characters to drop from the first token (a clitic the splitter kept: وسام 7)


def propagate(stems: list[list[str]], found: list[Span], *, surnames: bool = True,
              min_len: int = 3) -> tuple[list[Span], list[Span]]:
    """Spans for untagged repeats of tagged names (and, for people, of their last word).

    Returns (new spans, spans they replace): a repeat of a full name also absorbs a shorter span of the
    same type that the model found inside it (عبد الرحيم + بيوض -> عبد الرحيم بيوض).
    """
    names: dict[tuple[str, ...], tuple[str, float]] = {}
    owner: dict[tuple[int, int], Span] = {}
    for sp in found:
        for k in range(sp.start, sp.end):
            owner[(sp.sent, k)] = sp
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
        return [], []
    first: dict[str, int] = {}
    for name in names:
        first[name[0]] = max(first.get(name[0], 0), len(name))
    new: list[Span] = []
    replaced: list[Span] = []
    for si, sent in enumerate(stems):
        i = 0
        while i < len(sent):
            step = 1
            for k in range(min(first.get(sent[i], 0), len(sent) - i), 0, -1):
                hit = names.get(tuple(sent[i:i + k]))
                if not hit:
                    continue
                inside = {id(o): o for j in range(i, i + k) if (o := owner.get((si, j))) is not None}
                if all(o.type == hit[0] and i <= o.start and o.end <= i + k and (o.end - o.start) < k
                       for o in inside.values()):
                    new.append(Span(si, i, i + k, hit[0], hit[1], "consistency"))
                    replaced.extend(inside.values())
                    for j in range(i, i + k):
                        owner[(si, j)] = new[-1]
                    step = k
                    break
            i += step
    return new, replaced
