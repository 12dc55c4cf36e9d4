"""Pipeline stage ``events``: who did what to whom, with CAMEO codes and defence frames.

1. Sentence views of the body (view.py); restated paragraphs (``duplicate_of``) produce nothing.
2. Triggers from the lexicon (lexicon.py: curated + cleaned UniversalPetrarch), outside quotation marks;
   reporting verbs only feed attribution and carried subjects (quotes are the quote stage's job).
3. CAMEO types coded by coder.py, defence frames by frames.py; events without an actor are dropped.
4. Merging inside the article: the same event told again (a relative clause الاتفاق الذي وقعه, a pronoun
   لقائه ببيوض, several clauses of one arms deal) fills the first event's missing roles instead of
   adding a second one.
"""

from __future__ import annotations

from marsad.model import Analysis, Argument, Event
from marsad.nlp.events import lexicon
from marsad.nlp.events.coder import RELATIVE, Context, code
from marsad.nlp.events.frames import code_frame
from marsad.nlp.events.roles import governor
from marsad.nlp.events.speakers import Speaker, Titles, reports
from marsad.nlp.events.view import AGENT_TYPES, Cand, View, key, views

__all__ = ["ACTOR_ROLES", "FRAME_KINDS", "find_events"]

FRAME_KINDS = frozenset({"sell", "sellnoun", "buy", "buynoun", "deal", "produce", "seek", "obtain"})
ACTOR_ROLES = frozenset({"participants", "source", "seller", "buyer", "actor", "signatories"})
_SKIP_KINDS = frozenset({"r", "c", "light"})


def _best(hits: list[tuple[lexicon.Entry, int, str]]) -> tuple[lexicon.Entry, int, str]:
    """The longest match; curated before upetrarch."""
    return max(hits, key=lambda h: (h[1], h[0].trigger.source == "curated", h[0].trigger.confidence))


def _actor_keys(ev: Event) -> set[str]:
    return {a.entity_id or key(a.text) for a in ev.arguments if a.role in ACTOR_ROLES}


def _absorb(into: Event, ev: Event, rename: str | None = None) -> None:
    have = {(a.role, a.entity_id or key(a.text)) for a in into.arguments}
    actors = {a.entity_id or key(a.text) for a in into.arguments if a.role in ACTOR_ROLES}
    roles = {a.role for a in into.arguments}
    for a in ev.arguments:
        role = rename if rename and a.role in ACTOR_ROLES else a.role
        if (role, a.entity_id or key(a.text)) in have or (role in ACTOR_ROLES and (a.entity_id or key(a.text)) in actors):
            continue
        if role in ACTOR_ROLES - {"participants", "signatories"} and role in roles and into.type == "ARMS_TRANSFER":
            continue  # one seller/buyer: the first clause wins
        if role in ("item", "value", "quantity") and role in roles:
            continue
        into.arguments.append(Argument(role, a.text, a.start, a.end, a.entity_id))
    into.when = into.when or ev.when
    into.when_resolved = into.when_resolved or ev.when_resolved
    into.where = into.where or ev.where
    into.status = into.status or ev.status
    into.confidence = max(into.confidence, ev.confidence)


def _merge(events: list[Event], relative: set[int]) -> list[Event]:
    out: list[Event] = []
    for ev in events:
        keys = _actor_keys(ev)
        same_sentence = [o for o in out if o.type == ev.type and o.sentence_start == ev.sentence_start]
        if ev.trigger_start in relative and same_sentence:
            _absorb(same_sentence[-1], ev, "signatories" if ev.type == "SIGN_AGREEMENT" else None)
            continue
        if ev.type == "ARMS_TRANSFER" and same_sentence:
            _absorb(same_sentence[-1], ev)
            continue
        twin = next((o for o in out if o.type == ev.type and keys and keys <= _actor_keys(o)), None)
        if twin is None and not keys:  # الهجوم ... التفجير: an unattributed attack told again
            twin = next((o for o in out if o.type == ev.type and not _actor_keys(o)
                         and (ev.where is None or o.where in (None, ev.where))), None)
        if twin is not None:
            _absorb(twin, ev)
            continue
        out.append(ev)
    return out


def _first_subject(v: View) -> list[Cand]:
    """The subject of the sentence's first clause: the first ungoverned person/organisation/country."""
    for c in v.cands:
        if c.type in AGENT_TYPES and c.type != "NORP" and governor(v, c, max(0, c.t0 - 6)) is None:
            return [c]
    return []


def _sentence_events(v: View, ctx: Context, table: dict[str, list[lexicon.Entry]], relative: set[int]) -> list[Event]:
    reps = reports(v)
    light = {j for j in range(len(v.keys)) if any(e.trigger.kind == "light" for e, _, _ in lexicon.match(v.keys, j, table))}
    out: list[Event] = []
    ctx.sentence_agents = []
    names = {k for c in v.cands if c.type in ("PERSON", "ORG", "GPE", "DATE", "TIME") and c.mention is not None
             for k in range(c.t0, c.t1)}  # طالب in عبد الرحيم طالب is a name; فجر اليوم is a time
    j = 0
    while j < len(v.keys):
        hits = [h for h in lexicon.match(v.keys, j, table) if h[0].trigger.kind not in _SKIP_KINDS]
        if not hits or v.in_quote(v.tokens[j].start) or j in names:
            j += 1
            continue
        ranked = sorted(hits, key=lambda h: (h[1], h[0].trigger.source == "curated", h[0].trigger.confidence),
                        reverse=True)
        entry, end, prefix = ranked[0]
        # Speakers named before the trigger are the antecedents of its pronouns (قال غانتس بعد لقائه).
        speakers = [r.speaker.cand for r in reps if r.t1 <= j and r.speaker and r.speaker.cand
                    and r.speaker.cand.mention is not None]  # a named speaker, not a bare phrase
        agents_before = {c.entity_id or c.text for c in v.cands if c.t1 <= j and c.type in AGENT_TYPES}
        if speakers:
            ctx.last_agents = [speakers[-1]]
            ctx.sentence_agents = [speakers[-1]]
        elif len(agents_before) > 1 and entry.trigger.kind == "n":
            ctx.last_agents = []  # two candidates for 'his': do not guess
        ev = None
        for entry, end, prefix in ranked:  # قصف: try the verb, then the verbal noun
            if entry.trigger.kind in FRAME_KINDS:
                ev = code_frame(v, j, end, entry, prefix, ctx, reps)
            else:
                ev = code(v, j, end, entry, prefix, ctx, reps, light)
            if ev is not None:
                break
        if ev is not None:
            if j > 0 and v.keys[j - 1] in RELATIVE:
                relative.add(ev.trigger_start)
            out.append(ev)
            src = [c for c in v.cands for a in ev.arguments if a.role in ("source", "participants", "actor")
                   and c.start == a.start and c.end == a.end]
            ctx.sentence_agents = src[:1] or ctx.sentence_agents
        j = end
    if not out:
        ctx.last_agents = _first_subject(v) or ctx.last_agents
    return out


def find_events(a: Analysis) -> Analysis:
    """Fill ``a.events`` (see the module docstring)."""
    table = lexicon.load()
    ctx = Context(published=a.document.published)
    events: list[Event] = []
    relative: set[int] = set()
    quotes = [(q.start, q.end) for q in a.quotes]
    for v in views(a):
        v.quotes = sorted(set(v.quotes) | {q for q in quotes if q[0] < v.end and q[1] > v.start})
        events.extend(_sentence_events(v, ctx, table, relative))
    titles = Titles(a)
    for ev in events:  # وقال الرئيس الجزائري: the title stands for the person named with it
        for arg in ev.arguments:
            if arg.entity_id is None and arg.role in ACTOR_ROLES:
                arg.entity_id = titles.resolve(Speaker(arg.text), arg.start).entity_id
    a.events = _merge(events, relative)
    return a
