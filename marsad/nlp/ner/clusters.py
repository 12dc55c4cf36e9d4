"""Word clusters from the raw text: word2vec over clitic-split stems, then k-means at three granularities.

Only the word -> cluster-id map of the most frequent words ships (``clusters.tsv.gz``); it gives unseen
names a representation shared with names seen in training (the key to recall on new names).
"""

from __future__ import annotations

import gzip
import logging
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from marsad.nlp.ner.rawtext import iter_news_texts, iter_wiki_texts
from marsad.text import tokenize

log = logging.getLogger(__name__)

GRANULARITIES = (64, 512, 2048)


def _stable_hash(s: str) -> int:
    """gensim seeds each word vector with hash(); Python's str hash changes per process, crc32 does not."""
    return zlib.crc32(s.encode("utf-8"))


def stem_sentences(root: Path, wiki_limit: int | None = None) -> Iterator[tuple[list[str], bytes]]:
    """Each paragraph as lower-cased normalised stems (words only) and, per word, 1 if it had the article."""
    for texts in (iter_news_texts(root), iter_wiki_texts(root, limit=wiki_limit)):
        for text in texts:
            for para in text.split("\n"):
                toks = [t for t in tokenize(para) if t.is_word]
                if len(toks) > 2:
                    yield [t.stem.lower() for t in toks], bytes(t.prefix.endswith("ال") for t in toks)


def train_vectors(corpus: list[list[str]], *, seed: int = 13, dim: int = 100, epochs: int = 4,
                  min_count: int = 5):  # -> gensim KeyedVectors
    """word2vec (CBOW, one worker: deterministic) over stem sentences."""
    from gensim.models import Word2Vec

    w2v = Word2Vec(vector_size=dim, window=5, min_count=min_count, workers=1, seed=seed, sg=0,
                   negative=5, sample=1e-4, epochs=epochs, hashfxn=_stable_hash)
    w2v.build_vocab(corpus)
    w2v.train(corpus, total_examples=len(corpus), epochs=epochs)
    return w2v.wv


def vectors_path(seed: int) -> Path:
    from marsad.nlp.ner.teacher import cache_dir

    return cache_dir() / f"w2v-stems-{seed}.kv"


def word_vectors(root: Path, seed: int = 13, progress: Callable[[str], None] = lambda s: None):
    """The raw-text word vectors of ``build`` (from the cache, else retrained: about 2 minutes)."""
    from gensim.models import KeyedVectors

    path = vectors_path(seed)
    if path.exists():
        return KeyedVectors.load(str(path))
    progress("tokenising raw text for word vectors")
    wv = train_vectors([stems for stems, _ in stem_sentences(root)], seed=seed)
    wv.save(str(path))
    return wv


def build(root: Path, out: Path, *, seed: int = 13, dim: int = 100, epochs: int = 4, min_count: int = 5,
          top: int = 200_000, wiki_limit: int | None = None, progress: Callable[[str], None] = lambda s: None,
          profiles_out: Path | None = None) -> list[str]:
    """Train word2vec (one worker: deterministic), cluster the vectors, write the map; returns its words.

    With ``profiles_out``, also writes the trigger-context profiles of the same words (one tokenising pass).
    """
    import numpy as np
    from sklearn.cluster import MiniBatchKMeans

    progress("tokenising raw text for clusters")
    corpus: list[list[str]] = []
    flags: list[bytes] = []
    for stems, arts in stem_sentences(root, wiki_limit):
        corpus.append(stems)
        flags.append(arts)
    progress(f"word2vec over {sum(map(len, corpus))} stems")
    wv = train_vectors(corpus, seed=seed, dim=dim, epochs=epochs, min_count=min_count)
    wv.save(str(vectors_path(seed)))  # the network's word vectors (train time only; cached, not shipped)
    words = list(wv.index_to_key[:top])
    if profiles_out is not None:
        from marsad.nlp.ner import profiles

        progress("trigger-context profiles")
        profiles.build(([(w, bool(a)) for w, a in zip(c, f)] for c, f in zip(corpus, flags)), set(words),
                       profiles_out, min_count=min_count)
    del corpus, flags
    vecs = np.asarray(wv[words], dtype=np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-9
    ids = []
    for k in GRANULARITIES:
        progress(f"k-means with {k} clusters over {len(words)} words")
        km = MiniBatchKMeans(n_clusters=k, random_state=seed, batch_size=4096, n_init=1, max_iter=50)
        ids.append(km.fit_predict(vecs))
    with open(out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as fh:
        for i, w in enumerate(words):
            fh.write(("\t".join([w, *(str(int(c[i])) for c in ids)]) + "\n").encode("utf-8"))
    return words
