"""The NER network: BIO decoding, input encoding, vocabulary files, training + ONNX export, the averaged tagger."""

from __future__ import annotations

import numpy as np
import pytest

from marsad.nlp.ner import model, modes, neural
from marsad.nlp.ner.features import Featurizer, Resources
from marsad.nlp.ner.neural import MAX_CHARS, MAX_FEATS, Encoder, Vocab, viterbi

TAGS = ["O", "B-PERS", "I-PERS", "B-LOC", "I-LOC"]


def _logp(rows: list[list[float]]) -> np.ndarray:
    return np.log(np.array(rows) + 1e-9)


def test_viterbi_takes_the_best_path_when_it_is_valid() -> None:
    p = _logp([[0.1, 0.8, 0.05, 0.05, 0.0], [0.1, 0.0, 0.8, 0.1, 0.0], [0.9, 0.0, 0.0, 0.1, 0.0]])
    assert [TAGS[k] for k in viterbi(p, TAGS)] == ["B-PERS", "I-PERS", "O"]


@pytest.mark.parametrize("rows", [
    [[0.4, 0.0, 0.6, 0.0, 0.0]],  # a sentence cannot open inside a name
    [[0.9, 0.1, 0.0, 0.0, 0.0], [0.3, 0.0, 0.0, 0.0, 0.7]],  # I-LOC after O
    [[0.1, 0.9, 0.0, 0.0, 0.0], [0.3, 0.0, 0.0, 0.0, 0.7]],  # I-LOC after B-PERS
])
def test_viterbi_never_returns_an_orphan_inside_tag(rows: list[list[float]]) -> None:
    tags = [TAGS[k] for k in viterbi(_logp(rows), TAGS)]
    for prev, cur in zip(["O", *tags], tags):
        if cur.startswith("I-"):
            assert prev[2:] == cur[2:], tags


def _vocab() -> Vocab:
    return Vocab(features={"w=غانتس": 1, "s=غانتس": 2, "x=oov": 3, "len=5": 4, "p=": 5},
                 chars={c: i + 1 for i, c in enumerate("غانتسالوزير")}, words={"وزير": 1, "غانتس": 2},
                 tags=list(TAGS))


def test_encode_puts_identity_first_and_unknowns_at_zero() -> None:
    feat = Featurizer(Resources())
    f, c, w = Encoder(feat, _vocab()).sentence(["غانتس", "كلمةمجهولةطويلةجدا"])
    assert f.shape == (2, MAX_FEATS) and c.shape == (2, MAX_CHARS) and w.shape == (2,)
    assert list(f[0, :2]) == [1, 2]  # w= and s= of a known word
    assert list(f[1, :2]) == [0, 0]  # an unseen word: identity slots empty, other features still there
    assert 3 in f[1] and 0 not in f[1, 2:4]
    assert w[0] == 2 and w[1] == 0
    assert (c[1] != 0).sum() <= MAX_CHARS


def test_vocab_file_round_trips_byte_for_byte(tmp_path) -> None:
    v = _vocab()
    v.save(tmp_path / "a.json.gz")
    back = Vocab.load(tmp_path / "a.json.gz")
    assert back == v
    back.save(tmp_path / "b.json.gz")
    assert (tmp_path / "a.json.gz").read_bytes() == (tmp_path / "b.json.gz").read_bytes()


def test_accurate_mode_averages_crf_and_network() -> None:
    tagger = model.shipped("accurate")
    assert tagger.neural is not None, "the shipped model includes the network"
    assert model.shipped("fast").neural is None and model.shipped("accurate") is tagger
    assert 0.0 < tagger.mix < 1.0
    words = ["قال", "وزير", "الدفاع", "الإسرائيلي", "بيني", "غانتس", "في", "الرباط"]
    tags, probs = tagger.tag(words)
    assert len(tags) == len(words) == len(probs)
    assert all(0.0 < p <= 1.0 for p in probs)
    assert tags[5] in ("B-PERS", "I-PERS") and tags[7] == "B-LOC"
    p = tagger.neural.probs(words)
    assert p.shape == (len(words), len(tagger.neural.vocab.tags))
    assert np.allclose(p.sum(1), 1.0, atol=1e-5)


def test_mix_one_is_the_crf_alone() -> None:
    crf_only = model.Tagger(model.RESOURCE_DIR, neural_folder=model.RESOURCE_DIR, mix=1.0)
    both = model.shipped("accurate")
    words = ["أعلنت", "شركة", "إلبيت", "سيستمز", "عن", "صفقة", "مع", "المغرب"]
    plain = crf_only._tagger.tag(crf_only.features.sentence(words))
    assert crf_only.tag(words)[0] == list(plain)
    assert both.tag(words, marginals=False)[0] == both.tag(words)[0]


def test_train_and_export_a_tiny_network(tmp_path) -> None:
    torch = pytest.importorskip("torch")
    pytest.importorskip("onnx")
    from marsad.nlp.ner import neural_train

    class Vectors:  # the two things fit() reads from gensim's KeyedVectors
        index_to_key = ("الرباط", "غانتس", "قال")
        vector_size = 8

        def __getitem__(self, w: str) -> np.ndarray:
            return np.arange(8, dtype=np.float32) + len(w)

    sents = [[("قال", "O"), ("غانتس", "B-PERS"), ("في", "O"), ("الرباط", "B-LOC")],
             [("زار", "O"), ("بيني", "B-PERS"), ("غانتس", "I-PERS"), ("الرباط", "B-LOC")]] * 8
    st = neural_train.NetSettings(epochs=30, hidden=16, feat_dim=8, char_dim=8, char_filters=8, min_count=1,
                                  dropout=0.0, identity_dropout=0.0, lr=1e-2)
    feat = Featurizer(Resources())
    net, vocab = neural_train.fit(sents, feat, Vectors(), st)
    assert isinstance(net, torch.nn.Module)
    neural_train.export(net, vocab, tmp_path)
    assert neural.present(tmp_path)
    nt = neural.NeuralTagger(tmp_path, feat)
    words = ["قال", "غانتس", "في", "الرباط"]
    p = nt.probs(words)
    tags = [vocab.tags[k] for k in viterbi(np.log(p), vocab.tags)]
    assert tags == ["O", "B-PERS", "O", "B-LOC"]  # learnt the toy data, through ONNX
    # the two ONNX parts compute what the torch network computes (gate order, biases, both directions)
    f, c, w = Encoder(feat, vocab).sentence(words)
    with torch.no_grad():
        logits = net(torch.from_numpy(f)[None], torch.from_numpy(c)[None], torch.from_numpy(w)[None],
                     torch.tensor([len(words)]))[0]
    np.testing.assert_allclose(p, torch.softmax(logits, -1).numpy(), atol=1e-5)


@pytest.mark.parametrize("value", ["", "fast", "ACCURATE", " accurate "])
def test_mode_from_env_accepts_known_modes(monkeypatch, value: str) -> None:
    monkeypatch.setenv("MARSAD_NER_MODE", value)
    assert model.mode_from_env() == (value.strip().lower() or modes.DEFAULT)


def test_unknown_mode_is_a_one_line_model_error(monkeypatch) -> None:
    from marsad.errors import ModelError

    monkeypatch.setenv("MARSAD_NER_MODE", "turbo")
    with pytest.raises(ModelError, match="MARSAD_NER_MODE='turbo'"):
        model.shipped()
    with pytest.raises(ModelError, match="unknown NER mode"):
        model.shipped("slow")


def test_missing_network_is_a_model_error(tmp_path) -> None:
    from marsad.errors import ModelError

    with pytest.raises(ModelError, match="network not found"):
        model.Tagger(model.RESOURCE_DIR, neural_folder=tmp_path)


def test_a_network_without_word_vectors_takes_two_inputs(tmp_path) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("onnx")
    from marsad.nlp.ner import neural_train

    sents = [[("قال", "O"), ("غانتس", "B-PERS")]] * 4
    st = neural_train.NetSettings(epochs=1, hidden=8, feat_dim=8, char_dim=8, char_filters=8, min_count=1)
    feat = Featurizer(Resources())
    net, vocab = neural_train.fit(sents, feat, None, st)
    neural_train.export(net, vocab, tmp_path)
    nt = neural.NeuralTagger(tmp_path, feat)
    assert sorted(nt._inputs) == ["chars", "feats"] and vocab.words == {}
    assert nt.probs(["قال", "غانتس", "أمس"]).shape == (3, len(vocab.tags))


def test_features_do_not_depend_on_the_hash_seed() -> None:
    """Word features feed float sums in both models: their order must not follow Python's string hashing."""
    import subprocess
    import sys

    code = ("from marsad.nlp.ner import model; t = model.shipped('fast'); "
            "print(t.features.sentence('زار علي عبد الله صالح الجزائر ويوم رياض بشار'.split()))")
    outs = set()
    for seed in ("1", "2", "3"):
        env = {**__import__("os").environ, "PYTHONHASHSEED": seed}
        outs.add(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                check=True).stdout)
    assert len(outs) == 1


_DOC = [["قال", "وزير", "الدفاع", "الإسرائيلي", "بيني", "غانتس", "في", "الرباط"],
        ["أعلنت", "شركة", "إلبيت", "سيستمز"], ["المغرب"], [],
        ["زار", "علي", "عبد", "الله", "صالح", "الجزائر", "ويوم", "رياض", "بشار"] * 3,
        ["وقعت", "وزارة", "الدفاع", "الأمريكية", "عقدا", "مع", "لوكهيد", "مارتن"]]


@pytest.mark.parametrize("batch", [1, 2, 8])
def test_a_document_in_batches_gives_each_sentence_what_it_gets_alone(batch: int) -> None:
    """Padding in a batch must not reach any sentence, in either direction of the LSTM."""
    nt = model.shipped("accurate").neural
    assert nt is not None
    together = nt.probs_many(_DOC, batch=batch)
    assert len(together) == len(_DOC)
    for words, p in zip(_DOC, together):
        assert p.shape == (len(words), len(nt.vocab.tags))
        if words:
            np.testing.assert_allclose(p, nt.probs(words), atol=1e-5)


def test_the_bounded_word_cache_starts_again_without_changing_results(monkeypatch) -> None:
    shipped = model.shipped("accurate")
    reference = shipped.neural.probs_many(_DOC)
    monkeypatch.setattr(neural, "ROWS_MAX", 6)
    nt = neural.NeuralTagger(model.RESOURCE_DIR, shipped.features)
    most = max(len(set(words)) for words in _DOC)  # one call's new inputs are all kept, even past the bound
    for words in _DOC + _DOC[::-1]:  # more distinct words than the cache holds: it is cleared on the way
        nt.probs_many([words])
        assert len(nt._rows) <= max(6, most)
    for p, q in zip(nt.probs_many(_DOC), reference):
        np.testing.assert_allclose(p, q, atol=1e-5)


def test_tag_document_is_tag_of_each_sentence() -> None:
    tagger = model.shipped("accurate")
    assert tagger.tag_document(_DOC) == [tagger.tag(words) for words in _DOC]


def test_threads_share_the_accurate_tagger_safely() -> None:
    """The server tags from several threads: the row cache and the CRF are shared, results must not mix."""
    from concurrent.futures import ThreadPoolExecutor

    tagger = model.shipped("accurate")
    docs = [[words[k:] + words[:k] for words in _DOC] for k in range(6)]  # rotations: new inputs in each
    alone = [tagger.tag_document(doc) for doc in docs]
    with ThreadPoolExecutor(4) as pool:
        for _ in range(3):
            assert list(pool.map(tagger.tag_document, docs)) == alone
