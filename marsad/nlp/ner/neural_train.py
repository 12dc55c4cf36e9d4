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

from marsad.nlp.ner import neural
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

        def embed(self, feats, chars, words):
            """The word part: [b, t, MAX_FEATS], [b, t, MAX_CHARS], [b, t] ids -> [b, t, input size]."""
            b, t, _ = feats.shape
            f = self.femb(feats).sum(2)
            c = self.cemb(chars.reshape(b * t, MAX_CHARS)).transpose(1, 2)
            c = torch.relu(self.conv(c)).max(2).values.reshape(b, t, -1)
            return torch.cat([f, c, self.wtable[words].float()] if self.vectors else [f, c], -1)

        def forward(self, feats, chars, words, lengths):
            x = self.drop(self.embed(feats, chars, words))
            x = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            h, _ = self.lstm(x)
            h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True)
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


def export(net, vocab: Vocab, folder: Path) -> None:
    """Write the network as the two ONNX parts ``neural.NeuralTagger`` runs, and its vocabulary."""
    import torch

    class WordPart(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = net

        def forward(self, feats, chars, words):
            return self.net.embed(feats, chars, words)

    f = torch.zeros(1, 5, MAX_FEATS, dtype=torch.long)
    c = torch.zeros(1, 5, MAX_CHARS, dtype=torch.long)
    w = torch.zeros(1, 5, dtype=torch.long)
    path = folder / neural.WORDS_FILE
    torch.onnx.export(WordPart().eval(), (f, c, w), str(path), input_names=["feats", "chars", "words"],
                      output_names=["x"], dynamic_axes={"feats": {1: "n"}, "chars": {1: "n"}, "words": {1: "n"},
                                                        "x": {1: "n"}}, opset_version=17, dynamo=False)
    _halve_tables(path)
    _sentence_part(net, folder / neural.ONNX_FILE)
    vocab.save(folder / neural.VOCAB_FILE)


def _sentence_part(net, path: Path) -> None:
    """The BiLSTM and output layer as one ONNX LSTM node (its ``sequence_lens`` lets a padded batch of
    sentences run at once) and a MatMul: x [t, b, input] float, lens [b] int32 -> logits [t, b, tags]."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    sd = {k: v.detach().cpu().numpy().astype(np.float32) for k, v in net.state_dict().items()}
    lstm = net.lstm
    hid, dim, ntags = lstm.hidden_size, lstm.input_size, net.out.out_features

    def gates(a: np.ndarray) -> np.ndarray:  # torch orders the gates i, f, g, o; ONNX i, o, f, c
        i, f, g, o = np.split(a, 4)
        return np.concatenate([i, o, f, g])

    dirs = ["_l0", "_l0_reverse"]
    W = np.stack([gates(sd["lstm.weight_ih" + d]) for d in dirs])
    R = np.stack([gates(sd["lstm.weight_hh" + d]) for d in dirs])
    B = np.stack([np.concatenate([gates(sd["lstm.bias_ih" + d]), gates(sd["lstm.bias_hh" + d])]) for d in dirs])
    consts = {"W": W, "R": R, "B": B, "O": sd["out.weight"].T.copy(), "ob": sd["out.bias"],
              "s0": np.array([0], np.int64), "s2": np.array([2], np.int64), "m1": np.array([-1], np.int64)}
    nodes = [
        helper.make_node("LSTM", ["x", "W", "R", "B", "lens"], ["h"], direction="bidirectional", hidden_size=hid),
        helper.make_node("Transpose", ["h"], ["ht"], perm=[0, 2, 1, 3]),  # [t, 2, b, h] -> [t, b, 2, h]
        helper.make_node("Shape", ["x"], ["xs"]),
        helper.make_node("Slice", ["xs", "s0", "s2"], ["tb"]),
        helper.make_node("Concat", ["tb", "m1"], ["shape"], axis=0),
        helper.make_node("Reshape", ["ht", "shape"], ["h2"]),  # forward and backward states side by side
        helper.make_node("MatMul", ["h2", "O"], ["mm"]),
        helper.make_node("Add", ["mm", "ob"], ["logits"]),
    ]
    graph = helper.make_graph(
        nodes, "ner_sentences",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["t", "b", dim]),
         helper.make_tensor_value_info("lens", TensorProto.INT32, ["b"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["t", "b", ntags])],
        [numpy_helper.from_array(a, name) for name, a in consts.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="marsad")
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


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
