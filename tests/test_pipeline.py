import pytest

from marsad.errors import IngestError, PipelineError, QueryError, StoreError
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

    def broken(a):
        raise ValueError("boom")

    pipe._fns = [broken]
    doc = Document(text="نص", provenance=Provenance(source="x.txt", format="page", record="row 4"))
    with pytest.raises(PipelineError, match=r"layout.*x\.txt \[row 4\].*boom"):
        pipe(doc)


def test_document_id_depends_on_content_only() -> None:
    a = Document(text="نص الخبر", provenance=Provenance(source="a.txt", format="page"))
    b = Document(text="نص الخبر", provenance=Provenance(source="b.txt", format="jsonl"))
    c = Document(text="نص آخر", provenance=Provenance(source="a.txt", format="page"))
    assert a.id == b.id != c.id


@pytest.mark.parametrize("error", [
    IngestError("a.txt", "empty file", record="line 3"),
    PipelineError("entities", "IndexError: x", document="b.csv"),
    QueryError('"غير', "unbalanced quote"),
    StoreError("locked"),
])
def test_errors_survive_pickling_across_processes(error: Exception) -> None:
    import pickle

    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error) and str(back) == str(error)
    assert vars(back) == vars(error)
