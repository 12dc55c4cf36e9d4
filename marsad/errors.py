"""Marsad's one exception tree. The library raises these and never prints or exits.

    MarsadError
    ├── IngestError        a file or record could not be read (carries source + record)
    ├── PipelineError      a pipeline stage failed or was built in the wrong order (carries stage)
    ├── StoreError         the store could not be opened, read or written
    ├── QueryError         a search query is malformed (carries the query)
    └── ModelError         a shipped model is missing or cannot be loaded/trained

The CLI turns them into one-line messages and exit codes; the web API into HTTP statuses.
"""

from __future__ import annotations


class MarsadError(Exception):
    """Base of every error Marsad raises on purpose."""

    def one_line(self) -> str:
        """The message as one line, for CLI output and logs."""
        return " ".join(str(self).split())


class IngestError(MarsadError):
    """A source (file, archive member, record) could not be turned into a Document."""

    def __init__(self, source: str, reason: str, *, record: str | None = None) -> None:
        self.source = source
        self.record = record
        self.reason = reason
        where = f"{source} [{record}]" if record else source
        super().__init__(f"{where}: {reason}")

    def __reduce__(self) -> tuple[object, ...]:  # picklable across worker processes
        return (_rebuild, (type(self), (self.source, self.reason), {"record": self.record}))


class PipelineError(MarsadError):
    def __init__(self, stage: str, reason: str, *, document: str | None = None) -> None:
        self.stage = stage
        self.document = document
        self.reason = reason
        where = f" on {document}" if document else ""
        super().__init__(f"pipeline stage '{stage}'{where}: {reason}")

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), (self.stage, self.reason), {"document": self.document}))


class StoreError(MarsadError):
    pass


class QueryError(MarsadError):
    def __init__(self, query: str, reason: str) -> None:
        self.query = query
        self.reason = reason
        super().__init__(f"bad query {query!r}: {reason}")

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), (self.query, self.reason), {}))


class ModelError(MarsadError):
    pass


def _rebuild(cls: type[MarsadError], args: tuple[object, ...], kwargs: dict[str, object]) -> MarsadError:
    """Unpickle an error whose constructor takes more than a message (errors cross process boundaries)."""
    return cls(*args, **kwargs)  # type: ignore[call-arg]
