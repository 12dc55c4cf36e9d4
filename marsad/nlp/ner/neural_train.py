"""Training the NER network (torch, train time only) and exporting it to ONNX for ``neural.py``.

A BiLSTM over two views of each word: the sum of embeddings of the CRF's own word features (normalised
form, stem, affixes, shape, word clusters, gazetteer and lexicon flags, context profiles) and a character
CNN; optionally a third, a frozen word2vec vector of the raw news (``clusters.word_vectors``; off: it gave
nothing on two folds). The word's identity features are dropped at random while training so the network
learns to tag a name it has not seen from everything else.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from marsad.nlp.ner.corpora import Sentence
from marsad.nlp.ner.features import Featurizer
from marsad.nlp.ner.neural import IDENTITY, MAX_CHARS, MAX_FEATS, Encoder, Vocab
from marsad.text import fold

Progress = Callable[[str], None]
TAGS = ["O", "B-PERS", "I-PERS", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]


@dataclass(slots=True)
class NetSettings:
    """Network and training settings (chosen on train90/dev10 and a second fold of train)."""

    epochs: int = 16
    seed: int = 13
    feat_dim: int = 100
    char_dim: int = 32
    char_filters: int = 64
    hidden: int = 128
    dropout: float = 0.5
    identity_dropout: float = 0.25
    lr: float = 2e-3
    batch: int = 16
    min_count: int = 2  # features seen once in training stay unknown, as they will be for new words
    vectors: bool = False  # word2vec input (clusters.word_vectors): no gain on two folds, +10 MB, slower
    max_words: int = 50_000  # most frequent word vectors shipped (float16), when ``vectors``


def build_vocab(sents: list[Sentence], feat: Featurizer, vectors, st: NetSettings) -> Vocab:
    """Ids for features and characters seen in training, and for the shipped word vectors."""
    fc: Counter[str] = Counter()
    cc: Counter[str] = Counter()
    for s in sents:
        tokens = [w for w, _ in s]
        flists, _ = feat.word_features(tokens)
        for f in flists:
            fc.update(f)
        for w in tokens:
            cc.update(fold(w).lower())
    features = {f: i + 1 for i, f in enumerate(sorted(k for k, v in fc.items() if v >= st.min_count))}
    chars = {c: i + 1 for i, c in enumerate(sorted(k for k, v in cc.items() if v >= 2))}
    words = {w: i + 1 for i, w in enumerate(vectors.index_to_key[:st.max_words])} if vectors is not None else {}
    return Vocab(features, chars, words, list(TAGS))


def _net(vocab: Vocab, st: NetSettings, vectors):
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.femb = nn.Embedding(len(vocab.features) + 1, st.feat_dim, padding_idx=0)
            self.cemb = nn.Embedding(len(vocab.chars) + 1, st.char_dim, padding_idx=0)
            self.conv = nn.Conv1d(st.char_dim, st.char_filters, 3, padding=1)
            self.vectors = vectors is not None
            wdim = vectors.vector_size if vectors is not None else 0
            if self.vectors:
                table = np.zeros((len(vocab.words) + 1, wdim), np.float32)
                for w, i in vocab.words.items():
                    v = vectors[w]
                    table[i] = v / (np.linalg.norm(v) + 1e-9)
                self.register_buffer("wtable", torch.from_numpy(table).half())  # frozen, shipped as float16
            self.lstm = nn.LSTM(st.feat_dim + st.char_filters + wdim, st.hidden, batch_first=True,
                                bidirectional=True)
            self.out = nn.Linear(2 * st.hidden, len(vocab.tags))
            self.drop = nn.Dropout(st.dropout)

        def forward(self, feats, chars, words, lengths=None):
            b, t, _ = feats.shape
            f = self.femb(feats).sum(2)
            c = self.cemb(chars.reshape(b * t, MAX_CHARS)).transpose(1, 2)
            c = torch.relu(self.conv(c)).max(2).values.reshape(b, t, -1)
            parts = [f, c, self.wtable[words].float()] if self.vectors else [f, c]
            x = self.drop(torch.cat(parts, -1))
            if lengths is not None:
                x = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
                h, _ = self.lstm(x)
                h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True)
            else:
                h, _ = self.lstm(x)
            return self.out(self.drop(h))

    return Net()


def fit(sents: list[Sentence], feat: Featurizer, vectors, st: NetSettings,
        progress: Progress = lambda s: None):
    """Train the network on BIO sentences (ANERcorp tags); returns (net, vocab)."""
    import torch
    from torch import nn

    torch.manual_seed(st.seed)
    torch.set_num_threads(1)  # deterministic, and leaves the other core to the CRF
    rng = random.Random(st.seed)
    vocab = build_vocab(sents, feat, vectors, st)
    index = {t: i for i, t in enumerate(vocab.tags)}
    data = []
    enc = Encoder(feat, vocab)
    for s in sents:
        fa, ca, wa = enc.sentence([x for x, _ in s])
        data.append((torch.from_numpy(fa), torch.from_numpy(ca), torch.from_numpy(wa),
                     torch.tensor([index.get(t, 0) for _, t in s])))
    net = _net(vocab, st, vectors)
    opt = torch.optim.Adam([p for p in net.parameters() if p.requires_grad], lr=st.lr)
    lossf = nn.CrossEntropyLoss(ignore_index=-1)
    for ep in range(st.epochs):
        net.train()
        order = list(range(len(data)))
        rng.shuffle(order)
        t0, total = time.time(), 0.0
        for b in range(0, len(order), st.batch):
            batch = [data[i] for i in order[b:b + st.batch]]
            lens = torch.tensor([len(x[3]) for x in batch])
            t = int(lens.max())
            F = torch.zeros(len(batch), t, MAX_FEATS, dtype=torch.long)
            C = torch.zeros(len(batch), t, MAX_CHARS, dtype=torch.long)
            W = torch.zeros(len(batch), t, dtype=torch.long)
            Y = torch.full((len(batch), t), -1, dtype=torch.long)
            for j, (f, c, w, y) in enumerate(batch):
                k = len(y)
                F[j, :k], C[j, :k], W[j, :k], Y[j, :k] = f, c, w, y
            if st.identity_dropout:
                drop = torch.rand(F.shape[0], F.shape[1], len(IDENTITY)) < st.identity_dropout
                F[:, :, :len(IDENTITY)] = F[:, :, :len(IDENTITY)].masked_fill(drop, 0)
            logits = net(F, C, W, lens)
            loss = lossf(logits.reshape(-1, len(vocab.tags)), Y.reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            total += float(loss.detach())
        progress(f"network epoch {ep + 1}/{st.epochs}: loss {total:.1f}, {time.time() - t0:.0f} s")
    net.eval()
    return net, vocab


def export(net, vocab: Vocab, folder: Path, onnx_name: str, vocab_name: str) -> None:
    """Write the network as ONNX (one sentence per call, any length) and its vocabulary."""
    import torch

    f = torch.zeros(1, 5, MAX_FEATS, dtype=torch.long)
    c = torch.zeros(1, 5, MAX_CHARS, dtype=torch.long)
    w = torch.zeros(1, 5, dtype=torch.long)
    torch.onnx.export(net, (f, c, w), str(folder / onnx_name), input_names=["feats", "chars", "words"],
                      output_names=["logits"], dynamic_axes={"feats": {1: "n"}, "chars": {1: "n"},
                                                             "words": {1: "n"}, "logits": {1: "n"}},
                      opset_version=17, dynamo=False)
    _halve_tables(folder / onnx_name)
    vocab.save(folder / vocab_name)


def _halve_tables(path: Path, min_size: int = 100_000) -> None:
    """Store large embedding tables as float16 (half the file; ids look rows up, precision barely matters)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    m = onnx.load(str(path))
    g = m.graph
    inits = {t.name: t for t in g.initializer}
    nodes = list(g.node)
    g.ClearField("node")
    for node in nodes:
        table = inits.get(node.input[0]) if node.op_type == "Gather" else None
        if table is None or table.data_type != TensorProto.FLOAT or np.prod(table.dims) < min_size:
            g.node.append(node)
            continue
        table.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(table).astype(np.float16), table.name))
        out = node.output[0]
        node.output[0] = out + "_f16"
        g.node.append(node)
        g.node.append(helper.make_node("Cast", [out + "_f16"], [out], to=TensorProto.FLOAT))
    onnx.checker.check_model(m)
    onnx.save(m, str(path))
