"""The shipped tagger: a python-crfsuite CRF plus its resources, loaded once, lazily."""

from __future__ import annotations

import gzip
import json
import threading
from pathlib import Path

import pycrfsuite

from marsad.errors import ModelError
from marsad.nlp.ner import gazetteer
from marsad.nlp.ner.features import Featurizer, Resources

RESOURCE_DIR = Path(__file__).resolve().parents[2] / "resources" / "ner"
MODEL_FILE = "ner.crfsuite"
GAZETTEER_FILE = "gazetteer.json.gz"
CLUSTERS_FILE = "clusters.tsv.gz"
LEXICON_FILE = "lexicon.tsv.gz"
PROFILES_FILE = "profiles.tsv.gz"
META_FILE = "meta.json"


def load_resources(folder: Path) -> tuple[Resources, dict[str, list[str]]]:
    """Gazetteers, clusters and lexicon flags from a resource folder (missing optional files are skipped)."""
    res = Resources()
    gpath = folder / GAZETTEER_FILE
    gaz = gazetteer.load(gpath) if gpath.exists() else {}
    gazetteer.fill(res, gaz)
    cpath = folder / CLUSTERS_FILE
    if cpath.exists():
        with gzip.open(cpath, "rt", encoding="utf-8") as fh:
            for line in fh:
                word, _, rest = line.rstrip("\n").partition("\t")
                res.clusters[word] = tuple(rest.split("\t"))
    lpath = folder / LEXICON_FILE
    if lpath.exists():
        with gzip.open(lpath, "rt", encoding="utf-8") as fh:
            for line in fh:
                word, _, flag = line.rstrip("\n").partition("\t")
                res.lexicon[word] = flag
    ppath = folder / PROFILES_FILE
    if ppath.exists():
        with gzip.open(ppath, "rt", encoding="utf-8") as fh:
            for line in fh:
                word, bins, freq = line.rstrip("\n").split("\t")
                res.profiles[word] = (bins, freq)
    return res, gaz


class Tagger:
    """CRF tagger over words: ``tag(words) -> (tags, marginal of each chosen tag)``."""

    def __init__(self, folder: Path = RESOURCE_DIR, res: Resources | None = None,
                 gaz: dict[str, list[str]] | None = None, model_path: Path | None = None) -> None:
        path = model_path or folder / MODEL_FILE
        if not path.exists():
            raise ModelError(f"NER model not found: {path} (run `marsad train ner`)")
        if res is None:
            res, gaz = load_resources(folder)
        self.res = res
        self.gaz = gaz or {}
        self.features = Featurizer(res)
        # Words known to occur as such (for deciding whether a leading ب/ل/و is a clitic or part of a name).
        self.vocab: set[str] = set(res.clusters) | set(res.lexicon) | set(res.words)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))
        self._lock = threading.Lock()  # a crfsuite Tagger holds per-sequence state
        meta = folder / META_FILE
        self.meta = json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else {}

    def tag(self, words: list[str], *, marginals: bool = True) -> tuple[list[str], list[float]]:
        """BIO tags for a sentence of words, and the marginal probability of each predicted tag."""
        if not words:
            return [], []
        xseq = self.features.sentence(words)
        with self._lock:
            tags = self._tagger.tag(xseq)
            probs = [self._tagger.marginal(t, i) for i, t in enumerate(tags)] if marginals else [1.0] * len(tags)
        return list(tags), probs


_TAGGER: Tagger | None = None
_LOAD_LOCK = threading.Lock()


def shipped() -> Tagger:
    """The shipped tagger, loaded on first use."""
    global _TAGGER
    if _TAGGER is None:
        with _LOAD_LOCK:
            if _TAGGER is None:
                _TAGGER = Tagger()
    return _TAGGER


def reset() -> None:
    """Forget the loaded tagger (after retraining in the same process)."""
    global _TAGGER
    _TAGGER = None
