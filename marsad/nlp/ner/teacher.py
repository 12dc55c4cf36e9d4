"""Train-time teacher: encoder states -> logistic regression -> a CRF stacked on its tag probabilities.

The teacher is too slow for run time (it needs the e5 encoder, ``encoder.py``), so it only labels a
sample of the raw news/Wikipedia text; the shipped fast CRF then learns from ANERcorp plus that silver
data (``train.py``), which is how it meets names never seen in ANERcorp.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path

from marsad.nlp.ner.corpora import Sentence
from marsad.nlp.ner.features import Featurizer, Resources

Progress = Callable[[str], None]


def cache_dir() -> Path:
    """Where encoder states are cached between training runs (never shipped)."""
    p = Path(os.environ.get("MARSAD_CACHE", Path(tempfile.gettempdir()) / "marsad-cache"))
    p.mkdir(parents=True, exist_ok=True)
    return p


def states_for(sentences: list[list[str]], progress: Progress, tag: str):  # -> np.ndarray float16
    """Encoder states of every word (cached on disk by a hash of the words)."""
    import numpy as np

    from marsad.nlp.ner import encoder

    h = hashlib.sha256()
    for s in sentences:
        h.update("\x1f".join(s).encode("utf-8") + b"\x1e")
    path = cache_dir() / f"e5L{encoder.LAYER}-{tag}-{h.hexdigest()[:16]}.npy"
    if path.exists():
        return np.load(path)
    progress(f"encoder states for {sum(map(len, sentences))} words ({tag}); cached in {path}")
    x = encoder.encode_in_batches(encoder.WordEncoder(), sentences, progress=progress)
    np.save(path, x)
    return x


def efeatures(probs, labels: list[str]) -> list[list[str]]:
    """Binned tag probabilities of each word and of its neighbours, as CRF features."""
    per: list[list[str]] = []
    for row in probs:
        f = [f"{lab}={1 if p < 0.3 else 2 if p < 0.7 else 3}" for lab, p in zip(labels, row)
             if lab != "O" and p >= 0.05]
        per.append(f)
    out: list[list[str]] = []
    n = len(per)
    for i in range(n):
        g = ["e0" + x for x in per[i]]
        g.append("e0max=" + labels[int(probs[i].argmax())])
        if i > 0:
            g += ["e-" + x for x in per[i - 1]]
        if i + 1 < n:
            g += ["e+" + x for x in per[i + 1]]
        out.append(g)
    return out


class StackedFeaturizer(Featurizer):
    """The base features plus the encoder-LR tag probabilities of sentences it has them for."""

    def __init__(self, res: Resources, labels: list[str]) -> None:
        super().__init__(res)
        self.labels = labels
        self.table: dict[tuple[str, ...], list[list[str]]] = {}

    def add(self, sentences: list[list[str]], probs) -> None:  # probs: (n_words, n_labels), sentences flattened
        """Remember the probability features of each sentence (keyed by its words)."""
        k = 0
        for s in sentences:
            self.table[tuple(s)] = efeatures(probs[k:k + len(s)], self.labels)
            k += len(s)

    def sentence(self, words: list[str]) -> list[list[str]]:
        base = Featurizer.sentence(self, words)
        extra = self.table.get(tuple(words))
        if extra is not None:
            for f, g in zip(base, extra):
                f.extend(g)
        return base


class WordLR:
    """Logistic regression from a word's encoder state to its BIO tag."""

    def __init__(self, c: float = 0.1, max_iter: int = 300) -> None:
        self.c, self.max_iter = c, max_iter
        self.labels: list[str] = []
        self._model: object = None

    def fit(self, x, tags: list[str]) -> WordLR:
        import numpy as np
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        self.labels = sorted(set(tags))
        y = np.array([self.labels.index(t) for t in tags])
        self._model = make_pipeline(StandardScaler(),
                                    LogisticRegression(C=self.c, max_iter=self.max_iter)).fit(
            np.asarray(x, dtype=np.float32), y)
        return self

    def probs(self, x):  # -> np.ndarray (n, n_labels)
        import numpy as np

        return self._model.predict_proba(np.asarray(x, dtype=np.float32))  # type: ignore[attr-defined]


def crossfit(x, sents: list[Sentence], folds: int = 5, c: float = 0.1, progress: Progress = lambda s: None):
    """Out-of-fold LR tag probabilities for every word of ``sents`` (contiguous folds of sentences)."""
    import numpy as np

    tags = [t for s in sents for _, t in s]
    offs = np.cumsum([0] + [len(s) for s in sents])
    labels = sorted(set(tags))
    out = np.zeros((len(tags), len(labels)), dtype=np.float32)
    bounds = np.linspace(0, len(sents), folds + 1).astype(int)
    for k in range(folds):
        a, b = offs[bounds[k]], offs[bounds[k + 1]]
        keep = np.ones(len(tags), dtype=bool)
        keep[a:b] = False
        lr = WordLR(c).fit(x[keep], [t for t, m in zip(tags, keep) if m])
        p = lr.probs(x[a:b])
        for j, lab in enumerate(lr.labels):  # a fold may lack a rare label
            out[a:b, labels.index(lab)] = p[:, j]
        progress(f"teacher LR fold {k + 1}/{folds}")
    return out, labels


def save(obj: object, path: Path) -> None:
    with open(path, "wb") as fh:
        pickle.dump(obj, fh)


def raw_sentences(root: Path, words: int, *, news_share: float = 0.65) -> list[list[str]]:
    """A fixed sample of raw sentences (word lists, as the pipeline tokenises them): every 7th news article,
    then every 9th Wikipedia article, until ``words`` words; mostly-Arabic sentences of 6-70 tokens."""
    from marsad.nlp.ner.rawtext import iter_news_texts, iter_wiki_texts
    from marsad.text.sentences import split_sentences
    from marsad.text.tokenize import tokenize

    out: list[list[str]] = []

    def take(texts, every: int, budget: int) -> int:
        n = 0
        for i, text in enumerate(texts):
            if i % every:
                continue
            for s, e in split_sentences(text):
                ws = [text[t.start:t.end] for t in tokenize(text, s, e)]
                arabic = sum(1 for w in ws if "\u0621" <= w[:1] <= "\u064a")
                if 6 <= len(ws) <= 70 and arabic >= 0.7 * len(ws):
                    out.append(ws)
                    n += len(ws)
            if n >= budget:
                break
        return n

    got = take(iter_news_texts(root), 7, int(words * news_share))
    take(iter_wiki_texts(root), 9, words - got)
    return out


def silver(gold: list[Sentence], x_gold, raw: list[list[str]], x_raw, res: Resources,
           fit: Callable[[list[Sentence], Featurizer, Path], None], workdir: Path, *,
           threshold: float = 0.6, progress: Progress = lambda s: None) -> list[Sentence]:
    """Teacher-labelled raw sentences: a CRF stacked on cross-fitted encoder-LR probabilities is trained on
    ``gold`` and tags ``raw``; sentences whose least certain tag has a marginal below ``threshold`` are
    dropped (the student must not learn the teacher's doubts)."""
    import pycrfsuite

    probs, labels = crossfit(x_gold, gold, progress=progress)
    feat = StackedFeaturizer(res, labels)
    feat.add([[w for w, _ in s] for s in gold], probs)
    path = workdir / "teacher.crfsuite"
    progress(f"teacher CRF on {len(gold)} gold sentences")
    fit(gold, feat, path)
    lr = WordLR().fit(x_gold, [t for s in gold for _, t in s])
    assert lr.labels == labels
    feat = StackedFeaturizer(res, labels)
    feat.add(raw, lr.probs(x_raw))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    out: list[Sentence] = []
    for words in raw:
        tags = tagger.tag(feat.sentence(words))
        if min(tagger.marginal(t, i) for i, t in enumerate(tags)) >= threshold:
            out.append(list(zip(words, tags)))
    tagger.close()
    path.unlink()
    progress(f"silver: {len(out)} of {len(raw)} raw sentences kept ({sum(map(len, out))} words)")
    return out
