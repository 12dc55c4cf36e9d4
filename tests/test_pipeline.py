import pytest

from marsad.errors import PipelineError
from marsad.model import Document, Provenance
from marsad.pipeline import STAGES, Pipeline


def test_default_pipeline_order_is_consistent() -> None:
    assert Pipeline().names == [s.name for s in STAGES]


def test_missing_requirement_fails_at_construction() -> None:
    with pytest.raises(PipelineError, match="requires paragraphs"):
        Pipeline(["sentences"])


def test_unknown_stage_is_named() -> None:
    with pytest.raises(PipelineError, match="unknown stage"):
        Pipeline(["layout", "nonsense"])


def test_stage_bug_is_reported_with_stage_and_document(monkeypatch: pytest.MonkeyPatch) -> None:
    pipe = Pipeline(["layout"])

    def broken(a):  # noqa: ANN001, ANN202
        raise ValueError("boom")

    pipe._fns = [broken]
    doc = Document(text="نص", provenance=Provenance(source="x.txt", format="page"))
    with pytest.raises(PipelineError, match=r"layout.*x\.txt.*boom"):
        pipe(doc)


def test_document_id_depends_on_content_only() -> None:
    a = Document(text="نص الخبر", provenance=Provenance(source="a.txt", format="page"))
    b = Document(text="نص الخبر", provenance=Provenance(source="b.txt", format="jsonl"))
    c = Document(text="نص آخر", provenance=Provenance(source="a.txt", format="page"))
    assert a.id == b.id != c.id
