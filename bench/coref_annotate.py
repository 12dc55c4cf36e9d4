"""Turn the hand annotation tests/gold/coref/spec.json (clusters of surface strings) into offsets.

Usage: .venv/bin/python bench/coref_annotate.py [--check]   (writes tests/gold/coref/coref.jsonl)

Each surface is found as a whole word, optionally behind proclitics (و ف ب ك ل and their combinations, a
tatweel allowed: بـالسين); a surface starting with ال is also found after a fused لل (للعفو الدولية).
Longer surfaces claim their text first; SKIP clusters claim text that is not a mention. Offsets are into
``Document.text`` as ``marsad.ingest.read`` gives it, and the document's sha256 is stored to catch drift.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from marsad.gazetteer import default_data_dir
from marsad.ingest import read

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "coref"
_PREFIX = r"(?:[وف]?[بكل]?|لل|[وف]لل)\u0640?"


def locate(text: str, clusters: list[dict]) -> list[dict]:
    """Mentions (start, end, text, type, cluster) of the annotated surfaces, longest surface first."""
    items = []
    for ci, c in enumerate(clusters):
        for s in c["surfaces"]:
            pre, _, surface = s.rpartition("|")
            items.append((len(surface), surface, pre, ci, c["type"]))
    items.sort(key=lambda x: -x[0])
    taken: list[tuple[int, int]] = []
    out = []
    for _, surface, pre, ci, typ in items:
        pats = [rf"(?<!\w){re.escape(pre)}(?P<m>{re.escape(surface)})(?!\w)" if pre else
                rf"(?<!\w){_PREFIX}(?P<m>{re.escape(surface)})(?!\w)"]
        if surface.startswith("ال") and not pre:
            pats.append(rf"(?<!\w)[وف]?لل(?P<m>{re.escape(surface[2:])})(?!\w)")
        for pat in pats:
            for m in re.finditer(pat, text):
                s, e = m.span("m")
                if any(s < te and ts < e for ts, te in taken):
                    continue
                taken.append((s, e))
                if typ != "SKIP":
                    out.append({"start": s, "end": e, "text": text[s:e], "type": typ, "cluster": ci})
    out.sort(key=lambda m: m["start"])
    return out


def main(argv: list[str]) -> int:
    spec = json.loads((GOLD / "spec.json").read_text(encoding="utf-8"))
    data = default_data_dir()
    lines = []
    for art in spec["articles"]:
        doc = next(d for d in read([str(data / art["file"])]) if not isinstance(d, Exception)
                   and d.provenance.record == art.get("record", d.provenance.record))
        mentions = locate(doc.text, art["clusters"])
        found = {m["cluster"] for m in mentions}
        missing = [c["surfaces"][0] for i, c in enumerate(art["clusters"]) if c["type"] != "SKIP" and i not in found]
        if missing:
            print(f"{art['file']}: surfaces not found: {missing}", file=sys.stderr)
            return 1
        rec = {"file": art["file"], "record": art.get("record"), "sha256": doc.sha256, "mentions": mentions}
        lines.append(json.dumps({k: v for k, v in rec.items() if v is not None}, ensure_ascii=False))
    out = GOLD / "coref.jsonl"
    text = "\n".join(lines) + "\n"
    if "--check" in argv:
        return 0 if out.read_text(encoding="utf-8") == text else 1
    out.write_text(text, encoding="utf-8")
    print(f"{len(lines)} articles, {sum(len(json.loads(x)['mentions']) for x in lines)} mentions -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
