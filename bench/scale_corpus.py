"""The scale benchmark's corpus: every real article in ``$MARSAD_DATA/news`` (ANT v1.1 + MArSum, exact
duplicates dropped), then EDITED replicas up to the wanted size, written as JSONL shards that ``marsad
ingest`` and ``marsad spark-ingest`` read (``{"id", "title", "text", "date", "url", "category", "site"}``).

A replica's text really differs from its original, so each of the N documents goes through the whole
pipeline as a distinct content: sentences shuffled within paragraphs, a paragraph dropped or two swapped,
one or two sentences of another article of the same category spliced in, numbers changed (digits kept in
their script), the date moved. Seeded by (replica round, article index): the same command writes the same
bytes. No two documents have the same (title, text) content hash (checked while writing).

    nice -n 10 .venv/bin/python bench/scale_corpus.py --n 100000 --out /tmp/scale100k/corpus

The first ``k`` shards are the corpus of size ``k × shard`` (real articles first, round-robin over the
categories), so 1k and 10k runs use ``--n``'s prefix: ``corpus/shard-0000[0-3].jsonl`` is the first 1,000.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from marsad.model import content_sha256

DATA = Path(os.environ.get("MARSAD_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
_SENT = re.compile(r"(?<=[.!?؟])\s+")
_NUM = re.compile(r"[0-9]+|[٠-٩]+")
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@dataclass(slots=True)
class Article:
    """One real article as the corpus records it."""

    id: str
    title: str | None
    text: str
    date: str | None
    url: str | None
    category: str
    site: str | None

    def record(self) -> dict[str, str | None]:
        return {"id": self.id, "title": self.title, "text": self.text, "date": self.date, "url": self.url,
                "category": self.category, "site": self.site}


def real_articles() -> list[Article]:
    """All real articles, distinct contents only, round-robin over the categories (ANT's 9 + MArSum)."""
    from marsad.ingest import read

    groups: dict[str, list[Article]] = {}
    seen: set[str] = set()
    news = DATA / "news"
    inputs = [str(news / "ant_jawharafm"), *map(str, sorted((news / "marsum_goud").glob("*.txt")))]
    for doc in read(inputs):
        if isinstance(doc, Exception) or not doc.text.strip():
            continue
        sha = content_sha256(doc.text, doc.title)
        if sha in seen:
            continue
        seen.add(sha)
        cat = doc.category or "marsum"
        ident = doc.provenance.record or os.path.basename(doc.provenance.source)
        if cat == "marsum":
            ident = f"marsum-{ident.replace(' ', '')}"
        groups.setdefault(cat, []).append(Article(ident, doc.title, doc.text, doc.published, doc.url, cat,
                                                  doc.site or ("Goud.ma" if cat == "marsum" else None)))
    lists = [groups[c] for c in sorted(groups)]
    out: list[Article] = []
    for i in range(max(map(len, lists))):
        out += [g[i] for g in lists if i < len(g)]
    return out


def _sentences(paragraph: str) -> list[str]:
    return [s for s in _SENT.split(paragraph.strip()) if s]


def _bump(match: re.Match[str], rng: random.Random) -> str:
    digits = match.group()
    arabic = not digits.isascii()
    value = int(digits.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")))
    new = str(value + rng.randint(1, 9) if rng.random() < 0.5 else max(0, value - rng.randint(1, 9)))
    return new.translate(_ARABIC_DIGITS) if arabic else new


def _numbers(text: str, rng: random.Random) -> str:
    return _NUM.sub(lambda m: _bump(m, rng) if rng.random() < 0.5 else m.group(), text)


def edit(art: Article, round_: int, index: int, pool: list[Article], extra: int = 0) -> Article:
    """Replica ``round_`` of article ``index``: an edited copy whose text differs from the original's."""
    rng = random.Random(f"{round_}:{index}:{extra}")
    paras = [_sentences(p) for p in art.text.split("\n") if p.strip()] or [[art.text]]
    for sents in paras:  # sentence order shuffled within each paragraph
        if len(sents) > 1 and rng.random() < 0.7:
            rng.shuffle(sents)
    if len(paras) > 2 and rng.random() < 0.4:
        del paras[rng.randrange(len(paras))]
    elif len(paras) > 1 and rng.random() < 0.6:
        i, j = rng.sample(range(len(paras)), 2)
        paras[i], paras[j] = paras[j], paras[i]
    for _ in range(1 + extra + (rng.random() < 0.5)):  # spliced sentences from the same category
        donor = _sentences(rng.choice(pool).text.split("\n")[0]) or [pool[0].text[:200]]
        spliced = rng.choice(donor)
        if rng.random() < 0.3:
            paras.insert(rng.randint(0, len(paras)), [spliced])
        else:
            target = paras[rng.randrange(len(paras))]
            target.insert(rng.randint(0, len(target)), spliced)
    text = _numbers("\n".join(" ".join(s) for s in paras), rng)
    title = _numbers(art.title, rng) if art.title else art.title
    date = art.date
    if date:
        try:
            date = (datetime.fromisoformat(date) + timedelta(days=rng.randint(-400, 400))).isoformat()
        except ValueError:
            pass
    url = f"{art.url}#r{round_}" if art.url else None
    return Article(f"{art.id}~r{round_}", title, text, date, url, art.category, art.site)


def build(n: int, out: Path, shard: int) -> dict[str, int]:
    """Write ``n`` distinct articles as ``out/shard-NNNNN.jsonl`` of ``shard`` records; counts."""
    real = real_articles()
    by_cat: dict[str, list[Article]] = {}
    for a in real:
        by_cat.setdefault(a.category, []).append(a)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("shard-*.jsonl"):
        old.unlink()
    seen = {content_sha256(a.text, a.title) for a in real}
    counts = {"real": min(n, len(real)), "edited": 0, "retries": 0, "shards": 0}
    fh = None
    for i in range(n):
        if i % shard == 0:
            if fh:
                fh.close()
            fh = open(out / f"shard-{i // shard:05d}.jsonl", "w", encoding="utf-8")  # noqa: SIM115 - one per shard
            counts["shards"] += 1
        round_, index = divmod(i, len(real))
        art = real[index]
        if round_:
            extra = 0
            while True:
                new = edit(art, round_, index, by_cat[art.category], extra)
                sha = content_sha256(new.text, new.title)
                if sha not in seen:
                    break
                extra += 1
                counts["retries"] += 1
            seen.add(sha)
            art = new
            counts["edited"] += 1
        assert fh is not None
        fh.write(json.dumps(art.record(), ensure_ascii=False) + "\n")
    if fh:
        fh.close()
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--out", type=Path, default=Path("/tmp/scale100k/corpus"))
    ap.add_argument("--shard", type=int, default=250, help="records per JSONL file (a Spark unit)")
    args = ap.parse_args()
    print(json.dumps(build(args.n, args.out, args.shard)))


if __name__ == "__main__":
    main()
