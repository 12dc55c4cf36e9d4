"""The word-frequency lexicon behind clitic splitting: build it from raw news and Wikipedia, load it lazily.

The shipped file ``marsad/resources/text/lexicon.tsv.gz`` holds one normalised Arabic word a line:
``word<TAB>count[<TAB>hamza]``, where ``hamza`` (only for words that start with ا) counts the occurrences
whose raw form started with أ إ or آ — so the splitter can tell ``الهام`` (article) from ``إلهام``, and
``المانيا`` (usually ألمانيا) from an article + stem. The first line is a ``#`` header with totals.
Rebuild with ``marsad train lexicon`` (deterministic: same data, same file).
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from marsad.errors import ModelError
from marsad.text.normalize import _BASE, DROP, fold

__all__ = ["LEXICON_PATH", "Lexicon", "build_lexicon", "default_data_dir", "lexicon", "write_lexicon"]

LEXICON_PATH = Path(__file__).resolve().parent.parent / "resources" / "text" / "lexicon.tsv.gz"
_HAMZA_ALEF = "أإآ"
# The same folding as normalize.fold, but hamza-alefs are kept, so position i still aligns with fold().
_TABLE_KEEP_HAMZA = str.maketrans({**{k: v for k, v in _BASE.items() if k not in _HAMZA_ALEF},
                                   **{c: None for c in DROP}})


def fold_keep_hamza(word: str) -> str:
    """``fold(word)`` except that أ إ آ stay distinct from ا (same length and alignment as ``fold``)."""
    return word.translate(_TABLE_KEEP_HAMZA)


@dataclass(slots=True)
class Lexicon:
    """Corpus counts of normalised words (ة kept), plus hamza-initial counts for words starting with ا."""

    counts: dict[str, int]
    hamza: dict[str, int]
    tokens: int  # running words in the corpus the counts came from

    def count(self, word: str) -> int:
        return self.counts.get(word, 0)

    def hamza_share(self, word: str) -> float:
        """Fraction of ``word``'s occurrences written with a hamza-alef first letter (0 when unseen)."""
        n = self.counts.get(word, 0)
        return self.hamza.get(word, 0) / n if n else 0.0


def default_data_dir() -> Path:
    """``$MARSAD_DATA`` or ``<repo>/../shared/data``."""
    env = os.environ.get("MARSAD_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "shared" / "data"


_ANT_FIELD_RE = re.compile(r"<(TITLE|TEXT)>(.*?)</\1>", re.DOTALL)


def iter_corpus_texts(data_dir: Path) -> Iterator[tuple[str, str]]:
    """(source name, text) for every raw text used to build the lexicon, in a fixed order."""
    ant = data_dir / "news" / "ant_jawharafm"
    for path in sorted(ant.rglob("*.txt")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        for m in _ANT_FIELD_RE.finditer(raw):
            yield "ant_jawharafm", m.group(2)
    for path in sorted((data_dir / "news" / "marsum_goud").glob("*.txt")):
        yield "marsum_goud", path.read_text(encoding="utf-8", errors="replace")
    for path in sorted((data_dir / "raw" / "arwiki").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                yield "arwiki", rec.get("title", "") + "\n" + rec.get("text", "")


def build_lexicon(texts: Iterable[str], *, min_count: int = 2, max_words: int = 250_000) -> Lexicon:
    """Count normalised Arabic words in ``texts``; keep the ``max_words`` most frequent with count >= min."""
    from marsad.text.tokenize import ARABIC_WORD_RE

    raw_counts: Counter[str] = Counter()
    for text in texts:
        raw_counts.update(ARABIC_WORD_RE.findall(text))
    counts: Counter[str] = Counter()
    hamza: Counter[str] = Counter()
    for raw, n in raw_counts.items():
        light = fold_keep_hamza(raw)
        word = fold(light)
        counts[word] += n
        if light[0] in _HAMZA_ALEF:
            hamza[word] += n
    total = sum(counts.values())
    # Ties broken by the word itself, so the file is byte-identical for the same data.
    kept = sorted(((w, c) for w, c in counts.items() if c >= min_count), key=lambda wc: (-wc[1], wc[0]))
    kept = kept[:max_words]
    return Lexicon(dict(kept), {w: hamza[w] for w, _ in kept if hamza.get(w)}, total)


def write_lexicon(lex: Lexicon, path: Path = LEXICON_PATH) -> Path:
    """Write ``lex`` as gzipped TSV (mtime 0, so rebuilding gives identical bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"# marsad lexicon v1\ttokens={lex.tokens}\twords={len(lex.counts)}"]
    for w, c in lex.counts.items():
        h = lex.hamza.get(w)
        lines.append(f"{w}\t{c}\t{h}" if h else f"{w}\t{c}")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    with open(path, "wb") as raw_fh, gzip.GzipFile(fileobj=raw_fh, mode="wb", mtime=0, filename="") as fh:
        fh.write(data)
    return path


def read_lexicon(path: Path) -> Lexicon:
    """Read a lexicon file written by :func:`write_lexicon`."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            header = fh.readline()
            body = fh.read()
    except OSError as exc:
        raise ModelError(f"cannot read lexicon {path}: {exc} (rebuild it with `marsad train lexicon`)") from exc
    if not header.startswith("# marsad lexicon v1"):
        raise ModelError(f"{path}: not a marsad lexicon file (rebuild it with `marsad train lexicon`)")
    tokens = int(header.split("tokens=")[1].split("\t")[0])
    counts: dict[str, int] = {}
    hamza: dict[str, int] = {}
    for line in body.splitlines():
        parts = line.split("\t")
        counts[parts[0]] = int(parts[1])
        if len(parts) > 2:
            hamza[parts[0]] = int(parts[2])
    return Lexicon(counts, hamza, tokens)


@cache
def lexicon() -> Lexicon:
    """The shipped lexicon, loaded once on first use."""
    return read_lexicon(LEXICON_PATH)
