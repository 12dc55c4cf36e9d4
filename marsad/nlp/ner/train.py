"""Training: build resources from ../shared/data, fit the CRF on ANERcorp train90, score dev10, ship.

Every setting is chosen on train90/dev10; the shipped model is refit on the whole train file with those
settings. The test file is never read here.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pycrfsuite

from marsad.nlp.ner import gazetteer, model, neural, neural_train
from marsad.nlp.ner.corpora import Sentence, data_dir, read_conll
from marsad.nlp.ner.features import Featurizer, Resources

Progress = Callable[[str], None]


@dataclass(slots=True)
class Settings:
    """CRF settings (chosen on dev10)."""

    c1: float = 0.05
    c2: float = 0.1
    max_iterations: int = 150
    seed: int = 13
    teacher: bool = True  # add silver data labelled by the encoder-stacked teacher (teacher.py)
    raw_words: int = 160_000  # raw words the teacher labels
    refit_teacher: bool = False  # shipped model: retrain the teacher on all of train (about +20 min)
    silver_threshold: float = 0.0  # least-certain-tag marginal a silver sentence needs (0.6 kept easy ones: worse)
    neural: bool = True  # train the BiLSTM network (neural_train.py) for the accurate mode
    mix: float = 0.5  # the CRF's weight in the accurate mode's average (0.3 and 0.5 tried on two folds)
    net: neural_train.NetSettings = field(default_factory=neural_train.NetSettings)
    extra: dict[str, float] = field(default_factory=dict)


def anercorp(root: Path, part: str) -> list[Sentence]:
    return read_conll(root / "ner" / "anercorp" / f"ANERCorp_reconstructed_{part}.txt")


def fit(sents: list[Sentence], feat: Featurizer, settings: Settings, path: Path) -> None:
    """Train a CRF on BIO sentences and write it to ``path``."""
    trainer = pycrfsuite.Trainer(verbose=False)
    order = list(range(len(sents)))
    random.Random(settings.seed).shuffle(order)  # crfsuite's lbfgs is deterministic given the order
    for i in order:
        words = [w for w, _ in sents[i]]
        trainer.append(feat.sentence(words), [t for _, t in sents[i]])
    trainer.set_params({"c1": settings.c1, "c2": settings.c2, "max_iterations": settings.max_iterations,
                        "feature.possible_transitions": True})
    trainer.train(str(path))


def news_vocab(root: Path, limit_files: int | None = None) -> Counter[str]:
    """Normalised word counts over the raw news folders (for attesting derived gazetteer forms)."""
    from marsad.nlp.ner.rawtext import iter_news_texts
    from marsad.text import tokenize

    counts: Counter[str] = Counter()
    for text in iter_news_texts(root, limit_files=limit_files):
        counts.update(t.norm for t in tokenize(text) if t.is_word)
    return counts


def build_resources(root: Path, out: Path, progress: Progress, *, seed: int = 13,
                    reuse: bool = False) -> Resources:
    """Write gazetteers, clusters + profiles and lexicon flags into ``out``; return the loaded resources.

    ``reuse`` keeps clusters/profiles/lexicon files already in ``out`` (they take minutes to rebuild and do
    not depend on the CRF settings).
    """
    from marsad.nlp.ner import clusters, lexflags

    progress("counting news vocabulary")
    vocab = news_vocab(root)
    progress("building gazetteers")
    gazetteer.save(gazetteer.build(root, vocab), out / model.GAZETTEER_FILE)
    cpath, ppath, lpath = out / model.CLUSTERS_FILE, out / model.PROFILES_FILE, out / model.LEXICON_FILE
    if not (reuse and cpath.exists() and ppath.exists()):
        words = clusters.build(root, cpath, seed=seed, progress=progress, profiles_out=ppath)
    else:
        res, _ = model.load_resources(out)
        words = list(res.clusters)
    if not (reuse and lpath.exists()):
        progress(f"lexicon flags for {len(words)} words (qalsadi)")
        lexflags.build(words, lpath, progress=progress)
    res, _ = model.load_resources(out)
    return res


def with_silver(gold: list[Sentence], x_gold, raw: list[list[str]], x_raw, res: Resources, st: Settings,
                out: Path, progress: Progress) -> list[Sentence]:
    """``gold`` plus teacher-labelled raw sentences (the teacher is trained on ``gold`` only)."""
    from marsad.nlp.ner import teacher

    silver = teacher.silver(gold, x_gold, raw, x_raw, res, lambda s, f, p: fit(s, f, st, p), out,
                            threshold=st.silver_threshold, progress=progress)
    return gold + silver


def dev_score(tagger_path: Path, res: Resources, dev: list[Sentence], neural_folder: Path | None = None,
              mix: float = 1.0) -> dict[str, object]:
    """Score a CRF file (averaged with a network folder, if given) on dev sentences with the whole entity
    stage, under the ANERcorp scheme."""
    from marsad.nlp.ner.stage import tag_corpus

    tagger = model.Tagger(tagger_path.parent, res=res, model_path=tagger_path, neural_folder=neural_folder,
                          mix=mix)
    return tag_corpus(tagger, dev, scheme="anercorp")


def fit_network(sents: list[Sentence], feat: Featurizer, vectors, st: Settings, folder: Path,
                progress: Progress) -> None:
    """Train the network on gold sentences and write its ONNX file and vocabulary into ``folder``."""
    st.net.seed = st.seed
    progress(f"training the network on {len(sents)} sentences ({st.net.epochs} epochs)")
    net, vocab = neural_train.fit(sents, feat, vectors, st.net, progress=progress)
    folder.mkdir(parents=True, exist_ok=True)
    neural_train.export(net, vocab, folder)


def train(data: str | None = None, *, seed: int = 13, out: Path = model.RESOURCE_DIR,
          settings: Settings | None = None, reuse: bool = False,
          progress: Progress = lambda s: None) -> dict[str, object]:
    """Rebuild the shipped NER model; returns the dev10 score of the train90 model and timings."""
    root = data_dir(data)
    out.mkdir(parents=True, exist_ok=True)
    st = settings or Settings(seed=seed)
    st.seed = seed
    t0 = time.time()
    res = build_resources(root, out, progress, seed=seed, reuse=reuse)
    feat = Featurizer(res)
    train90, dev10, full = anercorp(root, "train90"), anercorp(root, "dev10"), anercorp(root, "train")
    sents90, sents_full = train90, full
    if st.teacher:
        from marsad.nlp.ner import teacher

        assert full[:len(train90)] == train90  # train90 is the head of train: one encoder pass serves both
        x_full = teacher.states_for([[w for w, _ in s] for s in full], progress, "anercorp-train")
        raw = teacher.raw_sentences(root, st.raw_words)
        x_raw = teacher.states_for(raw, progress, "raw")
        n90 = sum(map(len, train90))
        sents90 = with_silver(train90, x_full[:n90], raw, x_raw, res, st, out, progress)
        silver90 = sents90[len(train90):]
    progress(f"training CRF on train90 ({sum(map(len, sents90))} tokens with silver)")
    tmp = out / "dev.crfsuite"
    fit(sents90, feat, st, tmp)
    dev = dev_score(tmp, res, dev10)
    progress(f"dev10 micro F1 {dev['micro']['f1']:.4f} (fast mode)")  # type: ignore[index]
    dev_accurate = None
    if st.neural:
        vectors = None
        if st.net.vectors:
            from marsad.nlp.ner import clusters

            vectors = clusters.word_vectors(root, seed, progress)
        ndev = Path(tempfile.mkdtemp(prefix="marsad-nn-"))
        try:
            gold90 = tmp  # the accurate mode's CRF learns from gold only (two folds: +0.45 over the student)
            if st.teacher:
                gold90 = ndev / "gold.crfsuite"
                progress("training the accurate mode's CRF on train90 (gold only)")
                fit(train90, feat, st, gold90)
            fit_network(train90, feat, vectors, st, ndev, progress)
            dev_accurate = dev_score(gold90, res, dev10, ndev, st.mix)
        finally:
            shutil.rmtree(ndev)
        progress(f"dev10 micro F1 {dev_accurate['micro']['f1']:.4f} (accurate mode)")  # type: ignore[index]
    tmp.unlink()
    progress("refitting on all of train")
    if st.teacher:  # the silver of the train90 teacher, unless asked to retrain the teacher on all of train
        sents_full = (with_silver(full, x_full, raw, x_raw, res, st, out, progress) if st.refit_teacher
                      else full + silver90)
    fit(sents_full, feat, st, out / model.MODEL_FILE)
    (out / model.ACCURATE_CRF_FILE).unlink(missing_ok=True)  # without the teacher both modes share one CRF
    if st.neural:
        if st.teacher:
            fit(full, feat, st, out / model.ACCURATE_CRF_FILE)
        fit_network(full, feat, vectors, st, out, progress)
    else:
        for name in neural.FILES:  # a CRF-only build must not pair with an old network
            (out / name).unlink(missing_ok=True)
    meta = {"settings": {"c1": st.c1, "c2": st.c2, "max_iterations": st.max_iterations, "seed": st.seed,
                         "teacher": st.teacher, "raw_words": st.raw_words,
                         "silver_threshold": st.silver_threshold, "refit_teacher": st.refit_teacher,
                         "neural": st.neural, "net": asdict(st.net) if st.neural else None},
            "mix": st.mix if st.neural else 1.0,
            "dev10": dev, "dev10_accurate": dev_accurate, "trained_on": "ANERcorp train (train90 + dev10)",
            "train_seconds": round(time.time() - t0, 1)}
    (out / model.META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    model.reset()
    return meta
