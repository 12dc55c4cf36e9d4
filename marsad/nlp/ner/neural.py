"""The accurate mode's network at run time: a BiLSTM over the CRF's word features and characters.

Trained with torch by ``neural_train.py`` and shipped as ONNX; here it runs with onnxruntime (no torch). Its
tag probabilities are averaged with a CRF's marginals and decoded once (``model.Tagger``): the two models see
the same evidence differently (the CRF through hand-made context features, the network through a learnt
sentence context), and on two folds of ANERcorp train the average beat either alone (docs/benchmarks.md).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from marsad.errors import ModelError
from marsad.nlp.ner.features import Featurizer
from marsad.text import fold

ONNX_FILE = "ner_nn.onnx"
VOCAB_FILE = "ner_nn_vocab.json.gz"
MAX_FEATS = 40  # feature ids per word (word features first; the rarest extras are cut)
MAX_CHARS = 16  # characters per word (longer words keep their first and last 8)
IDENTITY = ("w=", "s=")  # the word's own identity: dropped at random in training so names generalise
CACHE_MAX = 50_000  # words whose ids are kept (as the featuriser's cache)


@dataclass(slots=True)
class Vocab:
    """Feature, character and word-vector ids, and the tag order of the network's output."""

    features: dict[str, int]
    chars: dict[str, int]
    words: dict[str, int]
    tags: list[str]

    def save(self, path: Path) -> None:
        data = {"features": self.features, "chars": self.chars, "words": self.words, "tags": self.tags}
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as fh:
            fh.write(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))

    @classmethod
    def load(cls, path: Path) -> Vocab:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            d = json.load(fh)
        return cls(d["features"], d["chars"], d["words"], d["tags"])


class Encoder:
    """Network inputs of sentences; each distinct word's ids are computed once (bounded cache)."""

    def __init__(self, feat: Featurizer, vocab: Vocab) -> None:
        self.feat = feat
        self.vocab = vocab
        self._cache: dict[str, tuple[list[int], list[int], int, str]] = {}

    def _word(self, word: str) -> tuple[list[int], list[int], int, str]:
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        fv = self.vocab.features
        flist, _, stem = self.feat._word(word)
        # Slots 0 and 1 hold the identity features (0 when unseen), so training can drop them by position.
        ident = dict.fromkeys(IDENTITY, 0)
        rest: list[int] = []
        for f in flist:
            j = fv.get(f, 0)
            if f[:2] in ident:
                ident[f[:2]] = j
            elif j:
                rest.append(j)
        low = fold(word).lower()
        if len(low) > MAX_CHARS:
            low = low[:MAX_CHARS // 2] + low[-(MAX_CHARS // 2):]
        chars = [self.vocab.chars.get(ch, 0) for ch in low]
        wid = self.vocab.words.get(stem, 0) or self.vocab.words.get(low, 0)
        hit = ([*ident.values(), *rest], chars, wid, stem)
        if len(self._cache) >= CACHE_MAX:
            self._cache.clear()
        self._cache[word] = hit
        return hit

    def sentence(self, words: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Feature ids [n, MAX_FEATS], char ids [n, MAX_CHARS], word-vector ids [n] of one sentence."""
        n = len(words)
        fids = np.zeros((n, MAX_FEATS), np.int64)
        cids = np.zeros((n, MAX_CHARS), np.int64)
        wids = np.zeros((n,), np.int64)
        info = [self._word(w) for w in words]
        fv = self.vocab.features
        for i, extra in enumerate(self.feat.phrase_features([x[3] for x in info])):
            ids, chars, wid, _ = info[i]
            if extra:
                ids = ids + [j for j in (fv.get(f, 0) for f in extra) if j]
            ids = ids[:MAX_FEATS]
            fids[i, :len(ids)] = ids
            cids[i, :len(chars)] = chars
            wids[i] = wid
        return fids, cids, wids


def viterbi(logp: np.ndarray, tags: list[str]) -> list[int]:
    """Best tag indices under the BIO constraint (I-X only after B-X or I-X), no other transition scores.

    With only that constraint the best predecessor of O and of every B-X is the best state overall, and of
    I-X the better of B-X and I-X, so each step is a few list operations (numpy per step was slower).
    """
    m = len(tags)
    inside = [t.startswith("I-") for t in tags]
    begin_of = [tags.index("B-" + t[2:]) if inside[k] and "B-" + t[2:] in tags else -1 for k, t in enumerate(tags)]
    rows = logp.tolist()
    score = [(-1e9 if inside[k] else 0.0) + rows[0][k] for k in range(m)]
    back: list[list[int]] = []
    for row in rows[1:]:
        best = max(range(m), key=score.__getitem__)
        top = score[best]
        prev = [best] * m
        new = [top + row[k] for k in range(m)]
        for k in range(m):
            if inside[k]:
                b = begin_of[k]
                p = b if b >= 0 and score[b] >= score[k] else k
                prev[k] = p
                new[k] = score[p] + row[k]
        back.append(prev)
        score = new
    path = [max(range(m), key=score.__getitem__)]
    for prev in reversed(back):
        path.append(prev[path[-1]])
    path.reverse()
    return path


class NeuralTagger:
    """Tag probabilities of a sentence from the shipped ONNX network."""

    def __init__(self, folder: Path, feat: Featurizer) -> None:
        try:
            import onnxruntime as ort
        except ImportError as exc:  # a declared dependency; only a broken install lacks it
            raise ModelError(f"onnxruntime is needed for the NER network ({exc})") from exc
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1  # one sentence at a time: threads cost more than they give
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(folder / ONNX_FILE), opts, providers=["CPUExecutionProvider"])
        self.vocab = Vocab.load(folder / VOCAB_FILE)
        self._inputs = [i.name for i in self.session.get_inputs()]  # a network without word vectors has 2
        self.encoder = Encoder(feat, self.vocab)

    def probs(self, words: list[str]) -> np.ndarray:
        """[len(words), len(tags)] probabilities in ``vocab.tags`` order."""
        f, c, w = self.encoder.sentence(words)
        feed = {"feats": f[None], "chars": c[None], "words": w[None]}
        (logits,) = self.session.run(None, {k: feed[k] for k in self._inputs})  # thread-safe
        x = logits[0] - logits[0].max(1, keepdims=True)
        e = np.exp(x)
        return e / e.sum(1, keepdims=True)


def present(folder: Path) -> bool:
    return (folder / ONNX_FILE).exists() and (folder / VOCAB_FILE).exists()
