"""Marsad (مرصد): structured, searchable, checkable intelligence from raw Arabic news."""

from marsad.errors import IngestError, MarsadError, ModelError, PipelineError, QueryError, StoreError
from marsad.model import Analysis, Document, Provenance
from marsad.pipeline import Pipeline, analyze

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "Document",
    "IngestError",
    "MarsadError",
    "ModelError",
    "Pipeline",
    "PipelineError",
    "Provenance",
    "QueryError",
    "StoreError",
    "__version__",
    "analyze",
]
