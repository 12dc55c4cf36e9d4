"""The accurate mode's network at run time: a BiLSTM over the CRF's word features and characters.

Trained with torch by ``neural_train.py`` and shipped as ONNX; here it runs with onnxruntime (no torch). Its
tag probabilities are averaged with a CRF's marginals and decoded once (``model.Tagger``): the two models see
the same evidence differently (the CRF through hand-made context features, the network through a learnt
sentence context), and on two folds of ANERcorp train the average beat either alone (docs/benchmarks.md).
"""

from __future__ import annotations

import gzip
import json
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from marsad.errors import ModelError
from marsad.nlp.ner.features import Featurizer
from marsad.text import fold

ONNX_FILE = "ner_nn.onnx"  # the sentence part: BiLSTM and output layer over the word part's vectors
WORDS_FILE = "ner_nn_words.onnx"  # the word part: a word's feature embeddings summed, and a character CNN
VOCAB_FILE = "ner_nn_vocab.json.gz"
FILES = (ONNX_FILE, WORDS_FILE, VOCAB_FILE)
MAX_FEATS = 40  # feature ids per word (word features first; the rarest extras are cut)
MAX_CHARS = 16  # characters per word (longer words keep their first and last 8)
IDENTITY = ("w=", "s=")  # the word's own identity: dropped at random in training so names generalise
CACHE_MAX = 50_000  # words whose ids are kept (as the featuriser's cache)
ROWS_MAX = 50_000  # word-part outputs kept (0.7 KB each)


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
    """Network input ids of sentences; each distinct word's ids are computed once (bounded cache)."""

    def __init__(self, feat: Featurizer, vocab: Vocab) -> None:
        self.feat = feat
        self.vocab = vocab
        self._cache: dict[str, tuple[list[int], list[int], int, str]] = {}

    def _word(self, word: str) -> tuple[list[int], list[int], int, str]:
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        get = self.vocab.features.get
        flist, _, stem = self.feat._word(word)
        # Slots 0 and 1 hold the identity features w= and s= (0 when unseen), so training can drop them by
        # position; the other known features follow in the featuriser's order.
        assert flist[1].startswith(IDENTITY[0]) and flist[2].startswith(IDENTITY[1])
        ids = [get(flist[1], 0), get(flist[2], 0), *[j for j in map(get, flist[:1] + flist[3:]) if j]]
        low = fold(word).lower()
        if len(low) > MAX_CHARS:
            low = low[:MAX_CHARS // 2] + low[-(MAX_CHARS // 2):]
        chars = [self.vocab.chars.get(ch, 0) for ch in low]
        wid = self.vocab.words.get(stem, 0) or self.vocab.words.get(low, 0)
        hit = (ids[:MAX_FEATS], chars, wid, stem)
        if len(self._cache) >= CACHE_MAX:
            self._cache.clear()
        self._cache[word] = hit
        return hit

    def positions(self, words: list[str]) -> list[tuple[object, list[int], list[int], int]]:
        """Per word: a key naming its input (the word, or the word with its gazetteer-phrase features), its
        feature ids (at most MAX_FEATS), character ids and word-vector id."""
        info = [self._word(w) for w in words]
        fv = self.vocab.features
        out: list[tuple[object, list[int], list[int], int]] = []
        for w, (ids, chars, wid, _), extra in zip(words, info, self.feat.phrase_features([x[3] for x in info])):
            key: object = w
            if extra:
                more = [j for j in (fv.get(f, 0) for f in extra) if j]
                if more and len(ids) < MAX_FEATS:
                    ids = (ids + more)[:MAX_FEATS]
                    key = (w, tuple(ids))
            out.append((key, ids, chars, wid))
        return out

    def sentence(self, words: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Feature ids [n, MAX_FEATS], char ids [n, MAX_CHARS], word-vector ids [n] of one sentence."""
        return _arrays(self.positions(words))


def _arrays(pos: list[tuple[object, list[int], list[int], int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(pos)
    fids = np.zeros((n, MAX_FEATS), np.int64)
    cids = np.zeros((n, MAX_CHARS), np.int64)
    wids = np.zeros((n,), np.int64)
    for i, (_, ids, chars, wid) in enumerate(pos):
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
    """Tag probabilities of sentences from the shipped network, in two ONNX parts.

    The word part (embeddings of a word's features summed, a character CNN) depends on the word alone, so it
    runs once per distinct input in a batch and its output rows are kept (bounded). The sentence part (the
    BiLSTM and the output layer) runs on a document's sentences at once, batched by length; the LSTM's
    ``sequence_lens`` keeps padding out of both directions.
    """

    def __init__(self, folder: Path, feat: Featurizer) -> None:
        try:
            import onnxruntime as ort
        except ImportError as exc:  # a declared dependency; only a broken install lacks it
            raise ModelError(f"onnxruntime is needed for the NER network ({exc})") from exc
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1  # small batches: threads cost more than they give
        opts.inter_op_num_threads = 1
        self.words = ort.InferenceSession(str(folder / WORDS_FILE), opts, providers=["CPUExecutionProvider"])
        self.session = ort.InferenceSession(str(folder / ONNX_FILE), opts, providers=["CPUExecutionProvider"])
        self.vocab = Vocab.load(folder / VOCAB_FILE)
        self._inputs = [i.name for i in self.words.get_inputs()]  # a network without word vectors has 2
        self.dim = int(self.session.get_inputs()[0].shape[2])
        self.encoder = Encoder(feat, self.vocab)
        self._rows: dict[object, int] = {}
        self._table = np.zeros((1024, self.dim), np.float32)
        self._lock = threading.Lock()  # the row cache is shared by threads

    def _vectors(self, sentences: list[list[str]]) -> list[np.ndarray]:
        """Each sentence's word-part outputs [n, dim]; new inputs are computed in one batch."""
        pos = [self.encoder.positions(words) for words in sentences]
        with self._lock:
            rows = self._rows
            new = {p[0]: p for ps in pos for p in ps if p[0] not in rows}
            if new:
                if len(rows) + len(new) > ROWS_MAX:  # bounded: start again with this batch's inputs
                    rows.clear()
                    new = {p[0]: p for ps in pos for p in ps}
                need = len(rows) + len(new)
                if need > len(self._table):
                    grown = np.zeros((max(need, 2 * len(self._table)), self.dim), np.float32)
                    grown[:len(rows)] = self._table[:len(rows)]
                    self._table = grown
                f, c, w = _arrays(list(new.values()))
                feed = {"feats": f[None], "chars": c[None], "words": w[None]}
                (x,) = self.words.run(None, {k: feed[k] for k in self._inputs})
                self._table[len(rows):need] = x[0]
                for k, key in enumerate(new, len(rows)):
                    rows[key] = k
            table = self._table
            return [table[[rows[p[0]] for p in ps]] for ps in pos]

    def probs_many(self, sentences: list[list[str]], batch: int = 8) -> list[np.ndarray]:
        """[len(words), len(tags)] probabilities in ``vocab.tags`` order, for each sentence."""
        xs = self._vectors(sentences)
        out: list[np.ndarray] = [np.zeros((0, len(self.vocab.tags)), np.float32)] * len(xs)
        order = sorted((j for j in range(len(xs)) if len(xs[j])), key=lambda j: len(xs[j]))
        for g in range(0, len(order), batch):  # similar lengths together: little padding
            group = order[g:g + batch]
            lens = np.array([len(xs[j]) for j in group], np.int32)
            x = np.zeros((int(lens.max()), len(group), self.dim), np.float32)
            for k, j in enumerate(group):
                x[:lens[k], k] = xs[j]
            (logits,) = self.session.run(None, {"x": x, "lens": lens})  # thread-safe
            e = np.exp(logits - logits.max(2, keepdims=True))
            p = e / e.sum(2, keepdims=True)
            for k, j in enumerate(group):
                out[j] = p[:lens[k], k]
        return out

    def probs(self, words: list[str]) -> np.ndarray:
        """[len(words), len(tags)] probabilities of one sentence."""
        return self.probs_many([words])[0]


def present(folder: Path) -> bool:
    return all((folder / name).exists() for name in FILES)
