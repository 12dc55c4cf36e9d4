"""The shipped taggers, loaded lazily: a python-crfsuite CRF (fast mode), or a CRF averaged with an ONNX network."""

from __future__ import annotations

import gzip
import json
import threading
from pathlib import Path

import numpy as np
import pycrfsuite

from marsad.errors import ModelError
from marsad.nlp.ner import gazetteer, neural
from marsad.nlp.ner.features import Featurizer, Resources
from marsad.nlp.ner.modes import MODES, mode_from_env
from marsad.nlp.ner.neural import NeuralTagger

RESOURCE_DIR = Path(__file__).resolve().parents[2] / "resources" / "ner"
MODEL_FILE = "ner.crfsuite"
#: The accurate mode's CRF: trained on gold only (no teacher silver); chosen on two folds of train (see train.py).
ACCURATE_CRF_FILE = "ner_gold.crfsuite"
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
                 gaz: dict[str, list[str]] | None = None, model_path: Path | None = None,
                 neural_folder: Path | None = None, mix: float | None = None) -> None:
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
        # The network (accurate mode) and the CRF's weight in the average of their tag probabilities.
        self.neural: NeuralTagger | None = None
        if neural_folder is not None:
            if not neural.present(neural_folder):
                raise ModelError(f"NER network not found in {neural_folder} (run `marsad train ner`)")
            self.neural = NeuralTagger(neural_folder, self.features)
            self._column = {t: k for k, t in enumerate(self.neural.vocab.tags)}
        self.mix = mix if mix is not None else float(self.meta.get("mix", 0.5))
        self.labels = list(self._tagger.labels())

    def tag(self, words: list[str], *, marginals: bool = True) -> tuple[list[str], list[float]]:
        """BIO tags for a sentence of words, and the marginal probability of each predicted tag."""
        return self.tag_document([words], marginals=marginals)[0]

    def tag_document(self, sentences: list[list[str]], *,
                     marginals: bool = True) -> list[tuple[list[str], list[float]]]:
        """``tag`` for each sentence of a document (the network runs on the document's sentences at once)."""
        if self.neural is None or self.mix >= 1.0:
            return [self._crf(words, marginals) for words in sentences]
        nonempty = [words for words in sentences if words]
        probs = iter(self.neural.probs_many(nonempty))
        return [self._average(words, next(probs)) if words else ([], []) for words in sentences]

    def _crf(self, words: list[str], marginals: bool) -> tuple[list[str], list[float]]:
        if not words:
            return [], []
        xseq = self.features.sentence(words)
        with self._lock:
            tags = self._tagger.tag(xseq)
            probs = [self._tagger.marginal(t, i) for i, t in enumerate(tags)] if marginals else [1.0] * len(tags)
        return list(tags), probs

    def _average(self, words: list[str], pn: np.ndarray) -> tuple[list[str], list[float]]:
        """The CRF's marginals averaged with the network's probabilities ``pn``, decoded under BIO."""
        assert self.neural is not None
        order = self.neural.vocab.tags
        n = len(words)
        xseq = self.features.sentence(words)
        with self._lock:
            crf_tags = self._tagger.tag(xseq)  # also sets the sequence the marginals below are read from
            marg = self._tagger.marginal
            # Shortcut, exact: where the CRF's path is its per-word best (marginal >= 0.5), agrees with the
            # network's per-word best and is valid BIO, it is also the best of their average (most sentences).
            column = self._column
            nn_best = pn.argmax(1).tolist()
            if all(column.get(t) == k for t, k in zip(crf_tags, nn_best)) and _valid_bio(crf_tags):
                m = [marg(t, i) for i, t in enumerate(crf_tags)]
                if min(m) >= 0.5:
                    w = 1.0 - self.mix
                    return list(crf_tags), [self.mix * m[i] + w * float(pn[i, k]) for i, k in enumerate(nn_best)]
            cols = [k for k, t in enumerate(order) if t in self.labels]
            crf = [[marg(order[k], i) for k in cols] for i in range(n)]
        p = (1.0 - self.mix) * pn
        p[:, cols] += self.mix * np.array(crf)
        best = neural.viterbi(np.log(p + 1e-9), order)
        return [order[k] for k in best], [float(p[i, k]) for i, k in enumerate(best)]


def _valid_bio(tags: list[str]) -> bool:
    prev = "O"
    for t in tags:
        if t.startswith("I-") and prev[2:] != t[2:]:
            return False
        prev = t
    return True


_TAGGERS: dict[str, Tagger] = {}
_LOAD_LOCK = threading.Lock()


def shipped(mode: str | None = None) -> Tagger:
    """The shipped tagger for a mode (default: from the environment), loaded on first use."""
    mode = mode or mode_from_env()
    if mode not in MODES:
        raise ModelError(f"unknown NER mode {mode!r} (use one of: {', '.join(MODES)})")
    tagger = _TAGGERS.get(mode)
    if tagger is None:
        with _LOAD_LOCK:
            tagger = _TAGGERS.get(mode)
            if tagger is None:
                fast = _TAGGERS.get("fast")
                if mode == "fast":
                    tagger = Tagger()
                else:  # its own CRF, averaged with the network; resources shared with a loaded fast tagger
                    crf = RESOURCE_DIR / ACCURATE_CRF_FILE
                    if not crf.exists():
                        crf = RESOURCE_DIR / MODEL_FILE  # a build without the teacher has one CRF for both
                    tagger = Tagger(res=fast.res if fast else None, gaz=fast.gaz if fast else None,
                                    model_path=crf, neural_folder=RESOURCE_DIR)
                _TAGGERS[mode] = tagger
    return tagger


def reset() -> None:
    """Forget the loaded taggers (after retraining in the same process)."""
    _TAGGERS.clear()
