"""The pipeline: ``analyze(document) -> Analysis``, the only entry the CLI, server and Spark use.

Stages are pure functions ``stage(analysis) -> analysis`` that add layers and never rewrite text. Each
declares the layers it ``requires`` and ``assigns``; the order is checked when the pipeline is built, so a
missing requirement fails at construction, not halfway through a batch. Stage implementations are imported
lazily (models load once, on first use).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from marsad.errors import MarsadError, PipelineError
from marsad.model import Analysis, Document

StageFn = Callable[[Analysis], Analysis]


@dataclass(frozen=True, slots=True)
class StageSpec:
    name: str
    target: str  # "module:function"
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def load(self) -> StageFn:
        module, _, attr = self.target.partition(":")
        try:
            fn: StageFn = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError) as exc:
            raise PipelineError(self.name, f"cannot load {self.target}: {exc}") from exc
        return fn


#: The registry, in default order. One place that says what runs and what each stage needs.
STAGES: tuple[StageSpec, ...] = (
    StageSpec("layout", "marsad.nlp.layout:layout", (), ("title", "counters", "related", "paragraphs")),
    StageSpec("sentences", "marsad.nlp.segment:segment", ("paragraphs",), ("sentences", "tokens")),
    StageSpec("paragraph_dedup", "marsad.dedup:mark_duplicate_paragraphs", ("paragraphs", "tokens"),
              ("duplicate_of",)),
    StageSpec("entities", "marsad.nlp.ner:recognize", ("tokens",), ("mentions",)),
    StageSpec("linking", "marsad.nlp.link:link_entities", ("mentions",), ("entities",)),
    StageSpec("quotes", "marsad.nlp.quotes:find_quotes", ("entities", "sentences"), ("quotes",)),
    StageSpec("events", "marsad.nlp.events:find_events", ("entities", "duplicate_of", "quotes"), ("events",)),
    StageSpec("summary", "marsad.summary:summarize", ("sentences", "duplicate_of"), ("summary",)),
)

_BY_NAME = {s.name: s for s in STAGES}


class Pipeline:
    """An ordered, checked list of stages."""

    def __init__(self, names: Iterable[str] | None = None) -> None:
        specs = [s for s in STAGES] if names is None else [self._spec(n) for n in names]
        have: set[str] = set()
        for spec in specs:
            missing = [r for r in spec.requires if r not in have]
            if missing:
                raise PipelineError(spec.name, f"requires {', '.join(missing)}, which no earlier stage assigns")
            have.update(spec.assigns)
        self.specs = specs
        self._fns: list[StageFn] | None = None

    @staticmethod
    def _spec(name: str) -> StageSpec:
        try:
            return _BY_NAME[name]
        except KeyError:
            raise PipelineError(name, f"unknown stage (known: {', '.join(_BY_NAME)})") from None

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.specs]

    def _loaded(self) -> list[StageFn]:
        if self._fns is None:
            self._fns = [s.load() for s in self.specs]
        return self._fns

    def __call__(self, document: Document) -> Analysis:
        analysis = Analysis(document=document)
        for spec, fn in zip(self.specs, self._loaded(), strict=True):
            try:
                analysis = fn(analysis)
            except MarsadError:
                raise
            except Exception as exc:  # a bug in a stage must name the stage and the document
                prov = document.provenance
                where = f"{prov.source} [{prov.record}]" if prov.record else prov.source
                raise PipelineError(spec.name, f"{type(exc).__name__}: {exc}", document=where) from exc
            analysis.done.append(spec.name)
        return analysis

    def pipe(self, documents: Iterable[Document]) -> Iterator[Analysis]:
        for doc in documents:
            yield self(doc)


_DEFAULT: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Pipeline()
    return _DEFAULT


def analyze(document: Document, *, pipeline: Pipeline | None = None) -> Analysis:
    """Run the full pipeline on one document."""
    return (pipeline or default_pipeline())(document)
